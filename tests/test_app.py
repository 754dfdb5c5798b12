"""The Streamlit app driven headless with AppTest: one test per page."""

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from test_loaders_chunking import MINIMAL_PDF

Q = "展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？"


@pytest.fixture
def app(monkeypatch, cli_env):
    for k in ("ANPO_HOME", "ANPO_KNOWLEDGE_DIR", "ANPO_EMBEDDER"):
        monkeypatch.setenv(k, cli_env[k])
    monkeypatch.delenv("ANPO_HISTORY_DB", raising=False)
    import streamlit as st
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    return at.run()


def history_store(cli_env):
    from pathlib import Path
    from anpo.history import HistoryStore
    return HistoryStore(Path(cli_env["ANPO_HOME"]) / "history.sqlite3")


def go(at, page):
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    return at.sidebar.radio(key="page").set_value(page).run()


def texts(at):
    return " ".join(m.value for m in at.markdown)


def test_chat_answers_with_citations_feedback_and_follow_ups(app, cli_env):
    assert not app.exception
    assert any("経済産業省" in i.value for i in app.info)           # the disclaimer
    app.chat_input[0].set_value(Q).run()
    assert not app.exception
    text = texts(app)
    assert "[1]" in text and "green-badge" in text
    labels = [e.label for e in app.expander]
    assert any(l.startswith("[1]") and "スライド3" in l for l in labels)
    assert '<mark class="anpo-hl">展示会に出品する' in text        # the supporting sentence highlighted
    assert any(b.label.endswith("について教えてください。") for b in app.button)
    entries = history_store(cli_env).search()
    assert [e.question for e in entries] == [Q]
    app.feedback[0].set_value(1).run()
    assert not app.exception
    assert history_store(cli_env).get(entries[0].id).helpful is True


def test_follow_up_button_asks_it(app):
    app.chat_input[0].set_value(Q).run()
    follow = next(b for b in app.button if b.label.endswith("について教えてください。"))
    follow.click().run()
    assert not app.exception
    assert len([m for m in app.chat_message if m.name == "user"]) == 2


def test_ungrounded_answer_has_a_badge(app):
    app.chat_input[0].set_value("今日の東京の天気は？").run()
    assert not app.exception
    assert "orange-badge" in texts(app)
    assert app.warning


def test_english_toggle(app):
    app.sidebar.toggle(key="lang_en").set_value(True).run()
    assert not app.exception
    assert app.title[0].value == "Export control assistant"


def test_explorer_finds_carbon_fibre_row(app):
    at = go(app, "explorer")
    assert not at.exception
    at.text_input(key="lc_query").set_value("炭素繊維").run()
    df = at.dataframe[0].value
    assert len(df) == 1
    row = df.iloc[0]
    assert row["項番"] == "5" and row["項目"] == "(18)" and "炭素繊維" in row["製品例"]
    assert row["施行日"] == "2026-02-14" and row["出典"].startswith("https://")
    at = at.selectbox(key="lc_pick").select_index(1).run()
    assert not at.exception
    assert any("5項(18)" in s.value for s in at.subheader)


def test_screening_flags_and_exports(app):
    at = go(app, "screening")
    at.text_input(key="deal_product").input("炭素繊維のプリプレグ")
    at.text_input(key="deal_destination").input("イラン")
    at.text_area(key="deal_use").input("軍の研究所へ再販")
    at.button[0].click().run()
    assert not at.exception
    heads = [s.value for s in at.subheader]
    assert any("要注意" in h and "リスト規制" in h for h in heads)
    assert any("要注意" in h and "キャッチオール" in h for h in heads)
    assert any("不明" in h and "仕向地" in h for h in heads)    # no destination table in the fixture pack
    assert any(e.label.startswith("[1]") and "5項(18)" in e.label for e in at.expander)
    assert len(at.get("download_button")) == 2


def test_screening_requires_product_and_destination(app):
    at = go(app, "screening")
    at.button[0].click().run()
    assert not at.exception
    assert at.error and "品目と仕向地" in at.error[0].value


def test_bad_upload_shows_error_and_leaves_sources(app):
    at = go(app, "knowledge")
    before = at.dataframe[0].value.copy()
    at.file_uploader[0].set_value(("broken.pdf", b"this is not a pdf", "application/pdf"))
    next(b for b in at.button if b.label == "取り込む").click().run()
    assert not at.exception
    assert any("broken.pdf" in e.value for e in at.error)
    assert at.dataframe[0].value.equals(before)


def test_good_upload_then_remove(app):
    at = go(app, "knowledge")
    n0 = len(at.dataframe[0].value)
    at.file_uploader[0].set_value(("memo.pdf", MINIMAL_PDF, "application/pdf"))
    next(b for b in at.button if b.label == "取り込む").click().run()
    assert not at.exception
    assert at.success and "memo.pdf" in at.success[0].value
    assert len(at.dataframe[0].value) == n0 + 1
    next(b for b in at.button if b.label == "削除する").click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == n0


def test_history_saved_searched_exported_deleted(app, cli_env):
    app.chat_input[0].set_value(Q).run()
    app.chat_input[0].set_value("みなし輸出とは何ですか？").run()
    at = go(app, "history")
    assert not at.exception
    assert len(at.dataframe[0].value) == 2
    at.text_input(key="history_query").set_value("展示会").run()
    assert len(at.dataframe[0].value) == 1
    assert len(at.get("download_button")) == 2
    next(b for b in at.button if b.label == "選んだ履歴を削除").click().run()
    assert not at.exception
    assert [e.question for e in history_store(cli_env).search()] == ["みなし輸出とは何ですか？"]


def drafting_available():
    try:
        from anpo import documents, drafting  # noqa: F401
        return hasattr(drafting, "draft_cp") and hasattr(documents, "handout_docx")
    except ImportError:
        return False


@pytest.mark.skipif(not drafting_available(), reason="the drafting API (anpo.drafting, anpo.documents) is not there yet")
def test_cp_draft_from_the_form(app):
    at = go(app, "cp")
    assert not at.exception
    at.text_input(key="pf_company_cp").input("株式会社テスト精機")
    at.text_input(key="pf_industry_cp").input("工作機械部品製造")
    at.number_input(key="pf_employees_cp").set_value(60)
    at.text_area(key="pf_products_cp").input("ボールねじ: 位置決め部品")
    next(b for b in at.button if b.label == "下書きを作成").click().run()
    assert not at.exception and not at.error
    assert "株式会社テスト精機" in texts(at)
    assert {d.label for d in at.get("download_button")} >= {"Markdown (.md)", "Wordでダウンロード（.docx）"}


@pytest.mark.skipif(not drafting_available(), reason="the drafting API (anpo.drafting, anpo.documents) is not there yet")
def test_cp_draft_needs_a_company(app):
    at = go(app, "brief")
    next(b for b in at.button if b.label == "下書きを作成").click().run()
    assert not at.exception
    assert at.error and "company" in at.error[0].value


@pytest.mark.skipif(not drafting_available(), reason="the drafting API (anpo.drafting, anpo.documents) is not there yet")
def test_handout_from_a_question_list(app):
    at = go(app, "handout")
    at.file_uploader[0].set_value(("questions.txt", f"# セミナー\n{Q}\nみなし輸出とは何ですか？\n".encode(), "text/plain"))
    at.run()
    next(b for b in at.button if b.label == "配布資料を作成").click().run()
    assert not at.exception and not at.error
    assert any(d.label == "Wordでダウンロード（.docx）" for d in at.get("download_button"))
