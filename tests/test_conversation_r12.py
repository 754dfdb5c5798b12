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
