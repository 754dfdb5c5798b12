"""Round 9: an English "they"/"them" stands for the earlier subject only when that subject is
plural.  "…the additional documents they ask for?" after "what is the standard processing time"
was rewritten "…documents processing time ask for?", and "And if they ask us for extra
documents…" after a licence question "If licence ask us…": the ministry asks, not the time."""

from __future__ import annotations

import pytest

from dialogue_checks import read


@pytest.mark.parametrize("turns, pronoun", [
    (["We are planning a shipment for June. If we file for an export licence now, what is the standard processing time on METI's side?",
      "Would the clock stop while we prepare the additional documents they ask for?"], "they ask"),
    (["How long is a bulk licence valid?", "If they turn down our renewal, can we appeal?"], "they turn"),
    (["What is the small-value exemption?", "Do we lose it if they audit us and find a mistake?"], "they audit"),
])
def test_they_is_not_a_singular_subject(tables, turns, pronoun):
    r = read(turns, tables)
    assert r.kind == "followup" and pronoun in r.question, r.question


@pytest.mark.parametrize("turns, reads", [
    (["What are catch-all controls?", "Do they cover 3D printers?"], "Do catch-all controls cover"),
    (["What is the End User List?", "Can we still trade with a company that's on it?"], "on the End User List"),
    (["What is the small-value exemption?", "Does it apply to technology?"], "Does the small-value exemption apply"),
])
def test_a_pronoun_that_agrees_still_stands_for_the_subject(tables, turns, reads):
    r = read(turns, tables)
    assert r.kind == "followup" and reads in r.question, r.question
