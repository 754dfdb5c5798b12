"""conversation._CLAUSE_BREAK (a module-level regex) moved to data/followups.yaml `clause_break`:
its examples run here, so the table is what the code reads."""

import re

import pytest

from anpo import conversation
from anpo.conversation import clauses, load_followups


@pytest.mark.parametrize("text, parts", load_followups().clause_examples)
def test_each_example_parts_into_its_clauses(text, parts):
    assert clauses(text) == list(parts)


def test_the_table_has_three_examples_that_part_and_one_that_does_not():
    ex = load_followups().clause_examples
    assert sum(len(p) > 1 for _, p in ex) >= 3 and any(len(p) == 1 for _, p in ex)


def test_no_module_level_clause_regex_is_left():
    assert not hasattr(conversation, "_CLAUSE_BREAK")
    assert not any(isinstance(v, re.Pattern) and v.pattern == r"\s[-–—]+\s|[;:]\s|(?<=[.!])\s+"
                   for v in vars(conversation).values())
