"""data/frames.tsv: the framing words read by anpo.scope (a neighbouring field set aside: 「…とは別に」 "Besides …,")
and anpo.grounding (the language a document is written in: 「英語のマニュアル」).  Every example question of a class
must be read by the rule that class feeds."""

from __future__ import annotations

import pytest

from anpo import scope
from anpo.grounding import _languages_of_things
from retrieval.textnorm import normalize

FRAMES = scope.frames()


def _examples(*names):
    return [(n, q) for n in names for q in FRAMES[n][1]]


def test_every_class_has_forms_and_three_examples():
    assert {"set_aside", "set_aside_en", "language", "language_of"} <= set(FRAMES)
    for name, (forms, examples) in FRAMES.items():
        assert forms, name
        assert len(examples) >= 3, name


@pytest.mark.parametrize("name,q", _examples("set_aside", "set_aside_en"))
def test_a_field_set_aside_leaves_what_follows(name, q):
    """The out-of-scope field named before a set_aside form is set aside: `_set_aside` returns the rest, without it."""
    t = normalize(q)
    rests = [scope._set_aside(q, scope._pattern(term)) for row in scope.rows() for term in row.terms
             if scope._pattern(term).search(t)]
    assert any(rests), (q, rests)


@pytest.mark.parametrize("name,q", _examples("language", "language_of"))
def test_the_language_of_a_document_is_read_as_its_detail(name, q):
    assert _languages_of_things(q), q


@pytest.mark.parametrize("q", [
    "申請書は英語で書いていい？",                 # a language asked about on its own keeps its weight
    "英語対応の窓口はありますか？",
])
def test_a_language_asked_about_is_no_detail(q):
    assert not _languages_of_things(q)
