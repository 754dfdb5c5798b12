"""Mixed questions: one part the pack covers, one part of a neighbouring field (duty, visas, trade
terms, consumption tax …).  The covered part is answered with its citations, and a last line says
the other part is out of scope and names that field's desk (anpo.scope.in_scope_rest,
other_part_line); a question whose every part is out of scope stays refused."""

from __future__ import annotations

import re

import pytest
from scope_checks import assert_refused

from anpo import scope

# (question, the field its other part is about, a word the answer to the covered part must carry)
MIXED = [
    ("タイに測定器を送るんですが、輸出許可はいりますか？あと向こうの関税はいくらかかりますか？", "関税（税率）", "許可"),
    ("みなし輸出って何ですか？それと、外国人社員のビザの更新はどこでやればいい？", "出入国管理", "みなし輸出"),
    ("該非判定書は何年保存？あと、消費税の輸出免税の書類は？", "消費税（輸出免税など）", "保存"),
    ("キャッチオール規制って何？ついでに、FOBとCIFの違いも教えて", "貿易取引条件", "キャッチオール"),
]
MIXED_EN = [
    ("Do we need an export licence for pumps to Vietnam, and what is the import duty there?", "customs duty rates", "licence"),
    ("What is a catch-all control? Also, which Incoterm should we use?", "trade terms", "catch-all"),
    ("What is a deemed export? And how do we renew a work visa for our engineer?", "immigration", "deemed export"),
]


@pytest.mark.parametrize("q,field,word", MIXED, ids=[q[:24] for q, *_ in MIXED])
def test_a_mixed_question_answers_its_covered_part_and_names_the_other_desk(pack, q, field, word):
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer
    body, last = a.answer.rstrip().rsplit("\n", 1)
    assert word in body and re.search(r"\[\d+\]", body), a.answer
    assert f"「{field}」" in last and "対象外" in last and "ご確認ください" in last, last
    assert not pack.check(a)                      # every [n] resolves, every cited text is a passage


@pytest.mark.parametrize("q,field,word", MIXED_EN, ids=[q[:24] for q, *_ in MIXED_EN])
def test_an_english_mixed_question_says_the_other_part_in_english(pack, q, field, word):
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer
    body, last = a.answer.rstrip().rsplit("\n", 1)
    assert word in body.lower(), a.answer
    assert field in last and "outside this knowledge base" in last, last
    assert not re.search(r"[\u3040-\u30ff\u3400-\u9fff]", last), last
    assert not pack.check(a)


@pytest.mark.parametrize("q", [
    "関税はいくら？あと、通関業者の選び方も教えて",                    # both parts of other fields
    "Which Incoterm is cheapest? And what is the import duty in Brazil?",
    "FOBとCIFの違いは？それと、ビザの更新はどこで？",
])
def test_a_question_whose_every_part_is_out_of_scope_stays_refused(pack, q):
    assert_refused(pack, q, "")


@pytest.mark.parametrize("q", [
    "初めての輸出で不安なんですが、インボイスに貼る収入印紙はいくら分必要ですか？",   # one part, the situation told before it
    "取引先との売買契約書に印紙税はかかりますか？海外の会社との契約です。",           # a remark after the ？ is no part
    "We ship sensors to Germany next month. How long does sea freight take?",
])
def test_a_one_part_question_has_no_rest(q):
    found = scope.other_field(q, "")
    assert found is not None and scope.in_scope_rest(q, found.term) == ""


@pytest.mark.parametrize("q,rest", [
    ("タイに測定器を送るんですが、輸出許可はいりますか？あと向こうの関税はいくらかかりますか？",
     "タイに測定器を送るんですが、輸出許可はいりますか？"),
    ("Do we need an export licence for pumps to Vietnam, and what is the import duty there?",
     "Do we need an export licence for pumps to Vietnam?"),
    ("What is a catch-all control? Also, which Incoterm should we use?", "What is a catch-all control?"),
])
def test_the_rest_is_the_question_less_the_part_naming_the_field(q, rest):
    found = scope.other_field(q, "")
    assert scope.in_scope_rest(q, found.term) == rest


@pytest.mark.parametrize("q", [
    "中国で商標登録しておいたほうがいい？費用はどのくらい？",
    "タイ向けの関税はいくら？期間はどれくらい？",
    "Which Incoterm is best for us? How much does it cost?",
])
def test_a_part_asking_on_about_the_other_field_goes_with_it(pack, q):
    # 「費用はどのくらい？」 opens no new question: the cost asked is the trademark's, not covered
    found = scope.other_field(q, "")
    assert found is not None and scope.in_scope_rest(q, found.term) == ""
    assert_refused(pack, q, "")


# -- the neighbouring field asked first, the pack's question last ----------------------------------

ASKED_FIRST = [
    ("What's the import duty in Mexico? And do we need a licence for the sensors?", "customs duty rates"),
    ("Is a work visa needed for our new engineer? Also, can he see controlled drawings before it arrives?", "immigration"),
    ("ビザの更新はどこで？あと、外国人社員に図面を見せるのはみなし輸出？", "出入国管理"),
    ("インコタームズはどれがいい？それと、キャッチオール規制って何？", "貿易取引条件"),
]


@pytest.mark.parametrize("q,field", ASKED_FIRST, ids=[q[:24] for q, _ in ASKED_FIRST])
def test_a_field_asked_in_a_part_of_its_own_is_named_even_when_the_last_part_is_ours(pack, q, field):
    # the last part asks about the pack, so the scope gate lets the question through
    # (scope.other_field); the answer still says the first part is not covered
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer
    last = a.answer.rstrip().rsplit("\n", 1)[1]
    assert field in last and ("対象外" in last or "outside this knowledge base" in last), last


@pytest.mark.parametrize("q", [
    "Our engineer is waiting for his work visa. Can he see controlled drawings?",     # the visa is told, not asked
    "関税のことはわかっています。該非判定は誰がするの？",
    "We already asked customs about the duty. Is a licence needed for sensors to Vietnam?",
])
def test_a_field_only_told_is_not_named(q):
    assert scope.other_part_asked(q, "") is None


# -- the neighbouring field named only to set it aside ----------------------------------------------

SET_ASIDE = [
    ("電波法の技適とは別に輸出許可って必要？", "電波法（技適）"),
    ("技適の話は別として、無線モジュールって輸出規制の対象ですか？", "電波法（技適）"),
    ("EU向けのCEマーキングとは別に、日本の輸出許可って要る？", "外国の製品規制"),
    ("FDAの登録は置いといて、アメリカ向けの分析装置に該非判定は必要ですか？", "外国の製品規制"),
    ("Besides the CE marking, do we need a Japanese export licence for machine tools going to Germany?", "foreign product"),
]


@pytest.mark.parametrize("q,field", SET_ASIDE, ids=[q[:24] for q, _ in SET_ASIDE])
def test_a_field_set_aside_is_named_and_what_follows_is_answered(pack, q, field):
    """「…とは別に」「…は別として」「…は置いといて」 "Besides …,": the field is named only to set it aside, the question
    asks what follows (scope._set_aside): answered with citations, the last line naming the field as out of scope."""
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer
    last = a.answer.rstrip().rsplit("\n", 1)[1]
    assert field in last and ("対象外" in last or "outside this knowledge base" in last), last
    assert not pack.check(a)


@pytest.mark.parametrize("q", [
    "輸出許可とは別に、関税はいくらかかる？",                  # set aside is the pack's word; the field is asked
    "技適とは別に、電波法で何か届出はいる？",                  # the field is asked after the set-aside clause too
    "CEマーキング以外に、FDAの登録も必要？",                   # another field's word follows
    "Besides the export licence, what import duty will Germany charge?",
])
def test_what_follows_a_set_aside_clause_is_judged_on_its_own(pack, q):
    assert_refused(pack, q, "")
