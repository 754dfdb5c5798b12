"""Case-study questions (アドバイザー派遣の事例) answered from the case's own sections: which case the
question asks about (its letter 「B社」, its industry 「航空機部品」, or the situation told 「担当が辞めて」),
and which part of it (before / support / after; data/case_cues.tsv), each sentence cited.

A case is a knowledge document of kind "case" whose chunks are its sections (会社の概要, 支援前の課題,
支援内容, 支援後の状況, この事例から学べること); nothing here names a case: the pack's cases and the
cue table decide."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from retrieval.textnorm import normalize, read_tsv, sentence_spans
from retrieval.types import Chunk

CUES_PATH = Path(__file__).parent / "data" / "case_cues.tsv"
# what a case question gets when it names no part: the situation before, what was done and what came of it
DEFAULT_SECTIONS = ("会社の概要", "支援前の課題", "支援内容", "支援後の状況")


@dataclass(frozen=True)
class CaseCue:
    label: str
    words: tuple[str, ...]
    sections: tuple[str, ...]
    examples: tuple[str, ...]

    def found(self, q: str) -> int:
        return sum(1 for w in self.words if w in q)


@lru_cache(maxsize=2)
def load_case_cues(path: Path = CUES_PATH) -> tuple[CaseCue, ...]:
    """The case-question rows of case_cues.tsv (case_asked, aspect_*, situation:*)."""
    out = []
    for r in read_tsv(path):
        r = [x.strip() for x in r] + [""] * (4 - len(r))
        if r[0] in ("case_asked", "exists_asked") or r[0].startswith(("aspect_", "situation:")):
            split = lambda s: tuple(normalize(w.strip()) for w in s.split("|") if w.strip() and w.strip() != "-")  # noqa: E731
            out.append(CaseCue(r[0], split(r[1]), tuple(w.strip() for w in r[2].split("|") if w.strip() not in ("", "-")),
                               tuple(x.strip() for x in r[3].split(" | ") if x.strip())))
    return tuple(out)


def cases_in(chunks: Sequence[Chunk]) -> dict[str, list[Chunk]]:
    """The pack's case documents: doc_id → its section chunks, in order."""
    out: dict[str, list[Chunk]] = {}
    for c in chunks:
        if c.kind == "case" and c.origin == "knowledge" and not c.suspicious:
            out.setdefault(c.doc_id, []).append(c)
    return out


def _names(title: str) -> tuple[str, ...]:
    """What a case's title calls its company: the letter (「B社」) and the industry (「航空機部品」,
    「工作機械商社」; a maker by what it makes)."""
    t = normalize(title)
    letter = re.search(r"(?<![a-z])([a-z])社", t)
    ind = re.search(r"[（(]([^・（）()]+?)(?:メーカー)?[・）)]", t)
    return tuple(x for x in ((letter.group(0) if letter else ""), (ind.group(1) if ind else "")) if len(x) >= 2)


def asked_case(question: str, cases: dict[str, list[Chunk]]) -> tuple[str, tuple[str, ...]] | None:
    """(doc_id, sections to quote) when the question asks about a case the pack has, else None.
    A case is found by name (its letter or industry) or by the situation told; it is asked about when the
    question asks for a case (case_asked) or for a part of one (aspect_*) of a case it names or of the
    advisor's support (支援, アドバイザー)."""
    q = normalize(question or "")
    cues = load_case_cues()
    score: dict[str, int] = {}
    named = False
    for doc_id, chunks in cases.items():
        by_name = sum(1 for n in _names(chunks[0].title) if n in q)
        named = named or by_name > 0
        sit = next((c.found(q) for c in cues if c.label == f"situation:{doc_id}"), 0)
        if by_name or sit:
            score[doc_id] = 10 * by_name + sit
    if not score:
        return None
    ranked = sorted(score.items(), key=lambda x: -x[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None                 # two cases fit as well: not this module's to choose
    aspects = [c for c in cues if c.label.startswith("aspect_") and c.found(q)]
    asked = any(c.found(q) for c in cues if c.label == "case_asked")
    # a part asked of a case named, told by two of its situation's words, or of the advisor's support
    if not (asked or aspects and (named or ranked[0][1] >= 2 or re.search(r"支援|アドバイザ|advis|support", q))):
        return None
    sections = tuple(dict.fromkeys(s for c in aspects for s in c.sections)) or DEFAULT_SECTIONS
    return ranked[0][0], sections


def asks_if_exists(question: str) -> bool:
    """「…した会社はありますか？」「事例ってある？」「改善例ってないですかね」 'Is there a case …': asked whether such a case
    exists (case_asked and exists_asked, in any sentence of the question: 「例はありますか？支援の後…も知りたいです。」), which
    the cited case answers 「はい」."""
    q = normalize(question or "").strip()
    cues = load_case_cues()
    return any(c.found(q) for c in cues if c.label == "case_asked") and any(c.found(q) for c in cues if c.label == "exists_asked")


def case_lines(chunks: Sequence[Chunk], sections: Sequence[str]) -> list[tuple[Chunk, int, int]]:
    """(chunk, start, end) of the sentences to quote: each asked section's sentences, in the case's order
    of sections; the overview and the lesson give their first sentence only."""
    out = []
    for c in chunks:
        if c.locator not in sections:
            continue
        spans = list(sentence_spans(c.text))
        out += [(c, s, e) for s, e in (spans[:1] if c.locator in ("会社の概要", "この事例から学べること") else spans)]
    return out
