"""BM25 (Okapi) over character bigrams, as a sparse matrix: one column per token, so a
query is the sum of a few columns.  Built in memory from the chunks' search text."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from scipy import sparse

from retrieval.textnorm import tokens as bigram_tokens


class BM25Index:
    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75, tokenize=bigram_tokens):
        self.tokenize = tokenize
        self.vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for i, t in enumerate(texts):
            toks = tokenize(t, normalized=True)
            lengths[i] = len(toks)
            counts: dict[int, int] = {}
            for tok in toks:
                j = self.vocab.setdefault(tok, len(self.vocab))
                counts[j] = counts.get(j, 0) + 1
            rows.extend([i] * len(counts))
            cols.extend(counts.keys())
            vals.extend(counts.values())
        n = len(texts)
        self.n_docs = n
        tf = sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)),
                               shape=(n, max(1, len(self.vocab))))
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=tf.shape[1]).astype(np.float32)
        self.df = df
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = float(lengths.mean()) if n else 1.0
        tf = tf.tocoo()
        denom = tf.data + k1 * (1 - b + b * lengths[tf.row] / max(avg, 1e-6))
        w = tf.data * (k1 + 1) / denom * self.idf[tf.col]
        self.weights = sparse.csc_matrix((w, (tf.row, tf.col)), shape=tf.shape)
        self.max_idf = float(math.log1p((n + 0.5) / 0.5)) if n else 1.0

    def token_idf(self, tok: str) -> float:
        j = self.vocab.get(tok)
        return float(self.idf[j]) if j is not None else self.max_idf

    def term_idf(self, term: str) -> float:
        """IDF of a word: that of its rarest bigram (an unseen bigram means an unseen word)."""
        toks = self.tokenize(term, normalized=True)
        return max((self.token_idf(t) for t in toks), default=0.0)

    def scores(self, query: str) -> np.ndarray:
        ids = sorted({self.vocab[t] for t in self.tokenize(query, normalized=True) if t in self.vocab})
        if not ids or self.n_docs == 0:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self.weights[:, ids].sum(axis=1)).ravel()

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        s = self.scores(query)
        if not s.any():
            return []
        k = min(k, len(s))
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top])]
        return [(int(i), float(s[i])) for i in top if s[i] > 0]

    # -- persistence: a fresh process loads the matrix instead of re-tokenising every chunk
    def save(self, folder: Path) -> None:
        w = self.weights
        np.savez(folder / "bm25.npz", data=w.data, indices=w.indices, indptr=w.indptr,
                 shape=np.asarray(w.shape), idf=self.idf, df=self.df)
        (folder / "bm25_vocab.json").write_text(json.dumps(list(self.vocab), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, tokenize=bigram_tokens) -> "BM25Index":
        z = np.load(folder / "bm25.npz")
        self = cls.__new__(cls)
        self.tokenize = tokenize
        vocab = json.loads((folder / "bm25_vocab.json").read_text(encoding="utf-8"))
        self.vocab = {t: i for i, t in enumerate(vocab)}
        self.weights = sparse.csc_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
        self.idf, self.df = z["idf"], z["df"]
        self.n_docs = int(self.weights.shape[0])
        n = self.n_docs
        self.max_idf = float(math.log1p((n + 0.5) / 0.5)) if n else 1.0
        return self
