"""The index service: one writer at a time, readers never write.

- Every write (build, ingest, remove) runs under an exclusive `flock` on `index/.lock`; a
  second writer says "another ingest is running; waiting…" and waits.
- A write builds a new generation (see `retrieval.index`), moves staged uploads into place,
  and switches `CURRENT`, in that order, recorded in a journal first.  An exception,
  SIGTERM or SIGINT rolls all of it back; a crash (kill -9, power cut) is rolled back by
  the next process that can take the lock.  Nothing half-done is ever completed.
- Readers serve the generation `CURRENT` names (or, if `CURRENT` is damaged, the newest
  readable one) and report staleness; they never build, except the very first index
  when none exists at all.
- Old generations are removed only when no reader holds them; the last two are kept.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from anpo.errors import BadInputError, SourceUnreadableError
from anpo.kb import KnowledgeBase, Source, Staged
from retrieval.chunking import chunk_document
from retrieval.errors import IndexCorrupt, IndexOutdated
from retrieval.index import IndexManager, LoadedIndex, fsync_path, read_chunks, read_vectors_marker, write_durable
from retrieval.types import Chunk, LoadedDoc

Progress = Callable[[int, int, str], None]
Notify = Callable[[str], None]
WAITING = "another ingest is running; waiting…"
PARALLEL_MIN_DOCS = 32           # fewer documents are chunked in this process


def _noop(*_args) -> None:
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
    warnings: list[str] = field(default_factory=list)      # files skipped, with the reason
    generation: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)


@dataclass(frozen=True)
class Diff:
    """How the sources differ from a manifest (keys of sources)."""
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def norm_version() -> str:
    """Normalisation version plus a hash of the synonym table: either changes the search text."""
    from retrieval.loaders import sha256_bytes
    from retrieval.textnorm import NORMALIZATION_VERSION, SYNONYMS_PATH
    return f"{NORMALIZATION_VERSION}-{sha256_bytes(SYNONYMS_PATH.read_bytes())[:12]}"


class IndexService:
    def __init__(self, root: Path, kb: KnowledgeBase, store_factory, embedder: Callable[[], object],
                 dense: bool, notify: Notify = _noop):
        self.root = Path(root)
        self.kb = kb
        self.manager = IndexManager(self.root, store_factory)
        self.embedder = embedder                  # called only when dense retrieval is on
        self.dense = dense
        self.notify = notify
        self._thread_lock = threading.RLock()     # one writer per process
        self._read_lock = threading.RLock()       # one loader per process
        self._loaded: LoadedIndex | None = None
        self._problem: str | None = None

    @property
    def journal(self) -> Path:
        return self.root / "JOURNAL.json"

    # -- the writer lock -----------------------------------------------------------------
    @contextmanager
    def writing(self):
        """Exclusive: this thread, this process.  SIGTERM raises like Ctrl-C while held, so
        the rollback runs; a crashed writer's leftovers are rolled back first."""
        with self._thread_lock:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    self.notify(WAITING)
                    fcntl.flock(fd, fcntl.LOCK_EX)
                with _terminate_raises():
                    self._recover()
                    yield
            finally:
                os.close(fd)

    def recover_if_needed(self) -> None:
        """For readers: roll back a crashed writer's leftovers, only if no writer is running."""
        if not (self.journal.exists() or self.kb.staging_dir.exists()):
            return
        try:
            fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return                                # read-only data dir: nothing we can do
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return                                # a writer is at work: its files are not leftovers
        try:
            with self._thread_lock:
                self._recover()
        finally:
            os.close(fd)

    def _recover(self) -> None:
        if self.journal.exists():
            try:
                j = json.loads(self.journal.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                j = None
            if j is not None:
                if self._current_name() == j.get("gen"):
                    self.notify("finished cleaning up after an interrupted index update that had completed")
                else:
                    self.notify("rolled back an index update that was interrupted")
                    _undo(j)
                    shutil.rmtree(self.root / str(j.get("gen")), ignore_errors=True)
            self.journal.unlink(missing_ok=True)
            fsync_path(self.root)
        if self.kb.staging_dir.exists():
            self.kb.clean_staging()
        cur = self._current_name()
        for g in self.manager.generations():
            if (g.name > cur) if cur else not (g / "manifest.json").exists():
                shutil.rmtree(g, ignore_errors=True)      # written, never committed

    def _current_name(self) -> str | None:
        try:
            cur = self.manager.current_dir()
        except IndexCorrupt:
            return None
        return cur.name if cur else None

    # -- reading ---------------------------------------------------------------------------
    def ensure_exists(self, progress: Progress = _noop) -> None:
        """Build the first index when none exists at all (the only build a reader may start)."""
        self.recover_if_needed()
        if not self.manager.exists():
            with self.writing():
                if not self.manager.exists():
                    self._build(progress=progress)

    def current(self, progress: Progress = _noop) -> LoadedIndex:
        """The generation to serve, loaded once per generation.  Builds only when no index
        exists, or when the index was written by another version of anpo (it cannot be read)."""
        self.ensure_exists(progress)
        try:
            return self._load_current()
        except IndexOutdated:
            pass
        self.notify("the index was built by another version of anpo; building it again")
        with self.writing():                      # never while holding the read lock (lock order)
            self._build(rebuild=True, progress=progress)
        return self._load_current()

    def _load_current(self) -> LoadedIndex:
        with self._read_lock:
            gen, problem = self.manager.resolve()
            if gen is None:
                from retrieval.errors import IndexMissing
                raise IndexMissing("no index has been built yet; run `anpo index`")
            self._problem = problem
            if self._loaded is None or self._loaded.gen_dir != gen:
                self._loaded = self.manager.load(gen)
            return self._loaded

    def _swap_loaded(self, gen: Path) -> None:
        """After a commit in this process: load the new generation here, then swap it in, so
        readers never wait for it; our claim on the old generation goes with the old object."""
        if self._loaded is None:
            return
        try:
            fresh = self.manager.load(gen)
        except IndexCorrupt:
            fresh = None
        with self._read_lock:
            self._loaded = fresh

    def staleness(self) -> str | None:
        """One sentence when the served index is behind its sources (or damaged); else None."""
        index = self.current()
        parts = []
        if self._problem:                         # CURRENT damaged: serving the newest readable generation
            parts.append(f"索引の参照ファイル（CURRENT）が壊れているため、直近の正常な索引（{index.gen_dir.name}）で回答しています")
        m = index.manifest
        if m.get("normalization") != norm_version():
            parts.append("索引は以前の版の正規化で作られています")
        d = self.diff(m)
        if d:
            parts.append(f"索引の作成後に資料が変わりました（追加 {len(d.added)}・変更 {len(d.changed)}・削除 {len(d.removed)} 件）")
        if self.dense and not self._vectors_valid(index.gen_dir, index.manifest):
            parts.append("ベクトル索引が未作成のため、キーワード検索（BM25）だけで回答しています")
        if not parts:
            return None
        return "、".join(parts) + "。`anpo index`（アプリでは「索引を更新」）で更新できます。"

    def diff(self, manifest: dict) -> Diff:
        """Compare the sources with a manifest: stamps first, content hashes when they differ."""
        docs = {d.get("source"): d for d in manifest.get("docs", {}).values()}
        skipped = manifest.get("skipped", {})
        added, changed, present = [], [], set()
        for src in self.kb.sources():
            present.add(src.key)
            old = docs.get(src.key)
            if old is None and src.key in skipped:
                if skipped[src.key] is None or self._hash_or_none(src) == skipped[src.key]:
                    continue
                added.append(src.key)
            elif old is None:
                added.append(src.key)
            elif self._stamp_or_none(src) != old.get("stamp") and self._hash_or_none(src) != old.get("sha256"):
                changed.append(src.key)
        removed = [k for k in list(docs) + list(skipped) if k not in present]
        return Diff(tuple(added), tuple(changed), tuple(removed))

    def _stamp_or_none(self, src: Source) -> list | None:
        try:
            return list(self.kb.stamp(src))
        except OSError:
            return None

    def _hash_or_none(self, src: Source) -> str | None:
        try:
            return self.kb.fingerprint(src)
        except (SourceUnreadableError, OSError):
            return None

    # -- writing ---------------------------------------------------------------------------
    def build(self, rebuild: bool = False, progress: Progress = _noop) -> SyncReport:
        with self.writing():
            return self._build(rebuild=rebuild, progress=progress)

    def ingest(self, paths: Sequence[Path], progress: Progress = _noop, uploader: str | None = None,
               names: Sequence[str] | None = None) -> tuple[list[Staged], SyncReport]:
        """Stage every file (all are checked before anything changes), then build and commit."""
        with self.writing():
            txn = self.kb.new_txn()
            try:
                at = time.strftime("%Y-%m-%dT%H:%M:%S")
                staged = [self.kb.stage(p, txn, uploader, at, names[i] if names else None)
                          for i, p in enumerate(paths)]
                report = self._build(extra=staged, txn=txn, progress=progress)
            finally:
                self.kb.clean_staging(txn)
            return staged, report

    def remove(self, key: str, progress: Progress = _noop) -> SyncReport:
        with self.writing():
            txn = self.kb.new_txn()
            try:
                return self._build(drop={key}, txn=txn, progress=progress)
            finally:
                self.kb.clean_staging(txn)

    def _base(self, rebuild: bool) -> tuple[Path | None, dict | None]:
        """The generation to build on, or (None, None) for a full build."""
        if rebuild:
            return None, None
        try:
            gen, _ = self.manager.resolve()
            if gen is None:
                return None, None
            m = self.manager.read_manifest(gen)
            if m.get("normalization") != norm_version():
                return None, None
            read_chunks(gen)
            return gen, m
        except IndexCorrupt as e:
            self.notify(f"{e} — rebuilding it from the sources")
            return None, None

    def _build(self, rebuild: bool = False, extra: Sequence[Staged] = (), drop: set[str] = frozenset(),
               txn: str | None = None, progress: Progress = _noop) -> SyncReport:
        t0 = time.perf_counter()
        base, manifest = self._base(rebuild)
        report = SyncReport(rebuilt=manifest is None)
        old = {d.get("source"): d for d in (manifest or {}).get("docs", {}).values()}
        sources = [s for s in self.kb.sources() if s.key not in drop]
        staged_keys = {"uploads/" + s.target.name: s for s in extra}
        sources += [Source(k, s.staged, "upload") for k, s in staged_keys.items()
                    if k not in {x.key for x in sources}]
        kept: dict[str, dict] = {}
        fresh: list[tuple[Source, LoadedDoc]] = []
        skipped: dict[str, str | None] = {}
        for i, src in enumerate(sources):
            progress(i, len(sources), "資料を確認中")
            prev = old.get(src.key)
            try:
                if src.key in staged_keys:
                    doc = staged_keys[src.key].doc
                    if prev and prev.get("sha256") == doc.meta.sha256:
                        kept[src.key] = prev
                    else:
                        fresh.append((src, doc))
                    continue
                if prev and (list(self.kb.stamp(src)) == prev.get("stamp")
                             or self.kb.fingerprint(src) == prev.get("sha256")):
                    kept[src.key] = prev
                    continue
                fresh.append((src, self.kb.load(src)))
            except (SourceUnreadableError, OSError) as e:
                if src.key in staged_keys:
                    raise
                why = str(e) if isinstance(e, SourceUnreadableError) else f"{src.path}: cannot be read"
                skipped[src.key] = self._hash_or_none(src)
                report.warnings.append(f"skipped {why}")
                self.notify(f"skipped {why}")
        progress(len(sources), len(sources), "資料を確認中")
        fresh, dup_warnings = _drop_duplicate_ids(kept, fresh, set(staged_keys))
        report.warnings += dup_warnings
        present = set(kept) | {s.key for s, _ in fresh}
        new_ids = {d.meta.doc_id for _, d in fresh}
        report.added = [d.meta.doc_id for s, d in fresh if s.key not in old]
        report.updated = [d.meta.doc_id for s, d in fresh if s.key in old]
        report.removed = [d["doc_id"] for k, d in old.items() if k not in present]
        vectors_needed = self.dense and not report.changed and base is not None \
            and not self._vectors_valid(base, manifest)
        if not report.changed and not vectors_needed and set(skipped) == set((manifest or {}).get("skipped", {})):
            if self._current_name() != base.name:
                self.notify(f"repaired the index pointer: it names {base.name} again")
                self.manager.commit(base)
            report.total_chunks = manifest["total_chunks"]
            report.generation = base.name
            report.seconds = time.perf_counter() - t0
            return report
        kept_ids = {d["doc_id"] for d in kept.values()} - new_ids
        base_chunks = read_chunks(base) if base else []
        keep_rows = [i for i, c in enumerate(base_chunks) if c.doc_id in kept_ids]
        added = [c for part in _chunk_all([doc for _, doc in fresh], progress) for c in part]
        combined = [base_chunks[i] for i in keep_rows] + added
        rank = {s.key: i for i, s in enumerate(sources)}
        key_of = {d["doc_id"]: k for k, d in kept.items()} | {d.meta.doc_id: s.key for s, d in fresh}
        order = sorted(range(len(combined)),
                       key=lambda j: (rank.get(key_of.get(combined[j].doc_id), 1 << 30), combined[j].chunk_id))
        chunks = [combined[j] for j in order]
        progress(0, 1, "キーワード索引")
        bm25 = _keyword_index(base, len(base_chunks), keep_rows, added, order, chunks)
        counts: dict[str, int] = {}
        for c in chunks:
            counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
        docs = {}
        for k, d in kept.items():
            if d["doc_id"] in kept_ids:
                docs[d["doc_id"]] = {**d, "path": str(self.kb.path_of(k)), "chunks": counts.get(d["doc_id"], 0)}
        for src, doc in fresh:
            target = staged_keys[src.key].target if src.key in staged_keys else src.path
            stamp = list(self.kb.stamp(Source(src.key, src.path, src.origin)))
            docs[doc.meta.doc_id] = {**asdict(doc.meta), "path": str(target), "source": src.key,
                                     "stamp": stamp, "chunks": counts.get(doc.meta.doc_id, 0)}
        new_manifest = {"normalization": norm_version(), "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                        "retrieval": "bm25+dense" if self.dense else "bm25", "docs": docs, "skipped": skipped}
        progress(0, 1, "索引を書き込み中")
        gen = self.manager.new_generation()
        try:
            self.manager.write(gen, chunks, new_manifest, bm25)
            progress(1, 1, "索引を書き込み中")
            moves = [(str(s.staged), str(s.target)) for k, s in staged_keys.items()
                     if k in present and not s.target.exists()]
            trash = [(str(self.kb.path_of(k)), str(self.kb.staging_dir / (txn or "x") / "trash" / Path(k).name))
                     for k in drop if self.kb.path_of(k).exists()]
            journal = {"gen": gen.name, "moves": moves, "trash": trash}
            write_durable(self.journal, json.dumps(journal, ensure_ascii=False))
            _apply(journal, self.kb)
            self.manager.commit(gen)
        except BaseException:
            if self._current_name() != gen.name:  # not committed: undo everything
                _undo(journal if "journal" in locals() else {})
                shutil.rmtree(gen, ignore_errors=True)
            self.journal.unlink(missing_ok=True)
            raise
        self.journal.unlink(missing_ok=True)
        report.generation = gen.name
        report.total_chunks = len(chunks)
        self._swap_loaded(gen)
        self.manager.collect()
        if self.dense:
            report.embedded_chunks = self._build_vectors(gen, new_manifest, chunks, base, manifest, progress)
        report.seconds = time.perf_counter() - t0
        return report

    # -- vectors -------------------------------------------------------------------------------
    def _vectors_valid(self, gen: Path, manifest: dict | None) -> bool:
        try:
            marker = read_vectors_marker(gen)
        except IndexCorrupt:
            return False
        if marker is None or manifest is None or marker.get("count") != manifest.get("total_chunks"):
            return False
        if marker.get("local") and not (gen / "chroma").is_dir():
            return False
        return marker.get("model") == self.embedder().name

    def _build_vectors(self, gen, new_manifest, chunks, base, base_manifest, progress) -> int:
        reuse = set()
        if base is not None and self._vectors_valid(base, base_manifest):
            same = {d["doc_id"] for d in base_manifest["docs"].values()
                    if new_manifest["docs"].get(d["doc_id"], {}).get("sha256") == d["sha256"]}
            reuse = same
        return self.manager.build_vectors(gen, chunks, self.embedder(), reuse_from=base, reuse_docs=reuse,
                                          progress=progress)

    def build_missing_vectors(self, progress: Progress = _noop) -> int:
        """Give the current generation its vectors (when dense retrieval is on and they are missing)."""
        with self.writing():
            gen, _ = self.manager.resolve()
            m = self.manager.read_manifest(gen)
            if not self.dense or self._vectors_valid(gen, m):
                return 0
            others = [g for g in self.manager.generations() if g != gen]
            base = next((g for g in others if self._vectors_valid(g, _manifest_or_none(self.manager, g))), None)
            return self._build_vectors(gen, m, read_chunks(gen), base,
                                       _manifest_or_none(self.manager, base) if base else None, progress)


def _chunk_all(docs: list[LoadedDoc], progress: Progress) -> list[list[Chunk]]:
    """Chunk documents, on every core when there are many (chunking is CPU-bound Python:
    normalising, synonym expansion, the instruction check).  The first document is chunked
    here, so the forked workers start with every table already loaded."""
    workers = min(os.cpu_count() or 1, 4)
    if len(docs) < PARALLEL_MIN_DOCS or workers < 2:
        out = []
        for n, doc in enumerate(docs):
            out.append(chunk_document(doc))
            progress(n + 1, len(docs), "分割中")
        return out
    import multiprocessing
    out = [chunk_document(docs[0])]
    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_signals) as pool:
        for part in pool.imap(chunk_document, docs[1:], chunksize=8):
            out.append(part)
            progress(len(out), len(docs), "分割中")
    return out


def _keyword_index(base: Path | None, n_base: int, keep_rows: list[int], added: list[Chunk], order: list[int],
                   chunks: list[Chunk]):
    """BM25 for the new generation: the base's term counts for kept chunks plus the new
    chunks' (only those are tokenised); from scratch when there is no usable base."""
    from retrieval.keyword import BM25Index
    if base is not None:
        try:
            counts = BM25Index.load_counts(base)
            if counts.tf.shape[0] == n_base:
                return BM25Index.extend(counts, keep_rows, [c.search_text for c in added], order)
        except IndexCorrupt:
            pass
    return BM25Index([c.search_text for c in chunks])


def _worker_signals() -> None:
    """Workers end quietly when the pool stops them; the writer handles Ctrl-C and SIGTERM."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _manifest_or_none(manager: IndexManager, gen: Path) -> dict | None:
    try:
        return manager.read_manifest(gen)
    except IndexCorrupt:
        return None


def _drop_duplicate_ids(kept: dict, fresh: list, staged: set[str]) -> tuple[list, list[str]]:
    """A doc id used twice: an upload that claims a used id is refused (BadInputError);
    among pack files the later one is skipped with a warning."""
    seen = {d["doc_id"]: k for k, d in kept.items()}
    out, warnings = [], []
    for src, doc in fresh:
        other = seen.get(doc.meta.doc_id)
        if other is not None and other != src.key:
            if src.key in staged:
                raise BadInputError(f"{src.path.name} claims the document id '{doc.meta.doc_id}', "
                                    f"which {other} already uses; change its id")
            warnings.append(f"skipped {src.key}: its id '{doc.meta.doc_id}' is already used by {other}")
            continue
        seen[doc.meta.doc_id] = src.key
        out.append((src, doc))
    return out, warnings


def _apply(journal: dict, kb: KnowledgeBase) -> None:
    """Move staged uploads into place (and removed ones out), durably."""
    for staged, target in journal["moves"]:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
        side = Path(f"{staged}.meta.json")
        if side.exists():
            kb.meta_dir.mkdir(parents=True, exist_ok=True)
            os.replace(side, kb.meta_dir / f"{Path(target).name}.json")
    for src, trashed in journal["trash"]:
        Path(trashed).parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, trashed)
    if journal["moves"] or journal["trash"]:
        fsync_path(kb.uploads_dir)


def _undo(journal: dict) -> None:
    for staged, target in reversed(journal.get("moves", [])):
        Path(target).unlink(missing_ok=True)
    for src, trashed in reversed(journal.get("trash", [])):
        if Path(trashed).exists():
            os.replace(trashed, src)


@contextmanager
def _terminate_raises():
    """While a write runs in the main thread, SIGTERM raises KeyboardInterrupt like Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt(f"stopped by signal {signum}")
    old_term = signal.signal(signal.SIGTERM, handler)
    old_int = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old_term)
        signal.signal(signal.SIGINT, old_int)
