"""Conversation history and answer feedback, kept in one local SQLite file.

The app records every question it answers (with the full answer object) and the
「この回答は役に立ちましたか」 feedback; people can search, export (Markdown / CSV) and
delete what they recorded.  Each entry has an **owner** (a browser session or a signed-in
user): the app reads, exports and deletes one owner's entries; an administrator may turn
on a shared history (`ANPO_SHARED_HISTORY=1`) in which everyone reads every entry, still
deletes only their own, and every deletion and export is written to an audit table.

The schema grows by named migrations (`MIGRATIONS`, applied in order and recorded in
`_migrations`, as in simonw/llm).  Search uses SQLite FTS5 with the `trigram` tokenizer,
which suits Japanese (no spaces between words); words shorter than three characters, and
SQLite builds without FTS5 trigram, fall back to LIKE over the same normalised text.
Exports iterate over every row (no cap).  One short connection per call (WAL mode), so the
store is safe to share between Streamlit sessions (threads) and processes.
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
from typing import Callable, Iterable, Iterator, Sequence, TextIO

from anpo.errors import AnpoError
from anpo.models import Answer, Citation
from retrieval.textnorm import normalize


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
    owner: str = ""                  # "session:<id>", "user:<email>", "" (recorded before owners existed)

    def to_answer(self) -> Answer:
        return answer_from_dict(json.loads(self.answer_json))


@dataclass(frozen=True)
class ConversationSummary:
    conversation: str
    started_at: str
    last_at: str
    first_question: str
    turns: int


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


def _sources_of(answer_json: str) -> tuple[str, ...]:
    try:
        cits = json.loads(answer_json).get("citations", [])
    except ValueError:
        cits = []
    return tuple(source_label(Citation(**{**c, "highlight": ()})) for c in cits)


def _search_text(question: str, answer: str, sources: Sequence[str]) -> str:
    return normalize(" ".join((question, answer, *sources)))


# -- migrations ------------------------------------------------------------------

Migration = Callable[[sqlite3.Connection, bool], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register `fn` as the next migration; its name is recorded once it has run."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: sqlite3.Connection, fts: bool) -> None:
    # IF NOT EXISTS: files written before migrations existed already have these tables
    db.execute("""CREATE TABLE IF NOT EXISTS entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation TEXT NOT NULL,
        asked_at TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        grounded INTEGER NOT NULL,
        answer_json TEXT NOT NULL)""")
    db.execute("CREATE INDEX IF NOT EXISTS entries_conversation ON entries(conversation)")
    db.execute("""CREATE TABLE IF NOT EXISTS feedback (
        entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        helpful INTEGER NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        rated_at TEXT NOT NULL)""")


@migration
def m002_owner(db: sqlite3.Connection, fts: bool) -> None:
    db.execute("ALTER TABLE entries ADD COLUMN owner TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX entries_owner ON entries(owner, id)")


@migration
def m003_search_text(db: sqlite3.Connection, fts: bool) -> None:
    db.execute("ALTER TABLE entries ADD COLUMN search_text TEXT NOT NULL DEFAULT ''")
    rows = db.execute("SELECT id, question, answer, answer_json FROM entries").fetchall()
    for eid, q, a, aj in rows:
        db.execute("UPDATE entries SET search_text = ? WHERE id = ?", (_search_text(q, a, _sources_of(aj)), eid))


@migration
def m004_fts_trigram(db: sqlite3.Connection, fts: bool) -> None:
    if not fts:
        return          # searches use LIKE over search_text
    db.execute("CREATE VIRTUAL TABLE entries_fts USING fts5(search_text, content='entries', content_rowid='id', "
               "tokenize='trigram')")
    db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")
    db.execute("""CREATE TRIGGER entries_fts_ai AFTER INSERT ON entries BEGIN
        INSERT INTO entries_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""")
    db.execute("""CREATE TRIGGER entries_fts_ad AFTER DELETE ON entries BEGIN
        INSERT INTO entries_fts(entries_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    END""")


@migration
def m005_audit(db: sqlite3.Connection, fts: bool) -> None:
    db.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, "
               "action TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '')")


def trigram_available() -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer (3.34+ built with FTS5)."""
    try:
        with closing(sqlite3.connect(":memory:")) as db:
            db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        return True
    except sqlite3.Error:
        return False


def migrate(db: sqlite3.Connection, fts: bool) -> list[str]:
    """Apply the migrations not yet recorded in `_migrations`, in order; their names.  Each
    runs in its own write transaction that first checks it is still needed, so sessions or
    processes opening a new file at the same moment apply each migration exactly once."""
    before, db.isolation_level = db.isolation_level, None      # we issue BEGIN/COMMIT ourselves
    try:
        db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = []
        for name, fn in MIGRATIONS:
            db.execute("BEGIN IMMEDIATE")
            try:
                if not db.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                    fn(db, fts)
                    db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                               (name, datetime.now().isoformat(timespec="seconds")))
                    applied.append(name)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return applied
    finally:
        db.isolation_level = before


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class HistoryStore:
    """Questions, answers and feedback in SQLite.  Cheap to construct; the file (and its
    folder) is created and migrated on the first call that needs it.

    `owner=None` on a read means every owner (the shared history, or an administrator);
    writes that remove things take the acting owner and touch only that owner's rows."""

    def __init__(self, path: Path, fts: bool | None = None):
        self.path = Path(path)
        self._want_fts = fts              # None: use FTS5 trigram when this SQLite has it
        self._ready = False
        self._fts = False

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
                _set_wal(conn)
                migrate(conn, trigram_available() if self._want_fts is None else self._want_fts)
                self._fts = self._want_fts is not False and bool(conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'entries_fts'").fetchall())
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

    @property
    def uses_fts(self) -> bool:
        self._connect().close()
        return self._fts

    def migrations(self) -> list[str]:
        return [r[0] for r in self._exec("SELECT name FROM _migrations ORDER BY rowid")[0]]

    # -- writing --------------------------------------------------------------
    def add(self, answer: Answer, conversation: str, asked_at: datetime | None = None, owner: str = "") -> int:
        """Record one answered question for `owner`; returns its entry id."""
        when = (asked_at or datetime.now()).isoformat(timespec="seconds")
        aj = json.dumps(answer.to_dict(), ensure_ascii=False)
        search = _search_text(answer.question, answer.answer, _sources_of(aj))
        _, rowid, _ = self._exec(
            "INSERT INTO entries (conversation, asked_at, question, answer, grounded, answer_json, owner, search_text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (conversation, when, answer.question, answer.answer, int(answer.grounded), aj, owner, search))
        return int(rowid)

    def set_feedback(self, entry_id: int, helpful: bool, comment: str = "", owner: str | None = None) -> None:
        """Record (or change) whether an answer helped.  Unknown ids, and with `owner`
        other owners' entries, are ignored."""
        e = self.get(entry_id)
        if e is None or (owner is not None and e.owner != owner):
            return
        self._exec("INSERT INTO feedback (entry_id, helpful, comment, rated_at) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT(entry_id) DO UPDATE SET helpful=excluded.helpful, comment=excluded.comment, "
                   "rated_at=excluded.rated_at",
                   (entry_id, int(helpful), comment, datetime.now().isoformat(timespec="seconds")))

    def _delete_where(self, where: str, args: Sequence, owner: str | None, action: str, detail: str) -> int:
        if owner is not None:
            where += " AND owner = ?"
            args = (*args, owner)
        with closing(self._connect()) as conn:
            try:
                with conn:
                    n = conn.execute(f"DELETE FROM entries WHERE {where}", tuple(args)).rowcount
                    if n:
                        self._audit_in(conn, owner or "admin", action, f"{detail} ({n})")
                    return n
            except sqlite3.Error as e:
                raise AnpoError(f"the history file {self.path} cannot be used ({e})") from e

    def delete(self, entry_id: int, owner: str | None = None) -> bool:
        """Delete one entry (only `owner`'s, when given)."""
        return self._delete_where("id = ?", (entry_id,), owner, "delete", f"entry {entry_id}") > 0

    def delete_conversation(self, conversation: str, owner: str | None = None) -> int:
        return self._delete_where("conversation = ?", (conversation,), owner, "delete_conversation", conversation)

    def clear(self, owner: str | None = None) -> int:
        """Delete every entry of `owner` (every entry at all when None)."""
        return self._delete_where("1 = 1", (), owner, "clear", "all")

    @staticmethod
    def _audit_in(conn: sqlite3.Connection, actor: str, action: str, detail: str) -> None:
        conn.execute("INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)",
                     (datetime.now().isoformat(timespec="seconds"), actor, action, detail))

    def audit(self, actor: str, action: str, detail: str = "") -> None:
        """Record an action on the history (e.g. an export) in the audit table."""
        with closing(self._connect()) as conn, conn:
            self._audit_in(conn, actor, action, detail)

    def audit_log(self) -> list[tuple[str, str, str, str]]:
        """(at, actor, action, detail), oldest first."""
        return [tuple(r) for r in self._exec("SELECT at, actor, action, detail FROM audit ORDER BY id")[0]]

    # -- reading --------------------------------------------------------------
    _SELECT = ("SELECT e.id, e.conversation, e.asked_at, e.question, e.answer, e.grounded, e.answer_json, "
               "f.helpful, e.owner FROM entries e LEFT JOIN feedback f ON f.entry_id = e.id")

    @staticmethod
    def _entry(row: tuple) -> HistoryEntry:
        eid, conv, when, q, a, grounded, aj, helpful, owner = row
        return HistoryEntry(eid, conv, when, q, a, bool(grounded), _sources_of(aj),
                            None if helpful is None else bool(helpful), aj, owner)

    def get(self, entry_id: int) -> HistoryEntry | None:
        rows = self._exec(self._SELECT + " WHERE e.id = ?", (entry_id,))[0]
        return self._entry(rows[0]) if rows else None

    def _where(self, query: str, conversation: str | None, owner: str | None) -> tuple[str, list]:
        self._connect().close()        # migrated, FTS known
        clauses, args = [], []
        if owner is not None:
            clauses.append("e.owner = ?")
            args.append(owner)
        if conversation:
            clauses.append("e.conversation = ?")
            args.append(conversation)
        for w in (w for w in normalize(query or "").split(" ") if w):
            if self._fts and len(w) >= 3:      # a trigram index needs three characters
                clauses.append("e.id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
                args.append('"' + w.replace('"', '""') + '"')
            else:
                clauses.append("e.search_text LIKE ? ESCAPE '\\'")
                args.append(_like(w))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    def iter_entries(self, query: str = "", conversation: str | None = None, owner: str | None = None,
                     oldest_first: bool = False) -> Iterator[HistoryEntry]:
        """Every matching entry, newest first, read row by row (exports use this: no cap).
        Every word of `query` must occur in the question, the answer or a source title
        (NFKC, case- and width-insensitive)."""
        where, args = self._where(query, conversation, owner)
        sql = self._SELECT + where + (" ORDER BY e.id" if oldest_first else " ORDER BY e.id DESC")
        with closing(self._connect()) as conn:
            try:
                for row in conn.execute(sql, args):
                    yield self._entry(row)
            except sqlite3.Error as e:
                raise AnpoError(f"the history file {self.path} cannot be used ({e})") from e

    def search(self, query: str = "", conversation: str | None = None, limit: int | None = 1000,
               owner: str | None = None) -> list[HistoryEntry]:
        """Matching entries newest first, at most `limit` (None: all); `count` tells how
        many there are in all, so a screen can say when it shows fewer."""
        out = []
        for e in self.iter_entries(query, conversation, owner):
            if limit is not None and len(out) >= limit:
                break
            out.append(e)
        return out

    def count(self, query: str = "", conversation: str | None = None, owner: str | None = None) -> int:
        where, args = self._where(query, conversation, owner)
        return int(self._exec("SELECT COUNT(*) FROM entries e" + where, args)[0][0][0])

    def conversation_entries(self, conversation: str, owner: str | None = None) -> list[HistoryEntry]:
        """One conversation's turns, oldest first (to reopen it)."""
        return list(self.iter_entries(conversation=conversation, owner=owner, oldest_first=True))

    def conversations(self, owner: str | None = None, limit: int = 50) -> list[ConversationSummary]:
        """The most recent conversations, newest first, with their first question."""
        where, args = ("WHERE owner = ?", [owner]) if owner is not None else ("", [])
        rows = self._exec(
            f"SELECT conversation, MIN(asked_at), MAX(asked_at), COUNT(*), MIN(id), MAX(id) FROM entries {where} "
            "GROUP BY conversation ORDER BY MAX(id) DESC LIMIT ?", (*args, limit))[0]
        out = []
        for conv, first, last, n, first_id, _ in rows:
            q = self._exec("SELECT question FROM entries WHERE id = ?", (first_id,))[0][0][0]
            out.append(ConversationSummary(conv, first, last, q, int(n)))
        return out

    def feedback_counts(self, owner: str | None = None) -> tuple[int, int]:
        """(helpful, not helpful) over the rated answers (of `owner`, when given)."""
        sql = ("SELECT COALESCE(SUM(f.helpful), 0), COUNT(*) - COALESCE(SUM(f.helpful), 0) "
               "FROM feedback f JOIN entries e ON e.id = f.entry_id")
        rows = self._exec(sql + (" WHERE e.owner = ?" if owner is not None else ""),
                          (owner,) if owner is not None else ())[0]
        return int(rows[0][0]), int(rows[0][1])


# -- exports -------------------------------------------------------------------

def _rating(e: HistoryEntry) -> str:
    return {True: "👍", False: "👎", None: ""}[e.helpful]


def to_markdown(entries: Iterable[HistoryEntry], title: str = "anpo 相談履歴") -> str:
    body, n = [], 0
    for e in entries:
        n += 1
        body += [f"## {e.asked_at}　{e.question}", ""]
        if not e.grounded:
            body += ["> ⚠ ナレッジベースの対象外（出典なし）", ""]
        body += [e.answer, ""]
        if e.sources:
            body += ["出典:", *[f"- {s}" for s in e.sources], ""]
        if e.helpful is not None:
            body += [f"評価: {_rating(e)}", ""]
    out = [f"# {title}", "", f"件数: {n}", "", *body]
    out += ["---", "回答は公開資料に基づく参考情報です。最終的な判断は経済産業省にご確認ください。", ""]
    return "\n".join(out)


CSV_HEADER = ["id", "asked_at", "conversation", "question", "answer", "grounded", "sources", "helpful"]


def write_csv(entries: Iterable[HistoryEntry], out: TextIO) -> int:
    """Write every entry as a CSV row to `out`, one at a time; the number of rows."""
    w = csv.writer(out)
    w.writerow(CSV_HEADER)
    n = 0
    for e in entries:
        w.writerow([e.id, e.asked_at, e.conversation, e.question, e.answer,
                    "true" if e.grounded else "false", " | ".join(e.sources),
                    "" if e.helpful is None else ("true" if e.helpful else "false")])
        n += 1
    return n


def to_csv(entries: Iterable[HistoryEntry]) -> str:
    buf = io.StringIO()
    write_csv(entries, buf)
    return buf.getvalue()


def _set_wal(conn: sqlite3.Connection, tries: int = 100) -> None:
    """Switch to WAL.  Changing the journal mode can fail at once with 'database is locked'
    (SQLite does not always wait on its busy timeout for it) when many sessions open a new
    file together, so it is retried briefly."""
    import time
    for i in range(tries):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or i == tries - 1:
                raise
            time.sleep(0.05)
