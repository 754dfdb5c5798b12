"""Typed, immutable records passed between the retrieval modules."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class DocMeta:
    doc_id: str
    title: str
    path: str
    sha256: str
    issuer: str | None = None
    url: str | None = None
    published: str | None = None
    effective_date: str | None = None
    as_of: str | None = None
    kind: str | None = None
    source_title: str | None = None
    origin: str = "knowledge"          # "knowledge" (shipped pack) or "upload"
    uploader: str | None = None        # uploads: who and when, as recorded by the app or CLI
    uploaded_at: str | None = None


@dataclass(frozen=True)
class Section:
    """A place in a document: a slide, page, heading or table row, with its text."""
    locator: str
    text: str
    url: str | None = None
    effective_date: str | None = None
    confirmed: bool = True
    place: str | None = None
    is_row: bool = False               # table rows are never split or merged
    fields: tuple[tuple[str, str], ...] = ()   # a table row's columns


@dataclass(frozen=True)
class LoadedDoc:
    meta: DocMeta
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    title: str
    locator: str
    text: str                          # original text, shown and cited exactly
    search_text: str                   # normalised, with the locator prefixed, for BM25
    embed_text: str                    # what the embedder sees
    url: str | None = None
    effective_date: str | None = None
    issuer: str | None = None
    kind: str | None = None
    confirmed: bool = True
    suspicious: bool = False           # contains instruction-like text (prompt injection)
    origin: str = "knowledge"          # "upload": user-supplied, labelled as such in answers
    fields: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> str:
        # not dataclasses.asdict: its deep copy is a third of writing 50k chunks
        return json.dumps({f: getattr(self, f) for f in _CHUNK_FIELDS}, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> "Chunk":
        d = json.loads(line)
        d["fields"] = tuple(tuple(x) for x in d.get("fields", ()))
        return cls(**d)


_CHUNK_FIELDS = tuple(Chunk.__dataclass_fields__)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float                       # fused score
    rank: int
    bm25_rank: int | None = None
    dense_rank: int | None = None
