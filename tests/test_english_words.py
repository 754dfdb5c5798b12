"""English words are read whole and in the pack's notation: a courtesy or degree row never cuts a
word ("hired" is no greeting "hi"), an amount or period is written as the pack writes it
(1 million yen → 100万円, 90 days → 90日; data/english.yaml `quantities`), and a nationality before
a person ("an Indian engineer") is a 外国人, not a destination (data/intents.yaml `origin`)."""

from __future__ import annotations

import re

import pytest
import yaml

from anpo.analysis import analyse
from anpo.english import PHRASES_PATH, quantities_ja
from retrieval.textnorm import key_terms, normalize

# ------------------------------------------------------------------ no row cuts a word

WHOLE_WORDS = [
    "We hired an Indian engineer two months ago. Can he see our drawings?",
    "High-performance chips to China: do we need a licence?",
    "Hey, history question: when was Korea removed from the white list?",
    "Heyday or not, do the Russia sanctions still apply?",
    "He works full-time at our Tokyo office. Is he a resident?",
    "Our full-time researchers from India want the design files.",
]


@pytest.mark.parametrize("q", WHOLE_WORDS)
def test_no_row_drops_part_of_a_word(q):
    low = q.lower()
    for d in analyse(q).dropped:
        said = d.split("→")[0].strip().lower()
        if said and said[0].isascii() and said[0].isalpha():
            assert re.search(r"(?<![a-z0-9])" + re.escape(said) + r"(?![a-z0-9])", low), (said, q)


@pytest.mark.parametrize("q,word", [
    ("We hired an Indian engineer two months ago. Can he see our drawings?", "hired"),
    ("High-performance chips to China: do we need a licence?", "high-performance"),
    ("He works full-time at our Tokyo office. Is he a resident?", "full-time"),
])
def test_the_word_stays_whole_in_the_topic(q, word):
    assert word in analyse(q).topic.lower()


# ------------------------------------------------------------------ amounts and periods

QUANTITIES = yaml.safe_load(PHRASES_PATH.read_text(encoding="utf-8"))["quantities"]["examples"]


@pytest.mark.parametrize("q,ja", QUANTITIES)
def test_an_amount_or_period_is_written_as_the_pack_writes_it(q, ja):
    assert ja in quantities_ja(normalize(q))
    # and it reaches the topic the grounding and retrieval read
    assert ja in normalize(analyse(q).topic)


@pytest.mark.parametrize("q", [
    "We are a company of 20 employees. Do we need a CP?",
    "What is item 16 of the export order?",
    "Is Group A 27 countries now?",
    "What changed in the 2025 revision?",
    "One of our buyers is on the End User List.",
])
def test_a_number_without_a_unit_is_left_alone(q):
    assert quantities_ja(normalize(q)) == normalize(q)


def test_yen_are_written_in_man_and_oku():
    assert [quantities_ja(x).strip() for x in ("1 million yen", "¥50,000", "JPY 500 million", "82,500 yen", "1 billion yen")] == \
        ["100万円", "5万円", "5億円", "82,500円", "10億円"]


def test_the_pack_amount_is_a_known_topic_word():
    # "1 million yen" was three unknown English words; as 100万円 it is the pack's own limit
    words = {g[0] for g in key_terms(analyse("Is everything under 1 million yen exempt from a licence?").topic)}
    assert "100万円" in words and "million" not in words and "yen" not in words


# ------------------------------------------------------------------ a nationality before a person

@pytest.mark.parametrize("q", [
    "We hired an Indian engineer two months ago; he works at our Tokyo office. What should we check before sharing design data?",
    "Two Vietnamese trainees will use our machines. Is teaching them a technology transfer?",
    "Our Chinese researchers want to read the controlled manuals. Is that allowed?",
])
def test_a_nationality_before_a_person_is_a_foreign_national_not_a_destination(tables, q):
    a = analyse(q, tables)
    assert not a.countries, a.countries
    assert "外国人" in a.topic


def test_a_nationality_before_a_company_stays_the_destination(tables):
    a = analyse("An Indian company wants to buy our sensors. Do we need a licence?", tables)
    assert [c.name for c in a.countries] == ["インド"]



@pytest.mark.parametrize("q,ja", [
    ("His son lived in Canada for ten years. Does he count as a resident for deemed exports?", "10年"),
    ("We sold 3 million yen of pumps to Korea last year. Is Korea in Group A now?", "300万円"),
    ("Our intern has been with us for 8 months. Is showing him drawings a deemed export?", "8か月"),
])
def test_an_amount_told_before_the_ask_is_the_situation(q, ja):
    # in the pack's notation it is still told, not asked: it weighs as the situation (anpo.grounding)
    from anpo import grounding
    told = grounding._told_before_english_ask(q)
    assert {g[0] for g in key_terms(ja)} <= told, told
