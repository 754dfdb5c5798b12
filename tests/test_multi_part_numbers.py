"""Numbers, periods and counts asked as users ask them, alone or as one part of a multi-part
question (round 6, intent part).

The wordings below were written for this test in an SME owner's or a seminar attendee's words
(none is copied from an eval set).  Each group names the class of behaviour it guards:

- a counter after 何 (何年, 何団体, 何パターン, 何項) asks a number, not a definition
  (data/intents.yaml: definition's 「って何」 cue, number cues and number_units);
- words that say how big a number the asker expects (最高, 全部で, だいたい) and counters the pack
  never writes (何パターン, 何団体) are no topic words (intents.yaml incidental `number_qualifier`);
- 「いくつある？」 asks a count: no はい/いいえ (premise `wh`);
- a count given for two dates leads with the later one, also inside a part (compose._newest_first).
"""

from __future__ import annotations

import re

import pytest

from anpo.analysis import analyse
from lead_checks import first_line


def _lines(ans) -> list[str]:
    return [ln for ln in ans.answer.split("\n\n")[0].splitlines() if ln.strip() and not ln.startswith("※")]


# ------------------------------------------------------------------ a counter after 何 asks a number

@pytest.mark.parametrize("q", ["罰則って何年？", "外国ユーザーリストって今何団体くらい？", "キャッチオールって全部で何パターン？",
                               "項番って全部で何項まである？", "保存期間って何か月？"])
def test_a_counter_after_nani_is_a_number_question_not_a_definition(q):
    a = analyse(q)
    assert "number" in a.intents and "definition" not in a.intents, a.intents


@pytest.mark.parametrize("q, number", [
    ("罰則って何年？", r"\d+年"),
    ("罰金って最高いくら？", r"[\d,]+(万|億)?円|\d+倍"),
    ("キャッチオールって全部で何パターン？", r"2種類|二つ"),
    ("項番って全部で何項まである？", r"15"),
    ("リスト規制って全部で何項ある？", r"15"),
    ("キャッチオール規制は何種類ある？", r"2種類|二つ"),
])
def test_a_number_question_is_answered_with_the_number(pack, q, number):
    ans = pack.ask(q)
    assert ans.grounded, (q, ans.answer[:120])
    assert re.search(number, "\n".join(_lines(ans)[:2])), (q, ans.answer[:300])


@pytest.mark.parametrize("q", ["罰金って最高いくら？", "キャッチオールって全部で何パターン？", "審査ってだいたい何日かかる？",
                               "外国ユーザーリストって何？あと何団体載ってる？"])
def test_number_qualifiers_and_counters_are_no_topic_words(q):
    a = analyse(q)
    topic = a.parts[-1].topic if a.parts else a.topic
    assert not re.search(r"最高|全部|だいたい|パターン|団体|体載", topic), topic


# ------------------------------------------------------------------ 「いくつある？」 is no yes/no question

@pytest.mark.parametrize("q", ["キャッチオール規制の要件っていくつある？", "遵守基準の項目っていくつある？",
                               "キャッチオール規制っていくつあるの？"])
def test_how_many_is_there_gets_no_yes_or_no(pack, q):
    first = first_line(pack.ask(q))
    assert not first.startswith(("はい", "いいえ", "一概には")), (q, first)


# ------------------------------------------------------------------ the newer count leads, in a part too

@pytest.mark.parametrize("q", ["外国ユーザーリストってどこで見られる？ついでに何社くらい載ってるのかも知りたい",
                               "外国ユーザーリストって何？あと何団体載ってる？",
                               "外国ユーザーリストは誰が公表してるの？それと今何社くらい？"])
def test_a_count_part_is_answered_with_the_newer_count(pack, q):
    ans = pack.ask(q)
    lines = _lines(ans)
    assert len(lines) >= 2 and "835団体" in lines[1], (q, ans.answer[:400])
