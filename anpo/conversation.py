"""Conversations in the core: follow-up questions answered in the context of the turns before
them, and the follow-up suggestions drawn from the cited documents.

`Conversation(assistant).ask(question)` reads each turn against what the conversation has
said so far (`interpret`): a follow-up (「じゃあ中国なら？」「それって許可いる？」「北朝鮮向けでも使える？」,
"What about China?") inherits the earlier turns' subject, product, destination, party and
action and is answered as the standalone question it stands for; the answer opens with that
reading (「（少額特例・北朝鮮向けとして回答）」, "(Answered as: …)") and carries the rewritten
question in `Answer.interpreted_as`, while `question` stays the user's words.  A follow-up
whose word points at nothing said (「彼のケースは？」 with no person named, 「あれ」) is answered
by saying so, not by a guess, and so is one after a greeting or an out-of-scope turn.  A turn
with its own subject (or a new deal) starts a new topic and inherits nothing stale.

A follow-up that changes ONE thing is written out by its form (`forms` in the YAML): a
destination, party or product the earlier question lacked, a part of the product, another way
of doing the same thing, another thing no table knows, a sibling term, a property, a case, a
comparison, 「ほかには？」, the same deal with other goods (「炭素繊維の織物も？」).  An aspect
of the earlier subject (「更新ってどのくらいの頻度？」「要件って何？」, `aspect`) is asked about that
subject, which stays the subject for the next turns; another deal told whole (「イランに医療機器を
輸出したい」) starts a new story.  A condition added to a yes/no question (「許可があっても？」) or
another person asked the same way (「じゃあ日本人の社員なら？」) asks that question again, so the
lead is computed for it.  A deal told before an aside (out of scope, or 「そもそも該非判定って何？」)
stays for 「で、結局許可いるの？」.  Only what the turn leaves open is inherited.  The reading is made in
the language it can be made in and the answer is given in the language of the LAST turn.
When the knowledge base cannot answer the shaped reading, plainer faithful readings are tried
before refusing (`Reading.alternatives`).

A follow-up keeps the user's yes/no form, so its lead is computed on what was asked: another
act asked the same way (「返品するのは？」 after 「…持っていくのも輸出？」) keeps the earlier
predicate; a shorter word for a slot (「学生」 after 留学生) is that slot; 「ベラルーシも同じ？」 is
answered by whether this answer's はい/いいえ equals the earlier one's.  A what-if that raises a
red flag is asked with the deal told; a return to a deal told before a side topic (「さっきの
図面の件に戻るけど」) reads against that deal.  The reading note names what was inherited, in
the answer's language.

The cues are data: `data/followups.yaml` (each row's examples run as tests).  The CLI's
`anpo chat` and the app hold one `Conversation` per session.  (The chat screen's display
helpers live in `app_ui.render`.)"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import yaml

from anpo.models import Answer
from retrieval.textnorm import key_terms, normalize
from retrieval.types import Chunk

FOLLOWUPS_PATH = Path(__file__).parent / "data" / "followups.yaml"

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
                out.append(suggestion(per_doc[d].pop(0)))
    return out


def suggestion(topic: str, rules: "FollowupRules | None" = None) -> str:
    """A section title as a question (`suggestion` in data/followups.yaml): 「該非判定とは」 and
    「資料について」 lose their ending (no 「…とはについて」), a title that is a statement
    (「非該当でも自由に輸出できるとは限らない」) is quoted."""
    s = (rules or load_followups()).suggestion
    topic = re.sub(s["strip"], "", topic.strip()).strip() or topic.strip()
    if re.search(s["statement"], topic):
        topic = f"「{topic}」"
    return s["ja"].format(topic=topic)


# ----------------------------------------------------------------- the cues (data)

@dataclass(frozen=True)
class Cue:
    name: str
    pattern: re.Pattern
    needs: str = "any"
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class FollowupRules:
    deictics: tuple[Cue, ...]
    elliptical: tuple[Cue, ...]
    subjects: tuple[Cue, ...]
    filler: re.Pattern
    asks: re.Pattern
    reading: dict
    unlinked: dict
    deal_question: Cue | None = None
    deal: dict = field(default_factory=dict)
    suggestion: dict = field(default_factory=dict)
    forms: dict = field(default_factory=dict)
    out_of_scope: tuple[str, ...] = ()
    same: Cue | None = None
    same_leads: dict = field(default_factory=dict)
    same_says: dict = field(default_factory=dict)
    not_short_for: tuple[str, ...] = ()
    back: Cue | None = None
    switch: Cue | None = None
    aspect: Cue | None = None
    aspect_words: tuple[str, ...] = ()
    aspect_en: dict = field(default_factory=dict)
    people: tuple[str, ...] = ()
    can: dict = field(default_factory=dict)
    first_turn: dict = field(default_factory=dict)
    deal_question_ja: tuple[dict, ...] = ()
    own_acronym: dict = field(default_factory=dict)
    own_term: dict = field(default_factory=dict)
    unanswered_part: re.Pattern = re.compile(r"(?!x)x")   # a question part the sources do not answer
    carry_on: re.Pattern = re.compile(r"(?!x)x")      # 「…ですよね？だとしたら…」: asked on top of the deal told
    finally_: re.Pattern = re.compile(r"(?!x)x")      # 「で、結局許可いるの？」: back to the deal after an aside
    back_lead: re.Pattern = re.compile(r"(?!x)x")     # 「さっきのポンプの件だけど、」: the words naming the deal
    subject_lead: re.Pattern = re.compile(r"(?!x)x")  # 「そもそも」「ちなみに」 before an asked subject
    person_told: re.Pattern = re.compile(r"(?!x)x")   # a person told about ("a Chinese engineer"): 彼/him finds them
    own_deal: dict = field(default_factory=dict)       # a question of another matter, told whole (「知人から北朝鮮に…」)
    person_phrase: dict = field(default_factory=dict)  # the person told's noun phrase, for a pronoun (`person_told`)
    person_dialogues: tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]] = ((), ())
    told_goods: dict = field(default_factory=dict)     # the goods a story ships that no product row reads
    opening: re.Pattern = re.compile(r"(?!x)x")        # "Anyway,", 「で、」: words that open a turn and name nothing
    clause_break: re.Pattern = re.compile(r"(?!x)x")   # where an English turn's clauses part (" — ", "; ", ". ")
    clause_examples: tuple = ()                        # [text, [its clauses]] (tests)
    switch_tail: re.Pattern = re.compile(r"(?!x)x")    # the rest of a switch marker's clause (「…なんだけど、」)
    switch_asks: tuple[tuple[str, str], ...] = ()      # a switching turn → the question it asks (tests)
    pointer_topic: re.Pattern = re.compile(r"(?!x)x")  # 「この機械、」「その部品は」: goods pointed at, opening the turn
    pointer_topic_examples: tuple = ()                 # [turn, the turn without it] (tests)


def _cue(r: dict) -> Cue:
    return Cue(r.get("name", ""), re.compile(r["pattern"], re.I), r.get("needs", "any"),
               tuple(r.get("examples", ())), tuple(r.get("not_examples", ())))


@lru_cache(maxsize=2)
def load_followups(path: Path = FOLLOWUPS_PATH) -> FollowupRules:
    d: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return FollowupRules(
        deictics=tuple(_cue(r) for r in d["deictics"]), elliptical=tuple(_cue(r) for r in d["elliptical"]),
        subjects=tuple(_cue(r) for r in d["subjects"]), filler=re.compile(d["substitution_filler"], re.I),
        asks=re.compile(d["asks"], re.I), reading=d["reading"], unlinked=d["unlinked"],
        deal_question=_cue(d["deal_question"]),
        deal={"sentence": d["deal"], "verbs": d["deal_verbs"], "verb": d["deal_verb"]},
        suggestion=d["suggestion"], forms={f["name"]: _form(f) for f in d["forms"]},
        out_of_scope=tuple(d.get("out_of_scope_marks", ())),
        same=_cue(d["same"]) if d.get("same") else None, same_leads=(d.get("same") or {}).get("leads", {}),
        same_says=(d.get("same") or {}).get("says", {}), not_short_for=tuple(d.get("not_short_for", ())),
        back=_cue(d["back"]) if d.get("back") else None, switch=_switch_cue(d["switch"]) if d.get("switch") else None,
        aspect=_aspect_cue(d["aspect"]) if d.get("aspect") else None,
        aspect_words=tuple((d.get("aspect") or {}).get("words", ())),
        aspect_en=(d.get("aspect") or {}).get("en", {}), people=tuple(d.get("people", ())), can=d.get("can", {}),
        first_turn=d.get("first_turn", {}), deal_question_ja=tuple(d.get("deal_question_ja", ())),
        own_acronym=d.get("own_acronym", {}), own_term=d.get("own_term", {}),
        own_deal=d.get("own_deal") or {"min_words": 10 ** 6}, told_goods=d.get("told_goods", {}),
        person_told=re.compile((d.get("person_told") or {}).get("pattern", "(?!x)x"), re.I),
        person_phrase={k: re.compile(v, re.I) for k, v in (d.get("person_told") or {}).items()
                       if k in ("phrase_left", "phrase_right", "pronoun")},
        person_dialogues=tuple(tuple(tuple(x) for x in (d.get("person_told") or {}).get(k, ())) for k in ("dialogues", "not_dialogues")),
        carry_on=re.compile((d.get("carry_on") or {}).get("pattern", "(?!x)x"), re.I),
        opening=re.compile((d.get("opening_words") or {}).get("pattern", "(?!x)x"), re.I),
        clause_break=re.compile(d["clause_break"]["pattern"]) if d.get("clause_break") else re.compile(r"(?!x)x"),
        clause_examples=tuple((x[0], tuple(x[1])) for x in (d.get("clause_break") or {}).get("examples", ())),
        switch_tail=re.compile((d.get("switch") or {}).get("tail", "(?!x)x"), re.I),
        switch_asks=tuple(tuple(x) for x in (d.get("switch") or {}).get("asks", ())),
        pointer_topic=re.compile((d.get("pointer_topic") or {}).get("pattern", "(?!x)x")),
        pointer_topic_examples=tuple(tuple(x) for x in (d.get("pointer_topic") or {}).get("examples", ())),
        **{k: re.compile(d[y], re.I) for k, y in (("finally_", "finally"), ("back_lead", "back_lead"),
                                                  ("subject_lead", "subject_lead"), ("unanswered_part", "unanswered_part")) if y in d})


def after_switch(text: str, rules: FollowupRules | None = None) -> str:
    """The turn without its switch clause (`switch.tail`: 「あ、それはまた今度でいいや。話変わるけど、
    STCって…」 → 「STCって…」); the turn itself when it has none or nothing follows it."""
    rules = rules or load_followups()
    m = rules.switch.pattern.search(text) if rules.switch else None
    if not m:
        return text
    rest = text[m.end():]
    tail = rules.switch_tail.match(rest)
    rest = rest[tail.end():].strip() if tail else rest.strip()
    if not rest or (not tail and _KANA.match(rest)) or not key_terms(normalize(rest)):
        # 「別件でNACCSの…」: the marker's clause runs on into the question; kept whole
        return text
    return rest[:1].upper() + rest[1:] if rest[:1].isascii() else rest


def _switch_cue(r: dict) -> Cue:
    """The switch row: its `pattern` names the tables as {interjections} and {markers} (a row with
    no tables is its pattern alone)."""
    if "markers" not in r:
        return _cue(r)
    alt = lambda words: "|".join(sorted(words, key=len, reverse=True))        # noqa: E731
    pattern = r["pattern"].replace("{interjections}", alt(map(re.escape, r.get("interjections", ())))) \
        .replace("{markers}", "|".join(f"(?:{m})" for m in r["markers"]))
    return _cue({**r, "pattern": pattern})


def _aspect_cue(r: dict) -> Cue:
    """The aspect row: its `pattern` names the words as {words} (longest first)."""
    words = "|".join(sorted(map(re.escape, r["words"]), key=len, reverse=True))
    return _cue({**r, "pattern": r["pattern"].replace("{words}", words)})


@dataclass(frozen=True)
class Form:
    """One way a follow-up is written out as the full question (`forms` in data/followups.yaml):
    `pattern` finds it in the turn (its named groups fill the templates), `ja`/`en` the full
    question; `dialogues` are the examples that run as tests."""
    name: str
    pattern: re.Pattern | None
    ja: str
    en: str
    dialogues: tuple[dict, ...] = ()
    extra: dict = field(default_factory=dict)


def _form(f: dict) -> Form:
    known = {"name", "pattern", "ja", "en", "dialogues"}
    return Form(f["name"], re.compile(f["pattern"], re.I) if f.get("pattern") else None, f.get("ja", ""),
                f.get("en", ""), tuple(f.get("dialogues", ())), {k: v for k, v in f.items() if k not in known})


# ----------------------------------------------------------------- what a conversation holds

@dataclass(frozen=True)
class Context:
    """What the turns so far leave for the next one."""
    subject: str = ""                                   # the last question's subject (「少額特例」)
    situation: tuple[str, ...] = ()                     # turns that told, not asked (「イランに医療機器を輸出したい」)
    question: str = ""                                  # the last question, as answered
    products: tuple[tuple[str, str], ...] = ()          # (as named, table item)
    countries: tuple[tuple[str, str], ...] = ()         # (as named, table name)
    parties: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    lang: str = "ja"                                    # the last turn's language
    qlang: str = "ja"                                   # the language `question`/`subject` are in
    earlier: tuple[str, ...] = ()                       # the deal told before a new topic, for 「さっきの図面の件に戻るけど…」
    told: tuple[str, str] = ("", "")                    # (question, the sentences it told before asking) when its
                                                        # subject is only a term found in them, not asked about

    @property
    def empty(self) -> bool:
        return not (self.subject or self.situation or self.products or self.countries or self.parties or self.question)

    def has(self, kind: str) -> bool:
        if kind == "party":
            return bool(self.parties)
        if kind == "product":
            return bool(self.products)
        return not self.empty


@dataclass(frozen=True)
class Reading:
    """How one turn is read: `kind` new | followup | substitution | unlinked; `question` the
    standalone question answered; `context` what the conversation holds after this turn."""
    kind: str
    question: str
    context: Context
    cue: str = ""
    lang: str = "ja"                                    # the turn's language: the answer's
    alternatives: tuple[str, ...] = ()                  # other faithful readings, tried in order when
                                                        # the knowledge base cannot answer `question`
    shown_actions: tuple[str, ...] | None = None        # the actions the reading line names (None: the context's)


_CIRCLED = re.compile(r"[\u2460-\u2473]")       # ①…⑳: 特定類型の② is no 2


def _nfkc(text: str) -> str:
    parts = _CIRCLED.split(text)
    marks = _CIRCLED.findall(text)
    out = unicodedata.normalize("NFKC", parts[0])
    for mark, part in zip(marks, parts[1:]):
        out += mark + unicodedata.normalize("NFKC", part)
    return out.strip()


def _slots(text: str, tables) -> Context:
    from anpo.analysis import analyse
    a = analyse(text, tables)
    return Context(products=tuple((p.text, p.item or p.text) for p in a.products),
                   countries=tuple((c.text, c.name or c.text) for c in a.countries),
                   parties=a.parties, actions=a.actions, lang=_turn_language(text, a.language))


def _turn_language(text: str, detected: str) -> str:
    """A short Japanese turn around a Latin acronym (「NACCSは？」「CPって？」) is Japanese: its
    particles say so, whatever share of its letters are Latin; a turn with no Japanese at all is
    English however short ("Why?")."""
    if detected == "en" and _KANA.search(text) and len(_LATIN_WORD.findall(text)) <= 2:
        return "ja"
    if detected == "ja" and _LATIN_WORD.search(text) and not _JA_CHARS.search(text):
        return "en"                  # "Why?", "How?", "Who?": too short for the letter count, but English
    return detected


_KANA = re.compile(r"[\u3040-\u309f]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _first(cues: Sequence[Cue], t: str) -> list[Cue]:
    return [c for c in cues if c.pattern.search(t)]


def _party_words(text: str) -> str:
    """`text` without the words that named a party (「留学生」, "a trainee")."""
    from anpo.analysis import load_rules
    for r in load_rules().parties:
        text = r.pattern.sub(" ", text)
    return re.sub(r"\b(?:a|an)\b", " ", text)


def _only_slots(t: str, own: Context, rules: FollowupRules) -> bool:
    """The turn is nothing but new slot values and cue words (「じゃあ中国なら？」)."""
    if not (own.products or own.countries or own.parties):
        return False
    rest = t
    for surface in [p for p, _ in own.products] + [c for c, _ in own.countries]:
        rest = rest.replace(normalize(surface), " ")
    if own.parties:
        rest = _party_words(rest)
    return not rules.filler.sub("", rest).strip()


def _merge(ctx: Context, own: Context) -> Context:
    """The turn's own slots replace the conversation's of the same kind."""
    return replace(ctx, products=own.products or ctx.products, countries=own.countries or ctx.countries,
                   parties=own.parties or ctx.parties, actions=own.actions or ctx.actions, lang=own.lang)


# ----------------------------------------------------------------- words across the two languages

@lru_cache(maxsize=1)
def _en_terms() -> tuple[tuple[str, str], ...]:
    """The pack's Japanese terms with their first English wording in the synonym table
    (少額特例 → small-value exemption), longest first."""
    from anpo.tables import LEXICON_PATH
    from retrieval.textnorm import SYNONYMS_PATH, read_tsv
    out: dict[str, str] = {}
    for path in (SYNONYMS_PATH, LEXICON_PATH):      # the pack's terms, then the everyday product names
        for row in read_tsv(path):
            if len(row) >= 2 and row[0].strip().isascii() and not row[1].strip().isascii():
                ja = _nfkc(row[1])
                if ja not in out or (path == LEXICON_PATH and len(row[0].strip()) > len(out[ja])) \
                        or (len(out[ja]) <= 3 < len(row[0].strip())):     # "end user list", not "eul"; "internal compliance program", not "cp"
                    out[ja] = row[0].strip()      # the table's first wording; a product's longest ("carbon fiber", not "cfrp")
    return tuple(sorted(out.items(), key=lambda kv: -len(kv[0])))


_JA_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def in_english(term: str) -> str:
    """A Japanese subject in English words, or "" when part of it has none (「少額特例」 →
    "small-value exemption"; 「展示会にサンプルを持っていく」 → "")."""
    t = _OWN.sub("", _nfkc(term))
    if not _JA_CHARS.search(t):
        return t
    for ja, en in _en_terms():
        t = t.replace(ja, f" {en} ")
    words = (load_followups().aspect_en or {}).get("words", {})
    t = re.sub(r"^(.+?)\s*の\s*(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")$",
               lambda m: f"{words[m.group(2)]} of the {m.group(1).strip()}", t.strip()) if words else t   # 少額特例の上限: the limit of …
    t = re.sub(r"\s*(?:の|・)\s*", " ", t).strip()
    return "" if _JA_CHARS.search(t) else re.sub(r"\s+", " ", t)


def in_japanese(term: str) -> str:
    """An English subject in the pack's Japanese words, or "" when part of it has none
    ("the End User List" → 外国ユーザーリスト)."""
    from retrieval.textnorm import canonical_only
    t = _nfkc(term)
    if not re.search(r"[a-zA-Z]", t):
        return t
    t = re.sub(r"\b(?:the|a|an|our|your|this|that)\b", " ", canonical_only(t))
    t = re.sub(r"\s+", "", t)
    return "" if re.search(r"[a-z]", t) else t


@lru_cache(maxsize=1)
def _country_en() -> dict[str, str]:
    from anpo.tables import load_countries
    return {c.ja: c.en for c in load_countries()}


def _slot_word(kind: str, value: tuple[str, str] | str, lang: str) -> str:
    """A slot value as the answer's language names it (中国 → China; 研修生 → trainee)."""
    if kind == "party":
        if lang != "en":
            return str(value)
        from anpo.english import phrases
        return phrases().get("parties", {}).get(value, value)
    surface, name = value
    if lang != "en":
        return name if kind == "country" or _nfkc(surface).isascii() else _nfkc(surface)
    if kind == "country":
        return _country_en().get(name, surface if _nfkc(surface).isascii() else name)
    return _nfkc(surface) if _nfkc(surface).isascii() else (in_english(name) or name)


def _subject_in(subject: str, lang: str) -> str:
    return (in_english(subject) if lang == "en" else in_japanese(subject)) if subject else ""


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def _topic(ctx: Context, lang: str) -> str:
    """The earlier subject in this turn's language, without 「うちの」 or an article (the
    templates add their own)."""
    s = (_subject_in(ctx.subject, lang) or ctx.subject) if lang != ctx.qlang else _strip_own(ctx.subject)
    return _ARTICLE.sub("", s) if lang == "en" else s      # untranslatable: the earlier words (present() fixes the language)


# ----------------------------------------------------------------- reading a turn

def interpret(turn: str, ctx: Context, tables=None, rules: FollowupRules | None = None) -> Reading:
    """How `turn` reads after the conversation `ctx` (pure: no retrieval).  The reading line
    names an action only when it was inherited or the turn's form put it in the question (「直して
    る間」 is no 修理品の返送, 「メールで受け取った注文書」 no 技術の提供)."""
    rules = rules or load_followups()
    back = _back_to(turn, ctx, rules)
    if back is not None:
        ctx = replace(_slots(" ".join(back), tables), situation=back, qlang=ctx.qlang, lang=ctx.lang)
        rest = rules.back_lead.sub("", _nfkc(turn), count=1)          # 「さっきのポンプの件だけど、」 named the deal: the rest asks
        turn = (rest[:1].upper() + rest[1:]) if rest else turn
    r = _interpret(turn, ctx, tables, rules)
    if r.kind != "unlinked" and not r.context.situation and (ctx.situation or ctx.earlier):
        r = replace(r, context=replace(r.context, earlier=ctx.situation or ctx.earlier))   # kept for a return to it
    if r.kind in ("followup", "substitution") and r.cue != "action":
        r = replace(r, shown_actions=tuple(a for a in r.context.actions if a in ctx.actions))
    return r


def _back_to(turn: str, ctx: Context, rules: FollowupRules) -> tuple[str, ...] | None:
    """The deal told before the current topic, when the turn returns to it (`back` in the YAML:
    「さっきの図面の件に戻るけど」 names a word of that deal)."""
    t = normalize(_nfkc(turn))
    if ctx.earlier and rules.deal_question and rules.deal_question.pattern.search(t) and not _first(rules.deictics, t) \
            and (ctx.empty or (not ctx.situation and rules.finally_.search(t))):
        return ctx.earlier             # 「で、結局許可いるの？」 after an aside (out of scope, or 「そもそも該非判定って何？」): the deal
    if not ctx.earlier or ctx.situation or not (rules.back and rules.back.pattern.search(t)):
        return None
    told = normalize(" ".join(ctx.earlier))
    said = [w for g in key_terms(rules.back.pattern.sub(" ", normalize(_nfkc(turn)))) for w in g if len(w) >= 2]
    return ctx.earlier if any(normalize(w) in told for w in said) else None


def _interpret(turn: str, ctx: Context, tables=None, rules: FollowupRules | None = None) -> Reading:
    rules = rules or load_followups()
    text = _nfkc(turn)
    t = normalize(text)
    own = _slots(text, tables)
    asks = bool(rules.asks.search(t))
    subject = _subject(text, rules, own) if asks else ""
    if rules.switch and rules.switch.pattern.search(t) and not ctx.empty:
        # 「ところで、…」: a new topic, nothing inherited; the question asked is what follows the
        # switch clause (「了解。で、全然別の話なんだけど、」 names nothing the sources could answer)
        body = after_switch(text, rules)
        if body == text:
            return replace(_new(text, subject, own, asks), cue="switch")
        own = _slots(body, tables)
        return replace(_new(body, _subject(body, rules, own) if asks else "", own, asks), cue="switch")
    if not ctx.empty and own.lang == "ja" and _numbered(text, ctx, rules):
        return _followup(text, ctx, own, asks, rules, None)      # 「②に該当するのって？」 after 「特定類型①②③…」
    transit = _transit(text, ctx, own, rules)
    if transit:
        return transit                                # 「カザフスタン経由なら？」: the destination stays
    if ctx.situation and not ctx.question and rules.carry_on.search(t) \
            and {n for _, n in own.countries} <= {n for _, n in ctx.countries} \
            and {i for _, i in own.products} <= {i for _, i in ctx.products}:
        # 「タイってグループAには入ってないんですよね？だとしたら追加で何を見ればいいの？」 after the Thai deal
        # told: asked on top of that deal, not a side question about タイ
        return _followup(text, ctx, own, asks, rules, Cue("carry_on", rules.carry_on))
    deictics = [d for d in _first(rules.deictics, t) if not _said_before(t, d, rules)]
    if deictics:
        if any(not (own.has(d.needs) if d.needs != "any" else False) and not _has(ctx, d.needs, rules) for d in deictics):
            return Reading("unlinked", text, ctx, deictics[0].name, own.lang)
        if ctx.empty:
            return _new(text, subject, own, asks)
        if (ctx.question or ctx.situation) and _only_slots(t, own, rules):
            return _substitution(text, ctx, own, asks, rules)      # 「それってベラルーシも同じ扱い？」
        return _followup(text, ctx, own, asks, rules, deictics[0])
    if not ctx.empty and own.lang == "ja" and ctx.qlang == "ja" and _antecedent(text, ctx) \
            and not (own.products or own.countries):
        # 「その特例」 after 「少額特例って…？」: a noun the earlier question said in full points back
        # as 「それ」 does, though no pointer row names that noun
        return _followup(text, ctx, own, asks, rules, Cue("that_noun", _JA_THAT_NOUN))
    aspect = _aspect(text, ctx, own, rules)
    if aspect:
        return aspect                                 # 「更新ってどのくらいの頻度？」: the earlier subject's 更新
    if _other_goods(text, ctx, own, rules) and not _only_slots(t, own, rules):
        return _followup(text, ctx, own, asks, rules, None)     # 「炭素繊維の織物も？」: the same deal, other goods
    if not ctx.empty and own.products and not {i for _, i in own.products} & {i for _, i in ctx.products} \
            and (own.countries or (asks and subject and key_terms(subject))):
        return _new(text, subject, own, asks)        # its own product and destination or subject: a new topic (or deal)
    if _own_deal(t, ctx, own, asks, rules):
        return _new(text, subject, own, asks)        # 「知人から北朝鮮に自転車を送れないかって…ダメですよね？」: a new story
    if not ctx.empty and not asks and own.lang == "ja" and own.countries and _OBJECT.search(t) \
            and not (_first(rules.elliptical, t) or _names_a_slot(own, ctx) or _raises_flag(text)):
        return _new(text, subject, own, asks)        # 「イランに医療機器を輸出したい」: another deal told whole
    if ctx.situation and not ctx.question and set(ctx.parties) & set(rules.people) and subject \
            and _VERB_END.search(subject) and not (own.products or own.countries or own.parties):
        return _followup(text, ctx, own, asks, rules, None)   # 「教えるのも技術の提供？」 after 「研修生を受け入れる予定」
    if ctx.question and own.countries and rules.can and re.search(rules.can["asked"], normalize(ctx.question)) \
            and _only_slots(re.sub(rules.can["turn"], "", t), own, rules):
        return _substitution(text, ctx, own, asks, rules)   # 「中国ならいける？」 after 「ロシアに工作機械を輸出できる？」
    term = _own_term(text, ctx, own, rules) if not ctx.empty else ""
    if term:
        return _new(text, subject or term, own, asks)   # 「申請者届出は誰がやるの？」 after NACCS: its own question
    elliptical = _first(rules.elliptical, t)
    if elliptical and not ctx.empty and own.lang == "ja" and own.countries and not own.products and known_term(text) \
            and {n for _, n in own.countries} <= {n for _, n in ctx.countries} and not _only_slots(t, own, rules) \
            and not (rules.deal_question and rules.deal_question.pattern.search(t)):
        # 「じゃあ台湾向けならキャッチオールの客観要件はかかってくるってこと？」 after the Taiwan deal: the destination
        # named again with a term of the pack asks that term of the destination, whole; the goods told
        # before (no word of this turn) glued in front drew the deal checklist
        return _new(text, subject, own, asks)
    if elliptical and subject and known_term(subject) and not (own.products or own.countries or own.parties) \
            and not _OPENER.match(text):
        return _new(text, subject, own, asks)        # 「少額特例って何？」: a term of its own, not an ellipsis
    if elliptical:
        if ctx.empty:
            if ((own.empty and not (subject and key_terms(subject)) and not known_term(text)
                 and not _own_subject(t, elliptical, rules)) or _only_slots(t, own, rules)):
                return Reading("unlinked", text, ctx, elliptical[0].name, own.lang)
            return _new(text, subject, own, asks)
        if (ctx.question or ctx.situation) and _only_slots(t, own, rules):
            return _substitution(text, ctx, own, asks, rules)
        return _followup(text, ctx, own, asks, rules, elliptical[0])
    deal_asked = bool(rules.deal_question and rules.deal_question.pattern.search(t) and (ctx.situation or ctx.products))
    on_story = bool(ctx.situation and not ctx.question and own.lang == ctx.lang and not (own.products or own.countries or own.parties)
                    and subject and not known_term(subject) and not _other_field(text))
    if ctx.empty or (subject and key_terms(subject) and not deal_asked and not on_story):     # "What is the first thing to check?" asks of the deal
        # after a story told and nothing asked yet, a question whose subject is no term of the pack
        # (「会期が終わったらそのまま持って帰るんで、…関係ないですよね？」「決まった様式ってあるんですか？」)
        # asks about that story, not a topic of its own
        return _new(text, subject, own, asks)
    if (ctx.question or ctx.situation) and _only_slots(t, own, rules):
        return _substitution(text, ctx, own, asks, rules)
    if asks and own.products and not set(i for _, i in own.products) & set(i for _, i in ctx.products):
        return _new(text, subject, own, asks)        # a question about another product: a new topic
    if _own_acronym(text, ctx, rules):
        return _new(text, subject, own, asks)        # 「NACCSは無料？」 after another topic: its own question
    if own.lang == "en" != ctx.qlang and asks and known_term(text) and not _asked_ja(text, rules) \
            and not (rules.deal_question and rules.deal_question.pattern.search(_EN_FOR_IT.sub("", t))):
        return _new(text, subject, own, asks)        # "Is Korea in Group A?" after a Japanese deal: its own question
    if own.lang == "en" == ctx.qlang and asks and not subject and ctx.situation and not ctx.question and not deal_asked \
            and (own.countries or own.products) and known_term(text) and not _first(rules.elliptical, t):
        # "Is India one of the Group A countries?" after "We sell lab equipment to a university in India.":
        # the destination and a term of the pack named whole, as a Japanese subject row would read
        # 「インドってグループAに入ってる？」; the story glued in front drew the deal checklist
        return _new(text, subject, own, asks)
    return _followup(text, ctx, own, asks, rules, None)


_PLACE_POINTER = re.compile(r"(?<!お)(?:あ|そ)こ(?!ろ)|(?:その|あの|この)(?:国|地域)")   # 「あそこって別表第3？」 asks of the place


def told_goods(text: str, rules: FollowupRules | None = None) -> str:
    """The goods a story tells it ships (`told_goods`: the object of 出す/送る/売る…), "" when none."""
    rules = rules or load_followups()
    row = rules.told_goods
    if not row:
        return ""
    for m in re.finditer(row["pattern"], _nfkc(text)):
        goods = m.group("goods")
        if goods not in row.get("not_goods", ()):
            return goods
    return ""


def _other_field(text: str) -> bool:
    """The turn names a neighbouring field's term (消費税, ビザ: data/out_of_scope.tsv): an aside, not
    a question about the story told before it."""
    from anpo.scope import other_field
    return other_field(text, "") is not None


def _has(ctx: Context, kind: str, rules: FollowupRules) -> bool:
    """The conversation has something of `kind` a pointer can find: a person told about in words
    no party row reads (`person_told`: "a Chinese engineer") counts as a party."""
    if ctx.has(kind):
        return True
    told = " ".join(ctx.situation + (ctx.question,))
    if kind == "product":
        # goods told in words no product row reads (「プラスチック原料用の混合機を出す話」, "send a free
        # sample of our sensor to …"): 「あの件」 "the thing" finds them
        return bool(told_goods(told, rules) or told_goods_en(told, rules))
    return kind == "party" and bool(rules.person_told.search(normalize(told)))


def _words(text: str) -> set[str]:
    return {normalize(w) for g in key_terms(normalize(text)) for w in g if len(w) >= 2}


def _own_deal(t: str, ctx: Context, own: Context, asks: bool, rules: FollowupRules) -> bool:
    """A question that names a destination the conversation has not, with words of its own and
    none the conversation used, and no cue that carries on (no pointer, no 「じゃあ」「…なら？」):
    another matter told whole, asked without 「ところで」; nothing before it is its topic."""
    if ctx.empty or not asks or own.lang != "ja" or not own.countries or {n for _, n in own.countries} & {n for _, n in ctx.countries} \
            or _first(rules.elliptical, t) or _first(rules.deictics, t):
        return False
    named = {normalize(x) for pair in own.countries for x in pair}
    mine = {w for w in _words(t) if not any(n in w for n in named)}
    said = _words(" ".join((ctx.question, ctx.subject) + ctx.situation))
    return len(mine) >= rules.own_deal.get("min_words", 2) and not (mine & said)


def _own_acronym(text: str, ctx: Context, rules: FollowupRules) -> bool:
    """The turn asks something of an acronym nothing said before names (`own_acronym`)."""
    f = rules.own_acronym
    m = re.match(f["pattern"], text) if f else None
    said = " ".join((ctx.question, ctx.subject) + ctx.situation).lower()
    return bool(m and m.group("acronym").lower() not in said)


def own_term(text: str, rules: "FollowupRules | None" = None) -> str:
    """The compound noun a wh-question opens with as its topic (`own_term`: 「申請者届出は誰が
    やるの？」 → 申請者届出), "" when there is none or it is (nearly) only aspect words."""
    f = (rules or load_followups()).own_term
    m = re.match(f["pattern"], _nfkc(text)) if f else None
    if not m:
        return ""
    term = m.group("term")
    rest = term
    for w in sorted((rules or load_followups()).aspect_words, key=len, reverse=True):
        rest = rest.replace(w, "")
    return term if len(rest) >= f.get("min_rest", 3) else ""


def _own_term(text: str, ctx: Context, own: Context, rules: FollowupRules) -> str:
    """The turn asks a wh-question of a term nothing said before names (`own_term`)."""
    if own.lang != "ja" or own.products or own.countries or own.parties:
        return ""
    term = own_term(text, rules)
    said = normalize(" ".join((ctx.question, ctx.subject) + ctx.situation + ctx.earlier))
    return term if term and normalize(term) not in said else ""


def _own_subject(t: str, cues: Sequence[Cue], rules: FollowupRules) -> bool:
    """With nothing said before, a bare predicate naming a subject of its own (`first_turn`:
    「輸出申告はどこでするんですか？」) is a whole question; 「輸出できる？」 points at nothing."""
    f = rules.first_turn
    if not f or not cues or any(c.name not in f["cues"] for c in cues):
        return False
    skip = set(rules.aspect_words) | set(f.get("generic", ()))
    words = [w for w in _CONTENT_RUN.findall(t) if len(w) >= 2 and w not in skip]
    return len(words) >= 2 or any(len(w) >= f["min_chars"] for w in words)


_CONTENT_RUN = re.compile(r"[\u3400-\u9fff\u30a0-\u30ffー々a-z0-9]+")


def _transit(text: str, ctx: Context, own: Context, rules: FollowupRules) -> Reading | None:
    """A country the goods would go through (`transit`: 「カザフスタン経由なら？」 "And via
    Kazakhstan?"): the earlier question with that route; its destination stays the destination."""
    f = rules.forms.get("transit")
    m = f.pattern.search(normalize(text)) if f else None
    if not (m and (ctx.question or ctx.situation) and ctx.countries and own.countries and own.lang == ctx.qlang
            and not own.products):
        return None
    via = own.countries[-1]
    if via[1] in {n for _, n in ctx.countries}:
        return None
    rest = _nfkc(text)[m.end():].lstrip("、, ") if own.lang == "ja" else ""
    if not ctx.question or (rules.deal_question and rules.deal_question.pattern.search(normalize(rest))):
        # a deal told, not asked (「ロシアの取引先に交換部品を送ってくれって頼まれてて」): the route asked
        # of that deal; the told destination stays the end of it, the turn's own asking after the route.
        # So too a turn asking a deal question of its own after the route (「北朝鮮向けの話なんだけど、ちょっと
        # 教えて」 + 「間に中国の会社を挟めば輸出できるの？」): the route with that asking, not the earlier question again
        told = _join(list(ctx.situation), own.lang == "en")
        tpl = f.extra.get("ja_told" if own.lang == "ja" else "en_told", "")
        if not tpl:
            return None
        q = tpl.format(destination=_slot_word("country", ctx.countries[0], own.lang), goods=_object(ctx) or f.extra.get("goods", ""),
                       country=_slot_word("country", via, own.lang), story=told,
                       rest=rest if _WORD_CHAR.search(rest) else f.extra.get("rest", ""))
        return Reading("followup", q, replace(ctx, question=q, lang=own.lang, qlang=own.lang), "transit", own.lang,
                       _others(q, _plain_readings(text, ctx, own.lang)))
    tpl = f.en if own.lang == "en" else f.ja
    q = tpl.format(country=_slot_word("country", via, own.lang), question=re.sub(r"[?？.。]+$", "", ctx.question.strip()))
    if own.lang == "ja" and not q.endswith(("?", "？")):
        q += "？"
    return Reading("followup", q, replace(ctx, question=q, lang=own.lang), "transit", own.lang)


def _aspect(text: str, ctx: Context, own: Context, rules: FollowupRules) -> Reading | None:
    """A turn that asks about an aspect of the earlier subject (`aspect` in the YAML: 「更新って
    どのくらいの頻度？」「要件って何？」「手数料っていくら？」) asks about that subject's aspect;
    the subject stays what the conversation is about (a third turn inherits it, not 更新)."""
    body = _OPENER.sub("", text) or text
    if own.products or own.countries or own.parties:
        return None
    if own.lang == "en":
        return _aspect_en(body, ctx, rules)
    m = rules.aspect.pattern.search(normalize(body)) if rules.aspect else None
    subject = _strip_own(ctx.subject)
    if not (m and subject and ctx.qlang == own.lang == "ja" and _JA_CHARS.search(subject)):
        return None
    base = re.sub("の(?:" + "|".join(map(re.escape, rules.aspect_words)) + ")$", "", subject)   # not 「…の有効期間の更新」
    owner = re.match(rf"^([^、。?？]{{2,}}?)の{re.escape(subject)}", _nfkc(ctx.question)) if subject in rules.aspect_words else None
    base = owner.group(1) if owner else base          # 「包括許可の有効期間は？」 left 有効期間 as the subject: 包括許可's
    body = re.sub(r'^(?:その|この|それの|そこの)', '', body)                  # 「その金額って」: 少額特例の金額って
    verb = re.match("(?:" + "|".join(map(re.escape, rules.aspect_words)) + ")する", body)
    q = f"{base}{'を' if verb else 'の'}{body}"                                # 「更新するには」: 包括許可を更新するには
    merged = _merge(ctx, own)
    return Reading("followup", q, replace(merged, question=q, qlang="ja"), "aspect", "ja",
                   _others(q, _plain_readings(body, ctx, "ja")))


def _aspect_en(body: str, ctx: Context, rules: FollowupRules) -> Reading | None:
    """"What's the limit?" after "What is the small-value exemption?": the limit of that
    subject ("What's the limit for the small-value exemption?"); the subject stays."""
    pattern = (rules.aspect_en or {}).get("pattern")
    subject = _topic(ctx, "en") if ctx.subject else ""
    if not (pattern and subject and re.search(pattern, normalize(body), re.I)) or _JA_CHARS.search(subject):
        return None
    q = re.sub(r"[?.\s]+$", "", body) + f" for the {subject}?"
    return Reading("followup", q, replace(ctx, question=q, qlang="en", lang="en"), "aspect", "en",
                   _others(q, _plain_readings(body, ctx, "en")))


def _other_goods(text: str, ctx: Context, own: Context, rules: FollowupRules) -> bool:
    """The turn asks the earlier question (or the deal told) for other goods (`other_product`:
    「炭素繊維の織物も？」「バルブも一緒に送るならどう？」), not for a destination or party."""
    thing = _other_thing(_OPENER.sub("", text) or text, ctx, rules)
    return bool(thing and _goods(ctx) and (ctx.question or ctx.situation) and not own.countries
                and not own.parties and not _is_term(thing))


_EN_GOODS = re.compile(r"\b(?:export|ship|send|sell|supply|deliver|carry|take|bring)(?:ing)? (?:our |some |the |a |an )?"
                       r"(?P<goods>[a-z][a-z\-]*(?: [a-z\-]+){0,2}?) (?:to|for|from|in|abroad|overseas)\b", re.I)


def _goods(ctx: Context) -> str:
    """The goods the earlier turns name: the product, else the object of an English deal verb
    ("export pumps to …": pumps, a thing no table knows)."""
    if ctx.products:
        return ctx.products[0][0]
    if ctx.qlang != "en":                # 「イランに何か送れますか」: 何か stands for the goods
        return next((w for w in load_followups().forms["other_product"].extra.get("anything_ja", ())
                     if w in normalize(ctx.question)), "")
    m = _EN_GOODS.search(ctx.question or " ".join(ctx.situation))
    return m.group("goods") if m else ""


def _swap_word(subject: str, ctx: Context, thing: str) -> str:
    """The subject with the earlier product's word replaced by the other goods (炭素繊維 → アラミド繊維)."""
    old = _word(subject, ctx.products[0][0]) if subject and ctx.products else ""
    return subject.replace(old, thing, 1) if old and old in subject else subject


def _other_thing(body: str, ctx: Context, rules: FollowupRules) -> str:
    """The other goods the turn names (`other_product`: 「アルミ板も？」), or, after a question
    about the product itself (「炭素繊維って規制対象？」「炭素繊維の輸出って…」), a bare 「アラミド繊維は？」
    (`pattern_bare`; not an aspect or a term of the pack: 「費用は？」 asks about the product)."""
    m = _form_match(rules, "other_product", body)
    if m:
        return (m.groupdict().get("thing") or m.group("thing_ja") or "").strip()
    thing = _other_goods_en(body, ctx, rules)
    if thing:
        return thing
    bare = rules.forms["other_product"].extra.get("pattern_bare")
    subject = normalize(_strip_own(ctx.subject))
    words = [w for s, i in ctx.products for w in (normalize(_nfkc(s)), normalize(i))] or \
        [w for w in rules.forms["other_product"].extra.get("anything_ja", ()) if w in normalize(ctx.question)][:1]
    asked_deal = not subject and _yes_no(ctx.question, rules) \
        and any(w in normalize(ctx.question) for w in words)       # 「ロシアに炭素繊維を輸出できる？」→「じゃあ医療機器は？」
    if not (bare and (asked_deal or subject and any(subject.startswith(w) for w in words))):
        return ""
    m = re.search(bare, normalize(body))
    thing = m.group("thing_ja").strip() if m else ""
    if not thing or thing in rules.aspect_words or _is_term(thing) or known_term(thing) == normalize(thing):
        return ""
    return _as_said(thing, body)


def _other_goods_en(body: str, ctx: Context, rules: FollowupRules) -> str:
    """"What about valves?" after a deal with goods (`pattern_bare_en`): the other goods, as
    said; not an aspect ("What about the fee?"), a term of the pack, a destination or a party."""
    f = rules.forms["other_product"].extra
    m = re.search(f.get("pattern_bare_en", "(?!x)x"), normalize(body)) if _goods(ctx) else None
    if not m:
        return ""
    thing = m.group("thing").strip()
    own = _slots(body, None)
    if re.search(f["not_goods_en"], thing) or _is_term(thing) or own.countries or own.parties:
        return ""
    return _as_said(thing, body)


def _said_before(t: str, cue: Cue, rules: FollowupRules | None = None) -> bool:
    """The word points back inside its own turn (「…サンプルを持っていく。これも輸出扱い？」); not
    after words that only open the turn ("Anyway, the thing we talked about": `opening_words`)."""
    m = cue.pattern.search(t)
    before = t[:m.start()] if m else ""
    if rules is not None:
        before = rules.opening.sub("", before, count=1)
    return bool(re.search(r"[。、,.!?！？:;]|\s[-–—]\s", before) and key_terms(before))


@lru_cache(maxsize=1)
def _terms() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The synonym table's Japanese terms and English wordings, longest first."""
    from retrieval.textnorm import SYNONYMS_PATH, read_tsv
    ja, en = set(), set()
    for row in read_tsv(SYNONYMS_PATH):
        if len(row) >= 2:
            for w in (row[0].strip(), row[1].strip()):
                (en if w.isascii() else ja).add(normalize(w))
    return tuple(sorted(ja, key=len, reverse=True)), tuple(sorted(en, key=len, reverse=True))


def answered_term(question: str, answer: str) -> str:
    """The pack's term an answer is about when the question described it in its own words
    (「金額が小さい輸出の特例、あれはどういう仕組み？」 answered of 少額特例): a term of the synonym
    table that ends in a noun the question says (特例), named in at least two of the answer's
    sentences and in none of the question's words.  "" when the question names a term itself."""
    q = normalize(_nfkc(question))
    lines = [normalize(l) for l in answer.splitlines() if l.strip() and not l.startswith(("（", "※", "("))]
    ja, en = _terms()
    if not lines:
        return ""
    best, most = "", 1
    for w in ja:
        if len(w) < 3 or w in q or not _JA_CHARS.search(w):
            continue
        if not any(re.search(r"(?<![\u3400-\u9fff\u30a0-\u30ffー々])" + re.escape(w[-k:]) + r"(?![\u3400-\u9fff\u30a0-\u30ffー々])", q)
                   for k in range(2, len(w)) if _JA_NOUN_TAIL.fullmatch(w[-k:])):
            continue                  # (the noun is that word alone: 「…輸出の特例、」, not 「許可申請」's 許可 nor 「禁輸リスト」's リスト)
        n = sum(w in l for l in lines)
        if n > most:
            best, most = w, n
    if best and any(w in q and not best.endswith(w) and any(w in l for l in lines) for w in ja + en if len(w) >= 3):
        return ""                     # the question names a term the answer speaks of: its own words hold
    return best


_JA_NOUN_TAIL = re.compile(r"[\u3400-\u9fff\u30a0-\u30ffー々]{2,}")


def known_term(text: str) -> str:
    """The longest term of the pack's synonym table in `text` (a subject for a turn that no
    subject row reads: "Our manager mentioned a small-value exemption…")."""
    t = normalize(text)
    ja, en = _terms()
    for w in en if language_of_text(t) == "en" else ja:
        if len(w) >= (4 if w.isascii() else 3) and (re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", t) if w.isascii() else w in t):
            return w
    return ""


def language_of_text(t: str) -> str:
    from anpo.analysis import language_of
    return language_of(t)


def _subject(t: str, rules: FollowupRules, own: Context | None = None) -> str:
    """The phrase the turn asks about (「少額特例って何？」 → 少額特例); rows marked `no_slots`
    do not count when the turn names a product, destination or party of its own (「中国からの
    研修生はどうなる？」 carries the conversation's subject on)."""
    for cue in rules.subjects:
        if cue.needs == "no_slots" and own is not None and (own.products or own.countries or own.parties):
            continue
        m = cue.pattern.search(t)
        if m:
            s = next((v for v in m.groupdict().values() if v), "")
            if normalize(s).strip(" 、,") in _PRONOUNS:
                return ""           # "How long does it take before …": an empty "it" is no subject
            return rules.subject_lead.sub("", s.strip(" 、,")) or s.strip(" 、,")
    return ""




_PRONOUNS = {"it", "that", "this", "they", "them", "there"}


def _new(text: str, subject: str, own: Context, asks: bool) -> Reading:
    slots = own.products or own.countries or own.parties
    term = "" if subject or slots else known_term(text)      # the pack's term names what a slot-less turn is about
    told = not asks and (slots or own.actions or term        # 「こんにちは」 tells nothing
                         or load_followups().person_told.search(normalize(text)))    # 「中国籍の社員を採用しました」
    story = _told_before(text) if asks and term and not subject and own.lang == "ja" else ""
    subject = subject or (term if asks else "")
    ctx = replace(own, subject=subject, situation=(text,) if told else (), question=text if asks else "",
                  qlang=own.lang, told=(text, story) if story else ("", ""))
    return Reading("new", text, ctx, "", own.lang)


def _told_before(text: str) -> str:
    """The sentences a question tells before the one that asks (「用途がよく分からない注文があって、
    経産省に前もって相談したい。」 of 「…。窓口はどこ？」), "" when it is one sentence."""
    from anpo.analysis import asked_sentence
    asked = asked_sentence(text)
    head = text[:text.rfind(asked)].strip() if asked and asked != text and asked in text else ""
    return head if key_terms(head) else ""


def _swap(text: str, old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]],
          whole: bool = False) -> tuple[str, bool]:
    """The earlier turn's words for a slot replaced by this turn's (ロシア → 中国); `whole`: the
    whole word the surface starts (a product: 工作機 of 工作機械 → 測定器, not 測定器械)."""
    if not new or not old:
        return text, False
    for surface, _ in old:
        tail = _WORD_TAIL if whole and _JA_CHARS.search(surface) else ""
        m = re.search(re.escape(_nfkc(surface)) + tail, text, re.I)
        if m:
            word = _nfkc(new[0][0])
            if word.isascii() and _JA_CHARS.search(text):
                word = new[0][1]         # an English name in a Japanese question: the table's name
            elif not word.isascii() and not _JA_CHARS.search(text):
                word = _slot_word("country", new[0], "en")   # a Japanese name in an English question
            return text[:m.start()] + word + text[m.end():], True
    return text, False


def _carried(ctx: Context, own: Context) -> list[str]:
    """The earlier text carried into the new question, with this turn's slots swapped in."""
    out = []
    for s in ctx.situation:
        s, _ = _swap(s, ctx.countries, own.countries)
        s, _ = _swap(s, ctx.products, own.products, whole=True)
        if own.parties and ctx.parties and own.parties[0] not in ctx.parties and ctx.parties[0] in s:
            s = s.replace(ctx.parties[0], own.parties[0], 1)      # 子会社 → 代理店
        out.append(s)
    return out


_OPENER = re.compile(r"^(?:じゃあ|じゃ|では|それなら|だったら|で、|逆に|あと|ちなみに|and |so |then )\s*[、,]?\s*", re.I)
_JA_DEICTIC = re.compile(r"(?:(?<!お)それ|これ|そこ)(?=って|は|を|も|に|の|が)")     # not おそれ
_JA_THAT_NOUN = re.compile(r"(?:その|この|あの)(?!場合|件|とき|時|際|後|前|他|ため|まま)[\u3400-\u9fff\u30a0-\u30ffー]{2,}")


_NOUN_CHAIN = r"(?:[\u3400-\u9fff\u30a0-\u30ffー々A-Za-z0-9]+の)*[\u3400-\u9fff\u30a0-\u30ffー々A-Za-z0-9]*"


def _antecedent(body: str, ctx: Context) -> str:
    """What 「そのN」 points at when the earlier question said N: the noun phrase there that ends
    in N, with its modifiers joined by の (「その改正」 after 「外国ユーザーリストの最新改正の公表日は？」
    is 外国ユーザーリストの最新改正, not the 公表日 the earlier question asked about)."""
    m = _JA_THAT_NOUN.search(body)
    if not m:
        return ""
    noun = re.sub(r"^(?:その|この|あの)", "", m.group(0))
    if ctx.subject.endswith(noun) and ctx.subject != noun and known_term(ctx.subject) == normalize(ctx.subject):
        return ctx.subject            # 「その特例」 after 「金額が小さい輸出の特例…？」 answered of 少額特例 (`answered_term`)
    for said in (ctx.question, ctx.subject):
        said = _nfkc(said)
        hit = re.search(_NOUN_CHAIN + re.escape(noun), said)
        if hit and hit.group(0) != noun:
            return _strip_own(hit.group(0))
    return ""


def _head(subject: str) -> str:
    """The thing a subject names, its last part (「アドバイザー派遣の事例でA社」 → A社)."""
    return re.split(r"[のでにをはが、]", subject)[-1].strip()


_JA_WHEN = re.compile(r"^(?:その|この)(?:とき|時|際)(?:に|は|、)?\s*")
_JA_DEICTIC_TOPIC = re.compile(r"^(?:それ|これ|その件|この件)(?:って|は|も|の場合は?|、|,)\s*")
_EN_PRONOUN = re.compile(r"\b(it|they|them)\b(?!\s+(?:is|was) true)", re.I)
_EN_THAT = re.compile(r"\b((?:does|do|is|can|will|would) )that\b(?!\s+thing)", re.I)
_VERB_END = re.compile(r"[うくぐすつぬぶむる]$")


def _join(parts: Sequence[str], english: bool) -> str:
    out = []
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and not re.search(r"[。.!?！？]$", out[-1]):
            out[-1] = out[-1].rstrip("、,") + ("." if english else "。")      # 「…売れたんだけど、」: no 「、。」
        out.append(p)
    return (" " if english else "").join(out)


_FORM_OPENER = re.compile(r"^(?:what about|how about|and what about|and|so|then)\s+", re.I)


def _form_match(rules: FollowupRules, name: str, text: str) -> re.Match | None:
    f = rules.forms.get(name)
    return f.pattern.search(_FORM_OPENER.sub("", normalize(text))) if f and f.pattern else None


_WORD_TAIL = r"[\u3400-\u9fff\u30a0-\u30ffー々]*"


def _word(text: str, surface: str) -> str:
    """The whole word of `text` that the slot's surface starts (工作機 → 工作機械)."""
    m = re.search(re.escape(_nfkc(surface)) + (_WORD_TAIL if _JA_CHARS.search(surface) else ""), text, re.I)
    return m.group(0) if m else _nfkc(surface)


def _followup(text: str, ctx: Context, own: Context, asks: bool, rules: FollowupRules, cue: Cue | None) -> Reading:
    lang = own.lang
    english = lang == "en"
    body = _OPENER.sub("", text) or text
    merged = _merge(ctx, own)
    after = lambda q: replace(merged, situation=ctx.situation if asks else ctx.situation + (text,),   # noqa: E731
                              question=q if asks else ctx.question, qlang=lang if asks else ctx.qlang)
    alts = _plain_readings(body, ctx, lang)
    numbered = _numbered(body, ctx, rules) if lang == "ja" else ""
    if numbered:
        return Reading("followup", numbered, after(numbered), "numbered", lang, _others(numbered, alts))
    place = _place_pointed(body, ctx, own, rules, lang)
    if place:
        # "Is that destination a UN arms embargo country?" after a buyer told in Kinshasa: asked of
        # the country; the story glued in front (mining, signing on) is the fallback reading
        glued = [_join(list(ctx.situation) + [body], english)] if ctx.situation else []
        return Reading("followup", place, after(place), "place", lang, _others(place, glued + alts))
    for name, form in (("deal_yes_no", _deal_yes_no), ("act_yes_no", _act_yes_no)):
        asked = form(body, ctx, own, rules, lang)
        if asked:
            return Reading("followup", asked, after(asked), name, lang, _others(asked, alts))
    shaped = _shaped(body, ctx, own, merged, rules, lang)
    if shaped:
        name, q = shaped
        now = after(q)
        if name == "other_product":          # the deal is now about the other goods
            thing = _other_thing(body, ctx, rules)
            now = replace(now, products=own.products or ((thing, thing),), subject=_swap_word(ctx.subject, ctx, thing),
                          situation=(q,) if ctx.situation and not ctx.question else now.situation)
        elif name == "sibling":                # the new term is what the conversation is about now
            now = replace(now, subject=_form_match(rules, "sibling", body).group("noun").strip())
        elif name == "other_subject" and lang == "ja":       # and so is the new act
            now = replace(now, subject=_form_match(rules, "other_subject", body).group("act").strip())
        return Reading("followup", q, now, name, lang, _others(q, alts))
    situation = _carried(ctx, own)
    if situation and lang != ctx.qlang and not english:
        situation = []                    # a Japanese turn after an English story: the slots carry it
    subject, _ = _swap(ctx.subject, ctx.countries, own.countries)
    if not (subject or situation) and ctx.question and lang == ctx.qlang and cue and cue.needs == "any" \
            and not (own.products or own.countries or own.parties) and _own_words(body):
        # the earlier question had no subject row's phrase (「許可申請用のNACCS、…何日みとけばいい？」):
        # 「それって…お金は取られる？」 points at the pack's term or acronym it named, not at that
        # question, which glued in front would be asked again as a first part
        subject = _named_term(ctx.question, english)
        merged = replace(merged, subject=subject, actions=()) if subject else merged   # shown as what was answered
    if not situation and lang == ctx.qlang == "ja" and ctx.told[1] and ctx.told[0] == ctx.question \
            and not (own.products or own.countries or own.parties):
        # the subject was only a term in the story told (「…経産省に前もって相談したい。窓口はどこ？」):
        # the follow-up (「相談に行くとき、何をそろえておけばいい？」) is asked after that story, not of the term
        situation, subject = [ctx.told[1]], ""
        merged = replace(merged, subject="")     # nor is the term shown as what was answered
    if subject and lang != ctx.qlang:
        subject = _subject_in(subject, lang) or subject
        if english and subject.isascii():
            subject = "the " + subject          # 少額特例 → "the small-value exemption"
    deal = rules.deal_question.pattern.search(body) if rules.deal_question else None
    if english and not deal and ctx.qlang == "ja" and situation and rules.deal_question:
        deal = rules.deal_question.pattern.search(_EN_FOR_IT.sub("", body))    # "… for that?" after a deal told
    if english and deal and ctx.qlang == "ja" and (situation or merged.products or merged.countries):
        # an English "Do we need a licence?" about a deal told in Japanese: the deal itself,
        # in the pack's words; the answer comes back in English (Conversation.present)
        question = _join((situation or [_deal_sentence(merged, rules, _object(ctx))]) + [_asked_ja(body, rules)], False)
        return Reading("followup", question, after(question), "deal_question", lang, _others(question, alts))
    if not english and not deal:
        body = _specialised(body, ctx, own, rules)      # 「学生なら居住者？」 after 留学生: 「留学生なら居住者？」
    if not english and deal and not situation and (merged.products or merged.countries):
        situation, body, subject = [_deal_sentence(merged, rules, _object(ctx))], body[deal.start():], ""
    elif not english and situation and not deal and _compact(merged) and _own_words(body) and not _raises_flag(body) \
            and not (cue and cue.name == "carry_on"):
        rest = "" if _names_a_slot(own, ctx) else _compact(merged, body)      # 「どっちのコンゴか…」 is about コンゴ
        goods = "" if merged.products or not rest or _PLACE_POINTER.search(body) else told_goods(" ".join(ctx.situation), rules)
        if goods and goods not in body:
            rest = goods + "・" + rest           # 「混合機・ベトナム向けについて、…」: the goods told, though no row reads them
        compact = _slots_told(rest, _no_pointer(body)) if rest else body
        about = [_slots_told(rest, _no_pointer(body), about=True)] if rest else []
        side = known_term(body)
        if not rest or (side and side not in own.parties) or ctx.parties:
            # a side question naming a term of the pack (少額特例, 外国ユーザーリスト), a slot, or asked
            # of the people told about (「研修生」): the slots carry the deal.  Not a party the turn
            # brings in (「うちが100%出資してる現地法人向けだったら？」「代理店経由なら？」 after 「…禁止って
            # 聞きました」): the story told, whose claim the slots lose, is asked again for that party
            situation, body = [], compact
            alts = about + alts
            ctx = replace(ctx, products=())      # named in the compact words already
        else:
            # a turn naming none (「会期が終わればすぐ戻すけど、それでも手続きって必要？」 after the fair
            # told; 「彼に図面を見せても大丈夫？」 after 「ベトナム人のスタッフ」) asks about what the story
            # told, which the slots (中国向け) lose; the slots alone are the plainer reading
            alts = [compact] + about + alts
    elif not english and not situation and not subject and _compact(merged, body) and _own_words(body) \
            and not (own.products or own.countries or own.parties):
        alts = [_slots_told(_compact(merged, body), _no_pointer(body), about=True)] + alts
        body = _slots_told(_compact(merged, body), _no_pointer(body))     # the compact words stand for 「それ、」
    t = normalize(body)
    if subject and normalize(subject) not in t:
        head = _ARTICLE.sub("", subject).split()[-1:] if english else []
        that = re.compile(rf"\b(?:that|this|the same) {re.escape(head[0])}\b", re.I) if head else None
        if english and that and that.search(body):
            body = that.sub("the " + _ARTICLE.sub("", subject), body, count=1)
        elif english:
            if not situation and _pronoun_for(subject, body):
                m = _pronoun_for(subject, body)
                body = body[:m.start()] + subject + body[m.end():]
            elif not situation and _EN_THAT.search(body):
                body = _EN_THAT.sub(lambda m: m.group(1) + "the " + _ARTICLE.sub("", subject), body, count=1)
            else:
                body = f"About {subject}: {body}"
        elif _antecedent(body, ctx):
            m = _JA_THAT_NOUN.search(body)       # 「その改正で…」 → 「外国ユーザーリストの最新改正で…」
            body = body[:m.start()] + _antecedent(body, ctx) + body[m.end():]
        elif _JA_THAT_NOUN.search(body) and _head(subject):
            body = _JA_THAT_NOUN.sub(_head(subject), body, count=1)     # 「その部品メーカー」 → A社
            body = subject + "は、" + body if normalize(subject) not in normalize(body) else body
        elif _JA_WHEN.search(body):
            body = _JA_WHEN.sub(subject + "の際、", body, count=1)
        elif _JA_DEICTIC_TOPIC.search(body):
            body = _JA_DEICTIC_TOPIC.sub(subject + "は", body, count=1)
        elif _JA_DEICTIC.search(body):
            body = _JA_DEICTIC.sub(subject, body, count=1)
        else:
            body = subject + ("場合、" if _VERB_END.search(subject) else "は、") + body
        body = _unnamed_slots(ctx, own, " ".join(situation) + subject + body, lang) + body
    elif not subject and not situation and ctx.products and not own.products and _JA_DEICTIC.search(body):
        body = _JA_DEICTIC.sub(_nfkc(ctx.products[0][0]), body, count=1)
    elif english and not subject and not situation and ctx.products and not own.products and _EN_PRONOUN.search(body):
        body = _EN_PRONOUN.sub(_slot_word("product", ctx.products[0], "en"), body, count=1)
    if not (subject or situation or merged.products or merged.countries or merged.parties) and ctx.question:
        situation = [ctx.question]          # nothing but the last question to go on: asked together
    if situation and not english:
        body = _no_pointer(body)           # the story told stands for 「それって」
    clause = _asked_of_goods(body, ctx, own, rules) if english and situation and not subject else ""
    if clause:
        # "We won't charge them anything — is sending it still treated as exporting goods?" after a
        # story that ships goods: the asked clause, its "it" the goods told, is the question; the story
        # glued in front (its words drew "free of charge" passages) is the plainer reading
        alts = [_join(situation + [body], english)] + alts
        question = clause[:1].upper() + clause[1:]
        return Reading("followup", question, after(question), cue.name if cue else "", lang, _others(question, alts))
    m = _form_match(rules, "case", body) if english and situation else None
    if m and m.group("case_en"):           # "We want to sell … to Malaysia." + "And if the customer is military?"
        case = m.group("case_en").strip()
        body = _told_case(case[:1].lower() + case[1:], rules) or body
    if english:
        body = body[:1].upper() + body[1:]       # "So we're not allowed …?" read as "We're not allowed …?", not "we're"
    if english and situation and not subject:
        alone = _person_alone(body, " ".join(situation), rules)
        if alone:
            # "Would showing him …?" after a visitor told with the length of his stay and his employer: the
            # story glued in front drowns the asked words; the turn with "him" named is the fallback
            alts = list(alts) + [alone]
    question = _join(situation + [body], english)
    return Reading("followup", question, after(question), cue.name if cue else "", lang, _others(question, alts))


def _person_alone(body: str, story: str, rules: FollowupRules) -> str:
    """The English turn with its pronoun (him, he …) replaced by the noun phrase of the person the
    story told (`person_told`: "a visiting researcher from a foreign university"), "" when either is
    missing."""
    f = rules.person_phrase
    p = f.get("pronoun").search(body) if f.get("pronoun") else None
    found = [x for x in rules.person_told.finditer(story) if x.group(0).isascii()]
    if not (p and found and f.get("phrase_left") and f.get("phrase_right")):
        return ""
    start, end = found[0].span()
    for x in found[1:]:                 # "a guest engineer": the person words in a row are one phrase
        if x.start() - end > 1:
            break
        end = x.end()
    left = f["phrase_left"].search(story[:start])
    right = f["phrase_right"].match(story[end:])
    phrase = story[left.start() if left else start:end + (right.end() if right else 0)].strip()
    phrase = phrase[:1].lower() + phrase[1:] if phrase[:2] not in ("I ",) else phrase
    q = body[:p.start()] + phrase + body[p.end():]
    return q[:1].upper() + q[1:]


def _place_pointed(body: str, ctx: Context, own: Context, rules: FollowupRules, lang: str) -> str:
    """The turn with its pointer at the destination (`place` form: "that destination", "that" of
    "be one of the countries …", 「その国」) replaced by the one country the conversation named;
    "" when the turn names a country of its own or the conversation named none or several."""
    f = rules.forms.get("place")
    m = f.pattern.search(body) if f and f.pattern else None
    if not m or own.countries or len({n for _, n in ctx.countries}) != 1:
        return ""
    q = body[:m.start()] + _slot_word("country", ctx.countries[0], lang) + body[m.end():]
    return q[:1].upper() + q[1:] if lang == "en" else q


def clauses(text: str, rules: FollowupRules | None = None) -> list[str]:
    """An English turn cut at its clause breaks (`clause_break`: " — ", "; ", ": ", after ". "/"! "):
    "We won't charge them anything — is sending it still exporting?" → its told part, its asked clause."""
    rules = rules or load_followups()
    return [p for p in rules.clause_break.split(text.strip()) if p.strip()]


def told_goods_en(story: str, rules: FollowupRules | None = None) -> str:
    """The goods an English story ships ("send a free sample of our sensor to …" → "the free sample
    of our sensor"), "" when it names none (`told_goods.pattern_en`)."""
    rules = rules or load_followups()
    m = re.search(rules.told_goods.get("pattern_en", "(?!x)x"), normalize(_nfkc(story)))
    if not m:
        return ""
    goods = re.sub(r"^(?:a|an|some|the)\s+", "", m.group("goods"))
    return goods if goods.startswith("our ") else "the " + goods


def _asked_of_goods(body: str, ctx: Context, own: Context, rules: FollowupRules) -> str:
    """The asked clause of an English follow-up whose "it"/"them" stands for the goods an English
    story told, with the goods written in; what the turn said before that clause stays in front
    only when it names a term of the pack. "" when the turn is no such follow-up."""
    if ctx.question or ctx.qlang != "en" or own.products or own.countries or own.parties:
        return ""
    goods = told_goods_en(" ".join(ctx.situation), rules)
    parts = clauses(body, rules)
    if not goods or not parts or "?" not in parts[-1]:
        return ""
    clause, before = parts[-1].strip(), " ".join(parts[:-1]).strip()
    m = re.search(r"\b(?:it|them)\b(?!')(?!\s+(?:is|was|are|were|will|would|can|could|should|must|may|might|has|have|had|does|do|did|"
                  r"goes|stays|gets|needs|counts|leaves|arrives|comes|takes|costs|'s)\b)", clause, re.I)   # the object, not "if it is …"
    if not m or re.match(r"(?:[a-z']+\s+)?(?:it|them)\b", clause, re.I):
        return ""                   # "Is it …?", "Does it …?": the subject pointer, read by the other forms
    clause = clause[:m.start()] + goods + clause[m.end():]
    return _join([before, clause], True) if before and known_term(before) else clause


def _pronoun_for(subject: str, body: str) -> re.Match | None:
    """The English pronoun of the turn that can stand for `subject`: "it" for any, "they"/"them"
    only for a plural one ("Do they cover 3D printers?" after "the catch-all controls"); "the
    additional documents they ask for" after "the standard processing time" is the ministry asking,
    not the time (it was rewritten "…documents processing time ask for")."""
    last = (_ARTICLE.sub("", subject).split() or [""])[-1].lower()
    plural = bool(re.search(r"[^s]s$", last)) or last in _EN_PLURALS
    for m in _EN_PRONOUN.finditer(body):
        if m.group(1).lower() == "it" or plural:
            return m
    return None


_EN_PLURALS = {"data", "goods", "people", "staff", "criteria"}


_EN_FOR_IT = re.compile(r"\s*\b(?:for|with|on) (?:it|that|this|them)\b", re.I)


def _deal_yes_no(body: str, ctx: Context, own: Context, rules: FollowupRules, lang: str) -> str:
    """A yes/no about the deal told (`deal_yes_no`: 「それって禁止されてますか？」 "Is that export
    banned?" after goods and a destination): the deal asked as its own question, "" otherwise."""
    f = rules.forms.get("deal_yes_no")
    if not (f and f.pattern and ctx.products and ctx.countries) or own.products or own.countries or own.parties:
        return ""
    m = f.pattern.search(normalize(body))
    if not m:
        return ""
    product, country = ctx.products[0], ctx.countries[0]
    if lang == "en":
        pred = m.group("pred_en")
        return f.en.format(product=_slot_word("product", product, "en"), country=_slot_word("country", country, "en"),
                           pred=pred) if pred else ""
    pred = m.group("pred")
    if not pred:
        return ""
    pred = _as_said(re.sub(r"[?？]+$", "", pred), body)
    told = _nfkc(" ".join(ctx.situation) or ctx.question)
    return f.ja.format(product=_word(told, product[0]), country=_nfkc(country[1]), pred=pred)      # 工作機 → 工作機械


_NOT_ACTS = {"a", "an", "the", "not", "is", "are", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did",
             "also", "already", "just", "still", "now", "currently", "recently"}


def _gerund(verb: str, double: Sequence[str]) -> str:
    """send → sending, take → taking, ship → shipping, carry → carrying (English, regular)."""
    v = verb.lower()
    if v.endswith("ing"):
        return v
    if v.endswith("ies"):
        v = v[:-3] + "y"                                  # carries → carry
    elif v.endswith(("ches", "shes", "sses", "xes", "zes")):
        v = v[:-2]                                        # teaches → teach
    elif v.endswith("s") and not v.endswith("ss"):
        v = v[:-1]                                        # emails → email
    if v in double:
        return v + v[-1] + "ing"
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")) and len(v) > 2:
        return v[:-1] + "ing"
    return v + "ing"


def _act_yes_no(body: str, ctx: Context, own: Context, rules: FollowupRules, lang: str) -> str:
    """A yes/no about the act told in English (`act_yes_no`: "Does that count as providing
    technology?" after "We plan to send drawings to …"): the act as a gerund put for the pointer,
    "" when the turn or the story is not of that shape."""
    f = rules.forms.get("act_yes_no")
    if not (f and f.pattern and lang == "en" == ctx.qlang and ctx.situation and not ctx.question) \
            or own.products or own.countries or own.parties:
        return ""
    m = f.pattern.search(body.strip())
    told = re.search(f.extra.get("told", "(?!x)x"), ctx.situation[-1].strip(), re.I)
    if not (m and told) or told.group("verb").lower() in _NOT_ACTS:
        return ""
    act = _gerund(told.group("verb"), f.extra.get("double", ())) + told.group("rest")
    aux = m.group("aux")
    return f.en.format(aux=aux[:1].upper() + aux[1:], act=act, rest=m.group("rest").strip())


def _asked_ja(body: str, rules: FollowupRules) -> str:
    """An English deal question in the pack's words (`deal_question_ja`: "Do we need a licence?"
    → 許可は必要ですか？), asked after the deal told in Japanese; "" when no row reads it."""
    t = normalize(body)
    return next((r["ja"] for r in rules.deal_question_ja if re.search(r["pattern"], t, re.I)), "")


def _no_pointer(body: str) -> str:
    """The turn without its opening 「それって」「これは」 once what it points at is written out in
    front of it (「ベラルーシに炭素繊維を送りたい。それって許可取ればいける?」 led はい on the ban
    sentence; without the pointer, いいえ)."""
    rest = _JA_DEICTIC_TOPIC.sub("", body, count=1)
    if rest == body:
        rest = load_followups().pointer_topic.sub("", body, count=1)   # 「この機械、」 (`pointer_topic`)
    return rest if rest != body and key_terms(rest) else body


def _plain_readings(body: str, ctx: Context, lang: str) -> list[str]:
    """The plainest readings of a follow-up, for when the shaped one finds nothing: the story
    told with the turn after it, the last question with the turn after it, the subject with it."""
    english = lang == "en"
    out = []
    if ctx.situation:
        out.append(_join(list(ctx.situation) + [body], english))
        term = _story_term(ctx, body, lang)
        if term:
            # the pack's term the story named (「社長から該非判定書にハンコ押せって…」): asked of it, the
            # story's other words (ハンコ, 社長) left out, when the story glued in front finds nothing
            out.append(f"{term}について、{_no_pointer(body)}")
    if ctx.question and lang == ctx.qlang:
        out.append(_join([ctx.question, body], english))
    if ctx.subject and lang == ctx.qlang and normalize(ctx.subject) not in normalize(body):
        out.append(f"About {ctx.subject}: {body}" if english else f"{_strip_own(ctx.subject)}について、{body}")
    return out


def _story_term(ctx: Context, body: str, lang: str) -> str:
    """The pack's term a Japanese story told (no question asked yet) names, as the whole word said
    (該非判定 → 該非判定書), "" when it names none, the turn names it already or the story named a
    product or destination (the compact slots carry those)."""
    if lang != "ja" or ctx.qlang != "ja" or ctx.question or ctx.products or ctx.countries:
        return ""
    story = _nfkc(" ".join(ctx.situation))
    term = known_term(story)
    if not term or not _JA_CHARS.search(term):
        return ""
    word = _word(story, term)
    return "" if normalize(term) in normalize(body) else word


def _others(question: str, alts: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a for a in alts if a and a != question))


def _unnamed_slots(ctx: Context, own: Context, said: str, lang: str) -> str:
    """The conversation's party, destination and product that the rewritten question does not
    name yet, as a lead-in (「留学生の場合、」): a third turn inherits from both turns before it."""
    said_n = normalize(said)
    words = [_slot_word("party", p, lang) for p in ctx.parties if p not in own.parties]
    words += [_slot_word("country", c, lang) + ("" if lang == "en" else "向け") for c in ctx.countries
              if not own.countries and normalize(c[1]) not in said_n and normalize(c[0]) not in said_n]
    words += [_slot_word("product", p, lang) for p in ctx.products
              if not own.products and normalize(p[1]) not in said_n and normalize(p[0]) not in said_n]
    words = [w for w in words if normalize(w) not in said_n]
    if not words:
        return ""
    return f"For {', '.join(words)}: " if lang == "en" else "・".join(words) + "の場合、"


def _shaped(body: str, ctx: Context, own: Context, merged: Context, rules: FollowupRules,
            lang: str) -> tuple[str, str] | None:
    """A follow-up that changes one thing of the earlier question, written out by its form
    (data/followups.yaml `forms`): a part of the product, another way of doing the same
    thing, a property of the topic, 「ほかには？」."""
    subset = _subset(body, ctx, rules, lang) if lang == ctx.qlang else ""
    if subset:
        return "subset", subset
    member = _member_en(body, ctx, rules) if lang == "en" == ctx.qlang else ""
    if member:
        return "member", member
    count = _count_en(body, ctx, rules) if lang == "en" == ctx.qlang else ""
    if count:
        return "count", count
    thing = _other_thing(body, ctx, rules)
    if thing and _goods(ctx) and (ctx.question or ctx.situation) and lang == ctx.qlang and not own.parties and not own.countries:
        base = ctx.question or _join(list(ctx.situation), lang == "en")
        old = _word(base, _goods(ctx)) if ctx.products or lang == "en" else _goods(ctx)
        if thing and old in base:
            after = base[base.index(old) + len(old):][:1]
            new = thing + ("を" if not ctx.products and lang == "ja" and after not in "をはもが" else "")
            return "other_product", base.replace(old, new, 1)
    if thing and lang == "en" != ctx.qlang and ctx.countries and not own.parties and not own.countries:
        tpl = rules.forms["other_product"].extra.get("en_deal", "")      # a Japanese deal, English goods
        return ("other_product", tpl.format(thing=thing, country=_slot_word("country", ctx.countries[0], "en"))) if tpl else None
    if own.countries or (own.products and not {i for _, i in own.products} <= {i for _, i in ctx.products}):
        return None
    act = _other_act_en(body, ctx, rules) if lang == "en" == ctx.qlang else ""
    if act:
        return "other_subject", act
    m = _form_match(rules, "other_subject", body)
    if m and lang == "ja" == ctx.qlang and _same_verb(m.group("act"), ctx.subject) and _condition(body, ctx, rules):
        return "condition", _condition(body, ctx, rules)        # 「サンプルとして無償で送る場合は？」: the same act, another way
    if m and lang == "ja" == ctx.qlang and _VERB_END.search(ctx.subject) and ctx.subject in ctx.question \
            and normalize(m.group("act")) != normalize(ctx.subject):
        return "other_subject", ctx.question.replace(ctx.subject, _as_said(m.group("act").strip(), body), 1)
    who = re.search(rules.forms["case"].extra.get("for_party_en", "(?!x)x"), normalize(body), re.I) \
        if lang == "en" == ctx.qlang and ctx.question else None
    if who:                              # "What about the company?": the last question for it, not a sibling term
        return "case", f"{re.sub(r'[?.]+$', '', ctx.question.strip())} for {_as_said(who.group('who'), body)}?"
    m = _form_match(rules, "sibling", body)
    asked = _asked_about(ctx, rules, lang) if m and ctx.question and lang == ctx.qlang else ""
    if asked and normalize(m.group("noun")) not in normalize(asked) and _names_term(m.group("noun"), body, rules):
        noun = _as_said(m.group("noun").strip(), body)          # NACCS, not naccs
        return "sibling", re.sub(r"(?:\b(?:an?|the) )?" + re.escape(asked), lambda _: noun, ctx.question, count=1, flags=re.I)
    m = _form_match(rules, "part", body)
    if m and ctx.products and (ctx.situation or ctx.question):
        f = rules.forms["part"]
        part = m.group("part")
        base = _join(list(ctx.situation), lang == "en") if ctx.situation else ctx.question
        if lang != ctx.qlang:
            return None
        old = _word(base, ctx.products[0][0])
        new = (f.ja if lang == "ja" else f.en).format(product=old, part=part)
        return "part", base.replace(old, new, 1) if old in base else f"{new}: {base}"
    m = _form_match(rules, "action", body)
    obj = _object(ctx)
    if m and obj and lang == "ja" and not own.parties:
        f = rules.forms["action"]
        phrase = m.group("phrase").strip()
        way = next((w["ja"] for w in f.extra.get("ways", ()) if re.search(w["pattern"], phrase)), "")
        if way:
            phrase = way + ("だけ" if "だけ" in phrase else "")
        if phrase.endswith("だけ"):
            phrase += "の"
        story = " ".join(ctx.situation + (ctx.question, ctx.subject))
        category = next(c["ja"] for c in f.extra["categories"] if re.search(c["pattern"], story + " " + phrase))
        place = _place(ctx)
        return "action", f.ja.format(place=place, object=obj, phrase=phrase, category=category)
    who = _other_person(body, ctx, rules) if lang == "ja" == ctx.qlang else ""
    if who:
        return "other_person", who
    cond = _condition(body, ctx, rules) if lang == "ja" == ctx.qlang and not set(own.parties) - set(ctx.parties) else ""
    if cond:
        return "condition", cond
    subject = _topic(ctx, lang)
    if not subject and not (lang == "en" == ctx.qlang and ctx.question):
        return None
    for name in ("compare", "property", "case", "other") if subject else ("case",):
        m = _form_match(rules, name, body)
        if m:
            f = rules.forms[name]
            vals = {k: _as_said((v or "").strip(), body) for k, v in m.groupdict().items()}     # Japan, not japan
            if vals.get("case_en"):
                vals["case_en"] = vals["case_en"][:1].lower() + vals["case_en"][1:]     # "… to Belarus even with …"
            if name == "other" and not vals.get("rest"):
                vals["rest"] = f.extra["default_" + lang]
            tpl = f.ja if lang == "ja" else f.en
            if name == "property" and lang == "ja" and vals.get("noun") in f.extra.get("predicates", ()):
                tpl = f.extra["ja_predicate"]          # 「それって有料？」: a yes/no about the topic, not its 有料
            if lang == "en" and vals.get("case_en") and ctx.question and not ctx.question.rstrip().endswith("?"):
                # a told situation ("We want to sell … to Malaysia."), not a question: the case is asked after it
                tpl = "{question}. " + _told_case(vals["case_en"], rules).replace("{", "{{").replace("}", "}}")
            if not tpl or (lang == "en" and not ctx.question) or (lang == "en" and lang != ctx.qlang and "{question}" in tpl):
                return None
            q = tpl.format(subject=subject, question=re.sub(r"[?？.。]+$", "", ctx.question), **vals)
            return name, _unnamed_slots(ctx, own, q, lang) + q
    return None


_IF_CASE = re.compile(r"(?:if|when|once)\b")


_EVEN_CASE = re.compile(r"(?:even|only|just)\b")


def _told_case(case_en: str, rules: FollowupRules) -> str:
    """A case fragment ("if the customer is military", "for a university") asked after a told
    situation, as its own English question ("What if the customer is military?")."""
    f = rules.forms.get("case")
    kind = "en_told_if" if _IF_CASE.match(case_en) else "en_told_even" if _EVEN_CASE.match(case_en) else "en_told"
    tpl = f.extra.get(kind, "") if f else ""
    return tpl.format(case_en=case_en) if tpl else ""


def _subset(body: str, ctx: Context, rules: FollowupRules, lang: str) -> str:
    """「そのうち直近で追加された国は？」 after 「輸出令別表第3の2の構成国・地域を確認したい。」: asked
    within the list the earlier turn asked for (`subset`: 「輸出令別表第3の2の構成国・地域のうち、…」),
    not that turn glued in front.  "" when the turn does not open so or the earlier turn names no list."""
    f = rules.forms.get("subset")
    m = f.pattern.search(_FORM_OPENER.sub("", _nfkc(body))) if f and f.pattern else None
    earlier = ctx.question or (ctx.situation[-1] if ctx.situation else "")
    if not m or not earlier:
        return ""
    rest = m.group("rest").strip()
    if lang == "en":
        q = re.search(f.extra["list_en"], earlier.strip(), re.I)
        return f.en.format(things=q.group("things"), rest=q.group("rest"), rest_q=rest[:1].lower() + rest[1:]) if q else ""
    q = re.search(f.extra["list_ja"], _OPENER.sub("", _nfkc(earlier)))
    return f.ja.format(list=q.group("list").strip(), rest=rest) if q else ""


def _numbered(body: str, ctx: Context, rules: FollowupRules) -> str:
    """「②に該当するのって？」 after 「特定類型①②③の中身を…」: the numbered item of the noun the
    earlier turns numbered (`numbered`: 「特定類型の②に該当するのって？」).  "" when the turn opens
    with no circled number or nothing before numbered a noun."""
    f = rules.forms.get("numbered")
    m = f.pattern.search(_FORM_OPENER.sub("", _nfkc(body))) if f and f.pattern else None
    if not m:
        return ""
    for earlier in (ctx.question, *reversed(ctx.situation)):
        q = re.search(f.extra["list_ja"], _nfkc(earlier or ""))
        if q:
            return f.ja.format(list=q.group("list"), mark=m.group("mark"), rest=m.group("rest").strip())
    return ""


def _member_en(body: str, ctx: Context, rules: FollowupRules) -> str:
    """"Is South Korea one of them?" after "Which countries are in Group A?": whether that one
    has the property asked about ("Is South Korea in Group A?"), a yes/no question."""
    f = rules.forms.get("member")
    m = f.pattern.search(_FORM_OPENER.sub("", normalize(body))) if f and f.pattern else None
    q = re.search(f.extra["asked"], ctx.question.strip(), re.I) if m else None
    if not q:
        return ""
    x = _as_said(m.group("x").strip(), body)
    aux = "Are" if re.search(r"\band\b|,", x) else "Is"
    return f.en.format(aux=aux, x=x, pred=q.group("pred").strip())


def _count_en(body: str, ctx: Context, rules: FollowupRules) -> str:
    """"How many are there?" after "Which countries are in Group A?": "How many countries are in
    Group A?" (`count`), not the two questions glued."""
    f = rules.forms.get("count")
    m = f.pattern.search(normalize(body)) if f and f.pattern else None
    q = re.search(f.extra["asked_en"], ctx.question.strip(), re.I) if m else None
    if q:
        return f.en.format(things=q.group("things"), rest=q.group("rest"))
    q = re.search(f.extra.get("asked_en_what", "(?!x)x"), ctx.question.strip(), re.I) if m else None
    return f.extra["en_what"].format(things=q.group("things")) if q else ""


def _other_person(body: str, ctx: Context, rules: FollowupRules) -> str:
    """「じゃあ日本人の社員なら？」 after 「留学生に技術を教えるのってみなし輸出になる？」: the same
    question about that person (`people` in the YAML), the earlier person's word replaced."""
    people = "|".join(map(re.escape, sorted(rules.people, key=len, reverse=True)))
    m = re.match(rf"^(?P<who>[^、。?？]{{0,12}}?(?:{people}))(?:なら|だったら|の場合は?|は|も|でも)(?:どう)?[?？]*$", _nfkc(body))
    old = next((p for p in ctx.parties if p in rules.people and p in ctx.question), "")
    if not (m and old) or m.group("who") == old:
        return ""
    return ctx.question.replace(old, m.group("who"), 1)


_VERB_TAIL = re.compile(r"[\u3400-\u9fff]+(?:する|[うくぐすつぬぶむる])$")


def _yes_no(question: str, rules: FollowupRules) -> bool:
    """The question asks yes or no (a deal question, or `condition` yes_no without a wh word)."""
    f, q = rules.forms["condition"].extra, normalize(question).rstrip("。.")
    q = q if q.endswith(("?", "？")) else q + "?"          # 「イランに何か送れますか」 asks without a mark
    return bool(question and (rules.deal_question and rules.deal_question.pattern.search(q)
                              or re.search(f["yes_no"], q) and not re.search(f["wh"], question)))


def _same_verb(act: str, subject: str) -> bool:
    """Two acts end on the same verb (「…無償で送る」「韓国に炭素繊維を送る」)."""
    a, b = _VERB_TAIL.search(normalize(act).strip()), _VERB_TAIL.search(normalize(subject).strip())
    n = 3 if a and a.group(0).endswith("する") else 2                 # 出品する ≠ 返送する
    return bool(a and b and a.group(0)[-n:] == b.group(0)[-n:])


def _condition(body: str, ctx: Context, rules: FollowupRules) -> str:
    """A condition added to a yes/no question (`condition`: 「許可があっても？」 after 「ベラルーシに
    工作機械を輸出できる？」) is that question asked under it, so the lead is computed for it."""
    f = rules.forms.get("condition")
    m = f.pattern.search(normalize(body)) if f and f.pattern else None
    m = m or (re.search(f.extra["pattern_same"], normalize(body)) if f and f.extra.get("pattern_same") else None)
    asked = ctx.question
    if not (m and asked and re.search(f.extra["yes_no"], normalize(asked)) and not re.search(f.extra["wh"], asked)):
        return ""
    head, _, last = asked.rstrip("。").rpartition("。")           # a deal told, then asked: the condition goes before the asking
    if not head and "について、" in last:
        head, last = last.split("について、", 1)
        head += "について"                                            # 「工作機械・タイ向けについて、」 stays in front
    cond = _as_said(m.group("cond").strip(), body)
    sep = "、" if head.endswith("について") else "。"
    return (head + sep if head else "") + f.ja.format(cond=cond, question=last)


def _other_act_en(body: str, ctx: Context, rules: FollowupRules) -> str:
    """'Is hand-carrying a sample abroad an export?' → 'What about sending it back for repair?':
    the earlier question with the new act ('Is sending a sample back for repair an export?');
    it/them stand for the earlier act's object."""
    f = rules.forms["other_subject"].extra
    m = re.search(f["pattern_en"], _FORM_OPENER.sub("", normalize(body)), re.I)
    asked = re.sub(r"[?.]+$", "", ctx.question.strip())
    q = next((x for x in (re.search(p, asked, re.I) for p in f["asked_en"]) if x), None)
    if not (m and q):
        return ""
    act = re.sub(r"^[a-z-]+ing\b", lambda g: re.search(re.escape(g.group(0)), body, re.I).group(0), m.group("act").strip())
    old = q.group("old").split(" ", 1)[1] if " " in q.group("old") else ""
    obj = re.split(f["object_end"], old, maxsplit=1, flags=re.I)[0].strip()
    if obj:
        act = re.sub(r"\b(?:it|them)\b", obj, act, count=1)
    return f"{q.group('aux')} {act} {q.group('pred')}?"


_ACRONYM = re.compile(r"[A-Z]{3,8}")


def _named_term(question: str, english: bool = False) -> str:
    """The pack's term a question names (its synonym table's longest), else an acronym in it
    (NACCS, CISTEC): what a pointer in the next turn finds when no subject row read that question.
    In English only an acronym: the table's English words include everyday ones ("application")."""
    term = "" if english else known_term(question)
    if term:
        return _as_said(term, _nfkc(question))
    m = _ACRONYM_NP.search(_nfkc(question))
    return m.group(0) if m else ""


_ACRONYM_NP = re.compile(r"[A-Z]{3,8}(?:の[\u3400-\u9fff\u30a0-\u30ffー々]{2,})?")   # STCの試験, CISTECのセミナー
        # NACCS, CISTEC, STC: a term by its spelling (not EU: a place)


def _asked_about(ctx: Context, rules: FollowupRules, lang: str) -> str:
    """What the earlier question asked about, as it says it: its subject, else its opening noun
    phrase (`asked_ja`: 「CPの届出は義務ですか」 → CPの届出) or, in English, the pack's term in it."""
    np = re.match(rules.forms["sibling"].extra.get("asked_en", "(?!x)x"), ctx.question.strip(), re.I) if lang == "en" else None
    word = ctx.subject or known_term(ctx.question)
    if np and word and normalize(word) in normalize(np.group("np")):
        return np.group("np")                    # "the advisor dispatch service", not only "advisor"
    if ctx.subject and ctx.subject in ctx.question:
        return ctx.subject
    if ctx.subject:
        return ""
    if lang == "en":
        term = known_term(ctx.question)
        return _as_said(term, ctx.question) if term and re.search(re.escape(term), ctx.question, re.I) else ""
    m = re.match(rules.forms["sibling"].extra.get("asked_ja", "(?!x)x"), _nfkc(ctx.question))
    return m.group("np") if m and key_terms(m.group("np")) else ""


def _names_term(noun: str, body: str, rules: FollowupRules) -> bool:
    """The noun is a term of the pack or an acronym (NACCS), holds one (「CISTECの該非判定支援」),
    or is a compound noun (輸出者等遵守基準, "the exporter compliance standards"); not a case
    (「ソフトウェアの場合」: `not_heads`) or an aspect word (費用)."""
    said = _as_said(noun.strip(), body)
    n = _ARTICLE.sub("", normalize(noun).strip())
    if _is_term(noun) or _ACRONYM.fullmatch(said):
        return True
    f = rules.forms["sibling"].extra
    if n in rules.aspect_words or any(n.endswith(h) for h in f.get("not_heads", ())):
        return False
    words = n.split()
    compound = len(_JA_CHARS.findall(n)) >= 4 and "の" not in n or \
        (2 <= len(words) <= 4 and all(re.fullmatch(r"[a-z\-]{3,}", w) and w not in f.get("not_words_en", ()) for w in words))
    return bool((known_term(n) and _JA_CHARS.search(n)) or _ACRONYM.search(said) or compound)


def _is_term(noun: str) -> bool:
    """The words are a term of the pack, not a phrase that holds one ("catch-all", not "for the company")."""
    n = _ARTICLE.sub("", normalize(noun).strip())
    term = known_term(n)
    return bool(term) and len(term) >= 0.6 * len(n)


_OBJECT = re.compile(r"([\u3400-\u9fff\u30a0-\u30ffー々a-z0-9]+)を")


def _object(ctx: Context) -> str:
    """What the earlier turns do something with: the product, else the noun before を."""
    if ctx.products:
        return _word(" ".join(ctx.situation + (ctx.question,)), ctx.products[0][0])
    for s in ctx.situation + (ctx.question, ctx.subject):
        m = _OBJECT.search(s or "")
        if m:
            return m.group(1)
    return ""


def _place(ctx: Context) -> str:
    """Where the earlier turns send it (「タイの子会社に」).  Only the slots' words."""
    country = ctx.countries[0][1] if ctx.countries else ""
    party = ctx.parties[0] if ctx.parties else ""
    if country and party:
        return f"{country}の{party}に"
    return f"{country or party}に" if (country or party) else ""


_DEICTIC_WORDS = re.compile(r"それ|その(?:件|場合)?|これ|この件|あれ|あの件")


def _own_words(body: str) -> bool:
    """The turn says something of its own besides pointing back (「その場合は？」 says nothing)."""
    return bool(key_terms(_DEICTIC_WORDS.sub(" ", body)))


def _deal_sentence(c: Context, rules: FollowupRules, obj: str = "") -> str:
    """The deal the conversation described, as the user would tell it (「ベトナムにマシニングセンタを輸出したい。」)."""
    verb = rules.deal["verbs"].get(c.actions[0], rules.deal["verb"]) if c.actions else rules.deal["verb"]
    text = rules.deal["sentence"].format(country=_nfkc(c.countries[0][1]) if c.countries else "海外",
                                         product=c.products[0][1] if c.products else (obj or "製品"), verb=verb)
    return text


def _names_a_slot(own: Context, ctx: Context) -> bool:
    """The turn names a destination, product or party the conversation already has: it asks
    about that one, and the other slots are no topic of it."""
    return bool({n for _, n in own.countries} & {n for _, n in ctx.countries}
                or {i for _, i in own.products} & {i for _, i in ctx.products} or set(own.parties) & set(ctx.parties))


def _raises_flag(body: str) -> bool:
    """The turn tells the deal something the deal check flags (「大学って軍と関係あるかも」「使い道は
    教えてくれない」, data/red_flags.tsv): it is a new fact of the deal, asked with the deal told."""
    from anpo.screening import Deal, find_red_flags
    return any(f.rule.severity == "flag" for f in find_red_flags(Deal("", "", situation=body)))


def _slots_told(slots: str, asked: str, rules: FollowupRules | None = None, about: bool = False) -> str:
    """The deal's slots told before the turn's own question (`reading.slots_told`: 「ポンプ・ベトナム向け・顧客の件
    ですが、キャッチオールの用途とか相手の確認もやらなきゃダメ?」).  Told as a clause of their own, the slots are the
    situation of the asked clause, not words it asks about: glued on as 「…について、」 they were counted among the
    asked words a cited sentence must state, and the 「はい」 of 「…両方を確認する必要があります」 was dropped."""
    rules = rules or load_followups()
    # (`about`: the slots glued on as words asked about, 「…について、」: the fallback reading when the
    # turn's own words alone find nothing the sources answer)
    return rules.reading["slots_about" if about else "slots_told"].format(slots=slots, asked=asked)


def _compact(c: Context, said: str = "") -> str:
    """The slots in a few words (「医療機器・イラン向け・留学生」), without those `said` names already."""
    shown: list[str] = []
    named = [(_nfkc(s), i) for s, i in c.products] + [(n, f"{n}向け") for _, n in c.countries] + [(p, p) for p in c.parties]
    for surface, p in named:
        if said and (surface in said or p in said):
            continue
        if not any(p in s for s in shown):
            shown.append(p)
    return "・".join(shown)


_WORD_CHAR = re.compile(r"[\u3400-\u9fff\u30a0-\u30ffー々a-zA-Z0-9]")


def _specialised(body: str, ctx: Context, own: Context, rules: FollowupRules) -> str:
    """A shorter word for a product or party named earlier, written out whole (「学生」 after
    留学生, 「ポンプ」 after 真空ポンプ, 「機械」 after 工作機械): the turn speaks of that one.
    Words that may as well be the asker's own side (`not_short_for`) are left alone."""
    earlier = [w for s, i in ctx.products if not own.products for w in (_nfkc(s), i)]     # 工作機 names 工作機械
    earlier += [p for p in ctx.parties if not own.parties]
    if any(full in body for full in earlier):
        return body
    for full in earlier:
        for i in range(1, len(full) - 1):
            short = full[i:]
            m = re.search(re.escape(short), body)
            if short in rules.not_short_for or not m or (m.start() and _WORD_CHAR.match(body[m.start() - 1])):
                continue
            return body[:m.start()] + full + body[m.end():]
    return body


def _substitution(text: str, ctx: Context, own: Context, asks: bool, rules: FollowupRules) -> Reading:
    lang = own.lang
    english = lang == "en"
    if not ctx.question:             # a situation told: the same deal with the new value
        if lang == ctx.qlang or not english:
            carried = _carried(ctx, own)
            if own.countries and not ctx.countries:          # no destination told before: the deal with it
                carried = [_deal_sentence(_merge(ctx, own), rules, _object(ctx))]
            q = _join(carried, english)
            return Reading("substitution", q, replace(_merge(ctx, own), situation=(q,)), "substitution", lang)
    q, swapped = ctx.question, False
    if lang == ctx.qlang or not ctx.question:
        q = q or _join(list(ctx.situation), english)
        for old, new, whole in ((ctx.countries, own.countries, False), (ctx.products, own.products, True)):
            q, done = _swap(q, old, new, whole)
            swapped = swapped or done
        for p in own.parties:
            if ctx.parties and normalize(ctx.parties[0]) in normalize(q):
                q = re.sub(re.escape(ctx.parties[0]), p, q, count=1, flags=re.I)
                swapped = True
            elif ctx.parties and english and _party_span(ctx.parties[0], q) and _party_span(p, text):
                old, new = _party_span(ctx.parties[0], q), _party_span(p, text)    # "a foreign student" → "a trainee"
                word = text[new[0]:new[1]]
                before = re.sub(r"\b(?:a|an) $", "an " if word[:1].lower() in "aeiou" else "a ", q[:old[0]])
                q = before + word + q[old[1]:]
                swapped = True
    if not swapped:
        q = _added(ctx, own, rules, lang) or q
        if q == ctx.question or not q:
            names = [_slot_word("country", c, lang) for c in own.countries]
            names += [_slot_word("product", p, lang) for p in own.products]
            names += [_slot_word("party", p, lang) for p in own.parties]
            q = f"For {', '.join(names)}: {ctx.question}" if english else f"{'・'.join(names)}の場合、{ctx.question}"
    deal = rules.deal_question.pattern.search(normalize(q)) if rules.deal_question else None
    plain = _plain_readings(_OPENER.sub("", text) or text, ctx, lang)
    if swapped and deal and not english and own.countries and (ctx.products or _object(ctx)) and not ctx.situation:
        # a deal question asked again for another destination: told as that deal, so the answer
        # checks that destination (its group, catch-all), not only the product
        plain.insert(0, q)
        q = _join([_deal_sentence(_merge(ctx, own), rules, _object(ctx)), q[deal.start():]], False)
    # the told deal follows the swap too, or a later 「それって許可いる？」 carries the old destination
    subject, _ = _swap(ctx.subject, ctx.countries, own.countries)
    merged = replace(_merge(ctx, own), question=q, situation=tuple(_carried(ctx, own)), qlang=lang, subject=subject)
    return Reading("substitution", q, merged, "substitution", lang, _others(q, plain))


def _party_span(name: str, text: str) -> tuple[int, int] | None:
    """Where `text` names the party `name` (its analysis rule's words: "foreign student" for
    留学生), without an article; None when it does not."""
    from anpo.analysis import load_rules
    rule = next((r for r in load_rules().parties if r.name == name), None)
    m = rule.pattern.search(text) if rule else None
    return m.span() if m else None


def _added(ctx: Context, own: Context, rules: FollowupRules, lang: str) -> str:
    """A slot the earlier question did not have, added by its form (`forms` add_*): a
    destination to a deal is the deal with that destination (「中国にサンプルを持ち出したい。」);
    to a topic, the topic for that destination, party or product."""
    if own.countries and ctx.qlang == "ja" and (ctx.actions or ctx.products) and _object(ctx):
        # the deal in the pack's words; an English turn gets the answer in English (Conversation.present)
        return _deal_sentence(_merge(ctx, own), rules, _object(ctx))
    subject = _topic(ctx, lang)
    if not subject:
        return ""
    for kind, values, name in (("country", own.countries, "add_destination"), ("party", own.parties, "add_party"),
                               ("product", own.products, "add_product")):
        if values:
            f = rules.forms[name]
            tpl = f.en if lang == "en" else f.ja
            return tpl.format(subject=subject, **{kind: _slot_word(kind, values[0], lang)})
    return ""


# ----------------------------------------------------------------- the answer

def reading_line(r: Reading, rules: FollowupRules | None = None) -> str:
    """What the answer says at its top about how the turn was read."""
    rules = rules or load_followups()
    ro = rules.reading
    c = r.context
    if c.lang == "en":
        if _JA_CHARS.search(r.question) or (len(r.question) > ro["en_max"] and in_english(c.subject)):
            # read in the pack's Japanese words, or a whole story told again: say what was carried over
            words = [w for w in [_as_said(in_english(c.subject), r.question)] + [_slot_word("product", p, "en") for p in c.products]
                     + [f"for {_slot_word('country', x, 'en')}" for x in c.countries]
                     + [_slot_word("party", p, "en") for p in c.parties] if w and not _JA_CHARS.search(w)]
            if words:
                return ro["en"].format(question=", ".join(words))
        return ro["en"].format(question=_unbracketed(r.question, "en", rules))
    if r.cue in _QUOTED and len(r.question) <= 40:
        return f"（「{_unbracketed(r.question, 'ja', rules)}」として回答）"      # the earlier question with one word changed: say it whole
    named = {normalize(x) for pair in c.countries for x in pair}
    subject = _strip_own(c.subject)
    if subject and not _JA_CHARS.search(subject):
        subject = in_japanese(subject)         # an English subject in a Japanese note: the pack's word, or none
    subject = "" if normalize(subject) in named else subject   # 「中国」 is shown as 中国向け
    in_subject = any(normalize(x) in normalize(subject) for x in named)          # 「ベラルーシに中古の工作機械」
    parts = [subject] + [i for _, i in c.products] + [ro["country"].format(name=n) for _, n in c.countries if not in_subject]
    actions = c.actions if r.shown_actions is None else r.shown_actions
    parts += list(c.parties) + [ro["actions"].get(a, a) for a in sorted(actions, key=lambda a: a == "送る")[:1]]
    shown: list[str] = []
    for p in parts:
        if p and not any(p in s for s in shown):
            shown.append(p)
    if not shown:
        return ro["en"].format(question=_unbracketed(r.question, "en", rules)) if c.lang == "en" \
            else f"（「{_unbracketed(r.question, 'ja', rules)}」として回答）"
    return ro["ja"].format(parts=ro["sep"].join(shown))


def _unbracketed(question: str, lang: str, rules: FollowupRules) -> str:
    """The question quoted in the bracketed reading note, its own brackets written another way
    (`reading.inner_brackets`): 「…兼業してるらしい(グループ外の外国企業)。その人に…」 quoted inside （…として回答）
    closed the note at its own 「)」, and the answer's first sentence (its lead) was read from the middle of the note."""
    pairs = rules.reading.get("inner_brackets", {}).get(lang)
    if not pairs:
        return question
    return re.sub(r"[(（]([^()（）]*)[)）]", lambda m: pairs[0] + m.group(1) + pairs[1], question)


_QUOTED = ("other_subject", "other_product", "sibling", "other_person")


def _as_said(term: str, text: str) -> str:
    """`term` as `text` writes it (end user list → End User List)."""
    m = re.search(re.escape(term), text, re.I) if term else None
    return m.group(0) if m else term
_OWN = re.compile(r"^(?:うちの|ウチの|弊社の|当社の|自社の|わが社の|我が社の)")


def _strip_own(subject: str) -> str:
    return _OWN.sub("", subject or "")


def unlinked_answer(turn: str, backend: str, lang: str, rules: FollowupRules | None = None) -> Answer:
    rules = rules or load_followups()
    text = rules.unlinked["en" if lang == "en" else "ja"].format(turn=turn)
    return Answer(question=turn, answer=text, grounded=False, backend=backend)


def _tables(assistant):
    try:
        retriever = assistant.retriever()
    except AttributeError:
        return None
    from anpo.slot_tables import tables_for
    return tables_for(retriever.index)


class Conversation:
    """One conversation (a CLI `anpo chat` run, one app session): each `ask` is read in the
    context of the turns before it.  Not shared between threads."""

    def __init__(self, assistant):
        self.assistant = assistant
        self.context = Context()
        self.readings: list[Reading] = []
        self.lead = ""                       # the last answer's はい/いいえ (its index in `same.leads`), if any

    def reset(self) -> None:
        self.context = Context()
        self.readings = []
        self.lead = ""

    def read(self, question: str) -> Reading:
        """How `question` would be read now (does not change the conversation)."""
        return interpret(question, self.context, _tables(self.assistant))

    def prepare(self, question: str) -> Reading:
        """Read `question` and take it into the conversation (what `ask` does before answering;
        the app streams `reading.question` and then calls `present`).  An unlinked turn leaves
        the conversation as it was."""
        from anpo.pipeline import validate_question
        validate_question(question)
        r = self.read(question)
        self.readings.append(r)
        if r.kind != "unlinked":
            self.context = r.context
        return r

    def present(self, r: Reading, answer: Answer | None, user_question: str, backend: str = "extractive") -> Answer:
        """The answer as the user sees it: the reading on top, `question` the user's words,
        `interpreted_as` the standalone question; an unlinked turn's answer says so; the
        answer is in the turn's language even when the reading had to be made in the other
        one (an English follow-up to a Japanese deal)."""
        if r.kind == "unlinked" or answer is None:
            return unlinked_answer(user_question.strip(), backend, r.lang)
        if r.lang == "en":
            answer = self._in_english(answer)
        if r.kind == "new":
            return answer
        return replace(answer, question=user_question.strip(), answer=reading_line(r) + "\n" + answer.answer,
                       interpreted_as=r.question)

    def _in_english(self, answer: Answer) -> Answer:
        from anpo.answering import is_english
        if is_english(answer.answer):
            return answer
        from anpo.english import pack_for, refusal_en, to_english
        if not answer.grounded:
            return refusal_en(answer)
        try:
            index, kdir = self.assistant.ensure_index(), self.assistant.settings.knowledge_dir
        except AttributeError:
            return answer
        return to_english(answer, pack_for(index, kdir))

    def _fallbacks(self, r: Reading, question: str) -> tuple[str, ...]:
        """The readings to try when `r.question` finds no (whole) answer: its alternatives, then
        the turn as it stands when it reads as a question of its own (a subject of its own, not
        「じゃあ中国なら？」 or 「費用は？」)."""
        body = _OPENER.sub("", _nfkc(question)) or question        # 「ちなみに」 points at nothing by itself
        alone = interpret(body, Context(), _tables(self.assistant))
        own = alone.kind == "new" and bool(alone.context.question)
        return tuple(dict.fromkeys(r.alternatives + ((question,) if own and r.kind != "new" else ())))

    @staticmethod
    def _nothing_to_link(r: Reading, ans: Answer) -> bool:
        """A refused greeting or out-of-scope turn leaves nothing a follow-up could point at."""
        c = r.context
        if c.products or c.countries or c.parties:
            return False
        return not known_term(r.question) or any(m in ans.answer for m in load_followups().out_of_scope)

    def ask(self, question: str, k: int | None = None, backend: str | None = None) -> Answer:
        before = self.context
        r = self.prepare(question)
        if r.kind == "unlinked":
            name = backend or getattr(getattr(self.assistant, "settings", None), "backend", "extractive")
            return self.present(r, None, question, name)
        ans = self.assistant.ask(question if r.kind == "new" and r.cue != "switch" else r.question, k=k, backend=backend)
        partly = ans.grounded and r.kind != "new" and _part_unanswered(ans)
        some = None                        # the first plainer reading answered only in part
        for alt in self._fallbacks(r, question) if not ans.grounded or partly else ():
            other = self.assistant.ask(alt, k=k, backend=backend)
            if other.grounded and _part_unanswered(other):
                some = some or (alt, other)
            elif other.grounded:
                # a plainer reading the knowledge base does answer (wholly: a reading that asks the
                # earlier question again and leaves the turn's own part unanswered is a last resort);
                # the turn alone is answered as asked
                some = (alt, other)
                break
        if some and (not ans.grounded or not _part_unanswered(some[1])):
            alt, ans = some
            r = replace(r, question=alt) if alt != question else replace(r, kind="new")
        if r.kind == "new" and not ans.grounded and not _out_of_scope(ans):
            for alt, ctx in _in_context(question, before, r):
                other = self.assistant.ask(alt, k=k, backend=backend)
                if other.grounded and not _part_unanswered(other):
                    # read alone the turn is refused, but the story or question before it gives it its
                    # topic (「展示が終わったら持って帰るのに、それでも輸出？」 after the trip told)
                    r, ans = Reading("followup", alt, ctx, "context", r.lang), other
                    self.context = ctx
                    break
        if r.kind == "new" and ans.grounded and not r.context.situation and _tells(question, r):
            # a situation the pack answers to (「うち、粉粒体混合機を作ってる町工場なんですけど」) is the
            # story the next turns ask about, though no table names its product
            self.context = replace(self.context, situation=(_nfkc(question),))
        c = self.context
        if ans.grounded and r.lang == "ja" and not (c.products or c.countries or c.parties) \
                and not (c.subject and known_term(c.subject) == normalize(c.subject)):
            term = answered_term(question, ans.answer)
            if term:
                # the user's description (「金額が小さい輸出の特例」) is the pack's term the answer is about:
                # a follow-up's 「その特例」 points at 少額特例, which the pack's sentences name
                self.context = replace(c, subject=term)
        before_lead, self.lead = self.lead, _lead(ans)
        if before_lead and self.lead and r.kind != "new" and _asks_same(question):
            ans = _same_lead(ans, before_lead == self.lead)
        if r.kind == "new" and not ans.grounded and self._nothing_to_link(r, ans):
            if before.empty or any(m in ans.answer for m in load_followups().out_of_scope):
                # nothing to point at; a deal told before the aside stays for a question about it
                self.context = Context(lang=r.lang, qlang=r.lang, earlier=before.situation or before.earlier)
            else:
                self.context = before      # an unanswered aside mid-conversation: the topic before it stays
        return self.present(r, ans, question)


def _out_of_scope(ans: Answer) -> bool:
    """The refusal says the question is outside the knowledge base's field (not only unanswered)."""
    return any(m in ans.answer for m in load_followups().out_of_scope)


def _tells(turn: str, r: Reading) -> bool:
    """The turn tells (asks nothing) and says something of its own (「こんにちは」 tells nothing)."""
    t = normalize(_nfkc(turn))
    return not load_followups().asks.search(t) and bool(key_terms(t))


def _in_context(turn: str, before: Context, r: Reading) -> list[tuple[str, Context]]:
    """The readings of a turn read as a question of its own, in the conversation before it: the
    story told with the turn after it, the last question with it, the subject with it
    (`_plain_readings`), with the context each leaves.  None after a topic switch (「ところで」),
    for a turn naming a destination or product of its own (another deal), or with nothing before."""
    rules = load_followups()
    text = _nfkc(turn)
    t = normalize(text)
    own = r.context
    if before.empty or (rules.switch and rules.switch.pattern.search(t)) or own.countries or own.products:
        return []
    body = _OPENER.sub("", text) or text
    merged = _merge(before, replace(own, products=(), countries=()))
    out = []
    for q in _plain_readings(body, before, r.lang):
        if _JA_CHARS.search(q) and r.lang == "en" or r.lang == "ja" and not _JA_CHARS.search(q):
            continue                          # a reading in the other language: the gate cannot weigh it
        out.append((q, replace(merged, question=q, qlang=r.lang, subject=before.subject,
                               situation=before.situation)))
    return out


def _part_unanswered(ans: Answer) -> bool:
    """A part of the answered question is one the sources do not answer (`unanswered_part`)."""
    return bool(load_followups().unanswered_part.search(ans.answer))


def _lead(ans: Answer) -> str:
    """The answer's はい/いいえ lead ("yes"/"no"), "" when it leads with neither."""
    if not ans.grounded:
        return ""
    leads = load_followups().same_leads
    for words in leads.values():
        for word, sign in zip(words, ("yes", "no")):
            if ans.answer.startswith(word):
                return sign
    return ""


def _asks_same(turn: str) -> bool:
    """The turn asks whether the earlier answer holds here too (「ベラルーシも同じ？」)."""
    same = load_followups().same
    return bool(same and same.pattern.search(normalize(_nfkc(turn))))


def _same_lead(ans: Answer, same: bool) -> Answer:
    """「…も同じ？」 answered: はい when this answer leads as the earlier one did, いいえ when not;
    the cited sentence after the word stays as it is."""
    rules = load_followups()
    for lang, words in rules.same_leads.items():
        for word in words:
            if ans.answer.startswith(word):
                rest = ans.answer[len(word):].lstrip()
                return replace(ans, answer=rules.same_says[lang][0 if same else 1] + ("" if lang == "ja" else " ") + rest)
    return ans
