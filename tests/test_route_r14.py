"""Round 14, helper route: the polarity of a ban route and a claim's reason (own wordings, not eval items).

- a ban question whose asked clause ENDS by asking whether it is fine (deal_fields.tsv fine_asked: 「…だから大丈夫だよね？」
  「…送ってもいいって聞いた。そうなの？」) is answered いいえ from the ban, whatever the clause says before it (「間に…が入る」 is
  no 'is it covered?', 「禁止なのは…だけ」 no 'is it banned?') — screening.asks_if_fine, compose.ban_word;
- a question word said in the asker's reasons (「軍事と何の関係もないし、」) asks nothing: the ban still answers yes/no;
- a deal to a banned destination asserted to need no licence (「中国経由なら許可とかいらないよね？」): いいえ stays;
- a destination's group given as the REASON for what is asked, and the tables contradict it (「韓国ってホワイト国から外された
  ままだから、…フルでやらなきゃダメなんだよね？」): いいえ from the sentences on its group (screening._group_claim_sentences).
"""
from __future__ import annotations

import pytest

from anpo.screening import asks_if_fine
from test_deal_r11 import _first


# ------------------------------------------------------------------ the asked clause's last predicate: 「大丈夫？」

@pytest.mark.parametrize("q", [
    "瀋陽の取引先が品物をそのまま平壌の病院に回すらしいけど、うちは中国に売るだけだし金額も小さいから大丈夫だよね？",
    "北朝鮮に送れないのは兵器とか精密機械だけで、文房具くらいなら送ってもいいって先輩に聞いた。そうなの？",
    "A friend says an embargo on North Korea only covers weapons, so sending used clothes there through a Dalian trader is fine, right?",
])
def test_a_ban_asked_whether_fine_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")) and "[" in first, (tr.route, first)


@pytest.mark.parametrize("q", [
    "北朝鮮向けって全部禁止なんだよね？",
    "ロシア向けの建設機械は輸出禁止の対象ってことでいい？",
    "ベラルーシも同じ扱いになるの？",
])
def test_a_ban_asked_whether_banned_is_not_read_as_fine(q):
    assert not asks_if_fine(q)


def test_fine_is_read_at_the_end_of_the_asked_clause():
    assert asks_if_fine("間に中国企業が入るし少額だから大丈夫だよね？")
    assert asks_if_fine("日用品なら送ってもいいって聞いた。そうなの？")
    assert asks_if_fine("Sending toys through a reseller is fine, right?")
    assert not asks_if_fine("北朝鮮に送るのは大丈夫じゃないよね？")        # asks the opposite
    assert not asks_if_fine("大丈夫かどうか、何を確認すればいい手順を教えて")


# ------------------------------------------------------------------ a question word in the reasons / a licence asserted unneeded

@pytest.mark.parametrize("q", [
    "ロシアの雑貨店からおもちゃの注文。軍事と何の関係もない品物だし、いつも通り出荷していいよね？",
    "モスクワのホビーショップにぬいぐるみを卸したい。兵器とは何のつながりもないんだから出していいでしょ？",
    "北朝鮮の親戚に食料品を送りたい。軍とは無関係だし、香港の業者経由なら許可はいらないよね？",
])
def test_a_ban_deal_waved_away_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("いいえ。") and "[" in first, (tr.route, first)


# ------------------------------------------------------------------ a group given as the reason, contradicted by the tables

@pytest.mark.parametrize("q", [
    "ソウルの得意先に非該当の部品を出す件。韓国ってホワイト国から外されたままだから、需要者の確認を全部やらなきゃいけないんだよね？",
    "韓国はグループAじゃないから、キャッチオールの客観要件を確認しないといけないよね？",
    "中国ってグループAだから、用途確認はいらないよね？",
])
def test_a_group_reason_the_tables_contradict_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("いいえ。") and ("グループ" in first or "別表第3" in first), (tr.route, first)
