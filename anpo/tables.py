"""The knowledge pack's tables, read in one place: list-control rows (リスト規制一覧) with one
product matcher, destination groups with one country resolver, the 輸出者等遵守基準 rows, and
one citation builder.  Chat, deal check, explorer and drafting all read these.

Rows are built from the indexed table chunks (`chunk.fields`), so every row carries the
chunk it cites; `tables_for(index)` builds them once per index generation.

Everyday product names and country names are data, not code:
`anpo/data/product_lexicon.tsv` (everyday name → a term the list-control table uses, with
example questions that run as tests) and `anpo/data/countries.tsv` (every country and region
with its Japanese, English and short names).  A thing the asker names in their own words is found
by the question's shape (`named_thing`; in English only a phrase ending in a goods noun,
`english_goods`; a question that is only the goods' name, `bare_thing`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from anpo.models import Citation
from retrieval.textnorm import normalize, read_tsv
from retrieval.types import Chunk

DATA = Path(__file__).parent / "data"
LEXICON_PATH = DATA / "product_lexicon.tsv"
COUNTRIES_PATH = DATA / "countries.tsv"

# A product match at or above this strength is offered as a 項番 lead; weaker ones are
# only evidence (e.g. "工作機械向けのシャフト" names a machine tool as the customer's product).
OFFER = 0.5


# ---------------------------------------------------------------- citations

def citation(chunk: Chunk, n: int, whole: bool = False,
             highlight: tuple[tuple[int, int], ...] = ()) -> Citation:
    """The one way a chunk becomes a `Citation` (its text exactly as indexed).
    `whole=True` highlights the whole passage (a table row cited as a whole)."""
    hl = ((0, len(chunk.text)),) if whole else tuple(highlight)
    return Citation(n, chunk.doc_id, chunk.chunk_id, chunk.title, chunk.locator, chunk.text, chunk.url,
                    chunk.effective_date, chunk.issuer, chunk.confirmed, hl)


class Citer:
    """Numbers citations across one document (a checklist, a brief), each chunk once."""

    def __init__(self, start: int = 1):
        self._next = start
        self._by_id: dict[str, Citation] = {}

    def cite(self, chunk: Chunk, whole: bool = False) -> Citation:
        if chunk.chunk_id not in self._by_id:
            self._by_id[chunk.chunk_id] = citation(chunk, self._next, whole)
            self._next += 1
        return self._by_id[chunk.chunk_id]

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(sorted(self._by_id.values(), key=lambda c: c.n))


# ---------------------------------------------------------------- list control rows

@dataclass(frozen=True)
class ListRow:
    """One row of a list-control table (a 項番 heading or an item)."""
    chunk: Chunk
    kouban: str               # 項番: "5", "3の2"
    category: str
    item_no: str              # "(18)"; empty on a 項番's heading row
    item_name: str
    examples: str             # product words, as the table gives them
    place: str | None = None  # where in the source (slide, 輸出令の項)

    chunk_id = property(lambda self: self.chunk.chunk_id)
    doc_id = property(lambda self: self.chunk.doc_id)
    title = property(lambda self: self.chunk.title)
    locator = property(lambda self: self.chunk.locator)
    text = property(lambda self: self.chunk.text)
    url = property(lambda self: dict(self.chunk.fields).get("url") or self.chunk.url)
    effective_date = property(lambda self: dict(self.chunk.fields).get("effective_date") or self.chunk.effective_date)
    confirmed = property(lambda self: self.chunk.confirmed)

    @property
    def label(self) -> str:
        """「5項(18) プリプレグ・プリフォーム・成型品等」"""
        return f"{self.kouban}項{self.item_no} {self.item_name or self.category}".strip()

    @property
    def is_heading(self) -> bool:
        return not self.item_no

    @property
    def deleted(self) -> bool:
        return "削除" in self.item_name

    @property
    def order(self) -> tuple:
        return kouban_key(self.kouban) + (_item_key(self.item_no), self.doc_id)


def kouban_key(k: str) -> tuple:
    """Sort key of a 項番: 3 < 3の2 < 4 < 10."""
    m = re.match(r"(\d+)(?:の(\d+))?", unicodedata.normalize("NFKC", k or ""))
    return (int(m.group(1)), int(m.group(2) or 0)) if m else (999, 0)


def _item_key(no: str) -> tuple:
    return tuple(int(x) for x in re.findall(r"\d+", no or "")) or (0,)


def list_rows(chunks: Iterable[Chunk]) -> list[ListRow]:
    """Every indexed table row that has a 項番, in 項番 order."""
    rows = []
    for c in chunks:
        f = dict(c.fields)
        if not f.get("kouban"):
            continue
        examples = f.get("examples") or re.sub(r"^主な製品例[:：]\s*|。$", "", f.get("examples_text", ""))
        rows.append(ListRow(c, f["kouban"], f.get("category", ""), f.get("item_no", ""),
                            f.get("item_name", ""), examples, f.get("place") or None))
    rows.sort(key=lambda r: r.order)
    return rows


# ---------------------------------------------------------------- product matcher

_SPLIT = re.compile(r"[\s、,，・/／;；]+")
# name fragments too generic to point at a row on their own ("…・製造装置等")
_GENERIC = frozenset(normalize(w) for w in """装置 材料 部品 部分品 附属品 附属装置 製造装置 試験装置 検査装置
    制御装置 校正装置 設備 システム プログラム 技術 原料 物質 組立品 モジュール 基板 その部分品 これら散布装置
    レンズ 回収 音波 電波 一次 閉鎖 航空機 マスク 窓枠 塩化物 酸化剤 添加剤 冷却器 ブール""".split())
# (the last line: parts of compound names that alone name everyday things — a lens, 超音波洗浄機, a face mask,
# 航空機 in 「航空機・船舶用重力計」, 回収業者 — and would offer rows about something else)
# a term followed by these describes the customer's product, not this one ("工作機械向けのシャフト")
_FOR_USE = re.compile(r"^(?:・[^\s、,，。・]{1,20})*(?:向け|用(?!途)|メーカー?|の修理)")   # also 「工作機械・半導体製造装置向け」
# "…部品" after equipment is a part of it (工作機械部品); after a material it is made of it (CFRP部品)
_PART_OF = re.compile(r"^の?(?:部品|部分品|部材)")
_EQUIPMENT = re.compile(r"(?:機|機械|装置|機器|器|計|センタ|盤|プリンタ)$")


@dataclass(frozen=True)
class LexiconEntry:
    term: str                 # the everyday word, as written
    target: str               # a term the list-control table uses (item name, part of it, or example)
    examples: tuple[str, ...]  # questions it must serve (run as tests)
    note: str = ""
    not_in: tuple[str, ...] = ()   # longer words that contain the term but mean something else
    asserts: str = ""              # "yes" (may answer 「載ってる？」 with はい), "" (candidates only), or a regex the question must match

    def may_assert(self, question: str) -> bool:
        """May a 「リストに載ってる？」 question be answered 「はい」 through this row?"""
        if self.asserts in ("", "yes"):
            return self.asserts == "yes"
        return bool(re.search(self.asserts, normalize(question), re.I))


@dataclass(frozen=True)
class ProductMatch:
    row: ListRow
    strength: float           # 0..1; OFFER and above are offered as leads
    why: str                  # 「製品例「工作機械」が記載に含まれるため」
    term: str                 # the table's term that matched

    @property
    def offered(self) -> bool:
        return self.strength >= OFFER


def _variants(term: str) -> list[str]:
    """A table term and its forms without a trailing 等/他 or a bracketed abbreviation."""
    t = normalize(term).strip()
    out = [t]
    bare = re.sub(r"(等々|等|他)$", "", t)
    bare = re.sub(r"\([^)]*\)", "", bare).strip()
    if bare and bare != t:
        out.append(bare)
    return [x for x in out if x]


def _row_terms(row: ListRow) -> list[tuple[str, float, str]]:
    """(normalised term, strength, kind) for a row: its name, its examples, parts of its name."""
    terms: dict[str, tuple[float, str]] = {}

    def add(t: str, s: float, kind: str):
        if len(t) >= 2 and t not in _GENERIC and (t not in terms or terms[t][0] < s):
            terms[t] = (s, kind)

    for v in _variants(row.item_name):
        add(v, 1.0, "項目名")
    for ex in _SPLIT.split(row.examples or ""):
        for v in _variants(ex):
            add(v, 1.0, "製品例")
    parts = [p for p in re.split(r"[、,，・/／]|又は|若しくは|及び|並びに", row.item_name) if p.strip()]
    # a name that starts with a reference ("(1)から(4)の試験装置・測定装置…") lists kinds of
    # equipment for other items: its parts say nothing about a product on their own
    if len(parts) > 1 and not re.match(r"[(（]", row.item_name):
        for p in parts:
            for v in _variants(p):
                add(v, 0.8, "項目名の一部")
    return [(t, s, k) for t, (s, k) in terms.items()]


def _pattern(term: str) -> re.Pattern:
    """Latin ends of a term are word-bounded (and an English word may be plural); Japanese
    matches anywhere, as Japanese has no spaces between words.  The space of an English
    compound may be written as a hyphen ("carbon-fibre tubes")."""
    latin = re.compile(r"[a-z0-9]")
    before = r"(?<![a-z0-9])" if latin.match(term[:1]) else ""
    after = ("(?:s|es)?" if term.isascii() and term[-1:].isalpha() else "") + r"(?![a-z0-9])" \
        if latin.match(term[-1:]) else ""
    body = re.escape(term).replace(r"\ ", r"[\s\-]") if term.isascii() else re.escape(term)
    if term.isascii() and len(term) > 3 and term.endswith("y") and term[-2:-1] not in "aeiou":
        body, after = body[:-1] + "(?:y|ies)", r"(?![a-z0-9])"      # battery → batteries
    return re.compile(before + body + after)


# an item name's equipment word may be said with another one (質量分析計 → 質量分析器・質量分析装置,
# 電子計算機 → 電子計算器): the stem must be long enough to say what the equipment is
_EQUIP_SUFFIX = re.compile(r"(装置|機|器|計)$")
_EQUIP_ALTS = ("装置", "機", "器", "計")
_MIN_STEM = 3


def _suffix_alternatives(term: str) -> list[str]:
    """Other equipment words for a table term (質量分析計 → 質量分析器, 質量分析機, 質量分析装置)."""
    m = _EQUIP_SUFFIX.search(term)
    if not m or len(term) - len(m.group(1)) < _MIN_STEM:
        return []
    stem = term[:m.start()]
    return [stem + alt for alt in _EQUIP_ALTS if alt != m.group(1)]


# 「半導体の製造装置」 is the table's 半導体製造装置 with a の between its words
_LINKING_NO = re.compile(r"(?<=[\u3400-\u9fff\u30a1-\u30fa\u30fc])の(?=[\u3400-\u9fff\u30a1-\u30fa])")


def _without_linking_no(t: str) -> tuple[str, list[int], set[int]]:
    """`t` without a の that joins two words, the original index of each kept character, and
    the positions (in the shortened text) where a の was taken out."""
    keep, cut = [], set()
    for i, ch in enumerate(t):
        if ch == "の" and _LINKING_NO.match(t, i):
            cut.add(len(keep))
            continue
        keep.append(i)
    return "".join(t[i] for i in keep), keep, cut


def written(source: str, term: str) -> str:
    """`term` (normalised: lower-case) as `source` writes it (「nc旋盤」 → 「NC旋盤」), else `term`."""
    return surface(source, term) if source else term


def _table_rows(path: Path, width: int, header: str):
    """The rows of a data table (anpo/data/*.tsv), each padded to `width` cells, without its header row."""
    for row in read_tsv(path):
        row = row + [""] * (width - len(row))
        if row[0].strip() != header:
            yield row


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> tuple[LexiconEntry, ...]:
    """The reviewed everyday-name lexicon: term, target, example questions (' | '), note, not_in ('|')."""
    return tuple(LexiconEntry(row[0].strip(), row[1].strip(),
                              tuple(q.strip() for q in row[2].split("|") if q.strip()), row[3].strip(),
                              tuple(normalize(w) for w in row[4].split("|") if w.strip()), row[5].strip())
                 for row in _table_rows(path, 6, "term"))


class ProductMatcher:
    """Which list-control items a product description may touch, and how strongly.

    `match(text)` finds the table's own words (item names, parts of names, product examples)
    in the text, and everyday words from the lexicon that stand for them.  Strength: 1.0 an
    item name or example; 0.8 a part of a compound name; lexicon words ×0.9; weakened when the
    text says the product is *for* that item (×0.4: 「工作機械向け」「…用の部品」).  Only matches at or
    above `OFFER` are leads; nothing is matched by mere character overlap."""

    def __init__(self, rows: Sequence[ListRow], lexicon: Sequence[LexiconEntry] = ()):
        self._all_rows = list(rows)
        self.rows = [r for r in rows if not r.is_heading and not r.deleted]
        self._terms = [(r, t, s, k, _pattern(t)) for r in self.rows for t, s, k in _row_terms(r)]
        self.lexicon = tuple(lexicon)
        self._lex = sorted(((normalize(e.term), normalize(e.target), e) for e in self.lexicon),
                           key=lambda x: -len(x[0]))
        self._lex_pats = [(_pattern(t), target, e) for t, target, e in self._lex]
        own = {t for _, t, _, _, _ in self._terms}
        # (row, other name, the table's term, strength, kind, pattern): 質量分析器 for 質量分析計
        self._alts = [(r, alt, t, s * 0.9, k, _pattern(alt)) for r, t, s, k, _ in self._terms if s >= 0.8
                      for alt in _suffix_alternatives(t) if alt not in own]

    def lexicon_hits(self, text: str) -> list[tuple[LexiconEntry, int, int]]:
        """Lexicon entries whose everyday word is in `text` (longest first, no overlaps):
        (entry, start, end) in the normalised text."""
        t = normalize(text or "")
        taken: list[tuple[int, int]] = []
        out = []
        for pat, _, e in self._lex_pats:
            for m in pat.finditer(t):
                if any(m.start() < b and a < m.end() for a, b in taken) or _inside(t, m.start(), m.end(), e.not_in):
                    continue
                taken.append((m.start(), m.end()))
                out.append((e, m.start(), m.end()))
        return out

    def asserted(self, text: str) -> list[str]:
        """The table terms that the everyday words in `text` name as the same goods (asserts, see the lexicon)."""
        return list(dict.fromkeys(normalize(e.target) for e, _, _ in self.lexicon_hits(text) if e.may_assert(text)))

    def canonical_terms(self, text: str) -> list[str]:
        """The table's terms that the everyday words in `text` stand for (for query expansion)."""
        return list(dict.fromkeys(e.target for e, _, _ in self.lexicon_hits(text)))

    def match(self, text: str, min_strength: float = OFFER, limit: int | None = None) -> list[ProductMatch]:
        """Item rows the product description may fall under, strongest first."""
        t = normalize(text or "")
        if not t:
            return []
        best: dict[str, ProductMatch] = {}

        def consider(row, strength, why, term):
            cur = best.get(row.chunk_id)
            # a more specific term (数値制御工作機械 over 工作機械) wins unless clearly weaker
            if cur is not None and term != cur.term and term in cur.term and strength <= cur.strength + 0.15:
                return
            specific = cur is not None and cur.term in term and term != cur.term and strength >= cur.strength - 0.15
            if cur is None or specific or (strength, len(term)) > (cur.strength, len(cur.term)):
                best[row.chunk_id] = ProductMatch(row, round(strength, 2), why, term)

        lex = self.lexicon_hits(text)
        direct: list[tuple[int, int]] = []
        for row, term, s, kind, pat in self._terms:
            for m in pat.finditer(t):
                if any(a <= m.start() and m.end() <= b and (a, b) != m.span() and normalize(e.target) != term
                       for e, a, b in lex):
                    continue        # 「リチウム」 inside 「リチウムイオン電池」: the everyday name says what it is
                direct.append(m.span())
                s2, why = self._context(t, m.end(), s, f"{kind}「{_as_in_row(row, term)}」が記載に含まれるため", term)
                consider(row, s2, why, term)
        self._variant_matches(text, t, direct, lex, consider)
        for e, a, b in lex:
            if any(x <= a and b <= y and (x, y) != (a, b) for x, y in direct):
                continue            # 「工作機」 inside 「工作機械」: the table's own word already spoke
            target = normalize(e.target)
            for row, term, s, kind, _ in self._terms:
                if term == target:
                    s2, why = self._context(t, b, s * 0.9,
                                            f"「{written(text, normalize(e.term))}」は{kind}「{_as_in_row(row, term)}」に当たるため",
                                            normalize(e.term))
                    consider(row, s2, why, term)
        out = sorted((m for m in best.values() if m.strength >= min_strength),
                     key=lambda m: (-m.strength, -len(m.term), m.row.order))
        return out[:limit] if limit else out

    def _variant_matches(self, text: str, t: str, direct: list, lex: list, consider) -> None:
        """The table's terms said another way: another equipment word (質量分析器 for 質量分析計) or a
        の between their words (半導体の製造装置), each ×0.9 and never where a direct or lexicon
        match already spoke."""
        spoken = list(direct) + [(a, b) for _, a, b in lex]
        covered = lambda a, b: any(x <= a and b <= y for x, y in spoken)  # noqa: E731
        for row, alt, term, s, kind, pat in self._alts:
            for m in pat.finditer(t):
                if not covered(*m.span()):
                    s2, why = self._context(t, m.end(), s, f"「{written(text, alt)}」は{kind}「{_as_in_row(row, term)}」に当たるため", alt)
                    consider(row, s2, why, term)
        short, where, cut = _without_linking_no(t)
        if not cut:
            return
        for row, term, s, kind, pat in self._terms:
            if len(term) < 4:
                continue
            for m in pat.finditer(short):
                if not any(m.start() < c < m.end() for c in cut):
                    continue        # no の taken out inside it: the direct match already spoke
                a, b = where[m.start()], where[m.end() - 1] + 1
                if covered(a, b):
                    continue
                said = written(text, t[a:b])
                s2, why = self._context(t, b, s * 0.9, f"「{said}」は{kind}「{_as_in_row(row, term)}」に当たるため", t[a:b])
                consider(row, s2, why, term)

    @staticmethod
    def _context(text: str, end: int, strength: float, why: str, term: str = "") -> tuple[float, str]:
        rest = text[end:]
        if _FOR_USE.match(rest) or (_PART_OF.match(rest) and _EQUIPMENT.search(term)):
            return strength * 0.4, why.replace("ため", "（ただし製品はその向け・部品として記載）")
        return strength, why

    def search(self, query: str) -> list[ListRow]:
        """Explorer search: rows (headings included) containing every word of `query`, where a
        word also counts when the lexicon maps it to a term in the row ("カーボン", the start of
        「カーボンパイプ」, finds the 炭素繊維 rows)."""
        words = [w for w in _SPLIT.split(query or "") if w.strip()]
        if not words:
            return list(self._all_rows)
        alts = [self._alternatives(w) for w in words]
        return [r for r in self._all_rows if all(any(a in _haystack(r) for a in alt) for alt in alts)]

    def _alternatives(self, word: str) -> set[str]:
        w = normalize(word)
        out = {w}
        for lex_term, target, _ in self._lex:
            # the word is, contains, or (typed into a search box) begins an everyday name
            if lex_term == w or (not lex_term.isascii() and len(lex_term) >= 2 and lex_term in w) \
                    or (len(w) >= 3 and lex_term.startswith(w)):
                out.add(target)
        return out


def _as_in_row(row: ListRow, term: str) -> str:
    """A table term as the row writes it (「FPLDを組み込んだモジュール」, not its search form)."""
    for src in (row.item_name, row.examples):
        got = written(src or "", term)
        if got != term:
            return got
    return term


@lru_cache(maxsize=2048)
def _haystack_text(kouban, category, item_no, item_name, examples, text) -> str:
    return normalize(" ".join((f"{kouban}項", category, item_no, item_name, examples, text)))


def _haystack(r: ListRow) -> str:
    return _haystack_text(r.kouban, r.category, r.item_no, r.item_name, r.examples, r.text)


def product_matcher(rows: Sequence[ListRow], lexicon: Sequence[LexiconEntry] | None = None) -> ProductMatcher:
    return ProductMatcher(rows, load_lexicon() if lexicon is None else lexicon)


# ---------------------------------------------------------------- goods named by the ban measures

BAN_GOODS_PATH = DATA / "ban_goods.tsv"


@dataclass(frozen=True)
class BanGoods:
    """Everyday names of goods and the word the pack's ban measures use for them (トラック → 貨物自動車)."""
    terms: tuple[str, ...]
    pack_word: str
    examples: tuple[str, ...]

    def in_sentence(self, sentence: str) -> bool:
        """The sentence names these goods by the pack's word, as a word of its own (not コンピュータ of 量子コンピュータ)."""
        return bool(re.search(r"(?<![\u3400-\u9fff\u30a1-\u30fa\u30fc])" + re.escape(self.pack_word), sentence))


@lru_cache(maxsize=2)
def load_ban_goods(path: Path = BAN_GOODS_PATH) -> tuple[BanGoods, ...]:
    """Everyday names of goods ('|'), the ban measures' word for them, example questions (' | ')."""
    return tuple(BanGoods(tuple(normalize(t) for t in row[0].split("|") if t.strip()), row[1].strip(),
                          tuple(q.strip() for q in row[2].split(" | ") if q.strip()))
                 for row in _table_rows(path, 3, "term"))


def ban_goods(question: str) -> list[BanGoods]:
    """The ban-measure goods a question names by an everyday word (Latin words as whole words), or by
    the pack's own word (「建設機械の部品」 names 建設機械 as the ban measure does)."""
    q = normalize(question or "")
    return [g for g in load_ban_goods() if any(_pattern(t).search(q) for t in g.terms + (normalize(g.pack_word),))]


# ---------------------------------------------------------------- a thing named by the asker

INTENTS_PATH = DATA / "intents.yaml"


@dataclass(frozen=True)
class ThingRules:
    """How a question names a THING (goods) the tables may not know: data/intents.yaml `product_mention`."""
    phrases: tuple[re.Pattern, ...]
    prefix: re.Pattern
    looks: tuple[re.Pattern, ...]
    not_thing: tuple[re.Pattern, ...]
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()
    abroad: re.Pattern = re.compile("(?!x)x")
    then: re.Pattern = re.compile("")
    objects: tuple[re.Pattern, ...] = ()
    other_rules: re.Pattern = re.compile("(?!x)x")
    absent: re.Pattern = re.compile("(?!x)x")
    absent_examples: tuple[str, ...] = ()


@lru_cache(maxsize=2)
def load_thing_rules(path: Path = INTENTS_PATH) -> ThingRules:
    import yaml
    d = yaml.safe_load(path.read_text(encoding="utf-8"))["product_mention"]
    rx = lambda ps: tuple(re.compile(p, re.I) for p in ps)  # noqa: E731
    return ThingRules(rx(d.get("thing", ())), re.compile(d.get("thing_prefix", "(?!x)x")), rx(d.get("thing_looks", ())),
                      rx(d.get("not_thing", ())), tuple(d.get("thing_examples", ())), tuple(d.get("thing_not_examples", ())),
                      re.compile(d.get("abroad", "(?!x)x"), re.I), re.compile(d.get("thing_then", ""), re.I),
                      rx(d.get("thing_object", ())), re.compile(d.get("other_rules", "(?!x)x")),
                      re.compile(d.get("absent_as_cleared", "(?!x)x"), re.I), tuple(d.get("absent_examples", ())))


def _thing(x: str, rules: ThingRules, loose: bool = False, english: bool = False) -> str:
    """The phrase without words that are no part of the thing's name, or "" when it names no thing
    (`loose`: the object of an export verb need not look like goods; `english`: an English question,
    whose goods end in a goods noun, see `english_goods`)."""
    x = x.strip(" -・")
    bare = rules.prefix.sub("", x).strip(" -・") or x
    if len(bare) < 2 or any(p.search(bare) for p in rules.not_thing) or bare in _country_names():
        return ""       # a country is no goods (「ロシアの代理店が…」 cut before の is ロシア)
    if english:
        # English goods are named by a goods noun, never by a fragment of the sentence
        return english_goods(bare)
    return bare if loose or any(p.search(bare) for p in rules.looks) else ""


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Every country's names and aliases, normalised (countries.tsv)."""
    return frozenset(normalize(n) for c in load_countries() for n in (c.ja, c.en) + tuple(c.aliases) if n)


DEAL_FIELDS_PATH = DATA / "deal_fields.tsv"


@lru_cache(maxsize=4)
def _english_goods_words(path: Path = DEAL_FIELDS_PATH) -> dict[str, frozenset[str]]:
    """The English goods nouns and the words that are no part of a goods name (data/deal_fields.tsv rows
    goods_head_en, goods_generic_en, not_goods_word_en)."""
    out = {}
    for row in read_tsv(path):
        if len(row) >= 2 and row[0].strip().endswith("_en"):
            out[row[0].strip()] = frozenset(w.strip().lower() for w in row[1].split("|") if w.strip())
    return out


def _singular(word: str) -> tuple[str, ...]:
    """A word and the singular forms it may be (batteries → battery, boxes → box, motors → motor)."""
    w = word.lower()
    return (w, w[:-1], w[:-2], w[:-3] + "y") if w.endswith("ies") else (w, w[:-1], w[:-2]) if w.endswith("es") \
        else (w, w[:-1]) if w.endswith("s") else (w,)


def english_goods(phrase: str, generic: bool = True) -> str:
    """An English phrase as a goods name: without the words before it that are no part of a name
    (determiners, pronouns, verbs: "a metal powder" → "metal powder"), and only when it ends in a goods
    noun (data/deal_fields.tsv; `generic`: also part, machine, equipment …) or holds an everyday name of
    the lexicon; "" for a fragment ("engineers want", "business trip") or a place ("distributor in Russia")."""
    words = _english_goods_words()
    stop = words.get("not_goods_word_en", frozenset())
    toks = re.findall(r"[a-z0-9][a-z0-9\-]*", normalize(phrase))
    cut = max((i + 1 for i, t in enumerate(toks[:-1]) if t in stop), default=0)
    toks = toks[cut:]           # "…covers computers" → "computers"; "a metal powder" → "metal powder"
    if not toks or toks[-1] in stop:
        return ""
    heads = words.get("goods_head_en", frozenset()) | (words.get("goods_generic_en", frozenset()) if generic else frozenset())
    name = " ".join(toks)
    if set(_singular(toks[-1])) & heads or any(_pattern(normalize(e.term)).search(name)
                                                for e in load_lexicon() if e.term.isascii()):
        return name
    return ""


def _english_thing(q: str) -> str:
    """A goods name in an English question found by its goods noun alone ("Are stepper motors on the
    control list?"): up to two words before a goods noun, without determiners, pronouns and verbs."""
    heads = _english_goods_words().get("goods_head_en", frozenset())
    toks = re.findall(r"[a-z0-9][a-z0-9\-]*", q)
    for i, t in enumerate(toks):
        if set(_singular(t)) & heads:
            got = english_goods(" ".join(toks[max(0, i - 2):i + 1]), generic=False)
            if got:
                return got
    return ""


def _is_english(q: str) -> bool:
    latin = len(re.findall(r"[a-z]", q))
    return latin > 3 * max(1, len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff]", q)))


def other_rulebook(words: Sequence[str]) -> str:
    """The first word naming a rulebook outside export control (ワシントン条約, 電波法) among
    `words` (the asked clause's words the pack does not know), or ""."""
    pat = load_thing_rules().other_rules
    return next((w for w in words if pat.search(w)), "")


def absent_as_cleared(question: str) -> bool:
    """The asker takes a name's absence from a list or search as its classification (「ヒットしなかったから非該当」)."""
    return bool(load_thing_rules().absent.search(normalize(question or "")))


def told_abroad(question: str) -> str:
    """A destination told without a country name (「海外」「東南アジア」, "overseas"), or "".  A word that only holds it
    names no destination (deal_fields.tsv row not_abroad: 「外国ユーザーリスト」「外国為替」「外国人」)."""
    q = normalize(question or "")
    held = [(m.start(), m.end()) for m in _deal_row("not_abroad").finditer(q)]
    m = next((m for m in load_thing_rules().abroad.finditer(q)
              if not any(s <= m.start() and m.end() <= e for s, e in held)), None)
    return m.group(0) if m else ""


@lru_cache(maxsize=16)
def _deal_row(field: str, path: Path | None = None) -> re.Pattern:
    """The words of one row of data/deal_fields.tsv (as anpo.screening.load_deal_fields reads them); never matches
    when the row is absent."""
    from anpo.screening import load_deal_fields
    return next((p for f, p, _ in load_deal_fields() if f == field), re.compile("(?!x)x"))


def concern_told(q: str, start: int, thing: str) -> bool:
    """`thing` (found at `start` of the normalised question) is a concern category or an end use told as such
    (deal_fields.tsv rows concern_word, concern_context: 「懸念区分はミサイル」「用途は核兵器の開発」): no goods."""
    if not _deal_row("concern_word").fullmatch(normalize(thing)):
        return False
    before = q[max(0, start - 8):start]
    return bool(_deal_row("concern_context").search(before))


_BARE = re.compile(r"[ァ-ヴーa-z0-9\u3400-\u9fff々\-・ ]+(?:の[ァ-ヴーa-z0-9\u3400-\u9fff々\-・ ]+)?")


def bare_thing(question: str) -> str:
    """The goods' name when the whole question is one, typed as into a search box
    (「マルチコプター用の送信機」, "stepper motors?"), else ""."""
    q = normalize(question or "").strip(" ?？。.!！")
    if not q or len(q) > 40 or not _BARE.fullmatch(q):
        return ""
    rules = load_thing_rules()
    if _is_english(q):
        got = english_goods(q)
    else:
        # a goods word must end it or be in it (送信機, モーター): a bare 「ワッセナー・アレンジメント」 names a concept
        from anpo.analysis import load_rules
        got = _thing(q, rules)
        goods = any(p.search(got) for p in rules.looks if p.pattern.endswith("$")) \
            or load_rules().product_noun.search(got)
        got = got if goods else ""
    return surface(question, got) if got and normalize(got) == q.strip() else ""


def named_thing(question: str) -> str:
    """The goods a question asks about, by the asker's own name for them (「インバーター」,
    "vacuum pump"), found by the question's shape rather than by a list of names; "" when the
    question names no thing (「みなし輸出って規制対象？」 names a concept of the pack)."""
    q = normalize(question or "")
    got = _with_kana_head(q, _named_thing(q))
    if got and _in_not_goods_phrase(q, got):
        return ""       # (helper route, round 13) "the board of a Chinese company", "spec sheets": no thing shipped
    return surface(question, got)


def _in_not_goods_phrase(q: str, got: str) -> bool:
    """The found name's last word is said in a phrase that names no thing shipped (deal_fields.tsv row not_goods_phrase:
    "board of", "spec sheets", 仕様書): the board of a company, a document."""
    words = [normalize(w) for r in read_tsv(DEAL_FIELDS_PATH) if r and r[0] == "not_goods_phrase"
             for w in r[1].split("|") if w.strip()]
    last = normalize(got).split()[-1] if normalize(got).split() else ""
    return bool(last) and any(w in q and (last in w or w in normalize(got)) for w in words)


_PARTICLE = "のをにはがでともへやか"


def _with_kana_head(q: str, found: str) -> str:
    """`found` with the one hiragana that begins its name in `q` (ろ of ろ過装置, after a particle or at
    the start: 「うちのろ過装置」 → ろ過装置): the thing patterns take kanji and katakana only."""
    i = q.find(found) if found else -1
    if i <= 0:
        return found
    j = i
    while j > 0 and "\u3041" <= q[j - 1] <= "\u3096" and q[j - 1] not in _PARTICLE:
        j -= 1
    # one kana only: 「いいポンプ」「そんなポンプ」 keep their adjective out; nor is the kana after a kanji
    # the head of a name (「古い工作機械」「安いポンプ」: an adjective's ending)
    after_kanji = j > 0 and "\u3400" <= q[j - 1] <= "\u9fff"
    # nor the last kana of a two-kana particle (「工場からゴム手袋」「倉庫よりポンプ」: ら, り end から, より)
    particle_end = j > 0 and q[j - 1:j + 1] in _TWO_KANA_PARTICLES
    return q[j:i] + found if i - j == 1 and not after_kanji and not particle_end else found


_TWO_KANA_PARTICLES = frozenset({"から", "より", "まで", "って", "けど", "など", "だけ", "しか", "ずつ", "ごと"})


def surface(question: str, found: str) -> str:
    """`found` (in the normalised search form: 「led照明」「サーボモータ」) as the asker wrote it in
    `question` (「LED照明」「サーボモーター」), or `found` itself when it cannot be located."""
    if not found:
        return found
    kata = re.compile(r"[ァ-ヴー]")
    # normalising drops a katakana word's final ー (サーボモーター → サーボモータ): allow it back
    pat = "".join(re.escape(ch) + ("ー?" if kata.match(ch) and not kata.match(found[i + 1:i + 2] or "x") else "")
                  for i, ch in enumerate(found))
    m = re.search(pat, unicodedata.normalize("NFKC", question or ""), re.I)
    return m.group(0) if m else found


@lru_cache(maxsize=1)
def _ordered_words() -> tuple[str, ...]:
    return tuple(normalize(w) for r in read_tsv(DEAL_FIELDS_PATH) if r and r[0] == "ordered" for w in r[1].split("|") if w.strip())


def _ordered_after(x: str) -> bool:
    """The phrase ends in 「の注文」「の見積」 (deal_fields.tsv row ordered): what was ordered is named before の."""
    return x.rsplit("の", 1)[-1].startswith(_ordered_words())


def _named_thing(q: str) -> str:
    rules = load_thing_rules()
    english = _is_english(q)
    for pat in rules.phrases:
        for m in pat.finditer(q):
            x = m.group("x")
            # 「ボールバルブの該非を…」: the phrase may run on into a concept; its head before の is the thing
            # 「ゴム手袋の注文」: goods named as what was ordered are the name before の (deal_fields.tsv row ordered)
            head = [x.split("の")[0]] if "の" in x else []
            for cand in dict.fromkeys((head if head and _ordered_after(x) else []) + [x] + head):
                got = _thing(cand, rules, english=english)
                if got and concern_told(q, m.start("x"), got):
                    continue        # 「懸念区分はミサイル」: a concern category, not the goods (helper deal)
                # the rest of the question asks about control or an export (not 「…のコツはありますか」)
                if got and rules.then.search(q[m.start("x") + len(cand):]):
                    return got
    for pat in rules.objects:
        for m in pat.finditer(q):
            got = _thing(m.group("x"), rules, loose=True)
            if got:
                return got
    return _english_thing(q) if english and rules.then.search(q) else ""


# ---------------------------------------------------------------- destinations

@dataclass(frozen=True)
class Country:
    """A country or region from `countries.tsv`."""
    iso: str
    ja: str
    en: str
    aliases: tuple[str, ...] = ()
    not_in: tuple[str, ...] = ()      # words containing a name that do not mean it (中国地方)


@dataclass(frozen=True)
class DestinationRow:
    """One row of the destination table: a country on a list (別表第3, 第3の2, 第4, グループB),
    or the rule row (scope "rule") that puts every other country in グループC."""
    chunk: Chunk
    country: str
    group: str                # "A" | "B" | "C" | "D"
    group_label: str          # 「グループA（輸出令別表第3）」
    legal_basis: str          # 「輸出令別表第3」
    listing: str = ""         # which list: 別表第3 / 別表第3の2 / 別表第4 / グループB / rule
    iso: str = ""


@dataclass(frozen=True)
class CountryInfo:
    """Where a country stands: its group, and the rows (chunks) that say so."""
    name: str                 # the Japanese name as the tables write it
    iso: str
    en: str
    group: str                # "A" | "B" | "C" | "D"
    group_label: str
    rows: tuple[DestinationRow, ...]   # the rows cited; the rule row when by_rule
    by_rule: bool = False     # C because it is on none of the A, B, D lists

    @property
    def chunk(self) -> Chunk:
        return self.rows[0].chunk

    @property
    def chunks(self) -> tuple[Chunk, ...]:
        return tuple(r.chunk for r in self.rows)

    @property
    def labels(self) -> str:
        """「国連武器禁輸国・地域（輸出令別表第3の2）、懸念国（輸出令別表第4）」"""
        return "、".join(dict.fromkeys(f"{r.group_label}（{r.legal_basis}）" if r.legal_basis else r.group_label
                                       for r in self.rows))

    @property
    def embargoed(self) -> bool:
        return any(r.listing == "別表第3の2" for r in self.rows)

    @property
    def of_concern(self) -> bool:
        return any(r.listing == "別表第4" for r in self.rows)


@lru_cache(maxsize=4)
def load_countries(path: Path = COUNTRIES_PATH) -> tuple[Country, ...]:
    """Every country and region: iso, Japanese name, English name, aliases ('|'), note, not_in ('|')."""
    split = lambda cell: tuple(a.strip() for a in cell.split("|") if a.strip())  # noqa: E731
    return tuple(Country(row[0].strip(), row[1].strip(), row[2].strip(), split(row[3]), split(row[5]))
                 for row in _table_rows(path, 6, "iso"))


def destination_rows(chunks: Iterable[Chunk]) -> list[DestinationRow]:
    """Rows of the destination table: chunks whose fields carry a group (and a country,
    or scope "rule")."""
    rows = []
    for c in chunks:
        f = dict(c.fields)
        rule = f.get("scope") == "rule"
        if not f.get("group") or not (f.get("country") or rule):
            continue
        group = "D" if f["group"] == "武器禁輸" else f["group"]      # older tables: 別表第3の2 as its own group
        rows.append(DestinationRow(c, "" if rule else f.get("country", ""), group,
                                   f.get("group_label") or f["group"], f.get("legal_basis", ""),
                                   "rule" if rule else f.get("listing", ""), f.get("iso", "")))
    return rows


_KATAKANA = re.compile(r"[\u30a1-\u30faー]")
_GROUP_ORDER = {"D": 0, "B": 2, "A": 3, "C": 4}


def _is_case_sensitive(alias: str) -> bool:
    """Aliases written in capitals in the file (US, UK, UAE) match only in capitals, so the
    English word "us" is never a country."""
    return alias.isascii() and alias.upper() == alias and any(ch.isalpha() for ch in alias)


class CountryResolver:
    """Country names (Japanese, English, short forms) → the country and its group, with the
    rows that say so.  A country on no A, B or D list is グループC by rule, citing the rule row.

    An alias shared by two countries (「コンゴ」, "Congo", 「ドミニカ」) is ambiguous: `resolve`
    returns None and `candidates` lists both, so the caller asks which one is meant."""

    def __init__(self, countries: Sequence[Country], rows: Sequence[DestinationRow]):
        self.countries = tuple(countries)
        self._names: dict[str, list[Country]] = {}
        self._exact: dict[str, list[Country]] = {}
        for c in self.countries:
            for name in (c.ja, c.en, *c.aliases):
                if not name:
                    continue
                if _is_case_sensitive(name):
                    self._exact.setdefault(unicodedata.normalize("NFKC", name), []).append(c)
                else:
                    bucket = self._names.setdefault(normalize(name), [])
                    if c not in bucket:
                        bucket.append(c)
        self.rule = next((r for r in rows if r.listing == "rule"), None)
        self._rows: dict[str, list[DestinationRow]] = {}
        self.unknown_rows: list[DestinationRow] = []
        for r in rows:
            if not r.country:
                continue
            c = self._one(r.iso) if r.iso else None
            c = c or self._lookup(r.country)
            if c is None:
                self.unknown_rows.append(r)
                continue
            self._rows.setdefault(c.iso, []).append(r)
        self._pattern = self._build_pattern()

    # -- lookups
    def _one(self, iso: str) -> Country | None:
        return next((c for c in self.countries if c.iso == iso), None)

    def _candidates_for(self, name: str) -> list[Country]:
        raw = unicodedata.normalize("NFKC", name or "").strip()
        return self._exact.get(raw) or self._names.get(normalize(raw), [])

    def _lookup(self, name: str) -> Country | None:
        found = self._candidates_for(name)
        return found[0] if len(found) == 1 else None

    def candidates(self, name: str) -> list[CountryInfo]:
        """Every country a name may mean (two or more when it is ambiguous)."""
        return [self.info(c) for c in self._candidates_for(name)]

    def is_ambiguous(self, name: str) -> bool:
        return len(self._candidates_for(name)) > 1

    def resolve(self, name: str) -> CountryInfo | None:
        """The country `name` means, with its group and cited rows; None when unknown or ambiguous."""
        c = self._lookup(name)
        return self.info(c) if c else None

    def info(self, c: Country) -> CountryInfo:
        rows = sorted(self._rows.get(c.iso, []), key=lambda r: _GROUP_ORDER.get(r.group, 9))
        if rows:
            g = rows[0].group
            label = rows[0].group_label if len(rows) == 1 else f"グループ{g}"
            return CountryInfo(c.ja, c.iso, c.en, g, label, tuple(rows))
        rule = (self.rule,) if self.rule else ()
        return CountryInfo(c.ja, c.iso, c.en, "C", self.rule.group_label if self.rule else "グループC",
                           rule, by_rule=True)

    # -- in running text
    def _build_pattern(self) -> re.Pattern:
        names = set(self._names) | set(self._exact)
        alts = sorted((n for n in names if n), key=len, reverse=True)
        return re.compile("|".join(re.escape(a) for a in alts)) if alts else re.compile(r"(?!x)x")

    def find_all(self, text: str) -> list[tuple[tuple[int, int], CountryInfo | list[CountryInfo]]]:
        """Country names in running text, Japanese or English: (span, info), or
        (span, [candidates]) for an ambiguous name; spans index `unicodedata.normalize("NFKC", text)`
        (the same as `text` unless it has half-width kana).  Latin names are word-bounded; a katakana
        name is not taken from inside a longer katakana word (タイ is not in タイヤ)."""
        raw = unicodedata.normalize("NFKC", text or "")
        low = raw.lower()
        out = []
        taken: list[tuple[int, int]] = []
        for a, b, name in self._spans(raw, low):
            if any(a < y and x < b for x, y in taken):
                continue
            found = self._exact.get(name) or self._names.get(normalize(name), [])
            found = [c for c in found if not _inside(low, a, b, c.not_in)]
            if not found:
                continue
            taken.append((a, b))
            infos = [self.info(c) for c in found]
            out.append(((a, b), infos[0] if len(infos) == 1 else infos))
        out.sort(key=lambda x: x[0])
        return out

    def _spans(self, raw: str, low: str):
        """Candidate (start, end, name) matches, longest first."""
        cands = []
        for name in sorted(set(self._names) | set(self._exact), key=len, reverse=True):
            exact = name in self._exact
            hay = raw if exact else low
            needle = name if exact else name
            start = 0
            while True:
                i = hay.find(needle, start)
                if i < 0:
                    break
                j = i + len(needle)
                start = i + 1
                if not exact and hay[j:j + 1] == "ー" and not needle.endswith("ー"):
                    j += 1      # the search form drops a final ー (ミャンマー → ミャンマ): the text keeps it
                if needle.isascii() and needle[-1:].isalpha():
                    # an English adjective of the name: a Russian buyer, Korean, Vietnamese, Pakistani
                    m = _DEMONYM.match(hay, j)
                    j = m.end() if m else j
                if not _bounded(hay, i, j, needle):
                    continue
                cands.append((i, j, raw[i:j] if exact else needle))
        cands.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
        return cands

    def names(self) -> list[str]:
        """Japanese names, for pick-lists in the UI."""
        return sorted(c.ja for c in self.countries)


_DEMONYM = re.compile(r"(?:n|ese|i)(?=s?(?![a-z0-9]))")


def _inside(text: str, i: int, j: int, words: Sequence[str]) -> bool:
    """Whether text[i:j] sits inside one of `words` at that place (中国 in 中国地方)."""
    needle = text[i:j]
    for w in words:
        w = normalize(w)
        k = w.find(needle)
        while k >= 0:
            if text[i - k:i - k + len(w)] == w:
                return True
            k = w.find(needle, k + 1)
    return False


def _bounded(hay: str, i: int, j: int, needle: str) -> bool:
    if needle.isascii():
        before = hay[i - 1] if i > 0 else " "
        after = hay[j] if j < len(hay) else " "
        return not (before.isalnum() and before.isascii()) and not (after.isalnum() and after.isascii())
    if _KATAKANA.match(needle[0]) and i > 0 and _KATAKANA.match(hay[i - 1]):
        return False
    if _KATAKANA.match(needle[-1]) and j < len(hay) and _KATAKANA.match(hay[j]):
        return False
    return True


# ---------------------------------------------------------------- 遵守基準

@dataclass(frozen=True)
class CriterionRow:
    """One row of 輸出者等遵守基準: tier Ⅰ (every exporter) or Ⅱ (list-control exporters)."""
    chunk: Chunk
    tier: str                 # "I" | "II" | "共通"
    no: str                   # "①" … "⑩", or "概要"
    title: str
    text: str                 # the duty, in the table's words
    amended_2021: bool = False

    @property
    def label(self) -> str:
        tier = {"I": "Ⅰ", "II": "Ⅱ"}.get(self.tier, "")
        return f"{tier}{self.no}" if tier else self.no


def criteria_rows(chunks: Iterable[Chunk]) -> list[CriterionRow]:
    rows = []
    for c in chunks:
        f = dict(c.fields)
        if f.get("tier") and f.get("no") and f.get("title"):
            rows.append(CriterionRow(c, f["tier"], f["no"], f["title"], f.get("text", ""),
                                     f.get("amended_2021", "").lower() == "true"))
    return rows


# ---------------------------------------------------------------- all tables, per generation

@dataclass(frozen=True)
class Tables:
    """Every table of one index generation, typed."""
    list_rows: tuple[ListRow, ...]
    products: ProductMatcher = field(compare=False)
    destinations: tuple[DestinationRow, ...] = ()
    countries: CountryResolver = field(default=None, compare=False)
    criteria: tuple[CriterionRow, ...] = ()
    by_id: dict = field(default_factory=dict, compare=False)    # chunk_id → Chunk

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self.by_id.get(chunk_id)


def build_tables(chunks: Sequence[Chunk]) -> Tables:
    """The typed tables of a set of indexed chunks."""
    table_chunks = [c for c in chunks if c.fields]
    rows = list_rows(table_chunks)
    dest = destination_rows(table_chunks)
    return Tables(tuple(rows), product_matcher(rows), tuple(dest),
                  CountryResolver(load_countries(), dest), tuple(criteria_rows(table_chunks)),
                  {c.chunk_id: c for c in chunks})


_CACHE: dict[str, Tables] = {}
_LOCK = threading.Lock()


def tables_of(chunks: Sequence[Chunk]) -> Tables:
    """The tables of a chunk list, built once per list (an index generation's `chunks`): for
    callers that hold the chunks rather than the `LoadedIndex`."""
    chunks = chunks if isinstance(chunks, list) else list(chunks)
    key = f"chunks:{id(chunks)}:{len(chunks)}:{chunks[0].chunk_id if chunks else ''}:{chunks[-1].chunk_id if chunks else ''}"
    with _LOCK:
        t = _CACHE.get(key)
    if t is None:
        t = build_tables(chunks)
        with _LOCK:
            if len(_CACHE) >= 8:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = t
    return t


def tables_for(index) -> Tables:
    """The tables of a `LoadedIndex`, built once per generation (keyed by its `gen_dir`)."""
    key = str(getattr(index, "gen_dir", id(index)))
    with _LOCK:
        t = _CACHE.get(key)
        if t is None:
            if len(_CACHE) >= 8:
                _CACHE.pop(next(iter(_CACHE)))
            t = _CACHE[key] = build_tables(index.chunks)
        return t
