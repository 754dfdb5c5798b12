"""Needless refusals (round 13, helper "multi"): an amount or a count the pack never writes (「1便」「2便目」) is the
situation, not an unknown topic (data/intents.yaml quantity, anpo.grounding._quantity).  Before, 「1便あたりなら100万円以下
なので少額特例の範囲内、って理屈で通る？」 was refused: 1便 weighed like 残業時間, a topic the pack does not cover.

The wordings are the examples of the table row, written for it in an SME shipper's voice (none copied from an eval set);
each is answered, and its grounding score falls when the row is removed.
"""

from __future__ import annotations

import re

import pytest

from anpo import grounding
from scope_checks import assert_answered
import yaml
from anpo.analysis import RULES_PATH

EXAMPLES = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))["quantity"]["examples"]


def test_the_row_serves_three_questions():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("q", EXAMPLES)
def test_a_count_told_is_the_situation(pack, monkeypatch, q):
    assert_answered(pack, q)
    before = pack.explain(q).best
    monkeypatch.setattr(grounding, "_quantity", lambda: re.compile("(?!x)x"))
    assert pack.explain(q).best < before, q


@pytest.mark.parametrize("q", [
    # a count beside a topic the pack does not cover stays refused
    "従業員を月45時間まで残業させても大丈夫？",
    "海外出張の日当、1日いくらが相場？",
    "来月2便でタイに引越し荷物を送るけど、別送品の申告ってどうする？",
])
def test_a_count_does_not_carry_an_uncovered_topic(pack, q):
    assert not pack.ask(q).grounded, q


# ------------------------------------------------------------------ a quoted name asked in the same breath

NAME_ASKED = list(__import__("anpo.scope", fromlist=["frames"]).frames()["name_asked"][1])


@pytest.mark.parametrize("q", NAME_ASKED)
def test_a_quoted_name_the_pack_knows_is_what_is_asked(pack, monkeypatch, q):
    # (data/frames.tsv name_asked; anpo.grounding._quoted_name_asked): the story told around the name is the situation
    assert_answered(pack, q)
    before = pack.explain(q).best
    monkeypatch.setattr(grounding, "_quoted_name_asked", lambda question, known: set())
    assert pack.explain(q).best < before, q


@pytest.mark.parametrize("q", ["部長が言ってた『36協定』ってどういう意味？", "取引先の飲み会で出た『インコタームズ』って何のこと？",
                               "税理士さんが連呼してた『電子帳簿保存法』って何？"])
def test_a_quoted_name_the_pack_does_not_know_stays_refused(pack, q):
    assert not pack.ask(q).grounded, q
