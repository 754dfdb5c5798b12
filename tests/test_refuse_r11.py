"""Round 11's false refusals (fresh8): words that frame a question rather than ask it.

- 完全に / 完璧に stress a claim like 全く and 一切 (anpo/data/asides.tsv, emphasis): never what is asked
  (「グループA向けならキャッチオールなんて完全に無関係でしょ？」 was refused for the unknown word 完全).
- ベース / "based on" (retrieval/data/synonyms.tsv → 基づ): the pack says 「外為法に基づいて」 where users ask
  「何の法律がベース？」 or "which law is it based on?" (the pack writes neither, so nothing shifts at index time)."""

from __future__ import annotations

import pytest

# -- 完全に: emphasis (data/asides.tsv) ------------------------------------------------------------------------------

@pytest.mark.parametrize("q", [
    "グループAの国なら、キャッチオールは完全に関係ないってことでいい？",
    "非該当なら許可は完璧に不要って考えていいよね？",
    "外国ユーザーリストに載ってなければ完全にセーフだよね？",
])
def test_a_claim_stressed_by_kanzen_is_answered_not_refused(pack, q):
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer


# -- ベース / based on → 基づ (retrieval/data/synonyms.tsv) -------------------------------------------------------------

@pytest.mark.parametrize("q,law", [
    ("輸出者等遵守基準ってどの法律がベースなんですか？", "外為法"),
    ("安全保障貿易管理のベースになっている法律は？", "外為法"),
    ("技術情報管理の認証って、ベースになってる法律は何？始まったのはいつ？", "産業競争力強化法"),
    ("My boss mentions FEFTA all the time. What is Japan's export control based on, legally?", "FEFTA"),
])
def test_the_law_a_rule_is_based_on_is_answered(pack, q, law):
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer
    assert law in a.answer.split("\n")[0], a.answer
