"""The Streamlit app driven headless with AppTest."""

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT


@pytest.fixture
def app(monkeypatch, cli_env):
    for k in ("ANPO_HOME", "ANPO_KNOWLEDGE_DIR", "ANPO_EMBEDDER"):
        monkeypatch.setenv(k, cli_env[k])
    import streamlit as st
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    return at.run()


def test_chat_answers_with_citations(app):
    assert not app.exception
    app.chat_input[0].set_value("展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "[1]" in text
    labels = [e.label for e in app.expander]
    assert any(l.startswith("[1]") and "スライド3" in l for l in labels)
