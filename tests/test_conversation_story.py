"""Round 9: a question asked right after a story told (nothing asked yet) is about that story
unless it names a term of the pack of its own.  「会期が終わったらそのまま持って帰るんで、輸出とかの
話は関係ないですよね？」 after the fair trip told was read as a question of its own (its 「…持って」
looked like a topic 「Xって」) and answered with an unrelated sample story; the told 持ち出し was lost."""

from __future__ import annotations

import pytest

from dialogue_checks import read


@pytest.mark.parametrize("turns, told", [
    (["来週シンガポールの展示会に、検査装置を出展のため持っていきます", "展示が終わったら持って帰るので、許可とか関係ないですよね？"], "検査装置"),
    (["アメリカの客から非該当証明書を出してくれって言われました", "決まった書式ってある？"], "非該当証明書"),
    (["台湾の子会社に設計図面をメールで送るつもりです", "パスワード付きのファイルって大丈夫？"], "台湾"),
    (["中国の代理店に真空ポンプを出荷する予定です", "前回と同じ型番って、また判定しなおし？"], "真空ポンプ"),
])
def test_a_question_after_a_story_told_is_asked_of_that_story(tables, turns, told):
    r = read(turns, tables)
    assert r.kind == "followup" and told in r.question, (r.kind, r.question)


@pytest.mark.parametrize("turn", ["少額特例って何？", "キャッチオール規制って何？", "外国ユーザーリストって誰が作ってるの？"])
def test_a_term_of_the_pack_asked_after_a_story_stays_its_own_question(tables, turn):
    r = read(["来月タイの展示会に製品を持っていきます", turn], tables)
    assert r.kind == "new", r.question


@pytest.mark.parametrize("turn", ["消費税ってかかる？", "ビザって会社で取ってあげるもの？", "関税って何%くらい？"])
def test_a_neighbouring_fields_aside_after_a_story_stays_its_own_question(tables, turn):
    """消費税 is no term of the pack either, but an aside of another field is refused alone, not
    answered glued to the deal."""
    r = read(["タイの子会社に図面を送りたい", turn], tables)
    assert r.kind == "new", r.question


@pytest.mark.parametrize("turns, claim", [
    (["イランに医療機器を送るのは大丈夫らしいです", "向こうの代理店経由だったら？"], "大丈夫らしい"),
    (["中国の大学に測定器を売るのは許可がいるって言われました", "じゃあ現地の子会社向けなら？"], "許可がいる"),
    (["ベラルーシに炭素繊維を出すのは禁止だと聞いた", "日本企業の現地法人が相手なら？"], "禁止"),
])
def test_a_party_the_turn_brings_in_is_asked_with_the_story_told_whole(tables, turns, claim):
    """「じゃあ、うちが100%出資してる現地法人向けだったら？」 after 「ロシア向けに工作機械を出すのは禁止って
    聞きました」 was 「工作機械・ロシア向け・子会社について、…」: the slots lose the claim told (禁止), and
    the exception sentence was cited with no 条件次第."""
    r = read(turns, tables)
    assert r.kind == "followup" and claim in r.question, r.question


def test_the_told_goods_row_reads_its_examples_only():
    from anpo.conversation import load_followups, told_goods
    row = load_followups().told_goods
    for text, goods in row["examples"]:
        assert told_goods(text) == goods, text
    for text in row["not_examples"]:
        assert told_goods(text) == "", text


@pytest.mark.parametrize("turns, goods", [
    (["韓国の客先に樹脂ペレットを送ります", "それって規制リストのどこかに載ってる？"], "樹脂ペレット"),
    (["インドネシアの工場にうちの攪拌機を出荷する予定です", "リスト規制だと何項になりそう？"], "攪拌機"),
    (["メキシコの子会社に検査治具を送ることになりました", "それって該非判定いる？"], "検査治具"),
])
def test_goods_no_product_row_reads_are_carried_with_the_slots(tables, turns, goods):
    """「それって規制リストだと何項あたりに引っかかりそう？」 after 「…プラスチック原料用の混合機を出す話が
    進んでまして」 was asked 「ベトナム向けについて、…」: the goods were lost and a destination answer given."""
    r = read(turns, tables)
    assert r.kind == "followup" and r.question.startswith(goods + "・"), r.question


@pytest.mark.parametrize("turns", [
    ["シンガポールの代理店にセンサーを売る予定です", "あそこって別表第3の国でしたっけ？"],
    ["マレーシアの客先に治具を送ります", "その国ってグループAじゃないよね？"],
    ["ドバイの商社にポンプ部品を出荷します", "そこって武器禁輸国に入ってる？"],
])
def test_a_turn_asking_of_the_place_does_not_carry_the_goods(tables, turns):
    """「あそこって輸出令の別表第3に入ってる扱いでしたっけ？」 is about シンガポール: with the goods in front
    (センサー・…) the deal checklist answered it and the いいえ on the Group A list was lost."""
    r = read(turns, tables)
    goods = turns[0].split("に")[1].split("を")[0]
    assert r.kind == "followup" and not r.question.startswith(goods + "・"), r.question
