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
from functools import lru_cache
from typing import Callable, Sequence

import yaml

from anpo import leads
from anpo.analysis import RULES_PATH, Analysis, asked_clause, asked_sentence, asked_type_words, load_rules
from anpo.citations import is_upload
from anpo.compose import Draft, _clean, asked_types
from anpo.grounding import Support
from retrieval.textnorm import key_terms, normalize, sentence_spans

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
    """The part's draft (None when the pack does not cover it) and the hits its markers refer to; a yes/no part's
    draft leads with the verdict its own line states (with_verdict)."""
    got, draft, hits = _answer_part(part, first, ground, answer, threshold)
    return got, with_verdict(part, draft, first), hits


def _answer_part(part: Analysis, first: Analysis | None, ground: Ground, answer: Answer,
                 threshold: float) -> tuple[Analysis, Draft | None, Sequence]:
    hits, support = ground(part)
    ok = bool(hits) and bool(support.terms) and support.best >= threshold
    draft = answer(part.topic, hits, support) if ok else None
    if first is None or part is first:
        return part, draft, hits
    if not asked_types(part.question):
        return (part, draft, hits) if draft is not None else _stated_of_subject(part, first, ground, answer, threshold, hits)
    lines = quoted_lines(draft)
    subject = subject_words(part, first)
    gave = bool(lines) and gives_asked(part, lines[0])
    if gave and (not subject or names(lines[0], subject)):
        return part, draft, hits
    # a line giving the type of nothing in particular (「軍事用途に転用される可能性があります」 for 「炭素繊維は…？
    # 軍事だと何に使われる？」) yields to one giving it of the first part's subject
    asked = _asked_of_subject(part, first, ground, answer, threshold)
    if asked is None:
        return part, draft, hits
    again, hits2, draft2 = asked
    lines2 = quoted_lines(draft2)
    if lines2 and gives_asked(part, lines2[0]) and (not gave or names(lines2[0], subject)):
        return again, draft2, hits2
    return part, draft, hits


def _asked_of_subject(part: Analysis, first: Analysis, ground: Ground, answer: Answer,
                      threshold: float) -> tuple[Analysis, Sequence, Draft] | None:
    """The part asked again of the first part's subject (of_subject), with its hits and draft; None when it names no
    subject or the pack does not cover it."""
    again = of_subject(part, first)
    if again is None:
        return None
    hits2, support2 = ground(again)
    if not (hits2 and support2.terms and support2.best >= threshold):
        return None
    return again, hits2, answer(again.topic, hits2, support2)


_LEAD_WORD = re.compile(r"^(?:はい|いいえ|一概には言えません|条件次第です)。|^(?:yes|no|it depends)\.\s*", re.I)


def _stated_of_subject(part: Analysis, first: Analysis, ground: Ground, answer: Answer, threshold: float,
                       hits: Sequence) -> tuple[Analysis, Draft | None, Sequence]:
    """A part asking no answer type that its own words do not find (「あと来てもらうしかないの？」) asked of the first
    part's subject: kept only when one of its sentences states the part's own words (answered_by: 訪問 for 来てもらう),
    that sentence first and without a lead word (the はい/いいえ was chosen for the subject, not for the part)."""
    asked = _asked_of_subject(part, first, ground, answer, threshold)
    if asked is None:
        return part, None, hits
    again, hits2, draft2 = asked
    lines = quoted_lines(draft2)
    line = next((l for l in lines if answered_by(part.question, l, first.question)), None)
    if line is None:
        # a sentence of the passages the draft did not quote (the draft quotes two, chosen for the subject's words)
        found = next(((pos, st, en) for pos, h in enumerate(hits2[:5], 1)
                      if not (h.chunk.suspicious or is_upload(h.chunk))
                      for st, en in sentence_spans(h.chunk.text)
                      if answered_by(part.question, h.chunk.text[st:en], first.question)), None)
        if found is None:
            return part, None, hits
        pos, st, en = found
        return again, Draft(f"{_clean(hits2[pos - 1].chunk.text[st:en])} [{pos}]", {pos: ((st, en),)}), hits2
    text = "\n".join([_LEAD_WORD.sub("", line)] + [l for l in lines if l is not line])
    return again, replace(draft2, text=text), hits2


def subject_words(part: Analysis, first: Analysis) -> list[str]:
    """The first part's topic words (not its aspects) the part's own words do not name."""
    aspects = load_rules().aspects
    own = {g[0] for g in key_terms(part.question)}
    return [g[0] for g in key_terms(first.topic) if g[0] not in own and g[0] not in aspects]


def names(line: str, words: Sequence[str]) -> bool:
    n = normalize(line)
    return any(normalize(w) in n for w in words)


@lru_cache(maxsize=1)
def _answered_rules() -> dict:
    d = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8")).get("part_answered", {})
    return {"stem": re.compile(d.get("stem", "(?!x)x")), "not_stems": frozenset(d.get("not_stems", ())),
            "said_as": tuple((re.compile(r["asked"], re.I), re.compile(r["said"], re.I)) for r in d.get("said_as", ())),
            "examples": tuple(tuple(x) for x in d.get("examples", ())),
            "not_examples": tuple(tuple(x) for x in d.get("not_examples", ()))}


def own_words(part_question: str, first_question: str = "") -> list[tuple[str, ...]]:
    """The part's topic words the first part does not say (the part's own), each with its spellings."""
    theirs = {g[0] for g in key_terms(first_question)} if first_question else set()
    return [g for g in key_terms(asked_clause(part_question)) if g[0] not in theirs]


def stems(part_question: str) -> list[str]:
    """The kanji/katakana runs of the part's asked clause (「前より増えた？」→ 前, 増): what a part with no topic
    words of its own asks, stated."""
    r = _answered_rules()
    return [m.group(0) for m in r["stem"].finditer(normalize(asked_clause(part_question)))
            if m.group(0) not in r["not_stems"]]


def answered_by(part_question: str, line: str, first_question: str = "") -> bool:
    """A cited line answers the part: it gives an answer type the part asks for, or it states the part's own
    words (at least half of them, one at least; a word the pack says otherwise, data/intents.yaml part_answered.said_as:
    来てもらう → 訪問, counts as one, said when the line says it the pack's way), or, when the part has none, every stem
    of its predicate."""
    n = normalize(re.sub(r"\s*\[\d+\]", "", line))
    q = normalize(asked_clause(part_question))
    types = asked_types(part_question)
    if types:
        return any(any(g.search(n) for g in t.gives) for t in types)
    rows = [(asked, said) for asked, said in _answered_rules()["said_as"] if asked.search(q)]
    # the part's own words, each said its own way or the pack's (リモート → ウェブ会議); then the rows its other words
    # ask (数える → 含まれ): one own word at least must be stated (「土日も数える？」 is not answered by a sentence on 補正)
    named = []
    for g in own_words(part_question, first_question):
        row = next((r for r in rows if r[0].search(normalize(g[0]))), None)
        named.append(bool(row and row[1].search(n)) or any(normalize(w) in n for w in g))
    rest = [bool(said.search(n)) for asked, said in rows
            if not any(asked.search(normalize(g[0])) for g in own_words(part_question, first_question))]
    if named and not any(named):
        return False
    if named or rest:
        have = sum(named) + sum(rest)
        return have >= 1 and 2 * have >= len(named) + len(rest)
    st = stems(part_question)
    return bool(st) and all(s in n for s in st)


def asks_yes_no(part: Analysis) -> bool:
    """The part asks はい/いいえ: a yes/no question (or a permission, a premise, an assertion) asking no question word
    (read as compose._choose_lead reads it: 「受験料っていくらだったっけ？」 holds 「っけ？」 but asks an amount) and not for
    a definition or a procedure (「どんなものを指すんですか？」)."""
    from anpo.compose import _word_asked
    asked = asked_sentence(normalize(part.question))
    yes_no = "yesno" in part.intents or part.permission or bool(part.premise) or part.asserting
    wh = load_rules().premise["wh"].search(_word_asked(leads.after_reasons(asked)))
    return yes_no and not wh and not ({"definition", "procedure", "where_to_ask", "violation"} & set(part.intents))


def part_verdict(part: Analysis, line: str, first_question: str = "") -> str:
    """「はい。」/「いいえ。」 when the part's own line states what the part asks or its opposite, else "".
    The line must answer the part (answered_by: it states the part's own words), and the word is read by anpo.leads
    (the predicate echoed, leads.echo_word, or the family's stance, leads.polar_word, both when both read) and checked
    by leads.agrees, the check every lead passes: 「スマホで受けられる？」 ← 「…タブレットやスマートフォンでは受験できません」
    (いいえ), 「前より増えた？」 ← 「…改正前より87団体増えました」 (はい)."""
    if not asks_yes_no(part):
        return ""
    # (the line's marker and the notes the composer adds inside it, 「…増えました（未確認）。」, are no part of what it states)
    bare = re.sub(r"\s*\[\d+\]|（[^）]*）", "", _LEAD_WORD.sub("", line)).strip()
    if not bare or not answered_by(part.question, bare, first_question):
        return ""
    n = normalize(bare)
    if not first_question and not all(any(normalize(w) in n for w in g) for g in own_words(part.question)):
        # the first part (or a part asked alone) names its own subject: its line must name every word of it (「専門家に来て
        # もらうのって有料？」 is no はい from 「CISTECは、…アドバイザーが…支援する有料サービスを提供しています」, which names
        # no 専門家); a later part's subject is the first part's, its line answers it when it states its own words
        return ""
    asked = asked_sentence(normalize(part.question))
    words = [w for g in own_words(part.question, first_question) for w in g[:1]]
    reads = {w for w in (leads.echo_word(asked, bare), leads.polar_word(asked, bare, words)) if w}
    if len(reads) != 1:
        return ""
    word = reads.pop()
    return word if leads.agrees(word, asked, bare, question=normalize(part.question), words=words) else ""


def with_verdict(part: Analysis, draft: Draft | None, first: Analysis | None) -> Draft | None:
    """A yes/no part's draft whose first line leads with no verdict: the verdict its line states (part_verdict), put
    before it — the part's answer is its verdict, cited by the sentence that states it (compose._lead_part_first then
    answers that part first when the first part asks a question word)."""
    if draft is None or not draft.text or _LEAD_WORD.match(draft.text.lstrip()):
        return draft
    lines = draft.text.split("\n")
    at = next((i for i, l in enumerate(lines) if re.search(r"\[\d+\]", l)), None)
    if at != 0:
        return draft
    theirs = first.question if first is not None and first is not part else ""
    word = part_verdict(part, lines[0], theirs)
    if not word:
        return draft
    lines[0] = word + lines[0]
    return replace(draft, text="\n".join(lines), explain=tuple(draft.explain) + (f"part verdict {word} ← {lines[0][:40]}…",))


def verdict_first(parts: Sequence[tuple[Analysis, Draft | None, Sequence]], lines: list[str]) -> tuple[list[str], str]:
    """The joined answer's lines with a yes/no part's verdict first (the answer's first word is the verdict the question
    asks for), and what was done, for --explain.  Only when the first part asks no yes/no itself (「受験料は？スマホで受けら
    れる？」; 「何団体？前より増えた？」): a line leading with a later part's verdict goes first, or else the line that answers a
    later yes/no part (answered_by) and states its verdict (part_verdict) gets it and goes first.  A first part asking
    yes/no keeps its place: its line is the first, and its verdict, if its line states one, goes before it."""
    if not parts or not lines or _LEAD_WORD.match(lines[0]):
        return lines, ""
    cited = [i for i, l in enumerate(lines) if re.search(r"\[\d+\]", l)]
    first = parts[0][0]
    if asks_yes_no(first):
        if not cited or cited[0] != 0:
            return lines, ""
        word = part_verdict(first, lines[0])
        return ([word + lines[0]] + lines[1:], f"verdict {word} (part 1)") if word else (lines, "")
    # (a country asked of the group the first part lists, 「グループAって何カ国？韓国は入ってる？」, reads in the asked order,
    # as in compose._lead_part_first)
    if load_rules().premise["group_asked"].search(normalize(first.question)) and any(p.countries for p, _, _ in parts[1:]):
        return lines, ""
    led = next((i for i in cited if _LEAD_WORD.match(lines[i])), None)
    if led is not None:
        return [lines[led]] + [l for i, l in enumerate(lines) if i != led], "verdict line first"
    for n, (p, _, _) in enumerate(parts[1:], 2):
        for i in cited:
            word = part_verdict(p, lines[i], first.question)
            if word:
                return [word + lines[i]] + [l for j, l in enumerate(lines) if j != i], f"verdict {word} (part {n})"
    return lines, ""
