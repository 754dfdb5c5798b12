"""Question analysis, the pipeline's first stage: what is asked, about what.

`analyse(question, tables)` returns an `Analysis`: the language, the intent (with every rule
that fired, for `anpo ask --explain`), a yes/no question's premise, the parts of a
multi-part question, the slots (products with their list-control candidates, countries with
their destination group, parties, actions) and the **topic**: the question with incidental
details (dates, quantities, 「うちの」, 「初めての取引」, country names) removed and product
nicknames replaced by the table's item names.  Grounding is judged on the topic, so a long
situation is answered by its subject; a word that *is* the topic and unknown to the pack
(残業時間) still weighs against answering.

Cues, leads and weights are data: `data/intents.yaml` (each row with example questions
that run as tests).  Tables (products, countries) come in through the narrow `Tables`
protocol, so this module never reads the index itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, Sequence

import yaml

import unicodedata

from retrieval.textnorm import key_terms, normalize

RULES_PATH = Path(__file__).parent / "data" / "intents.yaml"


# ----------------------------------------------------------------- the rules (data)

@dataclass(frozen=True)
class IntentRule:
    name: str
    cues: tuple[re.Pattern, ...]
    unless: tuple[re.Pattern, ...] = ()
    needs: tuple[str, ...] = ()
    gives: tuple[re.Pattern, ...] = ()
    bonus: float = 0.0
    time_sensitive: bool = False
    also: str = ""                      # words added to the retrieval query when this intent fires
    topic_also: str = ""                # words added to the topic (what grounding and sentences weigh)
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()

    def match(self, q: str) -> str | None:
        """The text of the first cue found in the normalised question, unless blocked."""
        if any(p.search(q) for p in self.unless):
            return None
        for p in self.cues:
            m = p.search(q)
            if m:
                return m.group(0) or p.pattern
        return None


@dataclass(frozen=True)
class SlotRule:
    name: str
    pattern: re.Pattern
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rules:
    intents: tuple[IntentRule, ...]
    premise: dict[str, re.Pattern]
    incidental: tuple[SlotRule, ...]
    parties: tuple[SlotRule, ...]
    actions: tuple[SlotRule, ...]
    product_own: re.Pattern
    product_noun: re.Pattern
    provenance: re.Pattern
    weights: dict[str, float]
    grounding: dict[str, float]
    recipes: dict[str, tuple[str, tuple[re.Pattern, ...]]]
    premise_also: str = ""
    action_terms: dict[str, str] = field(default_factory=dict)
    party_terms: dict[str, str] = field(default_factory=dict)     # a party → the pack's words for who they are
    number_units: tuple[tuple[re.Pattern, re.Pattern, str], ...] = ()
    asking: re.Pattern = re.compile(r"(?!x)x")
    difference: re.Pattern = re.compile(r"(?!x)x")      # 「XとYの違いは？」: two parts, what X is and what Y is
    difference_en: re.Pattern = re.compile(r"(?!x)x")   # "What's the difference between X and Y?": the same, in English
    each: tuple[tuple[re.Pattern, str], ...] = ()       # 「XとYについて、Zをそれぞれ」: two parts, X's Z and Y's Z (and how a part reads)
    remark_asks: re.Pattern = re.compile(r"(?!x)x")     # a remark after the last ？ that asks (「…間に合うかも気になってて」)
    splitters: tuple[tuple[re.Pattern, str], ...] = ()   # where one sentence asks two things ("…, and does it…", 「…は何で、…」), and how the first closes
    embedded: re.Pattern = re.compile(r"(?!x)x")         # a yes/no question inside a request (「…必要か教えて」 "May I ask if …")
    ask_frame: re.Pattern = re.compile(r"(?!x)x")        # "May I ask…": a polite frame, no permission asked
    aspects: frozenset = frozenset()                     # words a later part may ask of the first part's subject (やり方, 費用)
    pronoun: re.Pattern = re.compile(r"(?!x)x")          # a later part's word for the first part's subject ("does it…", 「それも…」)
    short_part: re.Pattern = re.compile(r"(?!x)x")       # a short later part naming only another thing (「台湾は？」)
    part_joiners: re.Pattern = re.compile(r"(?!x)x")     # 「あと」「また」: a second question starts (matched at a piece's start)
    origin_after: re.Pattern = re.compile(r"(?!x)x")     # after a country's name: where goods or a person come from (中国製)
    origin_before: re.Pattern = re.compile(r"(?!x)x")    # before it (made in …)
    nationality_en: re.Pattern = re.compile(r"(?!x)x")   # after an English nationality word: a person (Indian engineer)
    asks_past: re.Pattern = re.compile(r"(?!x)x")        # the question asks how things were or what changed
    technology: re.Pattern = re.compile(r"(?!x)x")       # things that are technology, not goods (設計図, ソースコード)
    answer_types: tuple["AnswerType", ...] = ()         # what a question asks to be told (cost, duration …): compose.pick

    def intent(self, name: str) -> IntentRule | None:
        return next((r for r in self.intents if r.name == name), None)

    def number_gives(self, question: str) -> tuple[re.Pattern, ...]:
        """What the sentence holding the asked number looks like (by the question's counter
        word; the number intent's own `gives` when it names none)."""
        q = normalize(question)
        unit = next((g for ask, g, _ in self.number_units if ask.search(q)), None)
        if unit is not None:
            return (unit,)
        r = self.intent("number")
        return r.gives if r is not None else ()


def _rx(patterns: Sequence[str]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.I) for p in patterns)


def _any(patterns: Sequence[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def _words(words: Sequence[str]) -> re.Pattern:
    """Words of a slot row: Latin ones as whole words, Japanese ones anywhere."""
    parts = [(r"\b" + re.escape(normalize(w)) + r"\b") if w.isascii() else re.escape(normalize(w)) for w in words]
    return re.compile("|".join(parts), re.I)


@dataclass(frozen=True)
class AnswerType:
    """data/intents.yaml `answer_types`: what a question asks to be told (cost, duration, documents,
    examples, first step) and what a sentence giving it looks like (used by anpo.compose.pick)."""
    name: str
    asks: re.Pattern
    gives: tuple[re.Pattern, ...]
    unless: re.Pattern | None = None
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()
    told: frozenset = frozenset()       # words of the asking phrase that only name the type (順番, 間隔, 程度)
    leaves_topic: bool = False          # its told words leave the topic, known to the pack or not (名前 for a former name)
    also: str = ""                      # words the retrieval query adds when the type is asked (募集 for 「まだ申し込める？」)
    not_status: bool = False            # asked of named goods, it asks beyond their control status (why they are controlled, what they are used for)


def _answer_type(r: dict) -> AnswerType:
    rx = lambda ps: re.compile("|".join(f"(?:{p})" for p in ps), re.I)
    return AnswerType(r["name"], rx(r["asks"]), tuple(re.compile(g, re.I) for g in r["gives"]),
                      rx(r["unless"]) if r.get("unless") else None,
                      tuple(r.get("examples", ())), tuple(r.get("not_examples", ())),
                      frozenset(normalize(w) for w in r.get("told", ())), bool(r.get("leaves_topic")), r.get("also", ""),
                      bool(r.get("not_status")))


def asked_type_words(question: str, leaving: bool = False) -> tuple[str, ...]:
    """The words by which a question asks for an answer type (「どの順番で」 → 順番, 「どれくらいの間隔で」 →
    間隔, 「どの程度で」 → 程度; each type's `told` words in data/intents.yaml): they say what kind of answer is wanted, not what it is about, so they
    neither pick the sentence (anpo.compose.candidates) nor, unknown to the pack, weigh as an uncovered
    topic (told like a slot word, anpo.grounding)."""
    q = normalize(question)
    out: list[str] = []
    for t in load_rules().answer_types:
        if not t.told or t.unless and t.unless.search(q) or leaving and not t.leaves_topic:
            continue
        for m in t.asks.finditer(q):
            out += [g[0] for g in key_terms(m.group(0)) if g[0] in t.told]
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_PATH) -> Rules:
    d: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    intents = tuple(IntentRule(
        name=r["name"], cues=_rx(r.get("cues", ())), unless=_rx(r.get("unless", ())), needs=tuple(r.get("needs", ())),
        gives=_rx(r.get("gives", ())), bonus=float(r.get("bonus", 0.0)), time_sensitive=bool(r.get("time_sensitive")),
        also=r.get("also", ""), topic_also=r.get("topic_also", ""), examples=tuple(r.get("examples", ())), not_examples=tuple(r.get("not_examples", ())))
        for r in d["intents"])
    return Rules(
        intents=intents,
        premise={k: _any(v) for k, v in d["premise"].items() if k != "also"},
        premise_also=d["premise"].get("also", ""),
        action_terms={r["name"]: r.get("pack_terms", "") for r in d["actions"]},
        incidental=tuple(SlotRule(r["name"], re.compile(r["pattern"], re.I), tuple(r.get("examples", ())))
                         for r in d["incidental"]),
        parties=tuple(SlotRule(r["name"], _words(r["words"]), tuple(r.get("examples", ()))) for r in d["parties"]),
        party_terms={r["name"]: r.get("pack_terms", "") for r in d["parties"]},
        actions=tuple(SlotRule(r["name"], _words(r["words"]), tuple(r.get("examples", ()))) for r in d["actions"]),
        product_own=_any(d["product_mention"]["own"]),
        product_noun=_any(d["product_mention"]["noun"]),
        provenance=_any(d["provenance"]),
        weights={k: float(v) for k, v in d["weights"].items()},
        grounding={k: float(v) for k, v in d["grounding"].items()},
        recipes={k: (v["query"], _rx(v.get("prefer", ()))) for k, v in d["recipes"].items()},
        asking=_any(d.get("asking", ["(?!x)x"])),
        part_joiners=re.compile(r"\s*(?:" + "|".join(d.get("part_joiners", ["(?!x)x"])) + r")\s*[、,]?", re.I),
        number_units=tuple((re.compile(u[0], re.I), re.compile(u[1], re.I), u[2] if len(u) > 2 else "")
                           for u in d.get("number_units", ())),
        difference=re.compile(d.get("difference", "(?!x)x"), re.I),
        difference_en=re.compile(d.get("difference_en", "(?!x)x"), re.I),
        each=tuple((re.compile(r["pattern"], re.I), r["part"]) for r in d.get("each", ())),
        remark_asks=_any(d.get("remark_asks", ["(?!x)x"])),
        splitters=tuple((re.compile(r["pattern"], re.I), r.get("close", "")) for r in d.get("part_splitters", ())),
        embedded=_any(d.get("embedded", {}).get("cues", ["(?!x)x"])),
        ask_frame=re.compile(d.get("embedded", {}).get("frame", "(?!x)x"), re.I),
        aspects=frozenset(normalize(w) for w in d.get("aspects", ())),
        pronoun=_any(d.get("pronouns", ["(?!x)x"])),
        short_part=re.compile(d.get("short_part", "(?!x)x"), re.I),
        origin_after=re.compile(d.get("origin", {}).get("after", "(?!x)x"), re.I),
        origin_before=re.compile(d.get("origin", {}).get("before", "(?!x)x"), re.I),
        nationality_en=re.compile(d.get("origin", {}).get("nationality_en", "(?!x)x"), re.I),
        asks_past=re.compile(d.get("asks_past", "(?!x)x"), re.I),
        technology=_any(d.get("technology", {}).get("things", ["(?!x)x"])),
        answer_types=tuple(_answer_type(r) for r in d.get("answer_types", ())),
    )


# ----------------------------------------------------------------- slots and tables

@dataclass(frozen=True)
class ProductSlot:
    """A product named in the question and the list-control rows it may fall under."""
    text: str                                   # as the question names it
    item: str                                   # the table's item name ("" when none found)
    candidates: tuple[str, ...] = ()            # labels, e.g. "5項(18) 炭素繊維"
    chunk_ids: tuple[str, ...] = ()             # the rows' indexed passages


@dataclass(frozen=True)
class CountrySlot:
    text: str                                   # as the question names it
    name: str                                   # the table's name (大韓民国)
    group: str = ""                             # "A", "B", "C" or "D"; "" when not in the tables
    group_label: str = ""
    chunk_ids: tuple[str, ...] = ()


class Tables(Protocol):
    """What analysis needs from the tables layer (anpo.tables): product and country lookups."""

    def products_in(self, text: str) -> Sequence[ProductSlot]:
        """Products named in `text` (everyday names included) with their candidate rows."""

    def countries_in(self, text: str) -> Sequence[CountrySlot]:
        """Countries named in `text` with their destination group."""


@dataclass(frozen=True)
class Fired:
    """One rule that fired, for --explain."""
    rule: str
    matched: str
    score: float = 0.0


@dataclass(frozen=True)
class Analysis:
    question: str
    language: str                               # "ja" or "en"
    intent: str                                 # main intent (see data/intents.yaml), "other" when none
    intents: tuple[str, ...] = ()               # every intent that fired, in priority order
    premise: str = ""                           # "not_needed" (asserts a rule does not apply), "asserted"
                                                # (…でしょ？ about something else), "" otherwise
    asserting: bool = False                     # worded as an assertion (…ですよね？, …でしょ？)
    permission: bool = False                    # asks "may I…?"
    parts: tuple["Analysis", ...] = ()          # a multi-part question's parts, each analysed
    products: tuple[ProductSlot, ...] = ()
    countries: tuple[CountrySlot, ...] = ()
    parties: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    topic: str = ""                             # for grounding: incidental details removed
    query: str = ""                             # for retrieval: the topic plus canonical slot names
    dropped: tuple[str, ...] = ()               # incidental details removed from the topic
    soft: tuple[str, ...] = ()                  # situation words outside the asked clause (weigh little if unknown)
    slot_words: tuple[str, ...] = ()            # parties as the asker names them (実習生): slots, weigh little if unknown
    marked: tuple[str, ...] = ()                # words the asked sentence marks as its topic (「印紙って…」): weigh double if unknown
    context: tuple[str, ...] = ()               # a later part's words from the part before ("does it…"): chosen by, never the lead's own
    fired: tuple[Fired, ...] = ()

    @property
    def focus_query(self) -> str:
        """The asked clause's own words (situation words left out) with the premise's words:
        what a premise question's second retrieval looks for."""
        soft = set(self.soft)
        words = [g[0] for g in key_terms(self.topic) if g[0] not in soft]
        if not words or not self.soft:
            return ""
        rules = load_rules()
        return " ".join(words + ([rules.premise_also] if self.premise == "not_needed" else []))

    @property
    def time_sensitive(self) -> bool:
        rules = load_rules()
        return any((r := rules.intent(n)) is not None and r.time_sensitive for n in self.intents)

    def explain(self) -> list[str]:
        out = [f"language: {self.language}", f"intent: {self.intent}  (fired: {', '.join(self.intents) or '—'})"]
        if self.premise or self.asserting or self.permission:
            out.append(f"premise: {self.premise or '—'}  asserting: {self.asserting}  permission: {self.permission}")
        for p in self.products:
            out.append(f"product: {p.text} → {p.item or '—'}  candidates: {', '.join(p.candidates) or 'none by name'}")
        for c in self.countries:
            out.append(f"country: {c.text} → {c.name}  group: {c.group_label or c.group or 'not in the tables'}")
        if self.parties:
            out.append(f"parties: {', '.join(self.parties)}")
        if self.actions:
            out.append(f"actions: {', '.join(self.actions)}")
        if self.dropped:
            out.append(f"dropped from the topic: {' / '.join(self.dropped)}")
        if self.soft:
            out.append(f"situation words (weigh little when unknown): {' / '.join(self.soft)}")
        out.append(f"topic: {self.topic}")
        for i, p in enumerate(self.parts, 1):
            out.append(f"part {i}: {p.question}  → {p.intent}")
        for f in self.fired:
            out.append(f"rule {f.rule}: 「{f.matched}」" + (f" {f.score:+.2f}" if f.score else ""))
        return out


# ----------------------------------------------------------------- analysis

_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_MIN_PART = 4        # a question part shorter than this (its joiner left out) is not split off


def nfkc_only(text: str) -> str:
    """NFKC without lower-casing: capitalised aliases (US, UK) stay distinguishable from words."""
    return unicodedata.normalize("NFKC", text)


def language_of(question: str) -> str:
    """"en" for a question written in English: mostly Latin letters, or an English sentence
    around Japanese terms ("What does 該非判定 mean?", anpo.english.english_frame)."""
    letters = len(_LATIN.findall(question))
    if letters > 3 * max(1, len(_CJK.findall(question))):
        return "en"
    from anpo.english import english_frame
    return "en" if english_frame(question) else "ja"


def question_parts(q: str, _split: bool = False) -> list[str]:
    """Question parts: pieces ending in ？ (or in 「…か。」), and a question joined by 「あと」
    「また」「ついでに」… (data/intents.yaml part_joiners), even without a ？ of its own
    (「…かかりますか。また、どこに申請すればいいですか」); two or more, else the whole question.
    Text told before a question belongs to it; other text after the last question is a remark
    (「うちは汎用品しか出してないし」), not a part of its own."""
    joiner = load_rules().part_joiners
    parts, carry = [], ""
    segs = _segments(q, joiner)
    for i, seg in enumerate(segs):
        if parts and not carry and _OR.match(seg):
            parts[-1] += seg        # 「申請先って本省？それとも地方局？」 is one question with its choices
            continue
        # a request 「…の一覧を教えて。」 that a joiner's question follows (「あと…はいつ？」) is a part of its own
        request = i + 1 < len(segs) and bool(joiner.match(segs[i + 1])) and bool(load_rules().asking.search(seg))
        if _ASKS.search(seg) or (parts and joiner.match(seg)) or (_split and parts and load_rules().asking.search(seg)) or request:
            parts.append((carry + seg).strip())
            carry = ""
        else:
            carry += seg
    aspects = load_rules().aspects      # 「条件は？」「費用は？」: short, but a part of its own
    short = load_rules().short_part     # 「台湾は？」「サンプルは？」: the same question asked of another thing
    parts = [p for p in parts if len(re.sub(r"[?？\s、,]", "", joiner.sub("", p, count=1))) >= _MIN_PART
             or any(w in normalize(p) for w in aspects) or (p is not parts[0] and short.match(normalize(p)))]
    if len(parts) < 2 and not _split:
        cut = _cut(q)
        return question_parts(cut, _split=True) if cut != q else [q]
    if not _split and len(parts) >= 2:
        # a part that itself asks two things (「…本当？いつからで、何をすればいいの？」: part_splitters) is two parts
        parts = [x for p in parts for x in _two(p)]
    return parts if len(parts) >= 2 else [q]


def _two(part: str) -> list[str]:
    cut = _cut(part)
    if cut == part:
        return [part]
    sub = question_parts(cut, _split=True)
    return sub if len(sub) >= 2 else [part]


def _cut(q: str) -> str:
    """`q` with a question mark where one sentence asks a second thing (data/intents.yaml
    part_splitters: "What is X, and does it…", 「…の対象は何で、グループAも…」「XとYを教えて」…):
    each splitter's match is replaced by its group `end` and its row's `close` (the first part's
    end: 「項番の14番目のカテゴリー名と、…」 → 「…カテゴリー名は？」) and a question mark."""
    for rx, close in load_rules().splitters:
        m = rx.search(q)
        if m:
            end = (m.groupdict().get("end") or "") + close
            return q[:m.start()] + end + ("？" if _CJK.search(q) else "? ") + q[m.end():]
    return q


# a piece offering another choice (「…本省？それとも地方局？」"…to Korea, or to China?") continues the question before it
_OR = re.compile(r"\s*(それとも|あるいは|或いは|もしくは|\bor\b)", re.I)
# a piece asks when it ends in ？ or in a question ending before 。 (「…かかりますか。」)
# (or, unpunctuated at the very end, in 「…ますか」「…のか」「…だっけ」)
_ASKS = re.compile(r"([?？]|(か|かな|の|っけ)[。.]|か[、,]|(か|っけ))\s*$")


def _segments(q: str, joiner: re.Pattern) -> list[str]:
    """`q` cut after each ？, after a question ending's 。 (「…でしたっけ。台湾も…」), and after a
    。 or a 「…か、」 that a joiner follows (「…いくらか、それから…使えるのか」)."""
    out, start = [], 0
    for m in re.finditer(r"[?？](?![」』”\x22]|\s*(?:って|という|っていう|とか))|(?<=か|け)[。.]|(?:[。.]|(?<=か)[、,])(?=\s*(?:" + joiner.pattern + "))", q):
        out.append(q[start:m.end()])
        start = m.end()
    out.append(q[start:])
    return [s for s in out if s.strip()]


def asked_clause(q: str) -> str:
    """The question up to its last ？: a remark after it (「…輸出になる？不良品を送り返すだけなんだけど」)
    hides the asked clause's end."""
    end = max(q.rfind("?"), q.rfind("？"))
    return q[:end + 1] if 0 <= end < len(q.rstrip()) - 1 else q


_SENTENCE_END = re.compile(r"(?<=[。！!])|(?<=\.)\s+")


def asked_sentence(q: str) -> str:
    """The sentence that asks: the asked clause without the situation told in sentences before
    it (「…使い道は教えてくれない。受けていい？」 → 「受けていい？」; "… won't say what they're for. Can we go ahead?")."""
    pieces = [p for p in _SENTENCE_END.split(asked_clause(q)) if p and p.strip()]
    return pieces[-1].strip() if pieces else q


# where the asked sentence's own clause begins: after 「…けど、」「…ですが、」「…ので、」「…んで、」 "…, but/so"
# (a ？ inside the sentence, 「遵守基準？ってやつは…」, does not end it)
_PIECE = re.compile(r"けど|けれど|ですが|(?<=[ますた])が[、,]|ので[、,]|んで[、,]|(?<=[たいるだ])から[、,]|\b(?:but|so)\b")


def asked_piece(q: str) -> str:
    """The clause that asks: the asked sentence without the situation told in its first clauses
    (「リスト規制品はゼロなんですけど、輸出者等遵守基準？ってやつは関係ない？」 → 「輸出者等遵守基準？ってやつは関係ない？」)."""
    pieces = [p for p in _PIECE.split(asked_sentence(q)) if p.strip(" 、,")]
    return pieces[-1].strip(" 、,") if pieces else q


def _strip(text: str, pattern: re.Pattern, dropped: list[str], repl: str = " ") -> str:
    def sub(m):
        if m.group(0).strip():
            dropped.append(m.group(0).strip())
        return repl
    return pattern.sub(sub, text)


def _slots(rules_: Sequence[SlotRule], text: str) -> tuple[str, ...]:
    return tuple(r.name for r in rules_ if r.pattern.search(text))


def _intents(rules: Rules, q: str, has: dict[str, bool]) -> tuple[tuple[str, ...], list[Fired]]:
    fired, names = [], []
    asked, last = asked_clause(q), asked_sentence(q)
    for r in rules.intents:
        m = r.match(q) or (r.match(asked) if asked != q else None) or (r.match(last) if last != q else None)
        if m is None:
            continue
        if not all(has.get(n, False) for n in r.needs):
            fired.append(Fired(f"{r.name} (needs {'+'.join(r.needs)}: missing)", m))
            continue
        names.append(r.name)
        fired.append(Fired(r.name, m))
    return tuple(names), fired


_NATIONALITY = ("人", "籍", "出身")     # after a country name: a person's nationality


def _topic(rules: Rules, q: str, countries: Sequence[CountrySlot], products: Sequence[ProductSlot],
           dropped: list[str]) -> str:
    t = q
    for r in rules.incidental:
        t = _strip(t, r.pattern, dropped)
    # countries are slots, not topic words: the group they belong to is looked up in the tables
    for c in sorted(countries, key=lambda c: -len(c.text)):
        surface = normalize(c.text)
        for suffix in _NATIONALITY:
            if surface and surface + suffix in t:
                # a nationality (中国人のエンジニア, ベトナム籍の社員, インド出身の研修生) is who the pack calls 外国人
                dropped.append(c.text + suffix + "→外国人")
                t = t.replace(surface + suffix, " 外国人 ")
        if surface and surface.isascii():
            # an English nationality word before a person ("an Indian engineer") is who the pack calls 外国人
            person = re.compile(rf"(?<![a-z]){re.escape(surface)}(?={rules.nationality_en.pattern})", re.I)
            if person.search(t):
                dropped.append(c.text + "→外国人")
                t = person.sub(" 外国人 ", t)
        if surface and surface in t:
            dropped.append(c.text)
            t = t.replace(surface, " ")
    # everyday product names → the table's item name (which the pack uses)
    for p in sorted(products, key=lambda p: -len(p.text)):
        if p.item and p.text and p.text in t and p.text != p.item and p.item not in t:
            dropped.append(f"{p.text}→{p.item}")
            t = t.replace(p.text, f" {p.item} ")
    return re.sub(r"\s+", " ", t).strip(" 、,")


def destinations(countries: Sequence[CountrySlot], question: str, rules: Rules | None = None) -> tuple[CountrySlot, ...]:
    """The countries named as where things go: a country named as an origin (中国製, 韓国産,
    ベトナムから来た実習生, インド出身, made in China; data/intents.yaml `origin`) is left out."""
    rules = rules or load_rules()
    text = nfkc_only(question)
    out = []
    for c in countries:
        spans = [m.start() for m in re.finditer(re.escape(c.text), text)] if c.text else []
        origin = bool(spans) and all(rules.origin_after.search(text[i + len(c.text):]) or
                                     rules.nationality_en.match(text[i + len(c.text):]) or
                                     rules.origin_before.search(text[:i]) for i in spans)
        if not origin:
            out.append(c)
    return tuple(out)


def _query(topic: str, countries: Sequence[CountrySlot], products: Sequence[ProductSlot],
           extra_words: Sequence[str] = ()) -> str:
    extra = [c.name for c in countries if c.name] + [p.item for p in products if p.item and p.item not in topic]
    return " ".join([topic, *dict.fromkeys([*extra, *extra_words])]).strip()


# the asked clause: after the last sentence end or 「…けど、」「…ですが、」 that is followed by more text
# or a reason 「…ので、」 (a bare comma does not end the situation: 「許可申請を出したら、どれくらいで…？」
# asks about 許可申請)
_CLAUSE = re.compile(r"[。!！\n]|[?？](?!\s*(?:って|という|っていう|とか))|けど|けれど|ですが|のですが|んですが|んだけど|(?<=[ますた])が[、,]|ので[、,]|(?<=[たいるだ])から[、,]|(?<=[いな])んで(?![すし])[、,]?|\b(?:but|so)\b")
# a last piece of only a few kanji/katakana/Latin letters is a guess at the answer (「…窓口は？経産局？」)
_GUESS = re.compile(r"[\s?？]*[\u30a0-\u30ff\u3400-\u9fffa-z0-9]{1,8}[\s?？]*")


def _soft(topic: str, question: str = "") -> tuple[str, ...]:
    """Topic words that occur only in the situation told before the asked clause."""
    end = max(topic.rfind("?"), topic.rfind("？"))
    asked = topic[:end] if end >= 0 and topic[end + 1:].strip() else topic      # a remark may follow the ？
    pieces = [p for p in _CLAUSE.split(asked) if p.strip()]
    if len(pieces) < 2 and asked == topic:
        return ()
    focus = pieces[-1] if pieces else asked
    if end < 0 and question:
        # no ？: the asked piece is the one that asks (「…のやり方を教えてほしい。うちは小さい会社で…」);
        # found in the question (the topic has lost 「教えてほしい」), taken from the topic at its place
        rules = load_rules()
        q_pieces = [p for p in _CLAUSE.split(normalize(question)) if p.strip()]
        asking = [i for i, p in enumerate(q_pieces) if rules.asking.search(p)]
        if asking and len(q_pieces) == len(pieces):
            focus = pieces[asking[-1]]
    if len(pieces) >= 2 and _GUESS.fullmatch(focus):
        # a bare guess after the question (「…どこの窓口に出せばいいの？経産局？」) belongs to it
        focus = pieces[-2] + " " + focus
    if not key_terms(focus):
        # the asked clause names nothing (「…んですが、どうしたらいい？」): the situation is the topic
        return ()
    return tuple(dict.fromkeys(g[0] for g in key_terms(topic) if not any(alt in focus for alt in g)))


def analyse(question: str, tables: Tables | None = None, _part: bool = False, skip: tuple[str, ...] = ()) -> Analysis:
    """The analysis of one question (see the module docstring).  `tables` may be None (no
    product or country slots: the topic then keeps country names).  `skip`: intents not to fire
    (the pipeline asks again without the product check when the asked clause asks something else)."""
    rules = load_rules()
    q = normalize(question)
    lang = language_of(question)
    products = tuple(tables.products_in(q)) if tables is not None else ()
    every_country = tuple(tables.countries_in(nfkc_only(question))) if tables is not None else ()
    countries = destinations(every_country, question, rules)       # 中国製 / ベトナム出身 name no destination
    parties = _slots(rules.parties, q)
    actions = _slots(rules.actions, q)
    noun = bool(rules.product_noun.search(q))
    from anpo.tables import absent_as_cleared, named_thing, told_abroad   # a thing by the asker's own name, known or not
    mention = bool(products) or (noun and bool(rules.product_own.search(q))) or bool(named_thing(q)) \
        or absent_as_cleared(q)         # 「検索で見つからなかったから非該当でいい？」 is about the goods' classification
    has = {"product": bool(products), "product_mention": mention, "no_product_mention": not mention,
           "country": bool(countries),
           "party": bool(parties), "deal_detail": bool(products or countries or parties or
                                                (mention and told_abroad(q) and not rules.intent("product_check").match(q)))}
    names, fired = _intents(rules, q, has)
    ban = rules.intent("ban")
    banned = [c for c in countries if ban is not None and "ban" not in names and c.name and ban.match(normalize(c.name))]
    if banned:
        # a destination named by a city or another name of a banned country (モスクワ, Minsk, 平壌 → ロシア,
        # ベラルーシ, 北朝鮮; countries.tsv aliases) is that banned destination: the ban is stated, cited
        order = [r.name for r in rules.intents]
        names = tuple(sorted(names + ("ban",), key=order.index))
        fired.append(Fired("ban (destination)", banned[0].text))
    if skip:
        fired += [Fired(f"{n} (yields to the asked clause)", "") for n in names if n in skip]
        names = tuple(n for n in names if n not in skip)
    embedded = _embedded_yesno(rules, q)
    if embedded and "yesno" not in names:
        # 「…許可が必要か教えてください」 "Could you tell me whether …": a yes/no question inside a request
        names += ("yesno",)
        fired.append(Fired("yesno (embedded)", embedded))
    dropped: list[str] = []
    topic = _topic(rules, q, every_country, products, dropped)
    if lang == "en":        # English wordings → the pack's Japanese words (anpo.english, data/english.yaml)
        from anpo.english import japanese_topic
        topic = japanese_topic(topic, dropped)
    if not key_terms(topic) and countries:
        # the country was the whole topic (「韓国は入ってる？」): keep it, by the table's name
        topic = " ".join([topic] + [c.name for c in countries]).strip()
    if names[:1] == ("where_to_ask",) and "ban" in names and countries:
        # 「ロシア向けの規制のことでどこの部署に聞けばいい？」: the banned destination is what the desk is asked about
        topic = " ".join([topic] + [c.name for c in countries if c.name]).strip()
    for w in asked_type_words(q, leaving=True):
        # the words asking for a former name (名前 in 「昔は別の名前だった？」) say what kind of answer is wanted,
        # not what it is about: not a topic word the pack must cover (known to it or not; answer_types leaves_topic)
        told = re.compile(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w), re.I)
        if told.search(topic) and key_terms(told.sub(" ", topic)):
            dropped.append(w)
            topic = re.sub(r"\s+", " ", told.sub(" ", topic)).strip()
    # a row may name what the question is about in the pack's words (「会社の罰金」 → 法人)
    named = " ".join(r.topic_also for r in map(rules.intent, names) if r is not None and r.topic_also)
    topic = " ".join([topic, named] + [rules.party_terms.get(p, "") for p in parties]).strip()
    parts: tuple[Analysis, ...] = ()
    if not _part and not {"deal", "product_check"} & set(names):
        pieces = question_parts(question)
        diff = rules.difference.search(q) if len(pieces) < 2 else None
        if diff:
            pieces = [f"{diff.group('x')}とは？", f"{diff.group('y')}とは？"]
        diff_en = rules.difference_en.search(q) if len(pieces) < 2 and not diff else None
        if diff_en:
            pieces = [f"What is {diff_en.group('x')}?", f"What is {diff_en.group('y')}?"]
        each = next(((m, form) for m, form in ((rx.search(question), form) for rx, form in rules.each) if m), None) \
            if len(pieces) < 2 else None
        if each:
            # 「公知の技術と基礎科学の研究について、根拠の条項をそれぞれ」: the asked thing once for each named subject
            m, form = each
            pieces = [form.format(subject=m.group(n).strip(), what=m.group("what").strip()) for n in ("x", "y")]
        if len(pieces) >= 2:
            first = analyse(pieces[0], tables, _part=True)
            # later parts inherit the first part's subject (「グループAは何カ国？韓国は入ってる？」)
            parts = (first,) + tuple(_inherit(analyse(p, tables, _part=True), first, tables) for p in pieces[1:])
            names = ("multi_part",) + names
            fired.insert(0, Fired("multi_part", f"{len(parts)} parts"))
    pr = rules.premise
    asserting = bool(pr["asserting"].search(q))
    # 「許可なしで輸出したら罰則があるんですよね？」 "If we export without a licence, …": the condition is no premise
    from anpo.leads import without_condition
    not_needed = bool(pr["asserts_not_needed"].search(without_condition(q)))
    # 「どうしたらいい？」 asks how, even with 「許可なし」 in it; 「…いらないですよね？」 asserts
    wh = bool(pr["wh"].search(asked_sentence(q)))
    # 「許可なしで送っちゃった、まずい？」 tells a violation made, it asserts no exemption
    premise = "not_needed" if not_needed and "violation" not in names and (asserting or ("yesno" in names and not wh)) \
        else "asserted" if asserting else ""
    if premise == "not_needed":
        fired.append(Fired("premise", pr["asserts_not_needed"].search(q).group(0)))
        # the premise's own words (「安心」「不要」) say what is asserted, not what it is about
        topic = re.sub(r"\s+", " ", pr["asserts_not_needed"].sub(" ", topic)).strip()
    # "May I ask if …" asks a question, not for permission: the polite frame is read without it
    unframed = rules.ask_frame.sub(" ", q).strip()
    permission = bool(pr["permission"].search(unframed))
    if permission:
        fired.append(Fired("permission", pr["permission"].search(unframed).group(0)))
    intent = names[0] if names else "other"
    return Analysis(
        question=question, language=lang, intent=intent, intents=names, premise=premise, asserting=asserting,
        permission=permission, parts=parts, products=products, countries=countries, parties=parties,
        actions=actions, topic=topic, query=_query(topic, countries, products, _also(rules, names, premise, actions, question, topic)),
        dropped=tuple(dropped), fired=tuple(fired), slot_words=_slot_words(rules.parties, q) + asked_type_words(q),
        marked=_marked(asked_sentence(q)),
        # the words a row adds are what is asked, never situation words (they follow the ？)
        soft=tuple(w for w in _soft(topic, question) if w not in {g[0] for g in key_terms(named)}))


def _embedded_yesno(rules: Rules, q: str) -> str:
    """The cue of a yes/no question asked inside a request (data/intents.yaml `embedded`:
    「…必要か教えてください」「…グループAかどうか知りたい」 "Could you tell me whether …"), or "" when
    the embedded clause holds a question word (「何が必要か教えて」 asks what)."""
    m = rules.embedded.search(q)
    if m is None:
        return ""
    # a Japanese request follows its clause (「…必要か教えて」), an English one leads it ("tell me whether …")
    before = re.split(r"[。、,.!?？！]", q[:m.start()])[-1]
    clause = (q[m.end():] if m.group(0).isascii() else before).replace("かどうか", "")
    own = m.group(0).replace("かどうか", "")
    return "" if rules.premise["wh"].search(clause) or rules.premise["wh"].search(own) else m.group(0)


# the asked sentence's own topic marker: 「印紙って貼る必要ある？」「外注とは？」 (not the quoting 「…って言われた」)
_MARKED = re.compile(r"([\u30a0-\u30ff\u3400-\u9fff々a-z0-9]+)(?:って(?!(?:言|い)われ|聞い|話)|とは)")


def _marked(sentence: str) -> tuple[str, ...]:
    return tuple(g[0] for m in _MARKED.finditer(sentence) for g in key_terms(m.group(1)))


def _slot_words(rows: Sequence[SlotRule], q: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(0) for r in rows for m in r.pattern.finditer(q)))


def _inherit(part: Analysis, first: Analysis, tables: Tables | None = None) -> Analysis:
    words = [g[0] for g in key_terms(first.topic) if g[0] not in part.query]
    names = {normalize(c.name) for c in part.countries}
    if first.countries and not part.countries:
        # the destination stays the first part's (「北朝鮮向けはいつから禁止？向こうから輸入するのもアウト？」)
        part = replace(part, countries=first.countries)
        words += [c.name for c in first.countries if c.name and c.name not in part.query]
    groups = [m.group(0) for m in load_rules().premise["group_asked"].finditer(normalize(first.question))]
    if groups and names and not [g for g in key_terms(part.topic) if g[0] not in names]:
        # a part that names only a country (「グループAって何カ国？台湾も入ってる？」) asks it of the
        # group the first part asks about (its last name: 「旧ホワイト国、今のグループA」): asked again as
        # 「グループaに台湾も入ってる？」, so the country's group in the tables decides
        if load_rules().short_part.match(normalize(part.question)):
            # 「…グループA？台湾は？」: asked again as 「台湾はグループa？」
            return analyse(re.sub(r"[?？\s]+$", "", part.question) + groups[-1] + "？", tables, _part=True)
        return analyse(groups[-1] + "に" + part.question, tables, _part=True)
    own = [g[0] for g in key_terms(part.topic)]
    aspects = load_rules().aspects
    # the words asking for an answer type name an aspect too ("…, and how long does it take?" 「間隔は？」)
    told = set(asked_type_words(part.question))
    aspect_only = (any(w in normalize(part.question) for w in aspects) or bool(told)) \
        and all(w in aspects or w in told for w in own)
    if first.topic and "yesno" in part.intents and load_rules().pronoun.search(normalize(part.question)):
        # "…, and does it apply to catch-all?" 「それってグループAも対象？」: the pronoun is the first part's subject,
        # of which the part asks yes or no (a wh part, "How did the adviser help them?", keeps its own topic)
        # (the subject is context: a はい/いいえ must state the part's own words, so it is told, not asked)
        subject = [w for w in words if w not in aspects]
        return replace(part, query=" ".join([part.query, *subject]).strip(), topic=" ".join([part.topic, *subject]).strip(),
                       context=tuple(subject) if key_terms(part.topic) else ())
    # a part with no words of its own (「主な中身は？」「今から申し込んでも間に合う？」) asks of the first part's subject,
    # unless it asks only yes or no (「切れる前にやっておくことある？」): a はい/いいえ from a sentence about the
    # subject alone would answer what was not asked
    q = normalize(asked_clause(part.question))
    asks_type = any(t.asks.search(q) and not (t.unless and t.unless.search(q)) for t in load_rules().answer_types)
    if not aspect_only and (own or (not load_rules().premise["wh"].search(normalize(part.question))
                                    and "yesno" in part.intents and not asks_type)):
        # the first part's words are looked for, and choose among the part's sentences (anpo.compose
        # weights.inherited), but are not its topic: grounding and the lead stay on the part's own words
        return replace(part, query=" ".join([part.query, *words]).strip(), context=tuple(words))
    # a part that asks where/when/how much of nothing named (「あと、どこで見られる？」), or names only an
    # aspect (「やり方は？」「申し込みは？」), asks it of the first part's subject
    # (the subject, not the aspect the first part asked: 「料金はいくら？期間は？」 asks no 料金 again)
    subject = [w for w in words if w not in aspects]
    return replace(part, query=" ".join([part.query, *subject]).strip(), topic=" ".join([part.topic, *subject]).strip())


def _also(rules: Rules, names: Sequence[str], premise: str, actions: Sequence[str], question: str = "",
          topic: str = "") -> list[str]:
    """Words added to the retrieval query: a ban question looks for the ban, a premise
    question for what contradicts it, an action for the pack's word for it.  A topic named only
    by Latin words (「NACCSって何？」「CISTECとは？」) gets no intent words: one Latin word is one
    query token, which the intent's Japanese bigrams (とは といいます 位置づけ) would outweigh."""
    out = []
    words = [g[0] for g in key_terms(topic)] if topic else []
    latin_only = bool(words) and all(w.isascii() for w in words)
    for n in names:
        r = rules.intent(n)
        if r is not None and r.also and not latin_only:
            out.append(r.also)
    if premise == "not_needed":
        out.append(rules.premise_also)
    if "number" in names and question:
        q = normalize(question)
        out.append(next((also for ask, _, also in rules.number_units if ask.search(q)), ""))
    if question:
        # an asked type whose answer the question's own words seldom hold (「今から申し込んでも間に合う？」 is answered by
        # the intake sentence: 募集状況) looks for the words that hold it (answer_types `also`)
        q = normalize(question)
        out += [t.also for t in rules.answer_types if t.also and t.asks.search(q) and not (t.unless and t.unless.search(q))]
    out += [rules.action_terms.get(a, "") for a in actions]
    return [w for w in out if w]


def topic_terms(a: Analysis) -> list[tuple[str, ...]]:
    """The topic words grounding weighs (for --explain)."""
    return key_terms(a.topic)
