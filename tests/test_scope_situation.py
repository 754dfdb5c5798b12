"""However long the story told around a question, the words that tell the situation (told before
the asking sentence, asides, a premise's reason) together weigh no more than the asked words
(anpo.grounding._situation_within_the_asked): the question is judged by what it asks."""

from __future__ import annotations

import pytest
from scope_checks import assert_carried_by, assert_refused

from anpo import grounding


def test_the_situation_is_scaled_to_the_asked_weight():
    # asked 2.0; situation 3 × 1.0 → 3 × 2/3
    got = grounding._situation_within_the_asked([2.0, 1.0, 1.0, 1.0], {1, 2, 3})
    assert got[0] == 2.0 and all(abs(w - 2 / 3) < 1e-9 for w in got[1:])


@pytest.mark.parametrize("weights,situation", [([2.0, 1.0], {1}), ([1.0, 1.0, 1.0], {0, 1, 2}), ([0.0, 3.0], {1})])
def test_a_short_situation_or_nothing_asked_keeps_its_weights(weights, situation):
    # a situation lighter than the asked words is left alone; a question of nothing but
    # situation keeps its weights, so it stays as uncovered as it was
    assert grounding._situation_within_the_asked(weights, situation) == weights


@pytest.mark.parametrize("q", [
    "We're a family business in a small town near Kyoto, two generations, making springs and washers. Do we need a classification for each product?",
    "I'm the only admin person in a 15-person metalworking company near Hiroshima and my boss just handed me this. What is a catch-all control?",
    "We're a tiny shop in Nagoya. Do we even need to worry about the catch-all rule?",
    "Our founder retired last spring and his son, who lived in Canada for ten years, now runs the shop. Does he count as a resident for deemed exports?",
    "10万円程度の少ない出荷だから、該非判定は省略していいよね？",
    "サンプル数個を手持ちで持っていくだけだから、許可の確認はいらないよね？",
])
def test_a_long_situation_does_not_outweigh_the_asked_words(pack, monkeypatch, q):
    assert_carried_by(pack, monkeypatch, q, grounding, "_situation_within_the_asked", lambda weights, situation: weights)


@pytest.mark.parametrize("q", [
    "We're a small company in Osaka and business has been slow. What is the best way to cut electricity costs?",
    "うちは従業員20人の町工場で、社長に言われて調べています。工場の電気代を安くする方法は？",
    "My boss is worried and the team is tired. How do we improve morale?",
])
def test_an_uncovered_asked_piece_stays_refused_after_a_long_situation(pack, q):
    assert_refused(pack, q, "")


# -- the noun an English question asks for ----------------------------------------------------------

@pytest.mark.parametrize("q", [
    "Which bank should we use for overseas payments?",
    "What discount do distributors in Thailand usually expect?",
    "Which language should our export contracts be written in?",
    "What font should we use on our English catalogue?",
])
def test_an_english_asked_noun_the_pack_never_uses_weighs_like_an_unknown_word(pack, monkeypatch, q):
    # 'bank', 'discount', 'language', 'font' are what is asked: answered from the pack's 海外, 代理店,
    # 契約 sentences they were a confident wrong answer
    assert_refused(pack, q, "")
    before = pack.explain(q).best
    monkeypatch.setattr(grounding, "_asked_noun_english", lambda question: set())
    assert pack.explain(q).best > before


@pytest.mark.parametrize("q", [
    "What documents do we need for a licence application?",
    "Which countries are in Group A?",
    "What kind of licence do we need to send samples to China?",
    "Which items does catch-all control cover?",
])
def test_an_english_asked_noun_the_pack_knows_is_answered(pack, q):
    from scope_checks import assert_answered
    assert_answered(pack, q)


def test_the_asked_noun_follows_what_or_which():
    assert grounding._asked_noun_english("What kind of insurance covers our machines?") == {"insurance"}
    assert grounding._asked_noun_english("Which bank should we use?") == {"bank"}
    assert grounding._asked_noun_english("該非判定って何？") == set()
    # a verb, not a noun, after what/which: nothing is marked
    assert grounding._asked_noun_english("What happens if we export without a licence?") == set()
    assert grounding._asked_noun_english("What is a catch-all control?") == set()
