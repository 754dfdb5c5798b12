import numpy as np
import pytest

from retrieval.fusion import rrf
from retrieval.store import ChromaStore, MemoryStore


def test_rrf_weights_and_order():
    fused = rrf([(["a", "b", "c"], 1.0), (["c", "a"], 0.5)], k=60)
    ids = [i for i, _ in fused]
    assert ids[0] == "a" and set(ids) == {"a", "b", "c"}
    assert rrf([(["x"], 1.0), (["y"], 0.0)]) == [("x", 1 / 61)]


@pytest.fixture(params=["memory", "chroma"])
def store(request, tmp_path):
    if request.param == "memory":
        yield MemoryStore()
    else:
        s = ChromaStore(path=tmp_path / "chroma")
        yield s
        s.close()


def _unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_store_contract_add_search_delete_count(store):
    vecs = np.stack([_unit([1, 0, 0]), _unit([0, 1, 0]), _unit([1, 1, 0])])
    store.add(["d1#1", "d2#1", "d2#2"], vecs, ["d1", "d2", "d2"])
    assert store.count() == 3
    hits = store.search(_unit([1, 0.1, 0]), 2)
    assert hits[0][0] == "d1#1" and len(hits) == 2
    assert hits[0][1] >= hits[1][1]
    store.delete_docs(["d2"])
    assert store.count() == 1
    assert [h[0] for h in store.search(_unit([0, 1, 0]), 5)] == ["d1#1"]


def test_store_contract_empty_search(store):
    assert store.search(_unit([1, 0, 0]), 3) == []
