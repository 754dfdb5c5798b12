"""What the product does not cover.  Questions about neighbouring fields (customs duty,
consumption tax, origin certificates, visas, exchange rates, labour law, imports, other
countries' export laws, payments, the weather) are refused with a pointer to the right
desk, unless the knowledge base itself speaks to the term.  The list is data:
`data/out_of_scope.tsv`, one row per field with its terms in Japanese and English and
example questions that run as tests.  The passages name a Japanese term only as the same word
(関税率表 does not name 関税率); an English term may say which Japanese word it is
(`customs broker=通関業者`).  `asks_beside` finds a told deal whose asked piece is about
something else the pack does not cover (「…送るんですが、送り状の宛名の書き方は？」).  A mixed question
(「…許可はいりますか？あと関税はいくら？」) has its covered part answered: `in_scope_rest` is the question
less the part naming the field, and `other_part_line` says the rest is not covered."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from retrieval.textnorm import normalize, read_tsv

DATA = Path(__file__).parent / "data" / "out_of_scope.tsv"


@dataclass(frozen=True)
class OutOfScope:
    term: str                       # the term the question named
    field: str
    desk: str


@dataclass(frozen=True)
class ScopeRow:
    """One field: its terms (Japanese and English), the desk, and example questions."""
    terms: tuple[str, ...]
    field: str
    desk: str
    examples: tuple[str, ...] = ()
    unless: re.Pattern | None = None    # a question that also matches this is in scope
    equivalents: tuple[tuple[str, tuple[str, ...]], ...] = ()   # English term → the Japanese words it names

    @property
    def japanese_terms(self) -> tuple[str, ...]:
        return tuple(t for t in self.terms if not t.isascii())

    def evidence_terms(self, term: str) -> tuple[str, ...]:
        """The words the passages must name for `term` to be the pack's own: a Japanese term
        itself; an English one its equivalents (「customs broker=通関業者」), else the row's Japanese terms."""
        if not term.isascii():
            return (term,)
        return dict(self.equivalents).get(term) or self.japanese_terms


def _pattern(term: str) -> re.Pattern:
    """Latin terms as whole words (plural too: "tariffs", "visas"); Japanese ones anywhere."""
    if term.isascii():
        return re.compile(r"(?<![a-z0-9])" + re.escape(term) + r"(?:s|es)?(?![a-z0-9])")
    return re.compile(re.escape(term))


@lru_cache(maxsize=1)
def rows() -> tuple[ScopeRow, ...]:
    out = []
    for row in read_tsv(DATA):
        terms, field, desk, examples, unless = (row + ["", "", "", ""])[:5]
        pairs = [t.split("=", 1) + [""] for t in terms.split("|") if t.strip()]
        out.append(ScopeRow(tuple(normalize(t) for t, *_ in pairs), field.strip(), desk.strip(),
                            tuple(e.strip() for e in examples.split(" | ") if e.strip()),
                            re.compile(unless.strip(), re.I) if unless.strip() else None,
                            tuple((normalize(t), tuple(normalize(j) for j in eq.split("/") if j.strip()))
                                  for t, eq, *_ in pairs if eq.strip())))
    return tuple(out)


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[ScopeRow, tuple[tuple[str, re.Pattern], ...]], ...]:
    return tuple((r, tuple((t, _pattern(t)) for t in r.terms)) for r in rows())


# 「フォワーダーさんに何て伝えれば」「通関業者から「該非判定書を出して」と言われた」: the field's party the asker
# tells, asks or hears from (an honorific or a verb of telling follows it) is told, not asked
_PARTY = re.compile(r"(?:さん|様|さま|の(?:人|方|担当者?))?(?:から|に|には)、?(?:「[^」]*」(?:と|って))?[^。?？!！]{0,8}?"
                    r"(?:言われ|いわれ|聞かれ|頼まれ|求められ|指摘され|伝え|言え|言う|言っ|聞い|聞け|確認され)")


def _only_a_party(q: str, term: str, pat: re.Pattern) -> bool:
    """Whether every mention of the Japanese `term` names a party the asker tells or hears from
    (「フォワーダーさんに何て伝えれば」), not the field asked about: the grounding gate judges the rest."""
    if term.isascii():
        return False
    return all(_PARTY.match(q, m.end()) for m in pat.finditer(q))


def other_field(question: str, evidence: str) -> OutOfScope | None:
    """The neighbouring field a question is about, if it names one of the field's terms that
    `evidence` (the best passages' text) does not name.  The pack is Japanese: for an
    English term, the field's Japanese terms are what the evidence is searched for."""
    q = normalize(question)
    ev = normalize(evidence)
    found = []
    for row, pats in _rules():
        if row.unless is not None and row.unless.search(q):
            continue
        for term, pat in pats:
            if not pat.search(q) or _only_a_party(q, term, pat):
                continue
            if not any(_names(ev, t, q) for t in row.evidence_terms(term)):
                found.append(OutOfScope(term, row.field, row.desk))
    # the longest term named wins: "preferential tariff" is an EPA question, not a duty-rate one
    best = max(found, key=lambda o: len(o.term), default=None)
    # the asked piece is judged against every neighbouring word the question names, not only the longest: 「…現地の源泉徴収って
    # どうやればいいの？日本の給与ソフトで回せる？」 asks its last piece about 給与 (labour), however much of it the pack words
    if best is not None and _asks_about_the_pack(q, tuple(o.term for o in found), ev):
        return None
    return best


def other_part_asked(question: str, evidence: str) -> OutOfScope | None:
    """The neighbouring field a question asks about in a part of its own while its last part asks
    about the pack ("What's the import duty in Mexico? And do we need a licence for the sensors?"):
    `other_field` lets such a question through for its last part; this names the other part's field,
    so the answer can say it is not covered.  None when the field is only told (a remark or the
    situation) or when no part is left without it."""
    if other_field(question, evidence) is not None:
        return None
    found = [o for o in (other_field(p, evidence) for p, _ in _asked_parts(question)) if o is not None]
    best = max(found, key=lambda o: len(o.term), default=None)
    return best if best is not None and in_scope_rest(question, best.term) else None


# a character that continues a Japanese compound: 関税率 inside 関税率表 is another word
_COMPOUND = re.compile(r"[\u30a0-\u30ff\u3400-\u9fff々]")


def _names(evidence: str, term: str, question: str) -> bool:
    """Whether the passages name `term` as the same word: a Japanese term continued by another
    kanji or katakana (関税率 → 関税率表 "the tariff schedule") names something else, unless the
    question continues it the same way; what comes before does not matter (輸出通関 is 通関)."""
    if term.isascii():
        return bool(_pattern(term).search(evidence))
    at = question.find(term)
    asked_next = question[at + len(term):at + len(term) + 1] if at >= 0 else ""
    for m in _pattern(term).finditer(evidence):
        nxt = evidence[m.end():m.end() + 1]
        if not _COMPOUND.match(nxt) or nxt == asked_next:
            return True
    return False


# the asked piece: after the last sentence end (an ellipsis ends a chat sentence too: 「…って返ってきた…このまま進めていい？」)
# or 「…けど、」「…ですが、」「…ので、」 with more text after it
# (a reason told with 「…なんで、」「…多いんで」 ends the situation like 「…ので、」, as in anpo.analysis._CLAUSE: 「武器でもない
# 農業機械なんで、輸出規制とは無縁ですよね？」 asks 「輸出規制とは無縁ですよね」, and its なんで is no "why")
_PIECES = re.compile(r"[。!！?？]+\s*|(?<=[a-z])\.\s+|(?<![a-z0-9])\.{3,}\s*|…+\s*|けど、?|けれど、?|ですが、?|ので、|(?<=[ますた])が、"
                     r"|(?<=[^\s、,。!！?？「」『』][いな])んで(?![すし])[、,]?")


def asked_piece(q: str) -> str:
    """The piece of a (normalised) question that asks: after the last sentence end or 「…けど、」
    「…ですが、」 before its last question mark (a remark after that mark asks nothing); "" when
    the question is one piece."""
    pieces = _pieces(q)
    return pieces[-1].strip() if len(pieces) >= 2 else ""


def _pieces(q: str) -> list[str]:
    end = q.rfind("?")
    return [p for p in _PIECES.split(q[:end] if end > 0 else q) if p and p.strip()]


def asks_beside(a, support_of: Callable[[object], object], tables, threshold: float) -> bool:
    """A deal or product told only as the setting of another question: the asked piece asks
    what or how (「…送るんですが、送り状の宛名の書き方は？」「…売りたい。値段はいくらにすればいい？」)
    about a word the pack never uses, names no goods, country or deal cue of its own, and the
    pack does not cover it (`support_of(analysis)`: the grounding Support of the piece's own
    analysis).  Such a question is refused like any other that is not covered.  A told fact
    (「転売先は教えてくれない。」) or a yes/no about the deal (「受けていい？」) asks nothing beside it."""
    from anpo.analysis import analyse, load_rules
    from retrieval.textnorm import key_terms
    piece = asked_piece(normalize(a.question))
    rules = load_rules()
    if not piece or not (rules.premise["wh"].search(piece) or _BARE_TOPIC.search(piece)):
        return False
    if any(rules.intent(n).match(piece) for n in ("deal", "product_check")):
        return False        # 「どうすればいい？」「リストに載ってる？」 ask about the deal or the goods
    sub = analyse(piece, tables)
    if sub.products or sub.countries or not key_terms(sub.topic):
        return False
    s = support_of(sub)
    unknown = rules.grounding["unknown"]
    return s.best < threshold and any(w >= unknown for w in s.weights)


# an English sentence asking two things joined by "and" ("Do we need a licence …, and what is the
# import duty there?"): the second begins at the joined question word
_AND_ASKS = re.compile(r",?\s+(?:and|also)\s+(?=(?:what|how|which|where|who|when|is|are|do|does|can|could|will|would|should)\b)", re.I)


# "And do we need a licence?": an English part opened by "and" asks a question of its own
_AND_OPENS = re.compile(r"\s*and\b", re.I)


def _asked_parts(question: str) -> list[tuple[str, bool]]:
    """The question's parts (anpo.analysis: pieces ending in ？, or joined by 「あと」「それと」 "Also"),
    an English part split once more where "and" joins a second question; each with whether it opens
    a new question (a joiner, or the first part) rather than asking on about the part before it
    (「…商標登録しておいたほうがいい？費用はどのくらい？」: the cost is the trademark's)."""
    from anpo.analysis import load_rules, question_parts
    joiner = load_rules().part_joiners
    out = []
    for i, part in enumerate(question_parts(question)):
        pieces = _AND_ASKS.split(part) if part.isascii() else [part]
        for j, p in enumerate(x for x in pieces if x.strip()):
            text = p.strip() + ("?" if p.isascii() and not p.rstrip().endswith(("?", ".")) else "")
            out.append((text, i == 0 and j == 0 or j > 0 or bool(joiner.match(p) or _AND_OPENS.match(p))))
    return out


FRAMES = Path(__file__).parent / "data" / "frames.tsv"


@lru_cache(maxsize=1)
def frames() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The framing words of data/frames.tsv: class → (forms, in the table's order; example questions)."""
    return {r[0].strip(): (tuple(f.strip() for f in r[1].split(" | ") if f.strip()),
                           tuple(e.strip() for e in (r + [""])[2].split(" | ") if e.strip()))
            for r in read_tsv(FRAMES)}


def frame_forms(name: str, group: str = "(?:") -> str:
    """A class of data/frames.tsv as one regex alternation (its forms literal, in the table's order)."""
    return group + "|".join(re.escape(f) for f in frames()[name][0]) + ")"


# 「電波法の技適とは別に、輸出許可って必要？」「CEマーキングの話は置いといて…」 "Besides the CE marking, do we need …": the
# field named only to set it aside; the question asks about what follows (the field is named as out of scope beside it):
# data/frames.tsv set_aside, set_aside_en
@lru_cache(maxsize=1)
def _aside_en() -> re.Pattern:
    return re.compile(r"^\s*" + frame_forms("set_aside_en") + r"\b[^,?]*,\s*", re.I)


def _set_aside(part: str, pat: re.Pattern) -> str:
    """`part` less the clause that names the field only to set it aside (「電波法の技適とは別に、」 "Besides the CE
    marking,"), when every mention of the field is in that clause and something is asked after it; "" otherwise."""
    q = normalize(part)
    if q.isascii():
        m = _aside_en().match(q)
    else:
        m = next((m for m in re.finditer(r"[^。、,?？!！]*?(?:" + pat.pattern + r")[^。、,?？!！]{0,20}?" + frame_forms("set_aside") + r"[、,]?", q)),
                 None)
    if m is None or not pat.search(m.group(0)) or pat.search(q[m.end():]) or pat.search(q[:m.start()]):
        return ""
    from retrieval.textnorm import key_terms
    rest = (q[:m.start()] + q[m.end():]).strip()
    return rest if key_terms(rest) else ""


def in_scope_rest(question: str, term: str) -> str:
    """A mixed question less its parts about the neighbouring field: 「タイに測定器を送るんですが、許可は
    いりますか？あと向こうの関税はいくら？」 → 「タイに測定器を送るんですが、許可はいりますか？」 ("" when
    every part, or none, names `term`).  A part after the field's part that opens no new question
    (「費用はどのくらい？」) asks about it and goes with it.  The pipeline answers the rest and says the
    other part is not covered (`other_part_line`)."""
    pat = _pattern(term)
    keep, dropped, about_it = [], 0, False
    for text, opens in _asked_parts(question):
        aside = _set_aside(text, pat) if pat.search(normalize(text)) else ""
        if aside:
            keep.append(aside)
            dropped, about_it = dropped + 1, False
            continue
        if pat.search(normalize(text)) or (about_it and not opens):
            dropped, about_it = dropped + 1, True
            continue
        keep.append(text)
        about_it = False
    if not keep or not dropped:
        return ""
    return (" " if question.isascii() else "").join(keep)


def other_part_line(found: OutOfScope, english: bool = False) -> str:
    """The line under a mixed question's answer that says its other part is not covered, naming the desk."""
    if english:
        from anpo.english import phrases
        p = phrases()
        desk = re.sub(r"\s*\([^)]*[\u3040-\u30ff\u3400-\u9fff][^)]*\)", "", p["desks"].get(found.desk, ""))
        field = p["fields"].get(found.field, "")
        if not field or _JAPANESE.search(field + desk):
            return p["refusal_part"]
        return p["refusal_part_field"].format(field=field, desk=desk) if desk else p["refusal_part"]
    if found.desk and found.desk != "—":
        return (f"なお、「{found.field}」に関するご質問は、このナレッジベースの対象外のためお答えできません。"
                f"{found.desk}にご確認ください。")
    return "なお、ご質問のうち、このナレッジベースの対象外の部分にはお答えできません。"


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


# 「…の相場は？」: a bare topic asked with は/って (the ？ itself is cut off by asked_piece)
_BARE_TOPIC = re.compile(r"(は|って|とは)\s*$")


def _asks_about_the_pack(q: str, terms: tuple[str, ...], evidence: str) -> bool:
    """The neighbouring word is told in the situation ("…waiting for his work visa.") while the
    asked piece names nothing of it and is about the pack's own words ("Can he see controlled
    drawings?"): at least two of its topic words, and most of them, are in the best passages, and none of the neighbouring
    `terms` the question names."""
    # a remark after the last question mark (「…かかりますか？海外の会社との契約です。」) asks nothing
    asked = asked_piece(q)
    if not asked or any(_pattern(t).search(asked) for t in terms):
        return False
    from retrieval.textnorm import key_terms
    if asked.isascii():         # English: the pack's words it maps to (anpo.english); other words say nothing here
        from anpo.english import japanese_topic
        words = [g for g in key_terms(japanese_topic(asked)) if not g[0].isascii()]
    else:
        words = list(key_terms(asked))
    named = [g for g in words if any(a and a in evidence for a in g)]
    return len(named) >= 2 and 2 * len(named) >= len(words)


# ------------------------------------------------------------------ the question's head: a word the pack never uses

@lru_cache(maxsize=1)
def _head() -> re.Pattern:
    """data/frames.tsv head_frame, head_duty: a word standing as the frame of a duty asked of it (「食糧法で必要な届出」
    「別送品として…申告」「廃棄物扱いになって何か手続き」), the duty a few characters after the frame, in the same clause
    (no reason 「…だから」 between), and a duty, not its lack or a thing named after it (検査装置) (「核関連の貨物を無許可で」 tells a violation); or a word put into
    a traveller's bag (head_bag: 「モバイルバッテリーって預け荷物に入れていい？」: airline rules)."""
    return re.compile(r"([\u30a0-\u30ff\u3400-\u9fff々]{2,})(?:" + frame_forms("head_frame") + r"(?:(?!から|ので|けど|だし)[^。、,?？!！]){0,8}?"
                      + r"(?<![無未])" + frame_forms("head_duty") + r"(?![\u30a0-\u30ff\u3400-\u9fff](?<![書票]))|(?:を|って|は|とか|も|、)?" + frame_forms("head_bag") + ")")


def unknown_head(a, known: Callable[[str], bool]) -> str:
    """The head of a question's asked sentence when it is a word the pack never uses (`known`: whether the pack's text
    names a word), else "".  Unknown words usually count against answering only by their share of the
    question's weight (anpo.grounding), so one standing beside the pack's own words of a duty (届出, 申告, 手続き, 税関) or
    told with goods and a destination (the deal checklist never refuses) was answered with the pack's text on those words
    (「台湾に米を輸出…。食糧法で必要な届出や登録は？」 → 一般包括許可's 届出).  When the unknown word is what the asked duty
    is of — the frame of it (data/frames.tsv head_frame: 「Xで必要な」「Xとして」「X扱い」「Xの」) — it is the topic the
    pack would have to cover: the question asks about another regime.  Not when the asked sentence, that frame and duty
    taken out, still names an export-control word (data/other_regimes.tsv core: 許可, 該非, キャッチオール …), nor for a
    word that only tells who asks (data/asides.tsv) or an amount (「2便」)."""
    from anpo.analysis import asked_sentence, language_of
    from anpo.grounding import _quantity, aside
    from anpo.screening import load_other_regimes
    from retrieval.textnorm import key_terms
    question = getattr(a, "question", "") or ""
    if not question:
        return ""
    if language_of(question) == "en":
        return _unknown_head_en(question)
    asked = asked_sentence(normalize(question))
    core = load_other_regimes().core
    told = {normalize(c.text) for c in getattr(a, "countries", ()) or () if getattr(c, "text", "")} \
        | {normalize(d) for d in getattr(a, "dropped", ()) or ()}
    for m in _head().finditer(asked):
        if any(t and t in m.group(1) for t in told):
            continue        # 「来月ハノイの見本市に…」: a date or a place told is no head
        words = [g for g in key_terms(m.group(1))]
        if not words or any(any(known(normalize(x)) for x in g) or aside(g[0], question) or _quantity().fullmatch(g[0])
                            for g in words):
            continue
        if core.search(asked[:m.start()] + " " + asked[m.end():]):
            return ""
        return m.group(1)
    return ""


@lru_cache(maxsize=1)
def _head_en() -> re.Pattern:
    """data/frames.tsv head_put_en, head_into_en: "put … in my …", "pack … into our …": the things packed (not things
    pointed at, head_told_en: "carry the product in my luggage" asks of goods told before); head_allowed_en: "Are … allowed
    in checked baggage?"."""
    return re.compile(r"\b" + frame_forms("head_put_en") + r"\s+(?!" + frame_forms("head_told_en") + r"\b)(.{3,80}?)\s+"
                      + frame_forms("head_into_en") + r"\b|\b(?:are|is)\s+(?!" + frame_forms("head_told_en") + r"\b)(.{3,80}?)\s+"
                      + frame_forms("head_allowed_en") + r"\b")


def _unknown_head_en(question: str) -> str:
    """The things an English question asks to pack into a bag or a case ("Can I put spare lithium power banks and a can of
    hairspray in my checked suitcase?") when the pack has no word for any of them (anpo.english.japanese_topic maps none
    to a Japanese word): the question is about carrying them (airline and customs rules), not about export control;
    "Can I pack the prototype in my suitcase for the fair?" names the pack's 試作品 and is asked."""
    from anpo.analysis import asked_sentence
    from anpo.english import japanese_topic
    from retrieval.textnorm import key_terms
    for m in _head_en().finditer(asked_sentence(normalize(question))):
        things = m.group(1) or m.group(2)
        if not any(not g[0].isascii() for g in key_terms(japanese_topic(things))):
            return things
    return ""
