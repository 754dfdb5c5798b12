"""The core facade used by the CLI and the app: build and refresh the index, ask,
ingest, list and remove sources.  Heavy things (the embedding model, Chroma, the index)
load on first use."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from anpo.answering import check_citations, refusal
from anpo.backends import get_backend
from anpo.errors import AnpoError, BadInputError, SourceUnreadableError
from anpo.models import Answer, SourceInfo
from anpo.settings import Settings
from retrieval.loaders import SUPPORTED, fingerprint, iter_knowledge_files, load_file, sha256_bytes, slug
from retrieval.textnorm import looks_like_instruction
from retrieval.types import LoadedDoc



def parse_questions(text: str) -> list[str]:
    """A question list: one question a line; blank lines and lines starting with '#' skipped."""
    return [l.strip() for l in text.lstrip("\ufeff").splitlines() if l.strip() and not l.lstrip().startswith("#")]
Progress = Callable[[int, int, str], None]


def _noop(done, total, label):
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
            return ChromaStore(host=settings.chroma_host, port=settings.chroma_port)
        return ChromaStore(path=gen_dir / "chroma")
    return make


class Assistant:
    def __init__(self, settings: Settings, embedder=None, store_factory=None, today: date | None = None):
        from retrieval.index import IndexManager
        self.settings = settings
        self._embedder = embedder
        self.manager = IndexManager(settings.index_dir, store_factory or default_store_factory(settings))
        self._index = None
        self._retriever = None
        self._backends: dict[str, object] = {}
        self._hashes: dict[Path, tuple] = {}
        self.today = today

    # -- parts, loaded lazily ----------------------------------------------
    @property
    def embedder(self):
        if self._embedder is None:
            from retrieval.embeddings import make_embedder
            self._embedder = make_embedder(self.settings.embedder, self.settings.embed_model)
        return self._embedder

    def backend(self, name: str | None = None):
        name = name or self.settings.backend
        if name not in self._backends:
            self._backends[name] = get_backend(name, self.settings)
        return self._backends[name]

    # -- knowledge files -----------------------------------------------------
    def source_files(self) -> list[Path]:
        files = list(iter_knowledge_files(self.settings.knowledge_dir))
        if self.settings.uploads_dir.exists():
            files += list(iter_knowledge_files(self.settings.uploads_dir))
        return files

    def load_documents(self) -> list[LoadedDoc]:
        up = self.settings.uploads_dir
        docs = []
        for p in self.source_files():
            origin = "upload" if up in p.parents else "knowledge"
            docs.append(load_file(p, origin=origin))
        return docs

    def _stale(self) -> bool:
        """True when a knowledge file was added, removed or changed since the index was built."""
        try:
            gen = self.manager.current_dir()
            manifest = self.manager.read_manifest(gen) if gen else None
        except AnpoError:
            return True
        from retrieval.index import _norm_version
        if manifest is None or manifest.get("embed_model") != self.embedder_name() \
                or manifest.get("normalization") != _norm_version():
            return True
        built = {d["path"]: d["sha256"] for d in manifest["docs"].values()}
        files = self.source_files()
        if len(files) != len(built):
            return True
        return any(built.get(str(p)) != self._fingerprint(p) for p in files)

    def _fingerprint(self, p: Path) -> str:
        """Content hash, re-read only when the file's size or mtime changed (warm asks stay fast)."""
        st = p.stat()
        side = p.with_suffix(".yaml")
        key = (st.st_mtime_ns, st.st_size, side.stat().st_mtime_ns if p.suffix == ".csv" and side.exists() else 0)
        hit = self._hashes.get(p)
        if hit is None or hit[0] != key:
            hit = self._hashes[p] = (key, fingerprint(p))
        return hit[1]

    def embedder_name(self) -> str:
        if self._embedder is not None:
            return self._embedder.name
        return "hash-256" if self.settings.embedder == "hash" else self.settings.embed_model

    # -- index -----------------------------------------------------------------
    def build_index(self, rebuild: bool = False, progress: Progress = _noop):
        report = self.manager.sync(self.load_documents(), self.embedder, rebuild=rebuild, progress=progress)
        self._drop_loaded()
        return report

    def ensure_index(self, progress: Progress = _noop):
        """The live index, built first if missing or if the knowledge files changed."""
        if not self.manager.exists() or self._stale():
            self.build_index(progress=progress)
        gen = self.manager.current_dir()
        if self._index is None or self._index.gen_dir != gen:
            self._drop_loaded()
            self._index = self.manager.load()
        return self._index

    def _drop_loaded(self):
        if self._index is not None:
            self._index.close()
        self._index = None
        self._retriever = None

    def retriever(self):
        index = self.ensure_index()
        if self._retriever is None or self._retriever.index is not index:
            from retrieval.retriever import HybridRetriever
            self._retriever = HybridRetriever(
                index, self.embedder if self.settings.dense_weight > 0 else None, self.settings.dense_weight)
        return self._retriever

    def status(self) -> IndexStatus:
        index = self.ensure_index()
        m = index.manifest
        return IndexStatus(len(m["docs"]), m["total_chunks"], m["embed_model"], m.get("built_at"), str(index.gen_dir))

    def sources(self) -> list[SourceInfo]:
        index = self.ensure_index()
        out = []
        for d in index.manifest["docs"].values():
            out.append(SourceInfo(doc_id=d["doc_id"], title=d["title"], issuer=d.get("issuer"),
                                  date=d.get("effective_date") or d.get("published") or d.get("as_of"), chunks=d["chunks"],
                                  path=d["path"], kind=d.get("kind"), url=d.get("url"), as_of=d.get("as_of"),
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

    def ask(self, question: str, k: int | None = None, backend: str | None = None) -> Answer:
        from anpo.pipeline import AnswerPipeline
        return AnswerPipeline(self.settings, self.retriever(), self.backend, self.today).ask(question, k, backend)

    def check(self, answer: Answer) -> list[str]:
        return check_citations(answer, self.ensure_index().chunk)

    # -- ingesting -------------------------------------------------------------
    def ingest(self, paths: Sequence[Path], progress: Progress = _noop) -> list[IngestResult]:
        """Add files to the knowledge base.  Every file is read and checked first; if one
        fails, nothing is copied and the index is left exactly as it was."""
        paths = [Path(p) for p in paths]
        if not paths:
            raise BadInputError("no file given; name at least one PDF, Markdown, text or HTML file")
        checked = []
        for p in paths:
            if not p.is_file():
                raise SourceUnreadableError(p, "does not exist or is not a file")
            if p.suffix.lower() not in SUPPORTED - {".csv"}:
                raise SourceUnreadableError(p, f"has an unsupported type '{p.suffix or 'none'}' (use PDF, Markdown, text or HTML)")
            size_mb = p.stat().st_size / 1e6
            if size_mb > self.settings.max_file_mb:
                raise SourceUnreadableError(p, f"is {size_mb:.0f} MB, larger than the {self.settings.max_file_mb} MB limit")
            checked.append((p, load_file(p, origin="upload")))
        self.ensure_index(progress=progress)
        up = self.settings.uploads_dir
        up.mkdir(parents=True, exist_ok=True)
        placed: list[tuple[Path, bytes | None]] = []   # (target, previous content) for rollback
        try:
            for p, _ in checked:
                name = f"{slug(p.stem)}-{sha256_bytes(p.name.encode())[:6]}{p.suffix.lower()}"
                target = up / name
                placed.append((target, target.read_bytes() if target.exists() else None))
                shutil.copyfile(p, target)
            self.build_index(progress=progress)
        except BaseException:
            for target, old in reversed(placed):
                if old is None:
                    target.unlink(missing_ok=True)
                else:
                    target.write_bytes(old)
            raise
        index = self.ensure_index()
        results = []
        for (p, doc), (target, _) in zip(checked, placed):
            d = next(v for v in index.manifest["docs"].values() if v["path"] == str(target))
            warn = ()
            if any(looks_like_instruction(s.text) for s in doc.sections):
                warn = ("この資料には回答者への指示のような文が含まれています。その文は回答に引用しません。",)
            results.append(IngestResult(str(p), d["doc_id"], d["title"], d["chunks"], warn))
        return results

    def remove(self, doc_id: str) -> None:
        index = self.ensure_index()
        d = index.manifest["docs"].get(doc_id)
        if d is None:
            raise BadInputError(f"no document with id '{doc_id}'; see `anpo sources`")
        if d.get("origin") != "upload":
            raise BadInputError(f"'{doc_id}' is part of the shipped knowledge pack and cannot be removed here")
        path = Path(d["path"])
        backup = path.read_bytes()
        path.unlink()
        try:
            self.build_index()
        except BaseException:
            path.write_bytes(backup)
            raise
