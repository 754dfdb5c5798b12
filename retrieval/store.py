"""Vector stores behind one Protocol: Chroma (embedded PersistentClient by default, the
Chroma server as an option) and an in-memory numpy store used by tests.  Every store
passes the same contract tests (tests/test_fusion_store.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from retrieval.errors import IndexCorrupt, StoreUnavailable

COLLECTION = "anpo_chunks"
_BATCH = 1000


class Store(Protocol):
    def add(self, ids: Sequence[str], vectors: np.ndarray, doc_ids: Sequence[str]) -> None:
        """Add vectors with their chunk ids and document ids."""

    def delete_docs(self, doc_ids: Sequence[str]) -> None:
        """Remove every vector that belongs to these documents."""

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k nearest chunk ids with cosine similarity, best first."""

    def count(self) -> int:
        """How many vectors are stored."""


class MemoryStore:
    def __init__(self):
        self._ids: list[str] = []
        self._docs: list[str] = []
        self._vecs = np.zeros((0, 0), dtype=np.float32)

    def add(self, ids, vectors, doc_ids):
        vectors = np.asarray(vectors, dtype=np.float32)
        self._vecs = vectors if not self._ids else np.vstack([self._vecs, vectors])
        self._ids += list(ids)
        self._docs += list(doc_ids)

    def delete_docs(self, doc_ids):
        drop = set(doc_ids)
        keep = [i for i, d in enumerate(self._docs) if d not in drop]
        self._ids = [self._ids[i] for i in keep]
        self._docs = [self._docs[i] for i in keep]
        self._vecs = self._vecs[keep] if keep else np.zeros((0, 0), dtype=np.float32)

    def search(self, vector, k):
        if not self._ids:
            return []
        sims = self._vecs @ np.asarray(vector, dtype=np.float32)
        order = np.argsort(-sims)[:k]
        return [(self._ids[i], float(sims[i])) for i in order]

    def count(self):
        return len(self._ids)


class ChromaStore:
    """Chroma collection with our own embeddings (no embedding function inside Chroma)."""

    def __init__(self, path: Path | None = None, host: str | None = None, port: int = 8000,
                 collection: str = COLLECTION):
        self.path, self.host, self.port, self.collection = path, host, port, collection
        self._col = None
        self._client = None

    def _collection(self):
        if self._col is not None:
            return self._col
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        cs = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if self.host:
                self._client = chromadb.HttpClient(host=self.host, port=self.port, settings=cs)
            else:
                self._client = chromadb.PersistentClient(path=str(self.path), settings=cs)
            self._col = self._client.get_or_create_collection(
                self.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        except Exception as e:    # chroma raises many types for a broken or unreachable store
            if self.host:
                raise StoreUnavailable(f"the Chroma server at {self.host}:{self.port} cannot be reached ({e.__class__.__name__})") from e
            raise IndexCorrupt(f"the vector store at {self.path} cannot be opened ({e.__class__.__name__}); run `anpo index --rebuild`") from e
        return self._col

    def add(self, ids, vectors, doc_ids):
        col = self._collection()
        vectors = np.asarray(vectors, dtype=np.float32)
        for i in range(0, len(ids), _BATCH):
            col.add(ids=list(ids[i:i + _BATCH]), embeddings=vectors[i:i + _BATCH].tolist(),
                    metadatas=[{"doc_id": d} for d in doc_ids[i:i + _BATCH]])

    def delete_docs(self, doc_ids):
        col = self._collection()
        for d in doc_ids:
            col.delete(where={"doc_id": d})

    def search(self, vector, k):
        col = self._collection()
        n = col.count()
        if n == 0:
            return []
        res = col.query(query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                        n_results=min(k, n), include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(res["ids"][0], res["distances"][0])]

    def count(self):
        return self._collection().count()

    def close(self):
        self._col = None
        if self._client is not None:
            try:
                self._client.clear_system_cache()
            except Exception:
                pass
            self._client = None
