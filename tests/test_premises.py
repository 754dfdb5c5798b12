"""False premises and yes/no questions worded the way owners talk (「〜でしょ？」「〜じゃないよね？」
「〜って義務？」): each class is shown by three differently worded questions over the real pack.
A class passes when the lead has the right polarity AND is carried by a sentence that states it;
a wrong polarity is the worst failure, so some tests only forbid it."""

from __future__ import annotations

import re

import pytest

from anpo import leads
from anpo.analysis import asked_sentence
from retrieval.textnorm import normalize

from lead_checks import assert_led, first_line as _first_line


# 「輸出じゃないよね？」 asks the negative: a sentence saying it IS an export answers いいえ
NOT_AN_EXPORT = [
    ("手荷物で持っていくだけなら輸出じゃないよね？", "輸出に当たります"),
    ("展示会に持っていくのは輸出じゃないですよね？", "輸出に当たります"),
    ("無償で渡すサンプルは輸出ではないですよね？", "輸出に当たります"),
]


@pytest.mark.parametrize("q,says", NOT_AN_EXPORT)
def test_is_not_x_right_is_corrected_by_the_sentence_that_says_it_is(pack, q, says):
    assert_led(pack, q, "いいえ。", says, cited=True)


# "is it an obligation?" is a need question: a sentence saying it is 任意 answers いいえ
# (not the "is there an X?" rule, which the sentence's own 「義務」 would veto)
OBLIGATION = [
    "輸出管理の社内規程は作る義務があるんですか？",
    "CPの届出って義務なの？",
    "社内の輸出管理規程を作るのは法的な義務ですか？",
]


@pytest.mark.parametrize("q", OBLIGATION)
def test_asked_whether_a_voluntary_step_is_an_obligation_the_answer_is_no(pack, q):
    assert_led(pack, q, "いいえ。", "任意")


# 「何も気にせず／何も確認せず…していいよね？」 asserts nothing is needed
NOTHING_TO_CHECK = [
    "非該当なら何も気にせず輸出していいんですよね？",
    "非該当品なら何も気にせず海外に出していいよね？",
    "該非判定で非該当だったら、あとは何も確認せず出荷していいんでしょ？",
]


@pytest.mark.parametrize("q", NOTHING_TO_CHECK)
def test_nothing_to_worry_about_is_a_not_needed_premise_and_is_corrected(pack, q):
    assert_led(pack, q, "いいえ。", cited=True)


# a sentence that says something is NOT covered (「…対象にならない」) never corrects
# "nothing needs checking, right?" — it would agree with the premise
@pytest.mark.parametrize("q", [
    "客先がドイツだから、何も確認しなくていいよね？",
    "取引先がフランスの会社なので、特に何もしなくていいですよね？",
    "Since our customer is in Germany, we don't need to check anything, correct?",
])
def test_a_sentence_saying_not_covered_never_contradicts_a_not_needed_premise(pack, q):
    a = pack.ask(q)
    line = _first_line(a)
    if line.startswith(("いいえ。", "No.")):
        body = a.citations[0].text if a.citations else ""
        assert "対象にならない" not in line and "特許" not in line, line
        assert not re.search(r"対象(に|と)?(は)?ならな", normalize(body)) or "必要" in body, body


def test_negated_forms_read_as_asking_the_negative_but_not_the_suggestive_njanai():
    assert leads.asked("サンプルって輸出扱いじゃないでしょ？")[1]
    assert leads.asked("許可って必要じゃないよね？")[1]
    assert not leads.asked("これって輸出になるんじゃない？")[1]
    assert not leads.asked("これって輸出じゃないですか？")[1]          # 「…じゃないですか」 asks the positive


def test_objects_joined_by_to_share_the_predicate():
    # 「CPの策定と…への届出は任意」 speaks of 規程 as much as of 届出
    q = "輸出管理の社内規程は作る義務があるんですか？"
    s = "輸出者等遵守基準の遵守は法律上の義務である一方、輸出管理内部規程（CP）の策定と経済産業省への届出は任意とされています。"
    assert leads.polar_word(asked_sentence(normalize(q)), s) == "いいえ。"
    # …but an object governed by its own verb (を) does not (「包括許可を使う前に確認する必要」 is about 確認)
    s2 = "包括許可を使う前に、該当品目と仕向地の組合せを確認する必要があります。"
    assert leads.polar_word("包括許可はいらないよね？", s2) == ""


# a yes/no question that names a period (「審査期間って…も入るの？」) is answered はい/いいえ, not as a
# number question that wants the figure
@pytest.mark.parametrize("q", [
    "許可申請の審査期間って書類の補正をしてる間も入るの？",
    "審査期間の90日には、追加資料を出すまでの期間も含まれますか？",
    "補正の対応をしている期間も審査期間に数えられる？",
])
def test_a_yes_no_question_naming_a_period_gets_its_lead(pack, q):
    assert_led(pack, q, "いいえ。", "含まれません")


# a negative question asked plainly (not only 「…よね？」) is corrected by a sentence stating the
# asked predicate (「当たらないの？」 → いいえ。…当たります)
@pytest.mark.parametrize("q,says", [
    ("展示会に持っていくだけなら輸出には当たらないんですか？", "輸出に当たります"),
    ("無償のサンプルは輸出に当たらないの？", "輸出に当たります"),
    ("外国ユーザーリストの会社とは取引できないの？", "禁止されるものではありません"),
])
def test_a_plain_negative_question_is_corrected(pack, q, says):
    assert_led(pack, q, "いいえ。", says)


# …but never by a sentence about another country group or one that holds a condition
# (「グループA向けでも…場合に限って、インフォーム要件は適用されます」 is no いいえ to 「客観要件は適用されないの？」)
@pytest.mark.parametrize("q", [
    "グループAなら客観要件は適用されないの？",
    "グループAなら客観要件は適用されないよね？",
    "ホワイト国向けだと客観要件は当てはまらないんですか？",
])
def test_a_negative_question_is_not_contradicted_by_another_group_or_a_condition(pack, q):
    line = _first_line(pack.ask(q))
    assert not line.startswith("いいえ。"), line


# 「…って関係ある？」 asks whether it applies, not whether something exists: a sentence that merely
# names the words (「…責任の関係…」「…事前同意の手続き…」) never carries a はい
@pytest.mark.parametrize("q", [
    "来月クアラルンプールの展示会に、開発中の測定器を1台だけ手荷物で持っていって、終わったら持って帰ります。輸出の手続きって関係ある？",
    "うちみたいな小さい会社でも輸出管理って関係ありますか？",
    "展示会のサンプル持ち出しでも許可の手続きって関係あるの？",
])
def test_asked_whether_it_concerns_us_a_yes_needs_a_sentence_that_says_so(pack, q):
    line = _first_line(pack.ask(q))
    if line.startswith("はい。"):
        assert re.search(r"当たります|対象|必要", line) and not re.search(r"事前同意|責任の関係", line), line


# "only X, right?": never a はい from a sentence that speaks of X (or of the rest) — that reads both
# ways — and an いいえ only with a sentence that extends the rule beyond X
@pytest.mark.parametrize("q", [
    "キャッチオール規制ってグループA以外の国だけが対象ですよね？",
    "リスト規制って武器だけの話でしょ？",
    "外為法違反の罰金って担当者個人だけでしょ？",
    "The catch-all control only applies outside Group A, correct?",
])
def test_an_only_premise_is_never_confirmed_and_is_corrected_only_by_an_extension(pack, q):
    line = _first_line(pack.ask(q))
    assert not line.startswith(("はい。", "Yes.")), line
    if line.startswith("いいえ。"):
        assert leads.extends(line)
    if line.startswith("No."):      # 'even', or what holds for a group outside the asked ones
        assert re.search(r"\b(even|also|not only)\b", line, re.I) or leads.extends(line, asked_sentence(normalize(q))), line


# 「公開済みなら対象外でしょ？」 is true when the technology is 公知: a sentence saying it is 公知 (an
# exemption holding) never leads いいえ
@pytest.mark.parametrize("q", [
    "ネットに公開済みの技術なら規制の対象外ですよね？",
    "論文で発表済みの技術なら規制の対象外でしょ？",
    "カタログに載ってる技術情報は規制に当たらないよね？",
])
def test_an_exemption_that_holds_never_contradicts_a_not_covered_premise(pack, q):
    line = _first_line(pack.ask(q))
    assert not (line.startswith("いいえ。") and "公知の技術に含まれ" in line), line
    assert not (line.startswith("いいえ。") and "許可不要" in line), line


# English not-needed premises as foreign staff word them ('don't have to', 'are exempt', tag
# questions 'aren't they?' / 'do we?'): corrected with No + the sentence that says it is needed
@pytest.mark.parametrize("q,says", [
    ("Group A countries are exempt from list control, aren't they?", "licen"),
    ("A classification by the manufacturer means we don't have to check, right?", "check"),
    ("Since our customer is in Germany, we don't have to check anything, correct?", "check"),
    ("Free samples are not subject to export control, are they?", "export"),
])
def test_an_english_not_needed_premise_is_corrected(pack, q, says):
    line = _first_line(pack.ask(q))
    assert line.startswith("No.") and says in line.lower(), line
    assert "no licence" not in line.lower() and "industrial property" not in line.lower(), line


# 「グループAなら…いらないでしょ？」 is corrected by what holds for グループA (the inform requirement), never
# by what グループA以外 needs (「中小企業がグループA以外の国・地域へ…確認する必要」 names another group)
@pytest.mark.parametrize("q", [
    "ホワイト国向けならキャッチオールは関係ないよね？",
    "グループAならキャッチオールの確認はいらないでしょ？",
    "Group A countries don't need catch-all checks, right?",
])
def test_a_group_a_premise_is_corrected_but_not_by_what_groups_outside_a_need(pack, q):
    line = assert_led(pack, q, ("いいえ。", "No."), cited=True)
    assert not re.search(r"グループA以外|outside Group A", line), line


@pytest.mark.parametrize("q", ["非該当証明書ってうちが経産省に提出するものでしょ？", "非該当証明書は経済産業省に出す書類ですよね？",
                               "非該当証明書も経産省への提出書類だよね？"])
def test_a_premise_about_a_non_applicability_certificate_is_denied_by_the_sentence_about_it(pack, q):
    # 非該当 in the document's name is no negation in the question (it took the negated-question path and
    # gave no lead), and 「…書類ではないとされます」 denies (the 90日 sentence's 「含まれません」 carried the
    # いいえ when the closer sentence's denial was not read)
    assert_led(pack, q, "いいえ。", "非該当証明書", cited=True)


# 「…ってことでいい？」「…と理解してよろしいですか」「…という認識で合ってますか」 ask to confirm the
# proposition before them (not permission): the sentence stating it answers はい, one denying it いいえ
CONFIRM_YES = [
    ("工場見学で見せる技術って公知ってことでいい？", "公知の技術に含まれます"),
    ("展示会で見せている技術は公知として扱われると理解してよろしいですか", "公知の技術に含まれます"),
    ("研修生への技術指導もみなし輸出の対象という認識で合ってますか？", "技術の提供に当たります"),
    ("無償のサンプルも輸出に当たるってことでいいですか？", "輸出に当たります"),
    ("グループA向けでもリスト規制品なら許可が必要という理解で合ってますか？", "許可が必要です"),
    ("Am I right in thinking that a free sample also counts as an export?", "export"),
]


@pytest.mark.parametrize("q,says", CONFIRM_YES)
def test_a_proposition_asked_to_be_confirmed_is_confirmed_by_the_sentence_stating_it(pack, q, says):
    assert_led(pack, q, ("はい。", "Yes."), says, cited=True)


def test_a_proposition_asked_to_be_confirmed_is_denied_by_the_sentence_denying_it(pack):
    assert_led(pack, "外国ユーザーリストの会社とは取引できないって認識で合ってますか？", "いいえ。", "禁止されるものではありません", cited=True)


# 「Xってことですよね？」: a sentence with a denial word (「…呼称は法令上の用語ではない」) is no いいえ when
# a closer sentence states X (「グループA向けであっても…許可が必要です」)
PREMISE_STATED = [
    ("ホワイト国向けでもリスト規制品には許可が要るってことですよね？", "許可が必要です"),
    ("グループA向けでもリスト規制品なら許可が必要という理解で合ってますか？", "許可が必要です"),
    ("工場見学で見せる技術って公知ってことでいい？", "公知の技術に含まれます"),
    ("展示会で見せている技術は公知として扱われると理解してよろしいですか", "公知の技術に含まれます"),
]


@pytest.mark.parametrize("q,says", PREMISE_STATED)
def test_a_denial_elsewhere_does_not_deny_a_premise_a_closer_sentence_states(pack, q, says):
    assert not _first_line(pack.ask(q)).startswith("いいえ"), q
    assert_led(pack, q, "はい。", says)


# "Can we without X?" is not affirmed by a sentence about what can be done with X
@pytest.mark.parametrize("q", ["該非判定書がなくても輸出できると考えて大丈夫？", "メーカーの判定書なしで輸出できる？",
                               "許可を取らずに展示会へ持っていける？"])
def test_doing_without_is_never_affirmed_by_a_sentence_about_doing_with(pack, q):
    assert not _first_line(pack.ask(q)).startswith("はい"), q


# a cost question is answered by 「無料」 even when the sentence does not repeat the asker's cost word
@pytest.mark.parametrize("q", ["NACCSの申込みって料金かかる？", "NACCSを申し込むのに料金はかかりますか？", "NACCSの利用料金って発生する？"])
def test_free_answers_a_cost_question_in_other_words(pack, q):
    assert_led(pack, q, "いいえ。", "無料", cited=True)


# 「…しちゃいけないんでしょ？」「取引禁止ですか？」 ask whether it is prohibited: the sentence saying it is
# not (「…直ちに禁止されるものではありません」) answers いいえ, even below sentences about the list's contents
PROHIBITED_ASKED = [
    "ユーザーリスト掲載の会社には一切売っちゃいけないんですよね？",
    "外国ユーザーリストに出てる企業とは取引しちゃいけないんでしょ？",
    "外国ユーザーリストの会社とは取引できないって認識で合ってますか？",
]


@pytest.mark.parametrize("q", PROHIBITED_ASKED)
def test_asked_whether_it_is_prohibited_a_denied_ban_answers_no(pack, q):
    assert_led(pack, q, "いいえ。", "禁止されるものではありません", cited=True)


# a ban of other destinations' goods (Russia) is no はい to 「中国に…禁止？」
@pytest.mark.parametrize("q", ["中国に工作機械を輸出するのは禁止？", "インドに工作機械を輸出するのは禁止されてますか？",
                               "タイにドローンを送るのは禁止されてる？"])
def test_another_destinations_ban_never_answers_yes(pack, q):
    line = _first_line(pack.ask(q))
    assert not line.startswith("はい"), line


# a rule as it was (「運用明確化より前は…対象外とされていました」) never leads; the premise "residents are
# outside deemed-export control" is corrected
FORMER_RULE = [
    "技能実習生は居住者扱いだから、みなし輸出は関係ないよね？",
    "在留2年の外国人社員は居住者なので、みなし輸出は関係ないですよね？",
    "外国人スタッフでも居住者ならみなし輸出の対象外でしょ？",
    "Foreign employees who have lived in Japan for over six months are residents, so deemed export rules don't apply to them, right?",
]


@pytest.mark.parametrize("q", FORMER_RULE)
def test_a_former_rule_never_leads_and_the_premise_is_corrected(pack, q):
    line = assert_led(pack, q, ("いいえ。", "No."), cited=True)
    assert not re.search(r"より前は|でした|Before the clarification", line), line


# "Can it take longer than 90 days?" asks whether the period may run past its figure: the sentence saying what
# happens when it does (「90日を超える場合には…通知します」) answers はい; 「…期間は含まれません」 is no いいえ
@pytest.mark.parametrize("q", ["Can METI's examination take longer than 90 days?", "許可の審査って90日以上かかることもある？",
                               "審査が90日を超えることってありますか？", "審査期間が延びることもあるの？"])
def test_a_period_asked_whether_it_may_run_past_its_figure(pack, q):
    assert_led(pack, q, ("はい。", "Yes."), re.compile("90日を超える場合|longer than 90 days"), cited=True)


# 「Is it possible that …?」 asks "can it?": a sentence that merely includes something (「…要件には…が含まれます」) is no はい
def test_is_it_possible_is_not_affirmed_by_an_unrelated_inclusion(pack):
    line = _first_line(pack.ask("Is it possible that the licence review takes more than 90 days?"))
    assert "bulk licence" not in line and not line.startswith("No"), line


# a sentence whose main clause says only that something is needed (「…2週間程度かかるため、早めの手続きが必要です」)
# is no はい to 「すぐに使えるようになる？」; a denial elsewhere in a sentence that says nothing of the asked
# predicate (「非該当証明書は経済産業省に提出する書類ではない」) is no いいえ to 「…そのまま使っていいですよね？」
def test_a_need_is_no_yes_to_whether_it_can_be_used_soon(pack):
    line = _first_line(pack.ask("NACCSの利用申込みってすぐに使えるようになる？"))
    assert not line.startswith("はい"), line


@pytest.mark.parametrize("q", ["取引先の該非判定書をそのまま使っていいですよね？", "取引先からもらった該非判定書をそのまま使っても大丈夫ですよね？",
                               "メーカーから来た該非判定書は鵜呑みにしていいんですよね？"])
def test_a_denial_about_something_else_does_not_deny_the_premise(pack, q):
    line = _first_line(pack.ask(q))
    assert "提出する書類ではない" not in line, line


# a follow-up read as a whole question is often a statement with a question mark ("we cannot trade with them at all?"):
# a yes/no question when it names a predicate, led like one
DECLARATIVE = [
    ("we cannot trade with companies on the End User List at all?", "No.", "not automatically"),
    ("it counts as an export even if we only hand-carry it?", "Yes.", "hand"),
    ("we don't need a licence for Group A countries then?", "No.", "Group A"),
]


@pytest.mark.parametrize("q,word,says", DECLARATIVE)
def test_a_statement_asked_as_a_question_gets_its_lead(pack, q, word, says):
    assert_led(pack, q, word, says, cited=True)


# "for every shipment?" is not affirmed by a sentence saying what one case needs
@pytest.mark.parametrize("q", ["So we need a licence for every shipment?", "Do we need a licence for every export?",
                               "輸出するたびに毎回許可を取らないといけないの？"])
def test_every_case_is_never_affirmed_by_what_one_case_needs(pack, q):
    line = _first_line(pack.ask(q))
    assert not line.startswith(("はい", "Yes")), line


def test_a_licence_needed_answers_whether_it_is_controlled(pack):
    assert_led(pack, "社内の技術資料を海外に送るのも規制される？", "はい。", "許可が必要です", cited=True)
