"""Upload glue for the knowledge screen: ingest the browser's (name, bytes) pairs one at
a time with a result per file.  A refused file carries the error itself, so the screen
words the reason in the user's language (`app_ui.messages`)."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from anpo.errors import AnpoError

Progress = Callable[[float, int, str], None]      # (files done, with a fraction of the current one; files; name)


@dataclass(frozen=True)
class FileOutcome:
    name: str
    ok: bool
    doc_id: str | None = None
    title: str | None = None
    chunks: int = 0
    reason: str | None = None          # the core's reason (English), for logs
    warnings: tuple[str, ...] = ()
    error: AnpoError | None = None     # what refused it, for `messages.user_message`


def safe_name(name: str) -> str:
    """A file name without folders, control characters or an over-long tail."""
    base = Path((name or "").replace("\\", "/")).name.strip().lstrip(".") or "upload.txt"
    base = re.sub(r"[\x00-\x1f/]", "_", base)
    stem, dot, ext = base.rpartition(".")
    return (stem[:100] + dot + ext[:10]) if dot and stem else base[:110]


def _ingest_one(assistant, tmp: Path, i: int, name: str, data: bytes, uploader: str | None, inner=None):
    """One file through the core: `ingest_bytes` (which records the uploader and reports
    its own progress) where the core has it, else a temporary file given to `ingest`."""
    by_bytes = getattr(assistant, "ingest_bytes", None)
    if callable(by_bytes):
        return by_bytes(name, data, uploader=uploader, progress=inner or (lambda *a: None))
    path = tmp / str(i) / safe_name(name)
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    return assistant.ingest([path])[0]


def ingest_each(assistant, files: Sequence[tuple[str, bytes]], progress: Progress | None = None,
                uploader: str | None = None) -> list[FileOutcome]:
    """Ingest (name, bytes) pairs one by one.  A file that cannot be read is reported with
    its reason and leaves the index as it was; the others are still added."""
    out = []
    total = len(files)
    with tempfile.TemporaryDirectory(prefix="anpo-upload-") as tmp:
        for i, (name, data) in enumerate(files):
            if progress:
                progress(i, total, name)
            def inner(done, steps, _label, i=i, name=name, best=[0.0]):
                # the core's steps (in phases that each count from 0) as a fraction of this
                # file, never moving back; the last step of a file stays below the next file
                if progress and steps:
                    best[0] = max(best[0], min(done, steps) / steps * 0.99)
                    progress(i + best[0], total, name)
            try:
                res = _ingest_one(assistant, Path(tmp), i, name, data, uploader, inner)
                out.append(FileOutcome(name, True, res.doc_id, res.title, res.chunks, warnings=tuple(res.warnings)))
            except AnpoError as e:
                out.append(FileOutcome(name, False, reason=getattr(e, "reason", None) or str(e), error=e))
    if progress:
        progress(total, total, "")
    return out
