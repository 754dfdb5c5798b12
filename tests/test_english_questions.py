"""English questions written as foreign staff ask them (tests/english_questions.yaml, not copied
from the eval sets) are answered in English from the real pack, with the fact asked for and,
where the cited sentence states it, the lead; out-of-scope questions in both languages are
refused naming the desk to ask (in English for English questions)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

DATA = yaml.safe_load((Path(__file__).parent / "english_questions.yaml").read_text(encoding="utf-8"))
JA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _without_quoted_terms(text: str) -> str:
    # quoted Japanese terms are allowed: (安全保障貿易審査課), “…”, (該非判定)
    return re.sub(r"[（(][^）)]*[）)]|“[^”]*”|\"[^\"]*\"|「[^」]*」", "", text)


@pytest.mark.parametrize("item", DATA["in_scope"], ids=lambda d: d["q"][:50])
def test_english_question_is_answered_in_english_with_the_fact(pack, item):
    a = pack.ask(item["q"])
    assert a.grounded, a.answer
    assert pack.check(a) == []
    assert not JA.search(_without_quoted_terms(a.answer)), a.answer
    assert any(s.lower() in a.answer.lower() for s in item["says"]), (item["says"], a.answer)
    assert not any(s.lower() in a.answer.lower() for s in item.get("not_says", ())), (item["not_says"], a.answer)
    if item.get("lead"):
        assert a.answer.startswith(item["lead"]), a.answer


def test_there_are_enough_questions():
    assert len(DATA["in_scope"]) >= 25 and len(DATA["out_of_scope"]) >= 20
    assert sum(not JA.search(d["q"]) for d in DATA["out_of_scope"]) >= 10
    assert sum(bool(JA.search(d["q"])) for d in DATA["out_of_scope"]) >= 10


@pytest.mark.parametrize("item", DATA["out_of_scope"], ids=lambda d: d["q"][:40])
def test_out_of_scope_is_refused_naming_the_desk(pack, item):
    a = pack.ask(item["q"])
    assert not a.grounded and not a.citations, a.answer
    if item["desk"]:
        assert item["desk"].lower() in a.answer.lower(), a.answer
    if not JA.search(item["q"]):
        assert not JA.search(_without_quoted_terms(a.answer)), a.answer     # the English refusal is English


def _run_own_set(pack, name):
    from evals.scorer import load_set, run_dialogues, run_items
    from anpo.conversation import Conversation
    items = load_set(Path(__file__).parent / name)
    if items[0].turns:
        results, _ = run_dialogues(items, lambda: Conversation(pack).ask, check=pack.check)
    else:
        results = run_items(items, pack.ask, pack.check)
    return items, results


@pytest.mark.parametrize("name,n,may_fail,leads", [("english_dialogues.jsonl", 30, 2, 4), ("english_singles.jsonl", 30, 4, 10)])
def test_own_english_sets_written_as_foreign_staff_talk(pack, name, n, may_fail, leads):
    """tests/english_dialogues.jsonl (two/three-turn dialogues whose follow-ups are English) and
    tests/english_singles.jsonl (polite, indirect, broken English, romaji terms), scored as
    `anpo eval --set tests/<file>` scores them: answered in English with the facts, and the
    lead where a cited sentence states it."""
    items, results = _run_own_set(pack, name)
    assert len(items) >= n and all(i.lang == "en" for i in items)
    wrong = [r.item.id for r in results if not r.correct]
    assert len(wrong) <= may_fail, wrong
    assert all(r.lang_ok for r in results)
    led = [r for r in results if r.item.lead != "none"]
    assert sum(r.lead_got == r.item.lead for r in led) >= leads, [(r.item.id, r.lead_got) for r in led]
    for r in results:       # English answers carry no untranslated Japanese outside quoted terms
        assert not JA.search(_without_quoted_terms(r.answer)), (r.item.id, r.answer)
