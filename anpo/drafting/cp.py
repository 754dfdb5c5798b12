"""The internal export-control rule (輸出管理内部規程, CP) drafted for one company.

Chapters follow METI's model (体制 → 手続 → 維持管理): 総則; 輸出管理体制 (the 代表者 is the
最高責任者 and appoints the 統括責任者); 該非判定; 取引審査 (明らかガイドライン, 懸念国);
許可の申請と許可条件; 出荷管理; 技術の提供 (when the company provides technology or hosts
foreign nationals); 監査; 教育; 文書保存 (periods by 項番); 子会社・関連会社の指導 (when it has
subsidiaries); 報告・是正; 懲戒; 附則; and fill-in forms (該非判定書, 取引審査票, 体制図).

Rule paragraphs carry no citation markers. Each article's note (解説) names the 遵守基準
items it implements, found by tier and number, and the passages behind it, with `[n]`.
`draft_cp(profile, grounds)` is pure given its grounds; `draft_cp(profile, assistant)` builds
them from the assistant's index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from anpo.drafting import forms
from anpo.drafting.common import GOODS_TEXT, DraftDoc, DraftSection, Sources, finish
from anpo.drafting.grounds import Grounds
from anpo.drafting.profile import CompanyProfile, business_type
from retrieval.types import Chunk

_REPRESENTATIVE_WORDS = ("代表", "社長", "CEO", "理事長", "会長")


@dataclass(frozen=True)
class Article:
    key: str
    title: str
    paragraphs: tuple[str, ...]
    note: str | None = None


@dataclass
class _Ctx:
    """What every chapter builder needs: the company, its grounds and the citation numbering."""
    p: CompanyProfile
    g: Grounds
    src: Sources

    def note(self, crit_keys: Sequence[str] = (), extras: Sequence[tuple[str, Chunk | None]] = (),
             remark: str = "") -> str | None:
        """「（解説）輸出者等遵守基準のⅡ①「統括責任者」[n]に対応します。関連する資料: …[n]。」"""
        parts, advisory = [], False
        for key in crit_keys:
            c = self.g.criterion(key)
            m = self.src.mark(c.chunk)
            parts.append(f"{c.label}{m}" if m else f"{c.label}（ナレッジベースに該当する行なし）")
            advisory |= c.tier == "II" and self.p.list_goods == "no"
        text = f"（解説）輸出者等遵守基準の{'・'.join(parts)}に対応します。" if parts else ""
        if advisory:
            text += "遵守基準Ⅱはリスト規制品を扱う者の基準のため、現在リスト規制品を扱わない当社にとっては推奨事項です。"
        text += remark
        rel = [f"{label}{self.src.mark(ch)}" for label, ch in extras if ch is not None]
        if rel:
            text = (text or "（解説）") + f"関連する資料: {'、'.join(rel)}。"
        return text or None


def representative(p: CompanyProfile) -> str:
    """The company's representative (代表者): the profile's officer if that is the representative."""
    if p.officer and any(w in p.officer for w in _REPRESENTATIVE_WORDS):
        return p.officer
    return "代表取締役"


def manager_candidate(p: CompanyProfile) -> str | None:
    """The profile's officer when it is someone other than the representative (統括責任者 candidate)."""
    return p.officer if p.officer and p.officer != representative(p) else None


# ----------------------------------------------------------------- chapters

def _general(x: _Ctx) -> list[Article]:
    C, g = x.p.company, x.g
    concern, embargo = g.listed("別表第4"), g.listed("別表第3の2")
    concern_names = "・".join(dict.fromkeys(r.country for r in concern)) or "【国名】"
    return [
        Article("purpose", "目的", (
            f"この規程は、{C}（以下「当社」という。）が行う貨物の輸出及び技術の提供（以下「輸出等」という。）に関し、"
            "外国為替及び外国貿易法（以下「外為法」という。）その他の関係法令を遵守し、国際的な平和及び安全の維持を"
            "妨げるおそれのある取引を未然に防止するため、輸出管理に関し必要な事項を定めることを目的とする。",),
            x.note([], [("輸出者等遵守基準の趣旨", g.overview())])),
        Article("scope", "適用範囲", (
            "この規程は、当社の役員及び従業者（派遣社員、契約社員及びパートタイマーを含む。以下同じ。）が行う全ての輸出等に適用する。",
            "前項の輸出等には、展示会への出品や無償サンプルの送付のための持出し、修理品の返送、手荷物による携行、"
            "並びに電子メール、クラウドサービス、記録媒体及び口頭による技術の提供を含む。"),
            x.note([], [("技術の提供に当たる行為", g.containing("技術の提供の例"))])),
        Article("definitions", "定義", (
            "この規程において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。\n"
            "一　リスト規制品　輸出貿易管理令（以下「輸出令」という。）別表第1の1の項から15の項まで又は外国為替令別表の"
            "1の項から15の項までに該当する貨物又は技術\n"
            "二　キャッチオール規制　リスト規制品以外の貨物又は技術について、用途又は需要者により許可を要する規制\n"
            f"三　懸念国　輸出令別表第4に掲げる国（{concern_names}）\n"
            "四　国連武器禁輸国・地域　輸出令別表第3の2に掲げる国又は地域\n"
            "五　グループA　輸出令別表第3に掲げる国",),
            x.note([], [*((f"懸念国 {r.country}（輸出令別表第4）", r.chunk) for r in concern),
                        ("国連武器禁輸国・地域（輸出令別表第3の2）", embargo[0].chunk if embargo else None),
                        ("キャッチオール規制", g.containing("キャッチオール", "リスト規制"))])),
        Article("policy", "基本方針", (
            "当社は、外為法その他の関係法令に違反する輸出等を行わない。",
            "当社は、リスト規制品の輸出等を、必要な許可を取得することなく行わない。",
            "当社は、リスト規制品以外の貨物又は技術であっても、大量破壊兵器等又は通常兵器の開発等に用いられるおそれがあることを"
            "知った場合、又は経済産業大臣から許可申請をすべき旨の通知を受けた場合には、必要な許可を取得することなく輸出等を行わない。",
            "最高責任者は、この基本方針を役員及び従業者に周知する。"),
            x.note([], [("輸出者等遵守基準の趣旨", g.overview()),
                        ("キャッチオール規制", g.passage("キャッチオール規制 補完的輸出規制 リスト規制以外", ["キャッチオール"]))])),
    ]


def _organization(x: _Ctx) -> list[Article]:
    p, g = x.p, x.g
    rep, cand = representative(p), manager_candidate(p)
    if cand:
        who = f"統括責任者には、【{cand}】を充てることを予定する。"
    elif p.small:
        who = f"当社の規模に照らし、最高責任者（{rep}）が統括責任者を兼ねることができる。"
    else:
        who = "統括責任者には、【輸出管理を担当する取締役又は部長】を充てる。"
    roles = [
        "統括責任者は、次に掲げる者を指名し、その業務分担を別紙様式3【輸出管理体制図】に定める。\n"
        "一　該非確認責任者（輸出等を行う貨物及び技術がリスト規制品に該当するか否かの確認について責任を負う者）【氏名・役職】\n"
        "二　取引審査責任者【部署名・役職】\n"
        "三　出荷管理責任者【部署名・役職】",
    ]
    if p.small:
        roles.append(f"当社は従業者が{p.employees}名と少人数であるため、一人が前項各号の役割を兼ねることができる。"
                     "ただし、兼務する場合であっても、該非判定及び取引審査の記録はそれぞれ作成する。")
    elif p.employees is not None:
        roles.append("輸出管理に関する事務を行うため、【輸出管理室】を置く。輸出管理室は、営業部門から独立した立場で取引審査を行う。")
    small_ref = g.containing("一人の担当者", "兼ねる") if p.small else None
    return [
        Article("top", "最高責任者", (
            f"当社の輸出管理の最高責任者は、代表者である{rep}とする。",
            "最高責任者は、輸出管理について最終的な責任を負い、統括責任者を任命する。"),
            x.note(["II-1"], [("統括責任者は組織の代表者", g.containing("代表者", "責任者", "小規模"))],
                   "この基準は組織の代表者を輸出管理の責任者とすることを求めるため、代表者を最高責任者とし、"
                   "実務を統括する統括責任者は最高責任者が任命する形にしています。")),
        Article("organization", "統括責任者", (
            "統括責任者は、最高責任者の指揮の下、この規程に基づく輸出管理の業務を統括する。", who),
            x.note(["II-2"])),
        Article("roles", "責任者と業務分担", tuple(roles),
                x.note(["I-1", "II-2"], [("小規模な企業の体制", small_ref)])),
    ]


def _classification(x: _Ctx) -> list[Article]:
    p, g = x.p, x.g
    paras = [
        "該非確認責任者は、当社が輸出等を行う全ての貨物及び技術について、輸出等を行う前に、その時点で施行されている"
        "輸出令別表第1及び外国為替令別表に照らし、リスト規制品に該当するか否かを判定（以下「該非判定」という。）し、"
        "その結果を別紙様式1【該非判定書】に記録する。",
        "該非判定は、仕様を変更したとき、関係法令が改正されたとき及び新たな取引を始めるときに改めて行う。",
        "他社が製造した貨物を輸出等する場合は、製造者から該非判定書等を入手し、その内容を確認したうえで判断する。",
    ]
    if business_type(p) == "contract":
        paras.append("顧客の図面又は仕様により製造する部品は、それが組み込まれる装置、用途及び仕向地を顧客に確認したうえで、"
                     "リスト規制品（装置の部分品を含む。）に該当するか否かを判定する。")
    if p.list_goods == "no":
        paras.append("当社は現在リスト規制品を取り扱っていないが、新たな貨物又は技術を取り扱うときは、必ず該非判定を行う。"
                     "非該当と判定した貨物等であっても、第4章に定める取引審査を行う。")
    elif p.list_goods == "unknown":
        paras.append("当社の取扱品にリスト規制品が含まれるか否かは確認中であるため、該非確認責任者は、"
                     "この規程の施行後【3か月】以内に、全ての取扱品及び提供する技術について該非判定を行う。")
    return [Article("classification", "該非判定", tuple(paras), x.note(
        ["I-1", "II-3"], [("該非判定の進め方", g.passage("該非判定 最新 リスト 輸出者の責任", ["該非判定"]))]))]


def _screening(x: _Ctx) -> list[Article]:
    g = x.g
    concern = next((r.chunk for r in g.listed("別表第4")), None)
    return [
        Article("screening", "取引審査", (
            "取引審査責任者は、輸出等の契約を締結する前に、別紙様式2【取引審査票】により次に掲げる事項を確認する。\n"
            "一　需要者（最終的に使用する者）及び用途\n"
            "二　需要者が経済産業省の外国ユーザーリストに掲載されていないこと\n"
            "三　経済産業省の「明らかガイドライン」に沿った確認項目（取引審査票に掲げる。）により、大量破壊兵器等の"
            "開発等に用いられないことが明らかであるか\n"
            "四　仕向地が懸念国、国連武器禁輸国・地域又はグループA以外の国若しくは地域に当たるか",
            "前項の審査は、リスト規制品以外の貨物及び技術についても行う。",
            "需要者以外の者（荷受人、仲介者等）から用途又は需要者に関する情報を得る場合には、その情報の信頼性を確認する。"),
            x.note(["II-4"], [("外国ユーザーリスト", g.containing("外国ユーザーリスト", "需要者")),
                              ("明らかガイドライン", g.containing("明らかガイドライン", "用いられないことが明らか"))])),
        Article("destinations", "仕向地による確認", (
            "仕向地が懸念国である場合は、取引審査責任者は、品目にかかわらず統括責任者の承認を得るまで取引を進めてはならない。",
            "仕向地がグループA以外の国又は地域である場合は、リスト規制品以外の貨物等についても、キャッチオール規制の"
            "用途要件及び需要者要件を確認する。",
            "需要者が第三国への再輸出又は転売を予定している場合は、最終の仕向地及び需要者についても前二項の確認を行う。"),
            x.note(["II-4"], [("懸念国（輸出令別表第4）", concern),
                              ("キャッチオール規制の客観要件", g.containing("客観要件"))])),
        Article("concerns", "懸念がある場合の措置", (
            "審査の結果、懸念がある場合又は判断がつかない場合には、統括責任者の判断を得るまで取引を進めてはならない。",
            "統括責任者は、必要に応じて経済産業省に相談し、懸念が解消しない場合は取引を中止する。"),
            x.note(["II-4"], [("経済産業省への事前相談", g.containing("事前相談"))])),
    ]


def _licences(x: _Ctx) -> list[Article]:
    g = x.g
    return [
        Article("licence", "許可の申請", (
            "リスト規制品の輸出等を行う場合、又はキャッチオール規制により許可を要する場合は、統括責任者の承認を得て、"
            "輸出の許可又は役務取引の許可を経済産業大臣に申請する。",
            "許可を得るまでは、当該貨物の出荷及び当該技術の提供を行ってはならない。"),
            x.note([], [("輸出許可の根拠", g.containing("輸出許可", "第48条")),
                        ("技術の提供と役務取引許可", g.containing("役務取引許可", "外国に居住する人"))])),
        Article("licence_conditions", "許可条件の管理", (
            "統括責任者は、取得した許可ごとに、有効期限、数量、需要者及び許可条件（再輸出等の事前同意の手続等）を"
            "【許可管理台帳】に記録し、出荷管理責任者に通知する。",
            "許可条件に定める手続が必要となったときは、統括責任者が経済産業省に所定の手続を行う。"),
            x.note([], [("許可条件（再輸出・再販売の事前同意）", g.containing("許可条件"))])),
    ]


def _shipping(x: _Ctx) -> list[Article]:
    return [Article("shipping", "出荷管理", (
        "出荷管理責任者は、出荷の際に、出荷する貨物が該非判定及び取引審査を経たものと一致していること、"
        "並びに必要な許可を取得し、その有効期限、数量及び条件の範囲内であることを確認する。",
        "出荷管理責任者は、不一致その他の疑義を認めたときは、出荷を止め、直ちに統括責任者に報告する。"),
        x.note(["II-5"]))]


def _technology(x: _Ctx) -> list[Article]:
    p, g = x.p, x.g
    arts = []
    if p.technology_transfer:
        arts.append(Article("tech", "技術提供の管理", (
            "技術（設計図、仕様書、製造及び検査の手順、ソフトウェアその他のプログラムを含む。）を提供する場合は、"
            "その方法にかかわらず、第3章の該非判定及び第4章の取引審査を行う。",
            "前項の提供には、次に掲げるものを含む。\n"
            "一　電子メールによる送付\n"
            "二　クラウドサービス、共有フォルダ等への保存及び共有設定（海外からの閲覧を含む。）\n"
            "三　図面、仕様書等の郵送、手渡し及び記録媒体による持出し\n"
            "四　来訪者の工場見学、技術指導及び会議での説明、並びに海外出張先での説明",
            "顧客その他の第三者から受領した技術を他の者に提供する場合も、前二項と同様とする。",
            "技術を提供する担当者は、提供の前に【技術提供確認票】を作成し、該非確認責任者の確認を受ける。"),
            x.note(["I-1", "II-4"], [("技術の提供に当たる行為", g.containing("技術の提供の例")),
                                     ("規制対象となる技術", g.containing("設計、製造又は使用"))])))
    if p.foreign_staff:
        arts.append(Article("deemed", "外国人従業者等への技術提供の管理（みなし輸出）", (
            "当社は、外国籍の者を雇用し、又は研修生、派遣社員、留学生等として受け入れるときは、その採用又は受入れの時に、"
            "その者が居住者又は非居住者のいずれに当たるか、及び外国政府、外国法人等との契約その他によりその支配下にある者"
            "（特定類型に該当する者）であるか否かを、本人からの【申告書・誓約書】等により確認する。",
            "リスト規制品に係る技術へのアクセスを認める前に、該非確認責任者は、前項の確認の結果に基づき、"
            "役務取引許可の要否を確認する。",
            "前二項の確認は、配置転換、研究開発への参加、技術情報システムのアクセス権の付与及び兼業の申出の際にも行う。"),
            x.note(["II-4"], [("みなし輸出", g.containing("みなし輸出", "非居住者")),
                              ("特定類型", g.containing("特定類型", "雇用契約"))])))
    return arts


def _audit(x: _Ctx) -> list[Article]:
    paras = ["統括責任者は、【年1回】以上、輸出管理がこの規程に従って行われているかについて、監査を行わせる。",
             "統括責任者は、監査の結果、不備を認めたときは、改善を指示し、その結果を確認する。"]
    if x.p.small:
        paras.insert(1, "監査は、輸出等の業務を行う者以外の者が行うことが望ましいが、当社の規模に照らし、"
                        "【外部の専門家（アドバイザー等）】の支援を受けて行うことができる。")
    return [Article("audit", "監査", tuple(paras), x.note(["II-6"]))]


def _training(x: _Ctx) -> list[Article]:
    return [Article("training", "教育", (
        "統括責任者は、輸出等の業務に従事する者に対し、最新の関係法令及びこの規程に関する教育を【年1回】以上行う。",
        "関係法令又はリスト規制が改正されたときは、統括責任者は、速やかにその内容を関係する従業者に周知し、必要な指導を行う。"),
        x.note(["I-2", "II-7"]))]


def _records(x: _Ctx) -> list[Article]:
    g = x.g
    return [Article("records", "文書の保存", (
        "輸出等に関する文書（該非判定書、取引審査票、許可証、出荷の記録、技術提供確認票、監査及び教育の記録を含む。）は、"
        "輸出又は提供の日から次に掲げる期間以上、電子媒体又は紙により、検索できる状態で保存する。\n"
        "一　輸出令別表第1及び外国為替令別表の1の項から4の項までに該当する貨物又は技術に係るもの　【7年】\n"
        "二　前号以外の貨物又は技術に係るもの　【5年】",
        "関税法により保存が義務づけられる帳簿及び書類は、同法の定めるところにより、輸出許可の日の翌日から5年間保存する。"),
        x.note(["II-9"], [("保存期間の目安（CP届出通達の別紙1、未確認）", g.containing("少なくとも7年間")),
                          ("関税法の帳簿書類の保存義務（5年）", g.containing("関税法", "5年"))]))]


def _subsidiaries(x: _Ctx) -> list[Article]:
    where = "・".join(x.p.overseas_subsidiaries)
    return [Article("subsidiaries", "子会社及び関連会社の指導", (
        f"当社は、子会社及び関連会社（{where}の海外子会社を含む。）が輸出等の業務に関わる場合、"
        "これらに対し、輸出管理の体制及び手続の整備について指導を行う。",
        "子会社への技術の提供（図面、仕様書の送付及びクラウドでの共有を含む。）並びに子会社からの再輸出についても、"
        "この規程に従って該非判定及び取引審査を行う。",
        "統括責任者は、【年1回】以上、子会社の輸出管理の実施状況を確認し、必要な指導を行う。"),
        x.note(["II-8"], [("海外子会社への技術提供", x.g.containing("子会社", "仕様書"))]))]


def _reporting(x: _Ctx) -> list[Article]:
    return [Article("violation", "報告及び是正措置", (
        "役員及び従業者は、関係法令又はこの規程に違反し、又は違反したおそれがあることを知ったときは、直ちに統括責任者に報告する。",
        "統括責任者は、関係法令に違反し、又は違反したおそれがあるときは、最高責任者に報告のうえ、速やかに経済産業大臣"
        "（【経済産業省の担当窓口】）に報告し、原因を究明して再発防止のために必要な是正措置を講じる。",
        "報告をした者は、報告をしたことを理由として不利益な取扱いを受けない。"),
        x.note(["II-10"], [("違反に気づいたときの対応", x.g.containing("自主", "報告"))]))]


def _discipline(x: _Ctx) -> list[Article]:
    return [Article("discipline", "懲戒", (
        "この規程に違反した役員及び従業者は、【就業規則第○条】の定めるところにより懲戒の対象とする。",
        "前項の処分に当たっては、違反の経緯、故意又は過失の有無及び前条の報告の有無を考慮する。"),
        x.note([], [("外為法違反の罰則と行政制裁", x.g.containing("行政制裁", "3年以下"))]))]


# ----------------------------------------------------------------- assembly

def _chapters(x: _Ctx) -> list[tuple[str, list[Article]]]:
    p = x.p
    chapters = [("総則", _general(x)), ("輸出管理体制", _organization(x)), ("該非判定", _classification(x)),
                ("取引審査", _screening(x)), ("許可の申請及び許可条件の管理", _licences(x)), ("出荷管理", _shipping(x))]
    if p.technology_transfer or p.foreign_staff:
        chapters.append(("技術の提供の管理", _technology(x)))
    chapters += [("監査", _audit(x)), ("教育", _training(x)), ("文書の保存", _records(x))]
    if p.overseas_subsidiaries:
        chapters.append(("子会社及び関連会社の指導", _subsidiaries(x)))
    chapters += [("報告及び是正措置", _reporting(x)), ("懲戒", _discipline(x))]
    return chapters


def _number(chapters: list[tuple[str, list[Article]]], supplementary: Sequence[str]) -> tuple[DraftSection, ...]:
    """第N章 / 第N条 numbering across the chapters, then 附則."""
    out, n = [], 0
    for i, (name, arts) in enumerate(chapters, 1):
        for a in arts:
            n += 1
            out.append(DraftSection(a.key, f"第{n}条（{a.title}）", a.paragraphs, a.note, f"第{i}章　{name}"))
    out.append(DraftSection("supplementary", "附則", tuple(supplementary), None, "附則"))
    return tuple(out)


def _revision_hint(x: _Ctx) -> str:
    """For a company revising its CP: the 2022 amendments to check, cited."""
    a, b = x.g.criterion("II-4"), x.g.criterion("II-8")
    return ("見直しでは特に、2022年5月1日施行の遵守基準の改正点である"
            f"{a.label}（需要者以外から得た情報の信頼性の確認）{x.src.mark(a.chunk)}と"
            f"{b.label}（子会社の指導）{x.src.mark(b.chunk)}が現行規程に反映されているかを確認してください。")


def _preface(x: _Ctx) -> list[str]:
    p = x.p
    goods = p.list_goods
    out = [
        f"{p.company}（従業者{p.employees if p.employees is not None else '【 】'}名、リスト規制品: {GOODS_TEXT[goods]}）向けの"
        "輸出管理内部規程の草案です。経済産業省の示す構成（体制・手続・維持管理）に沿って章立てしています。"
        "【 】の箇所は貴社で記入してください。各条が対応する輸出者等遵守基準と出典は、巻末の「解説」と「出典」に示します。",
        {"yes": "リスト規制品を扱うため、遵守基準のⅠ（すべての輸出者等）とⅡ（リスト規制品の輸出等を行う者）の全項目を条文にしています。",
         "unknown": "リスト規制品を扱うかどうかが未確認のため、遵守基準のⅠに加えてⅡの項目も条文にしています。"
                    "該非判定の結果リスト規制品があれば、その時点からⅡの基準が適用されるため、あらかじめ備えておく考え方です。",
         "no": "リスト規制品を扱わないため、法的に求められるのは遵守基準のⅠ（該非確認責任者、最新法令の周知・指導）です。"
               "ただし、キャッチオール規制はリスト規制品以外の貨物・技術にも及ぶため、取引審査などⅡに相当する条文も推奨事項として含めています。",
         }[goods],
    ]
    if p.small:
        out.append(f"従業者{p.employees}名の規模に合わせ、一人が複数の役割を兼ねられる体制にしています（第2章）。")
    if p.has_cp:
        out[:0] = ["【見直し用草案】貴社は既に輸出管理内部規程をお持ちのため、この草案は現行規程を条文ごとに突き合わせて見直すためのものです。",
                   _revision_hint(x)]
    return out


def _not_covered(x: _Ctx) -> list[str]:
    p = x.p
    out = [
        "包括許可（一般包括許可・特別一般包括許可など）の取得と運用の具体的な手続",
        "個々の貨物・技術の該非判定の技術的な中身（仕様と規制値の照合）",
        "輸出許可・役務取引許可の申請書類の作成と電子申請（NACCS）の操作",
        "輸出管理内部規程の経済産業省への届出（CP受理票）の手続",
        "外国の法令（米国の再輸出規制など）への対応",
    ]
    if not p.technology_transfer:
        out.append("技術提供の管理の詳細（プロファイル上、技術提供はないとされています。始める場合は条文の追加が必要です）")
    if not p.foreign_staff:
        out.append("みなし輸出・特定類型の確認（プロファイル上、外国人従業者はいないとされています）")
    if not p.overseas_subsidiaries:
        c = x.g.criterion("II-8")
        ref = x.src.mark(c.chunk)
        out.append(f"子会社・関連会社の指導（遵守基準{c.label}{ref}。プロファイル上、海外子会社はないとされています。"
                   "子会社が輸出等に関わる場合は条文の追加が必要です）")
    return out


def draft_cp(profile: CompanyProfile, grounds) -> DraftDoc:
    """The CP draft for `profile`.  `grounds` is a `Grounds`, or an assistant (adapter)."""
    g = grounds if isinstance(grounds, Grounds) else Grounds.of(grounds)
    x = _Ctx(profile, g, Sources())
    supp = ["この規程は、【施行日】から施行する。", "この規程の改廃は、最高責任者の承認を得て行う。"]
    if profile.has_cp:
        supp.append("この規程の施行に伴い、【現行の輸出管理内部規程の名称】は廃止する。")
    sections = _number(_chapters(x), supp)
    title = f"{profile.company} 輸出管理内部規程（{'見直し用草案' if profile.has_cp else '草案'}）"
    return finish("cp", title, profile.company, _preface(x), sections, x.src, _not_covered(x), g.lookup,
                  appendices=forms.cp_forms(profile, representative(profile), g))
