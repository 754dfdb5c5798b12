"""anpo.history: answers and feedback in SQLite, searched, exported and deleted."""

import csv
import io
from datetime import datetime

from anpo.history import HistoryStore, answer_from_dict, default_history_path, to_csv, to_markdown
from anpo.models import Answer, Citation

CIT = Citation(1, "test-basics", "test-basics#0001", "輸出管理の基本", "スライド3 貨物の輸出", "展示会に出品する…",
               url="https://www.meti.go.jp/", effective_date="2026-02-14", highlight=((0, 5),))
A1 = Answer("展示会への持ち出しは輸出ですか？", "はい。 [1]", True, "extractive", (CIT,), knowledge_as_of="2026-02-14")
A2 = Answer("今日の天気は？", "お答えできません。", False, "extractive")


def test_store_is_lazy_and_uses_settings_path(tmp_path, settings):
    store = HistoryStore(tmp_path / "sub" / "h.sqlite3")
    assert not (tmp_path / "sub").exists()
    assert store.search() == []
    assert (tmp_path / "sub" / "h.sqlite3").exists()
    assert default_history_path(settings) == settings.home / "history.sqlite3"
    assert default_history_path(settings.with_(history_db=tmp_path / "x.db")) == tmp_path / "x.db"


def test_add_get_roundtrip_and_feedback(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    i1 = store.add(A1, "conv-1", asked_at=datetime(2026, 11, 23, 10, 0))
    i2 = store.add(A2, "conv-1")
    e = store.get(i1)
    assert e.question == A1.question and e.grounded and e.helpful is None
    assert e.sources == ("[1] 輸出管理の基本 — スライド3 貨物の輸出（2026-02-14）",)
    assert e.to_answer() == A1
    assert answer_from_dict(A2.to_dict()) == A2
    store.set_feedback(i1, True)
    store.set_feedback(i2, False)
    store.set_feedback(i2, True)          # changing one's mind replaces the rating
    store.set_feedback(999, True)         # unknown ids are ignored
    assert store.get(i1).helpful is True and store.feedback_counts() == (2, 0)


def test_search_is_width_insensitive_and_newest_first(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.add(A1, "c1")
    store.add(A2, "c2")
    assert [e.question for e in store.search()] == [A2.question, A1.question]
    assert [e.question for e in store.search("展示会")] == [A1.question]
    assert [e.question for e in store.search("輸出管理の基本")] == [A1.question]   # source titles too
    assert store.search("展示会 天気") == []
    assert len(store.search(conversation="c2")) == 1


def test_exports(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    i = store.add(A1, "c1")
    store.set_feedback(i, False)
    store.add(A2, "c1")
    entries = store.search()
    md = to_markdown(entries)
    assert "# anpo 相談履歴" in md and A1.question in md and "[1] 輸出管理の基本" in md
    assert "対象外" in md and "評価: 👎" in md
    rows = list(csv.DictReader(io.StringIO(to_csv(entries))))
    assert [r["question"] for r in rows] == [A2.question, A1.question]
    assert rows[1]["helpful"] == "false" and rows[0]["helpful"] == "" and rows[0]["grounded"] == "false"


def test_delete_and_clear(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    i1 = store.add(A1, "c1")
    store.set_feedback(i1, True)
    store.add(A2, "c2")
    store.add(A2, "c2")
    assert store.delete(i1) is True and store.delete(i1) is False
    assert store.feedback_counts() == (0, 0)       # its feedback went with it
    assert store.delete_conversation("c2") == 2
    store.add(A1, "c3")
    assert store.clear() == 1 and store.search() == []


def test_unusable_file_is_an_anpo_error(tmp_path):
    import pytest
    from anpo.errors import AnpoError
    (tmp_path / "dir.sqlite3").mkdir()
    with pytest.raises(AnpoError):
        HistoryStore(tmp_path / "dir.sqlite3").search()
