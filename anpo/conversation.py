"""Pure helpers behind the chat screen: the answer cut into pieces for a streaming feel,
a citation's text split into highlighted and plain runs, and follow-up questions drawn
from the other sections of the documents an answer cited."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from anpo.models import Answer
from retrieval.types import Chunk

_PIECE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+|\n|$)")
# "スライド3 ", "p.4 ", "ページ2 ", "第3章 " … : where a section is, not what it is about
_PLACE_PREFIX = re.compile(r"^\s*(?:スライド|slide|ページ|page|p\.?|頁)\s*\d+[\s:：.-]*", re.IGNORECASE)


def answer_pieces(text: str) -> list[str]:
    """The answer as sentence-sized pieces whose concatenation is exactly `text`."""
    pieces = [m.group() for m in _PIECE.finditer(text) if m.group()]
    return pieces if "".join(pieces) == text else [text]


def highlight_runs(text: str, spans: Iterable[Sequence[int]]) -> list[tuple[str, bool]]:
    """`text` as consecutive (run, highlighted) pairs; overlapping or out-of-range spans
    are merged and clamped, so a bad offset never hides or duplicates text."""
    clean = sorted((max(0, min(s, len(text))), max(0, min(e, len(text)))) for s, e in spans)
    merged: list[list[int]] = []
    for s, e in clean:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def section_topic(locator: str) -> str:
    """What a section is about: its locator without the slide/page number."""
    return _PLACE_PREFIX.sub("", locator).strip()


def follow_ups(answer: Answer, chunks: Sequence[Chunk], limit: int = 3) -> list[str]:
    """Questions about the other sections of the cited documents (prose sections only;
    table rows are reached through the list-control explorer), one document at a time in
    turn so that each cited document gets a suggestion."""
    if not answer.grounded or not answer.citations:
        return []
    cited_docs = list(dict.fromkeys(c.doc_id for c in answer.citations))
    seen = {section_topic(c.locator) for c in answer.citations}
    per_doc: dict[str, list[str]] = {d: [] for d in cited_docs}
    for ch in chunks:
        if ch.doc_id not in per_doc or ch.fields or ch.suspicious:
            continue
        topic = section_topic(ch.locator)
        if len(topic) < 2 or topic in seen or topic.startswith("行"):
            continue
        seen.add(topic)
        per_doc[ch.doc_id].append(topic)
    out: list[str] = []
    while len(out) < limit and any(per_doc.values()):
        for d in cited_docs:
            if per_doc[d] and len(out) < limit:
                out.append(f"{per_doc[d].pop(0)}について教えてください。")
    return out
