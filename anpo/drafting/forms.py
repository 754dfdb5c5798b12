"""The fill-in forms appended to a CP draft: 様式1 該非判定書, 様式2 取引審査票 (with the
明らかガイドライン-style red-flag checks), 様式3 輸出管理体制図.

Each form is a `DraftSection` whose paragraphs are the form's lines; 【 】 marks what the
company fills in and □ a box to tick. Forms carry no citation markers; the articles that
require them are cited in the rule's notes.
"""

from __future__ import annotations

from anpo.drafting.common import DraftSection
from anpo.drafting.profile import CompanyProfile

# red flags an order may show (用途・需要者の確認で「明らか」と言えない兆候); the company adapts them
RED_FLAGS = (
    "需要者又は用途を明らかにしない、又は確認への回答を拒む",
    "用途が「不明」「詳細不明」とされている、又は製品の性能と用途が合わない",
    "需要者の事業内容に比べて数量・性能が過大である",
    "通常は必要な据付け、保守、訓練等を断る",
    "支払条件、価格、輸送経路又は梱包が取引の実態に比べて不自然である",
    "最終仕向地が懸念国・国連武器禁輸国・地域である、又は第三国への再輸出・転売が予定されている",
)


def _classification_form() -> DraftSection:
    return DraftSection("form_classification", "様式1　該非判定書", (
        "判定番号【　】　判定日【　年　月　日】　判定に用いた法令の版（施行日）【　】",
        "品名・型式（技術の場合は技術の名称と提供形態）【　】　製造者【　】",
        "輸出令別表第1・外国為替令別表の判定: 該当する項番【　】／□ 1〜15の項のいずれにも非該当",
        "判定の根拠（項目別対比表・パラメータシート・製造者の該非判定書）【　】",
        "16の項（キャッチオール規制の対象品目）: □ 該当　□ 非該当",
        "判定者（該非確認責任者）【氏名・印】　承認（統括責任者）【氏名・印】",
    ))


def _screening_form(p: CompanyProfile, concern: str) -> DraftSection:
    flags = "\n".join(f"□ {f}" for f in RED_FLAGS)
    return DraftSection("form_screening", "様式2　取引審査票", (
        "審査番号【　】　審査日【　年　月　日】　案件（見積・受注番号）【　】",
        "品名・数量【　】　該非判定書の番号と結果【　】",
        "取引先（買主）【　】　需要者（最終的に使用する者）【　】　用途【　】",
        f"仕向地【　】: □ グループA　□ グループA以外　□ 国連武器禁輸国・地域　□ 懸念国（{concern}）",
        "外国ユーザーリストとの照合: □ 掲載なし　□ 掲載あり（→ 統括責任者へ）",
        "用途・需要者の懸念の確認（例。一つでも当てはまれば統括責任者の判断を得る。明らかガイドラインの確認項目は"
        "経済産業省の最新の原文で確認し、この欄に反映する）:\n" + flags,
        "許可の要否: □ 不要　□ 輸出許可　□ 役務取引許可　（許可番号・条件【　】）",
        "審査結果: □ 取引可　□ 条件付き可【条件】　□ 取引不可　審査者【　】　承認（統括責任者）【　】",
    ))


def _organization_form(p: CompanyProfile, representative: str) -> DraftSection:
    lines = [
        f"最高責任者（代表者）: {representative}【氏名】",
        "　└ 統括責任者: 【役職・氏名】（最高責任者が任命）",
        "　　　├ 該非確認責任者: 【部署・氏名】",
        "　　　├ 取引審査責任者: 【部署・氏名】",
        "　　　├ 出荷管理責任者: 【部署・氏名】",
        "　　　├ 監査担当: 【部署・氏名（外部の専門家でも可）】",
        "　　　└ 教育担当: 【部署・氏名】",
    ]
    if p.overseas_subsidiaries:
        lines.append(f"　子会社の輸出管理窓口: {'・'.join(p.overseas_subsidiaries)}【氏名】")
    if p.small:
        lines.append("（兼務する場合は、同じ氏名を複数の欄に記入してください。）")
    return DraftSection("form_organization", "様式3　輸出管理体制図", tuple(lines))


def cp_forms(p: CompanyProfile, representative: str, grounds) -> tuple[DraftSection, ...]:
    """The three forms, with the 懸念国 named from the destination table."""
    concern = "・".join(dict.fromkeys(r.country for r in grounds.listed("別表第4"))) or "輸出令別表第4"
    return (_classification_form(), _screening_form(p, concern), _organization_form(p, representative))
