"""An English question claiming a destination is one of Japan's 'trusted' / 'safe' / 'white-list' countries is a claim of
Group A (deal_fields.tsv row group_a_claim), judged by countries.tsv's group and cited from the country's own row: it
was answered "Yes." from the Group C sentence that names the country ("…listed neither in … (Group A) nor …"), a
confident wrong lead.  Own wordings (not eval items).  Fails when the rows are removed."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("q,lead,country", [
    ("Is Mexico a trusted country for exports?", "No.", "Mexico"),
    ("Brazil is one of the safe countries, isn't it?", "No.", "Brazil"),
    ("Is Vietnam one of the trusted destinations?", "No.", "Vietnam"),
    ("Is Canada a white-list country?", "Yes.", "Canada"),
    ("Germany is a safe country, right?", "Yes.", "Germany"),
])
def test_trusted_country_claim_is_a_group_a_claim(pack, q, lead, country):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith(lead) and country in first, first


def test_a_trusted_country_told_as_a_reason_is_no_claim(pack):
    # the claim is a reason for another ask, not what the sentence ends on: no group verdict
    first = pack.ask("Australia is on the trusted-country list, so does the catch-all notice still bind us?").answer.split("\n")[0]
    assert not first.startswith(("Yes.", "No.")) or "Australia" not in first, first
