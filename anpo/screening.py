"""取引審査チェック: a guided checklist for one deal (product, destination, end user, use, resale),
to the standard of METI's 明らかガイドライン and the catch-all rules.

API (called by the app's deal-check page and by the chat for deal-situation questions)::

    screen(deal: Deal, tables, retrieve, now=None) -> ScreeningResult

- `deal`: `Deal(product, destination, end_user="", use="", resale="")`; product and destination
  are required (`BadInputError` otherwise).  Free text: 「不明」「教えてくれない」 are answers too.
- `tables`: an `anpo.tables.Tables` (use `tables_for(index)`: built once per index generation);
  a `LoadedIndex` or the index's chunk list also works (the tables are built once per list).
- `retrieve(query, k)`: a retriever's method; used only where no table row or known passage
  gives the reason (a pack without those documents), so a warm call costs a few ms.
- Returns `ScreeningResult(deal, checks, created_at, red_flags, country)`: six steps in order —
  1 `list` (list-control candidates, each with its strength and why), 2 `destination` (group
  with the row that says so; C by rule; sanctions), 3 `end_user` / `use` (/ `resale`), 4
  `catch_all`, 5 `ful` (外国ユーザーリスト), 6 `next` (each next action and whom to ask).  Each
  `Check` has a status (flag / check / info / unknown), a detail, the next `action`, whom to
  `ask`, and citations numbered across the whole record.

It never decides that a deal may go ahead.  Red flags come from the declarative table
`anpo/data/red_flags.tsv` (terms match as words: 軍手 is not 軍, 結核 is not 核); an end user
given as 「不明」 is a red flag, never a company name to look up.  Records export as Markdown or
CSV for the company's 取引審査 file.

Reading a deal told in the chat is data too (`anpo/data/deal_fields.tsv`, examples run as tests):
which clause fills end user / use / resale (`from_situation`, with a recipient that uses the goods as
the end user), which country the goods end up in (`final_destination`, not a transit country), when
a question naming goods is a deal or a product check (`goods_route`, `told_deal`), and when the deal
is only the setting of another question (`asks_beside_the_deal`)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from anpo.errors import BadInputError
from anpo.models import Citation
from anpo.tables import DATA, Citer, CountryInfo, Tables, tables_for, tables_of
from retrieval.textnorm import normalize, read_tsv
from retrieval.types import Chunk, Hit

Retrieve = Callable[[str, int], Sequence[Hit]]

FLAG, CHECK, INFO, UNKNOWN = "flag", "check", "info", "unknown"
STATUS_LABEL = {FLAG: "要注意", CHECK: "要確認", INFO: "参考", UNKNOWN: "不明"}
RED_FLAGS_PATH = DATA / "red_flags.tsv"
FIELD_LABEL = {"product": "品目", "destination": "仕向地", "end_user": "最終需要者", "use": "用途", "resale": "再販先",
               "situation": "取引の状況"}
DEAL_FIELDS_PATH = DATA / "deal_fields.tsv"
PARTY_FIELDS = ("end_user", "use", "resale")

ASK_METI = "経済産業省 安全保障貿易審査課（キャッチオール規制の事前相談）"
ASK_PARTNER = "取引相手（輸入者・代理店）"
ASK_MAKER = "製品のメーカー・設計部門（該非判定書・パラメータシート）"
ASK_RUSSIA = "経済産業省 貿易審査課（対ロシア等の輸出禁止措置の窓口）"
SANCTIONED = {"RU", "BY", "KP"}

# passages that give a step's reason, named by doc_id and words of the locator (found without retrieval)
SOURCES = {
    "unknown": "catch-all|用途・需要者が不明な取引の扱い",
    "guideline": "catch-all|明らかガイドライン 用途と需要者の確認事項",
    "how": "catch-all|明らかガイドライン 確認の進め方",
    "requirements": "catch-all|二つのキャッチオールと二つの要件",
    "group_a": "catch-all|グループA（輸出令別表第3）向けの扱い",
    "embargo": "catch-all|国連武器禁輸国・地域（輸出令別表第3の2）向けの扱い",
    "ful": "foreign-user-list|掲載先が需要者だった場合",
    "ful_latest": "foreign-user-list|改正の頻度と最新版の使用",
    "consult": "help-desks|キャッチオール規制の事前相談",
    "classify": "classification|該非判定は輸出者の責任",
    "classify_how": "classification|該非判定の方法",
    "diversion": "sanctions|迂回輸出 第三国経由の取引で確認すること",
}


@dataclass(frozen=True)
class Deal:
    product: str
    destination: str
    end_user: str = ""
    use: str = ""
    resale: str = ""
    situation: str = ""               # the deal as told in the chat: red flags are looked for in it too


@dataclass(frozen=True)
class Check:
    key: str                          # list, destination, end_user, use, resale, catch_all, ful, next
    status: str                       # FLAG / CHECK / INFO / UNKNOWN
    title: str
    detail: str
    citations: tuple[Citation, ...] = ()
    action: str = ""                  # the next thing to do
    ask: str = ""                     # whom to ask
    step: int = 0                     # 1..6


@dataclass(frozen=True)
class RedFlagRule:
    id: str
    fields: tuple[str, ...]
    terms: tuple[str, ...]
    not_in: tuple[str, ...]
    severity: str                     # FLAG or CHECK
    reason: str
    cite: str                         # "doc_id|locator words"
    hits: tuple[tuple[str, str], ...]     # (field, text) that must raise it
    misses: tuple[tuple[str, str], ...]   # (field, text) that must not


@dataclass(frozen=True)
class RedFlag:
    rule: RedFlagRule
    field: str
    term: str                         # as it matched (normalised)

    @property
    def reason(self) -> str:
        return self.rule.reason.format(field=FIELD_LABEL.get(self.field, self.field))


@dataclass(frozen=True)
class ScreeningResult:
    deal: Deal
    checks: tuple[Check, ...]
    created_at: str
    red_flags: tuple[RedFlag, ...] = ()
    country: CountryInfo | None = None

    @property
    def flags(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status == FLAG and c.key != "next")

    def check(self, key: str) -> Check:
        return next(c for c in self.checks if c.key == key)

    @property
    def citations(self) -> tuple[Citation, ...]:
        seen: dict[int, Citation] = {}
        for c in self.checks:
            for cit in c.citations:
                seen.setdefault(cit.n, cit)
        return tuple(seen[n] for n in sorted(seen))


# ------------------------------------------------------------------ red flags

def _examples(cell: str) -> tuple[tuple[str, str], ...]:
    out = []
    for ex in (x.strip() for x in cell.split(" | ")):
        if ex:
            field, _, text = ex.partition("=")
            out.append((field.strip(), text.strip()) if text else ("use", field.strip()))
    return tuple(out)


@lru_cache(maxsize=2)
def load_red_flags(path: Path = RED_FLAGS_PATH) -> tuple[RedFlagRule, ...]:
    rules = []
    for row in read_tsv(path):
        row = row + [""] * (9 - len(row))
        if row[0] == "id":
            continue
        fields = tuple(FIELD_LABEL) if row[1].strip() == "any" else tuple(f.strip() for f in row[1].split(","))
        split = lambda cell: tuple(normalize(t) for t in cell.split("|") if t.strip())  # noqa: E731
        rules.append(RedFlagRule(row[0], fields, split(row[2]), split(row[3]), row[4].strip() or FLAG,
                                 row[5].strip(), row[6].strip(), _examples(row[7]), _examples(row[8])))
    return tuple(rules)


def _word_at(text: str, i: int, term: str, not_in: Sequence[str]) -> bool:
    j = i + len(term)
    if term.isascii():
        if term[-1:].isalpha():                     # an English word may be plural
            j += 2 if text[j:j + 2] == "es" else (1 if text[j:j + 1] == "s" else 0)
        if (i > 0 and text[i - 1].isascii() and text[i - 1].isalnum()) or \
           (j < len(text) and text[j].isascii() and text[j].isalnum()):
            return False
    for w in not_in:
        k = w.find(term)
        while k >= 0:
            if text[i - k:i - k + len(w)] == w:
                return False
            k = w.find(term, k + 1)
    return True


@lru_cache(maxsize=1)
def _denials() -> tuple[tuple[str, ...], re.Pattern]:
    """data/deal_fields.tsv rows denied (words after a term) and denied_before (English words before it)."""
    rows = {f: pat for f, pat, _ in load_deal_fields()}
    after = next((tuple(normalize(w) for w in r[1].split("|") if w.strip()) for r in read_tsv(DEAL_FIELDS_PATH)
                  if r and r[0] == "denied"), ())
    before = rows.get("denied_before")
    words = before.pattern if before is not None else "(?!x)x"
    return after, re.compile(rf"(?:{words})[\s-]*(?:a |an |the )?$")


def _denied(text: str, i: int, term: str) -> bool:
    """The term is told as absent: 「軍とは関係ない」「転売はしない」, "not for military use"."""
    after, before = _denials()
    j = i + len(term)
    return text.startswith(after, j) or bool(before.search(text[max(0, i - 16):i]))


def _has_term(text: str, term: str, not_in: Sequence[str]) -> bool:
    i = text.find(term)
    while i >= 0:
        if _word_at(text, i, term, not_in) and not _denied(text, i, term):
            return True
        i = text.find(term, i + 1)
    return False


def find_red_flags(deal: Deal, rules: Sequence[RedFlagRule] | None = None) -> list[RedFlag]:
    """Red flags in the deal's fields, in table order (one per rule and field)."""
    out = []
    for rule in load_red_flags() if rules is None else rules:
        for field in rule.fields:
            text = normalize(getattr(deal, field, "") or "")
            if not text:
                continue
            term = next((t for t in rule.terms if _has_term(text, t, rule.not_in)), None)
            if term:
                out.append(RedFlag(rule, field, term))
    return out


@lru_cache(maxsize=2)
def load_deal_fields(path: Path = DEAL_FIELDS_PATH) -> tuple[tuple[str, re.Pattern, tuple[str, ...]], ...]:
    """(field, words, example clauses) of data/deal_fields.tsv."""
    out = []
    for row in read_tsv(path):
        row = row + [""] * (3 - len(row))
        if row[0] == "field":
            continue
        words = [normalize(w) for w in row[1].split("|") if w.strip()]
        pat = re.compile("|".join((r"\b" + re.escape(w) + r"\b") if w.isascii() else re.escape(w) for w in words))
        out.append((row[0].strip(), pat, tuple(x.strip() for x in row[2].split(" | ") if x.strip())))
    return tuple(out)


_CLAUSE = re.compile(r"[。、，,！!？?\n]|(?<=[a-z])\.\s|けど|が、")


def from_situation(deal: Deal) -> Deal:
    """The deal with its empty end user / use / resale filled from the situation's clauses that
    say they are unknown or refused (「使い道は教えてくれない」 → use): a told refusal is a refusal,
    not a blank."""
    if not deal.situation:
        return deal
    rules = [r for r in load_red_flags() if r.id in ("unknown", "refused")]
    fields = {f: pat for f, pat, _ in load_deal_fields() if f in PARTY_FIELDS}
    told = next((pat for f, pat, _ in load_deal_fields() if f == "told"), None)
    filled = {}
    user = _user_recipient(deal.situation) if not deal.end_user else ""
    if user:
        filled["end_user"] = user
    for clause in (c.strip() for c in _CLAUSE.split(normalize(deal.situation)) if c and c.strip()):
        # a clause that says a field is unknown or refused, or tells its value (「…と聞いています」)
        if not any(_has_term(clause, t, r.not_in) for r in rules for t in r.terms) and \
                not (told is not None and told.search(clause)):
            continue
        for field, pat in fields.items():
            if pat.search(clause) and not getattr(deal, field) and field not in filled:
                filled[field] = clause
    return replace(deal, **filled) if filled else deal


def _user_recipient(situation: str) -> str:
    """The deal's recipient when it is one that uses the goods itself (deal_fields.tsv row user_entity):
    「イランの病院に」 → 「イランの病院」, "a university in China asked" → "a university in China"; else ""."""
    ent = next((pat for f, pat, _ in load_deal_fields() if f == "user_entity"), None)
    if ent is None:
        return ""
    t = unicodedata.normalize("NFKC", situation or "").lower()     # as written (メーカー keeps its ー)
    m = re.search(rf"([^\s、。,，!?！？]{{0,12}}?(?:{ent.pattern})ー?)(?:に|へ|向け|から|が|は)", t) or \
        re.search(rf"\b(?:a|an|the|our)\s+((?:[a-z\-]+\s+){{0,2}}?(?:{ent.pattern})s?)\b", t)
    return m.group(1).strip() if m else ""


def goods_route(a, unknown: Sequence[str] = ()) -> str:
    """The answer a question naming goods should get when it would otherwise be refused:
    "deal" when it says where they go or that they are sent (「カーボンのロッドを海外に出荷予定」
    「アルミ合金の丸棒を輸出したい」), "product_check" when it asks whether they are controlled
    (「炭素繊維の織物ってリスト規制ですか？」), "" when it names no goods or asks neither.
    Goods are a table item found by name or a thing named by the question's shape
    (anpo.tables.named_thing); the words that ask about control are data (deal_fields.tsv, row goods_asked).
    `unknown`: the topic words the pack does not know; each must be part of the goods' name
    (ロッド of 「カーボンのロッド」), else the question asks about something else
    (「食品を輸出するときの衛生証明書は？」) and stays refused."""
    from anpo.tables import bare_thing, named_thing, told_abroad
    q = a.question or ""
    if not (any(p.candidates for p in a.products) or named_thing(q) or bare_thing(q)) or not about_goods(a, unknown):
        return ""
    act = next((pat for f, pat, _ in load_deal_fields() if f == "export_act"), None)
    if a.countries or told_abroad(q) or _sends(a):
        return "deal"
    if act is not None and act.search(normalize(q)):
        return "deal"           # 「オシロスコープを寄付したい」: giving goods away abroad is exporting them
    asked = dict((f, pat) for f, pat, _ in load_deal_fields()).get("goods_asked")
    # a question that is only the goods' name (「マルチコプター用の送信機」) asks what they are under the rules
    return "product_check" if asked is not None and asked.search(normalize(q)) or bare_thing(q) else ""


def asks_of_control(a) -> bool:
    """The piece that asks (anpo.scope.asked_piece) names a word asking whether goods are controlled (deal_fields.tsv
    row goods_asked: 規制, 該当, 許可, "controlled"): 「…農業機械なんで、輸出規制とは無縁ですよね？」 asks about the told
    goods' control, never about something beside the deal, whatever else the piece's words look like (「なんで」)."""
    from anpo.scope import asked_piece
    control = dict((f, p) for f, p, _ in load_deal_fields()).get("goods_asked")
    piece = asked_piece(normalize(a.question or ""))
    return bool(piece) and control is not None and bool(control.search(piece))


def asked_beyond_the_goods(a, known: Callable[[str], bool]) -> str:
    """Why a product check is not what a question naming goods asks ("" when it is): the normal answer
    should be tried first.  `known(word)`: whether the pack uses a word.
    - "asked clause": the clause that asks (anpo.analysis.asked_piece) asks no control status (no product-check
      cue, no word of deal_fields.tsv row goods_asked), the question does not seek the goods' status (row status_sought)
      and the clause names something beside the goods (not an aside:
      「…判定書そのまま使い回していいっすよね？」「…遵守基準ってウチには関係ない？」 "…can we just rely on it?");
    - "technology": the question names technology (intents.yaml technology: 設計図, design files) and no goods
      found in the tables other than what carries it (deal_fields.tsv row carrier: パソコン, laptop, USB);
    - "parts": no goods found in the tables, and the question asks two things (each part is answered)."""
    from anpo.analysis import analyse, asked_piece, load_rules, question_parts
    from anpo.grounding import aside
    from anpo.tables import bare_thing, named_thing
    from retrieval.textnorm import key_terms
    rules = load_rules()
    q = a.question or ""
    carrier = dict((f, p) for f, p, _ in load_deal_fields()).get("carrier")
    # goods found in the tables, other than what technology is carried on (a laptop, a USB stick)
    found = any(p.candidates and not (carrier is not None and carrier.search(normalize(p.text))) for p in a.products)
    if not found and (rules.technology.search(normalize(a.topic)) or rules.technology.search(normalize(q))):
        return "technology"
    if not found and len(question_parts(q)) >= 2:
        return "parts"
    nq = normalize(q)
    if any(t.not_status and t.asks.search(nq) and not (t.unless and t.unless.search(nq)) for t in rules.answer_types):
        return "asked type"         # why the goods are controlled, what they are used for (intents.yaml answer_types not_status)
    piece = asked_piece(normalize(q))
    fields = dict((f, p) for f, p, _ in load_deal_fields())
    control, sought = fields.get("goods_asked"), fields.get("status_sought")
    if rules.intent("product_check").match(piece) or (control is not None and control.search(piece)):
        return ""
    if sought is not None and sought.search(normalize(q)):
        return ""           # 「ボールバルブの該非を調べたいけど、検索語は？」: how to find the goods' status is asked
    for w in [p.text for p in a.products] + [p.item for p in a.products] + [named_thing(q), bare_thing(q)]:
        if w:
            piece = re.sub(re.escape(normalize(w)) + _OF_GOODS, " ", piece)
    own = [g for g in key_terms(analyse(piece).topic) if not aside(g[0], piece)
           and not (control is not None and control.search(g[0]))]
    return "asked clause" if own else ""


def _sends(a) -> bool:
    """The question tells of sending or carrying the goods: an export word outside a law's name
    (「輸出令別表第1のどの分野？」 sends nothing; deal_fields.tsv row law_name)."""
    from anpo.analysis import load_rules
    acts = {"送る", "持ち出す"} & set(a.actions)
    law = next((pat for f, pat, _ in load_deal_fields() if f == "law_name"), None)
    if not acts or law is None:
        return bool(acts)
    told = law.sub(" ", normalize(a.question or ""))
    return any(r.pattern.search(told) for r in load_rules().actions if r.name in acts)


def as_told(question: str) -> str:
    """The deal as told, without the words that only ask or refuse to tell: a refusal (「使い道は教えてくれない」,
    red_flags.tsv row refused) or a request to the reader (「確認事項を教えてください」, deal_fields.tsv row
    asks_to_tell) is no teaching of technology."""
    told = normalize(question or "")
    for t in sorted((t for r in load_red_flags() if r.id == "refused" for t in r.terms), key=len, reverse=True):
        told = told.replace(t, " ")
    asks = next((pat for f, pat, _ in load_deal_fields() if f == "asks_to_tell"), None)
    # a request ends its sentence (「…教えてほしい」), a told one goes on (「…教えてほしいと頼まれた」)
    return re.sub(rf"(?:{asks.pattern})(?=\s*(?:[。.!！?？]|$))", " ", told) if asks is not None else told


def final_destination(question: str, countries: Sequence) -> object | None:
    """The country the goods end up in: the first named country that is not only passed through
    (「UAEの商社経由でイランに」 → イラン, "via Singapore to Iran" → Iran; deal_fields.tsv row transit);
    the first country when every one is a transit, None when none is named."""
    q = unicodedata.normalize("NFKC", question or "").lower()
    transit = next((pat for f, pat, _ in load_deal_fields() if f == "transit"), None)

    def passed_through(c) -> bool:
        i = q.find((c.text or "").lower())
        if transit is None or i < 0:
            return False
        after, before = q[i + len(c.text):i + len(c.text) + 10], q[max(0, i - 12):i]
        return bool(re.match(r"^(?:の?[^\s、。,.]{0,6}?)(?:" + transit.pattern + ")", after)
                    or re.search("(?:" + transit.pattern + r")\s*$", before))
    staying = [c for c in countries if not passed_through(c)]
    return (staying or list(countries) or [None])[0]


def ordered_thing(question: str) -> str:
    """Goods named as what was ordered or asked for (「フッ化水素の注文」「発電機の見積依頼」; deal_fields.tsv row
    ordered): the name before の, when it looks like goods (anpo.tables thing rules), else ""."""
    from anpo.tables import _thing, load_thing_rules, surface
    pat = next((p for f, p, _ in load_deal_fields() if f == "ordered"), None)
    if pat is None:
        return ""
    q = normalize(question or "")
    for m in re.finditer(rf"([\u30a1-\u30fa\u30fca-z0-9\u3400-\u9fff]{{2,20}})の(?:{pat.pattern})", q):
        got = _thing(m.group(1), load_thing_rules())
        if got:
            return surface(question, got)
    return ""


def told_deal(a) -> bool:
    """A deal told as a story without a deal cue: goods, where they go (a country, 「海外」, "abroad"),
    and either a red flag in the telling (転売, 現金, 軍, 使い道は言えない; data/red_flags.tsv), a question
    about what to check (deal_fields.tsv row deal_asked: "What should we check?", 「何を確認すれば」) or
    an act of giving them away (row export_act: 寄付, donate).
    Such a question is answered by the checklist, which names the flag, not by a stray sentence."""
    from anpo.tables import named_thing, told_abroad
    q = a.question or ""
    thing = named_thing(q) or ordered_thing(q)
    if not (any(p.candidates for p in a.products) or thing) or not (a.countries or told_abroad(q)):
        return refused_party_deal(a)
    tech = next((pat for f, pat, _ in load_deal_fields() if f == "technology"), None)
    if not a.products and tech is not None and tech.search(normalize(thing)):
        return False            # 設計図, drawings: technology, not goods
    asked = [pat for f, pat, _ in load_deal_fields() if f in ("deal_asked", "export_act")]
    return bool(find_red_flags(Deal("-", "-", situation=q))) or any(p.search(normalize(q)) for p in asked)


def ful_banned_asked(question: str) -> bool:
    """A party is told to be on the End User List (told_ful_listed) and the asked sentence takes the list for a ban
    (deal_fields.tsv row ful_banned: 「もう取引しちゃダメ？」「断るしかない？」 "we have to turn it down, right?")."""
    from anpo.analysis import asked_sentence
    pat = next((p for f, p, _ in load_deal_fields() if f == "ful_banned"), None)
    return pat is not None and told_ful_listed(question) and bool(pat.search(asked_or_claimed(question)))


def asked_or_claimed(question: str) -> str:
    """(round 14, helper route) The asked sentence, and when it only asks to confirm what was told before it (a short
    sentence: 「…『掲載企業＝禁輸先なんだから一切売っちゃダメ』と言い切ってました。これって正しいんですか？」 "Is that
    right?"), the sentence before it too: the claim told is what is asked (normalised)."""
    from anpo.analysis import asked_clause, asked_sentence
    q = normalize(question or "")
    asked = asked_sentence(q)
    if len(re.sub(r"[\s?？。!！、,]", "", asked)) > 14:
        return asked
    clause = asked_clause(q)
    before = [p for p in re.split(r"(?<=[。！!？?])", clause[:len(clause) - len(asked)].rstrip()) if p.strip()]
    return (before[-1].strip() + asked) if before else asked


def withheld(question: str) -> bool:
    """The telling says the end user or the use is unknown or refused (red_flags.tsv rows unknown, refused:
    「最終的に使うのはどこか聞いたら『それは言えない』」): whatever the asked sentence says of the next step
    (「このまま見積出して進めちゃっていいもの？」), the deal and its red flag are what is asked."""
    return any(f.rule.id in ("unknown", "refused") for f in find_red_flags(Deal("-", "-", situation=question or "")))


def as_is_withheld(question: str, permission: bool = False) -> bool:
    """The end user or the use is withheld (withheld) and the asked sentence asks to go on as things are
    (deal_fields.tsv row as_is_asked: 「このまま出荷しちゃっていい？」 "ship them anyway?" 「用途不明のままでも出荷して
    構わない？」), or (round 12) asks leave to go on (`permission`, row go_ahead_asked) because the goods are unlisted (row
    told_unlisted: 「非該当品だし出していい？」 "The parts are unlisted, so can we ship?"): catch-all still holds for them."""
    from anpo.analysis import asked_sentence, load_rules
    rows = _fields()
    pat = rows.get("as_is_asked")
    if pat is None or not withheld(question):
        return False
    q = normalize(question or "")
    asked = asked_sentence(q)
    if pat.search(asked):
        return True
    if dismissed(question) and not any(f.rule.severity == FLAG and f.rule.id not in ("unknown", "refused")
                                       for f in find_red_flags(Deal("-", "-", situation=question or ""))):
        # (round 13, helper route) 「…用途は言えないって。問題ないよね？」 "…refuses to name the end user. …we're fine to ship,
        # right?": the concern waved away while the end user or use is withheld asks to go on as things are too (another
        # red flag waved away, 「急に注文が増えた」, is answered by its own sentence: compose._flag_lead)
        return True
    unlisted, go = rows.get("told_unlisted"), rows.get("go_ahead_asked")
    return unlisted is not None and bool(unlisted.search(q)) and (permission or go is not None and bool(go.search(asked))) \
        and not load_rules().premise["wh"].search(asked)


def technology_asked(a) -> bool:
    """A deal that hands over technology, not goods (deal_fields.tsv row technology: 設計図, drawings, ノウハウ), with
    no goods named and a yes/no asked of it (「自社の子会社宛てでも許可は必要ですか」 "…no licence is needed, right?"):
    the pack's sentences on providing technology answer it (「…相手が自社の海外子会社であっても…許可が必要です」),
    not the goods checklist; what to check (deal_fields.tsv row deal_asked) stays the checklist."""
    from anpo.analysis import asked_sentence, load_rules
    if a.products or not ("yesno" in a.intents or a.premise or a.permission):
        return False
    q = normalize(a.question or "")
    fields = dict((f, p) for f, p, _ in load_deal_fields())
    tech, asked, listed = fields.get("technology"), fields.get("deal_asked"), fields.get("told_listed")
    if tech is None or not tech.search(q) or (asked is not None and asked.search(q)):
        return False
    # told as listed (「リスト規制に該当する技術」) or a premise to correct (「自社だから許可いらないよね」): the technology
    # sentences answer; "Do we need a licence to send drawings?" untold depends on the classification: the checklist
    if not (a.premise or (listed is not None and listed.search(q))):
        return False
    return not load_rules().premise["wh"].search(asked_sentence(q))


def told_ful_listed(question: str) -> bool:
    """A party is told to be on the End User List (deal_fields.tsv row ful_listed)."""
    pat = next((p for f, p, _ in load_deal_fields() if f == "ful_listed"), None)
    return pat is not None and bool(pat.search(normalize(question or "")))


def refused_party_deal(a) -> bool:
    """A deal told without its goods or its country: someone to sell to (a party such as 代理店・商社, a country or
    「海外」), a clause saying the end user or the use is refused or unknown (red_flags.tsv rows unknown, refused;
    deal_fields.tsv rows end_user, use), and an asked sentence that asks whether to go on or what to check
    (deal_fields.tsv rows go_ahead_asked, deal_asked): 「海外の代理店から大口注文。エンドユーザーは言えないの一点張り。
    このまま出荷していい？」 is the deal the checklist is for, its goods and destination marked 不明."""
    from anpo.analysis import asked_sentence
    from anpo.tables import told_abroad
    q = normalize(a.question or "")
    if not (a.parties or a.countries or told_abroad(q)):
        return False
    fields = dict((f, p) for f, p, _ in load_deal_fields())
    who = [fields[f] for f in ("end_user", "use") if f in fields]
    rules = [r for r in load_red_flags() if r.id in ("unknown", "refused")]
    withheld = any(any(_has_term(c, t, r.not_in) for r in rules for t in r.terms) and any(p.search(c) for p in who)
                   for c in _CLAUSE.split(as_told_clauses(q)) if c.strip())
    asked = asked_sentence(q)
    return withheld and any(fields[f].search(asked) for f in ("go_ahead_asked", "deal_asked") if f in fields)


def as_told_clauses(q: str) -> str:
    """`q` with its quotation marks as clause ends (「言えない」の一点張り keeps 言えない and 一点張り together)."""
    return re.sub(r"[「」『』\"]", "", q)


_WORD = r"[\u30a1-\u30fa\u30fca-z0-9\u3400-\u9fff]"
_OF_GOODS = rf"{_WORD}*(?:の{_WORD}+)?"      # 「GPSロガー」「炭素繊維の織物」: the goods' whole name


def circumstance(word: str) -> bool:
    """A word that tells the deal's circumstances the checklist reads (a red-flag term such as
    転売・未定・現金, or a deal field's word such as 用途・納入先), not another topic."""
    w = normalize(word)
    if any(t in w or w in t for r in load_red_flags() for t in r.terms if len(t) >= 2):
        return True
    return any(pat.search(w) for f, pat, _ in load_deal_fields() if f in PARTY_FIELDS + ("export_act",))


def about_goods(a, unknown: Sequence[str]) -> bool:
    """Every topic word the pack does not know (`unknown`) is part of the goods' name as the
    question writes it: the goods found by name with what follows their の (「炭素繊維の織物」
    「カーボンのロッド」), or the thing named by the question's shape.  A word outside it
    (梱包 in 「工作機械を送るとき梱包はどうすれば？」) is what is asked, and it is no export-control matter."""
    from anpo.tables import bare_thing, named_thing
    q = normalize(a.question or "")
    names = [normalize(named_thing(a.question or "") or bare_thing(a.question or ""))]
    for p in a.products:
        names += [m.group(0) for m in re.finditer(re.escape(normalize(p.text)) + _OF_GOODS, q)] or [normalize(p.text)]
    return all(circumstance(w) or any(normalize(w) in n for n in names if n) for w in unknown)


# a word the asked sentence asks about: 「梱包はどうすれば」「書式ってどうする」「梱包材って何がいい」
_ASKED_ABOUT = r"(?:は|って|が|も)?(?:どう|何|なに|いくら|どんな|どれ|どこ|いつ)"


def asks_beside_the_deal(a, unknown: Sequence[str]) -> bool:
    """A deal told only as the setting of another question: the asked sentence asks what or how
    about a word the pack does not know that is neither the goods' name nor a circumstance of the
    deal (「…送るとき梱包はどうすればいい？」「…インボイスの書式って？」).  A told deal whose unknown
    words are its circumstances (「移設するんだけど何項？」「代金は全額前払いでいいと言っている」) stays a deal."""
    from anpo.analysis import asked_sentence
    if about_goods(a, unknown):
        return False
    asked = asked_sentence(normalize(a.question or ""))
    wh = next((pat.pattern for f, pat, _ in load_deal_fields() if f == "asked_about_en"), r"(?!x)x")
    # English asks with the word after which/what/how much (「Which tax rate applies when we export …?」)
    en = lambda w: rf"(?:{wh})\s+(?:[a-z\-]+\s+){{0,2}}{re.escape(normalize(w))}\b"  # noqa: E731
    return any(re.search(re.escape(normalize(w)) + _ASKED_ABOUT, asked) or re.search(en(w), asked)
               for w in unknown if not circumstance(w))


def led_by_a_row(text: str, hits: Sequence[Hit]) -> bool:
    """The answer `text` opens with a list-control table row ([n] → hits[n-1]): an answer led by a
    項番 says nothing of how to check the goods or of catch-all (the product check says all three)."""
    m = re.search(r"\[(\d+)\]", text or "")
    n = int(m.group(1)) if m else 0
    return 0 < n <= len(hits) and bool(dict(hits[n - 1].chunk.fields).get("kouban"))


def asks_if_listed(question: str) -> bool:
    """The question asks whether the goods are on the list in the words of deal_fields.tsv row listed_asked
    (「リスト規制の対象でしょうか」「最近規制されたって聞いた」 'added to the control list'): a lexicon row that names
    the goods as a listed item (asserts) may then answer 「はい」."""
    pat = dict((f, p) for f, p, _ in load_deal_fields()).get("listed_asked")
    return bool(pat is not None and pat.search(normalize(question or "")))


def asks_if_named(question: str) -> bool:
    """The asked sentence asks whether the goods' name appears in the list (deal_fields.tsv row named_asked:
    「炭素繊維ってリスト規制の一覧に名前出てきましたっけ？」 "Does X appear on the list?"): a name the cited row itself
    writes answers 「はい」 (compose.product_answer), told as a deal or not."""
    from anpo.analysis import asked_sentence
    pat = dict((f, p) for f, p, _ in load_deal_fields()).get("named_asked")
    return bool(pat is not None and pat.search(asked_sentence(normalize(question or ""))))


def asks_more_than_the_row(question: str) -> bool:
    """A goods question about a change, a date or a penalty (deal_fields.tsv, row goods_other): the
    table row that answers it is not a classification question's answer."""
    pat = dict((f, p) for f, p, _ in load_deal_fields()).get("goods_other")
    return bool(pat is not None and pat.search(normalize(question or "")))


def told_hosting(a) -> bool:
    """People from abroad are received in Japan and taught (deal_fields.tsv row hosting: 研修生, 受け入れ, 来日,
    呼んで; the action 教える; a country or 「海外」 named): technology handed over in Japan, not goods sent."""
    from anpo.tables import told_abroad
    q = normalize(a.question or "")
    pat = dict((f, p) for f, p, _ in load_deal_fields()).get("hosting")
    return bool(pat is not None and "教える" in a.actions and pat.search(q)
                and (a.countries or told_abroad(a.question or "") or re.search(r"海外|外国", q)))


def asks_about_change(question: str) -> bool:
    """The question asks about a change to the list (deal_fields.tsv row change_asked: 追加, 改正, いつから, 'added')."""
    pat = dict((f, p) for f, p, _ in load_deal_fields()).get("change_asked")
    return bool(pat is not None and pat.search(normalize(question or "")))


def told_used(question: str) -> bool:
    """The goods are told as used (deal_fields.tsv row used_goods: 中古, 使い古し, 買い取った古い…, 'second-hand')."""
    pat = dict((f, p) for f, p, _ in load_deal_fields()).get("used_goods")
    return bool(pat is not None and pat.search(normalize(question or "")))


def red_flags(deal: Deal) -> list[str]:
    """The red-flag terms found in the deal (in table order, no repeats)."""
    return list(dict.fromkeys(f.term for f in find_red_flags(deal)))


# ------------------------------------------------------------------ helpers

class _Ctx:
    """What the steps share: the tables, the retriever and one numbering of citations."""

    def __init__(self, tables: Tables, retrieve: Retrieve):
        self.tables, self.retrieve, self.citer = tables, retrieve, Citer()

    def source(self, key_or_spec: str) -> Chunk | None:
        spec = SOURCES.get(key_or_spec, key_or_spec)
        doc_id, _, words = spec.partition("|")
        return next((c for c in self.tables.by_id.values()
                     if c.doc_id == doc_id and words in c.locator and not c.suspicious), None)

    def cite(self, *specs: str, fallback: str = "", whole: bool = False) -> tuple[Citation, ...]:
        """Citations for named passages; when none is in the index, for `fallback` retrieved."""
        chunks = [c for c in (self.source(s) for s in specs) if c is not None]
        if not chunks and fallback:
            chunks = [h.chunk for h in self.retrieve(fallback, 6)
                      if h.bm25_rank is not None and not h.chunk.suspicious][:2]
        return tuple(self.citer.cite(c, whole) for c in dict.fromkeys(chunks))

    def cite_chunks(self, chunks: Sequence[Chunk], whole: bool = True) -> tuple[Citation, ...]:
        return tuple(self.citer.cite(c, whole) for c in chunks)


def _as_tables(tables) -> Tables:
    if isinstance(tables, Tables):
        return tables
    if hasattr(tables, "gen_dir") and hasattr(tables, "chunks"):
        return tables_for(tables)
    return tables_of(tables)


# ------------------------------------------------------------------ the six steps

def _list_step(deal: Deal, ctx: _Ctx) -> Check:
    title = "1 リスト規制（該非判定）"
    if not ctx.tables.list_rows:
        return Check("list", UNKNOWN, title,
                     "ナレッジにリスト規制一覧の表がないため、品目との照合はできません。貨物等省令に基づいて該非判定を行ってください。",
                     ctx.cite(fallback=f"該非判定 リスト規制 {deal.product}"),
                     "該非判定を行う", ASK_MAKER, 1)
    if _unstated(deal.product):
        return Check("list", CHECK, title,
                     "品目が分からないため、リスト規制一覧と照合できていません。輸出する貨物ごとに、仕様を輸出令別表第1・"
                     "貨物等省令と照らして該非判定を行ってください。",
                     ctx.cite("classify", "classify_how", fallback="該非判定 リスト規制"),
                     "品目を特定し、パラメータシート等で該非判定を行う", ASK_MAKER, 1)
    matches = ctx.tables.products.match(deal.product)
    weak = [m for m in ctx.tables.products.match(deal.product, min_strength=0.2) if not m.offered]
    if matches:
        lines = "、".join(f"{m.row.label}（{m.why}）" for m in matches[:4])
        return Check("list", FLAG, title,
                     f"「{deal.product}」はリスト規制の {lines} に当たる可能性があります。"
                     "項目名は略称で、対象かどうかは輸出令・貨物等省令の仕様で決まります。仕様を照らして該非判定を行い、"
                     "該当する場合は仕向地にかかわらず輸出許可が必要です。",
                     ctx.cite_chunks([m.row.chunk for m in matches[:3]]),
                     "仕様書・カタログを貨物等省令の規定と照合して該非判定書を作る", ASK_MAKER, 1)
    extra = ""
    if weak:
        extra = ("ただし、記載から " + "、".join(m.row.label for m in weak[:2]) +
                 " の部分品・附属品として使われる製品とも読めます。部分品として規制されていないかも確認してください。")
    return Check("list", CHECK, title,
                 f"「{deal.product}」はリスト規制一覧の項目名・製品例には見当たりませんでした。{extra}"
                 "一覧にない言葉でも仕様によって該当することがあるため、該非判定（パラメータシート等）で確認してください。",
                 ctx.cite_chunks([m.row.chunk for m in weak[:1]]) +
                 ctx.cite("classify", "classify_how", fallback=f"該非判定 {deal.product}"),
                 "パラメータシート等で該非判定を行い、非該当でも判定の記録を残す", ASK_MAKER, 1)


def _unstated(value: str) -> bool:
    """A placeholder the chat writes for a field the user did not tell (「（品目の記載なし）」)."""
    return value.startswith("（") and value.endswith("記載なし）")


def _sanction_chunks(ctx: _Ctx, info: CountryInfo) -> list[Chunk]:
    names = {info.name, {"RU": "ロシア", "BY": "ベラルーシ", "KP": "北朝鮮"}.get(info.iso, info.name)}
    return [c for c in ctx.tables.by_id.values()
            if c.doc_id == "sanctions" and any(n in c.locator for n in names)][:2]


def _named_in(resolver, text: str) -> list[CountryInfo]:
    """The countries named inside a longer destination (「中国（上海）」「ベトナム・ハノイ」)."""
    found: dict[str, CountryInfo] = {}
    for _, info in resolver.find_all(text):
        for i in (info if isinstance(info, list) else [info]):
            found.setdefault(i.iso, i)
    return list(found.values())


def _destination_step(deal: Deal, ctx: _Ctx) -> tuple[Check, CountryInfo | None]:
    title = "2 仕向地の区分"
    resolver = ctx.tables.countries
    if not ctx.tables.destinations:
        return Check("destination", UNKNOWN, title,
                     f"ナレッジに仕向地区分の表がないため、{deal.destination} のグループは不明です。"
                     "輸出令別表第3・第3の2・第4で確認してください。", (),
                     "仕向地の区分を輸出令の別表で確認する", ASK_METI, 2), None
    candidates = resolver.candidates(deal.destination) or _named_in(resolver, deal.destination)
    if len(candidates) > 1:
        opts = "、".join(f"{c.name}（{c.group_label}）" for c in candidates)
        return Check("destination", CHECK, title,
                     f"「{deal.destination}」からは {opts} のどれか一つに決められません。区分が異なることがあるため、"
                     "最終仕向地の正式な国名を確認してください。",
                     ctx.cite_chunks([c.chunk for c in candidates]),
                     "仕向地の正式な国名を確認する", ASK_PARTNER, 2), None
    info = candidates[0] if len(candidates) == 1 else None
    if info is None:
        told = "仕向地の国・地域が書かれていません。" if _unstated(deal.destination) else \
            f"「{deal.destination}」は国・地域名として確認できませんでした。"
        return Check("destination", UNKNOWN, title,
                     f"{told}グループ（A〜D）は国・地域ごとに決まるため、最終仕向地の正式な国名を確認してください。", (),
                     "仕向地の正式な国名を確認する", ASK_PARTNER, 2), None
    cites = ctx.cite_chunks(info.chunks[:3])
    if info.iso in SANCTIONED:
        sanction = _sanction_chunks(ctx, info)
        return Check("destination", FLAG, title,
                     f"{info.name} は {info.labels} です。{info.name} 向けには外為法に基づく輸出禁止措置がとられています。"
                     "禁止の対象かどうかを確認するまで取引を進めないでください。",
                     cites + ctx.cite_chunks(sanction, whole=False),
                     "輸出禁止措置の対象品目・対象者に当たらないか確認する",
                     ASK_RUSSIA if info.iso in {"RU", "BY"} else ASK_METI, 2), info
    if info.group == "D":
        detail = (f"{info.name} は {info.labels} です。キャッチオール規制の対象で、通常兵器・大量破壊兵器の用途や"
                  "需要者に特に注意が必要です。輸出前に経済産業省へ相談してください。")
        return Check("destination", FLAG, title, detail, cites, "用途・需要者を特に厳しく確認し、事前相談する", ASK_METI, 2), info
    if info.group == "A":
        detail = (f"{info.name} は {info.labels} です。キャッチオール規制の客観要件は適用されませんが"
                  "（インフォーム通知を受けた場合を除く）、リスト規制品はグループA向けでも許可が必要です。")
        return Check("destination", INFO, title, detail, cites, "", "", 2), info
    rule = "A・B・Dのいずれの表にも掲げられていないため、規則によりグループCです" if info.by_rule else f"{info.labels}です"
    detail = (f"{info.name} は{rule}。グループA以外の仕向地であり、リスト規制に加えてキャッチオール規制"
              "（用途要件・需要者要件・インフォーム要件）が適用されます。")
    return Check("destination", CHECK, title, detail, cites, "用途と需要者をキャッチオール規制の観点で確認する", ASK_PARTNER, 2), info


def _party_checks(deal: Deal, flags: list[RedFlag], ctx: _Ctx, info: CountryInfo | None = None) -> list[Check]:
    out = []
    specs = (("end_user", "3 最終需要者", "最終需要者の名称・所在地・事業内容を文書で確認する"),
             ("use", "3 用途", "用途（何に、どこで使うか）を文書で確認する"),
             ("resale", "3 再販先", "再販先・最終仕向地を確認する"))
    for field, title, action in specs:
        value = getattr(deal, field)
        mine = [f for f in flags if f.field == field and f.rule.id in ("unknown", "refused")]
        resale_flag = [f for f in flags if f.rule.id == "resale"]
        if field == "resale" and not value and not resale_flag:
            continue
        label = FIELD_LABEL[field]
        if not value and info is not None and info.group == "A":
            # group A: the catch-all's objective requirements do not apply; still worth knowing (inform, End User List)
            out.append(Check(field, CHECK, title,
                             f"グループA向けのため、キャッチオール規制の客観要件は適用されません。{label}は、"
                             "インフォーム通知や外国ユーザーリストへの対応のため確認してください。",
                             ctx.cite("group_a", fallback=f"グループA キャッチオール インフォーム {label}"),
                             action, ASK_PARTNER, 3))
        elif not value:
            out.append(Check(field, FLAG, title,
                             f"{label}が分かっていません。{label}が不明のままでは、大量破壊兵器等の開発等に用いられないことが"
                             "「明らか」とはいえず、キャッチオール規制上の注意信号です。",
                             ctx.cite("unknown", "guideline", fallback=f"キャッチオール 需要者 用途 確認 {label}"),
                             action, ASK_PARTNER, 3))
        elif mine:
            reasons = "。".join(dict.fromkeys(f.reason for f in mine))
            # a resale destination kept from the exporter is the diversion case (迂回輸出): cited as such
            diversion = field == "resale"
            extra = "転売・再輸出の先が分からない取引では、迂回輸出の確認として最終仕向地と最終需要者を文書で確認してください。" \
                if diversion else ""
            out.append(Check(field, FLAG, title,
                             f"{label}: 「{value}」。{reasons}。{extra}商談を進める前に疑問点を解消してください。",
                             ctx.cite(*dict.fromkeys(f.rule.cite for f in mine), *(("diversion",) if diversion else ()), "how",
                                      fallback=f"キャッチオール 明らか 用途 需要者 {label}"),
                             action, ASK_PARTNER, 3))
        elif field == "end_user":
            # a told end user may itself be the red flag (「相手は軍の関係者らしい」): flagged here, reasoned in 4
            other = [f for f in flags if f.field == field and f.rule.severity == FLAG]
            note = "この需要者にはキャッチオール規制の注意信号があります（4 を参照）。" if other else ""
            out.append(Check(field, FLAG if other else CHECK, title,
                             f"最終需要者: 「{value}」。{note}需要者の事業内容や技術水準からみて、この貨物を必要とする合理的な理由が"
                             "あるか確認してください（明らかガイドライン）。",
                             ctx.cite("guideline", fallback="需要者 確認 明らかガイドライン"),
                             "需要者の事業内容を確認し、最終用途の誓約書を取り付ける", ASK_PARTNER, 3))
        else:
            other = [f for f in flags if f.field == field]
            status = FLAG if any(f.rule.severity == FLAG for f in other) else (
                CHECK if other or field == "resale" else INFO)
            note = ("この記載にはキャッチオール規制の注意信号があります（4 を参照）。" if other else "")
            out.append(Check(field, status, title,
                             f"申告された{label}: 「{value}」。{note}説明が明確で、需要者の事業内容と矛盾しないか確認してください。",
                             ctx.cite("guideline", fallback="用途 確認 明らかガイドライン"),
                             "" if status == INFO else action, "" if status == INFO else ASK_PARTNER, 3))
    return out


def _catch_all_step(deal: Deal, flags: list[RedFlag], info: CountryInfo | None, ctx: _Ctx) -> Check:
    title = "4 キャッチオール規制"
    use_flags = [f for f in flags if f.rule.id not in ("unknown", "refused")]
    unknown = [f for f in flags if f.rule.id in ("unknown", "refused")] or \
        [f for f in ("end_user", "use") if not getattr(deal, f)]
    open_points = bool(unknown) and not (info is not None and info.group == "A")
    if use_flags:
        reasons = "、".join(dict.fromkeys(f.reason.split("（")[0].rstrip("。") for f in use_flags))
        words = "」「".join(dict.fromkeys(f.term for f in use_flags))
        # a red flag to check (転売, 現金) beside an unknown use or end user is no less than the unknown alone
        status = FLAG if open_points or any(f.rule.severity == FLAG for f in use_flags) else CHECK
        also = "また、用途・需要者・再販先のいずれかが不明、又は説明を拒まれています。" if open_points else ""
        return Check("catch_all", status, title,
                     f"注意信号: {reasons}（入力中の「{words}」）。{also}用途要件・需要者要件に当たるおそれがあります。"
                     "取引を進める前に内容を確認し、経済産業省（安全保障貿易審査課）へ相談してください。",
                     ctx.cite(*dict.fromkeys(f.rule.cite for f in use_flags), *(("unknown",) if open_points else ()),
                              "consult", fallback="キャッチオール規制 用途要件 需要者要件 " + " ".join(f.term for f in use_flags)),
                     "懸念の要素を整理して事前相談する", ASK_METI, 4)
    if open_points:
        return Check("catch_all", FLAG, title,
                     "用途・需要者・再販先のいずれかが不明、又は説明を拒まれています。この状態では、大量破壊兵器等の開発等に"
                     "用いられないことが「明らか」とはいえないため、キャッチオール規制の確認が終わっていません。",
                     ctx.cite("unknown", "how", fallback="キャッチオール規制 用途 需要者 不明"),
                     "不明な点を取引相手に文書で確認し、解消できなければ事前相談する", ASK_METI, 4)
    if info is not None and info.group == "A":
        return Check("catch_all", INFO, title,
                     "グループA向けのため、キャッチオール規制の客観要件は適用されません。経済産業大臣からインフォーム通知を"
                     "受けた場合は許可申請が必要です。" + ("用途・需要者が分からない点は、リスト規制・外国ユーザーリストの確認のために"
                                                       "確かめてください。" if unknown else "入力の中に注意信号の言葉は見つかりませんでした。"),
                     ctx.cite("group_a", fallback="グループA キャッチオール インフォーム"), "", "", 4)
    extra = ("国連武器禁輸国・地域向けは、通常兵器の開発等に用いられないか用途の確認が必要です。"
             if info is not None and info.embargoed else "")
    return Check("catch_all", CHECK, title,
                 f"入力の中に注意信号の言葉は見つかりませんでした。{extra}言葉の有無だけで判断せず、"
                 "用途・需要者に不自然な点がないか、明らかガイドラインの確認事項に沿って確認してください。",
                 ctx.cite("requirements", "embargo" if extra else "guideline",
                          fallback="キャッチオール規制 用途要件 需要者要件"),
                 "明らかガイドラインの確認事項に沿って用途・需要者を確認する", ASK_PARTNER, 4)


def _third_country_entities(ctx: _Ctx, info: CountryInfo | None) -> list[Chunk]:
    """Sanctions passages that name this (third) country's entities as banned end users."""
    if info is None or info.iso in SANCTIONED:
        return []
    return [c for c in ctx.tables.by_id.values()
            if c.doc_id == "sanctions" and info.name in c.text and "特定団体" in c.text][:1]


def _ful_step(deal: Deal, flags: list[RedFlag], info: CountryInfo | None, ctx: _Ctx) -> Check:
    title = "5 外国ユーザーリスト"
    unknown = not deal.end_user or any(f.field == "end_user" and f.rule.id in ("unknown", "refused") for f in flags)
    if unknown:
        return Check("ful", FLAG, title,
                     "最終需要者が特定できていないため、外国ユーザーリストと照合できません。"
                     "まず最終需要者の名称・所在地を特定してから照合してください。",
                     ctx.cite("unknown", "ful", fallback="外国ユーザーリスト 需要者 確認"),
                     "最終需要者を特定してから外国ユーザーリスト（最新版）と照合する", ASK_PARTNER, 5)
    entities = _third_country_entities(ctx, info)
    extra = (f"また、{info.name}の一部の団体は、ロシア等への制裁の迂回に関与した疑いで輸出等禁止の対象（特定団体）に"
             "なっています。相手先がそのリストに載っていないかも確認してください。" if entities else "")
    return Check("ful", CHECK, title,
                 f"「{deal.end_user}」（と輸入者・仲介者）が経済産業省の外国ユーザーリスト（最新版）に載っていないか照合してください。"
                 "載っている場合は、大量破壊兵器等の開発等に用いられないことが明らかな場合を除き、許可申請が必要です。" + extra,
                 ctx.cite("ful", "ful_latest", fallback="外国ユーザーリスト 需要者 確認") + ctx.cite_chunks(entities, whole=False),
                 "最新の外国ユーザーリストと社名・別名・所在国で照合し、照合結果と版を記録する", "社内の輸出管理担当", 5)


def _next_step(checks: list[Check], ctx: _Ctx) -> Check:
    todo = [c for c in checks if c.action and c.status in (FLAG, CHECK, UNKNOWN)]
    lines = [f"{i}. {c.action}（確認先: {c.ask}）" for i, c in enumerate(todo, 1)]
    flagged = any(c.status == FLAG for c in checks)
    if flagged:
        lines.append(f"{len(lines) + 1}. 要注意の項目が解消するまで出荷・技術提供を止め、判断に迷う場合は{ASK_METI}に相談する")
    detail = "次にすること:\n" + "\n".join(lines) if lines else "追加で確認することはありません。取引審査の記録を保存してください。"
    return Check("next", FLAG if flagged else (CHECK if todo else INFO), "6 次の手順と相談先", detail,
                 ctx.cite("consult", fallback="事前相談 安全保障貿易審査課") if flagged else (),
                 "取引審査の記録を保存する", "社内の輸出管理責任者", 6)


def screen(deal: Deal, tables, retrieve: Retrieve, now: datetime | None = None) -> ScreeningResult:
    """The checklist for one deal (see the module docstring for the contract)."""
    deal = Deal(*(" ".join((v or "").split())
                  for v in (deal.product, deal.destination, deal.end_user, deal.use, deal.resale, deal.situation)))
    if not deal.product or not deal.destination:
        raise BadInputError("品目と仕向地を入力してください（the product and the destination are required）")
    deal = from_situation(deal)
    ctx = _Ctx(_as_tables(tables), retrieve)
    flags = find_red_flags(deal)
    checks = [_list_step(deal, ctx)]
    dest, info = _destination_step(deal, ctx)
    checks.append(dest)
    checks += _party_checks(deal, flags, ctx, info)
    checks.append(_catch_all_step(deal, flags, info, ctx))
    checks.append(_ful_step(deal, flags, info, ctx))
    checks.append(_next_step(checks, ctx))
    return ScreeningResult(deal, tuple(checks), (now or datetime.now()).isoformat(timespec="seconds"),
                           tuple(flags), info)


def group_a_licence_sentence(result: ScreeningResult, chunks) -> tuple[Chunk, int, int] | None:
    """For a deal to a Group A country: (chunk, start, end) of the sentence of the group_a passage (SOURCES)
    that says when such a deal still needs a licence (許可申請が必要), else None."""
    if result.country is None or result.country.group != "A":
        return None
    chunk = _Ctx(_as_tables(chunks), lambda q, k: []).source("group_a")
    if chunk is None:
        return None
    from retrieval.textnorm import sentence_spans
    got = next(((s, e) for s, e in sentence_spans(chunk.text) if "許可" in chunk.text[s:e] and "必要" in chunk.text[s:e]), None)
    if got is None:
        return None
    s, e = got
    lead = re.match(r"(?:したがって|このため|そのため)、", chunk.text[s:e])     # quoted on its own, without its link
    return chunk, s + (lead.end() if lead else 0), e


def screen_with(assistant, deal: Deal) -> ScreeningResult:
    """`screen` over an Assistant's live index."""
    retriever = assistant.retriever()
    return screen(deal, tables_for(retriever.index), retriever.retrieve)


# -- records ---------------------------------------------------------------------

DISCLAIMER = "本チェックは公開資料に基づく確認の手引きであり、該非や許可の要否を判定するものではありません。最終的な判断は経済産業省にご確認ください。"


def to_markdown(r: ScreeningResult) -> str:
    d = r.deal
    out = ["# 取引審査チェック記録", "", f"作成日時: {r.created_at}", "",
           "| 項目 | 内容 |", "| --- | --- |",
           f"| 品目 | {d.product} |", f"| 仕向地 | {d.destination} |",
           f"| 最終需要者 | {d.end_user or '（未入力）'} |", f"| 用途 | {d.use or '（未入力）'} |",
           f"| 再販先 | {d.resale or '（未入力）'} |"] + ([f"| 取引の状況 | {d.situation} |"] if d.situation else []) + ["",
           f"要注意の項目: {len(r.flags)} 件", ""]
    for c in r.checks:
        out += [f"## [{STATUS_LABEL[c.status]}] {c.title}", "", c.detail, ""]
        if c.action and c.key != "next":
            out += [f"- 次にすること: {c.action}" + (f"（確認先: {c.ask}）" if c.ask else ""), ""]
        for cit in c.citations:
            when = f"（{cit.effective_date}）" if cit.effective_date else ""
            out.append(f"- [{cit.n}] {cit.title} — {cit.locator}{when}" + (f" {cit.url}" if cit.url else ""))
        if c.citations:
            out.append("")
    out += ["## 確認者", "", "- 担当者: ", "- 責任者: ", "", "---", DISCLAIMER, ""]
    return "\n".join(out)


def to_csv(r: ScreeningResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["created_at", "product", "destination", "end_user", "use", "resale", "step", "check", "status",
                "detail", "action", "ask", "sources"])
    d = r.deal
    for c in r.checks:
        srcs = " | ".join(f"[{x.n}] {x.title} {x.locator} {x.effective_date or ''} {x.url or ''}".strip()
                          for x in c.citations)
        w.writerow([r.created_at, d.product, d.destination, d.end_user, d.use, d.resale, c.step, c.title,
                    STATUS_LABEL[c.status], c.detail, c.action, c.ask, srcs])
    return buf.getvalue()


# ------------------------------------------------------------------ another regime asked through the deal route

OTHER_REGIMES_PATH = DATA / "other_regimes.tsv"
_BANNED_NAMES = ("ロシア", "ベラルーシ", "北朝鮮")


@dataclass(frozen=True)
class OtherRegime:
    """Another regime a deal or product question asks about: the word that names it, its field and desk
    ("" when only an unknown authority's permit named it: the plain refusal)."""
    mark: str
    field: str = ""
    desk: str = ""


@dataclass(frozen=True)
class _RegimeRules:
    regimes: tuple[tuple[re.Pattern, str, str, tuple[str, ...]], ...]
    authority: re.Pattern
    tied: re.Pattern
    cleared: re.Pattern
    core: re.Pattern
    keep: tuple[str, ...]


@lru_cache(maxsize=1)
def load_other_regimes(path: Path = OTHER_REGIMES_PATH) -> _RegimeRules:
    """data/other_regimes.tsv: the regimes by their words and the authority, tie, cleared and core patterns."""
    regimes, special, keep = [], {}, ()
    for row in read_tsv(path):
        kind, pat, field, desk, examples = (row + [""] * 5)[:5]
        ex = tuple(x.strip() for x in examples.split(" | ") if x.strip())
        if kind == "regime":
            regimes.append((re.compile(pat), field.strip(), desk.strip(), ex))
        elif kind == "keep":
            keep = ex
        else:
            special[kind] = re.compile(pat)
    never = re.compile("(?!x)x")
    return _RegimeRules(tuple(regimes), special.get("authority", never), special.get("tied", never),
                        special.get("cleared", never), special.get("core", never), keep)


def other_regime(a, known: Callable[[str], bool], authority: bool = True) -> OtherRegime | None:
    """The other regime a deal or product question asks about (data/other_regimes.tsv), or None.
    A regime named by its own words (文化財, REACH, 薬機法) or an authority the pack never names (`known`: the pack's
    text holds the word) tied to a permit or duty (「文化庁の許可」「農水省の検査」), not told as cleared (「対応済み」「じゃない」),
    while the asked sentence, with that permit taken out, names no export-control word (許可, 該非, キャッチオール …).
    A banned destination, goods on the list or a red flag keep the question the deal's: those are export control
    whatever else is asked.  `authority` False: a regime row's own words only (any route: the grounding gate
    weighs an unknown authority already, but a pack word told beside 「REACHの…」 may cover the asked 「届出」)."""
    from anpo.analysis import asked_sentence
    q = unicodedata.normalize("NFKC", a.question or "")
    rules = load_other_regimes()
    if "ban" in a.intents or any(c.name in _BANNED_NAMES for c in a.countries) \
            or any(p.candidates for p in a.products) or find_red_flags(Deal("-", "-", situation=q)):
        return None
    found: list[tuple[re.Match, OtherRegime]] = []
    for pat, field, desk, _ in rules.regimes:
        for m in pat.finditer(q):
            if not rules.cleared.match(q, m.end()):
                found.append((m, OtherRegime(m.group(0), field, desk)))
    for m in (rules.authority.finditer(q) if authority else ()):
        if rules.tied.match(q, m.end()) and not rules.cleared.match(q, m.end()) \
                and not known(normalize(m.group(0))) and not rules.core.search(m.group(0)) and not any(f[0].start() <= m.start() < f[0].end() for f in found):
            found.append((m, OtherRegime(m.group(0))))
    if not found:
        return None
    # the other regime's own permit is no export-control word of the asked sentence (「文化庁の許可がいる」)
    rest = q
    for m, _ in sorted(found, key=lambda f: -f[0].start()):
        t = rules.tied.match(rest, m.end())
        end = t.end() if t else m.end()
        rest = rest[:m.start()] + " " + rest[end:]
    if rules.core.search(asked_sentence(rest)):
        return None
    named = [r for _, r in found if r.field]
    return named[0] if named else found[0][1]


# ------------------------------------------------------------------ the asker's dismissal answered by the deal's own finding

def dismissed(question: str) -> bool:
    """The asked sentence waves a concern away or asks to go on regardless (deal_fields.tsv rows dismissed and
    as_is_asked: 「気にしすぎですかね？」「キャッチオールとか気にしなくて大丈夫？」 "Can we just ship?")."""
    from anpo.analysis import asked_sentence
    asked = asked_sentence(normalize(question or ""))
    return any(p.search(asked) for f, p, _ in load_deal_fields() if f in ("dismissed", "as_is_asked"))


def flag_sentence(result: ScreeningResult, chunks) -> tuple[Chunk, int, int] | None:
    """For a deal told with a red flag of severity flag (迂回輸出の注意信号 「急に注文が増え」, 軍関係): (chunk, start, end)
    of the sentence of the flag's cited passage (red_flags.tsv cite) that names the flag's word as told, else that
    names a 注意信号; None when no flag or no such sentence.  An end user or use withheld (rules unknown, refused) is
    not looked up here: its sentence is the recipe deal_withheld."""
    from retrieval.textnorm import sentence_spans
    ctx = _Ctx(_as_tables(chunks), lambda q, k: [])
    for f in result.red_flags:
        if f.rule.severity != FLAG or f.rule.id in ("unknown", "refused"):
            continue
        chunk = ctx.source(f.rule.cite)
        if chunk is None:
            continue
        spans = [(s, e) for s, e in sentence_spans(chunk.text)]
        term = normalize(f.term)
        got = next(((s, e) for s, e in spans if term and term in normalize(chunk.text[s:e])), None) \
            or next(((s, e) for s, e in spans if "注意信号" in chunk.text[s:e]), None)
        if got is not None:
            return chunk, got[0], got[1]
    return None


def catch_all_dismissed_outside_group_a(a, result: ScreeningResult) -> bool:
    """The asker waves catch-all away (dismissed, the asked sentence names catch-all or a Group-A-like premise:
    「ほぼホワイト国みたいなもんでしょ？キャッチオールとか気にしなくて大丈夫？」) for a destination that is not Group A."""
    from anpo.analysis import asked_sentence
    pat = next((p for f, p, _ in load_deal_fields() if f == "catch_all_word"), None)
    info = result.country
    return bool(pat is not None and info is not None and info.group in ("B", "C", "D") and dismissed(a.question)
                and pat.search(asked_sentence(normalize(a.question))))


def dismissed_flag(a) -> bool:
    """The asker waves away (dismissed) a deal told with a red flag of severity flag (told_deal): answered as the deal,
    whose lead is いいえ from the sentence on that flag, even when the question is a premise (「…ですよね？」)."""
    q = a.question or ""
    return dismissed(q) and any(f.rule.severity == FLAG for f in find_red_flags(Deal("-", "-", situation=q))) and told_deal(a)


def open_destination_sentences(a, chunks) -> list[tuple[Chunk, int, int]]:
    """A name that names no one country (「コンゴ」 "Congo": two countries of different groups, countries.tsv) is in
    the asked sentence of a yes/no question (「コンゴって国連の武器禁輸国に入ってたんでしたっけ？」 "Is Congo under a UN
    arms embargo?"): whatever is asked of it holds for one of the two and not the other.  (chunk, start, end) of the
    pack's sentence naming both countries that speaks of what is asked (which is listed, which is not), then the one
    saying the official name must be confirmed (…国名…必要); [] when the question is none such, asks whether to check
    the name (deal_fields.tsv row need_asked: open_need_sentence answers that) or the pack names both on nothing asked
    (「コンゴって懸念国？」: no sentence on the two speaks of 懸念国)."""
    from anpo.analysis import asked_sentence
    from retrieval.textnorm import key_terms, sentence_spans
    if "yesno" not in a.intents or a.parts:
        return []
    tables = _as_tables(chunks)
    resolver = tables.countries
    asked = asked_sentence(normalize(a.question or ""))
    told = next((c.text for c in a.countries if resolver.is_ambiguous(c.text) and normalize(c.text) in asked), "")
    need_asked = dict((f, p) for f, p, _ in load_deal_fields()).get("need_asked")
    if not told or need_asked is not None and need_asked.search(asked):
        return []
    both, need = _two_names_sentences(tables, told)
    if both is None:
        return []
    # what is asked of the name (武器禁輸, グループD) is what the two sentences speak of
    said = normalize(" ".join(c.text[s:e] for c, s, e in [both] + ([need] if need else [])))
    rest = asked.replace(normalize(told), " ")
    if a.language == "en":
        from anpo.english import japanese_topic
        rest = normalize(japanese_topic(rest))        # "under a UN arms embargo" → 国連武器禁輸国
    if not any(len(w) >= 2 and w in said for t in key_terms(rest) for w in t):
        return []
    return [both] + ([need] if need else [])


def open_need_sentence(a, result: ScreeningResult, chunks) -> tuple[Chunk, int, int] | None:
    """The asked sentence asks whether something of the deal needs checking (deal_fields.tsv row need_asked:
    「どこの国か気にする必要あります？」) and names the destination (row destination_word) while the destination told
    names no one country (「コンゴ」: two countries of different groups): (chunk, start, end) of the sentence of the
    destination step's cited passages that says what must be confirmed (…必要があります), else None."""
    from anpo.analysis import asked_sentence
    from retrieval.textnorm import sentence_spans
    rows = {f: p for f, p, _ in load_deal_fields()}
    asked = asked_sentence(normalize(a.question or ""))
    if "need_asked" not in rows or "destination_word" not in rows or result.country is not None \
            or not rows["need_asked"].search(asked):
        return None
    told = normalize(result.deal.destination)
    if not (rows["destination_word"].search(asked) or told and told in asked):
        return None
    # the passages on the destination told (its name, as the asker wrote it) that say the official name must be confirmed
    for chunk in (c for c in _as_tables(chunks).by_id.values() if not c.suspicious and told and told in normalize(c.text)):
        for s, e in sentence_spans(chunk.text):
            sent = normalize(chunk.text[s:e])
            if "必要" in sent and "国名" in sent and told in sent:
                return chunk, s, e
    return None


# --- (helper deal, round 11) the ask a deal question carries, judged by the sentence that settles it -------------------
# A deal question often asks one thing besides the checklist: a premise about where the goods go (「今もグループA外の扱い
# なんですよね？」「どっちのコンゴでも扱いは一緒だよね？」) or that listed goods need no licence for a 'good' country.  The
# facts told settle it (countries.tsv knows the group, the goods are told listed, the name names two countries): the
# answer says はい/いいえ from the pack's sentence on that, before the checklist.  Words: deal_fields.tsv rows group_a_claim,
# group_not_a_claim, claim_reason, sameness_asked, regardless_sentence, told_listed.

def _fields() -> dict[str, re.Pattern]:
    return {f: p for f, p, _ in load_deal_fields()}


def _last_match(pat: re.Pattern | None, text: str):
    ms = list(pat.finditer(text)) if pat is not None else []
    return max(ms, key=lambda m: (m.end(), m.end() - m.start())) if ms else None


def _asked_sentences(question: str) -> list[str]:
    """The sentences a question asks (each ending in ?), normalised; the asked sentence when none ends so."""
    from anpo.analysis import asked_sentence
    q = normalize(question or "")
    asks = [x.strip() + "?" for x in re.split(r"\?", q)[:-1] if x.strip()]
    asks = [re.split(r"[。!\n]", x)[-1] or x for x in asks]
    return asks or [asked_sentence(q)]


def _group_claim_sentences(a, info: CountryInfo | None, chunks) -> tuple[str, list[tuple[Chunk, int, int]]] | None:
    """The asked sentence ends on a claim of the destination's group (「今もグループA外の扱いなんですよね？」 「台湾って
    ホワイト国じゃなかったっけ？」 "Korea is still not in Group A, right?"), not a reason for something else (「グループAだから
    許可いらない」: row claim_reason after the claim): はい when countries.tsv's group agrees, いいえ when not, with the
    pack's sentences naming the country and its group (the latest first); None without such a sentence."""
    from anpo.analysis import asked_sentence
    from retrieval.textnorm import sentence_spans
    if info is None:
        return None
    rows = _fields()
    says_a = None
    # any sentence the question asks (「台湾ってホワイト国じゃなかったっけ？キャッチオールのほうも確認が要るの？」 asks two)
    for asked in _asked_sentences(a.question or ""):
        m_a, m_not = _last_match(rows.get("group_a_claim"), asked), _last_match(rows.get("group_not_a_claim"), asked)
        claim = max((m for m in (m_a, m_not) if m is not None), key=lambda m: (m.end(), m.end() - m.start()), default=None)
        if claim is None:
            continue
        tail = asked[claim.end():]
        # (round 14, helper route) a group claimed as the REASON for what is asked (「韓国って2019年にホワイト国から外された
        # ままだから、客観要件の確認をフルでやらなきゃダメなんだよね？」): a reason the tables contradict leaves what rests on
        # it unfounded — いいえ from the sentences on the group; a reason that holds settles nothing here
        told_reason = "claim_reason" in rows and bool(rows["claim_reason"].search(re.split(r"[、,]", tail.strip(" 、,"))[0][:12]))
        if told_reason and info is not None and info.group and (claim is m_a) != (info.group == "A"):
            says_a = claim is m_a
            break
        # the claim is what the sentence ends on (「…の扱いなんですよね？」), not a word inside a longer ask
        # (「グループA以外の国に出すときの手続きは？」)
        if len(tail.strip()) > 14 or "claim_reason" in rows and rows["claim_reason"].search(tail):
            continue
        says_a = claim is m_a
        break
    if says_a is None:
        return None
    tables = _as_tables(chunks)
    resolver = tables.countries
    group_word = rows.get("group_word")
    from anpo.analysis import load_rules
    provenance = load_rules().provenance
    found = []
    for chunk in (c for c in tables.by_id.values() if not c.suspicious):
        for s, e in sentence_spans(chunk.text):
            sent = normalize(chunk.text[s:e])
            if group_word is None or not group_word.search(sent) or provenance.search(sent):
                continue    # a sentence carrying a provenance note (「（報道等の二次情報による）」) is never quoted
            if any(i.iso == info.iso for _, x in resolver.find_all(chunk.text[s:e]) for i in (x if isinstance(x, list) else [x])):
                years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)年", sent)]
                # the country's own row (「大韓民国は…」: the sentence whose subject it is) first, then the latest
                subject = re.match(r"[^、。はをがにの]{1,12}は", sent)
                own = bool(subject) and any(i.iso == info.iso for _, x in resolver.find_all(subject.group(0))
                                            for i in (x if isinstance(x, list) else [x]))
                found.append((own, max(years, default=0), -len(found), chunk, s, e))
    if not found:
        return None
    found.sort(key=lambda t: (t[0], t[1], t[2]), reverse=True)
    word = "はい。" if says_a == (info.group == "A") else "いいえ。"
    return word, [(c, s, e) for _, _, _, c, s, e in found[:2]]


def _listed_regardless_sentences(a, chunks) -> tuple[str, list[tuple[Chunk, int, int]]] | None:
    """Goods told listed (row told_listed, not 非該当) with the premise that no licence is needed or the concern waved away
    (「リスト該当のマシニングセンタ…『EUの優等生の国だから許可なんて要らない』それでOK？」), no exemption asked (少額特例 can
    lift a listed item's licence): いいえ, with the pack's sentences saying a listed item needs a licence whatever the
    destination (row regardless_sentence: the one saying so, and the one before it in its passage that says 許可が必要)."""
    from anpo.analysis import load_rules
    from retrieval.textnorm import sentence_spans
    rows = _fields()
    q = normalize(a.question or "")
    listed = rows.get("told_listed")
    if listed is None or not any(q[max(0, m.start() - 1):m.start()] != "非" and "非" not in m.group(0)
                                 for m in listed.finditer(q)):
        return None
    if not (a.premise == "not_needed" or dismissed(a.question or "")):
        return None
    pr = load_rules().premise
    if pr["exemption_asked"].search(q) or "exemption_word" in rows and rows["exemption_word"].search(q):
        return None
    regardless = rows.get("regardless_sentence")
    if regardless is None:
        return None
    best = None
    for chunk in (c for c in _as_tables(chunks).by_id.values() if not c.suspicious):
        spans = list(sentence_spans(chunk.text))
        for i, (s, e) in enumerate(spans):
            sent = normalize(chunk.text[s:e])
            if "リスト規制" in sent and regardless.search(sent):
                # the sentence on the licence (許可) first: 「リスト規制の許可要否は仕向地によって変わりません」
                need = next(((s0, e0) for s0, e0 in reversed(spans[:i]) if "許可が必要" in normalize(chunk.text[s0:e0])
                             and "リスト規制" in normalize(chunk.text[s0:e0])), None)
                got = ("許可" in sent, bool(need), chunk, s, e, need)
                if best is None or got[:2] > best[:2]:
                    best = got
    if best is None:
        return None
    _, _, chunk, s, e, need = best
    return "いいえ。", [(chunk, s, e)] + ([(chunk, *need)] if need else [])


def _open_sameness_sentences(a, chunks) -> tuple[str, list[tuple[Chunk, int, int]]] | None:
    """A name that names no one country (「コンゴ」 "Congo", countries.tsv) with the asked sentence saying the treatment is
    the same either way (row sameness_asked: 「どっちのコンゴでも扱いは一緒だよね？」 "it's the same for either Congo, right?"):
    いいえ, with the pack's sentence naming both that says the official name must be confirmed (and one more naming both)."""
    from anpo.analysis import asked_sentence
    from retrieval.textnorm import sentence_spans
    rows = _fields()
    asked = asked_sentence(normalize(a.question or ""))
    same = "sameness_asked" in rows and rows["sameness_asked"].search(asked)
    # (round 12) 「これって扱い変わります？」 asks whether it differs: it depends on which of the two it is
    differs = not same and "difference_asked" in rows and rows["difference_asked"].search(asked)
    if not (same or differs):
        return None
    tables = _as_tables(chunks)
    resolver = tables.countries
    told = next((c.text for c in a.countries if resolver.is_ambiguous(c.text)), "")
    if not told:
        return None
    both, need = _two_names_sentences(tables, told)
    if need is None:
        return None
    return "いいえ。" if same else "一概には言えません。", [need] + ([both] if both else [])


def _two_names_sentences(tables, told: str):
    """For a name of two countries (コンゴ): the first pack sentence naming both, and the one saying the
    country's full name is needed (必要 … 国名), each as (chunk, start, end) or None."""
    from retrieval.textnorm import sentence_spans
    names = [normalize(c.name) for c in tables.countries.candidates(told)]
    both, need = None, None
    for chunk in (c for c in tables.by_id.values() if not c.suspicious and all(n in normalize(c.text) for n in names)):
        for s, e in sentence_spans(chunk.text):
            sent = normalize(chunk.text[s:e])
            if not all(n in sent for n in names):
                continue
            if "必要" in sent and "国名" in sent:
                need = need or (chunk, s, e)
            elif both is None:
                both = (chunk, s, e)
    return both, need


def settled_ask(a, result: ScreeningResult, chunks) -> tuple[str, list[tuple[Chunk, int, int]]] | None:
    """(helper deal) The ask a deal question carries, settled by the facts told: (はい。/いいえ。, [(chunk, start, end)…])
    of the pack's sentences that settle it, or None (the deal answer's other leads, then the checklist)."""
    return _combined((lambda: _group_claim_sentences(a, result.country, chunks),
                      lambda: _open_sameness_sentences(a, chunks),
                      lambda: _listed_regardless_sentences(a, chunks),
                      lambda: _small_amount_catch_all(a, chunks),
                      lambda: _list_check_sentences(a, chunks),
                      lambda: _catch_all_by_group(a, result.country, chunks)))


def _combined(judges) -> tuple[str, list[tuple[Chunk, int, int]]] | None:
    """The first judge's word with its sentences, then the sentences of every other judge that settles a further ask
    (「台湾ってホワイト国じゃなかったっけ？キャッチオールのほうも確認が要るの？」: the group, then catch-all's checks)."""
    word, spans, n = None, [], 0
    for judge in judges:
        got = judge()
        if got is None or not got[1]:
            continue
        word, n = word or got[0], n + 1
        spans += [x for x in got[1] if x not in spans]
    return (word, spans, n) if word else None


def claim_settled(a, chunks) -> tuple[str, list[tuple[Chunk, int, int]]] | None:
    """(helper deal) settled_ask for a question told without a deal (「確か韓国ってグループA外だったよね？」 「コンゴ共和国でも
    民主共和国でも規制は変わらないよね？」): the destination's group claimed (one country named) or the treatment said
    to be the same for a name of two countries."""
    resolver = _as_tables(chunks).countries
    isos = {i.iso: i for c in a.countries for i in resolver.candidates(c.text)}
    info = next(iter(isos.values())) if len(isos) == 1 else None
    got = _combined((lambda: _group_claim_sentences(a, info, chunks), lambda: _open_sameness_sentences(a, chunks),
                     lambda: _exemption_denied_sentences(a, info, chunks), lambda: _small_amount_catch_all(a, chunks),
                     lambda: _catch_all_by_group(a, info, chunks)))
    # a question of several parts is settled only when each part is (「台湾ってホワイト国じゃなかったっけ？キャッチオールの
    # ほうも確認が要るの？」: the group, then catch-all's checks)
    return got if got is not None and got[2] >= max(1, len(a.parts or ())) else None


def foreign_rules_asked(a) -> bool:
    """(helper deal) The asked sentence of a told deal asks about the destination country's own rules (deal_fields.tsv rows
    abroad_place then abroad_rule within a few characters: 「向こうでの登録とか何が必要？」 「現地の成分規制は？」 "registration in
    the destination country"), not about Japan's export control (row abroad_rule_not: 許可, 該非, キャッチオール): another
    regime, refused with the desk for it; 「向こうでの使い道が軍事なら許可いる？」 names no rule of the destination."""
    from anpo.analysis import asked_sentence
    rows = _fields()
    if "abroad_place" not in rows or "abroad_rule" not in rows:
        return False
    asked = asked_sentence(normalize(a.question or ""))
    if "abroad_rule_not" in rows and rows["abroad_rule_not"].search(asked):
        return False
    rule = rows["abroad_rule"]
    return any(rule.search(asked[m.end():m.end() + 10]) for m in rows["abroad_place"].finditer(asked))


def _exemption_denied_sentences(a, info: CountryInfo | None, chunks) -> tuple[str, list[tuple[Chunk, int, int]]] | None:
    """An exemption asked for one named destination (intents.yaml premise exemption_asked in the asked sentence:
    「イラン向けに少額特例って使える？」): いいえ with the pack's sentence that names that destination and the exemption and
    denies it (…適用できません); None when no sentence names both (the exemption may apply there: the normal answer)."""
    from anpo.analysis import asked_sentence, load_rules
    from retrieval.textnorm import sentence_spans
    if info is None:
        return None
    asked = asked_sentence(normalize(a.question or ""))
    m = load_rules().premise["exemption_asked"].search(asked)
    if m is None or m.group(0).isascii():
        return None
    term = next((w for w in ("少額特例", "特例", "少額") if w in m.group(0)), m.group(0))
    names = {normalize(info.name)} | {normalize(c.text) for c in a.countries}
    denied = _fields().get("exemption_denied")
    for chunk in (c for c in _as_tables(chunks).by_id.values() if not c.suspicious):
        for s, e in sentence_spans(chunk.text):
            sent = normalize(chunk.text[s:e])
            if term in sent and any(n and n in sent for n in names) and denied is not None and denied.search(sent):
                return "いいえ。", [(chunk, s, e)]
    return None


def _small_amount_catch_all(a, chunks) -> tuple[str, list[tuple[Chunk, int, int]]] | None:
    """(round 12) A small amount told (deal_fields.tsv row small_amount_told: 「15万円」「金額が小さいので」「少額特例で」) and
    catch-all's checks named in the asked sentence (row catch_all_named), either said to be skippable (a premise of the
    asker's own: 「キャッチオールのチェックは省略しても構いませんよね？」「キャッチオールのほうも確認しなくて大丈夫？」) → いいえ,
    or asked plainly (intents.yaml premise need_asked: 「少額でもキャッチオールの確認は要る？」) → はい, from the pack's
    sentences saying the small amount or the small-value exemption does not reach catch-all (row small_catch_all_sentence);
    None when no sentence says so, or a ban settles the deal first."""
    from anpo.analysis import asked_sentence, load_rules
    from retrieval.textnorm import sentence_spans
    rows = _fields()
    told, named, says = rows.get("small_amount_told"), rows.get("catch_all_named"), rows.get("small_catch_all_sentence")
    if told is None or named is None or says is None or "ban" in (a.intents or ()):
        return None
    q = normalize(a.question or "")
    asked = asked_sentence(q)
    if not told.search(q) or not named.search(asked):
        return None
    skip = a.premise in ("not_needed", "asserted") or a.asserting
    if not skip and not load_rules().premise["need_asked"].search(asked):
        return None
    # Group A: catch-all's use and end-user checks do not apply there at all (that is _catch_all_by_group's to say)
    tables = _as_tables(chunks)
    groups = {i.group for c in a.countries for i in tables.countries.candidates(c.text)}
    if "A" in groups:
        return None
    sentences = [(c, s, e, normalize(c.text[s:e])) for c in tables.by_id.values() if not c.suspicious
                 for s, e in sentence_spans(c.text)]
    spans = [(c, s, e) for c, s, e, sent in sentences if says.search(sent)][:2]
    # a destination outside Group A told: what catch-all's checks are there (use and end user, each deal)
    outside = rows.get("outside_a_catch_all_sentence")
    if spans and groups and outside is not None:
        spans += [(c, s, e) for c, s, e, sent in sentences if outside.search(sent)][:1]
    return ("いいえ。" if skip else "はい。", spans) if spans else None


def _list_check_sentences(a, chunks) -> tuple[str, list[tuple[Chunk, int, int]]] | None:
    """(round 12) The deal's party asked to be checked against a list, with should or need (deal_fields.tsv rows
    list_check_asked, should_asked: 「買い手の会社名、何かのリストと突き合わせといたほうがいい？」 "Should we screen the buyer
    against a list?"): はい from the pack's sentences saying the end user is checked against the End User List, the latest one
    (row list_check_sentence); None for a party told to be on the list (that is the listed party's answer) or a wh-question."""
    from anpo.analysis import asked_sentence
    from retrieval.textnorm import sentence_spans
    rows = _fields()
    asks, should, says = rows.get("list_check_asked"), rows.get("should_asked"), rows.get("list_check_sentence")
    if asks is None or should is None or says is None or told_ful_listed(a.question or ""):
        return None
    asked = asked_sentence(normalize(a.question or ""))
    # 「何かのリスト」 is any list, not a question word; 「どのリスト？」 "which list?" asks for the list, not yes/no
    if not asks.search(asked) or not should.search(asked) or re.search(r"どの|どれ|どこ|\bwhich\b|\bwhat\b", asked):
        return None
    spans = [(c, s, e) for c in _as_tables(chunks).by_id.values() if not c.suspicious
             for s, e in sentence_spans(c.text) if says.search(normalize(c.text[s:e]))]
    # the check itself first, then that the list is the latest
    spans.sort(key=lambda x: "最新" in normalize(x[0].text[x[1]:x[2]]))
    return ("はい。", spans[:2]) if spans else None


def _catch_all_by_group(a, info: CountryInfo | None, chunks) -> tuple[str, list[tuple[Chunk, int, int]]] | None:
    """Whether catch-all's checks (用途確認, キャッチオール) are needed, asked plainly (intents.yaml premise need_asked, no
    premise of the asker's own) for one named destination and goods not told listed (「ドイツの自動車メーカーに非該当の
    樹脂クリップ…キャッチオールの用途確認ってこの場合も毎回要るんですか」): the destination's group settles it — Group A:
    いいえ from the sentence saying catch-all's objective requirements do not apply there, with the next one in its passage
    (the inform notice); any other group: はい from the sentence saying use and end user are checked outside Group A
    (rows catch_all_named, group_a_catch_all_sentence, outside_a_catch_all_sentence)."""
    from anpo.analysis import asked_sentence, load_rules
    from retrieval.textnorm import sentence_spans
    if info is None or info.iso in SANCTIONED or a.premise in ("not_needed", "asserted") or a.asserting:
        return None
    rows = _fields()
    asked = asked_sentence(normalize(a.question or ""))
    named = rows.get("catch_all_named")
    need = rows.get("catch_all_need")
    if "catch_all_not" in rows and rows["catch_all_not"].search(asked):
        return None
    q = normalize(a.question or "")
    # (round 12) unlisted goods outside Group A asked yes/no whether anything more is to be done (「あと念のためやっとくべき
    # ことってあります？」): catch-all's checks are that more (rows anything_more_asked, told_unlisted)
    more_asked = info.group != "A" and "anything_more_asked" in rows and "told_unlisted" in rows \
        and rows["anything_more_asked"].search(asked) and rows["told_unlisted"].search(q) and "yesno" in (a.intents or ()) \
        and not re.search(r"どんな|どういう|\bwhat\b|\bwhich\b", asked)
    if not more_asked and (named is None or not named.search(asked)
                           or not (load_rules().premise["need_asked"].search(asked) or need is not None and need.search(asked))):
        return None
    listed = rows.get("told_listed")
    if listed is not None and any(q[max(0, m.start() - 1):m.start()] != "非" for m in listed.finditer(q)):
        return None
    cue = rows.get("group_a_catch_all_sentence" if info.group == "A" else "outside_a_catch_all_sentence")
    if cue is None:
        return None
    for chunk in (c for c in _as_tables(chunks).by_id.values() if not c.suspicious):
        spans = list(sentence_spans(chunk.text))
        for i, (s, e) in enumerate(spans):
            if cue.search(normalize(chunk.text[s:e])):
                more = [(chunk, *spans[i + 1])] if info.group == "A" and i + 1 < len(spans) \
                    and "インフォーム" in chunk.text[spans[i + 1][0]:spans[i + 1][1]] else []
                # (round 12) outside Group A: the End User List check that follows it in its passage
                more += [(chunk, *spans[i + 1])] if info.group != "A" and i + 1 < len(spans) \
                    and "外国ユーザーリスト" in chunk.text[spans[i + 1][0]:spans[i + 1][1]] else []
                # Group A: the use and end-user checks (the objective requirements, row objective_check_named) are not
                # needed (いいえ); catch-all as a whole still has the inform notice (一概には言えません)
                objective = rows.get("objective_check_named")
                word = "はい。" if info.group != "A" else \
                    "いいえ。" if objective is not None and objective.search(asked) else "一概には言えません。"
                return word, [(chunk, s, e)] + more
    return None


def ban_scope_sentences(a, chunks) -> list[tuple[Chunk, int, int]]:
    """(helper deal) A deal to a destination under a ban told with a reason the ban does not weigh: the pack's sentences
    that settle that reason for the banned destination, to join the ban's いいえ; [] otherwise.
    - an amount or ordinary goods (deal_fields.tsv row ban_scope_told: 「3万円くらいの小口だし」「普通の部品で」「少しだけ」):
      the sentence naming that destination that says the ban holds whatever that is (row ban_scope_sentence:
      「品目、金額、用途、相手先にかかわらず」);
    - (round 12) a way round it (row evasion_told: 「香港の商社を間に挟めば」「キルギスの会社を経由させれば」 "routed through a
      Kazakh distributor"): the sentences banning the way through a third country and calling it a red flag (row
      evasion_sentence), those naming the destination or no banned destination at all;
    - (round 12) a military party (red_flags.tsv row military: 国防省, "Ministry of Defence"): the sentence naming the
      destination that bans exports to its specified entities (row ban_party_sentence: 特定団体)."""
    from retrieval.textnorm import sentence_spans
    rows = _fields()
    q = normalize(a.question or "")
    resolver = _as_tables(chunks).countries
    banned = {i.name for c in a.countries for i in resolver.candidates(c.text) if i.iso in SANCTIONED}
    banned |= {n for n in _BANNED_NAMES if n in q}
    if not banned:
        return []
    names = [normalize(n) for n in banned]
    others = [normalize(n) for n in _BANNED_NAMES if n not in banned]
    sentences = [(chunk, s, e, normalize(chunk.text[s:e])) for chunk in _as_tables(chunks).by_id.values()
                 if not chunk.suspicious for s, e in sentence_spans(chunk.text)]
    out: list[tuple[Chunk, int, int]] = []
    if "ban_scope_told" in rows and "ban_scope_sentence" in rows and rows["ban_scope_told"].search(q):
        out += [(c, s, e) for c, s, e, sent in sentences
                if rows["ban_scope_sentence"].search(sent) and any(n in sent for n in names)][:1]
    if "evasion_told" in rows and "evasion_sentence" in rows and rows["evasion_told"].search(as_told(q)):
        out += [(c, s, e) for c, s, e, sent in sentences if rows["evasion_sentence"].search(sent)
                and (any(n in sent for n in names) or not any(o in sent for o in others))][:2]
    military = [r for r in load_red_flags() if r.id == "military"]
    if "ban_party_sentence" in rows and military and find_red_flags(Deal("-", "-", situation=a.question or ""), military):
        out += [(c, s, e) for c, s, e, sent in sentences if rows["ban_party_sentence"].search(sent) and "禁止" in sent
                and any(n in sent for n in names) and not re.search(r"^\d{4}年|時点", sent)][:1]
    return list(dict.fromkeys(out))


def exception_denied(question: str) -> bool:
    """(helper deal, round 12) Every case a ban makes an exception for that the question names (deal_fields.tsv row
    exception_told: 人道, 現地法人, humanitarian) is told as NOT the case (row denied after it, within a word such as
    用途・目的・向け: 「人道用途とは関係ない一般的な部品」「人道目的ではない」; row denied_before: "not for humanitarian use"):
    the question asks of the ban itself, not of its exception."""
    rows = _fields()
    pat = rows.get("exception_told")
    q = normalize(question or "")
    found = list(pat.finditer(q)) if pat is not None else []
    if not found:
        return False
    after, before = _denials()
    for m in found:
        rest = q[m.end():]
        skip = re.match(r"[\u3400-\u9fff]{0,4}(?:向け|用)?", rest)
        tail = rest[skip.end() if skip else 0:]
        if not (tail.startswith(after) or rest.startswith(after) or before.search(q[max(0, m.start() - 16):m.start()])):
            return False
    return True


def resident_technology(a, chunks) -> tuple[str, list[tuple[Chunk, int, int]]] | None:
    """(helper deal, round 12) Technology (deal_fields.tsv row technology: 設計データ, design data) shown to a person working in
    Japan (row resident_person: 社員, engineer) whose residence is in question (row residency_told: 「まだ来日半年たってないから
    非居住者扱い？」 "Once he's a resident employee of ours"), asked yes/no: the pack's sentences on when a foreign national is a
    resident (row resident_rule_sentence) and on the 特定類型 that still make it みなし輸出 (rows tokutei_sentence,
    tokutei_licence_sentence) — 一概には言えません; a 特定類型 told of the person (rows tokutei1_told / tokutei2_told: 兼業,
    "a part-time job at a foreign company", 外国政府から留学資金) with leave asked: いいえ from that type's example (rows
    tokutei1_sentence / tokutei2_sentence) and the licence duty.  None when any part is missing or a wh-question is asked."""
    from anpo.analysis import asked_sentence, load_rules
    from retrieval.textnorm import sentence_spans
    rows = _fields()
    need = ("technology", "resident_person", "residency_told", "resident_rule_sentence", "tokutei_sentence")
    if any(r not in rows for r in need):
        return None
    q = normalize(a.question or "")
    told = [n for n in ("1", "2") if f"tokutei{n}_told" in rows and rows[f"tokutei{n}_told"].search(q)]
    # the person's residence in question, or a 特定類型 told of them (「外国企業と兼業している社員」)
    # (round 13, helper route) deemed export named (row deemed_export_named: みなし輸出, "deemed-export control") tells the
    # technology too: 「…居住者だからみなし輸出は関係ないよね？」 of a person told
    # — only with a 特定類型 told of the person: without one, 「居住者ならみなし輸出の対象外でしょ？」 is the extractive answer's
    # (いいえ from the 運用明確化 sentence, tests/test_premises.py), as before this round
    deemed = rows.get("deemed_export_named")
    if not (rows["technology"].search(q) or told and deemed is not None and deemed.search(q)) \
            or not rows["resident_person"].search(q) \
            or not (rows["residency_told"].search(q) or told):
        return None
    asked = asked_sentence(q)
    # 「技術者なんで、」 after a noun is causal (since), not why
    if not ("yesno" in a.intents or a.premise or a.permission or a.asserting
            or load_rules().premise["need_asked"].search(asked)) \
            or load_rules().premise["wh"].search(re.sub(r"(?<=[\u3400-\u9fff\u30a0-\u30ff])なんで", "", asked)):
        return None
    sentences = [(c, s, e, normalize(c.text[s:e])) for c in _as_tables(chunks).by_id.values() if not c.suspicious
                 for s, e in sentence_spans(c.text)]

    def first(row: str) -> list[tuple[Chunk, int, int]]:
        pat = rows.get(row)
        return [(c, s, e) for c, s, e, sent in sentences if pat is not None and pat.search(sent)][:1]
    example = [x for n in told for x in first(f"tokutei{n}_sentence")]
    licence = first("tokutei_licence_sentence")
    if example and load_rules().premise["need_asked"].search(asked) and not (a.premise or a.asserting):
        # "would we still need a licence to give him our controlled technology?" of a 特定類型 told: はい
        return "はい。", example + licence + first("tokutei_sentence")
    if example and (a.permission or a.asserting or a.premise):
        return "いいえ。", example + licence + first("tokutei_sentence")
    reason = rows.get("resident_reason")
    if not example and (a.premise or a.asserting) and reason is not None and reason.search(q):
        # 「国内だし本人も居住者だし、何も気にしなくて大丈夫？」: a resident is no end of it — the 特定類型 say so
        return "いいえ。", first("tokutei_sentence") + first("tokutei_date_sentence") + first("resident_rule_sentence") + licence
    # (helper route, round 13) 「外国籍の社員は入社した瞬間から全員"非居住者"扱いになるから、…許可が要るんだよね？」: a claim,
    # asserted in any sentence, that every foreign national is a non-resident — the rule on when one is a resident refutes it
    claim = rows.get("all_nonresident_claim")
    if not example and claim is not None and claim.search(q) and re.search(r"非居住|non-?resident", q) \
            and (a.asserting or a.premise or _asserted_somewhere(q)):
        return "いいえ。", first("resident_rule_sentence") + first("tokutei_sentence") + licence
    # a student or researcher: 特定類型②'s example names such a person (外国政府から留学資金…)
    if not example and "tokutei2_person" in rows and rows["tokutei2_person"].search(q):
        example = first("tokutei2_sentence")
    spans = first("resident_rule_sentence") + first("tokutei_sentence") + example + licence
    return ("一概には言えません。", spans) if spans else None


def open_name_settled(a, chunks) -> tuple[str, list[tuple[Chunk, int, int]], int] | None:
    """(helper deal, round 12) A question about goods whose destination is told by a name of two countries (「コンゴ」) and
    whose asked sentence asks whether the treatment is the same or differs (deal_fields.tsv rows sameness_asked,
    difference_asked): the name settles it (_open_sameness_sentences), as claim_settled returns it; else None."""
    got = _open_sameness_sentences(a, chunks)
    return (got[0], got[1], 1) if got else None


def refuted_claim(a) -> bool:
    """(round 13, helper route) The asked sentence ASSERTS that a rule does not apply — the analysis reads the premise
    not_needed (「許可なしで出荷できる」「規制対象外」「関係ない」 "we don't need a licence") and the sentence is worded as an
    assertion or asks to have it confirmed (「…ってことでいいんだよね？」「…と判断して大丈夫ですよね？」 "…, right?",
    anpo.leads.confirms) — on a route (the deal checklist, the product check) whose first cited sentence says the rule
    MAY apply (「…によっては許可が必要になります」「…に当たる可能性があります」「ヒットしなかったことだけでは…非該当とは
    言えない」).  That sentence refutes the certainty asserted: the lead is いいえ, not 「一概には言えません」 (a plain
    question, 「許可いる？」 「少額だから許可いらない？」, still depends).  A question word asks something else: no."""
    from anpo import leads
    from anpo.analysis import asked_sentence, load_rules
    if a.parts:
        return False
    # (round 14) asked whether it is fine to go on skipping a step (asks_if_fine + deal_fields.tsv skip_told: 「…そのまま出荷
    # しちゃっていいかな？」「ソフトのほうは判定せずに出していいですか？」「とりあえず予定通り出荷しちゃっていい？」) asserts no rule
    # as much as 「許可なしで出荷できるよね？」 does
    skipping = skips_a_step(a.question)
    if a.premise != "not_needed" and not skipping:
        return False
    # a way a licence may really be spared (deal_fields.tsv exemption_word: 少額, 特例, 包括) told as the reason makes the
    # claim conditional, not false: 「少額なので許可はいらないですよね？」 still depends (tests/test_product_breadth.py)
    exempt = _fields().get("exemption_word")
    if exempt is not None and exempt.search(normalize(a.question or "")):
        return False
    asked = asked_sentence(normalize(a.question or ""))
    if load_rules().premise["wh"].search(leads.after_reasons(asked)):
        return False        # (round 14) a question word in the reasons (「同梱するだけなんで、」 'since') asks nothing
    return bool(skipping or a.asserting or leads.confirms(asked))


def skips_a_step(question: str) -> bool:
    """(round 14, helper route) The asked sentence asks whether it is fine (asks_if_fine) to go on skipping a step or as
    things are (deal_fields.tsv row skip_told: 「そのまま出荷しちゃっていいかな？」「ソフトのほうは判定せずに出していいですか？」
    「とりあえず予定通り出荷しちゃっていい？」 "can we just ship without classifying, that's fine right?"): a claim that the step
    is not needed, which a cited sentence saying it may be needed refutes (refuted_claim)."""
    from anpo.analysis import asked_sentence
    skip = _fields().get("skip_told")
    return skip is not None and bool(skip.search(asked_sentence(normalize(question or "")))) and asks_if_fine(question)


def asks_what_the_act_is(a) -> bool:
    """(round 14, helper route) A deal told, and what its asked sentence asks (after its reasons) is whether the act told is
    an export or a provision of technology at all (family applies, deal_fields.tsv row act_asked: 「見せるだけで売らないし
    持って帰るから、これは輸出に当たらないってことでOK？」「タダなら輸出にならないよね？」 "does it even count as an
    export?"): the pack's sentences on what counts answer it, not the deal's checklist."""
    from anpo import leads
    from anpo.analysis import asked_sentence
    act = _fields().get("act_asked")
    asked = leads.after_reasons(asked_sentence(normalize(a.question or "")))
    fam, _ = leads.asked(asked)
    return act is not None and fam is not None and fam.name == "applies" and bool(act.search(leads.proposition(asked)))


def asks_as_usual(question: str) -> bool:
    """(round 13, helper route) The asked sentence asks to go on as usual (deal_fields.tsv row as_usual: 「普通に輸出して
    大丈夫？」「いつも通り出荷していい？」 "ship them as usual?"): for a banned destination, a case the ban excepts is no
    "as usual" — the exception is a special approval — so the ban, not its exception, answers first."""
    from anpo.analysis import asked_sentence
    pat = _fields().get("as_usual")
    return pat is not None and bool(pat.search(asked_sentence(normalize(question or ""))))


def asks_if_fine(question: str) -> bool:
    """(round 14, helper route) The asked clause ENDS by asking whether it is fine (deal_fields.tsv row fine_asked: 「…少額だから
    大丈夫だよね？」「…日用品なら送ってもいいって聞いた。そうなの？」 "…is fine, right?"): its last predicate is the one asked,
    whatever else the clause says before it (「間に中国企業が入る」 reads as 「入る」 'is covered', 「禁止なのは武器だけ」 as 'banned?').
    Only particles or a hearsay tail (row hearsay_tail: 「って聞いた」「本当？」 "is that right?") may follow; a tail that negates
    it (「大丈夫じゃない？」) asks the opposite.  A confirm tail (「…ってことでいい？」) is no asking whether it is fine
    (anpo.leads.proposition drops it first)."""
    from anpo import leads
    from anpo.analysis import asked_clause
    rows = _fields()
    fine, hear = rows.get("fine_asked"), rows.get("hearsay_tail")
    q = leads.proposition(leads.after_reasons(asked_clause(normalize(question or ""))))
    m = _last_match(fine, q)
    if m is None:
        return False
    rest = hear.sub("", q[m.end():]) if hear is not None else q[m.end():]
    return bool(re.fullmatch(r"[ぁ-んー。、,.!！\s]{0,10}[?？]?\s*", rest)) and not re.search(r"ない|なく|\bnot\b", rest)


def _asserted_somewhere(question: str) -> bool:
    """(round 13, helper route) Some sentence of the question, not only the last, is worded as an assertion asked to be
    agreed with (intents.yaml premise asserting: 「…要るんだよね？ベトナム出身の技術者が3人いるんだけど」)."""
    from anpo.analysis import load_rules
    pat = load_rules().premise["asserting"]
    return any(pat.search(p.strip()) for p in re.split(r"(?<=[？?])", normalize(question or "")) if p.strip())


def classification_delegated(question: str) -> bool:
    """(round 13, helper route) The question claims or asks that the authority classifies the goods for the exporter
    (deal_fields.tsv rows authority and classification_delegated both told: 「経産省に図面送ればそっちで判定してもらえる
    んですよね？」「役所に資料を送れば向こうで該当か非該当か決めてくれる」 "ask METI to do the classification for us"): the
    cited duty (recipe product_check_needed: the ministry does not classify; the exporter does) answers it いいえ."""
    rows = _fields()
    who, does, what = rows.get("authority"), rows.get("classification_delegated"), rows.get("classification_word")
    q = normalize(question or "")
    return who is not None and does is not None and what is not None and bool(who.search(q)) and bool(does.search(q)) \
        and bool(what.search(q))
