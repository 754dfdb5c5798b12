"""Round 10's false refusals: words that frame a question rather than ask it.

- A reason told with 「…なんで、」 (「普通の産業用なんで、規制とは無縁でしょ？」) ends the situation like 「…ので、」
  (anpo.scope._PIECES, as anpo.analysis._CLAUSE): the asked piece is what follows, and its なんで is no "why", so a
  told deal asked yes/no is not taken for a question beside the deal (anpo.scope.asks_beside)."""

from __future__ import annotations

import pytest
from scope_checks import assert_refused

from anpo import scope
from retrieval.textnorm import normalize

REASON_NANDE = [
    "インドネシアの代理店からポンプを50台頼まれてます。普通の産業用なんで、輸出規制とは無縁でしょ？",
    "タイの工場からゴム手袋の注文が来てます。ただの消耗品なんで、輸出管理とは無縁ですよね？",
    "ベトナムの客に扇風機を100台売る予定です。家電なんで、規制とは無縁だよね？",
]


@pytest.mark.parametrize("q", REASON_NANDE)
def test_a_deal_with_its_reason_told_by_nande_is_checked_not_refused(pack, q):
    tr = pack.explain(q)
    assert tr.answer.grounded and tr.route == "deal", (tr.route, tr.answer.answer[:120])


@pytest.mark.parametrize("q,piece", [
    ("普通の産業用なんで、輸出規制とは無縁でしょ？", "輸出規制とは無縁でしょ"),
    ("在庫が多いんで、まとめて送っていい？", "まとめて送っていい"),
    ("なんで許可がいるの？", ""),                       # a why at the start is no reason: one piece
])
def test_the_asked_piece_follows_a_reason_told_by_nande(q, piece):
    assert scope.asked_piece(normalize(q)) == piece


@pytest.mark.parametrize("q", [
    "タイにポンプを送ります。梱包材が多いんで、梱包の仕方は？",          # the asked piece beside the deal stays refused
    "ベトナムに部品を送ります。急ぎなんで、送り状の宛名の書き方は？",
])
def test_a_piece_beside_the_deal_after_a_nande_reason_stays_refused(pack, q):
    assert_refused(pack, q, None)
