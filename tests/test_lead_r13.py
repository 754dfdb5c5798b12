"""Round 13 (helper lead): gates that dropped a yes/no question's lead although the settling sentence was cited
(the lead trace, anpo.compose.lead_trace, names them).
- coverage: a topic word the pack says its own way (data/intents.yaml part_answered.said_as: スマホ → スマートフォン) is
  stated by a sentence that says it that way (anpo.compose._said_as).
- echo: 「増加してる？」 is echoed by 「…増えました」 (leads.yaml echo.same; examples in echo_examples).
- contrast: 「…不要になりましたが、…必要です」 splits at 「ましたが、」 (leads.yaml contrast), the object is read in the clause
  about the asked words (anpo.leads.agrees), and a word a rule picked that its sentence contradicts is re-read there
  (anpo.compose._checked_lead: 「はい」 vetoed → 「いいえ」 when the clause states it).
- question words: the copula 「…なんでしょ？」 and the indefinites 「どこかに」「何か」 ask nothing (leads.yaml
  not_question_words; anpo.leads.without_indefinites).
Every wording is our own, in users' voices; none is copied from an eval set."""

from __future__ import annotations

import re

import pytest

from anpo import compose, leads
from anpo.analysis import load_rules
from retrieval.textnorm import normalize

from lead_checks import assert_led, first_line


# ----------------------------------------------------------------- said the pack's way

@pytest.mark.parametrize("word, sentence", [
    ("スマホ", "試験はパソコンで受験し、タブレットやスマートフォンでは受験できません。"),
    ("リモート", "派遣はメール、ウェブ会議、企業訪問を組み合わせて行われます。"),
    ("携帯", "試験はパソコンで受験し、タブレットやスマートフォンでは受験できません。"),
])
def test_a_word_said_the_packs_way_is_stated(word, sentence):
    assert compose._said_as(word, sentence)


@pytest.mark.parametrize("word, sentence", [
    ("スマホ", "試験はパソコンで受験します。"),
    ("リモート", "派遣は無料です。"),
    ("パソコン", "タブレットやスマートフォンでは受験できません。"),
])
def test_a_word_not_said_is_not_stated(word, sentence):
    assert not compose._said_as(word, sentence)


@pytest.mark.parametrize("q", [
    "STCの初級試験って、スマホから受けても大丈夫なんだっけ？",
    "STC Associateってスマホで受験できますか？",
    "部下にSTCの初級を受けさせたいんですが、スマホで受験させられる？",
])
def test_a_smartphone_question_is_answered_no_by_the_sentence_saying_smartphones(pack, q):
    assert_led(pack, q, "いいえ。", "スマートフォン", cited=True)


# ----------------------------------------------------------------- words that look like question words

@pytest.mark.parametrize("row", leads.rules().raw["not_question_words_examples"], ids=lambda r: r["q"])
def test_not_question_words_serve_their_examples(row):
    q = normalize(row["q"])
    assert bool(load_rules().premise["wh"].search(leads.without_indefinites(q))) == row["wh"]


# ----------------------------------------------------------------- a vetoed word re-read in the asked clause

@pytest.mark.parametrize("q", [
    "NACCSで申請するとき、届出理由書って今でも要るの？",
    "申請者届出書と届出理由書って、今も提出しなきゃダメ？",
    "届出理由書って今も出す必要ある？",
])
def test_a_contrast_is_read_in_the_clause_about_the_asked_document(pack, q):
    # 「…届出理由書の提出は不要になりましたが、…申請書類の送付は引き続き必要です」: the clause about 届出理由書 answers
    # (leads.yaml contrast 「…ましたが、」; leads.agrees reads same_object in that clause; a vetoed はい re-read as いいえ)
    assert_led(pack, q, "いいえ。", "不要", cited=True)


# ----------------------------------------------------------------- an English question names the list in its topic

@pytest.mark.parametrize("q, word", [
    ("Is Iraq a UN arms embargo country?", "Yes."),
    ("Is the Democratic Republic of the Congo a UN arms embargo country?", "Yes."),
    ("Is Germany a UN arms embargo country?", "No."),
])
def test_an_english_listing_question_is_answered_from_the_list(pack, q, word):
    # the English words name the list; the analysis's topic holds the pack's (国連武器禁輸国): compose._listing_lead
    assert_led(pack, q, word, "Table 3-2", cited=True)
