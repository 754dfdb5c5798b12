"""Conversation helpers of the core: follow-up questions drawn from the other sections of
the documents an answer cited.  (The chat screen's display helpers live in `app_ui.render`.)"""

from __future__ import annotations

import re
from typing import Sequence

from anpo.models import Answer
from retrieval.types import Chunk

# "スライド3 ", "p.4 ", "ページ2 ", "第3章 " … : where a section is, not what it is about
_PLACE_PREFIX = re.compile(r"^\s*(?:スライド|slide|ページ|page|p\.?|頁)\s*\d+[\s:：.-]*", re.IGNORECASE)


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
                topic = per_doc[d].pop(0).removesuffix("について")   # 「資料について」 is not asked twice
                out.append(f"{topic}について教えてください。")
    return out
