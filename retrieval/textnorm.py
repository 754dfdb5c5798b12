"""Japanese text handling in one place: NFKC normalisation, 表記ゆれ/synonym
expansion (data in `data/synonyms.tsv`), sentence splitting that keeps offsets,
character-bigram tokenising for BM25, and stop tokens for coverage scoring."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

SYNONYMS_PATH = Path(__file__).parent / "data" / "synonyms.tsv"
# Bump when normalisation or tokenising changes what is indexed: the index is then rebuilt.
NORMALIZATION_VERSION = 3

# Sentence ends: 。！？ (NFKC turns ！？ into !?), plus line breaks between list items.
_SENT_END = re.compile(r"[。！？!?]+[」』）)]*|\n+")
# Runs that are tokenised: CJK (kana, kanji, 々, ー) with digits → bigrams; Latin words → words.
_CJK_RUN = re.compile(r"[0-9\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヵヶー]+")
_WORD = re.compile(r"[a-z][a-z0-9\-]*[a-z0-9]|[a-z]")
_ASCII_DIGITS = re.compile(r"^[0-9]+$")

# Function-word bigrams that say nothing about the topic; left out of query coverage.
STOP_TOKENS = frozenset(
    """です ます すか でし した して しま ませ せん ない なり りま ある あり いる いま
    とは には では での への から まで など する され れる られ こと もの よう ため それ これ
    その この あの どの どう なる なっ って った てい いて けれ れど だけ でも ので のか のは
    かな すよ よね ねえ ださ さい くだ 教え えて てく 知り りた たい いで ょう でし しょ
    ても いい るの るか のも がい いか うか かど どう っぱ ばり ちゃ えば れば 場合 ついて つい
    何で 何を 何が なに なん んで んな ますか ですか 何項 うち 弊社 当社 うちの 会社
    what is are the a an of to for in on do does can we our my i you it this that be with
    how which when who should need must any about please tell me if or and as at by from
    there their they your us was were has have had will would could""".split()
)


def nfkc(text: str) -> str:
    """NFKC (full-width → half-width ASCII, half-width kana → full-width) and lower-case."""
    return unicodedata.normalize("NFKC", text).lower()


# a hiragana run holding a 長音 (きゃっちおーる, えんどゆーざー) is a loanword typed in kana:
# written in katakana it meets the pack's own katakana terms
# (through its last 長音 and one more kana that is not a particle: めーる|で, ゆーざー|の)
_HIRAGANA_LOANWORD = re.compile(r"[\u3041-\u3096ー]*[\u3041-\u3096]ー(?:(?![のにでをがはともてっやへか])[\u3041-\u3096])?")


def _to_katakana(m: re.Match) -> str:
    return "".join(chr(ord(ch) + 0x60) if "\u3041" <= ch <= "\u3096" else ch for ch in m.group(0))


VARIANTS_PATH = Path(__file__).parent / "data" / "variants.tsv"


@lru_cache(maxsize=1)
def _variants() -> tuple[re.Pattern | None, dict[str, str]]:
    """Typos and script variants (data/variants.tsv) → the pack's term, longest first."""
    table: dict[str, str] = {}
    for row in read_tsv(VARIANTS_PATH):
        canonical = _normalize_script(row[0])
        for v in row[1].split(" | ") if len(row) > 1 else ():
            v = _normalize_script(v.strip())
            if v and v != canonical:
                table[v] = canonical
    if not table:
        return None, table
    return re.compile("|".join(re.escape(v) for v in sorted(table, key=len, reverse=True))), table


def normalize(text: str) -> str:
    """Normalised form used for search: NFKC, lower-case, collapsed whitespace, 長音 unified,
    typos and script variants of the pack's terms (data/variants.tsv) replaced by the term."""
    t = _normalize_script(text)
    pattern, table = _variants()
    return pattern.sub(lambda m: table[m.group(0)], t) if pattern is not None else t


def _normalize_script(text: str) -> str:
    t = nfkc(text)
    t = re.sub(r"[‐‑‒–—―−ｰ]", "-", t)
    t = re.sub(r"(?<=[\u30a0-\u30ff])-", "ー", t)     # a dash after katakana is a 長音
    t = _HIRAGANA_LOANWORD.sub(_to_katakana, t)       # きゃっちおーる → キャッチオール
    t = re.sub(r"(?<=[0-9何数])[ヶケカヵか箇]月", "か月", t)  # 6ヶ月 / 6カ月 / 6箇月 → 6か月
    # a final 長音 on a katakana word of 3+ kana is written both ways (プリンタ/プリンター)
    t = re.sub(r"(?<=[\u30a1-\u30fc]{3})ー(?![\u30a1-\u30fc])", "", t)
    return re.sub(r"\s+", " ", t).strip()


def term_pattern(term: str) -> re.Pattern:
    """A pattern for a normalised term: Latin terms match whole words only ("cp" is not in
    "cpu"); Japanese terms match anywhere, as Japanese has no spaces between words."""
    if term.isascii():
        return re.compile(r"(?<![a-z0-9])" + re.escape(term) + r"(?![a-z0-9])")
    return re.compile(re.escape(term))


def read_tsv(path: Path):
    """Rows of a hand-reviewed TSV data file, skipping blank and '#' lines."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=1)
def _synonyms() -> tuple[tuple[re.Pattern, str], ...]:
    pairs = []
    for row in read_tsv(SYNONYMS_PATH):
        variant, canonical = normalize(row[0]), normalize(row[1] if len(row) > 1 else "")
        if not variant or not canonical or variant == canonical:
            continue
        pat = term_pattern(variant)
        pairs.append((pat, canonical, len(variant)))
    pairs.sort(key=lambda p: -p[2])
    return tuple((p, c) for p, c, _ in pairs)


_LATIN_WORD = re.compile(r"(?<![a-z0-9])[a-z]{4,}(?![a-z0-9])")


@lru_cache(maxsize=1)
def _latin_variants() -> frozenset:
    return frozenset(normalize(r[0]) for r in read_tsv(SYNONYMS_PATH) if r and r[0].isascii())


def english_lemmas(text: str) -> str:
    """English inflections reduced to a form the synonym table lists (sending → send,
    samples → sample, exported → export), only where the table lists that form."""
    known = _latin_variants()

    def lemma(m):
        w = m.group(0)
        if w in known:
            return w
        for suffix, repl in (("ies", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
            if w.endswith(suffix) and (w[: -len(suffix)] + repl) in known:
                return w[: -len(suffix)] + repl
        return w
    return _LATIN_WORD.sub(lemma, text)


def expand(text: str) -> str:
    """Normalise and append the canonical forms of any variants found (index and query time)."""
    t = normalize(text)
    if any("a" <= ch <= "z" for ch in t):
        t = english_lemmas(t)
    extra, taken = [], []
    for literal, pat, canonical in _synonym_literals():     # longest variants first
        if literal not in t:                                 # `in` first: 10× fewer regex calls
            continue
        # the longest variant wins where variants overlap: エンドユーザーリスト is 外国ユーザーリスト,
        # not also 需要者 through the エンドユーザ inside it (rows of one variant all apply)
        spans = [m.span() for m in pat.finditer(t)
                 if not any(x <= m.start() and m.end() <= y and (y - x) > (m.end() - m.start()) for x, y in taken)]
        if spans:
            taken.extend(spans)
            if canonical not in extra:
                extra.append(canonical)
    return t + (" " + " ".join(extra) if extra else "")


@lru_cache(maxsize=1)
def _synonym_literals() -> tuple[tuple[str, re.Pattern, str], ...]:
    """The synonym patterns with the literal every match contains (term_pattern escapes it)."""
    return tuple((re.sub(r"\\(.)", r"\1", re.sub(r"^\(\?<!\[a-z0-9\]\)|\(\?!\[a-z0-9\]\)$", "", p.pattern)), p, c)
                 for p, c in _synonyms())


def canonical_only(text: str) -> str:
    """Normalise and replace Latin variants by their canonical (Japanese) form: used to
    judge coverage of English questions, whose English words do not occur in the pack."""
    t = english_lemmas(normalize(text))
    for pat, canonical in _synonyms():
        if pat.pattern.startswith("(?<![a-z0-9])"):
            t = pat.sub(" " + canonical + " ", t)
    return t


def tokens(text: str, normalized: bool = False) -> list[str]:
    """Character bigrams over CJK runs (a single-character run is kept as a unigram) and
    whole Latin words.  Digits join the CJK run they touch, so 「5項」 is one bigram."""
    t = text if normalized else normalize(text)
    out: list[str] = []
    for m in _CJK_RUN.finditer(t):
        s = m.group()
        if _ASCII_DIGITS.match(s):
            out.append(s)
        elif len(s) == 1:
            out.append(s)
        else:
            out.extend(s[i:i + 2] for i in range(len(s) - 1))
    out.extend(m.group() for m in _WORD.finditer(t))
    return out


def content_tokens(text: str) -> set[str]:
    """Tokens that carry topic: stop bigrams/words and lone kana removed."""
    return {
        tok for tok in tokens(text)
        if tok not in STOP_TOKENS and not (len(tok) == 1 and "\u3040" <= tok <= "\u309f")
    }


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, never cutting inside one.
    Leading/trailing whitespace and list bullets are excluded from each span."""
    spans = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end() if text[m.start()] != "\n" else m.start()
        _add_span(text, start, end, spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return spans


_BULLET = re.compile(r"\s*(?:[-*・●■◆✓]|\d+[.)])\s+|\s*[・●■◆✓]")


def _add_span(text: str, start: int, end: int, spans: list) -> None:
    seg = text[start:end]
    stripped = seg.lstrip()
    s = start + (len(seg) - len(stripped))
    b = _BULLET.match(text, s, end) if s < end else None
    if b and b.end() < end:
        s = b.end()
    e = end
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))


_TERM_RUN = re.compile(r"[0-9a-z\u30a0-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヵヶー]+")
TERM_STOP = frozenset("""何項 該当 対象 関係 問題 注意 注意点 違い 意味 理由 場合 弊社 当社 会社 必要 可能 大丈夫 本当 具体的 一般的 方法 教 何 今 誰 一言 普通 簡潔 現在
    最初 最後 今回 前回 毎回 対応 ダメ 内容 具体 全部 全体 結局 実際 一応 簡単 詳 詳細 説明 質問 回答 答 場合分 ケース 例 例外 OK ok ng
    one ones them these those many much former latter number kind kinds type types send sending sent give given get our their
    its also just only really actually please thanks thank yes no not am is are was were be been being
    covers cover covered started start starting last next first new old okay ok want wants wanted
    going go goes went come came make makes made take takes took know knows think say says said
    same other another some every each all both either neither than then there here very so such
    still yet ever never always sometimes often while since until before after during into onto
    over under between through within without against among per via i'm we're it's don't doesn't
    isn't aren't can't what's let us let's need needs needed use used using get gets getting got
    whether count counts counted counting considered consider regarded treated true right correct
    anything something everything nothing somebody someone anyone everyone thing things stuff
    lot lots bit kind sort way ways case cases question questions answer know tell telling
    let lets wonder wondering sure allowed okay fine able possible require required requires
    does did doing done should shall may might must can could would will hey hi hello
    called named two three four five six seven eight nine ten
    keep keeps kept keeping mind mention mentions mentioned mentioning hear hears heard hearing talk talks talked talking
    because although though he she him his her himself herself look looking looks treat treats
    don doesn didn isn aren wasn weren shouldn couldn wouldn haven hasn hadn mustn ll ve re
    taken off back few today nowadays currently anymore""".split())

# A word that starts with 何 is the question word itself (何カ国, 何年, 何項): never a topic word.
_QUESTION_WORD = re.compile(r"^(何|なん|どの|どれ|どこ|いつ)")
# A count told in kanji numerals (一台, 二個, 数社, 三回) is how many, never what is asked: like 10台 (digits,
# dropped as a number) and the quantity pattern of data/intents.yaml (incidental), it is no topic word
_KANJI_COUNT = re.compile(r"^[一二三四五六七八九十百千万数両]+(?:台|個|本|枚|点|箱|件|回|名|人|社|基|機|組|セット|ロット|ケース|パレット|トン)$")
# …nor is a question word inside a run (今何カ国 → 今, 何年保管 → 保管): the run is split around it
_QUESTION_IN_RUN = re.compile(r"何(?:[カかヵヶケ][国月所]|[\u3400-\u9fff々])?")


@lru_cache(maxsize=1)
def _term_patterns() -> tuple[tuple[re.Pattern, tuple[str, ...]], ...]:
    """Dictionary variants and canonical terms, longest first, each with its alternatives."""
    table: dict[str, list[str]] = {}
    for pat, canonical in _synonyms():
        variant = pat.pattern
        table.setdefault(variant, []).extend(canonical.split())
        for c in canonical.split():
            table.setdefault(re.escape(c), [])
    out = []
    for key, alts in table.items():
        pattern = re.compile(key)
        surface = re.sub(r"\\(.)", r"\1", key.replace("(?<![a-z0-9])", "").replace("(?![a-z0-9])", ""))
        out.append((pattern, tuple(dict.fromkeys([surface, *alts])), len(surface)))
    out.sort(key=lambda x: -x[2])
    return tuple((p, a) for p, a, _ in out)


NOT_TOPICS_PATH = Path(__file__).parent / "data" / "not_topics.tsv"


@lru_cache(maxsize=1)
def not_topics() -> tuple[tuple[str, re.Pattern, tuple[str, ...]], ...]:
    """The classes of words that never name a topic (data/not_topics.tsv: business-message
    formulas, time words, verb stems): (class, pattern of its forms, example questions)."""
    out = []
    for row in read_tsv(NOT_TOPICS_PATH):
        forms = sorted({normalize(f.strip()) for f in row[1].split(" | ") if f.strip()}, key=len, reverse=True)
        examples = tuple(e.strip() for e in (row + [""])[2].split(" | ") if e.strip())
        out.append((row[0].strip(), re.compile("|".join(re.escape(f) for f in forms)), examples))
    return tuple(out)


def drop_not_topics(t: str) -> str:
    """Normalised text with the words that never name a topic blanked out (a space, so a run
    of kanji breaks there: 最近変わった → ' 変わった')."""
    for _, pattern, _ in not_topics():
        t = pattern.sub(" ", t)
    return t


VERB_ENDINGS_PATH = Path(__file__).parent / "data" / "verb_endings.tsv"
_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々]")


@lru_cache(maxsize=1)
def verb_endings() -> tuple[tuple[str, re.Pattern, tuple[str, ...]], ...]:
    """The verb and adjective endings that never follow a noun (data/verb_endings.tsv):
    (class, pattern matched right after a kanji run, example questions)."""
    return tuple((r[0].strip(), re.compile(r[1].strip()), tuple(e.strip() for e in (r + [""])[2].split(" | ") if e.strip()))
                 for r in read_tsv(VERB_ENDINGS_PATH))


def verb_fragments(text: str) -> dict[str, str]:
    """The topic words of `text` (key_terms) cut out of a verb phrase: a run ending in a kanji that a
    verb or adjective ending follows (「お金取られる」 → 金取, 「売上欲しい」 → 売上欲, 「大口注文来た」 →
    大口注文来), each with its ending's class.  Such a word is the verb's object told with the verb, not
    a noun naming a topic; a word that also stands as a noun elsewhere in the text is none."""
    t = drop_not_topics(canonical_only(text))
    words = {g[0] for g in key_terms(text)}
    out: dict[str, str] = {}
    plain: set[str] = set()
    for m in _TERM_RUN.finditer(t):
        run = m.group(0)
        cls = next((c for c, pat, _ in verb_endings() if pat.match(t, m.end())), "") if _KANJI.match(run[-1]) else ""
        for w in words:
            if not run.endswith(w):
                if w in run:
                    plain.add(w)
                continue
            if cls:
                out.setdefault(w, cls)
            else:
                plain.add(w)
    return {w: c for w, c in out.items() if w not in plain}


def key_terms(text: str) -> list[tuple[str, ...]]:
    """Topic words of a question, each with its alternative spellings, for judging whether
    a passage covers the question: dictionary terms (after mapping English to Japanese)
    plus maximal runs of kanji/katakana/Latin/digits (hiragana splits words: particles
    and okurigana carry no topic).  Words that never name a topic (data/not_topics.tsv:
    お世話になっております, 最近, 手伝って) are left out."""
    t = drop_not_topics(canonical_only(text))
    groups: list[tuple[str, ...]] = []
    taken: list[tuple[int, int]] = []
    for pat, alts in _term_patterns():
        for m in pat.finditer(t):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            if alts[0] in STOP_TOKENS or alts[0] in TERM_STOP or len(alts[0]) < 2:
                continue
            taken.append((a, b))
            if alts not in groups:          # a word said twice weighs once
                groups.append(alts)
    for m in _TERM_RUN.finditer(t):
        a, b = m.span()
        # the parts of the run not already covered by a dictionary term
        pieces, start = [], a
        for x, y in sorted(taken):
            if y <= start or x >= b:
                continue
            if x > start:
                pieces.append(t[start:x])
            start = max(start, y)
        if start < b:
            pieces.append(t[start:b])
        pieces = [w for p in pieces for w in _QUESTION_IN_RUN.split(p)]
        for w in pieces:
            if len(w) < 2 or w in TERM_STOP or w in STOP_TOKENS or _ASCII_DIGITS.match(w) or _QUESTION_WORD.match(w) \
                    or _KANJI_COUNT.match(w):
                continue
            if (w,) not in groups:
                groups.append((w,))
    return groups


def split_sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def looks_like_instruction(text: str) -> bool:
    """True when text tries to instruct an assistant (prompt injection), judged sentence by
    sentence by its structure (`retrieval.injection`).  Such text is indexed and citable as
    evidence of what a document says, but never quoted as an answer."""
    from retrieval.injection import looks_like_instruction as detect
    return detect(text)


def strip_instructions(text: str) -> str:
    """The question without its sentences that try to instruct the assistant."""
    from retrieval.injection import strip_instructions as strip
    return strip(text)
