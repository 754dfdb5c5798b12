"""The claim checker: a generated answer is split into sentences, and a sentence is kept
only when the passages it cites support it.

A sentence is supported when
- it cites at least one passage, and every marker resolves to one;
- every 項番, country group (グループA…D), amount, year, period, percentage and plain
  number in it occurs in the cited passages (typed: 「5年」 needs 5年, 「2項」 needs 2項;
  令和8年 and 2026年 are the same year);
- its content bigrams (Japanese) or words (English) are present in the cited passages at
  least `threshold` of the time, and no topic word of it is mostly missing;
- its negation is not flipped: it has the same parity of negation cues (不要, 対象外,
  非該当, できない, not…; `anpo/data/claim_cues.tsv`) as the passage sentence it rests on.

An English sentence citing Japanese passages cannot be compared word by word: it is checked
*leniently* (its numbers, 項番 and groups must be present, and its dictionary terms that map
to Japanese, e.g. "deemed export" → みなし輸出, must occur); the verdict says `lenient`.

A short conclusion with no marker (はい／いいえ／一概には言えません) is kept only when the
sentence after it is supported, and はい/いいえ must agree with it (`lead_agrees`).
The default threshold was calibrated on `evals/claims.jsonl` (see evals/claims_scorer.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from retrieval.textnorm import canonical_only, content_tokens, expand, key_terms, normalize, read_tsv, \
    sentence_spans, tokens

CUES_PATH = Path(__file__).parent / "data" / "claim_cues.tsv"
# Calibrated on the calib half of evals/claims.jsonl (`anpo eval --claims` reruns it):
THRESHOLD = 0.85          # share of a sentence's content tokens the cited passages must contain
TERM_FLOOR = 0.0          # >0: a topic word with less than this share of its bigrams present is missing (off:
                          # on the labelled set it dropped fair paraphrases, 掲載 for 載っていない, and caught nothing new)
FACT_SENTENCES = 2        # a claim's figures must be in the best this many sentences of each cited passage
MARKER = re.compile(r"\[(\d+)\]")
_MARKER_LIST = re.compile(r"[［\[]\s*([0-9０-９]+(?:\s*[,，、]\s*[0-9０-９]+)+)\s*[］\]]")
_THINK = re.compile(r"<think>.*?(</think>|$)", re.S)
# a sentence ends at 。！？ (always) or . ! ? before a space, a marker or the end; the
# markers right after the end belong to the sentence
_END = re.compile(r"[。！？]|[.!?](?=\s|\[|$)|\n")
_TRAILING_MARKERS = re.compile(r"(?:\s*\[\d+\])+")
_CLAUSE = re.compile(r"[、，,;；:：]")


@dataclass(frozen=True)
class Claim:
    text: str                       # the sentence as generated, markers included
    markers: tuple[int, ...]

    @property
    def body(self) -> str:
        return re.sub(r"\s*\[\d+\]", "", self.text).strip()


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    supported: bool
    reason: str                     # "" when supported; else what failed (for notes)
    score: float = 0.0              # content coverage
    lenient: bool = False           # English sentence over Japanese passages
    spans: dict = field(default_factory=dict)   # passage position → offsets of the sentences it rests on


# ----------------------------------------------------------------- splitting

_SOURCES_LINE = re.compile(r"^\s*(出典|参考|根拠|資料|sources?|references?)\s*[:：]?\s*(\[\d+\][\s,、]*)+$",
                           re.I | re.M)
_MARKDOWN = re.compile(r"\*\*|__|^\s*#+\s*|^\s*(回答|answer)\s*[:：]\s*", re.I | re.M)


def clean_reply(text: str) -> str:
    """A model reply without reasoning blocks, Markdown emphasis, headings, a leading
    「回答:」 or a trailing 「出典: [1][2]」 line, with [1, 2]-style markers as [1][2]."""
    t = _THINK.sub("", text or "")
    t = _MARKDOWN.sub("", _SOURCES_LINE.sub("", t))

    def one_by_one(m):
        nums = re.findall(r"[0-9０-９]+", m.group(1))
        return "".join(f"[{int(n)}]" for n in nums)
    t = _MARKER_LIST.sub(one_by_one, t)
    t = re.sub(r"[［]\s*([0-9０-９]+)\s*[］]", lambda m: f"[{int(m.group(1))}]", t)
    return t.strip()


def split_claims(text: str) -> list[Claim]:
    """Sentences of a reply, each with the markers inside it or right after its end."""
    out, start = [], 0
    for m in _END.finditer(text):
        if m.start() < start:
            continue
        end = m.end()
        tail = _TRAILING_MARKERS.match(text, end)
        if tail:
            end = tail.end()
        _add(text[start:end], out)
        start = end
    _add(text[start:], out)
    return out


def _add(piece: str, out: list[Claim]) -> None:
    s = re.sub(r"^[\s\-・*●■]+", "", piece).strip()
    if not s:
        return
    if MARKER.fullmatch(re.sub(r"\s+", "", s)) or not MARKER.sub("", s).strip():
        if out:        # markers on a line of their own belong to the sentence before
            prev = out.pop()
            s = prev.text + " " + s
    out.append(Claim(s, tuple(int(n) for n in MARKER.findall(s))))


class SentenceStream:
    """Incremental `split_claims` over a streamed reply: `feed(piece)` returns the sentences
    completed so far (a sentence is complete once text other than its trailing markers
    follows it), `flush()` the rest.  Reasoning blocks and [1, 2] markers are cleaned."""

    _PARTIAL = re.compile(r"(\s*[\[［][0-9０-９,，、\s]*|\s*<[^>]*)$")

    def __init__(self):
        self.raw = ""
        self.emitted = 0

    def feed(self, piece: str) -> list[Claim]:
        self.raw += piece
        text = clean_reply(self._PARTIAL.sub("", self.raw))
        done = split_claims(text)[:-1]
        out, self.emitted = done[self.emitted:], max(self.emitted, len(done))
        return out

    def flush(self) -> list[Claim]:
        out = split_claims(clean_reply(self.raw))[self.emitted:]
        self.emitted += len(out)
        return out


# ----------------------------------------------------------------- cues

@lru_cache(maxsize=1)
def cues() -> dict[str, tuple[tuple[re.Pattern, str], ...]]:
    table: dict[str, list] = {}
    for row in read_tsv(CUES_PATH):
        kind, pattern, example = row[0], row[1], row[2] if len(row) > 2 else ""
        table.setdefault(kind, []).append((re.compile(pattern), example))
    return {k: tuple(v) for k, v in table.items()}


def negations(text: str) -> int:
    """How many negation cues a text has, after neutral look-alikes are removed."""
    t = normalize(text)
    for pat, _ in cues().get("neutral", ()):
        t = pat.sub(" ", t)
    return sum(len(pat.findall(t)) for pat, _ in cues().get("neg", ()))


def without_negations(text: str) -> str:
    """The text with its negation cues blanked (不要 → 「 」): whether a negation is right is
    the negation check's question, not the topic-word check's."""
    t = normalize(text)
    for pat, _ in cues().get("neg", ()):
        t = pat.sub(" ", t)
    return t


def strip_generic(text: str) -> str:
    """The text without framing words a paraphrase may add (可能性, 例えば, ください…)."""
    t = normalize(text)
    for pat, _ in cues().get("generic", ()):
        t = pat.sub(" ", t)
    return t


def meaningful_tokens(text: str) -> set[str]:
    """Content tokens without hiragana (kanji/katakana bigrams, numbers, Latin words):
    okurigana and particles are what a paraphrase is free to change."""
    return {t for t in content_tokens(text) if not re.search(r"[\u3040-\u309f]", t)}


def _words(text: str) -> set[str]:
    """Meaningful tokens without digits: what aligns a claim's clause with a passage's
    (figures are checked on their own and would pull a clause towards any date)."""
    return {t for t in meaningful_tokens(text) if not re.search(r"\d", t)}


def lead_kind(sentence: str) -> str | None:
    """'yes', 'no' or 'hedge' for a short conclusion without content; else None."""
    t = normalize(MARKER.sub("", sentence)).strip()
    for kind in ("yes", "no", "hedge"):
        if any(p.search(t) for p, _ in cues().get(f"lead_{kind}", ())):
            return kind
    return None


def lead_agrees(kind: str, question: str, next_sentence: str) -> bool:
    """はい when the supported sentence after it says what the question asks (same negation
    parity), いいえ when it says the opposite; a hedge always agrees."""
    if kind == "hedge":
        return True
    same = negations(question) % 2 == negations(next_sentence) % 2
    return same if kind == "yes" else not same


# ----------------------------------------------------------------- facts

_ERA = {"令和": 2018, "平成": 1988, "昭和": 1925}
_Y = r"(?:(令和|平成|昭和)(\d+|元)|(?<!\d)(\d{4}))"
_COUNTERS = r"(か国|カ国|ヶ国|箇国|団体|件|社|名|人|種類|項目|週間|時間|回|km|倍)"
# (kind, pattern) in order; a match is blanked so later patterns do not see it again
_FACTS = (
    ("date", re.compile(_Y + r"年(\d{1,2})月(?:(\d{1,2})日)?")),
    ("date", re.compile(r"(?<!\d)()()(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?!\d)")),
    ("year", re.compile(_Y + r"年度?")),
    ("項番", re.compile(r"(?<![\d.])(\d+)項\s*(?:\([^()]{0,12}\))?\s*の?\s*\((\d+(?:の\d+)?)\)")),
    ("第項", re.compile(r"第(\d+)項")),                         # a paragraph of an article, not a list item
    ("項", re.compile(r"(?<![\d.])(\d+(?:の\d+)?)(?:の)?項")),   # 16項, 1の項 (the formal way to write 1項)
    ("条", re.compile(r"第(\d+)条(?:の(\d+))?")),
    ("別表", re.compile(r"別表第?(\d+)(?:の(\d+))?")),
    ("group", re.compile(r"(?:グループ|group)\s*([a-z](?:\s*[・、〜~,/]\s*[a-z](?![a-z]))*)(?![a-z])")),
    ("円", re.compile(r"(\d+(?:\.\d+)?)\s*(億|千万|百万|万|million|billion)?\s*(?:円|yen)")),
    ("%", re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|パーセント|percent)")),
    ("count", re.compile(r"(\d+)\s*" + _COUNTERS)),
    ("年", re.compile(r"(\d+)\s*(?:年|years?\b)")),
    ("か月", re.compile(r"(\d+)\s*(?:か月|months?\b)")),
    ("日", re.compile(r"(\d+)\s*(?:日(?!本)|営業日|days?\b)")),
    ("year", re.compile(r"()()(?<!\d)((?:19|20)\d\d)(?!\d)")),
    ("num", re.compile(r"\d+(?:\.\d+)?")),
)
_MULT = {"億": 10 ** 8, "千万": 10 ** 7, "百万": 10 ** 6, "万": 10 ** 4, "million": 10 ** 6, "billion": 10 ** 9,
         None: 1, "": 1}
_COUNTER_SAME = {"カ国": "か国", "ヶ国": "か国", "箇国": "か国", "名": "人"}


def facts(text: str) -> set[tuple[str, str]]:
    """Typed figures in a text: ('項番', '2(17)'), ('項', '16'), ('group', 'a'),
    ('円', '10000000'), ('date', '2026-2-14') with its ('month', '2026-2') and ('year', '2026')…"""
    t = re.sub(r"(?<=\d)[,，](?=\d{3})", "", normalize(text))
    out: set[tuple[str, str]] = set()
    for kind, pat in _FACTS:
        def take(m, kind=kind):
            out.update(_values(kind, m))
            return " " * len(m.group(0))
        t = pat.sub(take, t)
    return out


def _year(m: re.Match) -> str:
    if m.group(1):
        return str(_ERA[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2))))
    return str(int(m.group(3)))


def _values(kind: str, m: re.Match) -> list[tuple[str, str]]:
    if kind == "date":
        y = _year(m)
        out = [("year", y), ("month", f"{y}-{int(m.group(4))}")]
        return out + ([("date", f"{y}-{int(m.group(4))}-{int(m.group(5))}")] if m.group(5) else [])
    if kind == "year":
        return [("year", _year(m))]
    if kind == "項番":
        return [("項番", f"{m.group(1)}({m.group(2)})"), ("項", m.group(1)), ("num", m.group(2))]
    if kind in ("条", "別表"):
        return [(kind, m.group(1) + (f"の{m.group(2)}" if m.group(2) else ""))]
    if kind == "group":
        letters = re.findall(r"[a-z]", m.group(1))
        if re.search(r"[〜~]", m.group(1)) and len(letters) == 2:
            letters = [chr(c) for c in range(ord(letters[0]), ord(letters[1]) + 1)]
        return [("group", x) for x in letters]
    if kind == "円":
        v = float(m.group(1)) * _MULT[m.group(2)]
        return [("円", str(int(v)) if v == int(v) else str(v))]
    if kind == "count":
        return [("count", m.group(1) + _COUNTER_SAME.get(m.group(2), m.group(2)))]
    if kind == "num":
        return [("num", m.group(0))]
    return [(kind, m.group(1))]


def missing_facts(claim: set, passage: set) -> list[tuple[str, str]]:
    """A typed fact needs the same fact in the passages; a plain number any fact of that value."""
    values = {v for _, v in passage}
    return sorted(f for f in claim if f not in passage and not (f[0] == "num" and f[1] in values))


# ----------------------------------------------------------------- checking

def _is_english(text: str) -> bool:
    letters = len(re.findall(r"[A-Za-z]", text))
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff]", text))
    return letters > 3 * max(1, cjk)


@dataclass(frozen=True)
class Passage:
    """What the model saw for one numbered passage, prepared for checking."""
    text: str                        # the passage text exactly as indexed (highlights index into it)
    context: str                     # title and locator, also shown to the model
    is_row: bool = False
    locator: str = ""                # where figures of the context are taken from (a title may span A〜D)

    @property
    def full(self) -> str:
        return self.context + "\n" + self.text


class ClaimChecker:
    """Checks sentences against numbered passages (position 1 = passages[0])."""

    def __init__(self, passages: Sequence[Passage], threshold: float = THRESHOLD,
                 term_floor: float = TERM_FLOOR, fact_sentences: int = FACT_SENTENCES):
        self.passages = list(passages)
        self.threshold = threshold
        self.term_floor = term_floor
        self.fact_sentences = fact_sentences
        self._prep: dict[int, _Prepared] = {}

    def resolves(self, claim: Claim) -> bool:
        return all(1 <= n <= len(self.passages) for n in claim.markers)

    def _prepared(self, pos: int) -> "_Prepared":
        if pos not in self._prep:
            self._prep[pos] = _prepare(self.passages[pos - 1])
        return self._prep[pos]

    def check(self, claim: Claim) -> Verdict:
        if not claim.markers:
            return Verdict(claim, False, "出典番号がない")
        if not self.resolves(claim):
            return Verdict(claim, False, "出典番号が資料と対応しない")
        cited = sorted(set(claim.markers))
        c = _analyse(claim.body)
        ranked = self._ranked(c.want, cited)
        spans = {pos: ((sents[0].start, sents[0].end),) for pos, sents in ranked.items() if sents}
        lacking = missing_facts(c.facts, self._facts_near(ranked, cited))
        if lacking:
            return Verdict(claim, False, "資料にない" + "・".join(_show(f) for f in lacking[:3]), spans=spans)
        if c.english and not any(_is_english(self.passages[p - 1].text) for p in cited):
            return self._check_lenient(claim, cited)
        have = set().union(*(self._prepared(p).tokens for p in cited))
        score = len(c.want & have) / len(c.want) if c.want else 0.0
        if score < self.threshold:
            return Verdict(claim, False, "資料で確認できない内容", score, spans=spans)
        missing = [a[0] for a in c.terms if not self._term_present(a, have)] if self.term_floor > 0 else []
        if missing:
            return Verdict(claim, False, f"資料にない語（{missing[0]}）", score, spans=spans)
        if self._flipped(c.predicates, ranked):
            return Verdict(claim, False, "否定・肯定が資料と逆", score, spans=spans)
        return Verdict(claim, True, "", score, spans=spans)

    def _ranked(self, want: set, cited: Sequence[int]) -> dict[int, list["_Sentence"]]:
        """Per cited passage, its sentences by how many tokens they share with the claim
        (sentences sharing none left out)."""
        out = {}
        for pos in cited:
            scored = sorted(self._prepared(pos).sentences, key=lambda x: (-len(want & x.tokens), x.start))
            out[pos] = [x for x in scored if want & x.tokens]
        return out

    def _facts_near(self, ranked, cited) -> set:
        """Facts of the passage sentences the claim rests on (the best few of each cited
        passage) and of the titles/locators: a figure from elsewhere in a long passage does
        not support a claim about something else (5年 of one penalty for another)."""
        out: set = set()
        for pos in cited:
            out |= self._prepared(pos).context_facts
            for x in ranked[pos][:self.fact_sentences]:
                out |= x.facts
        return out

    def _flipped(self, mine, ranked) -> bool:
        """True when a predicate of the claim (its last content word per clause: 必要/不要,
        適用, 公表…) has the opposite negation parity to the same predicate in the passages.
        Where the passages state it both ways, the sentences closest to the claim decide."""
        for anchor, parity in mine:
            found = [(rank, par) for sents in ranked.values() for rank, x in enumerate(sents)
                     for a, par in x.predicates if a == anchor]
            if not found:
                continue
            parities = {par for _, par in found}
            if len(parities) > 1:
                best = min(rank for rank, _ in found)
                parities = {par for rank, par in found if rank == best}
            if len(parities) == 1 and parity not in parities:
                return True
        return False

    def _term_present(self, alts: Iterable[str], have: set) -> bool:
        for a in alts:
            toks = set(tokens(a))
            if toks and len(toks & have) / len(toks) >= self.term_floor:
                return True
        return False

    def _check_lenient(self, claim: Claim, cited: Sequence[int]) -> Verdict:
        """English over Japanese passages: dictionary terms must occur in Japanese."""
        text = " ".join(self._prepared(p).normalized for p in cited)
        mapped = [alts for alts in key_terms(claim.body) if any(not a.isascii() for a in alts)]
        found = [alts for alts in mapped if any(not a.isascii() and a in text for a in alts)]
        score = len(found) / len(mapped) if mapped else 1.0
        if score < self.threshold:
            return Verdict(claim, False, "資料で確認できない内容", score, lenient=True)
        return Verdict(claim, True, "", score, lenient=True)


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    tokens: frozenset
    facts: frozenset
    predicates: tuple


@dataclass(frozen=True)
class _Prepared:
    tokens: frozenset
    context_facts: frozenset
    sentences: tuple
    normalized: str


@dataclass(frozen=True)
class _ClaimText:
    want: frozenset                  # meaningful tokens, framing words left out
    facts: frozenset
    english: bool
    terms: tuple                     # topic words (for the optional topic-word check)
    predicates: tuple


@lru_cache(maxsize=2048)
def _analyse(body: str) -> _ClaimText:
    core = strip_generic(body)
    return _ClaimText(frozenset(meaningful_tokens(core)), frozenset(facts(body)), _is_english(body),
                      tuple(key_terms(without_negations(core))), tuple(predicates(body)))


@lru_cache(maxsize=2048)
def _prepare(p: Passage) -> _Prepared:
    """A passage's tokens, sentences (with their tokens, facts and predicates) and the facts
    of its locator; cached, as the same passages are checked sentence after sentence."""
    spans = [(0, len(p.text))] if p.is_row else sentence_spans(p.text)
    sents = tuple(_Sentence(s, e, frozenset(tokens(expand(p.text[s:e]), normalized=True)),
                            frozenset(facts(p.text[s:e])), tuple(predicates(p.text[s:e])))
                  for s, e in spans)
    return _Prepared(frozenset(tokens(expand(p.full), normalized=True)),
                     frozenset(facts(p.locator or p.context)), sents, normalize(p.full))


# ----------------------------------------------------------------- predicates

_PAREN = re.compile(r"\([^()]*\)|「|」|『|』")
_CLAUSE_END = re.compile(r"[、,;:。!?\n]")
_LAST_RUN = re.compile(r"([^\u3040-\u309f\s\W]+|[a-z0-9]+)([\u3040-\u309f]*)\W*$")
_PREDICATE_TAIL = re.compile(r"[すたいるだんずうく]$")


def predicates(text: str) -> list[tuple[str, int]]:
    """(anchor, negation parity) of each clause that ends in a predicate: the anchor is
    the clause's last content word, with polarity pairs folded (不要 → 必要, 対象外 → 対象,
    非該当 → 該当; `pair` rows of the cue table), so 「許可は不要です」 and
    「許可が必要です」 share the anchor 必要 with parities 1 and 0.  The parity is that of
    the predicate itself (the word and the kana after it), not of the whole clause: in
    「規定されていない部品は含まれません」 only 「含まれません」 is the claim's polarity.
    Words of a polarity pair count wherever they stand (「輸出に必要な許可」 → (必要, 0))."""
    t = _PAREN.sub("", normalize(MARKER.sub("", text)))
    out = [(_anchor(m.group(1)), negations(m.group(0)) % 2) for m in _POLAR.finditer(t) if _is_polar(m.group(1))]
    pieces = _CLAUSE_END.split(t)
    for i, clause in enumerate(pieces):
        clause = clause.strip()
        m = _LAST_RUN.search(clause)
        if not m or re.fullmatch(r"[0-9]+", m.group(1)):
            continue
        run, tail = m.group(1), m.group(2)
        sentence_final = i + 1 < len(pieces) and t[sum(len(x) + 1 for x in pieces[:i]) + len(pieces[i]):][:1] in "。!?\n" \
            if i + 1 < len(pieces) else True
        if not (_PREDICATE_TAIL.search(tail) or (not tail and sentence_final)):
            continue
        out.append((_anchor(run), negations(run + tail) % 2))
    return out


_POLAR = re.compile(r"([^\u3040-\u309f\s\W]+)([\u3040-\u309f]*)")


def _is_polar(run: str) -> bool:
    """A word of a polarity pair (必要/不要, 対象/対象外…) carries polarity wherever it stands."""
    return any((m := pat.search(run)) and m.end() == len(run) for pat, _ in cues().get("pair", ()))


def _anchor(run: str) -> str:
    for pat, _ in cues().get("pair", ()):
        m = pat.search(run)
        if m and m.end() == len(run):
            return m.lastgroup or m.group(0)
    return run[-2:]


def _show(fact: tuple[str, str]) -> str:
    kind, v = fact
    return {"項": f"{v}項", "項番": v.replace("(", "項("), "group": f"グループ{v.upper()}", "year": f"{v}年",
            "円": f"{v}円", "条": f"第{v}条", "別表": f"別表第{v}", "年": f"{v}年", "か月": f"{v}か月",
            "日": f"{v}日", "%": f"{v}%"}.get(kind, v)


def passages_of(hits) -> list[Passage]:
    """The passages as the model saw them (title and locator with each text)."""
    return [Passage(h.chunk.text, f"{h.chunk.title}（{h.chunk.locator}）", bool(h.chunk.fields), h.chunk.locator)
            for h in hits]
