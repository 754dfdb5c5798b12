"""Each named subject gets its own sentence, and the asked answer type is in the sentence that leads
(round 10, helper "select").

The wordings below were written for this test in an SME owner's, an advisor's or a seminar
attendee's words (none is copied from an eval set).  Each group names the mechanism it guards:

- 「XとYについて、Zをそれぞれ」 (data/intents.yaml `each`): Z asked once of X and once of Y, each part
  answered by its own sentence;
- 「AのPとQ、あわせてBのP」: a joiner after a comma opens a second question (a `part_splitters` row);
- the article a rule rests on (`answer_types` article: 根拠条文, 何条, "which article"): the sentence citing
  第N条 leads;
- a count asked by its counter word (number_units: 何か国, いくつ…国) is led by the sentence holding the count,
  not by a はい/いいえ from a sentence without it (compose: "holds no asked number");
- a remark after the last ？ (「…何年使える？毎年更新とか面倒で。」) asks for no answer type (compose.asked_types reads
  the asked clause);
- a later part with no words of its own (「主な中身は？」「今から申し込んでも間に合う？」) is asked of the first part's
  subject, unless it asks only yes or no (anpo.analysis._inherit).
"""

from __future__ import annotations

import re

import pytest
import yaml

from anpo.analysis import RULES_PATH, analyse, load_rules
from anpo.compose import asked_types


def _lines(ans) -> list[str]:
    return [ln for ln in ans.answer.split("\n\n")[0].splitlines() if ln.strip() and not ln.startswith("※")]


_DATA = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))


def _each(q: str):
    return next((m for m in (rx.search(q) for rx, _ in load_rules().each) if m), None)


# ------------------------------------------------------------------ 「XとYについて…それぞれ」

@pytest.mark.parametrize("q", _DATA["each_examples"])
def test_each_row_serves_its_examples(q):
    m = _each(q)
    assert m, q
    parts = analyse(q).parts
    assert len(parts) == 2, [p.question for p in parts]
    assert parts[0].question.startswith(m.group("x")) and parts[1].question.startswith(m.group("y"))


@pytest.mark.parametrize("q", _DATA["each_not_examples"])
def test_each_row_leaves_its_not_examples(q):
    assert not _each(q), q


def test_each_row_carries_three_phrasings():
    assert len(_DATA["each_examples"]) >= 3


EACH = [
    ("公知の技術と基礎科学分野の研究について、許可が要らない根拠の条項をそれぞれ教えて", [r"第9号", r"第10号"]),
    ("公知の技術を出す場合と、基礎科学分野の研究で技術を提供する場合の、許可不要の根拠をそれぞれ知りたい", [r"第9号", r"第10号"]),
    ("公知の技術と基礎科学分野の研究活動、それぞれ貿易外省令の何号で許可不要になるのか各々示してほしい", [r"第9号", r"第10号"]),
]


@pytest.mark.parametrize("q, facts", EACH, ids=[q[:16] for q, _ in EACH])
def test_each_named_subject_gets_its_own_sentence(pack, q, facts):
    ans = pack.ask(q)
    assert ans.grounded, (q, ans.answer[:200])
    text = "\n".join(_lines(ans))
    for f in facts:
        assert re.search(f, text), (q, f, ans.answer[:500])


# ------------------------------------------------------------------ 「…、あわせて…」

JOINED = [
    ("北朝鮮向け輸出禁止の根拠条文と開始日、あわせて仲介貿易の禁止の根拠条文も教えて", [r"第48条第3項", r"2009年6月18日", r"第25条第6項"]),
    ("北朝鮮への輸出禁止の根拠と始まった日、加えて北朝鮮が関わる仲介貿易の禁止の根拠を知りたい", [r"第48条第3項", r"2009年6月18日", r"第25条第6項"]),
    ("北朝鮮向け輸出禁止の根拠となる条文と開始日、併せて北朝鮮絡みの仲介貿易取引を禁じる条文を示してください", [r"第48条", r"2009年6月18日", r"第25条第6項"]),
    # それから/それと/さらに (were tests/test_para_r10.py's own JOINED, the same test)
    ("北朝鮮向け輸出禁止の根拠条文と開始日、それから仲介貿易の禁止は何条に基づくのか教えて", [r"第48条第3項", r"2009年6月18日", r"第25条第6項"]),
    ("北朝鮮への輸出禁止の根拠条文と始まった日、それと北朝鮮が絡む仲介貿易の禁止の根拠条文も知りたい", [r"第48条第3項", r"2009年6月18日", r"第25条第6項"]),
    ("北朝鮮向け輸出禁止の根拠条文と開始日、さらに北朝鮮絡みの仲介貿易取引を禁じる条文を教えてください", [r"第48条", r"2009年6月18日", r"第25条第6項"]),
]


@pytest.mark.parametrize("q, facts", JOINED, ids=[q[:16] for q, _ in JOINED])
def test_a_joiner_after_a_comma_opens_a_second_question(pack, q, facts):
    assert len(analyse(q).parts) == 2, q
    ans = pack.ask(q)
    assert ans.grounded, (q, ans.answer[:200])
    text = "\n".join(_lines(ans))
    for f in facts:
        assert re.search(f, text), (q, f, ans.answer[:600])


# ------------------------------------------------------------------ the article leads

ARTICLE = [
    ("仲介貿易の禁止は、根拠となる規定はどれ？", r"第25条第6項"),
    ("公知の技術が許可不要になる条項はどこ？", r"第9条第2項第9号"),
    ("Which article of the Foreign Exchange Act is the basis for the North Korea ban?", r"Article 48"),
]


@pytest.mark.parametrize("q, gives", ARTICLE, ids=[q[:16] for q, _ in ARTICLE])
def test_the_sentence_citing_the_article_leads(pack, q, gives):
    assert "article" in [t.name for t in asked_types(q)], q
    ans = pack.ask(q)
    assert ans.grounded, (q, ans.answer[:200])
    assert re.search(gives, _lines(ans)[0]), (q, ans.answer[:400])


# ------------------------------------------------------------------ a count leads, not a はい/いいえ without it

COUNTS = [
    ("グループAの国って、数でいうと何か国あるんだっけ？", r"27か国"),
    ("別表第3の国は全部でいくつでしたっけ？", r"27か国"),
    ("懸念国って、国の数にするといくつでしたっけ？", r"3か国"),
]


@pytest.mark.parametrize("q, count", COUNTS, ids=[q[:16] for q, _ in COUNTS])
def test_a_count_question_leads_with_the_count(pack, q, count):
    ans = pack.ask(q)
    assert ans.grounded, (q, ans.answer[:200])
    first = _lines(ans)[0]
    assert re.search(count, first), (q, ans.answer[:400])
    assert not re.match(r"(はい|いいえ)。", first), (q, first)


# ------------------------------------------------------------------ a remark after the last ？ asks nothing

REMARKS = [
    ("包括許可の有効期間ってどれくらい？毎年更新だと手間なんだよね。", "frequency"),
    ("特別一般包括って何年もつの？毎年出し直すのは大変で。", "frequency"),
    ("一般包括許可は何年くらい使えるんですか？定期的に更新するのは面倒です。", "frequency"),
]


@pytest.mark.parametrize("q, not_asked", REMARKS, ids=[q[:16] for q, _ in REMARKS])
def test_a_remark_after_the_question_asks_no_type(pack, q, not_asked):
    assert not_asked not in [t.name for t in asked_types(q)], q
    ans = pack.ask(q)
    assert re.search(r"包括許可の有効期間", "\n".join(_lines(ans)[:2])), (q, ans.answer[:400])


@pytest.mark.parametrize("q", _DATA["remark_asks_examples"])
def test_a_remark_that_asks_inside_a_feeling_still_asks(q):
    remark = q[max(q.rfind("？"), q.rfind("?")) + 1:]
    assert remark.strip() and asked_types(remark), q
    assert {t.name for t in asked_types(remark)} <= {t.name for t in asked_types(q)}, q


@pytest.mark.parametrize("q", _DATA["remark_asks_not_examples"])
def test_a_remark_that_only_tells_asks_nothing(q):
    assert not load_rules().remark_asks.search(q), q


def test_remark_rows_carry_three_phrasings():
    assert len(_DATA["remark_asks_examples"]) >= 3


# ------------------------------------------------------------------ a part with no words of its own

OWNLESS = [
    # (question, what the second part's answer must hold)
    ("経産省のアドバイザー派遣って有料？それと、今から申し込んでも間に合う？", r"chusho\.html"),
    ("遵守基準の改正っていつから？中身はざっくりどんな感じ？", r"遵守基準"),
    ("NACCSって無料？申し込んでから使えるまでってどれくらい？", r"2週間"),
]


@pytest.mark.parametrize("q, fact", OWNLESS, ids=[q[:16] for q, _ in OWNLESS])
def test_a_part_with_no_words_of_its_own_asks_of_the_first_parts_subject(pack, q, fact):
    ans = pack.ask(q)
    assert ans.grounded, (q, ans.answer[:200])
    assert "2点目のご質問" not in ans.answer, (q, ans.answer[:400])
    assert re.search(fact, "\n".join(_lines(ans)[1:])), (q, ans.answer[:500])


@pytest.mark.parametrize("q", ["包括許可の有効期間は何年？切れる前にやっておくことある？",
                               "アドバイザー派遣って無料？今からでも頼めるのかな？",
                               "CPの届出は任意？で、出しといた方がいい？"])
def test_a_yes_no_part_with_no_words_of_its_own_gets_no_lead_from_the_subject(pack, q):
    ans = pack.ask(q)
    later = [ln for ln in _lines(ans)[1:]]
    assert not any(re.match(r"(はい|いいえ)。", ln) for ln in later), (q, ans.answer[:400])
