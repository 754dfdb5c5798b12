"""Whether a country is on a list the pack enumerates whole, and whether Korea is back in Group A.

- 「イランは国連武器禁輸国？」: the cited sentence 「輸出令別表第3の2（国連武器禁輸国・地域）は、アフガニスタン、…
  スーダンの10か国です」 lists every member, so it answers はい when it names the country and いいえ when it
  does not (compose._listing_lead).  Before, these got no lead, and 「北朝鮮は別表第3の2に載ってますか」 was
  answered 「いいえ」 from the North Korea ban sentence (a wrong answer: it is listed).
- 「韓国ってホワイト国に戻ったんだっけ？」: a country asked to be back in the group the tables put it in now,
  with a cited sentence stating its return → はい (compose._group_return); before, a question naming a
  change got no lead.

The questions were written for this test in the askers' words, none copied from an eval set."""

from __future__ import annotations

import pytest

LISTED = [
    ("イランは国連武器禁輸国？", "いいえ。", "10か国"),
    ("イラクって懸念国に入ってる？", "はい。", "3か国"),
    ("北朝鮮は別表第3の2に載ってますか", "はい。", "10か国"),
    ("ベトナムは国連武器禁輸国じゃないよね？", "はい。", "10か国"),      # agrees that it is not
    ("リビアは懸念国？", "いいえ。", "3か国"),
    ("中国は懸念国ですか", "いいえ。", "3か国"),
]

BACK = [
    "韓国って今ホワイト国に戻ったんだっけ？",
    "韓国はグループAに復帰した？",
    "Is South Korea back on the white list?",
]


@pytest.mark.parametrize("q,word,listing", LISTED)
def test_membership_of_an_enumerated_list_is_led_by_the_list(pack, q, word, listing):
    a = pack.ask(q)
    assert a.grounded, a.answer
    assert a.answer.startswith(word), a.answer
    first = a.answer.split("[")[0]
    assert listing in first, a.answer          # the lead rests on the sentence listing every member


@pytest.mark.parametrize("q", BACK)
def test_korea_back_in_group_a_is_answered_yes(pack, q):
    a = pack.ask(q)
    assert a.grounded, a.answer
    assert a.answer.startswith(("はい。", "Yes.")), a.answer
    assert any(w in a.answer for w in ("再び", "復帰", "return", "again")), a.answer
