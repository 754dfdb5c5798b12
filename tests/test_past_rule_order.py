"""A rule as it was (「運用明確化より前は…対象外とされていました」, leads.past_rule) answers a question about
now only after the rule as it stands (intents.yaml weights.past_rule); a question about how things
were or what changed (intents.yaml asks_past) is left alone.  The questions were written for this
test in the askers' words, none copied from an eval set."""

from __future__ import annotations

import pytest

from anpo import leads
from anpo.analysis import load_rules
from retrieval.textnorm import normalize

# each opened with 「運用明確化（2022年5月1日適用）より前は…対象外とされていました」 (or its English) before
NOW = [
    "中国人の社員に技術資料を渡すのはみなし輸出になるの？",
    "入社して1年たった外国人エンジニアへの技術指導はみなし輸出？",
    "Is teaching technology to a foreign employee who lives in Japan a deemed export?",
]


@pytest.mark.parametrize("q", NOW)
def test_a_question_about_now_does_not_open_with_the_old_rule(pack, q):
    a = pack.ask(q)
    assert a.grounded, a.answer
    first = a.answer.split("[")[0]
    assert not leads.past_rule(first), a.answer
    assert not first.startswith("Before the clarification"), a.answer


def test_the_table_tells_questions_about_the_past_from_questions_about_now():
    d = load_rules()
    import yaml
    from anpo.analysis import RULES_PATH
    raw = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    for q in raw["asks_past_examples"]:
        assert d.asks_past.search(normalize(q)), q
    for q in raw["asks_now_examples"] + NOW:
        assert not d.asks_past.search(normalize(q)), q
