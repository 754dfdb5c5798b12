"""Out of scope, in both languages: each row of anpo/data/out_of_scope.tsv names a neighbouring
field, its terms in Japanese and English and ≥ 3 example questions, each refused by that row;
a term the best passages themselves name is not refused (for an English term: the row's
Japanese terms), and in-scope questions that merely mention such words are answered."""

from __future__ import annotations

import pytest
from scope_checks import assert_answered, assert_field

from anpo.scope import _pattern, other_field, rows
from retrieval.textnorm import normalize

ROWS = rows()


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.field + ":" + r.terms[0])
def test_every_row_serves_three_questions_and_every_term_is_used(row):
    assert len(set(row.examples)) >= 3, row.field
    for t in row.terms:
        assert any(_pattern(t).search(normalize(q)) for q in row.examples), (row.field, t)


@pytest.mark.parametrize("row,q", [pytest.param(r, q, id=f"{r.field}:{q[:30]}") for r in ROWS for q in r.examples])
def test_an_example_is_refused_by_its_row(row, q):
    assert_field(q, "", row.field)


@pytest.mark.parametrize("q,evidence", [
    ("How long does customs clearance take for a licensed export?", "輸出通関の際に税関から提示を求められることがあります。"),
    ("Is the HS code classification used for the Russia ban?", "HSコードの分類で決まるものがあります。"),
    ("通関のときに許可証は必要？", "輸出通関の際に税関に提示します。"),
])
def test_a_term_the_passages_name_is_not_refused(q, evidence):
    assert other_field(q, evidence) is None


@pytest.mark.parametrize("q", ["Is it fine to export samples?", "What is the year the rule changed?",
                               "Does a resident foreign engineer need a licence?", "Is a patent publication publicly available technology?"])
def test_words_inside_other_words_are_not_terms(q):
    # "ear" is not in "year", "visa" is not in "advisable"; residents and patents are in scope
    assert other_field(q, "") is None


@pytest.mark.parametrize("q", ["ロシアから木材を輸入するときの規制は？", "Is importing vodka from Russia banned?",
                               "北朝鮮からの輸入は禁止されていますか？"])
def test_import_bans_are_in_scope(q):
    assert other_field(q, "") is None


@pytest.mark.parametrize("q", [
    "When we use the small-value exemption, what do we declare at customs?",
    "Will customs ask for our classification sheet when we export?",
    "Is the HS code used to decide which goods are banned for Russia?",
    "Do we need an export licence for goods we imported free of charge and now return?",
    "通関業者に任せているけど、該非判定は誰の責任？",
    "We pay a customs broker to do the paperwork. Who is responsible for the classification, them or us?",
    "We import parts and re-export them to Thailand. Is that an export?",
    "Is it true that a company can be banned from exporting for up to three years?",
    "Does a foreign employee who has lived in Japan for over six months count as a resident?",
    # 就業規則 (labour law row) and leases (property row) are the pack's own when the question asks the
    # 特定類型 self-declaration or goods leased abroad (the rows' `unless` column)
    "就業規則で特定類型の申告義務を定めておけば足りますか？",
    "従業員の兼業を就業規則で報告させていれば、特定類型の確認は十分？",
    "We lease our machines to a customer in Thailand. Is that an export?",
])
def test_in_scope_questions_naming_neighbouring_words_are_answered(pack, q):
    # the neighbouring word is the pack's own (通関 in the passages) or is told in the situation
    # while the asked piece names the pack's words (scope._asks_about_the_pack)
    assert_answered(pack, q, cited=False)


@pytest.mark.parametrize("q", [
    "この部品をアメリカに送ると関税率は何%？",
    "ベトナム向けの関税率ってどれくらい？",
    "What duty rate applies to valves? I heard 関税率 is high.",
])
def test_a_term_inside_a_longer_compound_of_the_passages_is_not_named(q):
    # the pack's 関税率表 (the tariff schedule behind HS codes) is not 関税率 (a duty rate)
    assert_field(q, "ロシア向けの輸出禁止の対象には、関税率表の番号（HSコード）で決まるものがあります。", "関税（税率）")


@pytest.mark.parametrize("q", ["関税率表の番号で決まる禁止品目は？", "ロシア向けは関税率表の番号で調べるの？",
                               "Is the ban on Russia decided by the 関税率表 number?"])
def test_the_same_compound_in_question_and_passages_is_named(q):
    assert other_field(q, "対象には、関税率表の番号（HSコード）で決まるものがあります。") is None


@pytest.mark.parametrize("q", ["Which customs broker should we choose for our first export?",
                               "Is there a good customs broker near Nagoya port?",
                               "How much does a customs broker charge for an export declaration?"])
def test_an_english_term_needs_its_own_japanese_word_in_the_passages(q):
    # "customs broker" = 通関業者: passages about 輸出通関 do not make a broker question the pack's
    assert_field(q, "輸出通関の際に税関から許可証の提示を求められることがあります。", "通関手続")
    assert other_field(q, "通関業者に通関を依頼しても、該非判定の責任は輸出者にあります。") is None


@pytest.mark.parametrize("q", ["取引先との売買契約書に印紙税はかかりますか？海外の会社との契約です。",
                               "Do we need a revenue stamp on the contract? The buyer is our long-time customer in Thailand.",
                               "輸出の見積書にも収入印紙は要りますか？取引先は台湾の商社で、該非判定も済んでいます。"])
def test_a_remark_after_the_question_mark_is_not_the_asked_piece(q):
    # the pieces after the last ？ tell the situation; the asked piece is the one that names 印紙
    ev = "取引先との契約書や注文書は輸出許可の日から5年間保存します。該非判定の結果は台湾の商社にも伝えます。"
    assert_field(q, ev, "印紙税")


@pytest.mark.parametrize("row", [r for r in ROWS if r.desk != "—"], ids=lambda r: r.field)
def test_every_field_and_desk_has_its_english_name(row):
    # an English question is refused in English: the field and the desk are named, not left in Japanese
    import yaml
    from anpo.english import PHRASES_PATH
    p = yaml.safe_load(PHRASES_PATH.read_text(encoding="utf-8"))
    assert row.field in p["fields"] and row.desk in p["desks"], (row.field, row.desk)
