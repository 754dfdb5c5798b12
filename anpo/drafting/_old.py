"""Drafted documents for one company: an internal export-control rule (輸出管理内部規程, CP)
and an advisor's visit brief, both tailored by a company profile (YAML, see CONTRACT.md).

The text is written here as rule templates; the *grounds* come from the knowledge index:
criteria rows of the 輸出者等遵守基準 table found by their fields (tier, title), list-control
rows, destination-group rows and case studies found by kind, other passages by retrieval.
Every `[n]` marker points to a citation built from an indexed chunk, and `check_draft`
verifies that, the same way `anpo.answering.check_citations` does for answers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from anpo.answering import MARKER, check_citations
from anpo.errors import AnpoError, BadInputError
from anpo.models import Answer, Citation
from retrieval.textnorm import sentence_spans
from retrieval.types import Chunk

SMALL_COMPANY = 60          # at or under this many employees, one person may hold several roles
LIST_GOODS = ("yes", "no", "unknown")


# ----------------------------------------------------------------- the profile

@dataclass(frozen=True)
class Product:
    name: str
    description: str = ""


@dataclass(frozen=True)
class CompanyProfile:
    company: str
    industry: str = ""
    employees: int | None = None
    products: tuple[Product, ...] = ()
    exports_to: tuple[str, ...] = ()
    list_goods: str = "unknown"             # yes | no | unknown
    technology_transfer: bool = False
    foreign_staff: bool = False
    overseas_subsidiaries: tuple[str, ...] = ()
    has_cp: bool = False
    officer: str | None = None

    @property
    def small(self) -> bool:
        return self.employees is not None and self.employees <= SMALL_COMPANY


def _text(data: dict, key: str, required: bool = False) -> str:
    v = data.get(key)
    if v is None or (isinstance(v, str) and not v.strip()):
        if required:
            raise BadInputError(f"profile field '{key}' is missing; give the company name, e.g. `{key}: 株式会社サンプル`")
        return ""
    if isinstance(v, (dict, list, bool)):
        raise BadInputError(f"profile field '{key}' must be text")
    return str(v).strip()


def _flag(data: dict, key: str) -> bool:
    v = data.get(key)
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("true", "yes", "はい", "あり"):
        return True
    if isinstance(v, str) and v.strip().lower() in ("false", "no", "いいえ", "なし"):
        return False
    raise BadInputError(f"profile field '{key}' must be true or false")


def _names(data: dict, key: str) -> tuple[str, ...]:
    """A list of places; a single string may separate them with 、 or commas."""
    v = data.get(key)
    if v is None or v is False:
        return ()
    if isinstance(v, str):
        return tuple(s.strip() for s in re.split(r"[、,，/]", v) if s.strip())
    if isinstance(v, list) and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in v):
        return tuple(str(x).strip() for x in v if str(x).strip())
    raise BadInputError(f"profile field '{key}' must be a list of countries or regions, e.g. `{key}: [中国, タイ]`")


def _employees(data: dict) -> int | None:
    v = data.get("employees")
    if v is None:
        return None
    if isinstance(v, str) and re.fullmatch(r"\s*\d+\s*(名|人)?\s*", v):
        v = int(re.sub(r"\D", "", v))
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or v != int(v):
        raise BadInputError("profile field 'employees' must be a number (a whole number of people, e.g. `employees: 60`)")
    return int(v)


def _list_goods(data: dict) -> str:
    v = data.get("list_goods")
    if v is None:
        return "unknown"
    if v is True:                       # YAML reads a bare yes/no as a boolean
        return "yes"
    if v is False:
        return "no"
    s = str(v).strip().lower()
    s = {"はい": "yes", "あり": "yes", "いいえ": "no", "なし": "no", "不明": "unknown", "未確認": "unknown"}.get(s, s)
    if s not in LIST_GOODS:
        raise BadInputError("profile field 'list_goods' must be yes, no or unknown")
    return s


def _products(data: dict) -> tuple[Product, ...]:
    v = data.get("products")
    if v is None:
        return ()
    if not isinstance(v, list):
        raise BadInputError("profile field 'products' must be a list of items with a name and a description")
    out = []
    for i, p in enumerate(v, 1):
        if isinstance(p, str) and p.strip():
            out.append(Product(p.strip()))
        elif isinstance(p, dict) and isinstance(p.get("name"), (str, int)) and str(p["name"]).strip():
            d = p.get("description")
            if d is not None and not isinstance(d, (str, int, float)):
                raise BadInputError(f"profile field 'products' item {i} has a description that is not text")
            out.append(Product(str(p["name"]).strip(), "" if d is None else str(d).strip()))
        else:
            raise BadInputError(f"profile field 'products' item {i} needs a name (e.g. `- name: 高精度ボールねじ`)")
    return tuple(out)


def parse_profile(data) -> CompanyProfile:
    """A profile from already-parsed YAML.  Unknown keys are ignored."""
    if not isinstance(data, dict):
        raise BadInputError("the profile must be a YAML mapping with at least the field 'company'")
    subs = data.get("overseas_subsidiaries")
    return CompanyProfile(
        company=_text(data, "company", required=True),
        industry=_text(data, "industry"),
        employees=_employees(data),
        products=_products(data),
        exports_to=_names(data, "exports_to"),
        list_goods=_list_goods(data),
        technology_transfer=_flag(data, "technology_transfer"),
        foreign_staff=_flag(data, "foreign_staff"),
        overseas_subsidiaries=("海外",) if subs is True else _names(data, "overseas_subsidiaries"),
        has_cp=_flag(data, "has_cp"),
        officer=_text(data, "officer") or None,
    )


def load_profile(path) -> CompanyProfile:
    import yaml
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise BadInputError(f"the profile {p} cannot be read as UTF-8 text ({e.__class__.__name__})") from e
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        where = getattr(e, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        raise BadInputError(f"the profile {p} is not valid YAML{at}; check its indentation and colons") from e
    return parse_profile(data)


# ----------------------------------------------------------------- the document

@dataclass(frozen=True)
class DraftSection:
    key: str                            # stable name, e.g. "tech" (tests and the UI use it)
    heading: str                        # 第8条（技術提供の管理）, or a brief's section title
    paragraphs: tuple[str, ...]         # a CP article's 項 (lines inside are 号); may carry [n]
    note: str | None = None             # 「（解説）…に対応します [n]」


@dataclass(frozen=True)
class DraftDoc:
    kind: str                           # "cp" | "brief"
    title: str
    company: str
    preface: tuple[str, ...]
    sections: tuple[DraftSection, ...]
    citations: tuple[Citation, ...]
    not_covered: tuple[str, ...]
    notes: tuple[str, ...] = ()         # caveats about the sources (unconfirmed, old)
    knowledge_as_of: str | None = None

    def section(self, key: str) -> DraftSection | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def body(self) -> str:
        """All text that may carry markers, in reading order."""
        parts = list(self.preface)
        for s in self.sections:
            parts += [s.heading, *s.paragraphs, s.note or ""]
        return "\n".join(parts + list(self.notes) + list(self.not_covered))


def check_draft(doc: DraftDoc, lookup: Callable[[str], Chunk | None]) -> list[str]:
    """Problems with a draft's citations: markers without citations, citations that are not
    exactly an indexed passage, and citations no marker uses."""
    as_answer = Answer(question=doc.title, answer=doc.body, grounded=bool(doc.citations),
                       backend="drafting", citations=doc.citations)
    problems = check_citations(as_answer, lookup)
    used = {int(m) for m in MARKER.findall(doc.body)}
    problems += [f"citation [{c.n}] is never referred to" for c in doc.citations if c.n not in used]
    return problems


# ----------------------------------------------------------------- finding grounds

def _nf(s: str) -> str:
    return unicodedata.normalize("NFKC", s or "")


def _tier(s: str) -> str:
    return _nf(s).strip().upper()                # Ⅱ → II


class _Sources:
    """Numbers the chunks a draft cites, in order of first use."""

    def __init__(self):
        self._n: dict[str, int] = {}
        self._chunks: list[Chunk] = []

    def mark(self, chunk: Chunk | None) -> str:
        if chunk is None:
            return ""
        if chunk.chunk_id not in self._n:
            self._chunks.append(chunk)
            self._n[chunk.chunk_id] = len(self._chunks)
        return f"[{self._n[chunk.chunk_id]}]"

    def citations(self) -> tuple[Citation, ...]:
        return tuple(Citation(n=i, doc_id=c.doc_id, chunk_id=c.chunk_id, title=c.title, locator=c.locator,
                              text=c.text, url=c.url, effective_date=c.effective_date, issuer=c.issuer,
                              confirmed=c.confirmed) for i, c in enumerate(self._chunks, 1))


@dataclass(frozen=True)
class Criterion:
    key: str
    tier: str                    # "I" or "II"
    label: str                   # e.g. Ⅱ⑥「監査」
    chunk: Chunk | None


# key, tier, words one of which the row's title contains, name used when the row is missing
CRITERIA = (
    ("I-1", "I", ("該非確認責任者", "責任者"), "該非確認責任者"),
    ("I-2", "I", ("法令", "周知"), "最新法令の周知・指導"),
    ("II-1", "II", ("統括",), "統括責任者"),
    ("II-2", "II", ("体制",), "管理体制"),
    ("II-3", "II", ("該非",), "該非確認手続"),
    ("II-4", "II", ("用途", "需要者"), "用途・需要者確認"),
    ("II-5", "II", ("出荷",), "出荷時確認"),
    ("II-6", "II", ("監査",), "監査"),
    ("II-7", "II", ("研修", "教育"), "研修"),
    ("II-8", "II", ("子会社",), "子会社指導"),
    ("II-9", "II", ("文書", "保存"), "文書保存"),
    ("II-10", "II", ("違反", "報告"), "違反時の報告"),
)
_TIER_MARK = {"I": "Ⅰ", "II": "Ⅱ"}


class Grounds:
    """Looks up what a draft cites: table rows by their fields, other passages by retrieval.
    Never returns a chunk flagged as suspicious (instruction-like text)."""

    def __init__(self, assistant):
        self.assistant = assistant
        self.index = assistant.ensure_index()
        self.chunks: list[Chunk] = [c for c in self.index.chunks if not c.suspicious]

    def rows_with(self, *names: str) -> list[tuple[Chunk, dict]]:
        out = []
        for c in self.chunks:
            f = dict(c.fields)
            if all(f.get(n, "").strip() for n in names):
                out.append((c, {k: (v or "").strip() for k, v in f.items()}))
        return out

    def passage(self, query: str, any_of: Sequence[str], k: int = 8, kind: str | None = None,
                tables: bool = False) -> Chunk | None:
        """The best retrieved passage that contains one of `any_of` (so a loose match is
        never cited as support)."""
        try:
            hits = self.assistant.retriever().retrieve(query, k)
        except AnpoError:
            return None
        for h in hits:
            c = h.chunk
            if c.suspicious or (c.fields and not tables) or (kind and c.kind != kind):
                continue
            t = _nf(c.text)
            if any(_nf(w) in t for w in any_of):
                return c
        return None

    def criteria(self) -> dict[str, Criterion]:
        rows = [(c, f) for c, f in self.rows_with("tier", "title") if _tier(f["tier"]) in ("I", "II")]
        rows = [(c, dict(f, title=_nf(f["title"]))) for c, f in rows]
        out: dict[str, Criterion] = {}
        taken: set[str] = set()
        for key, tier, words, name in CRITERIA:
            found = None
            for c, f in rows:
                if _tier(f["tier"]) == tier and c.chunk_id not in taken and any(w in f["title"] for w in words):
                    found = (c, f"{_TIER_MARK[tier]}{f.get('no', '')}「{f['title']}」")
                    break
            if found is None:
                c = self.passage(f"輸出者等遵守基準 {name}", [w for w in words if len(w) >= 2], k=10, tables=True)
                if c is not None and dict(c.fields).get("kouban"):
                    c = None
                found = (c, f"{_TIER_MARK[tier]}「{name}」")
            if found[0] is not None:
                taken.add(found[0].chunk_id)
            out[key] = Criterion(key, tier, found[1], found[0])
        return out

    def overview(self) -> Chunk | None:
        for c, f in self.rows_with("tier", "title"):
            if _tier(f["tier"]) not in ("I", "II") and "遵守基準" in c.text:
                return c
        return self.passage("輸出者等遵守基準 不正輸出 未然 防止", ["遵守基準"])


# ----------------------------------------------------------------- the CP

def _fmt_labels(items: list[str]) -> str:
    return "・".join(items)


def _note(crits: Sequence[Criterion], src: _Sources, goods: str, extras: Sequence[tuple[str, Chunk | None]] = ()) -> str | None:
    """「（解説）輸出者等遵守基準の…に対応します [n]。」 plus related passages."""
    parts = []
    tier2_only_advised = False
    for c in crits:
        m = src.mark(c.chunk)
        if m:
            parts.append(f"{c.label} {m}")
        else:
            parts.append(f"{c.label}（ナレッジベースに該当する行なし）")
        if c.tier == "II" and goods == "no":
            tier2_only_advised = True
    text = ""
    if parts:
        text = f"（解説）輸出者等遵守基準の{_fmt_labels(parts)}に対応します。"
        if tier2_only_advised:
            text += "遵守基準Ⅱはリスト規制品を扱う者の基準のため、現在リスト規制品を扱わない当社にとっては推奨事項です。"
    rel = [f"{label} {src.mark(ch)}" for label, ch in extras if ch is not None]
    if rel:
        text = (text or "（解説）") + f"関連する資料: {'、'.join(rel)}。"
    return text or None


def _article_numbering(sections: list[tuple[str, str, list[str], str | None]]) -> tuple[DraftSection, ...]:
    out = []
    n = 0
    for key, title, paras, note in sections:
        if key == "supplementary":
            out.append(DraftSection(key, "附則", tuple(paras), note))
            continue
        n += 1
        out.append(DraftSection(key, f"第{n}条（{title}）", tuple(paras), note))
    return tuple(out)


def _goods_text(goods: str) -> str:
    return {"yes": "扱う", "no": "扱わない", "unknown": "未確認"}[goods]


def draft_cp(profile: CompanyProfile, assistant) -> DraftDoc:
    g = Grounds(assistant)
    cr = g.criteria()
    src = _Sources()
    goods = profile.list_goods
    C = profile.company
    officer = profile.officer or "【代表取締役】"
    P = lambda q, words: g.passage(q, words)       # noqa: E731 - short local helper

    arts: list[tuple[str, str, list[str], str | None]] = []

    arts.append(("purpose", "目的", [
        f"この規程は、{C}（以下「当社」という。）が行う貨物の輸出及び技術の提供（以下「輸出等」という。）に関し、"
        "外国為替及び外国貿易法（以下「外為法」という。）その他の関係法令を遵守し、国際的な平和及び安全の維持を"
        "妨げるおそれのある取引を未然に防止するため、輸出管理に関し必要な事項を定めることを目的とする。",
    ], _note([], src, goods, [("輸出者等遵守基準の趣旨", g.overview())])))

    arts.append(("scope", "適用範囲", [
        "この規程は、当社の役員及び従業者（派遣社員、契約社員及びパートタイマーを含む。以下同じ。）が行う全ての輸出等に適用する。",
        "前項の輸出等には、展示会への出品や無償サンプルの送付のための持出し、修理品の返送、手荷物による携行、"
        "並びに電子メール、クラウドサービス、記録媒体及び口頭による技術の提供を含む。",
    ], _note([], src, goods, [("貨物の輸出・技術の提供に当たる行為",
                               P("展示会 サンプル 持ち出し 貨物の輸出 技術の提供", ["輸出に当たり", "輸出に含まれ", "技術の提供"]))])))

    arts.append(("policy", "基本方針", [
        "当社は、外為法その他の関係法令に違反する輸出等を行わない。",
        "当社は、リスト規制に該当する貨物又は技術の輸出等を、必要な許可を取得することなく行わない。",
        "当社は、リスト規制に該当しない貨物又は技術であっても、大量破壊兵器等又は通常兵器の開発等に用いられるおそれがあることを"
        "知った場合、又は経済産業大臣から許可申請をすべき旨の通知を受けた場合には、必要な許可を取得することなく輸出等を行わない。",
    ], _note([cr["I-2"]], src, goods, [("キャッチオール規制", P("キャッチオール規制 補完的輸出規制 リスト規制以外", ["キャッチオール"]))])))

    org = [
        f"当社の輸出管理の最高責任者（以下「統括責任者」という。）は、{officer}とする。",
        "統括責任者は、輸出管理の実施について最終的な責任を負い、次に掲げる者を指名する。\n"
        "一　該非確認責任者（輸出等を行う貨物及び技術がリスト規制に該当するか否かの確認について責任を負う者）【氏名・役職】\n"
        "二　取引審査責任者【部署名・役職】\n"
        "三　出荷管理責任者【部署名・役職】",
        "輸出管理の業務分担及び報告の経路は、別表【輸出管理体制図】のとおりとする。",
    ]
    if profile.small:
        org.append(f"当社は従業者が{profile.employees}名と少人数であるため、統括責任者は、第2項各号に掲げる者を兼ねることができ、"
                   "一人が複数の役割を兼ねることができる。ただし、兼務する場合であっても、該非確認及び取引審査の記録はそれぞれ作成する。")
    elif profile.employees is not None:
        org.append("輸出管理に関する事務を統括するため、【輸出管理室】を置く。輸出管理室は、営業部門から独立した立場で取引審査を行う。")
    small_ref = P("小規模 企業 兼務 一人 複数の役割 体制", ["兼"]) if profile.small else None
    arts.append(("organization", "組織及び統括責任者", org,
                 _note([cr["II-1"], cr["II-2"]], src, goods, [("小規模な企業の体制", small_ref)])))

    cls = [
        "該非確認責任者は、当社が輸出等を行う全ての貨物及び技術について、輸出等を行う前に、その時点で施行されている"
        "輸出貿易管理令別表第1及び外国為替令別表に照らし、リスト規制に該当するか否かを確認（以下「該非確認」という。）し、"
        "その結果を【該非判定書】に記録する。",
        "該非確認は、仕様を変更したとき、関係法令が改正されたとき及び新たな取引を始めるときに改めて行う。",
        "他社が製造した貨物を輸出等する場合は、製造者から該非判定書等を入手し、その内容を確認したうえで判断する。",
    ]
    if goods == "no":
        cls.append("当社は現在リスト規制に該当する貨物等を取り扱っていないが、新たな貨物又は技術を取り扱うときは、必ず該非確認を行う。"
                   "非該当と確認した貨物等であっても、第6条に定める取引審査を行う。")
    elif goods == "unknown":
        cls.append("当社の取扱品にリスト規制に該当するものが含まれるか否かは確認中であるため、該非確認責任者は、"
                   "この規程の施行後【3か月】以内に、全ての取扱品及び提供する技術について該非確認を行う。")
    arts.append(("classification", "該非確認", cls, _note(
        [cr["I-1"], cr["II-3"]], src, goods,
        [("該非判定の進め方", P("該非判定 最新 リスト 輸出者の責任", ["該非判定"]))])))

    arts.append(("screening", "取引審査・用途及び需要者の確認", [
        "取引審査責任者は、輸出等の契約を締結する前に、【取引審査票】により次に掲げる事項を確認する。\n"
        "一　需要者（最終的に使用する者）及び用途\n"
        "二　需要者が経済産業省の外国ユーザーリストに掲載されていないこと\n"
        "三　大量破壊兵器等又は通常兵器の開発等に用いられるおそれの有無（キャッチオール規制の用途要件及び需要者要件）\n"
        "四　仕向地の区分（グループA（輸出令別表第3）に該当するか、国連武器禁輸国・地域に該当するか）",
        "前項の審査は、リスト規制に該当しない貨物及び技術についても行う。",
        "需要者以外の者（荷受人、仲介者等）から用途又は需要者に関する情報を得る場合には、その情報の信頼性を確認する。",
        "審査の結果、懸念がある場合又は判断がつかない場合には、統括責任者の判断を得るまで取引を進めてはならない。"
        "統括責任者は、必要に応じて経済産業省に相談する。",
    ], _note([cr["II-4"]], src, goods, [
        ("外国ユーザーリスト", P("外国ユーザーリスト 需要者 確認 掲載", ["外国ユーザーリスト"])),
        ("キャッチオール規制の客観要件", P("キャッチオール規制 客観要件 用途要件 需要者要件 確認", ["用途要件", "需要者要件", "客観要件"])),
    ])))

    arts.append(("shipping", "出荷管理", [
        "出荷管理責任者は、出荷の際に、出荷する貨物が該非確認及び取引審査を経たものと一致していること、"
        "並びに必要な許可を取得していることを確認する。",
        "出荷管理責任者は、不一致その他の疑義を認めたときは、出荷を止め、直ちに統括責任者に報告する。",
    ], _note([cr["II-5"]], src, goods)))

    if profile.technology_transfer:
        arts.append(("tech", "技術提供の管理", [
            "技術（設計図、仕様書、製造及び検査の手順、ソフトウェアその他のプログラムを含む。）を提供する場合は、"
            "その方法にかかわらず、第5条の該非確認及び第6条の取引審査を行う。",
            "前項の提供には、次に掲げるものを含む。\n"
            "一　電子メールによる送付\n"
            "二　クラウドサービス、共有フォルダ等への保存及び共有設定（海外からの閲覧を含む。）\n"
            "三　図面、仕様書等の郵送、手渡し及び記録媒体による持出し\n"
            "四　来訪者の工場見学、技術指導及び会議での説明、並びに海外出張先での説明",
            "技術を提供する担当者は、提供の前に【技術提供確認票】を作成し、該非確認責任者の確認を受ける。",
            "クラウドサービス等の利用に当たっては、技術情報へのアクセス権を必要な者に限り、その記録を残す。",
        ], _note([cr["II-3"]], src, goods, [
            ("技術の提供に当たる行為", P("技術の提供 電子メール クラウド 設計図 送付", ["技術の提供", "技術提供"])),
        ])))

    if profile.foreign_staff:
        arts.append(("deemed", "外国人従業者等への技術提供の管理・みなし輸出", [
            "当社は、外国籍の者を雇用し、又は研修生、派遣社員等として受け入れるときは、その採用又は受入れの時に、"
            "その者が居住者又は非居住者のいずれに当たるか、及び外国政府、外国法人等との雇用契約その他の契約により"
            "その支配下にある者（特定類型に該当する者）であるか否かを、本人からの【申告書・誓約書】等により確認する。",
            "リスト規制に該当する技術へのアクセスを認める前に、該非確認責任者は、前項の確認の結果に基づき、"
            "役務取引許可の要否を確認する。",
            "前二項の確認は、配置転換、研究開発への参加、技術情報システムのアクセス権の付与及び兼業の申出の際にも行う。",
        ], _note([], src, goods, [
            ("みなし輸出", P("みなし輸出 居住者 非居住者 技術提供", ["みなし輸出"])),
            ("特定類型", P("特定類型 外国政府 雇用契約 指揮命令 支配", ["特定類型"])),
        ])))

    audit = [
        "統括責任者は、【年1回】以上、輸出管理がこの規程に従って行われているかについて、監査を行わせる。",
        "統括責任者は、監査の結果、不備を認めたときは、改善を指示し、その結果を確認する。",
    ]
    if profile.small:
        audit.insert(1, "監査は、輸出等の業務を行う者以外の者が行うことが望ましいが、当社の規模に照らし、"
                        "【外部の専門家（アドバイザー等）】の支援を受けて行うことができる。")
    arts.append(("audit", "監査", audit, _note([cr["II-6"]], src, goods)))

    arts.append(("training", "教育", [
        "統括責任者は、輸出等の業務に従事する者に対し、最新の関係法令及びこの規程に関する教育を【年1回】以上行う。",
        "関係法令又はリスト規制が改正されたときは、統括責任者は、速やかにその内容を関係する従業者に周知し、必要な指導を行う。",
    ], _note([cr["I-2"], cr["II-7"]], src, goods)))

    arts.append(("records", "文書の保存", [
        "輸出等に関する文書（該非判定書、取引審査票、許可証、出荷の記録、技術提供確認票、監査及び教育の記録を含む。）は、"
        "【5年】以上、電子媒体又は紙により、検索できる状態で保存する。",
    ], _note([cr["II-9"]], src, goods, [("文書保存の期間", P("文書 保存 期間 5年 関税法", ["保存"]))])))

    if profile.overseas_subsidiaries:
        where = "・".join(profile.overseas_subsidiaries)
        arts.append(("subsidiaries", "子会社及び関連会社の指導", [
            f"当社は、子会社（{where}の海外子会社を含む。）が輸出等の業務に関わる場合、当該子会社に対し、"
            "輸出管理の体制及び手続の整備について指導を行う。",
            "子会社への技術の提供（図面、仕様書の送付及びクラウドでの共有を含む。）並びに子会社からの再輸出についても、"
            "この規程に従って該非確認及び取引審査を行う。",
            "統括責任者は、【年1回】以上、子会社の輸出管理の実施状況を確認し、必要な指導を行う。",
        ], _note([cr["II-8"]], src, goods, [
            ("海外子会社への技術提供", P("海外子会社 図面 仕様書 送る 技術提供", ["子会社"])),
        ])))

    arts.append(("violation", "違反時の報告と再発防止", [
        "役員及び従業者は、関係法令又はこの規程に違反し、又は違反したおそれがあることを知ったときは、直ちに統括責任者に報告する。",
        "統括責任者は、関係法令に違反し、又は違反したおそれがあるときは、速やかに経済産業大臣（【経済産業省の担当窓口】）に報告し、"
        "原因を究明して再発防止のために必要な措置を講じる。",
        "報告をした者は、報告をしたことを理由として不利益な取扱いを受けない。",
    ], _note([cr["II-10"]], src, goods, [("違反に気づいたときの対応", P("違反 報告 自主的 経済産業省 事後審査", ["報告"]))])))

    supp = ["この規程は、【施行日】から施行する。",
            "この規程の改廃は、統括責任者の承認を得て行う。"]
    if profile.has_cp:
        supp.append("この規程の施行に伴い、【現行の輸出管理内部規程の名称】は廃止する。")
    arts.append(("supplementary", "", supp, None))

    preface = [
        f"{C}（従業者{profile.employees if profile.employees is not None else '【 】'}名、リスト規制品: {_goods_text(goods)}）向けの"
        "輸出管理内部規程の草案です。【 】の箇所は貴社で記入してください。各条の後の（解説）は、その条が対応する"
        "輸出者等遵守基準と出典を示すもので、規程の本文ではありません。",
        {"yes": "リスト規制品を扱うため、遵守基準のⅠ（すべての輸出者等）とⅡ（リスト規制品の輸出等を行う者）の全項目を条文にしています。",
         "unknown": "リスト規制品を扱うかどうかが未確認のため、遵守基準のⅠに加えてⅡの項目も条文にしています。"
                    "該非確認の結果リスト規制品があれば、その時点からⅡの基準が適用されるため、あらかじめ備えておく考え方です。",
         "no": "リスト規制品を扱わないため、法的に求められるのは遵守基準のⅠ（該非確認責任者、最新法令の周知・指導）です。"
               "ただし、キャッチオール規制はリスト規制品以外の貨物・技術にも及ぶため、取引審査などⅡに相当する条文も推奨事項として含めています。",
         }[goods],
    ]
    if profile.small:
        preface.append(f"従業者{profile.employees}名の規模に合わせ、一人が複数の役割を兼ねられる体制にしています（第4条）。")
    if profile.has_cp:
        preface.insert(0, "【見直し用草案】貴社は既に輸出管理内部規程をお持ちのため、この草案は現行規程を条文ごとに突き合わせて見直すためのものです。")

    not_covered = [
        "包括許可（一般包括許可・特別一般包括許可など）の取得と運用の具体的な手続",
        "個々の貨物・技術の該非判定の技術的な中身（仕様と規制値の照合）",
        "輸出許可・役務取引許可の申請書類の作成と電子申請（NACCS）の操作",
        "該非判定書・取引審査票・技術提供確認票・輸出管理体制図などの様式そのもの",
        "輸出管理内部規程の経済産業省への届出（CP受理票）の手続",
        "外国の法令（米国の再輸出規制など）への対応",
    ]
    if not profile.technology_transfer:
        not_covered.append("技術提供の管理の詳細（プロファイル上、技術提供はないとされています。始める場合は条文の追加が必要です）")
    if not profile.foreign_staff:
        not_covered.append("みなし輸出・特定類型の確認（プロファイル上、外国人従業者はいないとされています）")
    if not profile.overseas_subsidiaries:
        ref = src.mark(cr["II-8"].chunk)
        not_covered.append(f"子会社・関連会社の指導（遵守基準{cr['II-8'].label}{' ' + ref if ref else ''}。"
                           "プロファイル上、海外子会社はないとされています。子会社が輸出等に関わる場合は条文の追加が必要です）")

    title = f"{C} 輸出管理内部規程（{'見直し用草案' if profile.has_cp else '草案'}）"
    return _finish("cp", title, C, preface, _article_numbering(arts), src, not_covered, assistant)


# ----------------------------------------------------------------- the brief

_GENERIC = {"装置", "部分品", "機器", "材料", "製品", "設備", "部品", "製造装置", "試験装置", "制御装置", "附属品",
            "原料", "物質", "組立品", "モジュール", "削除", "その他", "用途", "製造", "設計", "測定", "試験",
            "制御", "加工", "部分", "製造用", "設計・製造", "システム", "ソフトウェア", "プログラム", "技術"}
_CJK_RUN = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff\u3400-\u9fff]+|[A-Za-z0-9]+")   # not ・


def _terms(row: dict) -> list[tuple[str, int]]:
    """(word, weight) to look for in a product: example words and the whole item name weigh 3,
    a fragment of the item name (split at ・、 and the like) 2."""
    out: dict[str, int] = {}
    name = re.sub(r"(等|他|類)$", "", row.get("item_name", ""))
    if len(name) >= 2 and name not in _GENERIC:
        out[name] = 3
    ex = (row.get("examples") or "") + "、" + re.sub(r"^主な製品例[:：]\s*", "", row.get("examples_text") or "")
    for part in re.split(r"[、,，。]+", ex):
        part = part.strip()
        if len(part) >= 2 and part not in _GENERIC:
            out[part] = 3
    for part in re.split(r"(?:[・、,，/（）()\s]|又は|若しくは|及び|並びに|その他)+", row.get("item_name", "")):
        part = re.sub(r"(等|他|類)$", "", part)
        if len(part) >= 2 and part not in _GENERIC:
            out.setdefault(part, 2)
    return list(out.items())


def _common_word(a: str, b: str) -> str:
    """The longest run of kana/kanji/latin shared by a and b."""
    from difflib import SequenceMatcher
    best = ""
    for ra in _CJK_RUN.findall(a):
        for rb in _CJK_RUN.findall(b):
            m = SequenceMatcher(None, ra, rb, autojunk=False).find_longest_match(0, len(ra), 0, len(rb))
            if m.size > len(best):
                best = ra[m.a:m.a + m.size]
    return best


def _bigrams(s: str) -> set[str]:
    out = set()
    for run in _CJK_RUN.findall(_nf(s)):
        out |= {run[i:i + 2] for i in range(len(run) - 1)}
    return out


@dataclass(frozen=True)
class ListMatch:
    chunk: Chunk
    label: str          # 6項(2)「数値制御工作機械」
    reason: str
    strength: int       # 3 = an example word or the item name is in the product, 2 = part of the name, 1 = weaker
    length: int = 0     # length of the matching word (longer is more specific)


def match_list_rows(product: Product, industry: str, g: Grounds, limit: int = 4) -> list[ListMatch]:
    """List-control rows a product may touch: an item name, example word or part of the name
    inside the product's name or description; else inside the industry; or a row that
    retrieval finds and that shares a word of three or more characters with the product."""
    text = _nf(f"{product.name} {product.description}")
    ind = _nf(industry)
    found: dict[str, ListMatch] = {}
    rows = [(c, f) for c, f in g.rows_with("kouban", "item_name") if "削除" not in f["item_name"]]

    def label(f):
        return f"{f['kouban']}項{f.get('item_no', '')}「{f['item_name']}」"

    for c, f in rows:
        hits = [(w, t) for t, w in _terms({k: _nf(v) for k, v in f.items()}) if t in text]
        if hits:
            t = max(hits, key=lambda x: (len(x[1]), x[0]))[1]        # name the most specific word
            found[c.chunk_id] = ListMatch(c, label(f), f"製品の名称・説明に「{t}」が含まれるため",
                                          max(w for w, _ in hits), len(t))
    if not found and ind:            # the industry only speaks when the product itself says nothing
        for c, f in rows:
            hits = [(w, t) for t, w in _terms({k: _nf(v) for k, v in f.items()}) if w == 3 and t in ind]
            if hits:
                t = max(hits, key=lambda x: len(x[1]))[1]
                found[c.chunk_id] = ListMatch(c, label(f), f"業種「{industry}」に「{t}」が含まれるため", 1, len(t))
    try:
        hits = g.assistant.retriever().retrieve(f"リスト規制 {product.name} {product.description}", 10)
    except AnpoError:
        hits = []
    for h in hits:
        f = dict(h.chunk.fields)
        if not f.get("kouban") or not f.get("item_name") or h.chunk.chunk_id in found or h.chunk.suspicious:
            continue
        word = _common_word(text, _nf(f["item_name"]))
        if len(word) >= 3 and word not in _GENERIC:
            found[h.chunk.chunk_id] = ListMatch(h.chunk, label(f), f"検索による候補: 項目名と製品の説明に「{word}」が共通するため",
                                                1, len(word))
    ranked = sorted(found.values(), key=lambda m: (-m.strength, -m.length, _kouban_order(m.chunk)))
    return ranked[:limit]


def _kouban_order(c: Chunk) -> tuple:
    f = dict(c.fields)
    k = _nf(f.get("kouban", ""))
    m = re.match(r"(\d+)", k)
    return (int(m.group(1)) if m else 99, k, f.get("item_no", ""))


_ALIASES = {"米国": "アメリカ合衆国", "アメリカ": "アメリカ合衆国", "韓国": "大韓民国", "イギリス": "英国",
            "オランダ王国": "オランダ", "北朝鮮": "北朝鮮", "朝鮮民主主義人民共和国": "北朝鮮"}


def destination_rows(country: str, g: Grounds) -> list[Chunk]:
    name = _ALIASES.get(_nf(country).strip(), _nf(country).strip())
    return [c for c, f in g.rows_with("country", "group") if _nf(f["country"]) == name]


@dataclass(frozen=True)
class CaseMatch:
    doc_id: str
    title: str
    chunks: tuple[Chunk, ...]
    reasons: tuple[str, ...]


_ISSUES = (
    ("foreign_staff", r"みなし輸出|外国人|留学生|特定類型", "外国人の受入れ・みなし輸出"),
    ("technology_transfer", r"技術提供|技術の提供|図面|技術データ|クラウド", "技術提供"),
    ("overseas_subsidiaries", r"子会社|現地法人", "海外子会社"),
    ("list_goods", r"該非", "該非判定"),
    ("no_cp", r"規程|CP|体制|役割分担", "体制づくり"),
)


def closest_case(profile: CompanyProfile, g: Grounds) -> CaseMatch | None:
    """The case study closest to the company by industry words, size and issues."""
    docs: dict[str, list[Chunk]] = {}
    for c in g.chunks:
        if c.kind == "case":
            docs.setdefault(c.doc_id, []).append(c)
    if not docs:
        hit = g.passage(f"アドバイザー派遣 活用事例 {profile.industry}", ["事例", "支援"], kind="case")
        if hit is None:
            return None
        docs = {hit.doc_id: [c for c in g.chunks if c.doc_id == hit.doc_id]}
    pb = _bigrams(" ".join([profile.industry] + [f"{p.name} {p.description}" for p in profile.products]))
    best = None
    for doc_id, chunks in docs.items():
        text = _nf(chunks[0].title + " " + " ".join(c.text for c in chunks))
        reasons = []
        shared = pb & _bigrams(text)
        score = len(shared) / max(1, len(pb)) * 3
        if shared:
            words = sorted(w for w in _CJK_RUN.findall(_nf(profile.industry)) if len(w) >= 2 and w in text)
            reasons.append(f"業種・製品が近い（{'、'.join(words)}）" if words else "業種・製品の語が一部共通")
        m = re.search(r"(\d+)\s*(?:名|人)", text)
        if m and profile.employees:
            size = int(m.group(1))
            ratio = min(size, profile.employees) / max(size, profile.employees, 1)
            score += 2 * ratio
            if ratio >= 0.5:
                reasons.append(f"規模が近い（{size}名）")
        issues = []
        for attr, pat, name in _ISSUES:
            want = (not profile.has_cp) if attr == "no_cp" else (
                profile.list_goods != "no" if attr == "list_goods" else bool(getattr(profile, attr)))
            if want and re.search(pat, text):
                score += 1
                issues.append(name)
        if issues:
            reasons.append(f"課題が共通（{'・'.join(issues)}）")
        key = (score, doc_id)
        if best is None or key > best[0]:
            best = (key, CaseMatch(doc_id, chunks[0].title, tuple(chunks), tuple(reasons)))
    return best[1] if best else None


def _first_sentence(c: Chunk) -> str:
    for s, e in sentence_spans(c.text):
        sent = c.text[s:e].strip()
        if len(sent) >= 8:
            return sent
    return c.text.strip()


def _lesson_chunk(case: CaseMatch) -> tuple[Chunk | None, Chunk | None]:
    """(the case's problem, what it teaches) by section names, else first and last."""
    def pick(*pats):
        for pat in pats:
            c = next((c for c in case.chunks if re.search(pat, c.locator)), None)
            if c is not None:
                return c
        return None
    problem = pick("課題", "背景", "概要") or case.chunks[0]
    lesson = pick("学べること|教訓|ポイント", "成果|支援後|効果", "支援") or case.chunks[-1]
    return problem, (lesson if lesson is not problem else None)


def draft_brief(profile: CompanyProfile, assistant) -> DraftDoc:
    g = Grounds(assistant)
    cr = g.criteria()
    src = _Sources()
    C = profile.company
    P = lambda q, words: g.passage(q, words)       # noqa: E731
    yes_no = lambda b: "あり" if b else "なし"       # noqa: E731
    sections: list[DraftSection] = []

    prods = "、".join(p.name for p in profile.products) or "【未記入】"
    size = f"従業者{profile.employees}名" if profile.employees is not None else "従業者数不明"
    sections.append(DraftSection("company", "1. 企業の概要", (
        f"{C}（{profile.industry or '業種未記入'}、{size}）。主な製品: {prods}。",
        f"輸出先: {'、'.join(profile.exports_to) or '未記入'}／リスト規制品: {_goods_text(profile.list_goods)}／"
        f"技術提供: {yes_no(profile.technology_transfer)}／外国人従業者: {yes_no(profile.foreign_staff)}／"
        f"海外子会社: {'、'.join(profile.overseas_subsidiaries) or 'なし'}／CP: {yes_no(profile.has_cp)}。",
    )))

    lc = []
    any_match = False
    for p in profile.products:
        ms = match_list_rows(p, profile.industry, g)
        if ms:
            any_match = True
            items = "、".join(f"{m.label} {src.mark(m.chunk)}（{m.reason}）" for m in ms)
            lc.append(f"・{p.name}: {items}に関係する可能性があります。")
        else:
            lc.append(f"・{p.name}: リスト規制一覧の項目名とは照合できませんでした。仕様に基づく該非判定で確認が必要です。")
    if not profile.products:
        lc.append("・製品がプロファイルに記入されていません。訪問時に主な製品と仕様を確認してください。")
    cls_ref = P("該非判定 仕様 リスト規制 対象外 輸出者の責任", ["該非判定"])
    lc.append("いずれも項目名との照合による「可能性」の指摘にすぎません。該当するかどうかは、貨物等省令の仕様（規制値）に"
              f"照らした該非判定で決まります {src.mark(cls_ref)}。".replace(" 。", "。"))
    if profile.list_goods == "no" and any_match:
        lc.append("プロファイルでは「リスト規制品なし」とされていますが、上の候補について該非判定の記録があるか確認してください。")
    sections.append(DraftSection("list_control", "2. リスト規制に関係しうる項番", tuple(lc)))

    case = closest_case(profile, g)
    if case is not None:
        problem, lesson = _lesson_chunk(case)
        paras = [f"最も近い事例: {case.title} {src.mark(problem)}。"
                 + (f"近いと考えた理由: {'、'.join(case.reasons)}。" if case.reasons else "")]
        paras.append(f"事例の課題: 「{_first_sentence(problem)}」{src.mark(problem)}")
        if lesson is not None:
            paras.append(f"この事例から学べること: 「{_first_sentence(lesson)}」{src.mark(lesson)}"
                         "　訪問時に、同様の取組みが当社でもできるかを確認します。")
    else:
        paras = ["ナレッジベースに近い事例が見つかりませんでした。"]
    sections.append(DraftSection("case", "3. 近い事例", tuple(paras)))

    risks = []
    if profile.list_goods != "no":
        if profile.list_goods == "unknown":
            risks.append(("リスト規制品を扱う可能性があり、該非判定が行われていなければ無許可輸出のおそれがあります。", cr["I-1"].chunk))
        else:
            risks.append(("リスト規制品を扱うため、遵守基準Ⅱの全項目（統括責任者・管理体制・該非確認手続・用途需要者確認・"
                          "出荷時確認など）が求められます。", cr["II-1"].chunk))
    if profile.technology_transfer:
        risks.append(("図面・仕様書・プログラムをメールやクラウドで海外へ送ることは技術の提供に当たり、役務取引許可が必要な場合があります。",
                      P("技術の提供 電子メール クラウド 設計図 送付", ["技術の提供", "技術提供"])))
    if profile.foreign_staff:
        risks.append(("外国人従業者への技術の開示は、非居住者に当たる場合や特定類型に該当する場合、みなし輸出として管理が必要です。",
                      P("みなし輸出 特定類型 居住者 非居住者", ["みなし輸出", "特定類型"])))
    if profile.overseas_subsidiaries:
        risks.append((f"海外子会社（{'・'.join(profile.overseas_subsidiaries)}）への図面・技術の共有と、子会社の輸出管理の指導が必要です。",
                      cr["II-8"].chunk or P("海外子会社 指導 技術提供", ["子会社"])))
    dest_rows = g.rows_with("country", "group")
    for country in profile.exports_to:
        rows = destination_rows(country, g)
        if rows:
            for c in rows:
                f = dict(c.fields)
                grp = f.get("group_label") or f"グループ{f['group']}"
                risks.append((f"仕向地 {country}: {grp}に当たります。", c))
        elif dest_rows:
            # the table may list only some groups, so absence proves nothing about the group
            risks.append((f"仕向地 {country}: 仕向地区分の表に掲載がありません。グループA（旧ホワイト国）かどうかを確認し、"
                          "グループA以外であれば、キャッチオール規制の用途・需要者の確認が必要です。",
                          P("キャッチオール規制 グループA以外 客観要件", ["キャッチオール"])))
        else:
            risks.append((f"仕向地 {country}: 仕向地区分をナレッジベースで確認できません。国名で区分を確認してください。", None))
    if not profile.has_cp:
        risks.append(("輸出管理内部規程（CP）がなく、責任者と手順が文書で決まっていない可能性があります。",
                      P("輸出管理内部規程 CP 体制 作り方", ["内部規程", "CP"])))
    sections.append(DraftSection("risks", "4. プロファイルから見えるリスク", tuple(
        f"・{t}{' ' + src.mark(c) if c is not None else ''}" for t, c in risks)))

    check = [
        ("該非確認責任者が決まっているか（氏名・役職）", cr["I-1"].chunk),
        ("最新の法令・リスト改正を従業者に周知し、指導しているか", cr["I-2"].chunk),
        ("全製品・提供技術の該非判定書があり、最新のリストで判定しているか", cr["II-3"].chunk),
        ("受注前に用途・需要者を確認し、外国ユーザーリストと照合しているか", cr["II-4"].chunk),
        ("出荷時に該非判定・取引審査を経た品と出荷品の一致を確認しているか", cr["II-5"].chunk),
        ("輸出関連文書を保存しているか（保存期間と場所）", cr["II-9"].chunk),
        ("違反やそのおそれに気づいたときの報告の経路が決まっているか", cr["II-10"].chunk),
    ]
    if profile.technology_transfer:
        check.append(("技術資料をメール・クラウドで送る前の確認手順と記録があるか", None))
    if profile.foreign_staff:
        check.append(("外国人の採用・受入れ時に居住性と特定類型を確認しているか", None))
    if profile.overseas_subsidiaries:
        check.append(("海外子会社の輸出管理体制を確認・指導しているか", cr["II-8"].chunk))
    sections.append(DraftSection("checklist", "5. 訪問時の確認リスト", tuple(
        f"□ {t}{' ' + src.mark(c) if c is not None else ''}" for t, c in check)))

    qs = ["輸出管理の責任者はどなたですか。社長はどこまで関わっていますか。",
          "製品ごとの該非判定は誰が、どの資料（パラメータシート等）で行っていますか。最後に見直したのはいつですか。",
          "新しい取引先からの引き合いのとき、用途と需要者をどのように確認していますか。"]
    if profile.list_goods == "unknown":
        qs.append("取り扱う製品・部品の中で、仕様上リスト規制に当たるか確認できていないものはありますか。")
    if profile.technology_transfer:
        qs.append("図面・仕様書・プログラムを海外の取引先や工場へ送るのは、どの部署が、どの手段（メール・クラウド・持参）で行っていますか。")
    if profile.foreign_staff:
        qs.append("外国籍の技術者は何名で、どの技術情報にアクセスできますか。採用時にどんな確認をしていますか。")
    if profile.overseas_subsidiaries:
        qs.append("海外子会社は現地で輸出や再販売をしていますか。子会社の輸出管理は誰が見ていますか。")
    if profile.has_cp:
        qs.append("現行の内部規程はいつ改訂しましたか。2022年5月施行の遵守基準の改正（需要者確認、子会社指導）は反映されていますか。")
    else:
        qs.append("内部規程（CP）を作る予定はありますか。作る場合、誰が中心になりますか。")
    sections.append(DraftSection("questions", "6. 質問事項", tuple(f"・{q}" for q in qs)))

    preface = [f"{C}への訪問前に読むブリーフです。製品と取引の情報はプロファイルの申告に基づきます。"]
    not_covered = [
        "製品の該非判定そのもの（仕様と規制値の照合はしていません。項番は可能性の指摘です）",
        "許可申請（個別許可・包括許可）の要否と手続の判断",
        "外国の法令（米国の再輸出規制など）",
        "事例は類似の事例であり、この会社に同じ結論が当てはまるとは限りません",
    ]
    return _finish("brief", f"{C} 訪問ブリーフ", C, preface, tuple(sections), src, not_covered, assistant)


# ----------------------------------------------------------------- finishing

def _finish(kind, title, company, preface, sections, src: _Sources, not_covered, assistant) -> DraftDoc:
    cites = src.citations()
    notes = []
    unconfirmed = [c for c in cites if not c.confirmed]
    if unconfirmed:
        notes.append(f"※ {'、'.join(f'[{c.n}]' for c in unconfirmed)}には一次資料で確認できていない情報が含まれます。")
    dates = sorted({c.effective_date for c in cites if c.effective_date})
    doc = DraftDoc(kind=kind, title=title, company=company, preface=tuple(preface), sections=tuple(sections),
                   citations=cites, not_covered=tuple(not_covered), notes=tuple(notes),
                   knowledge_as_of=dates[-1] if dates else None)
    problems = check_draft(doc, assistant.ensure_index().chunk)
    if problems:        # cannot happen unless the index changed underneath us; never ship unchecked citations
        raise AnpoError(f"the draft's citations failed their check ({problems[0]}); rebuild the index with `anpo index --rebuild`")
    return doc
