"""The knowledge base: which source files exist, what their content hashes are, how each
is loaded, and where uploads live.

- Sources are the shipped pack (`knowledge_dir`) plus uploads (`home/uploads`).  Each has a
  *key* relative to its folder (`knowledge/docs/a.md`, `uploads/<name>`), so a moved or
  relative knowledge folder is the same knowledge base.
- Uploads are stored under content-addressed names (`<sha256[:16]>-<safe name>`): two files
  with the same name are both kept, the same file twice is one upload.
- An upload is first *staged* under `home/staging/<txn>/` and moved into `uploads/` only by
  the index service's commit (see `anpo.indexing`).  Who uploaded it and when is kept in
  `uploads/.meta/<name>.json` so a rebuild gives it the same provenance.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from anpo.errors import SourceUnreadableError, StorageError
from retrieval import loaders
from retrieval.errors import SourceUnreadable
from retrieval.loaders import UPLOAD_TYPES, iter_knowledge_files, sha256_bytes
from retrieval.types import LoadedDoc

UPLOAD_SUFFIXES = UPLOAD_TYPES
MAX_NAME_CHARS = 80
MAX_NAME_BYTES = 120


@dataclass(frozen=True)
class Source:
    key: str                    # "knowledge/<relative path>" or "uploads/<stored name>"
    path: Path
    origin: str                 # "knowledge" or "upload"


@dataclass(frozen=True)
class Staged:
    """An upload copied to staging, not yet part of the knowledge base."""
    original: str               # the name the user gave
    staged: Path                # staging/<txn>/<name>
    target: Path                # uploads/<name> (where the commit moves it)
    doc: LoadedDoc              # loaded from the staged copy, with its final path


def safe_upload_name(name: str, digest: str) -> str:
    """`<digest[:16]>-<name>`: path parts, control characters and dot-only names removed,
    at most MAX_NAME_CHARS characters, the extension kept."""
    base = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "_", base).strip().lstrip(".") or "upload"
    stem, dot, ext = base.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = base, ""
    ext = ("." + ext.lower()) if ext else ""
    stem = stem[:MAX_NAME_CHARS - len(ext)]
    while len(stem.encode("utf-8")) > MAX_NAME_BYTES:     # file systems count bytes
        stem = stem[:-1]
    return f"{digest[:16]}-{stem or 'upload'}{ext}"


class KnowledgeBase:
    def __init__(self, knowledge_dir: Path, home: Path, max_file_mb: float = 50):
        self.knowledge_dir = Path(knowledge_dir)
        self.uploads_dir = Path(home) / "uploads"
        self.staging_dir = Path(home) / "staging"
        self.meta_dir = self.uploads_dir / ".meta"
        self.max_file_mb = max_file_mb
        self._hashes: dict[Path, tuple] = {}

    # -- sources -------------------------------------------------------------------
    def sources(self) -> list[Source]:
        if not self.knowledge_dir.is_dir():      # else an empty index that refuses every question
            raise StorageError(f"the knowledge pack {self.knowledge_dir} does not exist; "
                               "set ANPO_KNOWLEDGE_DIR to its folder or reinstall anpo")
        out = [Source("knowledge/" + p.relative_to(self.knowledge_dir).as_posix(), p, "knowledge")
               for p in iter_knowledge_files(self.knowledge_dir)]
        if self.uploads_dir.is_dir():
            out += [Source("uploads/" + p.name, p, "upload") for p in sorted(self.uploads_dir.iterdir())
                    if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in UPLOAD_SUFFIXES]
        return out

    def path_of(self, key: str) -> Path:
        folder, _, rest = key.partition("/")
        return (self.knowledge_dir if folder == "knowledge" else self.uploads_dir) / rest

    def stamp(self, src: Source) -> tuple[int, int, int]:
        """(mtime_ns, size, sidecar mtime): when unchanged, the content hash is too."""
        st = src.path.stat()
        side = src.path.with_suffix(".yaml")
        extra = side.stat().st_mtime_ns if src.path.suffix == ".csv" and side.exists() else 0
        return st.st_mtime_ns, st.st_size, extra

    def fingerprint(self, src: Source) -> str:
        """Content hash, re-read only when the stamp changed; SourceUnreadableError if unreadable."""
        try:
            key = self.stamp(src)
            hit = self._hashes.get(src.path)
            if hit is None or hit[0] != key:
                hit = self._hashes[src.path] = (key, loaders.fingerprint(src.path))
            return hit[1]
        except OSError as e:
            raise SourceUnreadableError(src.path, f"cannot be read ({e.strerror or e.__class__.__name__})") from e

    def load(self, src: Source) -> LoadedDoc:
        if src.origin == "upload":
            meta = self._upload_meta(src.path.name)
            return self._load_upload(src.path, meta.get("uploader"), meta.get("uploaded_at"))
        return _translated(loaders.load_file, src.path, origin="knowledge")

    # -- uploads -----------------------------------------------------------------
    def stage(self, path: Path, txn: str, uploader: str | None = None, uploaded_at: str | None = None,
              name: str | None = None) -> Staged:
        """Copy one file to staging and load it from there (as it will be known once committed)."""
        path = Path(path)
        data = _translated(loaders.read_upload, path, self.max_file_mb)   # symlinks, FIFOs, size, type
        stored = safe_upload_name(name or path.name, sha256_bytes(data))
        folder = self.staging_dir / txn
        folder.mkdir(parents=True, exist_ok=True)
        staged = folder / stored
        staged.write_bytes(data)
        try:
            doc = self._load_upload(staged, uploader, uploaded_at)
        except SourceUnreadableError as e:          # name the user's file, not the staged copy
            raise SourceUnreadableError(name or path, e.reason) from e
        target = self.uploads_dir / stored
        doc = replace(doc, meta=replace(doc.meta, path=str(target)))
        if uploader or uploaded_at:
            (folder / f"{stored}.meta.json").write_text(json.dumps(
                {"uploader": uploader, "uploaded_at": uploaded_at, "original": name or path.name},
                ensure_ascii=False), encoding="utf-8")
        return Staged(name or str(path), staged, target, doc)

    def new_txn(self) -> str:
        return uuid.uuid4().hex[:12]

    def clean_staging(self, txn: str | None = None) -> None:
        if txn:
            shutil.rmtree(self.staging_dir / txn, ignore_errors=True)
        elif self.staging_dir.exists():
            shutil.rmtree(self.staging_dir, ignore_errors=True)

    def _upload_meta(self, name: str) -> dict:
        try:
            return json.loads((self.meta_dir / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _load_upload(self, path: Path, uploader=None, uploaded_at=None) -> LoadedDoc:
        """Provenance (issuer, unconfirmed, namespaced id) is set by the loader, not the file."""
        return _translated(loaders.load_upload, path, uploader=uploader, uploaded_at=uploaded_at,
                           max_mb=self.max_file_mb)


def _translated(fn, *args, **kw):
    try:
        return fn(*args, **kw)
    except SourceUnreadable as e:
        raise SourceUnreadableError(e.path, e.reason) from e
    except RecursionError as e:
        raise SourceUnreadableError(args[0], "is nested too deeply to read") from e


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
