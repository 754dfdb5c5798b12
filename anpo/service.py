"""The core facade used by the CLI and the app.  It holds no logic of its own: it wires
the knowledge base (`anpo.kb`), the index service (`anpo.indexing`), the answer pipeline
(`anpo.pipeline`) and the audit log (`anpo.audit`), and turns the retrieval layer's errors
into the project's (`anpo.errors`).

Thread safety: one `Assistant` may be shared by many threads (the app's sessions).  Writes
are serialised by the index service; lazy loads happen under a lock; each ask uses the
immutable pipeline of one index generation.  Asking never builds or rebuilds, except the
very first index when none exists; a stale index is served and `staleness()` says so."""

from __future__ import annotations

import errno
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from anpo.answering import check_citations, refusal
from anpo.audit import AuditLog
from anpo.backends import get_backend
from anpo.errors import (AnpoError, BackendUnavailableError, BadInputError, IndexCorruptError, IndexMissingError,
                         SourceUnreadableError, StorageError)
from anpo.indexing import IndexService, SyncReport
from anpo.kb import KnowledgeBase
from anpo.models import Answer, SourceInfo
from anpo.settings import Settings
from retrieval import errors as rerr

Progress = Callable[[int, int, str], None]
__all__ = ["Assistant", "IngestResult", "IndexStatus", "SyncReport", "parse_questions"]


def parse_questions(text: str) -> list[str]:
    """A question list: one question a line; blank lines and lines starting with '#' skipped."""
    return [l.strip() for l in text.lstrip("\ufeff").splitlines() if l.strip() and not l.lstrip().startswith("#")]


def _noop(*_args) -> None:
    pass


@dataclass(frozen=True)
class IngestResult:
    path: str
    doc_id: str
    title: str
    chunks: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexStatus:
    documents: int
    chunks: int
    embed_model: str
    built_at: str | None
    location: str


def default_store_factory(settings: Settings):
    from retrieval.store import ChromaStore

    def make(gen_dir: Path):
        if settings.store == "chroma-http":
            # one collection per model on a shared server: vectors of another size never meet
            model = "hash" if settings.embedder == "hash" else Path(settings.embed_model).name
            name = "anpo_" + re.sub(r"[^A-Za-z0-9_-]+", "-", model)[:50].strip("-_")
            return ChromaStore(host=settings.chroma_host, port=settings.chroma_port, collection=name)
        return ChromaStore(path=gen_dir / "chroma")
    return make


@contextmanager
def translated(home: Path | None = None):
    """Retrieval errors and data-folder OS errors become the project's errors."""
    try:
        yield
    except rerr.IndexMissing as e:
        raise IndexMissingError(str(e)) from e
    except rerr.IndexCorrupt as e:
        raise IndexCorruptError(str(e)) from e
    except rerr.StoreUnavailable as e:
        raise BackendUnavailableError(str(e)) from e
    except rerr.SourceUnreadable as e:
        raise SourceUnreadableError(e.path, e.reason) from e
    except rerr.RetrievalError as e:
        raise BadInputError(str(e)) from e
    except OSError as e:
        if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.ENOTDIR):
            where = e.filename or home
            raise StorageError(f"cannot write to the data folder ({where}: {e.strerror}); "
                               "set ANPO_HOME to a writable folder or free some space") from e
        raise


def _ingest_warnings(sections) -> tuple[str, ...]:
    """What an ingest says about a document's instruction-like or non-prose sentences (upload
    rules: the allow-list applies), naming where they are; such passages are never quoted."""
    from retrieval.injection import flagged_sentences
    found = flagged_sentences(sections)
    if not found:
        return ()
    where = "、".join(dict.fromkeys(loc for loc, _, _ in found))
    return (f"この資料には回答者への指示のような文、又は資料の説明文として扱えない文が {len(found)} 件あります"
            f"（{where}）。その文を含む箇所は回答に使いません。",)


class Assistant:
    def __init__(self, settings: Settings, embedder=None, store_factory=None, today: date | None = None):
        self.settings = settings
        self.today = today
        self.notify: Callable[[str], None] = _noop      # the CLI prints these on stderr
        self._embedder = embedder
        self._lock = threading.RLock()
        self._backends: dict[str, object] = {}
        self._pipeline = None                           # (LoadedIndex, retriever, pipeline)
        self.kb = KnowledgeBase(settings.knowledge_dir, settings.home, settings.max_file_mb)
        self.index_service = IndexService(settings.index_dir, self.kb, store_factory or default_store_factory(settings),
                                          lambda: self.embedder, settings.dense, lambda m: self.notify(m))
        self.manager = self.index_service.manager
        self.audit = AuditLog(settings.audit_path, notify=lambda m: self.notify(m))

    # -- parts, loaded lazily ----------------------------------------------
    @property
    def embedder(self):
        with self._lock:
            if self._embedder is None:
                from retrieval.embeddings import make_embedder
                with translated():
                    self._embedder = make_embedder(self.settings.embedder, self.settings.embed_model)
            return self._embedder

    def backend(self, name: str | None = None):
        name = name or self.settings.backend
        with self._lock:
            if name not in self._backends:
                self._backends[name] = get_backend(name, self.settings)
            return self._backends[name]

    # -- index -----------------------------------------------------------------
    def build_index(self, rebuild: bool = False, progress: Progress = _noop) -> SyncReport:
        """Bring the index up to date with the sources (a writer: takes the index lock)."""
        with translated(self.settings.home):
            return self.index_service.build(rebuild=rebuild, progress=progress)

    def ensure_index(self, progress: Progress = _noop):
        """The index being served.  Built only when none exists; never rebuilt here."""
        with translated(self.settings.home):
            return self.index_service.current(progress)

    def staleness(self) -> str | None:
        """One sentence when the served index is behind its sources (or damaged), else None."""
        with translated(self.settings.home):
            return self.index_service.staleness()

    def _current(self):
        index = self.ensure_index()
        with self._lock:
            if self._pipeline is None or self._pipeline[0] is not index:
                from anpo.pipeline import AnswerPipeline
                from retrieval.retriever import HybridRetriever
                emb = self.embedder if self.settings.dense else None
                retriever = HybridRetriever(index, emb, self.settings.dense_weight)
                self._pipeline = (index, retriever, AnswerPipeline(self.settings, retriever, self.backend, self.today))
            return self._pipeline

    def retriever(self):
        return self._current()[1]

    def status(self) -> IndexStatus:
        index = self.ensure_index()
        m = index.manifest
        vec = index.vectors() if self.settings.dense else None
        model = vec["model"] if vec else "BM25"
        return IndexStatus(len(m["docs"]), m["total_chunks"], model, m.get("built_at"), str(index.gen_dir))

    def sources(self) -> list[SourceInfo]:
        index = self.ensure_index()
        out = []
        for d in index.manifest["docs"].values():
            path = str(self.kb.path_of(d["source"])) if d.get("source") else d["path"]
            out.append(SourceInfo(doc_id=d["doc_id"], title=d["title"], issuer=d.get("issuer"),
                                  date=d.get("effective_date") or d.get("published") or d.get("as_of"), chunks=d["chunks"],
                                  path=path, kind=d.get("kind"), url=d.get("url"), as_of=d.get("as_of"),
                                  origin=d.get("origin", "knowledge")))
        return out

    # -- asking ----------------------------------------------------------------
    def answer_batch(self, questions: Sequence[str], k: int | None = None, backend: str | None = None,
                     progress: Progress = _noop) -> list[Answer]:
        """Answer questions in order; a question that is bad input gets a refusal saying why,
        so one bad line never loses the rest of a seminar handout."""
        out = []
        for i, q in enumerate(questions, 1):
            try:
                out.append(self.ask(q, k=k, backend=backend))
            except BadInputError as e:
                out.append(refusal(q, backend or self.settings.backend, reason=f"（入力エラー: {e}）"))
            progress(i, len(questions), "質問に回答中")
        return out

    def explain(self, question: str, k: int | None = None, backend: str | None = None):
        """The answer with the analysis, scores and rules behind it (anpo.pipeline.Trace; `ask --explain`)."""
        _, _, pipeline = self._current()
        with translated(self.settings.home):
            return pipeline.trace(question, k, backend)

    def ask(self, question: str, k: int | None = None, backend: str | None = None) -> Answer:
        index, _, pipeline = self._current()
        with translated(self.settings.home):
            answer = pipeline.ask(question, k, backend)
        self.audit.record(answer, index.gen_dir.name)
        return answer

    def check(self, answer: Answer) -> list[str]:
        return check_citations(answer, self.ensure_index().chunk)

    # -- ingesting -------------------------------------------------------------
    def ingest(self, paths: Sequence[Path], progress: Progress = _noop, uploader: str | None = None,
               names: Sequence[str] | None = None) -> list[IngestResult]:
        """Add files to the knowledge base.  Every file is checked and staged first; if one
        fails, nothing is added and the index is left exactly as it was.  `names` are the
        names the user gave (for uploads that arrive as temporary files)."""
        paths = [Path(p) for p in paths]
        if not paths:
            raise BadInputError("no file given; name at least one PDF, Markdown, text or HTML file")
        with translated(self.settings.home):
            self.index_service.ensure_exists(progress)
            staged, report = self.index_service.ingest(paths, progress, uploader, names)
            manifest = self.manager.read_manifest(self.manager.root / report.generation)
        by_source = {d.get("source"): d for d in manifest["docs"].values()}
        results = []
        for s in staged:
            d = by_source.get("uploads/" + s.target.name)
            if d is None:
                raise AnpoError(f"{s.original} was not added to the index")
            warn = _ingest_warnings(s.doc.sections)
            results.append(IngestResult(s.original, d["doc_id"], d["title"], d["chunks"], warn))
        return results

    def ingest_bytes(self, name: str, data: bytes, uploader: str | None = None,
                     progress: Progress = _noop) -> IngestResult:
        """Ingest one uploaded file given as bytes; any name (`..`, 300 characters) is safe."""
        import tempfile
        with tempfile.TemporaryDirectory(prefix="anpo-upload-") as tmp:
            from anpo.kb import safe_upload_name
            from retrieval.loaders import sha256_bytes
            path = Path(tmp) / safe_upload_name(name, sha256_bytes(data))
            path.write_bytes(data)
            return self.ingest([path], progress, uploader, [name])[0]

    def remove(self, doc_id: str) -> None:
        index = self.ensure_index()
        d = index.manifest["docs"].get(doc_id)
        if d is None:
            raise BadInputError(f"no document with id '{doc_id}'; see `anpo sources`")
        if d.get("origin") != "upload":
            raise BadInputError(f"'{doc_id}' is part of the shipped knowledge pack and cannot be removed here")
        with translated(self.settings.home):
            self.index_service.remove(d["source"])
