"""Everyday words for goods (商品, 品物) reach the pack's 貨物/製品 (retrieval/data/synonyms.tsv):
the pack never uses them, so unexpanded they weighed as unknown topic words and sank in-scope
questions to a refusal.  Their near-domain out-of-scope twins (tax, tariffs, PSE, trademarks)
stay refused: the expansion names the goods, not the asked topic.

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
]

REFUSED = [
    "ネット通販で海外のお客さんに商品を売るときの消費税ってどうなる？",
    "輸入する品物の関税率ってどこで調べる？",
    "商品に貼るPSEマークって必要？",
    "うちの品物の商標登録ってどうやるの？",
]


@pytest.mark.parametrize("q", ANSWERED)
def test_everyday_goods_words_are_answered(pack, q):
    assert_answered(pack, q)


@pytest.mark.parametrize("q", REFUSED)
def test_their_out_of_scope_twins_stay_refused(pack, q):
    assert_refused(pack, q)
