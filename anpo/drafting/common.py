"""What every drafted document is made of, and the check its citations must pass.

A `DraftDoc` is frozen data: sections (a CP's articles grouped in chapters, or a brief's
headings), appendices (fill-in forms), citations built from indexed chunks, and what the
draft does not cover. Markers `[n]` may appear in a CP's notes (解説) and appendices and in a
brief's text, never in a CP's rule paragraphs. `check_draft` verifies that every marker
resolves, every cited text is exactly an indexed passage and every citation is used.
`Sources` numbers chunks in order of first use; `finish` assembles and checks a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from anpo.answering import MARKER, check_citations
from anpo.errors import AnpoError
from anpo.models import Answer, Citation
from anpo.tables import citation
from retrieval.types import Chunk


@dataclass(frozen=True)
class DraftSection:
    key: str                            # stable name, e.g. "tech" (tests and the UI use it)
    heading: str                        # 第8条（技術提供の管理）, or a brief's section title
    paragraphs: tuple[str, ...]         # a CP article's 項 (lines inside are 号); no markers in a CP
    note: str | None = None             # a CP's 解説: the criteria the article implements, with [n]
    chapter: str = ""                   # 第2章 組織 (CP articles only)


@dataclass(frozen=True)
class DraftDoc:
    kind: str                           # "cp" | "brief"
    title: str
    company: str
    preface: tuple[str, ...]
    sections: tuple[DraftSection, ...]
    citations: tuple[Citation, ...]
    not_covered: tuple[str, ...]
    notes: tuple[str, ...] = ()         # caveats about the sources (unconfirmed, old)
    knowledge_as_of: str | None = None
    appendices: tuple[DraftSection, ...] = ()   # fill-in forms (該非判定書, 取引審査票, 体制図)

    def section(self, key: str) -> DraftSection | None:
        return next((s for s in self.sections + self.appendices if s.key == key), None)

    @property
    def rule_text(self) -> str:
        """A CP's rule paragraphs only (what must carry no markers)."""
        return "\n".join(p for s in self.sections for p in s.paragraphs)

    @property
    def body(self) -> str:
        """All text that may carry markers, in reading order."""
        parts = list(self.preface)
        for s in self.sections + self.appendices:
            parts += [s.chapter, s.heading, *s.paragraphs, s.note or ""]
        return "\n".join(parts + list(self.notes) + list(self.not_covered))


def check_draft(doc: DraftDoc, lookup: Callable[[str], Chunk | None]) -> list[str]:
    """Problems with a draft's citations: markers without citations, citations that are not
    exactly an indexed passage, citations no marker uses, and markers in a CP's rule text."""
    as_answer = Answer(question=doc.title, answer=doc.body, grounded=bool(doc.citations),
                       backend="drafting", citations=doc.citations)
    problems = check_citations(as_answer, lookup)
    used = {int(m) for m in MARKER.findall(doc.body)}
    problems += [f"citation [{c.n}] is never referred to" for c in doc.citations if c.n not in used]
    if doc.kind == "cp" and MARKER.search(doc.rule_text):
        problems.append("a marker sits inside the rule text; citations belong in the notes")
    return problems


class Sources:
    """Numbers the chunks a draft cites, in order of first use."""

    def __init__(self):
        self._n: dict[str, int] = {}
        self._chunks: list[Chunk] = []

    def mark(self, chunk: Chunk | None) -> str:
        """`[n]` for the chunk (numbered on first use), or "" for no chunk."""
        if chunk is None:
            return ""
        if chunk.chunk_id not in self._n:
            self._chunks.append(chunk)
            self._n[chunk.chunk_id] = len(self._chunks)
        return f"[{self._n[chunk.chunk_id]}]"

    def citations(self) -> tuple[Citation, ...]:
        return tuple(citation(c, i) for i, c in enumerate(self._chunks, 1))


def finish(kind: str, title: str, company: str, preface: Sequence[str], sections: Sequence[DraftSection],
           src: Sources, not_covered: Sequence[str], lookup: Callable[[str], Chunk | None],
           appendices: Sequence[DraftSection] = ()) -> DraftDoc:
    """The draft with its citations, caveats and date; raises `AnpoError` if its check fails."""
    cites = src.citations()
    unconfirmed = [c for c in cites if not c.confirmed]
    notes = [f"※ 出典{'、'.join(f'[{c.n}]' for c in unconfirmed)}には一次資料で確認できていない情報が含まれます。"] \
        if unconfirmed else []
    dates = sorted({c.effective_date for c in cites if c.effective_date})
    doc = DraftDoc(kind=kind, title=title, company=company, preface=tuple(preface), sections=tuple(sections),
                   citations=cites, not_covered=tuple(not_covered), notes=tuple(notes),
                   knowledge_as_of=dates[-1] if dates else None, appendices=tuple(appendices))
    problems = check_draft(doc, lookup)
    if problems:        # cannot happen unless the index changed underneath us; never ship unchecked citations
        raise AnpoError(f"the draft's citations failed their check ({problems[0]}); rebuild the index with `anpo index --rebuild`")
    return doc


def yes_no(flag: bool) -> str:
    return "あり" if flag else "なし"


GOODS_TEXT = {"yes": "扱う", "no": "扱わない", "unknown": "未確認"}
