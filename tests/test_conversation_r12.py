"""Round 12: what a turn resolves to.

- A turn that opens by drawing a conclusion (「ってことは、」「だとすると、」"So that means …") or names
  「さっきの話」「先の件」 points back at what was said: with nothing said before it (a first turn, a
  greeting, a matter told in another conversation) it cannot be linked and says so, after a deal
  told it follows that deal (`conclusion`, `earlier_talk` rows).
- 「あのケース」「あの事例」 (a case heard at a seminar, from a colleague) point at something nobody
  named here (`unmentioned`)."""

import pytest

from dialogue_checks import read


@pytest.mark.parametrize("turns", [
    ["さっきの話、上から許可が下りたよ", "ってことは、もう出荷の準備していい？"],
    ["先の件で一点だけ補足させてください。", "だとすると、届出は出さないといけませんか。"],
    ["先ほどの話ですが、先方も了承しました。", "ということは、契約を進めていいんですよね？"],
    ["今日はよろしくお願いします。", "となると、うちも許可が必要？"],
    ["If so, who files the application for the licence?"],
    ["展示会で聞いた話なんですけど", "あのケースって、うちみたいな部品メーカーでも該当しますか？"],
    ["同業の社長から聞いた話なんだけど", "あの事例、うちの取引でも起きそう？"],
])
def test_a_turn_pointing_at_what_nobody_said_here_is_unlinked(tables, turns):
    assert read(turns, tables).kind == "unlinked"


@pytest.mark.parametrize("turns", [
    ["中国に工作機械を出したい", "ってことは、許可がいるの？"],
    ["ベトナムに真空ポンプを送る予定です", "だとすると、何を確認すればいい？"],
    ["We plan to send a vacuum pump to a lab in Vietnam.", "So that means we need a licence?"],
    ["タイに真空ポンプを送る予定です", "あのケースと同じなら許可がいる？"],
    ["少額特例って何？", "さっきの話だと、中国向けでも使える？"],
])
def test_after_something_told_the_same_words_follow_it(tables, turns):
    assert read(turns, tables).kind != "unlinked"


# Goods pointed at by their kind (「この機械、」「その装置って」): linked to the goods told (`it` row), and the
# pointer dropped from the question asked (`pointer_topic`), whose compact words name the goods already.

from anpo.conversation import _no_pointer, load_followups  # noqa: E402


def test_a_pointer_to_goods_by_their_kind_is_dropped_once_the_goods_are_named():
    rows = load_followups().pointer_topic_examples
    assert len(rows) >= 3
    for turn, rest in rows:
        assert _no_pointer(turn) == rest, turn


@pytest.mark.parametrize("turns, goods", [
    (["中国の客先に工作機械を出したい", "その機械って、リスト規制だと何項に載ってる？"], "工作機械"),
    (["ベトナムの工場に真空ポンプを送る予定です", "この装置、該非判定は誰がやるの？"], "真空ポンプ"),
    (["タイの代理店に炭素繊維を売る話が来ています", "この材料は規制リストのどこに出てくる？"], "炭素繊維"),
])
def test_goods_pointed_at_by_their_kind_are_the_goods_told(tables, turns, goods):
    r = read(turns, tables)
    assert r.kind == "followup" and goods in r.question, r.question
    assert not any(p in r.question for p in ("その機械", "この装置", "この材料")), r.question


def test_goods_pointed_at_with_nothing_told_cannot_be_linked(tables):
    assert read(["この機械、リスト規制だと何項？"], tables).kind == "unlinked"
