"""Offline evaluation of the claim checker (anpo/claims.py) on `evals/claims.jsonl`:
sentences written against the pack's real passages, each labelled supported or
unsupported (invented 項番, flipped negation, wrong number/period/amount/year/group,
unrelated claims, no marker; quotes and paraphrases).  Each item names the passages it
cites by doc_id + locator (chunk_id as a fallback), so it survives re-chunking.

The threshold is calibrated on the `calib` half (the most supported sentences kept while
precision on unsupported stays ≥ 95 %) and reported on the `test` half.  Run with
`anpo eval --claims` (or `python -m evals.claims_scorer`).

Metrics, with "positive" = judged unsupported (dropped):
- precision on unsupported: of the sentences dropped, the share that were unsupported;
- recall on unsupported: of the unsupported sentences, the share dropped (caught);
- recall on supported: of the supported sentences, the share kept;
- kept precision: of the sentences kept, the share that were supported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from anpo.claims import FACT_SENTENCES, THRESHOLD, TERM_FLOOR, ClaimChecker, Passage, split_claims

CLAIMS_PATH = Path(__file__).resolve().parent / "claims.jsonl"
TARGET_PRECISION = 0.95
THRESHOLDS = tuple(round(0.4 + 0.05 * i, 2) for i in range(12))     # 0.40 … 0.95
TERM_FLOORS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)     # 0 turns the topic-word check off
FACT_WINDOWS = (1, 2, 3)


@dataclass(frozen=True)
class ClaimItem:
    id: str
    sentence: str
    cites: tuple[dict, ...]
    label: str              # "supported" | "unsupported"
    kind: str
    split: str              # "calib" | "test"


def load_claims(path: Path = CLAIMS_PATH) -> list[ClaimItem]:
    items = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            items.append(ClaimItem(d["id"], d["sentence"], tuple(d["cites"]), d["label"], d["kind"], d["split"]))
    return items


def resolve(items: Sequence[ClaimItem], chunks: Iterable) -> tuple[dict[str, list[Passage]], list[str]]:
    """Passages per item id (found by doc_id + locator, else chunk_id); ids that no longer resolve."""
    by_loc, by_id = {}, {}
    for c in chunks:
        by_loc.setdefault((c.doc_id, c.locator), c)
        by_id[c.chunk_id] = c
    out, stale = {}, []
    for it in items:
        ps = []
        for ref in it.cites:
            c = by_loc.get((ref["doc_id"], ref["locator"])) or by_id.get(ref.get("chunk_id", ""))
            if c is None:
                break
            ps.append(Passage(c.text, f"{c.title}（{c.locator}）", bool(c.fields), c.locator))
        if len(ps) == len(it.cites):
            out[it.id] = ps
        else:
            stale.append(it.id)
    return out, stale


def judge(items, passages, threshold: float, term_floor: float,
          fact_sentences: int = FACT_SENTENCES) -> list[tuple[ClaimItem, bool, str]]:
    """(item, kept, reason) for every resolved item."""
    out = []
    for it in items:
        if it.id not in passages:
            continue
        claim = split_claims(it.sentence)[0]
        v = ClaimChecker(passages[it.id], threshold=threshold, term_floor=term_floor,
                         fact_sentences=fact_sentences).check(claim)
        out.append((it, v.supported, v.reason))
    return out


def metrics(judged) -> dict:
    dropped_bad = sum(1 for it, kept, _ in judged if not kept and it.label == "unsupported")
    dropped_good = sum(1 for it, kept, _ in judged if not kept and it.label == "supported")
    kept_good = sum(1 for it, kept, _ in judged if kept and it.label == "supported")
    kept_bad = sum(1 for it, kept, _ in judged if kept and it.label == "unsupported")

    def ratio(a, b):
        return round(100.0 * a / b, 1) if b else None
    return {"n": len(judged), "unsupported": dropped_bad + kept_bad, "supported": kept_good + dropped_good,
            "precision_unsupported": ratio(dropped_bad, dropped_bad + dropped_good),
            "recall_unsupported": ratio(dropped_bad, dropped_bad + kept_bad),
            "recall_supported": ratio(kept_good, kept_good + dropped_good),
            "kept_precision": ratio(kept_good, kept_good + kept_bad)}


def calibrate(items, passages) -> tuple[tuple[float, float, int], dict]:
    """On the calib half: the (threshold, term floor, fact window) keeping most supported
    sentences while precision on unsupported ≥ target; ties go to catching more unsupported
    ones, then to the settings nearest the shipped defaults."""
    calib = [it for it in items if it.split == "calib"]
    default = (THRESHOLD, TERM_FLOOR, FACT_SENTENCES)
    best = None
    for th in THRESHOLDS:
        for tf in TERM_FLOORS:
            for fw in FACT_WINDOWS:
                m = metrics(judge(calib, passages, th, tf, fw))
                if (m["precision_unsupported"] or 0) < 100 * TARGET_PRECISION:
                    continue
                near = -abs(th - THRESHOLD) - abs(tf - TERM_FLOOR) - abs(fw - FACT_SENTENCES)
                key = (m["recall_supported"] or 0, m["recall_unsupported"] or 0, near)
                if best is None or key > best[0]:
                    best = (key, (th, tf, fw), m)
    if best is None:
        return default, metrics(judge(calib, passages, *default))
    return best[1], best[2]


def evaluate(chunks: Iterable, path: Path = CLAIMS_PATH) -> dict:
    items = load_claims(path)
    passages, stale = resolve(items, chunks)
    (th, tf, fw), calib_m = calibrate(items, passages)
    test = [it for it in items if it.split == "test"]
    judged_test = judge(test, passages, th, tf, fw)
    judged_default = judge(items, passages, THRESHOLD, TERM_FLOOR, FACT_SENTENCES)
    kinds = {}
    for it, kept, _ in judged_default:
        k = kinds.setdefault(it.kind, {"n": 0, "right": 0})
        k["n"] += 1
        k["right"] += int(kept == (it.label == "supported"))
    return {
        "items": len(items), "stale": stale,
        "calibrated": {"threshold": th, "term_floor": tf, "fact_sentences": fw, "calib": calib_m,
                       "test": metrics(judged_test)},
        "default": {"threshold": THRESHOLD, "term_floor": TERM_FLOOR, "fact_sentences": FACT_SENTENCES,
                    "all": metrics(judged_default)},
        "by_kind": kinds,
        "errors": [{"id": it.id, "label": it.label, "kind": it.kind, "sentence": it.sentence, "reason": r}
                   for it, kept, r in judged_default if kept != (it.label == "supported")],
    }


def format_report(r: dict) -> str:
    cal, d = r["calibrated"], r["default"]
    rows = [f"claim checker: {r['items']} labelled sentences ({len(r['stale'])} no longer resolve)",
            "| run | n | precision on unsupported | recall on unsupported | recall on supported | kept precision |",
            "|---|---|---|---|---|---|"]
    for name, m in ((f"calib (calibrated: threshold {cal['threshold']}, term floor {cal['term_floor']}, "
                     f"fact window {cal['fact_sentences']})", cal["calib"]),
                    ("test (calibrated settings)", cal["test"]),
                    (f"all (shipped defaults {d['threshold']}/{d['term_floor']}/{d['fact_sentences']})", d["all"])):
        rows.append(f"| {name} | {m['n']} | {m['precision_unsupported']} | {m['recall_unsupported']} | "
                    f"{m['recall_supported']} | {m['kept_precision']} |")
    rows.append("by kind (shipped defaults): " + ", ".join(
        f"{k} {v['right']}/{v['n']}" for k, v in sorted(r["by_kind"].items())))
    return "\n".join(rows)


def main() -> None:           # python -m evals.claims_scorer (builds/loads the index in ANPO_HOME)
    from anpo.service import Assistant
    from anpo.settings import Settings
    a = Assistant(Settings.from_env())
    r = evaluate(a.ensure_index().chunks)
    print(format_report(r))
    for e in r["errors"]:
        print(f"  ✗ {e['id']} [{e['label']}/{e['kind']}] {e['sentence']} → {e['reason'] or 'kept'}")


if __name__ == "__main__":
    main()
