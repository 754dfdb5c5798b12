"""Conversation history and answer feedback, kept in one local SQLite file.

The app records every question it answers (with the full answer object) and the
「この回答は役に立ちましたか」 feedback; people can search, export (Markdown / CSV) and
delete what was recorded.  The file is opened on first use, one short connection per
call, so the store is safe to share between Streamlit sessions (threads).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Sequence

from anpo.errors import AnpoError
from anpo.models import Answer, Citation
from retrieval.textnorm import normalize

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    grounded INTEGER NOT NULL,
    answer_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_conversation ON entries(conversation);
CREATE TABLE IF NOT EXISTS feedback (
    entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    helpful INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    rated_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    conversation: str
    asked_at: str                    # ISO 8601, local time, seconds
    question: str
    answer: str
    grounded: bool
    sources: tuple[str, ...]         # "[n] title — locator（date）", for lists and exports
    helpful: bool | None             # None: not rated
    answer_json: str                 # the full answer object (Answer.to_dict())

    def to_answer(self) -> Answer:
        return answer_from_dict(json.loads(self.answer_json))


def answer_from_dict(d: dict) -> Answer:
    """The inverse of `Answer.to_dict()`."""
    cits = tuple(
        Citation(**{**c, "highlight": tuple(tuple(h) for h in c.get("highlight", ()))})
        for c in d.get("citations", ())
    )
    return Answer(question=d["question"], answer=d["answer"], grounded=bool(d["grounded"]),
                  backend=d.get("backend", ""), citations=cits, notes=tuple(d.get("notes", ())),
                  elapsed_ms=d.get("elapsed_ms"), knowledge_as_of=d.get("knowledge_as_of"))


def source_label(c: Citation) -> str:
    when = f"（{c.effective_date}）" if c.effective_date else ""
    return f"[{c.n}] {c.title} — {c.locator}{when}"


def default_history_path(settings) -> Path:
    """Settings.history_db if set, else $ANPO_HOME/history.sqlite3."""
    return Path(settings.history_db) if settings.history_db else Path(settings.home) / "history.sqlite3"


class HistoryStore:
    """Questions, answers and feedback in SQLite.  Cheap to construct; the file (and its
    folder) is created on the first call that needs it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._ready = False

    @classmethod
    def for_settings(cls, settings) -> "HistoryStore":
        return cls(default_history_path(settings))

    # -- connection -----------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        try:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute("PRAGMA foreign_keys = ON")
            if not self._ready:
                conn.executescript(_SCHEMA)
                self._ready = True
            return conn
        except (sqlite3.Error, OSError) as e:
            raise AnpoError(f"the history file {self.path} cannot be opened ({e})") from e

    def _exec(self, sql: str, args: Sequence = ()) -> tuple[list[tuple], int, int]:
        """(rows, lastrowid, rowcount) of one statement in its own transaction."""
        with closing(self._connect()) as conn:
            try:
                with conn:
                    cur = conn.execute(sql, tuple(args))
                    return cur.fetchall(), cur.lastrowid or 0, cur.rowcount
            except sqlite3.Error as e:
                raise AnpoError(f"the history file {self.path} cannot be used ({e})") from e

    # -- writing --------------------------------------------------------------
    def add(self, answer: Answer, conversation: str, asked_at: datetime | None = None) -> int:
        """Record one answered question; returns its entry id."""
        when = (asked_at or datetime.now()).isoformat(timespec="seconds")
        _, rowid, _ = self._exec("INSERT INTO entries (conversation, asked_at, question, answer, grounded, answer_json) "
                  "VALUES (?, ?, ?, ?, ?, ?)",
                  (conversation, when, answer.question, answer.answer, int(answer.grounded),
                   json.dumps(answer.to_dict(), ensure_ascii=False)))
        return int(rowid)

    def set_feedback(self, entry_id: int, helpful: bool, comment: str = "") -> None:
        """Record (or change) whether an answer helped.  Unknown ids are ignored."""
        if self.get(entry_id) is None:
            return
        self._exec("INSERT INTO feedback (entry_id, helpful, comment, rated_at) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT(entry_id) DO UPDATE SET helpful=excluded.helpful, comment=excluded.comment, "
                  "rated_at=excluded.rated_at",
                  (entry_id, int(helpful), comment, datetime.now().isoformat(timespec="seconds")))

    def delete(self, entry_id: int) -> bool:
        return self._exec("DELETE FROM entries WHERE id = ?", (entry_id,))[2] > 0

    def delete_conversation(self, conversation: str) -> int:
        return self._exec("DELETE FROM entries WHERE conversation = ?", (conversation,))[2]

    def clear(self) -> int:
        return self._exec("DELETE FROM entries")[2]

    # -- reading --------------------------------------------------------------
    _SELECT = ("SELECT e.id, e.conversation, e.asked_at, e.question, e.answer, e.grounded, e.answer_json, "
               "f.helpful FROM entries e LEFT JOIN feedback f ON f.entry_id = e.id")

    @staticmethod
    def _entry(row: tuple) -> HistoryEntry:
        eid, conv, when, q, a, grounded, aj, helpful = row
        try:
            cits = json.loads(aj).get("citations", [])
        except ValueError:
            cits = []
        sources = tuple(source_label(Citation(**{**c, "highlight": ()})) for c in cits)
        return HistoryEntry(eid, conv, when, q, a, bool(grounded), sources,
                            None if helpful is None else bool(helpful), aj)

    def get(self, entry_id: int) -> HistoryEntry | None:
        rows = self._exec(self._SELECT + " WHERE e.id = ?", (entry_id,))[0]
        return self._entry(rows[0]) if rows else None

    def search(self, query: str = "", conversation: str | None = None, limit: int = 1000) -> list[HistoryEntry]:
        """Entries newest first.  Every word of `query` must occur in the question, the answer
        or a source title (NFKC, case- and width-insensitive)."""
        sql, args = self._SELECT, []
        if conversation:
            sql += " WHERE e.conversation = ?"
            args.append(conversation)
        sql += " ORDER BY e.id DESC"
        words = [w for w in normalize(query or "").split(" ") if w]
        out = []
        for row in self._exec(sql, args)[0]:
            entry = self._entry(row)
            hay = normalize(" ".join((entry.question, entry.answer, *entry.sources)))
            if all(w in hay for w in words):
                out.append(entry)
                if len(out) >= limit:
                    break
        return out

    def feedback_counts(self) -> tuple[int, int]:
        """(helpful, not helpful) over all rated answers."""
        rows = self._exec("SELECT COALESCE(SUM(helpful), 0), COUNT(*) - COALESCE(SUM(helpful), 0) FROM feedback")[0]
        return int(rows[0][0]), int(rows[0][1])


# -- exports -------------------------------------------------------------------

def _rating(e: HistoryEntry) -> str:
    return {True: "👍", False: "👎", None: ""}[e.helpful]


def to_markdown(entries: Sequence[HistoryEntry], title: str = "anpo 相談履歴") -> str:
    out = [f"# {title}", "", f"件数: {len(entries)}", ""]
    for e in entries:
        out += [f"## {e.asked_at}　{e.question}", ""]
        if not e.grounded:
            out += ["> ⚠ ナレッジベースの対象外（出典なし）", ""]
        out += [e.answer, ""]
        if e.sources:
            out += ["出典:", *[f"- {s}" for s in e.sources], ""]
        if e.helpful is not None:
            out += [f"評価: {_rating(e)}", ""]
    out += ["---", "回答は公開資料に基づく参考情報です。最終的な判断は経済産業省にご確認ください。", ""]
    return "\n".join(out)


def to_csv(entries: Sequence[HistoryEntry]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "asked_at", "conversation", "question", "answer", "grounded", "sources", "helpful"])
    for e in entries:
        w.writerow([e.id, e.asked_at, e.conversation, e.question, e.answer,
                    "true" if e.grounded else "false", " | ".join(e.sources),
                    "" if e.helpful is None else ("true" if e.helpful else "false")])
    return buf.getvalue()
