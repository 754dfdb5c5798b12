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
THRESHOLD = 0.75          # share of a sentence's content tokens the cited passages must contain
TERM_FLOOR = 0.5          # a topic word with less than this share of its bigrams present is missing
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

def clean_reply(text: str) -> str:
    """A model reply without reasoning blocks, with [1, 2]-style markers as [1][2]."""
    t = _THINK.sub("", text or "")

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
_FACTS = (
    ("year", re.compile(r"(令和|平成|昭和)(\d+|元)年")),
    ("year", re.compile(r"(?<!\d)(\d{4})(?:年|-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2})")),
    ("項", re.compile(r"(?<![\d.])(\d+)項")),
    ("条", re.compile(r"第(\d+)条")),
    ("group", re.compile(r"(?:グループ|group|区分)\s*([a-d])(?![a-z])")),
    ("円", re.compile(r"(\d+(?:\.\d+)?)\s*(億|千万|百万|万)?\s*(?:円|yen)")),
    ("%", re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|パーセント|percent)")),
    ("年", re.compile(r"(\d+)\s*(?:年|years?\b)")),
    ("か月", re.compile(r"(\d+)\s*(?:か月|months?\b)")),
    ("日", re.compile(r"(\d+)\s*(?:日(?!本)|営業日|days?\b)")),
    ("num", re.compile(r"\d+(?:\.\d+)?")),
)
_MULT = {"億": 10 ** 8, "千万": 10 ** 7, "百万": 10 ** 6, "万": 10 ** 4, None: 1, "": 1}


def facts(text: str) -> set[tuple[str, str]]:
    """Typed figures in a text: ('項', '16'), ('group', 'a'), ('円', '10000000'), ('year', '2026')…"""
    t = re.sub(r"(?<=\d)[,，](?=\d{3})", "", normalize(text))
    out: set[tuple[str, str]] = set()
    for kind, pat in _FACTS:
        def take(m, kind=kind):
            out.add((kind, _value(kind, m)))
            return " " * len(m.group(0))
        t = pat.sub(take, t)
    return out


def _value(kind: str, m: re.Match) -> str:
    if kind == "year" and m.group(1) in _ERA:
        n = 1 if m.group(2) == "元" else int(m.group(2))
        return str(_ERA[m.group(1)] + n)
    if kind == "円":
        v = float(m.group(1)) * _MULT[m.group(2)]
        return str(int(v)) if v == int(v) else str(v)
    if kind == "num":
        return m.group(0)
    return m.group(1)


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

    @property
    def full(self) -> str:
        return self.context + "\n" + self.text


class ClaimChecker:
    """Checks sentences against numbered passages (position 1 = passages[0])."""

    def __init__(self, passages: Sequence[Passage], threshold: float = THRESHOLD,
                 term_floor: float = TERM_FLOOR):
        self.passages = list(passages)
        self.threshold = threshold
        self.term_floor = term_floor
        self._prep: dict[int, tuple] = {}

    def resolves(self, claim: Claim) -> bool:
        return all(1 <= n <= len(self.passages) for n in claim.markers)

    def _prepared(self, pos: int):
        if pos not in self._prep:
            p = self.passages[pos - 1]
            spans = [(0, len(p.text))] if p.is_row else sentence_spans(p.text)
            sents = [(s, e, set(tokens(expand(p.text[s:e]), normalized=True))) for s, e in spans]
            clauses = [(c, _words(c)) for s, e in spans for c in _CLAUSE.split(p.text[s:e]) if c.strip()]
            self._prep[pos] = (set(tokens(expand(p.full), normalized=True)), facts(p.full), sents,
                               normalize(p.full), clauses)
        return self._prep[pos]

    def check(self, claim: Claim) -> Verdict:
        body = claim.body
        if not claim.markers:
            return Verdict(claim, False, "出典番号がない")
        if not self.resolves(claim):
            return Verdict(claim, False, "出典番号が資料と対応しない")
        cited = sorted(set(claim.markers))
        have: set = set()
        fact_have: set = set()
        for pos in cited:
            toks, fs = self._prepared(pos)[:2]
            have |= toks
            fact_have |= fs
        lacking = missing_facts(facts(body), fact_have)
        if lacking:
            return Verdict(claim, False, "資料にない" + "・".join(_show(f) for f in lacking[:3]))
        english = _is_english(body) and not any(_is_english(self.passages[p - 1].text) for p in cited)
        if english:
            return self._check_lenient(claim, cited)
        core = strip_generic(body)
        want = meaningful_tokens(core)
        score = len(want & have) / len(want) if want else 0.0
        spans = self._best_sentences(want, cited)
        if score < self.threshold:
            return Verdict(claim, False, "資料で確認できない内容", score, spans=spans)
        missing = [a[0] for a in key_terms(without_negations(core)) if not self._term_present(a, have)]
        if missing:
            return Verdict(claim, False, f"資料にない語（{missing[0]}）", score, spans=spans)
        if self._flipped(body, cited):
            return Verdict(claim, False, "否定・肯定が資料と逆", score, spans=spans)
        return Verdict(claim, True, "", score, spans=spans)

    def _flipped(self, body: str, cited: Sequence[int]) -> bool:
        """True when a clause of the claim has the opposite negation parity of the passage
        clause it matches best (clauses, not whole sentences: a passage sentence may hold
        a negation about something else)."""
        clauses = [c for pos in cited for c in self._prepared(pos)[4]]
        for part in _CLAUSE.split(body):
            want = _words(strip_generic(part))
            if len(want) < 2:
                continue
            n, text = max(((len(want & toks), -len(toks)), text) for text, toks in clauses) if clauses else ((0, 0), "")
            if n[0] >= 2 and negations(part) % 2 != negations(text) % 2:
                return True
        return False

    def _term_present(self, alts: Iterable[str], have: set) -> bool:
        for a in alts:
            toks = set(tokens(a))
            if toks and len(toks & have) / len(toks) >= self.term_floor:
                return True
        return False

    def _best_sentences(self, want: set, cited: Sequence[int]):
        """Per cited passage, the offsets of the sentence sharing most tokens with the claim."""
        spans = {}
        for pos in cited:
            sents = self._prepared(pos)[2]
            scored = sorted(((len(want & toks), s, e) for s, e, toks in sents), reverse=True)
            if scored and scored[0][0] > 0:
                spans[pos] = ((scored[0][1], scored[0][2]),)
        return spans

    def _check_lenient(self, claim: Claim, cited: Sequence[int]) -> Verdict:
        """English over Japanese passages: dictionary terms must occur in Japanese."""
        text = " ".join(self._prepared(p)[3] for p in cited)
        mapped = [alts for alts in key_terms(claim.body) if any(not a.isascii() for a in alts)]
        found = [alts for alts in mapped if any(not a.isascii() and a in text for a in alts)]
        score = len(found) / len(mapped) if mapped else 1.0
        if score < self.threshold:
            return Verdict(claim, False, "資料で確認できない内容", score, lenient=True)
        return Verdict(claim, True, "", score, lenient=True)


def _show(fact: tuple[str, str]) -> str:
    kind, v = fact
    return {"項": f"{v}項", "group": f"グループ{v.upper()}", "year": f"{v}年", "円": f"{v}円", "条": f"第{v}条",
            "年": f"{v}年", "か月": f"{v}か月", "日": f"{v}日", "%": f"{v}%"}.get(kind, v)


def passages_of(hits) -> list[Passage]:
    """The passages as the model saw them (title and locator with each text)."""
    return [Passage(h.chunk.text, f"{h.chunk.title}（{h.chunk.locator}）", bool(h.chunk.fields)) for h in hits]
