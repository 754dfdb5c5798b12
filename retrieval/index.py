"""The index on disk, one *generation* folder per build:

    index/CURRENT                 names the live generation (switched by an fsynced rename)
    index/gen-<time>-<id>/        chunks.jsonl, bm25.npz, bm25.json, manifest.json (written last)
                                  and, when dense retrieval is on, chroma/ + vectors.json

A generation is written completely and fsynced (files, then the folder) before `CURRENT`
points at it, so readers see the old or the new generation, never half of one.  Readers
hold a shared `flock` on the generation folder while they use it; old generations are
removed only when nobody holds them, and the last two are always kept.

Vectors are optional and come after the chunks: `vectors.json` is written only once every
chunk has its vector, so a reader either finds complete vectors or serves BM25 alone.
Vectors that do not match the chunks are refused (`IndexCorrupt`), never served.

This module knows nothing about knowledge folders or uploads (see `anpo.indexing`)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
import weakref
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from retrieval.errors import IndexCorrupt, IndexMissing, IndexOutdated
from retrieval.types import Chunk

FORMAT_VERSION = 3               # 3: paths relative to the knowledge folder, BM25 with its term counts
REBUILD = "run `anpo index --rebuild`"
Progress = Callable[[int, int, str], None]
StoreFactory = Callable[[Path], "object"]
KEEP = 2


def _noop(done: int, total: int, label: str) -> None:
    pass


# -- durability ---------------------------------------------------------------
def fsync_path(path: Path) -> None:
    """fsync a file or a folder (a folder's fsync makes the names in it durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fsync_path(Path(folder) / name)
        fsync_path(Path(folder))


def write_durable(path: Path, text: str) -> None:
    """Replace `path` atomically and durably: write a temporary file, fsync, rename, fsync the folder."""
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_path(path.parent)


# -- reading --------------------------------------------------------------------
class LoadedIndex:
    """A read-only view of one generation: chunks, BM25 and (lazily) the vector store.
    Holds a shared lock on its folder for as long as the object lives."""

    def __init__(self, gen_dir: Path, manifest: dict, chunks: list[Chunk], bm25, store_factory: StoreFactory,
                 lock_fd: int | None = None):
        self.gen_dir = gen_dir
        self.manifest = manifest
        self.chunks = chunks
        self.by_id = {c.chunk_id: i for i, c in enumerate(chunks)}
        self.bm25 = bm25
        self._store_factory = store_factory
        self._store = None
        self._vectors_ok: str | None = None       # the model whose vectors were checked
        self._finalizer = weakref.finalize(self, os.close, lock_fd) if lock_fd is not None else None

    @property
    def store(self):
        if self._store is None:
            self._store = self._store_factory(self.gen_dir)
        return self._store

    def chunk(self, chunk_id: str) -> Chunk | None:
        i = self.by_id.get(chunk_id)
        return self.chunks[i] if i is not None else None

    def vectors(self) -> dict | None:
        """The vectors marker, or None while the vectors are missing or being built."""
        return read_vectors_marker(self.gen_dir)

    def vectors_ready(self, model: str) -> bool:
        """True when complete vectors of `model` exist; IndexCorrupt when vectors exist
        that do not match the chunks (checked once per generation)."""
        if self._vectors_ok == model:
            return True
        marker = self.vectors()
        if marker is None or marker.get("model") != model:
            return False
        if marker.get("local") and not (self.gen_dir / "chroma").is_dir():
            raise IndexCorrupt(f"the vector store of {self.gen_dir} is missing; {REBUILD}")
        n = self.store.count()
        if n != len(self.chunks) or marker.get("count") != len(self.chunks):
            raise IndexCorrupt(f"the vector store in {self.gen_dir} holds {n} vectors for {len(self.chunks)} "
                               f"chunks; {REBUILD}")
        self._vectors_ok = model
        return True

    def close(self):
        if self._store is not None and hasattr(self._store, "close"):
            self._store.close()
        self._store = None


def read_vectors_marker(gen: Path) -> dict | None:
    try:
        return json.loads((gen / "vectors.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise IndexCorrupt(f"the vector marker in {gen} cannot be read; {REBUILD}") from e


def read_chunks(gen: Path) -> list[Chunk]:
    try:
        with open(gen / "chunks.jsonl", encoding="utf-8") as f:
            return [Chunk.from_json(line) for line in f if line.strip()]
    except (OSError, ValueError, TypeError, KeyError) as e:
        raise IndexCorrupt(f"the chunk file in {gen} cannot be read; {REBUILD}") from e


class IndexManager:
    """The generations under one folder: find the live one, load it, write and commit new
    ones, and collect old ones nobody reads any more."""

    def __init__(self, root: Path, store_factory: StoreFactory):
        self.root = Path(root)
        self.store_factory = store_factory

    @property
    def pointer(self) -> Path:
        return self.root / "CURRENT"

    def generations(self) -> list[Path]:
        """Generation folders, newest first (their names start with the build time)."""
        if not self.root.is_dir():
            return []
        return sorted((p for p in self.root.glob("gen-*") if p.is_dir()), key=lambda p: p.name, reverse=True)

    def current_dir(self) -> Path | None:
        """The generation CURRENT names; None when there is no CURRENT; IndexCorrupt when
        CURRENT is unreadable, a folder, garbage, or names a missing generation."""
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as e:
            raise IndexCorrupt(f"the index pointer {self.pointer} cannot be read; {REBUILD}") from e
        gen = self.root / name
        if not name.startswith("gen-") or "/" in name or not gen.is_dir():
            raise IndexCorrupt(f"the index pointer {self.pointer} names no generation ('{name[:40]}'); {REBUILD}")
        return gen

    def resolve(self) -> tuple[Path | None, str | None]:
        """(generation to serve, problem): the one CURRENT names, or, when CURRENT is damaged,
        the newest generation whose manifest reads, with a sentence saying so."""
        try:
            gen = self.current_dir()
            if gen is not None:
                return gen, None
            problem = None
        except IndexCorrupt as e:
            problem = str(e)
        for g in self.generations():
            try:
                self.read_manifest(g)
            except IndexCorrupt:
                continue
            return g, problem or f"the index pointer {self.pointer} is missing; `anpo index` repairs it"
        if problem:
            raise IndexCorrupt(problem)
        return None, None

    def exists(self) -> bool:
        """True when any generation folder exists (a damaged one included)."""
        return self.pointer.exists() or bool(self.generations())

    def read_manifest(self, gen: Path) -> dict:
        try:
            m = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
            if not isinstance(m, dict) or not isinstance(m.get("docs"), dict):
                raise ValueError("not a manifest")
        except (OSError, ValueError) as e:
            raise IndexCorrupt(f"the index manifest in {gen} cannot be read; {REBUILD}") from e
        if m.get("version") != FORMAT_VERSION:
            raise IndexOutdated(f"the index in {gen} was written by another version of anpo "
                                f"(format {m.get('version')}, this version reads {FORMAT_VERSION}); {REBUILD}")
        return m

    def load(self, gen: Path | None = None) -> LoadedIndex:
        from retrieval.keyword import BM25Index
        gen = gen or self.resolve()[0]
        if gen is None:
            raise IndexMissing("no index has been built yet; run `anpo index`")
        fd = lock_shared(gen)
        try:
            manifest = self.read_manifest(gen)
            chunks = read_chunks(gen)
            if len(chunks) != manifest.get("total_chunks"):
                raise IndexCorrupt(f"the index in {gen} is incomplete ({len(chunks)} of "
                                   f"{manifest.get('total_chunks')} chunks); {REBUILD}")
            bm25 = BM25Index.load(gen)
            if bm25.n_docs != len(chunks):
                raise IndexCorrupt(f"the keyword index in {gen} does not match its chunks; {REBUILD}")
        except BaseException:
            os.close(fd)
            raise
        return LoadedIndex(gen, manifest, chunks, bm25, self.store_factory, fd)

    # -- writing -------------------------------------------------------------
    def new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        gen = self.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}-{uuid.uuid4().hex[:4]}"
        gen.mkdir()
        return gen

    def write(self, gen: Path, chunks: Sequence[Chunk], manifest: dict, bm25=None) -> None:
        """Write a generation's files, the manifest last, and fsync them and the folder.
        `bm25` is the keyword index over exactly `chunks` (built here when not given)."""
        from retrieval.keyword import BM25Index
        bm25 = bm25 or BM25Index([c.search_text for c in chunks])
        if bm25.n_docs != len(chunks):
            raise ValueError("the keyword index does not cover the chunks it is written with")
        with open(gen / "chunks.jsonl", "w", encoding="utf-8") as f:
            for c in chunks:
                f.write(c.to_json() + "\n")
        bm25.save(gen)
        (gen / "manifest.json").write_text(json.dumps({**manifest, "version": FORMAT_VERSION,
                                                        "total_chunks": len(chunks)},
                                                       ensure_ascii=False, indent=1), encoding="utf-8")
        fsync_tree(gen)

    def commit(self, gen: Path) -> None:
        """Point CURRENT at `gen`, durably (a damaged CURRENT that is a folder is replaced)."""
        if self.pointer.is_dir() and not self.pointer.is_symlink():
            shutil.rmtree(self.pointer)
        write_durable(self.pointer, gen.name)

    def collect(self, keep: int = KEEP, protect: Iterable[Path] = ()) -> list[Path]:
        """Remove generations beyond the newest `keep` (and stray temporary files) that no
        reader holds.  Returns what was removed."""
        live = set(self.generations()[:keep]) | {Path(p) for p in protect}
        try:
            cur = self.current_dir()
        except IndexCorrupt:
            cur = None
        if cur:
            live.add(cur)
        removed = []
        for g in self.generations():
            if g in live:
                continue
            fd = try_lock_exclusive(g)
            if fd is None:
                continue                          # a reader still uses it: next time
            try:
                shutil.rmtree(g, ignore_errors=True)
                removed.append(g)
            finally:
                os.close(fd)
        for tmp in self.root.glob(".CURRENT.*"):
            tmp.unlink(missing_ok=True)
        return removed

    # -- vectors -----------------------------------------------------------------
    def build_vectors(self, gen: Path, chunks: Sequence[Chunk], embedder, reuse_from: Path | None = None,
                      reuse_docs: Iterable[str] = (), progress: Progress = _noop) -> int:
        """Give every chunk of `gen` its vector and then write `vectors.json`.  Vectors of
        `reuse_docs` are copied from `reuse_from` when its vectors are complete and of the same
        model; the rest are embedded.  Returns how many chunks were embedded."""
        if (gen / "vectors.json").exists():
            (gen / "vectors.json").unlink()
        shutil.rmtree(gen / "chroma", ignore_errors=True)
        prev = read_vectors_marker(reuse_from) if reuse_from is not None else None
        have = set(reuse_docs) if prev is not None and prev.get("model") == embedder.name else set()
        if have and (reuse_from / "chroma").is_dir():
            shutil.copytree(reuse_from / "chroma", gen / "chroma")
        known = set(prev.get("docs", [])) if prev else set()
        store = self.store_factory(gen)
        try:
            if have:
                if known - have:
                    store.delete_docs(sorted(known - have))
                if store.count() != sum(1 for c in chunks if c.doc_id in have):
                    have = set()                  # the copy is not what its marker says: start over
            if not have and store.count():
                store.delete_docs(sorted(known | {c.doc_id for c in chunks}))
            todo = [c for c in chunks if c.doc_id not in have]
            total = len(todo)
            progress(0, total, "埋め込み計算")
            batch = 64
            for i in range(0, total, batch):
                part = todo[i:i + batch]
                vecs = embedder.embed([c.embed_text for c in part])
                store.add([c.chunk_id for c in part], np.asarray(vecs), [c.doc_id for c in part])
                progress(min(i + batch, total), total, "埋め込み計算")
            count = store.count()
        finally:
            if hasattr(store, "close"):
                store.close()
        if count != len(chunks):
            raise IndexCorrupt(f"the vector store for {gen} holds {count} vectors for {len(chunks)} chunks; {REBUILD}")
        local = (gen / "chroma").is_dir()
        if local:
            fsync_tree(gen / "chroma")
        write_durable(gen / "vectors.json", json.dumps(
            {"model": embedder.name, "count": count, "local": local,
             "docs": sorted({c.doc_id for c in chunks})}, ensure_ascii=False))
        return total


# -- locks on generation folders -------------------------------------------------------
def lock_shared(gen: Path) -> int:
    """A shared flock on a generation folder (a reader's claim); the fd is the handle."""
    try:
        fd = os.open(gen, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as e:
        raise IndexCorrupt(f"the index generation {gen} cannot be opened; {REBUILD}") from e
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def try_lock_exclusive(gen: Path) -> int | None:
    try:
        fd = os.open(gen, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd
