"""Round 8: what a follow-up's pointer finds.  「その特例」 points at the 少額特例 the earlier question
named even when no pointer row knows 特例; 「それって」 after a question no subject row read points at
the pack's term or acronym it named, not at the whole question glued in front as a first part; an
empty English "it" ("How long does it take to …") is no pointer; a route through a third country
asked after a deal told keeps the told destination (the transit form's dialogues run in
test_followup_forms)."""

from __future__ import annotations

import pytest

from dialogue_checks import read


@pytest.mark.parametrize("turns, reads", [
    (["少額特例の上限額はいくら？", "中古品を売る場合だと、その特例って使えないの？"], "中古品を売る場合だと、少額特例"),
    (["特別一般包括許可の有効期間は何年ですか？", "違反があったら、その許可は取り消されることもある？"], "違反があったら、特別一般包括許可は"),
    (["キャッチオール規制って何？", "部品メーカーの立場だと、その規制はどこまで気にすればいい？"], "部品メーカーの立場だと、キャッチオール規制は"),
])
def test_that_noun_the_earlier_question_said_in_full_points_back_though_no_pointer_row_names_it(tables, turns, reads):
    """「ライフルみたいな武器の部類だと、その特例は使えないってこと？」 after 「少額特例って、どの項の貨物に
    使えるんですか？」 was read as a question of its own and refused (その特例 found nothing)."""
    r = read(turns, tables)
    assert r.kind == "followup" and r.question.startswith(reads), r.question


@pytest.mark.parametrize("turns, reads", [
    (["NACCSを使えるようになるまで、申込みから何日くらいかかる？", "それって有料？"], "NACCSは有料"),
    (["うちもNACCSで申請したいんだけど、申込書はどこに出せばいい？", "それって毎月お金かかる？"], "NACCSは毎月お金かかる"),
    (["STCの試験、申し込みはいつまで？", "それってオンラインでも受けられる？"], "STCの試験はオンラインでも"),
    (["CISTECのセミナー、次はいつある？", "それって会員以外も参加できる？"], "CISTECのセミナーは会員以外も"),
    (["How long does it take before we can log in to NACCS after applying?", "Is it free to use?"], "Is NACCS free to use"),
])
def test_a_pointer_after_a_question_no_subject_row_read_finds_the_term_it_named(tables, turns, reads):
    """「それって毎月の使用料とか、お金は取られるシステム？」 after a NACCS question with no subject phrase
    was read as that question glued in front: a two-part question whose first part was answered
    again and the second left unanswered (the 無料 sentence uncited, no いいえ)."""
    r = read(turns, tables)
    assert r.kind == "followup" and r.question.startswith(reads), r.question
    assert turns[0].rstrip("？?") not in r.question


@pytest.mark.parametrize("turn", [
    "How long does it take to get an individual licence?",
    "How much does it cost to join CISTEC?",
    "Roughly how many weeks does it take before METI decides on an application?",
])
def test_an_empty_it_before_what_it_stands_for_is_no_pointer(tables, turn):
    """A first turn "How long does it take to …?" was answered 'cannot be linked' (its "it" read as
    pointing back at nothing); a bare "How long does it take?" still points back."""
    assert read([turn], tables).kind == "new"
    assert read(["How long does it take?"], tables).kind == "unlinked"


@pytest.mark.parametrize("turns, told", [
    (["タイの新規のお客さんにサーボ付きの組立機を1台出します。", "社内で判定したら非該当でした。",
      "タイってグループAには入ってないんですよね？だとしたら追加で何を見ればいいの？"], "組立機"),
    (["中国の工場に射出成形機を2台出荷する予定です", "中国ってグループCでしたっけ。それなら何を確認すればいい？"], "射出成形機"),
    (["ベトナムの販売店にポンプを10台送ります", "うちで調べたらリスト非該当でした",
      "ベトナムは包括許可の対象外だよね？そうなると個別に何か手続きがいるの？"], "リスト非該当でした"),
])
def test_a_premise_then_an_ask_on_top_of_it_is_asked_of_the_deal_told(tables, turns, told):
    """「…ですよね？だとしたら…」 after a deal told was read as a question of its own about the country
    it names (the goods and the 非該当 told before lost, the catch-all check unsaid)."""
    r = read(turns, tables)
    assert r.kind == "followup" and told in r.question, r.question


def test_a_premise_with_nothing_asked_on_top_stays_its_own_question(tables):
    r = read(["インドの取引先に工作機械を送りたい", "インドってグループAじゃないよね？"], tables)
    assert "工作機械" not in r.question


def test_the_carry_on_row_reads_its_examples_only():
    import yaml
    from anpo.conversation import FOLLOWUPS_PATH, load_followups
    from retrieval.textnorm import normalize
    row = yaml.safe_load(FOLLOWUPS_PATH.read_text(encoding="utf-8"))["carry_on"]
    pattern = load_followups().carry_on
    assert len(row["examples"]) >= 3
    for e in row["examples"]:
        assert pattern.search(normalize(e)), e
    for e in row["not_examples"]:
        assert not pattern.search(normalize(e)), e


@pytest.mark.parametrize("turns, told", [
    (["マレーシアの商社にセンサーを卸してるんだけど、最近使い道を聞いても答えてくれない", "このまま売り続けても大丈夫？"], "使い道を聞いても答えてくれない"),
    (["UAEの代理店にポンプを毎月出してます。転売先は教えてもらえません", "今まで通り出し続けていいのかな？"], "転売先は教えてもらえません"),
    (["ベトナムの客先に工作機械を納めてる。最近、軍の関係者が工場に出入りしてるらしい", "このまま取引を続けていいですか？"], "軍の関係者"),
])
def test_whether_to_carry_on_with_the_deal_told_is_asked_after_that_story(tables, turns, told):
    """「このまま出荷を続けちゃっていいもんですか？」 after 「…最終ユーザーは代理店も知らないらしいんです」 was
    read 「中国向け・代理店について、…」: the unknown end user told was lost (and with it the いいえ of the
    confirm-first sentence); 「転売先は教えてもらえません」 was read as asking (教えて)."""
    r = read(turns, tables)
    assert r.kind == "followup" and told in r.question, r.question


@pytest.mark.parametrize("turns, reads", [
    (["経産省から「許可を申請しなさい」って通知が来ることってあるの？", "韓国向けでもそれが来る？"], "「許可を申請しなさい」って通知が来る"),
    (["「キャッチオール」って規制は何のためにあるの？", "それって韓国向けにもかかる？"], "「キャッチオール」って規制は"),
    (["「該非判定書」って書類は誰が作るの？", "それって英語で作ってもいい？"], "「該非判定書」って書類は"),
])
def test_a_quoted_phrase_and_the_noun_it_names_is_what_the_pointer_finds(tables, turns, reads):
    """Round 9: 「それが届くことある？」 after 「経産省から「許可を申請しなさい」って通知が届くことがあるって本当？」
    read 「経産省から「許可を申請しなさい」が届く…」: the quotative って's noun (通知) was cut off the subject."""
    r = read(turns, tables)
    assert r.kind == "followup" and reads in r.question, r.question
