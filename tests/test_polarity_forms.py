"""Leads for yes/no questions asked in forms the family tables missed (anpo.leads, anpo.compose):
negatives without ない (「無関係」) or with a particle inside (「必要まではない」「必要もない」), "never",
a sentence contrasting two subjects (「Aは義務である一方、Bは任意」), a sentence naming X as an example
of Y, and "not necessarily" correcting "surely not".  Each class is asked in three wordings of our
own (SME, advisor, English), through the real pack."""

from __future__ import annotations

import re

import pytest

from anpo import leads

from lead_checks import assert_led, first_line

RULES = leads.rules()


@pytest.mark.parametrize("ex", RULES.raw["contrast_examples"], ids=lambda e: e["q"][:16])
def test_a_contrasting_sentence_is_read_in_the_clause_about_the_asked_words(ex):
    assert leads.polar_word(ex["q"], ex["s"], tuple(ex.get("words", ()))) == ex["word"]


@pytest.mark.parametrize("ex", RULES.raw["obligation_examples"], ids=lambda e: e["q"][:16])
def test_the_nai_of_an_obligation_asks_no_negative(ex):
    from anpo.compose import load_rules
    negated = load_rules().premise["negated"]
    assert bool(negated.search(leads.without_obligation(ex["q"]))) == ex["negative"]


def test_a_sentence_without_contrast_is_read_whole():
    s = "輸出者等遵守基準は、リスト規制品を扱うかどうかにかかわらず、業として輸出等を行うすべての輸出者等に適用される部分があります。"
    assert leads.clause_about(s, ("遵守基準",)) == s


@pytest.mark.parametrize("q", [
    "輸出者等遵守基準は義務ですか",                                   # advisor
    "遵守基準って法律で守らなきゃいけないものなの？",                  # SME
    "Are the exporter compliance standards mandatory?",               # English
])
def test_an_obligation_stated_in_the_first_half_of_a_contrast_answers_yes(pack, q):
    assert_led(pack, q, ("はい。", "Yes."), cited=True)


@pytest.mark.parametrize("q", [
    "一度非該当と判定した製品は、リストが改正されても判定し直す必要まではないですよね？",
    "リスト改正のたびに該非判定を見直す必要もないでしょ？",
    "昔の非該当判定があるなら、改正後に該非判定をやり直す必要なんてないよね？",
])
def test_not_needed_with_a_particle_inside_is_a_negative_question(pack, q):
    assert_led(pack, q, "いいえ。", re.compile("(見直す|該非判定することが)必要"), cited=True)


@pytest.mark.parametrize("q", [
    "非該当の製品ならキャッチオールとは無関係ってことでいい？",
    "16項に載ってる非該当品はキャッチオールと無関係でしょ？",
    "リスト規制に当たらないなら、キャッチオールは関係ないよね？",
])
def test_surely_unrelated_is_corrected_by_a_sentence_saying_it_may_apply(pack, q):
    assert_led(pack, q, "いいえ。", "キャッチオール", cited=True)


@pytest.mark.parametrize("q,says", [
    ("USBメモリで技術データを海外に持ち出すのも技術の提供？", "USBメモリ"),
    ("外国企業の役員を兼ねているうちの取締役は特定類型に入るの？", "例として"),
    ("うちの従業員が外国企業と兼業していたら特定類型に当たる？", "例として"),
])
def test_a_sentence_naming_the_case_as_an_example_answers_yes(pack, q, says):
    assert_led(pack, q, "はい。", says, cited=True)


# ----------------------------------------------------------------- a destination where it cannot be used

@pytest.mark.parametrize("q,says", [
    ("Can we use the small-value exemption for Iran?", "Iran"),
    ("イラン向けでも少額特例って使える？", "イラン"),
    ("少額特例はイラク向けの輸出にも適用できますか？", "イラク"),
])
def test_a_sentence_saying_it_cannot_be_used_for_the_named_destination_answers_no(pack, q, says):
    assert_led(pack, q, ("いいえ。", "No."), says, cited=True)


# ----------------------------------------------------------------- only under a condition the question does not name

@pytest.mark.parametrize("ex", RULES.raw["only_if_examples"], ids=lambda e: e["q"][:16])
def test_only_if_rows_serve_their_examples(ex):
    assert leads.only_if(ex["q"], ex["s"]) == ex["depends"]


@pytest.mark.parametrize("q", [
    "台湾向けは許可いる？",
    "グループA向けでもインフォーム要件って適用される？",
    "ドイツ向けの輸出にインフォーム要件って適用されますか？",
])
def test_a_yes_that_holds_only_under_an_unnamed_condition_is_it_depends(pack, q):
    assert_led(pack, q, "一概には言えません。", "限", cited=True)


def test_a_yes_whose_condition_the_question_names_stays_yes(pack):
    assert_led(pack, "インフォーム通知が来たら許可いるの？", "はい。", "インフォーム通知", cited=True)


# ----------------------------------------------------------------- "it's N years / N yen, right?"

@pytest.mark.parametrize("ex", RULES.raw["figure_examples"], ids=lambda e: e["q"][:16])
def test_figure_rows_serve_their_examples(ex):
    assert leads.figure_word(ex["q"], ex["s"]) == ex["word"]


@pytest.mark.parametrize("q,word,says", [
    ("非会員の中小企業がCISTECに該非判定を頼むと71,500円で合ってる？", "はい。", "71,500円"),           # advisor
    ("NACCSって申し込んでから使えるまで2週間くらいでしたっけ？", "はい。", "2週間"),                     # SME
    ("外為法違反の拘禁刑って最長10年だよね？", "はい。", "10年以下"),                                     # the 10-year case beside a 5-year one
    ("無許可輸出の行政制裁って、輸出禁止が最長5年なんですよね？", "いいえ。", "3年以下"),
    ("許可の審査は原則60日以内ですか？", "いいえ。", "90日以内"),
])
def test_an_asserted_figure_is_checked_against_the_sentence_that_states_it(pack, q, word, says):
    assert_led(pack, q, word, says, cited=True)


def test_a_figure_said_of_something_else_neither_confirms_nor_denies():
    s = "北朝鮮向けの輸出禁止に違反した場合は、外為法の罰則（5年以下の懲役若しくは罰金又はその併科）や行政制裁の対象となることがあります。"
    assert leads.figure_word("行政制裁で輸出禁止を食らうと最長5年って聞いたけど合ってる？", s) == ""


# ----------------------------------------------------------------- a condition is no premise

@pytest.mark.parametrize("q", [
    "許可なしで輸出したら罰則があるんですよね？",
    "許可なしで技術を提供したら罰せられるんでしょ？",
    "If we export without a licence, there are penalties, right?",
])
def test_a_not_needed_word_inside_a_condition_asserts_nothing(pack, q):
    from anpo.analysis import analyse
    assert analyse(q).premise != "not_needed"
    line = first_line(pack.ask(q))
    assert not line.startswith(("いいえ。", "No.")), line


@pytest.mark.parametrize("q", [
    "少額なら許可なしで出せるんでしょ？",
    "サンプルを送ったら許可はいらないよね？",
    "If it is a sample, we don't need a licence, right?",
])
def test_a_not_needed_word_in_the_asserted_clause_is_still_a_premise(q):
    from anpo.analysis import analyse
    assert analyse(q).premise == "not_needed"


@pytest.mark.parametrize("q,rest", [
    ("許可なしで輸出したら罰則があるんですよね？", "罰則があるんですよね?"),
    ("If we export without a licence, there are penalties, right?", " there are penalties, right?"),
    ("無許可で技術を提供した場合、会社も罰金になる？", "会社も罰金になる?"),
    ("サンプルは無償だから輸出には当たらないですよね？", "サンプルは無償だから輸出には当たらないですよね?"),     # 当たら is no たら
    ("少額なら許可なしで出せるんでしょ？", "少額なら許可なしで出せるんでしょ?"),                                   # なら asserts
])
def test_a_condition_is_read_apart_from_the_asserted_clause(q, rest):
    assert leads.without_condition(q) == rest


# ----------------------------------------------------------------- "not needed in the excepted case?" / "is there …?" without ？

@pytest.mark.parametrize("ex", RULES.raw["except_examples"], ids=lambda e: e["q"][:16])
def test_except_rows_serve_their_examples(ex):
    assert leads.excepted(ex["q"], ex["s"]) == ex["excepted"]


@pytest.mark.parametrize("q", [e["q"] for e in RULES.raw["except_examples"] if e["excepted"]])
def test_not_needed_in_the_case_a_sentence_excepts_is_yes(pack, q):
    assert_led(pack, q, "はい。", "を除き", cited=True)


@pytest.mark.parametrize("q", [
    "特別一般包括許可を初めて申請するとき、経済産業省の実地調査はありますか。",
    "特一包括の新規申請には実地調査がありますか",
    "特別一般包括許可を新しく取る場合、事前の実地調査ってありますか。",
])
def test_is_there_asked_without_a_question_mark_is_yes_no(pack, q):
    assert_led(pack, q, "はい。", "実地調査", cited=True)
