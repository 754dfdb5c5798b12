"""Leads for yes/no questions asked in forms the family tables missed (anpo.leads, anpo.compose):
negatives without ない (「無関係」) or with a particle inside (「必要まではない」「必要もない」), "never",
a sentence contrasting two subjects (「Aは義務である一方、Bは任意」), a sentence naming X as an example
of Y, and "not necessarily" correcting "surely not".  Each class is asked in three wordings of our
own (SME, advisor, English), through the real pack."""

from __future__ import annotations

import re

import pytest

from anpo import leads

from lead_checks import assert_led

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
