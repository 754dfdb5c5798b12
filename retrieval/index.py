"""The index on disk: chunks (JSON lines), a manifest of document hashes, and the vector
store, kept together in one *generation* folder.  A pointer file names the live
generation; building or changing the index writes a new generation and then swaps the
pointer atomically, so a failed build or a bad file never touches the live index.
Refreshing re-embeds only documents whose content hash changed."""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from anpo.errors import AnpoError, IndexCorruptError, IndexMissingError
from retrieval.chunking import chunk_document
from retrieval.embeddings import Embedder
from retrieval.types import Chunk, DocMeta, LoadedDoc

FORMAT_VERSION = 1
Progress = Callable[[int, int, str], None]
StoreFactory = Callable[[Path], "object"]


def _noop(done: int, total: int, label: str) -> None:
    pass


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    embedded_chunks: int = 0
    total_chunks: int = 0
    rebuilt: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)


class LoadedIndex:
    """A read-only view of one generation: chunks, BM25 and (lazily) the vector store."""

    def __init__(self, gen_dir: Path, manifest: dict, chunks: list[Chunk], store_factory: StoreFactory):
        from retrieval.keyword import BM25Index
        self.gen_dir = gen_dir
        self.manifest = manifest
        self.chunks = chunks
        self.by_id = {c.chunk_id: i for i, c in enumerate(chunks)}
        try:
            self.bm25 = BM25Index.load(gen_dir)
            if self.bm25.n_docs != len(chunks):
                raise ValueError("stale keyword index")
        except (OSError, ValueError, KeyError):
            self.bm25 = BM25Index([c.search_text for c in chunks])
        self._store_factory = store_factory
        self._store = None

    @property
    def store(self):
        if self._store is None:
            self._store = self._store_factory(self.gen_dir)
        return self._store

    def chunk(self, chunk_id: str) -> Chunk | None:
        i = self.by_id.get(chunk_id)
        return self.chunks[i] if i is not None else None

    def close(self):
        if self._store is not None and hasattr(self._store, "close"):
            self._store.close()
        self._store = None


class IndexManager:
    def __init__(self, root: Path, store_factory: StoreFactory):
        self.root = Path(root)
        self.store_factory = store_factory

    # -- generations -------------------------------------------------------
    @property
    def pointer(self) -> Path:
        return self.root / "CURRENT"

    def current_dir(self) -> Path | None:
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise IndexCorruptError(f"the index pointer {self.pointer} cannot be read; run `anpo index --rebuild`") from e
        gen = self.root / name
        if not name or "/" in name or not gen.is_dir():
            raise IndexCorruptError(f"the index at {self.root} is damaged (missing generation '{name}'); run `anpo index --rebuild`")
        return gen

    def exists(self) -> bool:
        try:
            return self.current_dir() is not None
        except IndexCorruptError:
            return True

    def read_manifest(self, gen: Path) -> dict:
        try:
            m = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
            if m.get("version") != FORMAT_VERSION:
                raise ValueError("format version")
            return m
        except (OSError, ValueError) as e:
            raise IndexCorruptError(f"the index manifest in {gen} cannot be read; run `anpo index --rebuild`") from e

    def load(self) -> LoadedIndex:
        gen = self.current_dir()
        if gen is None:
            raise IndexMissingError("no index has been built yet; run `anpo index`")
        manifest = self.read_manifest(gen)
        try:
            with open(gen / "chunks.jsonl", encoding="utf-8") as f:
                chunks = [Chunk.from_json(line) for line in f if line.strip()]
        except (OSError, ValueError, TypeError) as e:
            raise IndexCorruptError(f"the chunk file in {gen} cannot be read; run `anpo index --rebuild`") from e
        if len(chunks) != manifest.get("total_chunks"):
            raise IndexCorruptError(f"the index in {gen} is incomplete; run `anpo index --rebuild`")
        return LoadedIndex(gen, manifest, chunks, self.store_factory)

    def _new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        gen = self.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        gen.mkdir()
        return gen

    def _commit(self, gen: Path) -> None:
        tmp = self.root / f".CURRENT.{uuid.uuid4().hex[:6]}"
        tmp.write_text(gen.name, encoding="utf-8")
        os.replace(tmp, self.pointer)       # atomic: readers see the old or the new generation
        for old in self.root.glob("gen-*"):
            if old != gen and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)

    # -- building ----------------------------------------------------------
    def sync(self, docs: Iterable[LoadedDoc], embedder: Embedder, rebuild: bool = False,
             progress: Progress = _noop) -> SyncReport:
        t0 = time.perf_counter()
        docs = list(docs)
        _check_unique(docs)
        current = None
        manifest = None
        if not rebuild:
            try:
                current = self.current_dir()
                manifest = self.read_manifest(current) if current else None
            except IndexCorruptError:
                current, manifest = None, None
        if manifest and (manifest.get("embed_model") != embedder.name
                         or manifest.get("normalization") != _norm_version()):
            current, manifest = None, None          # another model: vectors are not comparable
        report = SyncReport(rebuilt=manifest is None)
        old_docs = (manifest or {}).get("docs", {})
        new_by_id = {d.meta.doc_id: d for d in docs}
        if manifest is not None:
            report.added = [i for i in new_by_id if i not in old_docs]
            report.updated = [i for i, d in new_by_id.items() if i in old_docs and old_docs[i]["sha256"] != d.meta.sha256]
            report.removed = [i for i in old_docs if i not in new_by_id]
            if not report.changed:
                report.total_chunks = manifest["total_chunks"]
                report.seconds = time.perf_counter() - t0
                return report
            to_embed = [new_by_id[i] for i in report.added + report.updated]
        else:
            report.added = list(new_by_id)
            to_embed = docs

        gen = self._new_generation()
        try:
            kept: list[Chunk] = []
            if manifest is not None:
                for name in os.listdir(current):
                    if name not in ("chunks.jsonl", "manifest.json", "bm25.npz", "bm25_vocab.json"):
                        src = current / name
                        (shutil.copytree if src.is_dir() else shutil.copy2)(src, gen / name)
                drop = set(report.updated) | set(report.removed)
                with open(current / "chunks.jsonl", encoding="utf-8") as f:
                    kept = [c for c in (Chunk.from_json(l) for l in f if l.strip()) if c.doc_id not in drop]
            store = self.store_factory(gen)
            try:
                if manifest is not None and (report.updated or report.removed):
                    store.delete_docs(report.updated + report.removed)
                new_chunks: list[Chunk] = []
                per_doc: dict[str, int] = {}
                for d in to_embed:
                    cs = chunk_document(d)
                    per_doc[d.meta.doc_id] = len(cs)
                    new_chunks.extend(cs)
                total = len(new_chunks)
                progress(0, total, "埋め込み計算")
                batch = 64
                for i in range(0, total, batch):
                    part = new_chunks[i:i + batch]
                    vecs = embedder.embed([c.embed_text for c in part])
                    store.add([c.chunk_id for c in part], np.asarray(vecs), [c.doc_id for c in part])
                    progress(min(i + batch, total), total, "埋め込み計算")
                report.embedded_chunks = total
            finally:
                if hasattr(store, "close"):
                    store.close()
            all_chunks = kept + new_chunks
            order = {d.meta.doc_id: n for n, d in enumerate(docs)}
            all_chunks.sort(key=lambda c: (order.get(c.doc_id, 1 << 30), c.chunk_id))
            counts: dict[str, int] = {}
            for c in all_chunks:
                counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
            with open(gen / "chunks.jsonl", "w", encoding="utf-8") as f:
                for c in all_chunks:
                    f.write(c.to_json() + "\n")
            new_manifest = {
                "version": FORMAT_VERSION,
                "embed_model": embedder.name,
                "normalization": _norm_version(),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "total_chunks": len(all_chunks),
                "docs": {d.meta.doc_id: {**_meta_dict(d.meta), "chunks": counts.get(d.meta.doc_id, 0)} for d in docs},
            }
            from retrieval.keyword import BM25Index
            BM25Index([c.search_text for c in all_chunks]).save(gen)
            (gen / "manifest.json").write_text(json.dumps(new_manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            self._commit(gen)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        report.total_chunks = len(all_chunks)
        report.seconds = time.perf_counter() - t0
        return report


def _norm_version() -> str:
    """Normalisation version plus a hash of the synonym table: either changes the search text."""
    from retrieval.textnorm import NORMALIZATION_VERSION, SYNONYMS_PATH
    from retrieval.loaders import sha256_bytes
    return f"{NORMALIZATION_VERSION}-{sha256_bytes(SYNONYMS_PATH.read_bytes())[:12]}"


def _meta_dict(m: DocMeta) -> dict:
    from dataclasses import asdict
    return asdict(m)


def _check_unique(docs: list[LoadedDoc]) -> None:
    seen: dict[str, str] = {}
    for d in docs:
        if d.meta.doc_id in seen:
            raise AnpoError(f"two documents share the id '{d.meta.doc_id}': {seen[d.meta.doc_id]} and {d.meta.path}")
        seen[d.meta.doc_id] = d.meta.path
