"""Round 10's false refusals: words that frame a question rather than ask it.

- A reason told with 「…なんで、」 (「普通の産業用なんで、規制とは無縁でしょ？」) ends the situation like 「…ので、」
  (anpo.scope._PIECES, as anpo.analysis._CLAUSE): the asked piece is what follows, and its なんで is no "why", so a
  told deal asked yes/no is not taken for a question beside the deal (anpo.scope.asks_beside).
- The language a document is written in (「英語のマニュアル」「韓国語に翻訳した技術資料」) is a detail of the document
  (anpo.grounding._LANGUAGE_OF), not an unknown topic; a language asked about on its own keeps its weight.
- 効力 (synonyms.tsv → 施行, 適用): when a rule took effect, in the users' word."""

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


# -- 効力 (retrieval/data/synonyms.tsv): the pack says 施行 / 適用 for when a rule takes effect, users say 効力 --------

@pytest.mark.parametrize("q,date", [
    ("新しい外国ユーザーリストはいつから効力がありますか？", "2025年10月9日"),
    ("キャッチオール規制の改正っていつ効力を持ったの？", ""),
    ("拘禁刑の規定はいつから効力があるんですか？", "2025年6月1日"),
])
def test_when_a_rule_took_effect_asked_with_kouryoku_is_answered(pack, q, date):
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer
    assert date in a.answer, a.answer


# -- the language a document is in (anpo.grounding._LANGUAGE_OF): a detail of the thing, not what is asked ----------

@pytest.mark.parametrize("q", [
    "英語のマニュアルを海外の客に渡すのは技術の提供になる？",
    "英文の仕様書を海外の代理店にメールで送るのは許可がいる？",
    "韓国語に翻訳した技術資料を取引先に送るのは許可いる？",
])
def test_a_document_told_with_its_language_is_answered(pack, q):
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer


@pytest.mark.parametrize("q", [
    "許可申請書は英語で書いてもいい？",          # the language is what is asked: no noun follows it
    "英語の勉強法を教えて",                      # the language modifies a thing the pack never speaks of
    "英語の翻訳料はいくらくらい？",
])
def test_a_language_asked_about_stays_refused(pack, q):
    assert_refused(pack, q, None)


def test_the_language_word_is_found_only_before_a_noun():
    from anpo.grounding import _languages_of_things
    assert _languages_of_things("英語のマニュアルを渡す") == {"英語"}
    assert _languages_of_things("中国語に翻訳した図面") == {"中国語", "翻訳"}
    assert _languages_of_things("申請書は英語で書いてもいい？") == set()
