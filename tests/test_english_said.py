"""An English question's own words are checked against the English restatement of the passages the
gate reads (anpo.english.said_in_english): a word the term map lacks ("whenever", "eased") and a
wording the term map reads as one Japanese word the passage does not use ("president" → 代表者 where
the case says 社長) are covered when the passage's English says them.  Only the Japanese reading's
own hits are read, and words told before the asking sentence and words of how one asks ("we'd
like to") cover nothing: out-of-scope questions stay refused."""

from __future__ import annotations

import pytest

from anpo import english

# worded by us, in other voices than the eval sets; each is refused without the English check
SAID = [
    ("Our only export clerk is overloaded. Did any trading company's case show the advisor training the "
     "president so the contact person's workload eased?", "president"),
    ("Our export admin is buried in work. Any trading-company example where the advisor trained the president "
     "and the contact person's workload eased?", "president"),
]

# near-domain questions whose passages' English says some of their words: still refused
NOT_SAID = [
    "We'd like to hire an intern from Vietnam. How much should we pay them per hour?",
    "We're a small company in Osaka and business has been slow. What is the best way to cut electricity costs?",
    "Our trading company is growing fast. How should we train new staff in sales negotiation?",
]


def _off(monkeypatch):
    cfg = dict(english.phrases()["cross_lingual"], said=False)
    monkeypatch.setitem(english.phrases(), "cross_lingual", cfg)


@pytest.mark.parametrize("q,fact", SAID)
def test_a_word_the_passage_says_in_english_is_covered(pack, q, fact):
    a = pack.ask(q)
    assert a.grounded, a.answer
    assert fact.lower() in a.answer.lower(), a.answer


@pytest.mark.parametrize("q,fact", SAID)
def test_without_the_english_check_they_are_refused(pack, monkeypatch, q, fact):
    _off(monkeypatch)
    assert not pack.ask(q).grounded


@pytest.mark.parametrize("q", NOT_SAID)
def test_out_of_scope_questions_stay_refused(pack, q):
    assert not pack.ask(q).grounded, q


def test_situation_words_and_asking_words_are_not_said(pack):
    idx = pack.ensure_index()
    q = "We're a small company and business has been slow. We'd like to know: what is the best way to cut costs?"
    hits = pack.retriever().retrieve(english.japanese_topic(q), 5) if hasattr(pack, "retriever") else []
    said = english.said_in_english(q, english.japanese_topic(q), hits, idx, pack.settings.knowledge_dir) if hits else None
    for h in said or ():
        tail = h.chunk.search_text.split()[-6:]
        assert "business" not in tail and "like" not in tail


# "what number do we ring": the asked thing is the phone number (data/english.yaml number_to_ring), read before
# the consult row turns "ring at METI" into 相談 窓口
NUMBER = [
    "If we ever suspect an unlicensed shipment, what number do we ring at METI's inspection office?",
    "The inspection office: we ring them on what number?",
    "Which number should I dial to reach METI's Security Export Inspection Office?",
]


@pytest.mark.parametrize("q", NUMBER)
def test_the_number_to_ring_is_the_phone_number(pack, q):
    a = pack.ask(q)
    assert a.grounded and "03-3501-2841" in a.answer, a.answer


# "doesn't fall under any of items 1 to 15": the goods are non-listed (非該当; data/english.yaml not_listed), so the
# answer is catch-all's item 16, not the Group A sentence on list-controlled goods
NOT_IN_1_15 = [
    "Since our gear doesn't come under items 1 to 15, is it free to export to every country without a licence?",
    "Our product doesn't fall under any of items 1 to 15. Can it go to any customer without a licence?",
    "Our motors are not in items 1 to 15 of the list, so can we sell them anywhere without a licence?",
]


@pytest.mark.parametrize("q", NOT_IN_1_15)
def test_goods_outside_items_1_to_15_are_answered_with_catch_all(pack, q):
    a = pack.ask(q)
    assert a.grounded and "item 16" in a.answer and not a.answer.startswith("Yes"), a.answer
