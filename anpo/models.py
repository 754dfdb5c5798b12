"""Frozen dataclasses that cross layer boundaries: what retrieval returns and what
an answer carries.  (`retrieval.types.Chunk` is the indexed unit.)"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    chunk_id: str
    title: str
    locator: str
    text: str                       # exactly the indexed passage text
    url: str | None = None
    effective_date: str | None = None
    issuer: str | None = None
    confirmed: bool = True
    highlight: tuple[tuple[int, int], ...] = ()   # offsets in `text` of the supporting sentences
    text_en: str | None = None      # the pack's English restatement, shown beside `text` (English answers)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["highlight"] = [list(h) for h in self.highlight]
        if self.text_en is None:
            del d["text_en"]
        return d


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    grounded: bool
    backend: str
    citations: tuple[Citation, ...] = ()
    notes: tuple[str, ...] = ()      # caveats shown under the answer (old rows, unconfirmed facts)
    elapsed_ms: float | None = None
    knowledge_as_of: str | None = None
    interpreted_as: str | None = None   # a follow-up's standalone reading (anpo.conversation); `question` stays the user's words

    def to_dict(self) -> dict:
        d = {
            "question": self.question,
            "answer": self.answer,
            "grounded": self.grounded,
            "backend": self.backend,
            "citations": [c.to_dict() for c in self.citations],
            "notes": list(self.notes),
            "elapsed_ms": self.elapsed_ms,
            "knowledge_as_of": self.knowledge_as_of,
        }
        if self.interpreted_as is not None:
            d["interpreted_as"] = self.interpreted_as
        return d


@dataclass(frozen=True)
class SourceInfo:
    doc_id: str
    title: str
    issuer: str | None
    date: str | None                 # effective date, else published
    chunks: int
    path: str
    kind: str | None = None
    url: str | None = None
    as_of: str | None = None
    origin: str = "knowledge"        # "knowledge" (shipped pack) or "upload" (removable)
