"""The visit brief an advisor takes into a first meeting with a company (two pages).

Sections: the company in two lines; destinations with their group (from the tables'
`CountryResolver`, each citing the row or rule that says so); 項番 leads only where the
tables' `ProductMatcher` offers them, each with why; risks by business type (contract
manufacturing, trading, university spin-off, maker) and by the profile's flags; the closest
case chosen by situation (has a CP or not, trader or maker, size); what to ask; materials to
request before the visit (事前依頼資料); a one-hour agenda. Sources go in an appendix.
`draft_brief(profile, grounds)` is pure given its grounds; an assistant is accepted too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anpo.drafting.common import GOODS_TEXT, DraftDoc, DraftSection, Sources, finish, yes_no
from anpo.drafting.grounds import Grounds
from anpo.drafting.profile import CompanyProfile, business_type, read_cues
from anpo.tables import kouban_key
from retrieval.textnorm import normalize
from retrieval.types import Chunk

_TYPE_NAMES = {"maker": "メーカー", "trader": "商社", "contract": "受託加工・受託製造", "spinoff": "大学発ベンチャー"}


# ----------------------------------------------------------------- situation

@dataclass(frozen=True)
class CaseMatch:
    doc_id: str
    title: str
    chunks: tuple[Chunk, ...]
    reasons: tuple[str, ...]


def _case_features(chunks: list[Chunk]) -> tuple[bool, bool, int | None]:
    """(had a CP, is a trader, employees) as the case's text states them."""
    text = normalize(chunks[0].title + " " + " ".join(c.text for c in chunks))
    cues = dict(read_cues("case_cues.tsv"))
    has = lambda f: any(normalize(w) in text for w in cues.get(f, ()))      # noqa: E731
    m = re.search(r"(\d+)\s*名", normalize(chunks[0].title)) or re.search(r"従業員数は(\d+)名", text)
    return has("has_cp"), has("trader"), int(m.group(1)) if m else None


def closest_case(p: CompanyProfile, g: Grounds) -> CaseMatch | None:
    """The case whose situation is closest: same CP situation (3), same trade (2), size (≤1)."""
    best = None
    trader = business_type(p) == "trader"
    for doc_id, chunks in sorted(g.cases().items()):
        had_cp, is_trader, size = _case_features(chunks)
        score, reasons = 0.0, []
        if had_cp == p.has_cp:
            score += 3
            reasons.append("既存のCPの見直し" if had_cp else "CPがない状態からの体制づくり")
        if is_trader == trader:
            score += 2
            reasons += ["商社"] if trader else ["製造業"] if business_type(p) in ("maker", "contract") else []
        if size and p.employees:
            ratio = min(size, p.employees) / max(size, p.employees)
            score += ratio
            reasons += [f"規模（{size}名）"] if ratio >= 0.5 else []
        if best is None or score > best[0]:
            best = (score, CaseMatch(doc_id, chunks[0].title, tuple(chunks), tuple(reasons)))
    return best[1] if best else None


def _lesson(case: CaseMatch) -> Chunk:
    return next((c for c in case.chunks if re.search("学べること|教訓|ポイント", c.locator)), case.chunks[-1])


# ----------------------------------------------------------------- sections

def _company(p: CompanyProfile) -> DraftSection:
    prods = "、".join(x.name for x in p.products) or "【未記入】"
    size = f"{p.employees}名" if p.employees is not None else "人数不明"
    return DraftSection("company", "1. 企業の概要", (
        f"{p.company}（{p.industry or '業種未記入'}、{size}）。主な製品: {prods}。",
        f"リスト規制品: {GOODS_TEXT[p.list_goods]}／技術提供: {yes_no(p.technology_transfer)}／外国人従業者: "
        f"{yes_no(p.foreign_staff)}／海外子会社: {'、'.join(p.overseas_subsidiaries) or 'なし'}／CP: {yes_no(p.has_cp)}。",
    ))


_GROUP_MEANING = {
    "A": "リスト規制品は許可が必要。キャッチオールはインフォーム通知を受けた場合のみ",
    "B": "リスト規制品は許可が必要。非該当品もキャッチオールの用途・需要者の確認が必要",
    "C": "リスト規制品は許可が必要。非該当品もキャッチオールの用途・需要者の確認が必要",
    "D": "懸念国。非該当品も用途・需要者を厳格に確認し、統括責任者の判断を得る",
}


def _group_ground(group: str, g: Grounds) -> Chunk | None:
    """The passage behind what a group means for catch-all checks."""
    if group == "A":
        return g.containing("グループA", "インフォーム")
    if group == "D":
        return next((r.chunk for r in g.listed("別表第4")), None)
    return g.containing("グループA以外", "非該当")


def _destinations(p: CompanyProfile, g: Grounds, src: Sources) -> DraftSection:
    """One line per country (its group, citing the row or rule that says so), then what each
    group present means for the company, once."""
    lines, groups = [], []
    for country in p.exports_to:
        info = g.destination(country)
        if info is None:
            lines.append(f"・{country}: 国名を特定できません。正式な国名を確認してください。")
            continue
        if not info.rows:           # no destination table in the pack: a group would be a guess
            lines.append(f"・{country}: 仕向地区分の表がナレッジベースにないため、区分を確認できません。")
            continue
        extra = "・国連武器禁輸国・地域" if info.embargoed else ""
        lines.append(f"・{country}: グループ{info.group}{extra}{''.join(src.mark(c) for c in info.chunks[:2])}")
        groups.append(info.group)
    lines += [f"グループ{grp}: {_GROUP_MEANING[grp]}。{src.mark(_group_ground(grp, g))}"
              for grp in dict.fromkeys(groups) if grp in _GROUP_MEANING]
    return DraftSection("destinations", "2. 仕向地と区分", tuple(lines or ["・輸出先が未記入です。訪問時に確認します。"]))


def _leads(p: CompanyProfile, g: Grounds, src: Sources) -> DraftSection:
    lines = []
    for prod in p.products:
        ms = g.list_leads(f"{prod.name} {prod.description}")
        if ms:
            items = "、".join(f"{m.row.label}{src.mark(m.row.chunk)}（{m.why}）" for m in ms)
            lines.append(f"・{prod.name}: {items}")
        else:
            lines.append(f"・{prod.name}: 項目名・製品例と一致する項番はありません（仕様で該非判定を確認）")
    if not p.products:
        lines.append("・製品が未記入です。訪問時に主な製品と仕様を確認します。")
    ref = g.passage("該非判定 仕様 リスト規制 輸出者の責任", ["該非判定"])
    lines.append(f"項番は可能性の指摘です。該当するかは仕様（規制値）による該非判定で決まります{src.mark(ref)}。")
    return DraftSection("list_control", "3. 確認したい項番", tuple(lines))


def _parts_row(g: Grounds):
    """A list-control item that names parts of controlled equipment (「…又はその部分品」), not weapons."""
    return next((r for r in g.tables.list_rows if "部分品" in r.item_name and not r.is_heading
                 and kouban_key(r.kouban) >= (2, 0)), None)


def _type_risks(p: CompanyProfile, g: Grounds) -> list[tuple[str, Chunk | None]]:
    kind = business_type(p)
    if kind == "contract":
        part = _parts_row(g)
        example = f"（例: {part.label}）" if part else ""
        return [(f"顧客の図面で作る部品は、リスト規制の装置の部分品として該当する場合があります{example}。"
                 "図面の出所、完成品と最終需要者を確認します。", part.chunk if part else None),
                ("顧客から受け取った図面・加工条件（技術）を協力工場や海外拠点へ渡すことは技術の提供に当たります。",
                 g.containing("技術の提供の例"))]
    if kind == "trader":
        return [("仕入品の該非はメーカーの該非判定書で確認し、転売先・再輸出先と最終需要者まで確認します。",
                 g.containing("製造者", "該非判定書") or g.containing("需要者", "荷受人")),
                ("許可条件で再輸出・再販売に事前同意が必要な場合があります。", g.containing("許可条件"))]
    if kind == "spinoff":
        return [("共同研究・技術移転・ソースコードの提供は技術の提供に当たり、役務取引許可が必要な場合があります。",
                 g.containing("設計、製造又は使用")),
                ("留学生・外国人研究者への技術開示は、非居住者や特定類型に当たればみなし輸出として管理が必要です。",
                 g.containing("特定類型", "雇用契約"))]
    if p.list_goods == "unknown":
        return []                   # the flag risk below says it
    if p.list_goods == "yes":
        return [("リスト規制品を扱うため、遵守基準Ⅱ（統括責任者、該非確認・用途需要者確認・出荷時確認の手続など）が"
                 "求められます。", g.criterion("II-1").chunk)]
    return [("自社製品の仕様が規制値を超えるかどうかの該非判定が出発点です。", g.criterion("I-1").chunk)]


def _flag_risks(p: CompanyProfile, g: Grounds) -> list[tuple[str, Chunk | None]]:
    out = []
    if p.list_goods == "unknown":
        out.append(("該非判定が済んでいなければ、無許可輸出のおそれがあります。", g.criterion("I-1").chunk))
    if p.technology_transfer and business_type(p) not in ("contract", "spinoff"):
        out.append(("図面・仕様書・プログラムのメールやクラウドでの送付は技術の提供に当たります。",
                    g.containing("技術の提供の例")))
    if p.foreign_staff and business_type(p) != "spinoff":
        out.append(("外国人従業者が特定類型に当たる場合、技術の開示はみなし輸出として管理が必要です。",
                    g.containing("みなし輸出", "非居住者")))
    if p.overseas_subsidiaries:
        out.append((f"海外子会社（{'・'.join(p.overseas_subsidiaries)}）への技術共有と子会社の指導が必要です。",
                    g.criterion("II-8").chunk))
    return out


def _risks(p: CompanyProfile, g: Grounds, src: Sources) -> DraftSection:
    items = _type_risks(p, g) + _flag_risks(p, g)
    return DraftSection("risks", f"4. 業態から見えるリスク（{_TYPE_NAMES[business_type(p)]}）",
                        tuple(f"・{t}{src.mark(c)}" for t, c in items))


def _case(p: CompanyProfile, g: Grounds, src: Sources) -> DraftSection:
    case = closest_case(p, g)
    if case is None:
        return DraftSection("case", "5. 近い事例", ("ナレッジベースに事例がありません。",))
    lesson = _lesson(case)
    first = next((s for s in re.split(r"(?<=。)", lesson.text) if len(s.strip()) > 8), lesson.text).strip()
    why = f"（近い点: {'・'.join(case.reasons)}）" if case.reasons else ""
    return DraftSection("case", "5. 近い事例", (f"{case.title}{why}{src.mark(lesson)}", f"学べること: {first}"))


def _questions(p: CompanyProfile) -> DraftSection:
    qs = ["輸出管理の責任者は誰か。社長はどこまで関わっているか。",
          "製品ごとの該非判定を誰が何（パラメータシート等）で行い、いつ見直したか。",
          "新しい引き合いで用途・需要者をどう確認しているか。"]
    kind = business_type(p)
    if kind == "contract":
        qs.append("顧客図面の部品は、どの装置に組み込まれ、どこへ輸出されるか。図面を他社へ渡すことはあるか。")
    if kind == "trader":
        qs.append("仕入先から該非判定書を入手しているか。販売先の転売・再輸出先を把握しているか。")
    if kind == "spinoff":
        qs.append("共同研究契約・技術移転で海外や外国人研究者に渡す技術は何か。留学生の受入れ手続は。")
    if p.foreign_staff and kind != "spinoff":
        qs.append("外国籍の技術者は何名で、どの技術情報にアクセスできるか。採用時に何を確認しているか。")
    if p.overseas_subsidiaries:
        qs.append("海外子会社の輸出・再販売と、その輸出管理は誰が見ているか。")
    qs.append("現行のCPはいつ改訂したか。2022年5月施行の改正（需要者確認・子会社指導）は反映済みか。" if p.has_cp
              else "CPを作る場合、誰が中心になるか。")
    return DraftSection("questions", "6. 訪問時に聞くこと", tuple(f"・{q}" for q in qs))


def _materials(p: CompanyProfile) -> DraftSection:
    items = ["製品カタログ・仕様書（型式ごと）", "取引先・仕向地の一覧（最終需要者が分かれば併記）",
             "過去1年の輸出実績（インボイス・輸出許可の記録）", "組織図（輸出・営業・設計・出荷の担当）"]
    if p.foreign_staff:
        items.append("外国籍の従業者・研究者の一覧（在留資格・担当業務）")
    if business_type(p) == "contract":
        items.append("顧客から受領した図面の例と、その受渡しの方法")
    if p.has_cp:
        items.append("現行の輸出管理内部規程と該非判定書の例")
    return DraftSection("materials", "7. 事前依頼資料", tuple(f"□ {x}" for x in items))


def _agenda(p: CompanyProfile) -> DraftSection:
    third = ("技術の提供・外国人の受入れ" if (p.technology_transfer or p.foreign_staff)
             else "取引審査の手順（需要者・用途・再輸出）")
    return DraftSection("agenda", "8. 議題（60分）", (
        "0〜10分　会社・製品・取引先の説明を伺う",
        "10〜25分　製品の該非判定の状況（上の項番・仕様書を見ながら）",
        f"25〜40分　仕向地と取引審査、{third}",
        f"40〜55分　{'CPの見直し点' if p.has_cp else '体制づくり（責任者・CPの作り方）'}と支援の進め方",
        "55〜60分　次回までの宿題の確認",
    ))


def draft_brief(profile: CompanyProfile, grounds) -> DraftDoc:
    """The visit brief for `profile`.  `grounds` is a `Grounds`, or an assistant (adapter)."""
    g = grounds if isinstance(grounds, Grounds) else Grounds.of(grounds)
    src = Sources()
    p = profile
    sections = (_company(p), _destinations(p, g, src), _leads(p, g, src), _risks(p, g, src),
                _case(p, g, src), _questions(p), _materials(p), _agenda(p))
    preface = [f"{p.company}への初回訪問用ブリーフ（プロファイルの申告に基づく）。文中の番号は巻末の出典を指します。"]
    not_covered = ["製品の該非判定そのもの（項番は可能性の指摘です）", "許可申請の要否と手続の判断",
                   "外国の法令（米国の再輸出規制など）", "事例は類似例であり、同じ結論が当てはまるとは限りません"]
    return finish("brief", f"{p.company} 訪問ブリーフ", p.company, preface, sections, src, not_covered, g.lookup)
