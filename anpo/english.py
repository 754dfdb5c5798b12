"""English answers for English questions, from the pack's English restatements.

`knowledge/en/<doc_id>.yaml` restates every section and table row of the pack in plain
English: `{doc_id, reviewed, sections: {locator: text}}`, one English sentence per line,
aligned with the Japanese sentences (`retrieval.textnorm.sentence_spans`) of that section's
passages in index order.  The Japanese passage stays the authority: `to_english` keeps every
citation's `text` exactly as indexed and adds `text_en` beside it, and builds the answer body
from the English sentences that correspond to the Japanese sentences the composer chose,
each with its `[n]`.  Fixed words (leads, checklist headings, caveats, the refusal) come
from `anpo/data/english.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import yaml

from anpo.models import Answer, Citation
# bound once: the English check reads the situation as the grounding reads it (and stays out of the way when a
# test takes the grounding's reading away)
from anpo.grounding import _told_before_english_ask as _told_before_ask
from retrieval.textnorm import sentence_spans
from retrieval.types import Chunk

PHRASES_PATH = Path(__file__).parent / "data" / "english.yaml"
MARKER = re.compile(r"\s*\[(\d+)\]")


@dataclass(frozen=True)
class EnglishDoc:
    """One document's English restatement: sentences per locator."""
    doc_id: str
    reviewed: str
    sections: Mapping[str, tuple[str, ...]]


def _lines(text) -> tuple[str, ...]:
    return tuple(l.strip() for l in str(text or "").splitlines() if l.strip())


def load_docs(en_dir: Path) -> dict[str, EnglishDoc]:
    """Every `<doc_id>.yaml` under en_dir (files starting with `_` are not documents)."""
    out = {}
    for p in sorted(Path(en_dir).glob("*.yaml")):
        if p.name.startswith("_"):
            continue
        d = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        doc_id = str(d.get("doc_id") or p.stem)
        out[doc_id] = EnglishDoc(doc_id, str(d.get("reviewed") or ""),
                                 {str(k): _lines(v) for k, v in (d.get("sections") or {}).items()})
    return out


def japanese_sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


class EnglishPack:
    """The English restatements bound to one index generation's chunks: for each chunk, the
    English sentences aligned with its Japanese sentences (None when its section has no
    English or the counts do not match)."""

    def __init__(self, docs: Mapping[str, EnglishDoc], chunks: Iterable[Chunk]):
        self.docs = docs
        self._by_chunk: dict[str, tuple[str, ...]] = {}
        groups: dict[tuple[str, str], list[Chunk]] = {}
        for c in chunks:
            groups.setdefault((c.doc_id, c.locator), []).append(c)
        for (doc_id, loc), cs in groups.items():
            doc = docs.get(doc_id)
            en = doc.sections.get(loc) if doc else None
            cs = sorted(cs, key=lambda c: c.chunk_id)
            counts = [len(sentence_spans(c.text)) for c in cs]
            if not en or len(en) != sum(counts):
                continue
            i = 0
            for c, n in zip(cs, counts):
                self._by_chunk[c.chunk_id] = tuple(en[i:i + n])
                i += n

    def sentences(self, chunk: Chunk | Citation) -> tuple[str, ...] | None:
        return self._by_chunk.get(chunk.chunk_id)

    def english_for(self, chunk: Chunk | Citation) -> str | None:
        s = self.sentences(chunk)
        return " ".join(s) if s else None


_PACKS: dict[tuple[str, int], EnglishPack] = {}


def pack_for(index, knowledge_dir: Path) -> EnglishPack:
    """The pack for this index generation, built once per process and generation."""
    key = (str(Path(knowledge_dir) / "en"), id(index))
    if key not in _PACKS:
        _PACKS.clear()            # one generation at a time: the old one is no longer served
        _PACKS[key] = EnglishPack(load_docs(Path(knowledge_dir) / "en"), index.chunks)
    return _PACKS[key]


# ----------------------------------------------------------------- reading an English question

@dataclass(frozen=True)
class TermRow:
    """One row of the English reading tables: English wordings → the pack's Japanese words
    ("" for filler, whose words are dropped from the topic)."""
    name: str
    pairs: tuple[tuple[re.Pattern, str], ...]
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()

    @property
    def patterns(self) -> tuple[re.Pattern, ...]:
        return tuple(p for p, _ in self.pairs)


def _row(r: Mapping, kind: str) -> TermRow:
    if kind == "glossary":          # one row, several words each with its own Japanese
        pairs = tuple((re.compile(en, re.I), str(ja)) for en, ja in r["map"].items())
    else:
        ja = "" if kind in ("details", "filler") else str(r["ja"])
        pairs = tuple((re.compile(en, re.I), ja) for en in r["en"])
    return TermRow(str(r["name"]), pairs, tuple(r.get("examples", ())), tuple(r.get("not_examples", ())))


@lru_cache(maxsize=1)
def term_rows() -> tuple[TermRow, ...]:
    """The rows of data/english.yaml in the order they apply: incidental `details` (dropped
    first, before their words can be mapped), the term map (`terms`), the `glossary`, `filler`."""
    d = yaml.safe_load(PHRASES_PATH.read_text(encoding="utf-8"))
    return tuple(_row(r, kind) for kind in ("details", "terms", "glossary", "filler") for r in d.get(kind, ()))


def japanese_topic(topic: str, dropped: list[str] | None = None) -> str:
    """An English question's topic in the pack's words: each wording in the term map is
    replaced by its Japanese words (the pack is Japanese, so an English word weighs against
    answering unless it is mapped), and courtesy phrases ("could you let us know") are
    dropped.  `dropped` collects what was removed or replaced, for --explain."""
    t = quantities_ja(topic, dropped)
    for row in term_rows():
        for rx, ja in row.pairs:
            def sub(m, ja=ja):
                ja = m.expand(ja)           # a row may copy a group ("group d" → グループd)
                if dropped is not None and m.group(0).strip():
                    dropped.append(f"{m.group(0).strip()}→{ja}" if ja else m.group(0).strip())
                return f" {ja} "
            # one space between words after each replacement: a later row's pattern reads "realised " then a word, and a
            # replaced wording's padding (" リスト規制 ") must not hide the word from it
            t = re.sub(r"\s{2,}", " ", rx.sub(sub, t))
    return _framing(re.sub(r"\s+", " ", t).strip(), dropped)


@lru_cache(maxsize=1)
def _quantity_table() -> tuple[re.Pattern, dict, dict]:
    """The `quantities` table of data/english.yaml: number words, multipliers and units."""
    d = yaml.safe_load(PHRASES_PATH.read_text(encoding="utf-8"))["quantities"]
    words = {str(k).lower(): int(v) for k, v in d["number_words"].items()}
    mult = {str(k).lower(): int(v) for k, v in d["multipliers"].items()}
    units = {}
    for ja, ens in d["units"].items():
        for en in ens:
            units[str(en).lower()] = str(ja)
    num = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + ")"
    mul = "|".join(sorted(map(re.escape, mult), key=len, reverse=True))
    unit = "|".join(sorted(map(re.escape, units), key=len, reverse=True))
    rx = re.compile(rf"(?:(?P<pre>¥|jpy|yen)\s?)?\b(?P<num>{num})(?:[- ]?(?P<mul>{mul})\b)?"
                    rf"(?:[- ]?(?P<unit>{unit})(?!\w))?", re.I)
    return rx, words, {"mult": mult, "units": units}


def _yen(n: float) -> str:
    """An amount of yen in the pack's notation: 100万円, 2,000万円, 5億円, 82,500円."""
    n = int(round(n))
    if n >= 10 ** 8 and n % 10 ** 8 == 0:
        return f"{n // 10 ** 8:,}億円"
    if n >= 10 ** 4 and n % 10 ** 4 == 0:
        return f"{n // 10 ** 4:,}万円"
    return f"{n:,}円"


def quantities_ja(text: str, dropped: list[str] | None = None) -> str:
    """Amounts and periods in English ("1 million yen", "¥50,000", "90 days", "six months") in the
    pack's Japanese notation (100万円, 5万円, 90日, 6か月): the pack writes every amount and period
    that way, so the English words ("million", "yen", "days") would otherwise be unknown words that
    weigh against answering and find nothing (data/english.yaml `quantities`)."""
    rx, words, t = _quantity_table()

    def sub(m):
        unit = t["units"].get((m["unit"] or "").lower())
        if m["pre"] and not unit:
            unit = "円"
        if not unit:
            return m.group(0)
        raw = m["num"].lower()
        value = float(words[raw]) if raw in words else float(raw.replace(",", ""))
        if m["mul"]:
            value *= t["mult"][m["mul"].lower()]
        if unit == "円":
            ja = _yen(value)
        elif value != int(value):
            return m.group(0)
        else:
            ja = f"{int(value)}{unit}"
        if dropped is not None:
            dropped.append(f"{m.group(0).strip()}→{ja}")
        return f" {ja} "
    return _dates_ja(rx.sub(sub, text), dropped)


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = r"(?P<mon>" + "|".join(rf"{m[:3]}(?:{m[3:]})?\.?" if len(m) > 3 else m for m in _MONTHS) + r")"
_DATES = (
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?: of)? {_MONTH},? (?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b{_MONTH} (?P<d>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b{_MONTH}(?: of)?,? (?P<y>(?:19|20)\d\d)\b", re.I),
)


def _dates_ja(text: str, dropped: list[str] | None = None) -> str:
    """A date in English ("12 September 2025", "September 12, 2025", "Feb 2026") as the pack writes it
    (2025年9月12日, 2026年2月): the month's English name is no word of the pack."""
    def sub(m):
        mon = m["mon"].lower().rstrip(".")
        month = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(mon))
        day = m.groupdict().get("d")
        ja = f"{m['y']}年{month}月" + (f"{int(day)}日" if day else "")
        if dropped is not None:
            dropped.append(f"{m.group(0).strip()}→{ja}")
        return f" {ja} "
    for rx in _DATES:
        text = rx.sub(sub, text)
    return text


def _framing(topic: str, dropped: list[str] | None) -> str:
    """Framing words ("… about export control") name the field, not the asked thing: they are
    dropped when other topic words remain, kept (in the pack's words) when they are the topic."""
    from retrieval.textnorm import key_terms
    for row in framing_rows():
        for rx, ja in row.pairs:
            if not rx.search(topic):
                continue
            rest = rx.sub(" ", topic)
            if key_terms(rest):
                if dropped is not None:
                    dropped.extend(m.group(0).strip() for m in rx.finditer(topic))
                topic = rest
            else:
                topic = rx.sub(f" {ja} ", topic)
    return re.sub(r"\s+", " ", topic).strip()


@lru_cache(maxsize=1)
def framing_rows() -> tuple[TermRow, ...]:
    d = yaml.safe_load(PHRASES_PATH.read_text(encoding="utf-8"))
    return tuple(_row(r, "terms") for r in d.get("framing", ()))


def fired_terms(question: str) -> list[str]:
    """The term-map rows an English question fires (for tests and --explain)."""
    from retrieval.textnorm import normalize
    q = normalize(question)
    return [r.name for r in term_rows() if any(rx.search(q) for rx in r.patterns)]


_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


def english_frame(question: str) -> bool:
    """An English sentence around Japanese terms ("What does 該非判定 mean?", "Is キャッチオール規制
    needed for Group A?"): it opens with an English question or subject word (`english_frame`
    in data/english.yaml), has at least two English words and no hiragana (a Japanese
    sentence always has particles)."""
    words = _LATIN_WORD.findall(question)
    if len(words) < 2 or _HIRAGANA.search(question):
        return False
    first = re.match(r"\s*([A-Za-z]+)", question)
    return bool(first) and first.group(1).lower() in _frame_words()


@lru_cache(maxsize=1)
def _frame_words() -> frozenset:
    d = yaml.safe_load(PHRASES_PATH.read_text(encoding="utf-8"))
    return frozenset(w.lower() for w in d["english_frame"]["openers"])


# ----------------------------------------------------------------- the answer

@lru_cache(maxsize=1)
def phrases() -> dict:
    d = yaml.safe_load(PHRASES_PATH.read_text(encoding="utf-8"))
    d["_lines"] = [(re.compile(r["ja"]), r["en"]) for r in d["lines"]]
    d["_caveats"] = [(re.compile(r["ja"]), r["en"]) for r in d["caveats"]]
    return d


_UNCONFIRMED_JA = re.compile(r"[（(]未確認[）)]")
_UNCONFIRMED_EN = re.compile(r"\s*\(unconfirmed\)")


def _norm(s: str) -> str:
    return re.sub(r"[\s。．.、,]", "", unicodedata.normalize("NFKC", _UNCONFIRMED_JA.sub("", s)))


def _has_japanese(s: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff]", s))


def refusal_en(answer: Answer) -> Answer:
    """The refusal in English only (the desk's Japanese name in brackets)."""
    p = phrases()
    m = re.search(r"ご質問は「(?P<field>[^」]+)」に関するもの.*?。(?P<desk>[^。]+)にご確認ください", answer.answer)
    if m:
        field = p["fields"].get(m["field"], m["field"])
        desk = p["desks"].get(m["desk"], m["desk"])
        text = p["refusal_field"].format(field=field, desk=desk)
    else:
        text = p["refusal"]
    return replace(answer, answer=text, notes=tuple(_note(n) for n in answer.notes))


def _note(n: str) -> str:
    return phrases()["notes"].get(n, n)


def _sentence_indexes(line: str, cit: Citation) -> list[int]:
    """Which sentences of the cited passage the line quotes (by their normalised text)."""
    nl = _norm(line)
    return [i for i, s in enumerate(japanese_sentences(cit.text)) if len(_norm(s)) > 3 and _norm(s) in nl]


def _highlighted(cit: Citation) -> list[int]:
    spans = sentence_spans(cit.text)
    return [i for i, (s, e) in enumerate(spans) if any(s < he and hs < e for hs, he in cit.highlight)]


def _connective_dropped(ja: str, en: str, i: int, quoted: set) -> str:
    """The English sentence without its opening connective ("So even…", "As a result, …") when
    its Japanese one opens with a connective (「このため、」) and the sentence it refers to, the one
    before it in the passage, is not quoted just above: the Japanese answer drops it then too
    (anpo.leads.alone)."""
    from anpo import leads
    if i - 1 in quoted or not leads.rules().connective.match(ja.lstrip()):
        return en
    rx = re.compile(r"^(?:" + "|".join(phrases()["connectives_en"]) + r")\b,?\s+")
    rest = rx.sub("", en, count=1)
    return rest[:1].upper() + rest[1:] if rest != en else en


def _english_for_marker(line: str, cit: Citation | None, pack: EnglishPack, whole: bool,
                        prev: frozenset = frozenset()) -> str:
    """The English of the sentences of `cit` the line quotes; `prev`: the sentence indexes of
    `cit` quoted by the line just above (a connective that refers to one of them stays)."""
    if cit is None:
        return ""
    en = pack.sentences(cit)
    idx = _sentence_indexes(line, cit)
    if not en:      # no restatement (an upload): quote the Japanese rather than lose the fact
        ja = japanese_sentences(cit.text)
        return " ".join(ja[i] for i in (idx or _highlighted(cit) or [0]) if i < len(ja))
    if not idx and not whole:
        idx = _highlighted(cit) or [0]
    if not idx:
        idx = list(range(len(en)))
    # the body drops the mark as finalize does for Japanese; a caveat line names the source
    ja, out = japanese_sentences(cit.text), []
    for i in dict.fromkeys(idx):
        text = _UNCONFIRMED_EN.sub("", en[i])
        if i < len(ja):
            text = _connective_dropped(ja[i], text, i, set(prev) | set(idx[:idx.index(i)]))
        out.append(text)
    return " ".join(out)


def _quoted(line: str, cites: Mapping[int, Citation]) -> dict[int, frozenset]:
    """Per marker of the Japanese line, the indexes of that passage's sentences it quotes."""
    nums = [int(n) for n in MARKER.findall(line)]
    core = MARKER.sub("", line).strip()
    return {n: frozenset(_sentence_indexes(core, cites[n])) for n in nums if n in cites}


def _opening(core: str) -> tuple[str, str, bool]:
    """(English opening, the rest of the Japanese line, whether the line quotes whole rows)."""
    p = phrases()
    parts = []
    for ja, en in p["leads"].items():
        if core.startswith(ja):
            parts.append(en)
            core = core[len(ja):]
            break
    m = re.match(r"^(\d+)\.\s*(?:【(?P<status>[^】]+)】)?(?P<head>[^:：]{1,20})[:：]\s*", core)
    if m and m["head"] in p["headings"]:
        status = p["status"].get(m["status"] or "", "")
        parts.append(f"{m.group(1)}. " + (f"[{status}] " if status else "") + p["headings"][m["head"]] + ":")
        core = core[m.end():]
    found = []
    text = unicodedata.normalize("NFKC", core)
    for rx, en in p["_lines"]:
        for mm in rx.finditer(text):
            found.append((mm.start(), en.format(**{k: _group_en(k, v) for k, v in mm.groupdict().items()}),
                          "items" in mm.groupdict()))
    found.sort(key=lambda f: f[0])
    parts += [f[1] for f in found]
    return " ".join(parts), core, any(f[2] for f in found)


_ITEM_REF = re.compile(r"(\d+(?:の\d+)?)項(\(\d+(?:の\d+)?\))?")


def _group_en(name: str, value: str | None) -> str:
    """A value copied from the Japanese line, in English where it can be: 項番 as `6(2)`."""
    value = value or ""
    if name == "product":
        return _product_en(value)
    if not _has_japanese(value):
        return value.rstrip(".。!?！？ ")
    if name == "label":
        return phrases()["labels"].get(value, "item")
    if name == "items":
        refs = [f"{m[1]}{m[2] or ''}".replace("の", "-") for m in _ITEM_REF.finditer(value)]
        return ", ".join(dict.fromkeys(refs)) or "cited below"
    parties = phrases()["parties"]
    if name in ("user", "value") and all(x in parties for x in re.split(r"[、・]", value)):
        return ", ".join(parties[x] for x in re.split(r"[、・]", value))
    return {"user": "the party named", "value": "as stated"}.get(name, "")


def _product_en(value: str) -> str:
    """The product as the asker named it, quoted, also when the name is Japanese (a Japanese turn
    before an English one, or a Japanese word in an English sentence): “カーボンのパイプ”, never
    "the item".  No English gloss is made up for it: the list-control rows cited below say in
    English what the entries are."""
    return f"“{value.strip().rstrip('.。!?！？ ')}”"


_BULLET = re.compile(r"^[・•]\s*(?P<step>.+?)(?:[（(]確認先[:：]\s*(?P<ask>.+)[)）])?$")


def _step_en(plain: str) -> str | None:
    """A next-step bullet of the deal check (「・該非判定を行う（確認先: …）」) in English, or None
    when the line is no such bullet or its step is not in the `steps` table."""
    m = _BULLET.match(unicodedata.normalize("NFKC", plain))
    if not m:
        return None
    p = phrases()
    asks = {unicodedata.normalize("NFKC", k): v for k, v in p["asks"].items()}
    ask = lambda a: asks.get(unicodedata.normalize("NFKC", a or "").strip(), "")
    for ja, en in p["steps"].items():
        mm = re.fullmatch(unicodedata.normalize("NFKC", ja).replace("(", r"\(").replace(")", r"\)")
                          .replace(r"\(?P<ask>.+\)", "(?P<ask>.+)"), m["step"].strip())
        if mm:
            text = en.format(ask=ask(mm.groupdict().get("ask")) or "METI") if "{ask}" in en else en
            who = ask(m["ask"])
            return f"• {text}" + (f" (ask: {who})" if who else "") + "."
    return None


def leftover_japanese(line: str, cites: Mapping[int, Citation]) -> list[str]:
    """The Japanese sentences of one answer line that its English would lose: neither a lead,
    a heading, a fixed line of `lines`, a next step, nor a sentence of a cited passage (whose
    English comes from the restatement).  Empty for every line the composer writes (tested)."""
    p = phrases()
    plain = MARKER.sub("", line).strip()
    if not plain or not _has_japanese(plain) or _step_en(plain) or plain.startswith("判断に迷う場合は") \
            or any(rx.search(line.strip()) for rx, _ in p["_caveats"]):
        return []
    _, core, _ = _opening(plain)
    text = unicodedata.normalize("NFKC", core)
    for ja in p["leads"]:
        text = text.removeprefix(ja)
    spans = [m.span() for rx, _ in p["_lines"] for m in rx.finditer(text)]
    cited = {_norm(s) for c in cites.values() for s in japanese_sentences(c.text) if len(_norm(s)) > 3}
    out, start = [], 0
    for m in re.finditer(r"[^。]+(?:。|$)", text):
        s, (a, b) = m.group(0), m.span()
        n, whole = _norm(re.sub(r"「[^」]*」|[(（][^)）]*[)）]", "", s)), _norm(s)
        covered = any(a < e and s_ < b for s_, e in spans) or any(whole in c or c in whole for c in cited)
        if _has_japanese(n) and len(n) > 3 and not covered:
            out.append(s.strip())
    return out


def _line_en(line: str, cites: Mapping[int, Citation], pack: EnglishPack,
             prev: Mapping[int, frozenset] | None = None) -> str | None:
    p = phrases()
    plain = line.strip()
    if not plain:
        return None
    step = _step_en(plain)
    if step:
        return step
    if plain.startswith("Answer from the Japanese sources"):
        return None
    for rx, en in p["_caveats"]:
        m = rx.search(plain)
        if m:
            refs = m.groupdict().get("refs", "").replace("、", ", ")
            return en.format(refs=refs, date=m.groupdict().get("date", ""), **{"is": "are" if "," in refs else "is"})
    if plain.startswith("判断に迷う場合は"):
        return p["desk_line"]
    if not _has_japanese(plain):
        return plain
    nums = [int(n) for n in MARKER.findall(plain)]
    core = MARKER.sub("", plain).strip()
    opening, rest, whole = _opening(core)
    bodies = []
    for n in dict.fromkeys(nums):
        en = _english_for_marker(rest, cites.get(n), pack, whole, (prev or {}).get(n, frozenset()))
        if en:
            bodies.append(f"{en} [{n}]")
    if not bodies and nums:
        return None if not opening else f"{opening} " + "".join(f"[{n}]" for n in dict.fromkeys(nums))
    if not bodies:
        return opening or None
    return " ".join(x for x in [opening] + bodies if x)


def to_english(answer: Answer, pack: EnglishPack) -> Answer:
    """The answer to an English question in English, citing the same passages; each citation
    keeps its Japanese `text` and gains `text_en`."""
    if not answer.grounded:
        return refusal_en(answer)
    cites = {c.n: replace(c, text_en=pack.english_for(c)) for c in answer.citations}
    ja_lines = answer.answer.split("\n")
    lines = [l for l in (_line_en(l, cites, pack, _quoted(ja_lines[i - 1], cites) if i else None)
                         for i, l in enumerate(ja_lines)) if l]
    if not any(MARKER.search(l) for l in lines):
        return refusal_en(answer)
    quoted = [n for n, c in sorted(cites.items()) if not c.text_en]
    if quoted:      # uploads (and anything not restated) are quoted in Japanese: say so
        refs = ", ".join(f"[{n}]" for n in quoted)
        lines.append(phrases()["quoted_in_japanese"].format(refs=refs, are="are" if len(quoted) > 1 else "is"))
    return replace(answer, answer="\n".join(lines), citations=tuple(cites[n] for n in sorted(cites)),
                   notes=tuple(_note(n) for n in answer.notes))


# ----------------------------------------------------------------- English questions read against the English pack

# words that carry no topic in an English question or restatement (function words, courtesy, the
# asking frame); everything else is a content word, reduced to a crude lemma (shipments → shipment)
_EN_STOP = frozenset("""
a an the of to in on for and or nor but is are was were be been being am it its it's this that these those
we our ours us i my me mine you your yours he she him her his they them their there here do does did done doing
can could would should will shall may might must with by as at from if not no yes any all so than then also just
only more most very much many some such same other others what which who whom whose how when where why about into
onto out up down over under again still even ever please thank thanks hi hello dear sorry kindly let know tell
explain question questions ask asking quick right okay ok really actually anything something someone anyone thing whether
things get got getting go going want wanted need needs needed have has had having make makes made say says said
""".split())
_EN_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def en_lemma(w: str) -> str:
    """A crude English lemma, the same for the question and the restatement: shipments → shipment,
    exported/exporting/exports → export, countries → country, licence/license → licence."""
    w = w.replace("license", "licence")
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: -len(suffix)] + repl
    return w


def en_content_words(text: str) -> list[str]:
    """The lemmas of an English text's content words (stop words and one-letter words dropped)."""
    t = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    t = re.sub(r"'(?:s|re|ve|ll|d|m|t)\b", " ", t)
    return [en_lemma(w) for w in _EN_WORD.findall(t) if w not in _EN_STOP and len(w) > 1]


class EnglishIndex:
    """BM25 over the English restatement of each chunk (content-word lemmas): an English question's
    own words find the passage whose English says the same thing, whatever the term map lacks."""

    K1, B = 1.2, 0.75

    def __init__(self, pack: "EnglishPack", chunks: Iterable[Chunk]):
        from collections import Counter
        self.rows: list[tuple[str, "Counter", int]] = []
        df: Counter = Counter()
        for c in chunks:
            en = pack.english_for(c)
            if not en:
                continue
            words = en_content_words(en)
            tf = Counter(words)
            self.rows.append((c.chunk_id, tf, len(words)))
            df.update(tf.keys())
        self.df = df
        self.n = len(self.rows)
        self.avg = (sum(r[2] for r in self.rows) / self.n) if self.n else 1.0

    def idf(self, w: str) -> float:
        import math
        d = self.df.get(w, 0)
        return math.log(1 + (self.n - d + 0.5) / (d + 0.5))

    def search(self, text: str, k: int) -> list[tuple[str, float]]:
        q = set(en_content_words(text))
        q = {w for w in q if w in self.df}
        out = []
        for cid, tf, n in self.rows:
            s = 0.0
            for w in q:
                f = tf.get(w)
                if f:
                    s += self.idf(w) * f * (self.K1 + 1) / (f + self.K1 * (1 - self.B + self.B * n / self.avg))
            if s > 0:
                out.append((cid, s))
        out.sort(key=lambda x: -x[1])
        return out[:k]


_EN_INDEX: dict[int, EnglishIndex] = {}


def english_index(pack: EnglishPack, chunks) -> EnglishIndex:
    if id(pack) not in _EN_INDEX:
        _EN_INDEX.clear()
        _EN_INDEX[id(pack)] = EnglishIndex(pack, chunks)
    return _EN_INDEX[id(pack)]


def fuse_english(question: str, hits: Sequence, index, knowledge_dir: Path, k: int) -> list:
    """The hits of an English question's Japanese reading, then the passages whose English
    restatement shares the question's own words most (EnglishIndex): the term map reads
    only the words it lists, the restatements say every passage in English (data/english.yaml
    `cross_lingual`)."""
    from retrieval.types import Hit
    cfg = phrases().get("cross_lingual", {})
    if float(cfg.get("weight", 0.0)) <= 0 or not question:
        return list(hits)
    pack = pack_for(index, knowledge_dir)
    en = english_index(pack, index.chunks).search(question, max(k, int(cfg.get("pool", 10))))
    if not en:
        return list(hits)
    # the Japanese reading keeps its order (its ranking is tuned); the English reading's best passages
    # it lacks join after it, so the composer and the grounding can weigh them
    have = {h.chunk.chunk_id for h in hits}
    extra = [cid for cid, _ in en[:int(cfg.get("add", 3))] if cid not in have]
    out = list(hits)
    for cid in extra:
        out.append(Hit(chunk=index.chunk(cid), score=0.0, rank=len(out) + 1))
    return out



def said_in_english(question: str, topic: str, hits: Sequence, index, knowledge_dir: Path) -> list | None:
    """The gate's hits, each passage's search text joined by the words of the topic that its English
    restatement says in the asker's English, or None when no hit says any: an English word the term map
    lacks ("eased", "trading": by lemma, eased ~ eases) and the pack's words an English wording was read
    as ("president" → 代表者) when the passage's English says that wording (the case says 社長 and
    "president").  The term map reads only the words it lists and picks one Japanese word for a wording
    the pack writes several ways; the restatement says each passage in plain English.  Only the gate's
    own hits (the Japanese reading's) are read: words that passages were chosen for would cover by
    construction (data/english.yaml `cross_lingual.said`)."""
    from retrieval.textnorm import normalize
    if not phrases().get("cross_lingual", {}).get("said", False) or not hits:
        return None
    # a hyphenated word is weighed by its parts ("trading-company": trading, company), as key_terms splits it
    stop = _EN_STOP | frozenset(phrases()["cross_lingual"].get("said_stop", ()))
    # the words told before the asking sentence are the situation ("We're a small company and business has been
    # slow. What is …?"): a passage saying them covers nothing asked
    told = _told_before_ask(question)
    words = {w for w in re.findall(r"[a-z][a-z0-9]*", normalize(topic)) if w not in stop and len(w) > 2 and w not in told}
    read: list[str] = []
    japanese_topic(normalize(question), read)
    mapped = []                             # (the English wording's lemmas, the pack's words it was read as)
    for d in read:
        en, _, ja = d.partition("→")
        lemmas = set(en_content_words(en.replace("-", " ")))
        if ja.strip() and lemmas and not (set(ja.split()) & told):
            mapped.append((lemmas, ja.split()))
    if not words and not mapped:
        return None
    pack = pack_for(index, knowledge_dir)
    out, any_said = [], False
    for h in hits:
        en = pack.english_for(h.chunk)
        lemmas = set(en_content_words(en.replace("-", " "))) if en else set()
        said = sorted(w for w in words if en_lemma(w) in lemmas)
        said += [j for ens, jas in mapped if ens <= lemmas for j in jas]
        if said:
            any_said = True
            h = replace(h, chunk=replace(h.chunk, search_text=h.chunk.search_text + " " + " ".join(said)))
        out.append(h)
    return out if any_said else None
