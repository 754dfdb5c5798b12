"""Checks shared by the tests that read an answer's first line (test_leads.py, test_premises.py,
test_question_understanding.py): ask the real pack, read the first line and assert its lead word
and what its sentence says."""

from __future__ import annotations

import re

CITED = re.compile(r"\[\d+\]")


def first_line(answer) -> str:
    return answer.answer.split("\n")[0]


def assert_led(pack, q: str, word, says=None, cited: bool = False) -> str:
    """The first line of the answer to `q` opens with `word` (a string or a tuple of them), holds
    `says` (a string, or a compiled pattern searched in it) and, when `cited`, a [n] marker."""
    line = first_line(pack.ask(q))
    assert line.startswith(word), line
    if says is not None:
        assert (says.search(line) if isinstance(says, re.Pattern) else says in line), line
    if cited:
        assert CITED.search(line), line
    return line
