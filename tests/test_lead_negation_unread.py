"""leads.yaml negation_unread: a negation ("never") the lead families do not read must not let 「はい」 agree with
a sentence stating the positive ("So we never need a licence for any buyer, right?" was answered 「Yes.」 from
'…technology … needs a service-transaction licence').  Fails without the table row or the veto in compose.choose_lead."""

from __future__ import annotations

import pytest

from anpo import leads

EXAMPLES = leads.rules().raw["negation_unread_examples"]


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e["q"][:40] for e in EXAMPLES])
def test_negation_unread_table(ex):
    assert leads.negation_unread(ex["q"]) is ex["drop"], ex


@pytest.mark.parametrize("q", [e["q"] for e in EXAMPLES if e["drop"]])
def test_a_never_question_is_not_answered_yes(pack, q):
    a = pack.ask(q)
    assert not a.answer.lstrip().lower().startswith(("yes", "はい")), a.answer
