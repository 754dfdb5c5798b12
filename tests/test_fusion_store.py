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


# -- the Chroma server (slow: starts `chroma run`; skipped with the reason when it cannot start)
@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    import shutil
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        pytest.skip("the `chroma` command is not installed in this environment")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([str(exe), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**__import__("os").environ, "ANONYMIZED_TELEMETRY": "False"})
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.skip(f"`chroma run` exited with code {proc.returncode} before serving")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.skip("`chroma run` did not start listening within 60 s")
    yield port
    proc.terminate()
    proc.wait(timeout=30)
    shutil.rmtree(data, ignore_errors=True)


@pytest.mark.slow
def test_store_contract_on_the_chroma_server(chroma_server):
    s = ChromaStore(host="127.0.0.1", port=chroma_server, collection="contract_test")
    s.delete_docs(["d1", "d2"])
    test_store_contract_add_search_delete_count(s)
    s.delete_docs(["d1", "d2"])
    test_store_contract_empty_search(s)
    s.close()


@pytest.mark.slow
def test_dense_index_on_the_chroma_server_is_incremental(chroma_server, settings, knowledge):
    from anpo.service import Assistant
    dense = settings.with_(dense_weight=0.3, store="chroma-http", chroma_port=chroma_server)
    a = Assistant(dense)
    first = a.build_index()
    assert first.embedded_chunks == first.total_chunks
    doc = knowledge / "docs" / "deemed.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n## スライド5 追記\n追加の説明文です。\n", encoding="utf-8")
    again = a.build_index()
    assert again.updated == ["test-deemed"] and again.embedded_chunks < again.total_chunks
    assert a.ask("追加の説明文").grounded
    assert any(h.dense_rank for h in a.retriever().retrieve("追加の説明文", 5))
