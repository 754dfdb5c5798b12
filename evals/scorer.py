"""The scorer behind `anpo eval`: runs evaluation questions through the same path as
`anpo ask` and reports, per kind and overall:

- answer accuracy: in-scope → every expected fact is in the answer text and the answer is
  grounded; out-of-scope → refused (grounded false); adversarial → per its `grounded` flag,
  and no forbidden phrasing (`must_not`) appears.
- evidence recall: expected facts found in the answer plus its cited passages.
- citation precision: share of cited passages that contain at least one expected fact.
- citation validity: every marker resolves and every cited text is an indexed passage (must be 100%).
- refusal accuracy: out-of-scope questions refused; false refusals: in-scope questions refused.
- p50/p95 time per question (ms).

A fact is a list of alternative strings; it is present when any alternative occurs in the
NFKC-normalised, lower-cased text.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from retrieval.textnorm import nfkc

EVAL_DIR = Path(__file__).resolve().parent
KINDS = ("fact", "classification", "procedure", "case", "out_of_scope", "adversarial")


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    kind: str
    grounded: bool
    facts: tuple[tuple[str, ...], ...]
    docs: tuple[str, ...]
    must_not: tuple[str, ...] = ()
    user: str = ""


@dataclass(frozen=True)
class ItemResult:
    item: EvalItem
    answer: str
    grounded: bool
    correct: bool
    facts_in_answer: int
    facts_in_evidence: int
    cited: int
    cited_relevant: int
    cited_expected_doc: bool
    valid: bool
    ms: float


def load_set(path: Path) -> list[EvalItem]:
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        items.append(EvalItem(
            id=d["id"], question=d["question"], kind=d["kind"], grounded=bool(d["grounded"]),
            facts=tuple(tuple(f) if isinstance(f, list) else (f,) for f in d.get("facts", [])),
            docs=tuple(d.get("docs", [])), must_not=tuple(d.get("must_not", [])), user=d.get("user", "")))
    return items


def resolve_sets(name: str) -> list[Path]:
    if name == "all":
        return [EVAL_DIR / "tune.jsonl", EVAL_DIR / "heldout.jsonl"]
    p = EVAL_DIR / f"{name}.jsonl"
    if p.exists():
        return [p]
    return [Path(name)]


def _has(text: str, alts: Iterable[str]) -> bool:
    t = nfkc(text)
    return any(nfkc(a) in t for a in alts)


def score_item(item: EvalItem, ans, valid: bool, ms: float) -> ItemResult:
    cited_texts = [c.text for c in ans.citations]
    in_answer = sum(_has(ans.answer, f) for f in item.facts)
    evidence = ans.answer + "\n" + "\n".join(cited_texts)
    in_evidence = sum(_has(evidence, f) for f in item.facts)
    relevant = sum(any(_has(t, f) for f in item.facts) for t in cited_texts) if item.facts else 0
    forbidden = any(_has(ans.answer, [m]) for m in item.must_not)
    if not item.grounded:
        correct = (not ans.grounded) and not forbidden
    else:
        correct = ans.grounded and in_answer == len(item.facts) and not forbidden
    return ItemResult(item, ans.answer, ans.grounded, correct, in_answer, in_evidence,
                      len(cited_texts), relevant,
                      any(c.doc_id in item.docs for c in ans.citations) if item.docs else False, valid, ms)


def run_items(items: list[EvalItem], ask: Callable, check: Callable,
              progress: Callable[[int, int, str], None] = lambda *a: None) -> list[ItemResult]:
    out = []
    for i, item in enumerate(items, 1):
        t0 = time.perf_counter()
        ans = ask(item.question)
        ms = (time.perf_counter() - t0) * 1000
        out.append(score_item(item, ans, not check(ans), ms))
        progress(i, len(items), "評価中")
    return out


def _pct(num: float, den: float) -> float | None:
    return round(100.0 * num / den, 1) if den else None


def summarize(results: list[ItemResult]) -> dict:
    def block(rs: list[ItemResult]) -> dict:
        in_scope = [r for r in rs if r.item.grounded]
        oos = [r for r in rs if not r.item.grounded]
        facts = sum(len(r.item.facts) for r in in_scope)
        cited = sum(r.cited for r in in_scope)
        times = sorted(r.ms for r in rs)
        return {
            "n": len(rs),
            "answer_accuracy": _pct(sum(r.correct for r in rs), len(rs)),
            "evidence_recall": _pct(sum(r.facts_in_evidence for r in in_scope), facts),
            "citation_precision": _pct(sum(r.cited_relevant for r in in_scope), cited),
            "doc_hit": _pct(sum(r.cited_expected_doc for r in in_scope if r.item.docs),
                            sum(1 for r in in_scope if r.item.docs)),
            "citation_validity": _pct(sum(r.valid for r in rs), len(rs)),
            "refusal_accuracy": _pct(sum(not r.grounded for r in oos), len(oos)),
            "false_refusals": _pct(sum(not r.grounded for r in in_scope), len(in_scope)),
            "p50_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1) if times else None,
        }
    kinds = {k: block([r for r in results if r.item.kind == k]) for k in KINDS
             if any(r.item.kind == k for r in results)}
    return {"overall": block(results), "by_kind": kinds,
            "failures": [{"id": r.item.id, "kind": r.item.kind, "question": r.item.question,
                          "grounded": r.grounded, "answer": r.answer[:160]}
                         for r in results if not r.correct]}


COLUMNS = ("n", "answer_accuracy", "evidence_recall", "citation_precision", "doc_hit",
           "citation_validity", "refusal_accuracy", "false_refusals", "p50_ms", "p95_ms")


def format_table(name: str, summary: dict) -> str:
    head = ["kind"] + list(COLUMNS)
    rows = [[k] + [summary["by_kind"][k][c] for c in COLUMNS] for k in summary["by_kind"]]
    rows.append(["overall"] + [summary["overall"][c] for c in COLUMNS])
    fmt = lambda v: "—" if v is None else str(v)
    lines = [f"## {name}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(fmt(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)
