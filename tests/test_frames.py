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


@pytest.mark.parametrize("q", FRAMES["compound"][1])
def test_a_compound_keeps_its_first_word_from_reading_as_an_aside(q):
    """完全 is emphasis (data/asides.tsv) in 「完全に無関係」, but inside 「完全子会社」 it names the thing."""
    from anpo.grounding import aside
    from retrieval.textnorm import key_terms
    t = normalize(q)
    words = [g[0] for g in key_terms(t) if aside(g[0])]
    assert words, q                                         # the table row is needed: alone the word is an aside
    assert not any(aside(w, q) for w in words if any(w in f for f in FRAMES["compound"][0] if f in t)), (q, words)


@pytest.mark.parametrize("q", ["グループA向けならキャッチオールなんて完全に無関係でしょ？", "外国ユーザーリストの会社とは一切取引しちゃダメ？"])
def test_an_emphasis_word_outside_a_compound_stays_an_aside(q):
    from anpo.grounding import aside
    from retrieval.textnorm import key_terms
    assert any(aside(g[0], q) == "emphasis" for g in key_terms(normalize(q))), q
