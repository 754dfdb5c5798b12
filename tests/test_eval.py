"""`anpo eval`: the smoke set (17 realistic items drawn from evals/dev.jsonl, none from tune or
test) through the real CLI path on the shipped knowledge pack, with quality thresholds (never
thresholds on time); and the CLI's eval options.  The scorer's arithmetic is in test_scorer.py."""

import json
import os
import subprocess

from conftest import anpo_bin

# Smoke items answered correctly must stay >= this.  It is the passing count of the code at the
# time it was set MINUS 2, so the test fails as soon as three items regress.  Recompute after the
# answerer changes:
#   ANPO_HOME=$(mktemp -d) ANPO_EMBEDDER=hash anpo eval --set smoke --json \
#     | python -c "import json,sys; o=json.load(sys.stdin)['smoke']['overall']; print(round(o['answer_accuracy']*o['n']/100))"
# and set SMOKE_MIN_CORRECT to that number minus 2.
# Set on 2026-11-30 at commit d30200c + the new scorer: 8 of 17 correct → 6; reset at the end of the round: 17 of 17 → 15.
SMOKE_MIN_CORRECT = 15


def _eval(tmp_path, *args):
    env = dict(os.environ, ANPO_HOME=str(tmp_path / "home"), ANPO_EMBEDDER="hash")
    env.pop("ANPO_KNOWLEDGE_DIR", None)
    return subprocess.run([anpo_bin(), "eval", *args], env=env, capture_output=True, text=True, timeout=600)


def test_anpo_eval_smoke_meets_quality_thresholds(tmp_path):
    r = _eval(tmp_path, "--set", "smoke", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)["smoke"]
    overall = summary["overall"]
    correct = round(overall["answer_accuracy"] * overall["n"] / 100)
    assert correct >= SMOKE_MIN_CORRECT, [f["id"] for f in summary["failures"]]
    assert overall["citation_validity"] == 100.0
    assert overall["refusal_accuracy"] == 100.0
    assert overall["unsafe"] == 0
    assert set(summary["by_user"]) == {"sme", "seminar", "foreign_staff"}


def test_anpo_eval_scores_answers_from_a_file_and_rejects_unknown_sets(tmp_path):
    answers = tmp_path / "answers.jsonl"
    rows = [{"question": "少額特例っていくらまで？", "answer": "少額特例の上限額は原則として総価額100万円以下です。 [1]",
             "grounded": True, "citations": [{"n": 1, "doc_id": "licensing", "text": "総価額100万円以下"}]}]
    answers.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps({"id": "n1", "question": "少額特例っていくらまで？", "kind": "number", "user": "seminar",
                               "grounded": True, "facts": [["100万円"]], "docs": ["licensing"], "lead": "none"},
                              ensure_ascii=False), encoding="utf-8")
    r = _eval(tmp_path, "--set", str(one), "--answers", str(answers), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["one"]["overall"]["answer_accuracy"] == 100.0
    r = _eval(tmp_path, "--set", "no-such-set")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
