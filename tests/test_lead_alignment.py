"""The asked predicate aligned with what a cited sentence says of it (round 8): the asked clause read after its
reasons (「…だけで売るわけじゃないし、」), 「込み」「外れる」「…とは認められません」 read as the applies family, a
sentence about the complement (非居住者) never answering a question about 居住者, two sentences that each state one
asked case answering together, and a figure that is the topic of another predicate (「90日って、…も入る？」) not
asserted.  Every wording below is our own; the pipeline tests use the real pack."""

from __future__ import annotations

import pytest

from anpo import leads
from anpo.analysis import asked_sentence
from retrieval.textnorm import normalize

from lead_checks import first_line

RULES = leads.rules()


@pytest.mark.parametrize("ex", RULES.raw["complement_examples"], ids=lambda e: e["q"][:16])
def test_a_sentence_naming_only_the_complement_speaks_of_the_other_case(ex):
    assert leads.complement_subject(ex["q"], ex["s"]) is ex["other"]
    if ex["other"]:
        q = normalize(ex["q"])
        for word in ("はい。", "いいえ。"):
            assert not leads.agrees(word, asked_sentence(q), ex["s"], question=q)


def test_every_complement_case_serves_three_questions():
    assert sum(e["other"] for e in RULES.raw["complement_examples"]) >= 3
    assert sum(not e["other"] for e in RULES.raw["complement_examples"]) >= 3


@pytest.mark.parametrize("q", [
    "見本市に試作機を持ってくだけで売るわけじゃないし、これって輸出には当たらないですよね？",
    "図面を見せるだけで渡すわけじゃないから、技術の提供にはならないっすよね？",
    "サンプルを1個送るだけで商売じゃないので、許可とかは関係ないでしょ？",
])
def test_an_only_in_a_reason_is_no_only_question(q):
    assert not leads.exclusive(q)
    assert leads.after_reasons(q) != normalize(q)


@pytest.mark.parametrize("q", [
    "リスト規制って武器だけの話でしょ？",
    "キャッチオールは、グループA以外の国だけが対象ですよね？",
    "念のため聞きますが、罰金を払うのは違反した個人だけですか？",
])
def test_an_only_in_the_asked_clause_is_still_an_only_question(q):
    assert leads.exclusive(q)


@pytest.mark.parametrize("q", [
    "シンガポールの見本市に試作品を持ってくだけで売らないし、これって輸出には当たらないっすよね？",
    "展示会にサンプルを持っていくだけで販売はしないので、輸出には当たらないと考えていいですか。",
    "海外の展示会へ無償サンプルを持参するだけなので、輸出扱いにはならないでしょ？",
])
def test_taking_samples_to_a_fair_is_an_export_answered_no(pack, q):
    line = first_line(pack.ask(q))
    assert line.startswith("いいえ。") and "輸出に当たります" in line, line


@pytest.mark.parametrize("q", [
    "審査期間の90日って、補正を待ってる間も込みなんですか？",
    "審査期間の90日って、補正を待ってる間も入るんですか？",
    "審査期間90日って、補正の依頼に対応してる間も全部込みで90日ってことですよね？",
])
def test_the_90_days_asked_whether_correction_time_is_included_is_answered_no(pack, q):
    line = first_line(pack.ask(q))
    assert line.startswith("いいえ。") and "含まれません" in line, line


@pytest.mark.parametrize("q", [
    "日本に6か月以上住んでいる外国人社員は居住者なので、国内で技術を渡してもみなし輸出の管理対象からは外れますよね？",
    "居住者になった外国人社員なら、みなし輸出の対象から外れますよね？",
    "半年以上日本にいる留学生は居住者扱いだから、図面を見せてもみなし輸出の対象から外れるっすよね？",
])
def test_residents_are_never_confirmed_outside_deemed_exports(pack, q):
    assert not first_line(pack.ask(q)).startswith("はい")



@pytest.mark.parametrize("ex", RULES.raw["unasked_examples"], ids=lambda e: e["q"][:16])
def test_a_cost_predicate_and_a_comparison_name_no_topic(ex):
    fam, _ = leads.asked(ex["q"])
    spans = leads.unasked_spans(ex["q"], fam)
    for w in ex["words"]:
        assert any(w.lower() in sp for sp in spans), (w, spans)
    for w in ex.get("topic", ()):
        assert not any(w in sp for sp in spans), (w, spans)


def test_a_noun_described_like_something_stays_a_topic():
    # 「ドローンみたいな無人機」: an adnominal likeness names the thing asked about
    assert not leads.unasked_spans("ドローンみたいな無人機って規制される？", leads.family("applies"))


@pytest.mark.parametrize("q", [
    "経産省のアドバイザー派遣ってやつ、気になってるんですけど、コンサルみたいにけっこうお金取られるんですか？",
    "アドバイザーに来てもらうのって、民間のコンサル並みに費用かかる？",
    "アドバイザー派遣をお願いすると、コンサルみたいに費用を請求されるんでしょうか。",
])
def test_asked_whether_the_advisor_costs_like_a_consultancy_the_free_sentence_answers_no(pack, q):
    line = first_line(pack.ask(q))
    assert line.startswith("いいえ。") and "無料" in line, line


@pytest.mark.parametrize("q", [
    "海外の子会社に技術資料を渡すとき、渡し方がクラウド上での共有だけだとしても、技術の提供に該当しますか。",
    "海外子会社とはクラウドでファイルを共有してるだけなんですが、これも技術の提供になります？",
    "海外の子会社とクラウドで資料を共有するだけだとしても、技術の提供ってことになるんですか？",
    "海外子会社にクラウド経由で共有するだけなんですけど、それでも技術の提供に当たりますか。",
])
def test_sharing_through_the_cloud_only_is_still_a_provision_of_technology(pack, q):
    # 「…だけだとしても」「…だけなんですが、」 concede or preface: no "only X?" question (whose はい would need an extension)
    assert not leads.exclusive(q)
    line = first_line(pack.ask(q))
    assert line.startswith("はい。") and "技術の提供" in line, line


@pytest.mark.parametrize("q,word", [
    ("I'm flying to a trade fair in Bangkok next month and planned to bring two demo units in my checked luggage. "
     "Does carrying them myself count as exporting?", "Yes."),
    ("My boss is taking a prototype to a fair in Seoul in his suitcase. Is hand-carrying it abroad an export?", "Yes."),
    ("We will bring samples to an exhibition in Vietnam and take them home afterwards. That's not an export, right?", "No."),
])
def test_english_words_no_pack_sentence_holds_do_not_keep_the_lead_out(pack, q, word):
    # ("flying", "myself": the pack is Japanese, no sentence of it can state them)
    line = first_line(pack.ask(q))
    assert line.startswith(word) and "export" in line, line


@pytest.mark.parametrize("q", [
    "北朝鮮に送るのはダメでも、中国の会社を経由すれば問題ないよね？",
    "北朝鮮へは直接送れなくても、第三国経由ならいける？",
    "ロシアに交換部品を香港経由で送れば問題なかったりします?",
])
def test_sending_a_banned_destination_through_a_third_country_is_answered_no(pack, q):
    # the ban conceded before the asked clause (「ダメでも、」) is not what is asked; a ban of the banned destinations as
    # such (「禁止措置の対象国向けの貨物を、第三国の企業を経由して送ることも禁止」) answers for any goods sent that way
    line = first_line(pack.ask(q))
    assert line.startswith("いいえ。") and "経由" in line, line


@pytest.mark.parametrize("q", ["ロシアへの輸出って禁止なの？", "ベラルーシも禁止？", "北朝鮮って全部禁輸なんですか？"])
def test_asked_whether_a_destination_is_banned_the_ban_still_answers_yes(pack, q):
    assert first_line(pack.ask(q)).startswith("はい。")


@pytest.mark.parametrize("q,word", [
    ("Korea was taken off the white list a few years back, so it still isn't in Group A today, right?", "No."),
    ("South Korea is not in Group A anymore, correct?", "No."),
    ("韓国って一度ホワイト国から外されたから、今もグループAじゃないよね？", "いいえ。"),
    ("Is Korea back in Group A again?", "Yes."),
    ("韓国ってホワイト国に戻ったんだっけ？", "はい。"),
])
def test_a_group_change_told_as_the_reason_is_not_what_is_asked(pack, q, word):
    # "a few years back" is ago, not back in the group; "it isn't in Group A, right?" confirms a negative: No when it is
    assert first_line(pack.ask(q)).startswith(word)


@pytest.mark.parametrize("q,inverted", [("Isn't Korea in Group A?", True), ("Doesn't catch-all apply here?", True),
                                        ("it still isn't in group a, right?", False), ("korea is not in group a, correct?", False)])
def test_an_inverted_english_negative_is_told_from_a_negative_statement_with_a_tag(q, inverted):
    import re
    assert bool(re.match(RULES.raw["english_inverted"], q.lower())) is inverted


@pytest.mark.parametrize("ex", RULES.raw["exception_asked_examples"], ids=lambda e: e["q"][:16])
def test_asking_whether_an_exception_exists_is_told_from_asking_whether_it_may_be_done(ex):
    import re
    assert bool(re.search(RULES.raw["exception_asked"], normalize(ex["q"]))) is ex["asks"]


@pytest.mark.parametrize("q,word", [
    ("北朝鮮向けでも人道目的なら例外になることってあるの？", "はい。"),
    ("ロシア向けでも人道支援なら特例ってあるんですか？", "はい。"),
    ("Is there any exception to the North Korea ban for humanitarian goods?", "Yes."),
    ("人道目的なら北朝鮮に送れる？", "条件次第です。"),
])
def test_a_ban_exception_asked_to_exist_is_yes_asked_to_be_used_depends(pack, q, word):
    assert first_line(pack.ask(q)).startswith(word)


@pytest.mark.parametrize("ex", RULES.raw["complement_shared_examples"], ids=lambda e: e["q"][:16])
def test_what_two_applies_predicates_are_said_of_is_compared(ex):
    fam, _ = leads.asked(ex["q"])
    assert leads.complement_shared(ex["q"], ex["s"], fam) is ex["shared"]


@pytest.mark.parametrize("q,reason", [
    ("タダであげるんだから売買じゃないし、輸出管理の対象外ってことでいいですよね？", {"タダ", "売買"}),
    ("無料で渡すんだから取引じゃないし、海外へのサンプル送付は輸出管理の対象外ですよね？", {"無料", "取引"}),
    ("中古品だし、該非判定は省略でいいよね？", {"中古品"}),
])
def test_the_words_of_a_premises_reasons_are_told_apart(q, reason):
    words = ("タダ", "売買", "無料", "取引", "中古品", "輸出管理", "該非判定", "サンプル")
    assert set(leads.reason_words(q, words)) == reason


@pytest.mark.parametrize("q", [
    "展示会で知り合った海外のバイヤーに無償サンプルを送る予定です。タダであげるんだから売買じゃないし、輸出管理の対象外ってことでいいですよね？",
    "無料で渡すんだから取引じゃないし、海外へのサンプル送付は輸出管理の対象外ですよね？",
])
def test_free_samples_told_as_the_reason_are_still_exports(pack, q):
    line = first_line(pack.ask(q))
    assert line.startswith("いいえ。") and "輸出に当たります" in line, line


@pytest.mark.parametrize("ex", RULES.raw["absent_examples"], ids=lambda e: e["s"][:16])
def test_a_sentence_saying_something_is_absent_is_read(ex):
    import re
    assert bool(re.search(RULES.raw["absent"], normalize(ex["s"]))) is ex["absent"]


@pytest.mark.parametrize("q", [
    "お客さん（アメリカの代理店）から「非該当証明書送って」ってメールが来た。決まった書式とかあるの？何を書けばいい？",
    "非該当証明書って、決まった書式とかあるんですか？",
    "該非判定書に法律で決まった様式ってあります？",
])
def test_is_there_a_form_is_never_answered_yes_by_the_sentence_saying_there_is_none(pack, q):
    assert not first_line(pack.ask(q)).startswith("はい")
