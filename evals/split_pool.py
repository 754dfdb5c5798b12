"""Split a freshly written question pool into a tunable dev half and a frozen test half.

    python evals/split_pool.py evals/fresh_pool.jsonl evals/fresh_dev.jsonl evals/fresh_test.jsonl

Stratified by kind and language (dialogues: by language and linkability), shuffled with a fixed
seed, `--dev-share` of each stratum to dev.  Run once, when the pool is written and before anyone
tunes on it; then commit the test file's sha256 in evals/README.md and never change it.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path


def stratum(item: dict) -> tuple:
    if item.get("turns"):
        return ("dialogue", item.get("lang", "ja"), bool(item.get("unlinked")))
    return (item.get("kind", ""), item.get("lang", "ja"))


def split(items: list[dict], dev_share: float, seed: int) -> tuple[list[dict], list[dict]]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for it in items:
        groups[stratum(it)].append(it)
    rng = random.Random(seed)
    dev, test = [], []
    for key in sorted(groups, key=repr):
        g = list(groups[key])
        rng.shuffle(g)
        n_dev = round(len(g) * dev_share)
        dev += g[:n_dev]
        test += g[n_dev:]
    order = {it["id"]: i for i, it in enumerate(items)}
    return sorted(dev, key=lambda i: order[i["id"]]), sorted(test, key=lambda i: order[i["id"]])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pool", type=Path)
    ap.add_argument("dev", type=Path)
    ap.add_argument("test", type=Path)
    ap.add_argument("--dev-share", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=20261130)
    args = ap.parse_args()
    items = [json.loads(line) for line in args.pool.read_text(encoding="utf-8").splitlines() if line.strip()]
    dev, test = split(items, args.dev_share, args.seed)
    for path, rows in ((args.dev, dev), (args.test, test)):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(dev)} dev, {len(test)} test")


if __name__ == "__main__":
    main()
