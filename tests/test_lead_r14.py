"""Round 14 (helper lead): wrong polarity first, then a missing lead.
- a negation inside a modifier (「懸念が払拭されない企業・組織のリストで、…公表しています」) denies nothing of the predicate its
  main clause states (anpo.leads.predicative; leads.yaml adnominal_negation);
- "X is not needed, right?" and a sentence that itself says X is not needed and needs something else (「…を許可なく輸出
  できる特例で、…申告する必要があります」) states the premise: はい, not いいえ (anpo.leads.states_premise);
- the complement of a group (「グループA以外」「非ホワイト国」 "non-Group A") is answered the other way round (leads.group_complement);
- 「…であれば、…許可が必要です」 gives no はい when no word of its condition is told (leads.yaml only_if_soft);
- a question followed by what the asker tells after it is read at its asking sentence (anpo.leads.question_last).
Every wording is our own, in users' voices; none is copied from an eval set."""

from __future__ import annotations

import pytest

from anpo import leads
from anpo.analysis import load_rules

from lead_checks import assert_led


@pytest.mark.parametrize("row", leads.rules().raw["adnominal_negation_examples"], ids=lambda r: r["s"][:20])
def test_a_negation_inside_a_modifier_is_no_denial(row):
    assert leads.predicative(load_rules().premise["denies"], row["s"], row.get("q", "")) == row["denies"]


@pytest.mark.parametrize("row", leads.rules().raw["states_premise_examples"], ids=lambda r: r["q"][:20])
def test_a_sentence_saying_the_premise_and_another_need_states_it(row):
    assert leads.states_premise(row["q"], row["s"]) == row["states"]


@pytest.mark.parametrize("row", leads.rules().raw["question_last_examples"], ids=lambda r: r["q"][:20])
def test_the_asking_sentence_is_read_last(row):
    assert leads.question_last(row["q"]) == row["moved"]


@pytest.mark.parametrize("q, depends", [
    ("子会社相手でも許可って要るんですか？", True),
    ("海外の子会社に設計データを送るのにも許可っているの？", True),
    ("リスト規制に該当する技術の図面を子会社に送るのにも許可っているの？", False),
])
def test_a_condition_the_question_does_not_tell_makes_it_depend(q, depends):
    s = "外国での技術提供は提供する人が誰であっても許可の対象であり、リスト規制に該当する技術であれば、相手が自社の海外子会社であっても経済産業大臣の許可が必要です。"
    assert leads.only_if(q, s, soft=True) == depends


@pytest.mark.parametrize("q, outside", [
    ("韓国って今はグループA以外の扱いだよね？", True),
    ("韓国向けって今も非ホワイト国扱いなんだっけ？", True),
    ("South Korea is still treated as a non-Group A country today, right?", True),
    ("韓国ってグループAだっけ？", False),
])
def test_the_complement_of_a_group_is_read(q, outside):
    assert leads.group_complement(q) == outside


# ----------------------------------------------------------------- end to end, on the real pack

@pytest.mark.parametrize("q", [
    "海外のメーカーから無償で借りた試験機を無償で送り返すんですけど、許可なしで出せる特例ありましたよね？",
    "借りてた測定器を無償で返送するだけなら、許可なしで出せる特例がありましたよね？",
    "少額特例で出す分は許可がいらないんですよね。でも通関で何か申告しなきゃいけないことってあります？",
])
def test_a_sentence_stating_the_premise_is_no_contradiction(pack, q):
    assert_led(pack, q, "はい。", "許可", cited=True)


@pytest.mark.parametrize("q", [
    "South Korea is still treated as a non-Group A country today, right?",
    "韓国って今はグループA以外の扱いだよね？",
    "韓国向けって今も非ホワイト国扱いなんだっけ？",
])
def test_korea_is_not_outside_group_a(pack, q):
    assert_led(pack, q, ("いいえ。", "No."), cited=True)


@pytest.mark.parametrize("q", [
    "ベトナムの子会社に図面を送ってるんですが、子会社相手でも許可って要るんですか？",
    "海外の子会社に設計データを送るのにも許可っているの？",
    "自社の海外子会社に図面をメールするだけでも許可は要りますか？",
])
def test_a_licence_for_a_subsidiary_depends_on_the_technology(pack, q):
    assert_led(pack, q, "一概には言えません。", "リスト規制に該当する技術であれば", cited=True)


@pytest.mark.parametrize("q", [
    "外国ユーザーリストって、キャッチオール規制の導入のときから公表されてるんですよね？研修資料に年を書きたくて",
    "外国ユーザーリストって、キャッチオール規制が導入されたときから公表されてるという理解で合ってますか。新人研修で説明するので。",
    "外国ユーザーリストは、キャッチオール規制が導入されたときから公表されているという理解で正しいですか。社内報に載せたいので。",
])
def test_a_question_followed_by_a_remark_is_led(pack, q):
    assert_led(pack, q, "はい。", "2002年4月", cited=True)
