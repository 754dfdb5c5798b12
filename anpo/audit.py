"""The audit log for advisors: one JSON line per answer (time, question, answer, cited
doc ids and locators, backend, index generation).  Never the content of uploaded files:
only the answer text itself and the ids and locators of what it cites.

The file is rotated by size (`audit.jsonl` → `audit.jsonl.1` … `.N`).  Writing never
breaks an answer: a failure is reported once through `notify` and the answer goes on."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Callable

from anpo.models import Answer


class AuditLog:
    def __init__(self, path: Path | None, max_bytes: int = 5_000_000, keep: int = 5,
                 notify: Callable[[str], None] = lambda msg: None):
        self.path = Path(path) if path else None
        self.max_bytes = max_bytes
        self.keep = keep
        self.notify = notify
        self._lock = threading.Lock()
        self._failed = False

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def record(self, answer: Answer, generation: str | None) -> None:
        if self.path is None:
            return
        line = json.dumps(entry(answer, generation), ensure_ascii=False) + "\n"
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._rotate_if_full(len(line.encode("utf-8")))
                with open(self.path, "a", encoding="utf-8") as f:
                    f.write(line)
        except OSError as e:
            if not self._failed:
                self._failed = True
                self.notify(f"the audit log {self.path} cannot be written ({e.strerror or e}); answers go on without it")

    def _rotate_if_full(self, incoming: int) -> None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size + incoming <= self.max_bytes:
            return
        for n in range(self.keep - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{n}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{n + 1}"))
        os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
        stale = self.path.with_name(f"{self.path.name}.{self.keep + 1}")
        stale.unlink(missing_ok=True)


def entry(answer: Answer, generation: str | None) -> dict:
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "question": answer.question,
        "answer": answer.answer,
        "grounded": answer.grounded,
        "backend": answer.backend,
        "citations": [{"n": c.n, "doc_id": c.doc_id, "locator": c.locator} for c in answer.citations],
        "generation": generation,
    }
