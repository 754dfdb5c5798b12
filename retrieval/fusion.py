"""Reciprocal rank fusion with per-ranking weights: score = Σ w / (k + rank)."""

from __future__ import annotations


def rrf(rankings: list[tuple[list[str], float]], k: int = 60) -> list[tuple[str, float]]:
    """`rankings`: (ids best first, weight) pairs.  Returns (id, fused score), best first;
    ties keep the order of the first ranking that holds the id."""
    scores: dict[str, float] = {}
    first_seen: dict[str, tuple[int, int]] = {}
    for r, (ids, weight) in enumerate(rankings):
        if weight <= 0:
            continue
        for rank, cid in enumerate(ids, 1):
            scores[cid] = scores.get(cid, 0.0) + weight / (k + rank)
            first_seen.setdefault(cid, (r, rank))
    return sorted(scores.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))
