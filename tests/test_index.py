"""The index service in one process: what a build writes, incremental vectors when dense
retrieval is on, staleness without rebuilding, damaged files refused in one sentence."""

import json
import os
import shutil

import pytest

from anpo.errors import BadInputError, IndexCorruptError
from anpo.service import Assistant
from retrieval.embeddings import HashEmbedder


class CountingEmbedder(HashEmbedder):
    def __init__(self):
        super().__init__()
        self.seen = 0

    def embed(self, texts):
        self.seen += len(texts)
        return super().embed(texts)


def test_default_build_embeds_nothing_and_writes_no_vector_store(settings):
    emb = CountingEmbedder()
    a = Assistant(settings, embedder=emb)
    report = a.build_index()
    gen = a.ensure_index().gen_dir
    assert report.rebuilt and report.total_chunks > 0 and emb.seen == 0
    assert not (gen / "chroma").exists() and not (gen / "vectors.json").exists()
    assert a.ask("展示会への持ち出しは輸出？").grounded


def test_dense_vectors_are_built_per_changed_document(settings, knowledge):
    emb = CountingEmbedder()
    a = Assistant(settings.with_(dense_weight=0.3), embedder=emb)
    first = a.build_index()
    assert first.rebuilt and emb.seen == first.total_chunks == first.embedded_chunks
    emb.seen = 0
    again = a.build_index()
    assert not again.changed and emb.seen == 0
    doc = knowledge / "docs" / "deemed.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n## スライド5 追記\n追加の説明文です。\n", encoding="utf-8")
    third = a.build_index()
    assert third.updated == ["test-deemed"] and third.added == [] and third.removed == []
    assert emb.seen == 3          # only the changed document's chunks were embedded
    index = a.ensure_index()
    assert json.loads((index.gen_dir / "vectors.json").read_text())["count"] == index.manifest["total_chunks"]
    ans = a.ask("追加の説明文")
    assert ans.grounded
    assert any(h.dense_rank for h in a.retriever().retrieve("追加の説明文", 5))


def test_dense_without_vectors_serves_bm25_and_says_so(settings):
    a = Assistant(settings)
    a.build_index()                              # BM25 only
    b = Assistant(settings.with_(dense_weight=0.3), embedder=CountingEmbedder())
    assert b.ask("展示会への持ち出しは輸出？").grounded
    assert "BM25" in b.staleness()
    assert b.build_index().embedded_chunks == b.ensure_index().manifest["total_chunks"]
    assert b.staleness() is None


def test_vectors_that_do_not_match_the_chunks_are_refused(settings):
    dense = settings.with_(dense_weight=0.3)
    a = Assistant(dense)
    a.build_index()
    shutil.rmtree(a.ensure_index().gen_dir / "chroma")
    with pytest.raises(IndexCorruptError, match="vector store"):
        Assistant(dense).ask("展示会への持ち出しは輸出？")
    assert Assistant(dense).build_index().embedded_chunks > 0   # the next build heals it
    assert Assistant(dense).ask("展示会への持ち出しは輸出？").grounded


def test_stale_sources_are_served_not_rebuilt_on_ask(settings, knowledge):
    a = Assistant(settings)
    gen = a.ensure_index().gen_dir
    (knowledge / "docs" / "new.md").write_text("---\nid: test-new\ntitle: 新しい資料\n---\n## 節1\n輸出管理責任者を置きます。\n",
                                               encoding="utf-8")
    b = Assistant(settings)
    b.ask("展示会への持ち出しは輸出？")
    assert b.ensure_index().gen_dir == gen and "test-new" not in b.ensure_index().manifest["docs"]
    assert "追加 1" in b.staleness()
    b.build_index()
    assert "test-new" in b.ensure_index().manifest["docs"] and b.staleness() is None


def test_moved_or_relative_knowledge_dir_does_not_rebuild(settings, knowledge, tmp_path, monkeypatch):
    a = Assistant(settings)
    gen = a.ensure_index().gen_dir
    moved = tmp_path / "elsewhere" / "pack"
    shutil.copytree(knowledge, moved)            # new mtimes and paths, same content
    shutil.rmtree(knowledge)
    monkeypatch.chdir(tmp_path / "elsewhere")
    b = Assistant(settings.with_(knowledge_dir=type(knowledge)("pack")))
    assert b.staleness() is None
    assert b.build_index().changed is False
    assert b.ensure_index().gen_dir == gen
    assert b.sources()[0].path.startswith("pack/")


def test_one_unreadable_knowledge_file_is_skipped_with_a_warning(settings, knowledge):
    (knowledge / "docs" / "broken.md").write_text("---\ntitle: [unclosed\n---\n本文\n", encoding="utf-8")
    warnings = []
    a = Assistant(settings)
    a.notify = warnings.append
    report = a.build_index()
    assert any("broken.md" in w for w in report.warnings) and any("broken.md" in w for w in warnings)
    assert a.ask("展示会への持ち出しは輸出？").grounded
    assert a.staleness() is None                 # a skipped file does not make the index stale
    assert Assistant(settings).build_index().changed is False


def test_corrupt_chunks_are_refused_and_rebuild_repairs(settings):
    a = Assistant(settings)
    gen = a.ensure_index().gen_dir
    (gen / "chunks.jsonl").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="rebuild"):
        Assistant(settings).ensure_index()
    b = Assistant(settings)
    b.build_index(rebuild=True)
    assert b.ask("展示会への持ち出しは輸出？").grounded


@pytest.mark.parametrize("damage", ["garbage", "missing-gen", "directory", "deleted"])
def test_damaged_pointer_serves_the_newest_generation_and_says_so(settings, damage):
    a = Assistant(settings)
    gen = a.ensure_index().gen_dir
    pointer = a.manager.pointer
    if damage == "garbage":
        pointer.write_bytes(b"\x00\xff garbage")
    elif damage == "missing-gen":
        pointer.write_text("gen-missing", encoding="utf-8")
    elif damage == "directory":
        pointer.unlink()
        pointer.mkdir()
    else:
        pointer.unlink()
    b = Assistant(settings)
    assert b.ensure_index().gen_dir == gen
    assert b.ask("展示会への持ち出しは輸出？").grounded
    assert "CURRENT" in b.staleness()
    if damage == "directory":
        pointer.rmdir()
    b.build_index()
    assert a.manager.current_dir() is not None and Assistant(settings).staleness() is None


def test_bm25_file_with_other_parameters_is_refused(settings):
    a = Assistant(settings)
    gen = a.ensure_index().gen_dir
    meta = json.loads((gen / "bm25.json").read_text(encoding="utf-8"))
    (gen / "bm25.json").write_text(json.dumps({**meta, "k1": 2.0}), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match=r"k1=2\.0.*anpo index --rebuild"):
        Assistant(settings).ensure_index()


def test_truncated_bm25_file_is_one_sentence(settings):
    a = Assistant(settings)
    gen = a.ensure_index().gen_dir
    data = (gen / "bm25.npz").read_bytes()
    (gen / "bm25.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexCorruptError, match="damaged"):
        Assistant(settings).ensure_index()


def test_same_name_uploads_are_both_kept(settings, tmp_path):
    a = Assistant(settings)
    a.ensure_index()
    one, two = tmp_path / "a" / "memo.md", tmp_path / "b" / "memo.md"
    for p, word in ((one, "第一の社内メモ。展示会の持ち出し手順。"), (two, "第二の社内メモ。該非判定の記録方法。")):
        p.parent.mkdir()
        p.write_text(f"# メモ\n\n{word}\n", encoding="utf-8")
    r1 = a.ingest([one])[0]
    r2 = a.ingest([two])[0]
    assert r1.doc_id != r2.doc_id
    names = sorted(p.name for p in settings.uploads_dir.iterdir() if p.is_file())
    assert len(names) == 2 and all(n.endswith("-memo.md") for n in names)
    again = a.ingest([one])[0]                   # the same content again is the same upload
    assert again.doc_id == r1.doc_id and len([p for p in settings.uploads_dir.iterdir() if p.is_file()]) == 2


def test_an_upload_named_dot_dot_is_refused_in_one_sentence(settings):
    from anpo.errors import SourceUnreadableError
    a = Assistant(settings)
    a.ensure_index()
    with pytest.raises(SourceUnreadableError, match="unsupported type"):
        a.ingest_bytes("..", "# 資料\n\n本文。\n".encode())
    assert not settings.uploads_dir.exists() or not any(settings.uploads_dir.iterdir())


@pytest.mark.parametrize("name", ["README.md", "../../etc/x.md", "あ" * 300 + ".md", ".hidden.md"])
def test_hostile_upload_names_are_stored_safely(settings, name):
    a = Assistant(settings)
    a.ensure_index()
    res = a.ingest_bytes(name, f"# 名前の試験\n\n{name[:10]} の資料です。輸出管理の手順。\n".encode())
    stored = [p for p in settings.uploads_dir.iterdir() if p.is_file()]
    assert len(stored) == 1 and len(stored[0].name.encode()) <= 150 and stored[0].parent == settings.uploads_dir
    assert res.doc_id in a.ensure_index().manifest["docs"]
    assert not (settings.home / "staging").exists()


def test_failed_ingest_leaves_nothing_behind(settings, tmp_path):
    a = Assistant(settings)
    gen = a.ensure_index().gen_dir
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text("# よい資料\n\n本文です。\n", encoding="utf-8")
    bad.write_text("", encoding="utf-8")
    with pytest.raises(BadInputError):
        a.ingest([good, bad])
    assert a.ensure_index().gen_dir == gen
    assert not settings.uploads_dir.exists() or not any(settings.uploads_dir.iterdir())


def test_remove_deletes_the_upload_and_its_chunks(settings, tmp_path):
    a = Assistant(settings)
    p = tmp_path / "memo.md"
    p.write_text("# メモ\n\n削除される社内メモ。\n", encoding="utf-8")
    r = a.ingest([p])[0]
    a.remove(r.doc_id)
    assert r.doc_id not in a.ensure_index().manifest["docs"]
    assert not any(f.is_file() for f in settings.uploads_dir.iterdir())
    with pytest.raises(BadInputError):
        a.remove("test-basics")


def test_old_generations_are_collected_but_the_last_two_kept(settings, knowledge):
    a = Assistant(settings)
    a.ensure_index()
    doc = knowledge / "docs" / "deemed.md"
    for i in range(4):
        doc.write_text(doc.read_text(encoding="utf-8") + f"\n## 追記{i}\n変更{i}。\n", encoding="utf-8")
        a.build_index()
    assert len(a.manager.generations()) == 2


def test_a_reader_keeps_its_generation_alive(settings, knowledge):
    a = Assistant(settings)
    held = a.ensure_index()                       # holds a shared lock on its generation
    doc = knowledge / "docs" / "deemed.md"
    b = Assistant(settings)
    for i in range(3):
        doc.write_text(doc.read_text(encoding="utf-8") + f"\n## 追記{i}\n変更{i}。\n", encoding="utf-8")
        b.build_index()
    assert held.gen_dir.is_dir() and len(b.manager.generations()) == 3
    del held, a
    import gc
    gc.collect()
    doc.write_text(doc.read_text(encoding="utf-8") + "\n## 最後\n最後の変更。\n", encoding="utf-8")
    b.build_index()
    assert len(b.manager.generations()) == 2


def test_settings_that_are_not_numbers_name_the_variable(monkeypatch):
    from anpo.settings import Settings
    monkeypatch.setenv("ANPO_MAX_FILE_MB", "abc")
    with pytest.raises(BadInputError, match="ANPO_MAX_FILE_MB"):
        Settings.from_env()


def test_audit_log_records_answers_without_upload_content_and_rotates(settings, tmp_path):
    log = tmp_path / "audit" / "audit.jsonl"
    a = Assistant(settings.with_(audit_log=str(log)))
    p = tmp_path / "secret.md"
    p.write_text("# 社内\n\n極秘の顧客名ゼータ工業との取引条件。\n", encoding="utf-8")
    a.ingest([p])
    a.audit.max_bytes = 2000
    for _ in range(6):
        a.ask("展示会への持ち出しは輸出？")
    rows = [json.loads(l) for f in sorted(log.parent.iterdir()) for l in f.read_text(encoding="utf-8").splitlines()]
    assert rows and {"time", "question", "answer", "citations", "backend", "generation"} <= set(rows[0])
    assert rows[0]["generation"] == a.ensure_index().gen_dir.name
    assert all(set(c) == {"n", "doc_id", "locator"} for r in rows for c in r["citations"])   # never passage text
    assert len(list(log.parent.iterdir())) > 1          # rotated
    assert "ゼータ工業" not in "".join(f.read_text(encoding="utf-8") for f in log.parent.iterdir())


def test_audit_log_can_be_turned_off(settings):
    a = Assistant(settings.with_(audit_log="off"))
    a.ask("展示会への持ち出しは輸出？")
    assert not (settings.home / "audit.jsonl").exists()
    Assistant(settings).ask("展示会への持ち出しは輸出？")
    assert (settings.home / "audit.jsonl").exists()


def test_an_upload_adds_to_the_keyword_index_as_a_fresh_build_would(settings, tmp_path):
    import numpy as np
    from retrieval.keyword import BM25Index
    a = Assistant(settings)
    a.ensure_index()
    p = tmp_path / "memo.md"
    p.write_text("# 社内メモ\n\n炭素繊維の展示会サンプルは該非判定の後に持ち出す。\n", encoding="utf-8")
    a.ingest([p])
    index = a.ensure_index()
    fresh = BM25Index([c.search_text for c in index.chunks])
    for q in ("炭素繊維 展示会", "該非判定", "みなし輸出", "リスト規制"):
        assert np.allclose(index.bm25.scores(q), fresh.scores(q), atol=1e-5)
    assert set(index.bm25.vocab) == set(fresh.vocab)


def test_an_index_from_another_version_is_rebuilt_on_first_use(settings):
    a = Assistant(settings)
    gen = a.ensure_index().gen_dir
    m = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    (gen / "manifest.json").write_text(json.dumps({**m, "version": 1}), encoding="utf-8")
    b = Assistant(settings)
    assert b.ask("展示会への持ち出しは輸出？").grounded
    assert b.ensure_index().gen_dir != gen


def test_no_module_under_retrieval_imports_anpo():
    import ast
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "retrieval"
    offenders = []
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n == "anpo" or n.startswith("anpo.")]
    assert offenders == []
