"""BM25 (Okapi) over character bigrams, as a sparse matrix: one column per token, so a
query is the sum of a few columns.  Built in memory from the chunks' search text.

Saved next to the chunks as `bm25.npz` (arrays) and `bm25.json` (format version, k1, b,
the tokenizer's name and version, the vocabulary).  `load` refuses a file written with
other parameters or another tokenizer, and a damaged file, with `IndexCorrupt`."""

from __future__ import annotations

import json
import math
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse

from retrieval.errors import IndexCorrupt
from retrieval.textnorm import NORMALIZATION_VERSION
from retrieval.textnorm import tokens as bigram_tokens

FORMAT = 3                      # 3: term counts saved too, so a build can add to them
K1, B = 1.2, 0.75
TOKENIZER = "char-bigram"
REBUILD = "rebuild it with `anpo index --rebuild`"


class BM25Index:
    def __init__(self, texts: list[str], k1: float = K1, b: float = B, tokenize=bigram_tokens):
        self.tokenize = tokenize
        self.k1, self.b = k1, b
        vocab: dict[str, int] = {}
        tf, lengths = _count(texts, tokenize, vocab)
        self._finish(tf, lengths, vocab)

    @classmethod
    def extend(cls, counts: "TermCounts", keep_rows, texts: list[str], order=None,
               tokenize=bigram_tokens) -> "BM25Index":
        """An index over the kept rows of an earlier one plus `texts`, rows then put in
        `order`: only the new texts are tokenised (an upload re-indexes one document)."""
        self = cls.__new__(cls)
        self.tokenize = tokenize
        self.k1, self.b = K1, B
        vocab = dict(counts.vocab)
        new, new_lengths = _count(texts, tokenize, vocab)
        old = counts.tf[np.asarray(keep_rows, dtype=np.int64)]
        old.resize((old.shape[0], new.shape[1]))
        tf = sparse.vstack([old, new], format="csr")
        lengths = np.concatenate([counts.lengths[np.asarray(keep_rows, dtype=np.int64)], new_lengths])
        if order is not None:
            order = np.asarray(order, dtype=np.int64)
            tf, lengths = tf[order], lengths[order]
        self._finish(tf, lengths, vocab)
        return self

    def _finish(self, tf, lengths, vocab: dict[str, int]) -> None:
        """Weights from term counts; tokens no row uses any more leave the vocabulary."""
        k1, b = self.k1, self.b
        n = tf.shape[0]
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float32)
        if len(vocab) and (df == 0).any():
            keep = np.flatnonzero(df)
            remap = np.full(tf.shape[1], -1, dtype=np.int64)
            remap[keep] = np.arange(len(keep))
            tf = sparse.csr_matrix((tf.data, remap[tf.indices], tf.indptr), shape=(n, max(1, len(keep))))
            vocab = {t: int(remap[j]) for t, j in vocab.items() if remap[j] >= 0}
            df = df[keep] if len(keep) else np.zeros(1, dtype=np.float32)
        self.vocab = vocab
        self.n_docs = n
        self.tf, self.lengths = tf, lengths
        self.df = df
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = float(lengths.mean()) if n else 1.0
        coo = tf.tocoo()
        denom = coo.data + k1 * (1 - b + b * lengths[coo.row] / max(avg, 1e-6))
        w = coo.data * (k1 + 1) / denom * self.idf[coo.col]
        self.weights = sparse.csc_matrix((w, (coo.row, coo.col)), shape=tf.shape)
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
    def header(self) -> dict:
        return {"format": FORMAT, "k1": self.k1, "b": self.b, "tokenizer": TOKENIZER,
                "tokenizer_version": NORMALIZATION_VERSION, "n_docs": self.n_docs}

    def save(self, folder: Path) -> list[Path]:
        """Write the two files; returns their paths (the caller fsyncs them)."""
        w = self.weights
        arrays, meta = folder / "bm25.npz", folder / "bm25.json"
        tf = self.tf
        with open(arrays, "wb") as f:
            np.savez(f, data=w.data, indices=w.indices, indptr=w.indptr,
                     shape=np.asarray(w.shape), idf=self.idf, df=self.df,
                     tf_data=tf.data, tf_indices=tf.indices, tf_indptr=tf.indptr, lengths=self.lengths)
        meta.write_text(json.dumps({**self.header(), "vocab": list(self.vocab)}, ensure_ascii=False),
                        encoding="utf-8")
        return [arrays, meta]

    @classmethod
    def load(cls, folder: Path, tokenize=bigram_tokens) -> "BM25Index":
        arrays, meta_path = folder / "bm25.npz", folder / "bm25.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise IndexCorrupt(f"the keyword index {meta_path} is missing; {REBUILD}") from e
        except (OSError, ValueError) as e:
            raise IndexCorrupt(f"the keyword index {meta_path} is damaged; {REBUILD}") from e
        self = cls.__new__(cls)
        self.k1, self.b = meta.get("k1"), meta.get("b")
        if not isinstance(meta, dict) or {k: meta.get(k) for k in ("format", "k1", "b", "tokenizer", "tokenizer_version")} \
                != {k: v for k, v in self.header_for(K1, B).items() if k != "n_docs"}:
            raise IndexCorrupt(
                f"the keyword index in {folder} was written with other settings "
                f"(format {meta.get('format')}, k1={meta.get('k1')}, b={meta.get('b')}, tokenizer "
                f"{meta.get('tokenizer')} v{meta.get('tokenizer_version')}); {REBUILD}")
        try:
            with np.load(arrays) as z:
                self.weights = sparse.csc_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
                self.idf, self.df = z["idf"], z["df"]
        except FileNotFoundError as e:
            raise IndexCorrupt(f"the keyword index {arrays} is missing; {REBUILD}") from e
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
            raise IndexCorrupt(f"the keyword index {arrays} is damaged (truncated or overwritten); {REBUILD}") from e
        self.tokenize = tokenize
        self.vocab = {t: i for i, t in enumerate(meta.get("vocab", []))}
        self.n_docs = int(self.weights.shape[0])
        if self.n_docs != meta.get("n_docs") or len(self.vocab) != self.weights.shape[1] and self.vocab:
            raise IndexCorrupt(f"the keyword index in {folder} does not match its vocabulary; {REBUILD}")
        n = self.n_docs
        self.max_idf = float(math.log1p((n + 0.5) / 0.5)) if n else 1.0
        return self

    @classmethod
    def load_counts(cls, folder: Path) -> "TermCounts":
        """The term counts saved with an index (what `extend` starts from)."""
        index = cls.load(folder)
        try:
            with np.load(folder / "bm25.npz") as z:
                tf = sparse.csr_matrix((z["tf_data"], z["tf_indices"], z["tf_indptr"]), shape=tuple(z["shape"]))
                lengths = z["lengths"]
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
            raise IndexCorrupt(f"the keyword index in {folder} is damaged; {REBUILD}") from e
        return TermCounts(tf, lengths, index.vocab)

    @staticmethod
    def header_for(k1: float, b: float) -> dict:
        return {"format": FORMAT, "k1": k1, "b": b, "tokenizer": TOKENIZER, "tokenizer_version": NORMALIZATION_VERSION}


class TermCounts:
    """Raw term counts per chunk (rows) and token (columns), with the chunk lengths."""

    def __init__(self, tf, lengths, vocab: dict[str, int]):
        self.tf, self.lengths, self.vocab = tf, lengths, vocab


def _count(texts: list[str], tokenize, vocab: dict[str, int]):
    """Term counts of `texts` as a CSR matrix (columns from `vocab`, extended in place)."""
    rows, cols, vals = [], [], []
    lengths = np.zeros(len(texts), dtype=np.float32)
    for i, t in enumerate(texts):
        toks = tokenize(t, normalized=True)
        lengths[i] = len(toks)
        counts = Counter(toks)                 # counted in C; the vocabulary sees each token once
        rows.extend([i] * len(counts))
        cols.extend([vocab.setdefault(tok, len(vocab)) for tok in counts])
        vals.extend(counts.values())
    tf = sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (np.asarray(rows, dtype=np.int64),
                                                                  np.asarray(cols, dtype=np.int64))),
                           shape=(len(texts), max(1, len(vocab))))
    return tf, lengths
