import pytest

from anpo.errors import IndexCorruptError
from anpo.service import Assistant
from retrieval.embeddings import HashEmbedder


class CountingEmbedder(HashEmbedder):
    def __init__(self):
        super().__init__()
        self.seen = 0

    def embed(self, texts):
        self.seen += len(texts)
        return super().embed(texts)


def test_index_is_built_once_and_refreshed_only_for_changed_docs(settings, knowledge):
    emb = CountingEmbedder()
    a = Assistant(settings, embedder=emb)
    first = a.build_index()
    assert first.rebuilt and emb.seen == first.total_chunks
    emb.seen = 0
    again = a.build_index()
    assert not again.changed and emb.seen == 0
    doc = knowledge / "docs" / "deemed.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n## スライド5 追記\n追加の説明文です。\n", encoding="utf-8")
    third = a.build_index()
    assert third.updated == ["test-deemed"] and third.added == [] and third.removed == []
    assert emb.seen == 3          # only the changed document's chunks were embedded
    assert a.ask("追加の説明文").grounded


def test_stale_knowledge_triggers_refresh_on_use(settings, knowledge):
    a = Assistant(settings)
    a.ensure_index()
    (knowledge / "docs" / "new.md").write_text("---\nid: test-new\ntitle: 新しい資料\n---\n## 節1\n輸出管理責任者を置きます。\n", encoding="utf-8")
    index = a.ensure_index()
    assert "test-new" in index.manifest["docs"]


def test_corrupt_index_is_reported_and_rebuild_repairs_it(settings):
    a = Assistant(settings)
    a.ensure_index()
    gen = a.manager.current_dir()
    (gen / "chunks.jsonl").write_text("{not json", encoding="utf-8")
    b = Assistant(settings)
    with pytest.raises(IndexCorruptError):
        b.manager.load()
    b.build_index(rebuild=True)
    assert b.ask("展示会への持ち出しは輸出？").grounded


def test_pointer_to_missing_generation_is_corrupt(settings):
    a = Assistant(settings)
    a.ensure_index()
    a.manager.pointer.write_text("gen-missing", encoding="utf-8")
    with pytest.raises(IndexCorruptError):
        Assistant(settings).manager.load()
