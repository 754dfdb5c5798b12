"""An English question is also read against the pack's English restatements (anpo.english:
EnglishIndex, fuse_english): its own words find the passage whose English says the same thing,
and that passage joins the Japanese reading's hits for the composer.  The gate is measured on the
Japanese reading's hits only: a passage chosen for sharing the question's words would cover them
by construction (tests/test_refusals.py's English near-domain questions were answered that way)."""

from __future__ import annotations

import pytest

from anpo import english
from anpo.english import EnglishIndex, en_content_words, en_lemma, pack_for


def test_lemmas_are_shared_by_the_question_and_the_restatement():
    assert en_lemma("shipments") == en_lemma("shipment") == "shipment"
    assert en_lemma("exported") == en_lemma("exporting") == en_lemma("exports") == "export"
    assert en_lemma("countries") == "country"
    assert en_lemma("license") == en_lemma("licence")
    assert en_lemma("class") == "class"                      # not "clas"


def test_content_words_leave_the_asking_frame_out():
    words = en_content_words("Could you tell me whether we need METI's consent for that?")
    assert "consent" in words and "meti" in words
    assert not {"could", "you", "tell", "me", "whether", "we", "need", "that"} & set(words)


# questions worded by us (none from an eval set), each about a passage whose key words no
# term-map row lists: the English reading finds the passage, the grounding sees it covered
OWN = [
    ("Does METI do an on-site inspection before granting a special general bulk licence?", "licensing", "on-site inspection"),
    ("Do we have to submit the self-assessment checklist every year?", "internal-cp", "checklist"),
    ("Who publishes the model compliance programme template that many companies copy?", "internal-cp", "cistec"),
]


@pytest.mark.parametrize("q,doc,fact", OWN)
def test_the_english_index_finds_the_passage_that_says_it(pack, q, doc, fact):
    idx = pack.ensure_index()
    ei = EnglishIndex(pack_for(idx, pack.settings.knowledge_dir), idx.chunks)
    top = [idx.chunk(cid) for cid, _ in ei.search(q, 3)]
    assert any(c.doc_id == doc for c in top), [(c.doc_id, c.locator) for c in top]


@pytest.mark.parametrize("q,doc,fact", OWN)
def test_the_english_reading_adds_the_passage_after_the_japanese_hits(pack, q, doc, fact, monkeypatch):
    idx = pack.ensure_index()
    added = english.fuse_english(q, [], idx, pack.settings.knowledge_dir, 5)
    assert doc in [h.chunk.doc_id for h in added]
    # switched off in data/english.yaml, nothing is added
    cfg = dict(english.phrases())
    monkeypatch.setattr(english, "phrases", lambda: {**cfg, "cross_lingual": {"weight": 0}})
    assert english.fuse_english(q, [], idx, pack.settings.knowledge_dir, 5) == []


@pytest.mark.parametrize("q", [
    "We'd like to hire an intern from Vietnam. How much should we pay them per hour?",
    "We are opening an office in Malaysia. What are the corporate tax rules there?",
    "A customer in Germany sent us a claim about defective parts. How do we respond legally?",
])
def test_passages_the_english_reading_adds_do_not_ground_an_out_of_scope_question(pack, q):
    # the added passages say intern / office / claim, because they were chosen for those words
    assert not pack.ask(q).grounded, pack.ask(q).answer


def test_a_japanese_question_is_not_read_in_english(pack):
    a = pack.ask("特別一般包括許可の新規申請の前に実地調査はありますか？")
    assert all(not c.text_en for c in a.citations)
