"""Everyday words reach the pack's own (retrieval/data/synonyms.tsv): 商品/品物 → 貨物/製品,
ソフト → プログラム, 資格 → 認定試験 (STC).  The pack never uses these words, so unexpanded they weighed as unknown topic
words and sank in-scope questions to a refusal or to unrelated passages.  Their near-domain
out-of-scope twins (tax, tariffs, PSE, trademarks, copyright, pay) stay refused: the
expansion names the thing, not the asked topic.

The questions were written for this test in owners' words (none is copied from an eval set)."""

from __future__ import annotations

import pytest

from scope_checks import assert_answered, assert_refused

ANSWERED = [
    "ネット通販で海外のお客さんに商品を売るときも許可がいるの？",
    "新しく扱う商品の該非ってどうやって調べる？",
    "商品を海外に送る前に何を確認すればいい？",
    "キャッチオール規制ってリストに載ってない品物にもかかるんですか？",
    "うちの品物が規制に引っかかるかどうか、どこで確かめられますか",
    "海外の客に品物を送る前に何を調べればいい？",
    "品物じゃなくて図面だけ渡すのも輸出？",
    "リスト規制に当たる品物かどうかはどう判断するの？",
]

# the passage each everyday word must now reach (cited), three wordings each
REACHES = [
    ("機械を動かすソフトを海外の客先に送るのも技術の提供になる？", "プログラム"),
    ("自社開発のソフトを海外の代理店にメールで送るのに許可いる？", "該非判定"),
    ("ソフトも該非判定しないといけないの？", "プログラム"),
    ("組み込みソフトも規制の対象になるの？", "プログラム"),
    ("輸出管理の担当者って資格とか要るの？", "認定試験"),
    ("輸出管理の資格って何かある？", "認定試験"),
    ("輸出管理の資格はどこで受けられる？", "認定試験"),
]

REFUSED = [
    "ネット通販で海外のお客さんに商品を売るときの消費税ってどうなる？",
    "輸入する品物の関税率ってどこで調べる？",
    "商品に貼るPSEマークって必要？",
    "うちの品物の商標登録ってどうやるの？",
    "ソフトの著作権登録ってどうやるの？",
    "資格手当っていくらが相場？",
]


@pytest.mark.parametrize("q", ANSWERED)
def test_everyday_goods_words_are_answered(pack, q):
    assert_answered(pack, q)


@pytest.mark.parametrize("q", REFUSED)
def test_their_out_of_scope_twins_stay_refused(pack, q):
    assert_refused(pack, q)


@pytest.mark.parametrize("q,passage", REACHES)
def test_everyday_words_reach_the_pack_passage(pack, q, passage):
    a = assert_answered(pack, q)
    assert passage in a.citations[0].text, a.answer     # the answer starts from it


# 無料で送る / 無料で渡す → 無償: sending goods for free is what the pack calls 無償 (「無償のサンプルを海外に提供
# することも、貨物の輸出に当たります」「有償・無償を問わず」).  Unexpanded, 無料 reached the NACCS-is-free sentence
# or a case story.  The cost question about a service keeps its 無料 sentence.
FREE_OF_CHARGE = [
    "試作品を韓国の会社に無料で送るだけなら手続きいらないよね？",
    "サンプルを無料で送るのも輸出になる？",
    "無料で送る部品でも該非判定いる？",
    "無料で渡すサンプルなら許可はいらない？",
    "海外の取引先に部品を無料で渡したいけど問題ある？",
]


@pytest.mark.parametrize("q", FREE_OF_CHARGE)
def test_sending_for_free_reaches_the_pack_word_muushou(pack, q):
    a = assert_answered(pack, q)
    assert "無償" in a.answer.split("[")[0], a.answer


def test_a_services_cost_still_reaches_its_muryou_sentence(pack):
    a = assert_answered(pack, "NACCSって無料で使える？")
    assert "無料で利用できます" in a.answer.split("[")[0], a.answer
