"""anpo.history: answers and feedback in SQLite, per owner, migrated by name, searched with
FTS5 trigram (or LIKE where SQLite lacks it), exported in full and deleted."""

import csv
import io
import json
import sqlite3
from contextlib import closing
from datetime import datetime

import pytest

from anpo import history
from anpo.history import HistoryStore, answer_from_dict, default_history_path, to_csv, to_markdown, write_csv
from anpo.models import Answer, Citation

CIT = Citation(1, "test-basics", "test-basics#0001", "輸出管理の基本", "スライド3 貨物の輸出", "展示会に出品する…",
               url="https://www.meti.go.jp/", effective_date="2026-02-14", highlight=((0, 5),))
A1 = Answer("展示会への持ち出しは輸出ですか？", "はい。 [1]", True, "extractive", (CIT,), knowledge_as_of="2026-02-14")
A2 = Answer("今日の天気は？", "お答えできません。", False, "extractive")
A3 = Answer("みなし輸出とは何ですか？", "居住者への特定類型の技術提供です。", True, "extractive")


@pytest.fixture(params=[True, False], ids=["fts-trigram", "like-fallback"])
def store(request, tmp_path):
    s = HistoryStore(tmp_path / "h.sqlite3", fts=request.param)
    assert s.uses_fts is request.param
    return s


def test_store_is_lazy_and_uses_settings_path(tmp_path, settings):
    store = HistoryStore(tmp_path / "sub" / "h.sqlite3")
    assert not (tmp_path / "sub").exists()
    assert store.search() == []
    assert (tmp_path / "sub" / "h.sqlite3").exists()
    assert default_history_path(settings) == settings.home / "history.sqlite3"
    assert default_history_path(settings.with_(history_db=tmp_path / "x.db")) == tmp_path / "x.db"


def test_migrations_are_named_applied_once_and_in_order(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.search()
    names = [n for n, _ in history.MIGRATIONS]
    assert store.migrations() == names and names == sorted(names)
    again = HistoryStore(tmp_path / "h.sqlite3")
    again.add(A1, "c1")
    assert again.migrations() == names            # nothing re-applied


def test_a_file_from_before_migrations_keeps_its_rows(tmp_path):
    path = tmp_path / "old.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:   # the schema the app wrote before migrations
        history.m001_initial(db, False)
        db.execute("INSERT INTO entries (conversation, asked_at, question, answer, grounded, answer_json) "
                   "VALUES ('c0', '2026-11-01T10:00:00', ?, ?, 1, ?)",
                   (A1.question, A1.answer, json.dumps(A1.to_dict(), ensure_ascii=False)))
    store = HistoryStore(path)
    [old] = store.search("展示会")                      # searchable after m003 backfilled its text
    assert old.owner == "" and old.to_answer() == A1
    assert store.search("展示会", owner="session:x") == []   # nobody's but the shared view's


def test_add_get_roundtrip_and_feedback(store):
    i1 = store.add(A1, "conv-1", asked_at=datetime(2026, 11, 23, 10, 0), owner="session:a")
    i2 = store.add(A2, "conv-1", owner="session:a")
    e = store.get(i1)
    assert e.question == A1.question and e.grounded and e.helpful is None and e.owner == "session:a"
    assert e.sources == ("[1] 輸出管理の基本 — スライド3 貨物の輸出（2026-02-14）",)
    assert e.to_answer() == A1
    assert answer_from_dict(A2.to_dict()) == A2
    store.set_feedback(i1, True)
    store.set_feedback(i2, False)
    store.set_feedback(i2, True)          # changing one's mind replaces the rating
    store.set_feedback(999, True)         # unknown ids are ignored
    store.set_feedback(i1, False, owner="session:b")   # someone else's entry: ignored
    assert store.get(i1).helpful is True and store.feedback_counts() == (2, 0)
    assert store.feedback_counts(owner="session:b") == (0, 0)


def test_search_is_width_insensitive_and_newest_first(store):
    store.add(A1, "c1")
    store.add(A2, "c2")
    store.add(A3, "c3")
    assert [e.question for e in store.search()] == [A3.question, A2.question, A1.question]
    assert [e.question for e in store.search("展示会")] == [A1.question]
    assert [e.question for e in store.search("持ち出し")] == [A1.question]          # 4 characters: the FTS path
    assert [e.question for e in store.search("輸出管理の基本")] == [A1.question]   # source titles too
    assert [e.question for e in store.search("ＥＸＴＲＡ")] == []
    assert [e.question for e in store.search("特定類型")] == [A3.question]
    assert [e.question for e in store.search("みなし　輸出")] == [A3.question]     # every word, full-width space
    assert store.search("展示会 天気") == []
    assert store.search("100%") == [] and store.search('"') == []                 # no SQL/FTS syntax leaks
    assert len(store.search(conversation="c2")) == 1
    assert store.count("輸出") == 2


def test_owners_see_export_and_delete_only_their_own(store):
    mine = store.add(A1, "c1", owner="session:a")
    theirs = store.add(A2, "c2", owner="session:b")
    assert [e.id for e in store.search(owner="session:a")] == [mine]
    assert [e.id for e in store.search(owner="session:b")] == [theirs]
    assert len(store.search()) == 2                       # the shared (admin) view
    assert store.delete(theirs, owner="session:a") is False and store.get(theirs) is not None
    assert store.clear(owner="session:a") == 1
    assert [e.id for e in store.search()] == [theirs]
    assert store.delete_conversation("c2", owner="session:a") == 0
    log = store.audit_log()
    assert [(actor, action) for _, actor, action, _ in log] == [("session:a", "clear")]


def test_conversations_reopen_in_order(store):
    store.add(A1, "c1", owner="u")
    store.add(A3, "c1", owner="u")
    store.add(A2, "c2", owner="u")
    store.add(A2, "c9", owner="other")
    convs = store.conversations(owner="u")
    assert [(c.conversation, c.first_question, c.turns) for c in convs] == [("c2", A2.question, 1),
                                                                          ("c1", A1.question, 2)]
    assert [e.question for e in store.conversation_entries("c1", owner="u")] == [A1.question, A3.question]
    assert store.conversation_entries("c9", owner="u") == []


def test_export_streams_every_row_past_a_thousand(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.add(Answer("質問", "回答", True, "extractive"), "c", owner="u")
    row = store._exec("SELECT conversation, asked_at, question, answer, grounded, answer_json, owner, search_text "
                      "FROM entries")[0][0]
    with closing(sqlite3.connect(tmp_path / "h.sqlite3")) as db, db:     # 1,202 more in one transaction
        db.executemany("INSERT INTO entries (conversation, asked_at, question, answer, grounded, answer_json, owner, "
                       "search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [row] * 1202)
    buf = io.StringIO()
    assert write_csv(store.iter_entries(owner="u"), buf) == 1203
    assert len(list(csv.reader(io.StringIO(buf.getvalue())))) == 1204
    assert store.count(owner="u") == 1203
    assert len(store.search(owner="u", limit=None)) == 1203
    assert to_markdown(store.iter_entries(owner="u")).count("## ") == 1203


def test_exports(store):
    i = store.add(A1, "c1")
    store.set_feedback(i, False)
    store.add(A2, "c1")
    entries = store.search()
    md = to_markdown(entries)
    assert "# anpo 相談履歴" in md and A1.question in md and "[1] 輸出管理の基本" in md
    assert "対象外" in md and "評価: 👎" in md and "件数: 2" in md
    rows = list(csv.DictReader(io.StringIO(to_csv(entries))))
    assert [r["question"] for r in rows] == [A2.question, A1.question]
    assert rows[1]["helpful"] == "false" and rows[0]["helpful"] == "" and rows[0]["grounded"] == "false"


def test_delete_and_clear(store):
    i1 = store.add(A1, "c1")
    store.set_feedback(i1, True)
    store.add(A2, "c2")
    store.add(A2, "c2")
    assert store.delete(i1) is True and store.delete(i1) is False
    assert store.feedback_counts() == (0, 0)       # its feedback went with it
    assert store.search("展示会") == []              # and its search text
    assert store.delete_conversation("c2") == 2
    store.add(A1, "c3")
    assert store.clear() == 1 and store.search() == []


def test_without_trigram_sqlite_falls_back_to_like(tmp_path, monkeypatch):
    monkeypatch.setattr(history, "trigram_available", lambda: False)
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.add(A1, "c1")
    assert store.uses_fts is False
    assert [e.question for e in store.search("持ち出し")] == [A1.question]


def test_trigram_is_used_where_sqlite_has_it(tmp_path):
    if not history.trigram_available():
        pytest.skip("this SQLite has no FTS5 trigram tokenizer")
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.add(A1, "c1")
    assert store.uses_fts is True
    with closing(sqlite3.connect(tmp_path / "h.sqlite3")) as db:
        plan = " ".join(str(r) for r in db.execute(
            "EXPLAIN QUERY PLAN SELECT rowid FROM entries_fts WHERE entries_fts MATCH '\"持ち出し\"'"))
    assert "VIRTUAL TABLE" in plan


def test_unusable_file_is_an_anpo_error(tmp_path):
    from anpo.errors import AnpoError
    (tmp_path / "dir.sqlite3").mkdir()
    with pytest.raises(AnpoError):
        HistoryStore(tmp_path / "dir.sqlite3").search()


def test_sessions_opening_a_new_file_at_once_migrate_it_once(tmp_path):
    import threading
    for trial in range(5):
        path, errors = tmp_path / f"h{trial}.sqlite3", []

        def first_use(i):
            try:
                HistoryStore(path).add(Answer(f"質問{i}", "回答", True, "extractive"), "c", owner="o")
            except Exception as e:   # noqa: BLE001 - collected and asserted below
                errors.append(e)
        threads = [threading.Thread(target=first_use, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert HistoryStore(path).count() == 8
        assert HistoryStore(path).migrations() == [n for n, _ in history.MIGRATIONS]
