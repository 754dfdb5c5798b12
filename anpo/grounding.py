"""Grounding: does the knowledge base cover a question?

`assess(topic, hits, idf, known)` weighs each topic word (with its alternative spellings) by
its rarity in the pack and measures the share of that weight each passage covers.  A
Japanese word the pack never uses (残業時間, 商標登録) usually names a topic the pack does
not cover, so it weighs *more*; an English word with no Japanese equivalent weighs little
(the pack is Japanese).  The weights are data: `data/intents.yaml` (grounding).  Words that
tell who asks and how they feel (部下, 正直不安, 創業50年, 妻の実家) are data too: `data/asides.tsv`;
they weigh like a detail of the situation wherever they stand.  In an English question of several
sentences, the words told before the asking sentence weigh like the situation too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from retrieval.textnorm import key_terms, normalize, read_tsv, tokens, verb_fragments
from retrieval.types import Hit

ASIDES = Path(__file__).parent / "data" / "asides.tsv"


@dataclass(frozen=True)
class Aside:
    """A class of words that tell who asks and how they feel (data/asides.tsv)."""
    name: str
    pattern: re.Pattern
    examples: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def asides() -> tuple[Aside, ...]:
    return tuple(Aside(r[0].strip(), re.compile("|".join(f"(?:{normalize(p.strip())})" for p in r[1].split("|") if p.strip())),
                       tuple(e.strip() for e in (r + [""])[2].split(" | ") if e.strip()))
                 for r in read_tsv(ASIDES))


def aside(word: str, text: str = "") -> str:
    """The aside class a topic word belongs to (「部下」 → people), or "".  Given the text the word
    was read from, a word that there only stands inside a compound of data/frames.tsv (compound) names
    that thing, not an aside: 「完全に無関係」 stresses, 「完全子会社」 names a subsidiary."""
    name = next((a.name for a in asides() if a.pattern.fullmatch(word)), "")
    if name and text and word:
        t = normalize(text)
        inside = [(m.start(), m.end()) for m in _compounds().finditer(t)]
        found = [m.start() for m in re.finditer(re.escape(word), t)]
        if inside and found and all(any(s <= f and f + len(word) <= e for s, e in inside) for f in found):
            return ""
    return name


@lru_cache(maxsize=1)
def _compounds() -> re.Pattern:
    from anpo.scope import frames
    forms = frames().get("compound", ((), ()))[0]
    return re.compile("|".join(re.escape(normalize(f)) for f in forms) or r"(?!)")


@dataclass(frozen=True)
class Support:
    """How well passages cover a question.  Each topic word (with its alternative
    spellings) counts by its rarity; a passage covers a word by the share of the word's
    character bigrams it contains, so compounds written differently still match in part."""
    terms: tuple[tuple[str, ...], ...]
    term_tokens: tuple[tuple[frozenset, ...], ...]
    weights: tuple[float, ...]
    coverage: tuple[float, ...]         # per hit, same order as the hits
    best: float
    english: bool
    analysis: object | None = None      # the question's anpo.analysis.Analysis, when the pipeline made one

    def covered(self, text_expanded: str) -> float:
        total = sum(self.weights)
        if total <= 0:
            return 0.0
        have = set(tokens(text_expanded, normalized=True))
        got = 0.0
        for alts, w in zip(self.term_tokens, self.weights):
            share = max((len(a & have) / len(a) for a in alts if a), default=0.0)
            got += w * share
        return got / total


def is_english(question: str) -> bool:
    from anpo.analysis import language_of      # one rule for the language (English around Japanese terms too)
    return language_of(question) == "en"


def _is_known(alts, known: Callable[[str], bool]) -> bool:
    return any(toks and sum(known(t) for t in toks) / len(toks) >= 0.5 for toks in alts)


@lru_cache(maxsize=1)
def _quantity() -> re.Pattern:
    """data/intents.yaml quantity: an amount or a count the pack never writes (「1便」「2便目」「4便」) tells the situation (how
    the asker ships, how many they are); it names no topic the pack would have to cover."""
    import yaml
    from anpo.analysis import RULES_PATH
    d = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8")).get("quantity", {}) or {}
    return re.compile(d.get("pattern", "(?!x)x"))


# the end of the reason a premise gives: 「少量だから」「試作品なので」「親会社の指示だし」
_REASON = re.compile(r"(?:だから|なので|ので|だし|から)、?")


def _reason_words(question: str, terms) -> list[str]:
    """The topic word a premise question gives as its reason (before its last から/ので), when the
    reason is that one word."""
    q = normalize(question)
    ends = [m.end() for m in _REASON.finditer(q)]
    if not ends:
        return []
    reason, asked = q[:ends[-1]], q[ends[-1]:]
    words = [g[0] for g in terms if any(a in reason for a in g) and not any(a in asked for a in g)]
    # a one-word reason labels the goods (「試作品だから」「見本品なので」); a longer one tells a
    # situation, whose words the analysis already weighs (anpo.analysis soft)
    if len(words) == 1:
        return words
    # reasons listed one word each (「身内だし同盟国だし、」「無償だし少量だし」): each labels the case like one reason alone
    # (round 14, helper scope)
    listed = []
    for m, nxt in zip(list(_REASON.finditer(q)), list(_REASON.finditer(q))[1:]):
        seg = q[m.end():nxt.start()]
        one = [g[0] for g in terms if any(a in seg for a in g)]
        if len(one) == 1 and not re.search(r"[、,。?!]", seg):
            listed.append(one[0])
    first = next(_REASON.finditer(q), None)
    if listed and first is not None:
        seg = re.split(r"[、,。?!]|けど|が", q[:first.start()])[-1]
        one = [g[0] for g in terms if any(a in seg for a in g)]
        if len(one) == 1:
            listed.insert(0, one[0])
    return [w for w in listed if w in words] if len(listed) >= 2 else []


_WH_OPENS = re.compile(r"\s*(?:and\s+|so\s+|then\s+)?(?:what|which|where|who|whom|when|how|why)\b")


def _told_before_english_ask(question: str) -> set[str]:
    """The topic words of an English question told before its asking sentence, less those the asking
    sentence repeats (none for a Japanese or one-sentence question): its own English words, and the pack's
    words they name when the asking sentence asks what, which, where … of some of its own ("During an internal
    audit my manager found … Which METI office do we reach out to?" → internal, 監査, 責任者)."""
    if not question or not is_english(question):
        return set()
    from anpo.english import japanese_topic
    from anpo.scope import asked_piece
    q = normalize(question)
    asked = asked_piece(q)
    if not asked or asked not in q:
        return set()
    before = q[:q.rfind(asked)]
    asked_pack = {g[0] for g in key_terms(japanese_topic(asked))}
    said = set(re.findall(r"[a-z][a-z'-]+", asked)) | asked_pack
    words = set(re.findall(r"[a-z][a-z'-]+", before))
    # an amount or period told before the ask ("who lived in Canada for ten years") is written as the pack
    # writes it (anpo.english.quantities_ja: 10年) but is still the situation, as its English words were
    from anpo.english import quantities_ja
    amounts: list[str] = []
    quantities_ja(before, amounts)
    words |= {g[0] for d in amounts for g in key_terms(d.split("→")[-1])}
    if _WH_OPENS.match(asked) and any(not w.isascii() for w in asked_pack):
        # a wh-question naming something of the pack ("Which METI office …?"): the pack's words told before
        # it are the situation too; one that names nothing ("What should we do?"), or a yes/no ("Can we just
        # go ahead since …?"), asks about what was told
        words |= {g[0] for g in key_terms(japanese_topic(before))}
    return words - said


# "What insurance …", "Which bank …", "What kind of visa …": the noun an English question asks for
# (the noun is followed by its verb: "What happens if …" and "What is …" ask for no noun)
_AUX = r"(?:do|does|did|should|shall|can|could|would|will|is|are|was|were|must|may|might|has|have)"
# ("What exactly does … mean?": an adverb in -ly is no noun)
_WH_NOUN = re.compile(r"\b(?:what|which)\s+(?:(?:kind|kinds|type|types|sort)\s+of\s+)?(?!" + _AUX + r"\b|[a-z]+ly\b)([a-z][a-z-]+)"
                      r"(?=\s+(?:" + _AUX + r"|[a-z]+s)\b)")


def _asked_noun_english(question: str) -> set[str]:
    """The noun an English question asks for right after what/which ("What insurance covers our
    machines …?" → insurance): like the Japanese topic marked by 「って」「とは」, an unknown one
    is what the pack would have to cover, and weighs like a Japanese word the pack never uses
    (grounding.unknown), not like an English word the term map merely lacks."""
    if not question or not is_english(question):
        return set()
    return {m.group(1) for m in _WH_NOUN.finditer(normalize(question))}


def _situation_within_the_asked(weights: list[float], situation: set[int]) -> list[float]:
    """The words that tell the situation ("We're a tiny shop in Nagoya." 「田舎の町工場で、社長に言われて…」)
    together weigh no more than the asked words do: however long the story, the question is judged
    by what it asks.  A question with nothing else asked keeps its weights (it stays uncovered)."""
    told = sum(wt for i, wt in enumerate(weights) if i in situation)
    asked = sum(wt for i, wt in enumerate(weights) if i not in situation)
    if asked <= 0 or told <= asked:
        return weights
    return [wt * asked / told if i in situation else wt for i, wt in enumerate(weights)]


# 「ベトナムの造船所に出す」「台湾の樹脂メーカーへ送る」「タイの鋳物工場から注文」: the words between a named
# country's の and a send/sell/order verb name the party abroad, whatever its trade
_TO_PARTY = r"の([\u30a0-\u30ff\u3400-\u9fff々a-z0-9]{2,})(?:に|へ|向けに|から)(?:[^。、,?？!！]{0,10}?)(?:%s|出す|出し|出せ|納め|納品|注文|引き合い|引合い|受注|発注)"


# 「それを台湾の樹脂メーカーに出す」: the goods told in the turn before, pointed at
_GOODS_POINTED = re.compile(r"(?:それ|これ|あれ|そいつ|そちら|こちら)を")


def _parties_abroad(analysis) -> set[str]:
    """The topic words naming the party abroad that goods are sent or sold to (「ベトナムの造船所にエンジン部品を
    出すとき…」 → 造船所): like a party named by the asker's own word (実習生), it is told, not asked, so unknown
    it weighs little.  Only in a question about goods (a product, a product noun, a thing by the asker's own
    name: 粉粒体混合機, or goods pointed at: 「それを」) and a sending verb."""
    question = getattr(analysis, "question", "") or ""
    countries = [normalize(c.text) for c in getattr(analysis, "countries", ()) or () if getattr(c, "text", "")]
    if not question or not countries:
        return set()
    from anpo.analysis import load_rules
    rules = load_rules()
    q = normalize(question)
    from anpo.tables import named_thing
    if not (getattr(analysis, "products", ()) or rules.product_noun.search(q) or named_thing(q) or _GOODS_POINTED.search(q)):
        return set()        # goods are sent: a bank or an accountant abroad sent papers is no such party
    verbs = "|".join(r.pattern.pattern for r in rules.actions if r.name == "送る")
    out: set[str] = set()
    for name in dict.fromkeys(countries):
        for m in re.finditer(re.escape(name) + _TO_PARTY % verbs, q):
            out.update(g[0] for g in key_terms(m.group(1)))
    return out


# 「うち（商社）」「お客さん（アメリカの代理店）」「社員（日本在住5年）」: a remark in parentheses about the asker or a
# party (after a thing it tells what is meant: 「加工ノウハウ（図面とNCプログラム）」 is what is shared)
_PAREN = re.compile(r"(?:うち|ウチ|弊社|当社|自社|わが社|我が社|私|わたし|僕|お客さん|お客様|客|顧客|取引先|相手|先方|"
                    r"社員|従業員|担当者?|社長|上司|部下)\s*\(([^()?]*)\)")
# 「社長が「あれ大昔のやつじゃないの？」って」「「それは言えない」って返ってきた」: someone's words reported, a
# sentence (ending in kana or a question mark), not a name the asker asks about (「「特定類型」って何？」「…という言葉」)
_REPORTED = re.compile(r"「([^「」]*[\u3040-\u309f?!。])」(?=\s*(?:って(?!何|なに|どういう|どんな)|と(?!は|いう|か)|いわく|など))")


# 「英語のマニュアル」「中国語に翻訳した図面」「英文の仕様書」: the language a document is written in, told before the document
# it modifies, is a detail of the thing (no rule turns on it); a language asked about on its own (「申請書は英語で書いていい？」)
# is not followed by a noun and keeps its weight (data/frames.tsv: language, language_of)
@lru_cache(maxsize=1)
def _language_of() -> re.Pattern:
    """data/frames.tsv: a language (language) joined to the document noun it modifies (language_of)."""
    from anpo.scope import frame_forms
    return re.compile(frame_forms("language", "(") + frame_forms("language_of") + r"(?=[\u30a0-\u30ff\u3400-\u9fff])")


def _languages_of_things(question: str) -> set[str]:
    """The language words that only tell what language a named document is in (「英語のカタログ」 → 英語,
    「韓国語に翻訳した技術資料」 → 韓国語, 翻訳)."""
    out = set()
    for m in _language_of().finditer(normalize(question or "")):
        out |= {m.group(1)} | ({"翻訳"} if "翻訳" in m.group(0) else set())     # 「…に翻訳した図面」: the translating too
    return out


def _told_aside(question: str) -> tuple[set[str], set[str]]:
    """The topic words a question holds only in a remark in parentheses, and only in someone's words it
    reports: (parenthetical, reported).  Both tell the situation, not what is asked; `assess` weighs the
    known words of a remark in parentheses and the unknown words of reported words like the situation
    (reported words may carry the asked thing when the pack knows it: 「「非該当証明書送って」ってメールが来た」;
    an unknown word in parentheses may gloss it: 「CBAM（炭素国境調整措置）」)."""
    q = normalize(question or "")
    out = []
    for pat in (_PAREN, _REPORTED):
        inside = [m.group(1) for m in pat.finditer(q)]
        rest = pat.sub(" ", q)
        rest_words = {g[0] for g in key_terms(rest)}
        out.append({g[0] for part in inside for g in key_terms(part)} - rest_words)
    return out[0], out[1]


# 「…「貿易経済協力局」宛ての書類が出てきて…。これって今どこの部局？」「古い規程に『ホワイト国』ってあったけど、それって今は
# 何て言うの？」「『特定類型』って言葉が…。あれ何なんでしょう？」「…今もその局の名前で合ってます？」: an asked sentence that points
# back (data/frames.tsv pointer, pointer_det) and names nothing of its own but what the name is called (name_of)
_QUOTED = re.compile(r"[「『]([^「」『』]{2,30})[」』]")


@lru_cache(maxsize=1)
def _pointer() -> re.Pattern:
    """data/frames.tsv: a pointer followed by a particle or the question word, or a pointing determiner before a short noun."""
    from anpo.scope import frame_forms
    return re.compile(frame_forms("pointer") + r"(?:って|は|とは|、|,|も|が|の|(?=何|なに|なん))"
                      + "|" + frame_forms("pointer_det") + r"[\u3400-\u9fff\u30a1-\u30fa\u30fc-\u30ff]{1,4}(?:って|は|とは|の|で|が|も|、)")


@lru_cache(maxsize=1)
def _name_of() -> frozenset:
    from anpo.scope import frames
    return frozenset(normalize(f) for f in frames()["name_of"][0])


def _pointed_names(analysis, known: Callable[[str], bool] | None) -> set[str]:
    """The topic words of the name the asker quoted before an asked sentence that only points back at it
    (「「貿易経済協力局」宛ての書類が出てきて…。これって今どこの部局？」 → 貿易経済協力局, 「…今もその局の名前で合ってます？」):
    that name is what is asked; the story around it (書類, ファイル, 整理) is the situation.  Only a name the pack knows: an
    unknown one (「「インコタームズ」って言われた。これって何？」) keeps the question judged as it is (refused)."""
    return _pointed(analysis, known)[0]


def _pointed(analysis, known: Callable[[str], bool] | None) -> tuple[set[str], bool]:
    """(`_pointed_names`, whether the asked sentence asks what the name is or what it is called: 「あれ何？」「その局の名前で
    合ってる？」; then every other word told around it is the story, even one the pack never uses: 講師, 倉庫)."""
    question = getattr(analysis, "question", "") or ""
    topic = getattr(analysis, "topic", "") or ""
    if known is None or not question or not topic:
        return set(), False
    quoted = _quoted_name_asked(question, known)
    if quoted:
        return quoted, True
    from anpo.analysis import asked_piece
    asked = asked_piece(normalize(topic))
    m = _pointer().search(asked)
    rest = key_terms(asked[:m.start()] + " " + asked[m.end():]) if m is not None else ()
    if m is None or any(g[0] not in _name_of() for g in rest):
        return set(), False     # the asked sentence names its own subject (「これって許可いる？」 asks of 許可)
    what = bool(rest) or bool(re.match(r"\s*(?:何|なに|なん)", asked[m.end():]))
    q = normalize(question)
    start = q.rfind(asked[:m.end()].strip())
    if start <= 0:
        start = q.rfind(m.group(0))
    names = [n.group(1) for n in _QUOTED.finditer(q[:start] if start > 0 else "")
             if not re.search(r"[\u3040-\u309f?!。]$", n.group(1))]     # a sentence reported is no name
    out = set()
    for name in names:
        for g in key_terms(name):
            if _is_known(tuple(frozenset(tokens(a)) for a in g), known):
                out.add(g[0])
    return out, what and bool(out)


@lru_cache(maxsize=1)
def _name_asked() -> re.Pattern:
    """data/frames.tsv name_asked: a quoted name followed by what asks what it is (「『特定類型』って何のこと」)."""
    from anpo.scope import frame_forms
    return re.compile(r"[「『]([^「」『』]{2,30})[」』]\s*" + frame_forms("name_asked"))


def _quoted_name_asked(question: str, known: Callable[[str], bool]) -> set[str]:
    """The topic words of a quoted name the pack knows that the question asks the meaning of in the same breath
    (「取引先の勉強会で連呼されてた『特定類型』って何のことですか？」 → 特定類型): the name is what is asked, the story told
    around it (勉強会, 連呼, 研究員) is the situation, as for a name pointed back at (_pointed).  An unknown name
    (「『インコタームズ』って何？」) asks what the pack does not cover: nothing is returned and the question is judged whole."""
    out = set()
    for m in _name_asked().finditer(normalize(question or "")):
        for g in key_terms(m.group(1)):
            if _is_known(tuple(frozenset(tokens(a)) for a in g), known):
                out.add(g[0])
    return out


def _told_before_the_asked_sentence(question: str, terms) -> set[str]:
    """The topic words told only in the sentences before the asked one (none for a question of one sentence)."""
    from anpo.analysis import asked_clause, asked_sentence
    q = normalize(question)
    asked = asked_sentence(q)
    clause = asked_clause(q)
    start = clause.rfind(asked)
    if start <= 0:
        return set()
    before, rest = clause[:start], clause[start:]
    return {g[0] for g in terms if any(a in before for a in g) and not any(a in rest for a in g)}


def _story(question: str, terms, term_tokens, known: Callable[[str], bool]) -> set[str]:
    """The topic words told only in the sentences before the asked one (ended by 。 or !, never by ？), when the asked
    sentence names a word of its own that the pack knows (not an aside); none otherwise (「商標を取りたい。どこに行けばいい？」
    is judged by its story, as the asked sentence names nothing)."""
    from anpo.analysis import asked_sentence
    q = normalize(question or "")
    if not q or is_english(question):
        return set()
    asked = asked_sentence(q)
    if "?" not in asked:
        return set()        # no question mark: the asked sentence may be any of them (「…祝日を知りたい。来月…出荷するので。」)
    if _pointer().search(asked) or not any(any(a in asked for a in g) and _is_known(term_tokens[i], known)
                                           and not aside(g[0], question) for i, g in enumerate(terms)):
        return set()        # 「特定類型の①について確認させてください。…これに当たりますか。」 points back at what was told
    return _told_before_the_asked_sentence(question, terms)


def _pointer_words(analysis) -> set[str]:
    """The words of the pointer itself (「その局名で今も合ってる？」 → 局名): the noun after a pointing determiner is the name
    pointed back at, not a topic of its own (with `_pointed`, only when a quoted name the pack knows is pointed at)."""
    topic = getattr(analysis, "topic", "") or ""
    from anpo.analysis import asked_piece
    m = _pointer().search(asked_piece(normalize(topic))) if topic else None
    return {g[0] for g in key_terms(m.group(0))} if m is not None else set()


# 「国々」「人々」: a kanji repeated by 々 is that word in the plural, told as the pack tells the single word
_REPEATED = re.compile(r"[\u3400-\u9fff]々")


def _weights() -> dict[str, float]:
    from anpo.analysis import load_rules
    return load_rules().grounding


def assess(question: str, hits: Sequence[Hit], idf: Callable[[str], float],
           known: Callable[[str], bool] | None = None, analysis=None) -> Support:
    """`idf(token)` gives a bigram's rarity in the pack (unseen bigrams are rarest);
    `known(token)` whether the pack uses the bigram at all."""
    w = _weights()
    terms = tuple(key_terms(question))
    term_tokens = tuple(tuple(frozenset(tokens(a)) for a in g) for g in terms)
    # a word's weight is its bigrams' mean rarity, capped: colloquial words the pack never
    # uses (代理店, 注文) should not outweigh the domain terms next to them
    weights = [min(w["cap"], max((sum(idf(t) for t in toks) / len(toks) for toks in alts if toks), default=0.0))
               for alts in term_tokens]
    soft = set(getattr(analysis, "soft", ()) or ())
    premise = bool(getattr(analysis, "premise", ""))
    told = set(getattr(analysis, "slot_words", ()) or ()) | _parties_abroad(analysis)
    # the reason a premise gives (「試作品だから」「見本品なので」) is told, like a situation
    reason = set(_reason_words(getattr(analysis, "question", "") or "", terms)) if premise else set()
    marked = set(getattr(analysis, "marked", ()) or ())
    asked_noun = _asked_noun_english(getattr(analysis, "question", "") or "")
    situation = set()       # the words that tell the situation, not what is asked
    # a kanji run cut out of a verb phrase (「お金取られる」 → 金取, 「売上欲しい」 → 売上欲) names no topic:
    # unknown, it weighs like a detail of the situation (retrieval/data/verb_endings.tsv)
    verbal = set(verb_fragments(question))
    # a remark in parentheses (「うち（商社）は」) and someone's words reported (「社長が「…」って」) are told
    parenthetical, reported = _told_aside(getattr(analysis, "question", "") or question)
    aside_words = parenthetical | reported
    languages = _languages_of_things(getattr(analysis, "question", "") or question)
    if not any(g[0] not in aside_words and not aside(g[0], question) for g in terms):
        # nothing asked beside them (「社長に「会社の登記を変えとけ」って言われた。どこでやるの？」): the told words are the subject
        parenthetical, reported, aside_words = set(), set(), set()
    if known is not None:
        for i, alts in enumerate(term_tokens):
            if _is_known(alts, known):
                if premise and terms[i][0] in soft:
                    # a premise's reason (「メーカーから非該当証明書をもらったから」) is not what is asked
                    weights[i] *= w["premise_reason"]
                    situation.add(i)
                continue
            if terms[i][0] in soft or terms[i][0] in told or terms[i][0] in reason or terms[i][0] in verbal \
                    or terms[i][0] in reported or terms[i][0] in languages or _quantity().fullmatch(terms[i][0]) \
                    or _REPEATED.fullmatch(terms[i][0]):
                # a detail of the situation, or a party by the asker's name (実習生): not the asked thing
                weights[i] = w["situation_unknown"]
                situation.add(i)
            else:
                weights[i] = w["english_unknown"] if terms[i][0].isascii() and terms[i][0] not in asked_noun else w["unknown"]
                if terms[i][0] in marked:
                    # the word the asked sentence marks as its topic (「印紙って…」) is what is asked
                    weights[i] *= w["marked_unknown"]
    told_before = _told_before_english_ask(getattr(analysis, "question", "") or "")
    pointed, name_asked = _pointed(analysis, known)
    pointer = _pointer_words(analysis) - pointed if pointed else set()
    for i, g in enumerate(terms):
        if g[0] in pointer:
            # 「…『貿易経済協力局』宛てに…。その局名で今も合ってる？」: 局名 is the name pointed at (round 14, helper scope)
            weights[i] = min(weights[i], w["situation_unknown"])
            situation.add(i)
        if pointed and g[0] not in pointed and _is_known(term_tokens[i], known):
            # the asked sentence points back at a name the pack knows (「…「貿易経済協力局」宛ての書類が…。これって今どこ？」):
            # the pack's other words told around it (書類, ファイル) are the situation; an unknown one keeps its weight
            weights[i] = min(weights[i], w["situation_known"])
            situation.add(i)
        elif name_asked and g[0] not in pointed:
            # …unless only the name itself is asked (「講師が『特定類型』って言葉を…。あれ何？」): the story's unknown words too
            weights[i] = min(weights[i], w["situation_unknown"])
            situation.add(i)
        if g[0] in told_before:
            # an English word told only before the asking sentence ("Hi, I joined the export team last
            # month. What does catch-all control mean?"): the situation, like a Japanese soft word
            weights[i] = min(weights[i], w["situation_unknown"])
            situation.add(i)
        if g[0] in parenthetical and known is not None and _is_known(term_tokens[i], known):
            # a word the pack knows told only in parentheses (「うち（商社）は」) is a detail of the situation; an
            # unknown one may gloss the asked thing (「CBAM（炭素国境調整措置）」) and keeps its weight
            weights[i] = min(weights[i], w["situation_known"])
            situation.add(i)
        if aside(g[0], question):
            # who asks and how they feel (「部下が」「正直不安で」「創業50年」) is never what is asked
            weights[i] = min(weights[i], w["situation_unknown"])
            situation.add(i)
    # whether the pack covers the question is judged on the asked clause: a known word of the
    # situation (設計図, エンジニア) weighs little there, though it still picks the sentences
    # a word the asked sentence marks as its topic (「アドバイザー派遣ってやつ、気になってるんですけど、…？」)
    # is what is asked, wherever the clause that marks it stands
    # a premise question's own reason clause may hold what it asserts; the sentences told before its asked sentence
    # (「社内研修の資料を作ってたら、古いテキストに…って書いてあって。部長は…。刑罰の呼び方って今も懲役ですよね？」) are the story
    before = _told_before_the_asked_sentence(getattr(analysis, "question", "") or "", terms) if premise else set()
    # the sentences told before the asked one (「年配の社員ばかりでパソコンが苦手なもので…。関東経済産業局に許可申請書を紙で郵送
    # したいのですが、受け付けてもらえますか？」) are the story, when the asked sentence names something of the pack's own: an
    # unknown word told only there weighs like the situation (a known one keeps its weight: it still picks the sentences)
    story = set() if premise or known is None else _story(getattr(analysis, "question", "") or "", terms, term_tokens, known)
    for i, g in enumerate(terms):
        if g[0] in story and not _is_known(term_tokens[i], known):
            weights[i] = min(weights[i], w["situation_unknown"])
            situation.add(i)
    # a name pointed back at (「『貿易経済協力局』に…。今もその局の名前で合ってます？」) is what is asked, though told before
    judged = [min(wt, w["situation_known"]) if known is not None and t[0] in soft and t[0] not in marked
              and t[0] not in pointed and (not premise or t[0] in before) else wt for t, wt in zip(terms, weights)]
    judged = _situation_within_the_asked(judged, situation)
    s = Support(terms, term_tokens, tuple(judged), (), 0.0, is_english(question), analysis)
    cov = tuple(s.covered(h.chunk.search_text) for h in hits)
    return Support(terms, term_tokens, tuple(weights), cov, max(cov, default=0.0), s.english, analysis)
