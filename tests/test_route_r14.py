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
    "瀋陽の取引先経由で北朝鮮の工場に工具を送る話。間に中国企業が入るから問題ないよね？",
    "北朝鮮向けで禁止されてるのは兵器くらいで、古着なら送ってもいいって聞いた。そうなの？",
    "知り合いいわく、北朝鮮で禁止なのはハイテク品だけで、お菓子なら送っても大丈夫らしい。ほんと？",
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
    "釜山の会社に非該当の工具を出す。韓国はまだホワイト国じゃないんだから、用途と需要者の確認は全部やるべきだよね？",
])
def test_a_group_reason_the_tables_contradict_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("いいえ。") and "大韓民国" in first, (tr.route, first)


# ------------------------------------------------------------------ leave asked to skip a step: refuted like 「許可なしでいいよね？」

@pytest.mark.parametrize("q", [
    "マレーシアの商社から非該当の継手の注文が来た。相手の事業内容はまだ聞いてないけど、そのまま出荷しちゃっていいかな？",
    "装置の制御プログラムはCD-Rで同梱するだけなんで、プログラムのほうは該非判定せずに出していいですか？",
    "前回の出荷は許可が要ったかもしれないと気づいた。でも今週の同じ品物は、とりあえず予定通り出荷しちゃっていい？",
])
def test_leave_to_skip_a_step_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("いいえ。") and "[" in first, (tr.route, first)


def test_skipping_needs_both_the_skip_and_the_fine():
    from anpo.screening import skips_a_step
    assert skips_a_step("判定せずに出していいですか？")
    assert not skips_a_step("ベトナムの商社にセンサーを出荷していい？")           # no step skipped: still depends
    assert not skips_a_step("そのまま出荷する場合、何を確認すればいい手順か教えて")


# ------------------------------------------------------------------ a listed party taken for a ban, in any wording

@pytest.mark.parametrize("q", [
    "ベトナムの研究所から分光器の注文。照合したら外国ユーザーリストに載ってた。懸念区分は生物兵器だけ。もう断るしかないよね？",
    "引き合いをくれたパキスタンの大学が外国ユーザーリストに出てきた。取引は諦めるしかない？",
    "同業者が『外国ユーザーリストの掲載企業は禁輸先だから何も売れない』と言ってました。これって正しいんですか？",
])
def test_a_listed_party_is_no_ban(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("いいえ。") and "禁止されるものではありません" in first, (tr.route, first)


# ------------------------------------------------------------------ asked whether the act is an export at all

@pytest.mark.parametrize("q", [
    "ドバイの展示会にうちの新型流量計を出すんだけど、売らずに持ち帰るから、これは輸出には当たらないってことでOK？",
    "来月ハノイの見本市にうちの検査装置を出すけど、展示するだけで終わったら持ち帰るし、輸出には当たらないよね？",
    "ソウルの展示会にうちの新しい分析装置を出すんだけど、デモだけで売らないし持って帰るから、輸出じゃないってことでいいよね？",
])
def test_an_exhibition_asked_as_no_export_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")) and ("展示会" in first or "exhibition" in first or "trade fair" in first), (tr.route, first)


# ------------------------------------------------------------------ a student on a foreign government's scholarship: 特定類型②

@pytest.mark.parametrize("q", [
    "自国の政府奨学金で来ている中国人の留学生が研究室に入った。もう居住者だから、設計データを見せるのに許可はいらないよね？",
    "国費留学で日本に来て1年になる留学生なら居住者だし、技術資料を見せても許可いらないでしょ？",
    "Our new researcher came on a government scholarship and has lived in Japan for a year, so he's a resident and we can share our controlled technology without a licence, right?",
])
def test_a_government_scholarship_is_tokutei2(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")) and ("特定類型②" in first or "category (2)" in first), (tr.route, first)
