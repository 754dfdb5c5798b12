"""Hybrid retrieval: BM25 over character bigrams fused (weighted RRF) with dense
vectors from the store.  The dense side's weight is a setting because the default
English embedding model reads Japanese poorly; see retrieval/README.md.  While a
generation's vectors are missing or still being built, retrieval is BM25 alone."""

from __future__ import annotations

from typing import Protocol

from retrieval.fusion import rrf
from retrieval.index import LoadedIndex
from retrieval.textnorm import expand
from retrieval.types import Hit


class Retriever(Protocol):
    def retrieve(self, query: str, k: int) -> list[Hit]:
        """The k best passages for `query`, best first."""


class HybridRetriever:
    def __init__(self, index: LoadedIndex, embedder=None, dense_weight: float = 0.3,
                 pool: int = 50, rrf_k: int = 60):
        self.index = index
        self.embedder = embedder
        self.dense_weight = dense_weight
        self.pool = pool
        self.rrf_k = rrf_k

    def retrieve(self, query: str, k: int) -> list[Hit]:
        idx = self.index
        bm = idx.bm25.search(expand(query), self.pool)
        bm_ids = [idx.chunks[i].chunk_id for i, _ in bm]
        dense_ids: list[str] = []
        if self.embedder is not None and self.dense_weight > 0 and idx.chunks \
                and idx.vectors_ready(self.embedder.name):
            vec = self.embedder.embed([query])[0]
            dense_ids = [cid for cid, _ in idx.store.search(vec, self.pool) if cid in idx.by_id]
        fused = rrf([(bm_ids, 1.0), (dense_ids, self.dense_weight)], k=self.rrf_k)
        bm_rank = {cid: r for r, cid in enumerate(bm_ids, 1)}
        dn_rank = {cid: r for r, cid in enumerate(dense_ids, 1)}
        return [
            Hit(chunk=idx.chunk(cid), score=score, rank=r,
                bm25_rank=bm_rank.get(cid), dense_rank=dn_rank.get(cid))
            for r, (cid, score) in enumerate(fused[:k], 1)
        ]
