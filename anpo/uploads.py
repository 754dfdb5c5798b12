"""Knowledge management behind the app: the file types an upload may have, and uploaded
documents (removable) told apart from the shipped pack.  (Per-file upload outcomes are a
screen's concern: `app_ui.uploads`.)"""

from __future__ import annotations

from typing import Callable

from anpo.models import SourceInfo

UPLOAD_TYPES = ("pdf", "md", "markdown", "txt", "text", "html", "htm")
Progress = Callable[[int, int, str], None]


def is_uploaded(source: SourceInfo, settings=None) -> bool:
    return source.origin == "upload"


def uploaded_sources(assistant) -> list[SourceInfo]:
    return [s for s in assistant.sources() if is_uploaded(s)]
