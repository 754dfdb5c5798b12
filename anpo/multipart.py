"""One answer per part of a multi-part question.

A later part is often asked of the first part's subject without naming it (「…判定支援を頼もうかと。
1件いくら？どれくらいで結果出ます？」 asks how long the 判定支援 takes; 「グループAって何か国？昔は別の
名前で呼ばれてた？」 asks the group's old name).  `answer_part` answers a part on its own words first;
when that finds nothing, or finds a sentence that gives none of the answer types the part asks for
(anpo.analysis answer_types: a duration, a cost, a former name…), the part is asked again of the first
part's subject, and that answer is kept only when its sentence gives the asked type.  A part asking no
answer type is never re-asked: its own words alone decide, so a part the pack does not cover stays
「確認できませんでした」.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Sequence

from anpo.analysis import Analysis, asked_type_words, load_rules
from anpo.compose import Draft, asked_types
from anpo.grounding import Support
from retrieval.textnorm import key_terms, normalize

Ground = Callable[[Analysis], tuple[Sequence, Support]]
Answer = Callable[[str, Sequence, Support], Draft]


def of_subject(part: Analysis, first: Analysis) -> Analysis | None:
    """`part` asked of the first part's subject: the first part's topic words (not its aspects:
    「料金」 is what the first part asked, not its subject) join the part's topic and query, and the words
    asking for the type leave it; None when that changes nothing."""
    aspects = load_rules().aspects
    own = {g[0] for g in key_terms(part.topic)}
    subject = [g[0] for g in key_terms(first.topic) if g[0] not in own and g[0] not in aspects]
    words = " ".join(subject)
    topic = part.topic
    for w in asked_type_words(part.question, leaving=True):
        # the words asking for the type (名前, 程度) are no topic words once the subject is named (as in analysis.analyse)
        topic = re.sub(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w), " ", topic, flags=re.I)
    if not subject and topic == part.topic:
        return None
    return replace(part, topic=re.sub(r"\s+", " ", f"{topic} {words}").strip(), query=f"{part.query} {words}".strip(), context=())


def quoted_lines(draft: Draft | None) -> list[str]:
    if draft is None or not draft.text:
        return []
    return [line for line in draft.text.split("\n") if re.search(r"\[\d+\]", line)]


def gives_asked(part: Analysis, line: str) -> bool:
    """The line gives an answer type the part asks for (its `gives` patterns)."""
    n = normalize(line)
    return any(any(g.search(n) for g in t.gives) for t in asked_types(part.question))


def answer_part(part: Analysis, first: Analysis | None, ground: Ground, answer: Answer,
                threshold: float) -> tuple[Analysis, Draft | None, Sequence]:
    """The part's draft (None when the pack does not cover it) and the hits its markers refer to."""
    hits, support = ground(part)
    ok = bool(hits) and bool(support.terms) and support.best >= threshold
    draft = answer(part.topic, hits, support) if ok else None
    if first is None or part is first or not asked_types(part.question):
        return part, draft, hits
    lines = quoted_lines(draft)
    subject = subject_words(part, first)
    gave = bool(lines) and gives_asked(part, lines[0])
    if gave and (not subject or names(lines[0], subject)):
        return part, draft, hits
    # a line giving the type of nothing in particular (「軍事用途に転用される可能性があります」 for 「炭素繊維は…？
    # 軍事だと何に使われる？」) yields to one giving it of the first part's subject
    again = of_subject(part, first)
    if again is None:
        return part, draft, hits
    hits2, support2 = ground(again)
    if not (hits2 and support2.terms and support2.best >= threshold):
        return part, draft, hits
    draft2 = answer(again.topic, hits2, support2)
    lines2 = quoted_lines(draft2)
    if lines2 and gives_asked(part, lines2[0]) and (not gave or names(lines2[0], subject)):
        return again, draft2, hits2
    return part, draft, hits


def subject_words(part: Analysis, first: Analysis) -> list[str]:
    """The first part's topic words (not its aspects) the part's own words do not name."""
    aspects = load_rules().aspects
    own = {g[0] for g in key_terms(part.question)}
    return [g[0] for g in key_terms(first.topic) if g[0] not in own and g[0] not in aspects]


def names(line: str, words: Sequence[str]) -> bool:
    n = normalize(line)
    return any(normalize(w) in n for w in words)
