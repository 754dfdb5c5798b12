"""`anpo eval`: the scorer's arithmetic, and the smoke set through the real CLI path on the
shipped knowledge pack with quality thresholds (never thresholds on time)."""

import json
import os
import subprocess

from anpo.models import Answer, Citation
from conftest import anpo_bin
from evals.scorer import EvalItem, score_item, summarize


def _answer(text, grounded=True, cited=("展示会への一時的な持ち出しも輸出",)):
    cits = tuple(Citation(n=i, doc_id="d", chunk_id=f"d#{i}", title="t", locator="l", text=t)
                 for i, t in enumerate(cited, 1))
    return Answer(question="q", answer=text, grounded=grounded, backend="extractive", citations=cits if grounded else ())


def test_scorer_counts_facts_with_alternatives_and_width_folding():
    item = EvalItem("x", "q", "fact", True, (("展示会",), ("一時的", "持ち出し"), ("ＥＵＬ", "eul")), ("d",))
    r = score_item(item, _answer("展示会への持ち出しは輸出 [1]、EULも確認"), True, 1.0)
    assert r.facts_in_answer == 3 and r.correct and r.cited_relevant == 1


def test_scorer_out_of_scope_and_must_not():
    oos = EvalItem("o", "天気", "out_of_scope", False, (), ())
    assert score_item(oos, _answer("対象外です", grounded=False), True, 1.0).correct
    assert not score_item(oos, _answer("晴れ [1]"), True, 1.0).correct
    adv = EvalItem("a", "q", "adversarial", True, (("輸出",),), ("d",), must_not=("許可は不要",))
    assert not score_item(adv, _answer("輸出です。許可は不要 [1]"), True, 1.0).correct


def test_summary_has_every_metric():
    item = EvalItem("x", "q", "fact", True, (("展示会",),), ("d",))
    s = summarize([score_item(item, _answer("展示会 [1]"), True, 5.0)])
    for key in ("answer_accuracy", "evidence_recall", "citation_precision", "citation_validity",
                "refusal_accuracy", "false_refusals", "p50_ms", "p95_ms"):
        assert key in s["overall"]


def test_anpo_eval_smoke_meets_quality_thresholds(tmp_path):
    env = dict(os.environ, ANPO_HOME=str(tmp_path / "home"), ANPO_EMBEDDER="hash")
    env.pop("ANPO_KNOWLEDGE_DIR", None)
    r = subprocess.run([anpo_bin(), "eval", "--set", "smoke", "--json"], env=env, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    overall = json.loads(r.stdout)["smoke"]["overall"]
    assert overall["citation_validity"] == 100.0
    assert overall["answer_accuracy"] >= 66.0
    assert overall["refusal_accuracy"] == 100.0
    assert overall["false_refusals"] <= 25.0
