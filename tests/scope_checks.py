"""Shared checks for the scope tests (tests/test_scope.py, tests/test_refusals.py): a question is
answered, or refused naming a field, and a behaviour carries a question when removing it lowers the
question's grounding score."""

from __future__ import annotations


def assert_answered(pack, q: str, cited: bool = True):
    """`q` is answered (grounded; with citations unless `cited` is False)."""
    a = pack.ask(q)
    assert a.grounded and (a.citations or not cited), a.answer
    return a


def assert_refused(pack, q: str, field: str | None = None):
    """`q` is refused; with `field`, without citations and naming that field ("" = any refusal)."""
    a = pack.ask(q)
    assert not a.grounded, a.answer
    if field is not None:
        assert not a.citations
        assert field in a.answer, a.answer
    return a


def assert_carried_by(pack, monkeypatch, q: str, target, name: str, replacement) -> None:
    """`q` is answered, and its grounding score falls once `target.name` is replaced: that behaviour
    is what lifts it.  The score, not the verdict, is compared, so the check holds at any threshold."""
    assert_answered(pack, q)
    before = pack.explain(q).best
    monkeypatch.setattr(target, name, replacement)
    after = pack.explain(q).best
    assert after < before, (q, before, after)


def assert_field(q: str, evidence: str, field: str) -> None:
    """The scope gate refuses `q` over `evidence` (the best passages' text) as `field`."""
    from anpo.scope import other_field
    found = other_field(q, evidence)
    assert found is not None and found.field == field, (q, found)
