"""Knowledge management behind the app: ingest uploaded files one at a time with a
result per file, and tell uploaded documents (removable) from the shipped pack."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from anpo.errors import AnpoError, SourceUnreadableError
from anpo.models import SourceInfo

UPLOAD_TYPES = ("pdf", "md", "markdown", "txt", "text", "html", "htm")
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class FileOutcome:
    name: str
    ok: bool
    doc_id: str | None = None
    title: str | None = None
    chunks: int = 0
    reason: str | None = None          # why the file was refused
    warnings: tuple[str, ...] = ()


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name.strip() or "upload.txt"
    return re.sub(r"[\x00-\x1f/]", "_", base)


def ingest_each(assistant, files: Sequence[tuple[str, bytes]], progress: Progress | None = None) -> list[FileOutcome]:
    """Ingest (name, bytes) pairs one by one.  A file that cannot be read is reported with
    its reason and leaves the index as it was; the others are still added."""
    out = []
    total = len(files)
    with tempfile.TemporaryDirectory(prefix="anpo-upload-") as tmp:
        for i, (name, data) in enumerate(files):
            if progress:
                progress(i, total, name)
            path = Path(tmp) / str(i) / _safe_name(name)
            path.parent.mkdir(parents=True)
            path.write_bytes(data)
            try:
                res = assistant.ingest([path])[0]
                out.append(FileOutcome(name, True, res.doc_id, res.title, res.chunks, warnings=res.warnings))
            except SourceUnreadableError as e:
                out.append(FileOutcome(name, False, reason=e.reason))
            except AnpoError as e:
                out.append(FileOutcome(name, False, reason=str(e)))
    if progress:
        progress(total, total, "")
    return out


def is_uploaded(source: SourceInfo, settings=None) -> bool:
    return source.origin == "upload"


def uploaded_sources(assistant) -> list[SourceInfo]:
    return [s for s in assistant.sources() if is_uploaded(s)]
