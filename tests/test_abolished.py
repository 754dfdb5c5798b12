"""「Xって今もある？」 answered by a cited sentence saying X is gone (abolished, merged, renamed) is
いいえ, not the 「はい」 the existence rule gave because the sentence names X (compose, intents.yaml
premise.abolished).  Asked of the past (「あった？」) it is はい from the same sentence; what still exists
keeps its はい.  The questions were written for this test, none copied from an eval set."""

from __future__ import annotations

import pytest

GONE = [
    ("懲役って今もあるの？", "懲役と禁錮は廃止"),
    ("一般包括輸出許可って今もある？", "名称が変わりました"),
    ("ホワイト国っていう区分はまだあるの？", "呼称に改めました"),
]

STILL = ["一般包括許可って今もある？", "アドバイザー派遣って今もある？", "少額特例ってまだある？"]


@pytest.mark.parametrize("q,says", GONE)
def test_asked_if_it_still_exists_a_sentence_saying_it_is_gone_answers_no(pack, q, says):
    a = pack.ask(q)
    assert a.grounded, a.answer
    first = a.answer.split("[")[0]
    assert first.startswith("いいえ。") and says in first, a.answer


def test_asked_of_the_past_the_same_sentence_answers_yes(pack):
    a = pack.ask("懲役ってあった？")
    first = a.answer.split("[")[0]
    assert first.startswith("はい。") and "廃止" in first, a.answer


@pytest.mark.parametrize("q", STILL)
def test_what_still_exists_keeps_its_yes(pack, q):
    a = pack.ask(q)
    assert a.grounded and a.answer.startswith("はい。"), a.answer
