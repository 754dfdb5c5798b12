"""Round 10 (helper lead): where the verdict of a yes/no question stands, and what may carry it.
- A multi-part question whose first part asks a question word (「どんな試験？」「受験料いくら？」) and whose later part asks
  yes/no: the answer leads with the yes/no part's verdict line (anpo.compose._lead_part_first), each line still cited.
- 「何か」 "anything" in a question asking whether something is there (「毎年なにか提出するものある？」) is no question
  word: the sentence naming what there is answers 「はい」 (anpo.compose._word_asked) — but a question asking whether
  something recurs (毎年/年に一回) is never affirmed by a sentence saying nothing recurs (leads.yaml `recurs`).
- The closest sentence that names the asker's own ground as no ground (「…ヒットしなかったことだけでは…とは言えない」)
  answers 「いいえ」 to the belief drawn from it, whatever the asked clause's own words (anpo.compose._ground_rejected).
Every wording is our own, in users' voices; none is copied from an eval set."""

from __future__ import annotations

import re

import pytest

from anpo import leads
from lead_checks import assert_led, first_line


@pytest.mark.parametrize("q", [
    "STCの受験料はいくらくらい？タブレットで受験しても平気？",
    "STCって何の試験なんですか？それと、タブレットでも受験できるの？",
    "CP受理票って何？届出は義務なの？",
    "アドバイザー派遣ってどうやって申し込むの？お金はかかる？",
])
def test_a_yes_no_part_after_a_question_word_part_leads_the_answer(pack, q):
    ans = pack.ask(q)
    line = first_line(ans)
    assert re.match(r"(はい|いいえ|一概には言えません)。", line) and re.search(r"\[\d+\]", line), ans.answer
    assert len(ans.answer.split("\n")) >= 2 or "受験" in line, ans.answer


@pytest.mark.parametrize("q", [
    "NACCSって無料で使えるの？申込みから使えるまでどのくらいかかる？",
    "CPの届出って義務なんですか？届け出るなら何を出すの？",
])
def test_a_first_part_asking_yes_no_keeps_its_place(pack, q):
    ans = pack.ask(q)
    assert "（2点目" not in first_line(ans), ans.answer


@pytest.mark.parametrize("q", [
    "CP受理票が出たら、その後も毎年何か提出するものはあるの？",
    "CP受理票を持ってる会社は、毎年何か提出するものがありますか？",
    "うちCP受理票もらってるんですけど、毎年なにか提出するものってありましたっけ？",
    "輸出管理内部規程を届け出て受理票をもらいました。毎年なにか提出するものってある？",
])
def test_anything_asked_to_exist_is_answered_yes_by_the_sentence_naming_it(pack, q):
    assert_led(pack, q, "はい。", "毎年", cited=True)


@pytest.mark.parametrize("q", [
    "CPを届け出たあと、年に一回何か提出するものはありますか？",
])
def test_a_sentence_about_something_done_once_affirms_no_recurrence(pack, q):
    assert not first_line(pack.ask(q)).startswith("はい。")


@pytest.mark.parametrize("ex", leads.rules().raw["recurs_examples"], ids=lambda e: e["q"][:16])
def test_recurrence_asked_and_unsaid_is_read(ex):
    assert leads.recurrence_unsaid(ex["q"], ex["s"]) is ex["unsaid"]


@pytest.mark.parametrize("q", [
    "マトリクス表の検索結果がヒットなしだったから、非該当ってことで社内の決裁を回しちゃってOK？",
    "マトリクス表でいろいろ検索してもヒットしないので、非該当ってことで出荷手続きを進めちゃってOKですよね？",
    "検索でヒットしなかったので、この部品は非該当ってことで登録しちゃって問題ないですよね？",
])
def test_a_sentence_naming_the_askers_ground_as_no_ground_answers_no(pack, q):
    assert_led(pack, q, "いいえ。", "とは言えない", cited=True)


@pytest.mark.parametrize("q", [
    "追加資料を出すのに時間がかかっても、それも含めて90日で審査が終わるってことでいいですか？",
    "特定類型の外国企業って、日本にある外資系企業も含めての話ですか？",
    "外資系の日本法人も、特定類型でいう外国企業に含むんですよね？",
    "特定類型①の外国企業って、外資系企業も含まれるんですか？",
])
def test_a_claim_that_something_is_included_is_answered_no_by_the_sentence_excluding_it(pack, q):
    assert_led(pack, q, "いいえ。", re.compile("含まれ(ない|ません)"), cited=True)
