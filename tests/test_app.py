"""The Streamlit app driven headless with AppTest: each screen, the chat conventions
(citation links, copy, regenerate, starters, reload, per-session history), confirmations,
errors in the user's language and untrusted strings shown as text."""

import re
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from test_loaders_chunking import MINIMAL_PDF

Q = "展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？"
BEACON = "![b](http://127.0.0.1:9/beacon.png)"


def new_app(monkeypatch, cli_env, **params):
    for k in ("ANPO_HOME", "ANPO_KNOWLEDGE_DIR", "ANPO_EMBEDDER"):
        monkeypatch.setenv(k, cli_env[k])
    monkeypatch.delenv("ANPO_HISTORY_DB", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


@pytest.fixture
def app(monkeypatch, cli_env):
    import streamlit as st
    st.cache_resource.clear()
    return new_app(monkeypatch, cli_env)


def history_store(cli_env):
    from anpo.history import HistoryStore
    return HistoryStore(Path(cli_env["ANPO_HOME"]) / "history.sqlite3")


def ok(at):
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    return at


def go(at, page):
    ok(at)
    lang = "en" if at.session_state["lang_en"] else "ja"    # one menu per language (see app.sidebar)
    return at.sidebar.radio(key=f"page_{lang}").set_value(page).run()


def qp(at, key):
    v = at.query_params[key]
    return v[0] if isinstance(v, list) else v


def texts(at):
    return " ".join(m.value for m in at.markdown)


def plain(label: str) -> str:
    """A label as the user reads it (our labels escape Markdown punctuation)."""
    return re.sub(r"\\(.)", r"\1", label)


def live(markdown: str) -> str:
    """What Streamlit's Markdown could act on: `markdown` without its escaped characters."""
    return re.sub(r"\\.", "", markdown)


def button(at, label):
    return next(b for b in at.button if plain(b.label) == label)


def ask(at, question):
    at.chat_input[0].set_value(question).run()
    return ok(at)


def test_chat_answers_with_linked_citations_feedback_and_follow_ups(app, cli_env):
    ok(app)
    assert any("経済産業省" in i.value for i in app.info)           # the disclaimer
    ask(app, Q)
    text = texts(app)
    assert "green-badge" in text
    link = re.search(r'<a class="anpo-cite" href="#([a-z0-9-]+)"[^>]*>&#91;1&#93;</a>', text)
    assert link, text                                                  # [1] is a link…
    assert f'id="{link.group(1)}"' in text                            # …to the passage of citation 1
    assert re.search(r"<summary>&#91;1&#93; [^<]*スライド3", text)
    assert '<mark class="anpo-hl">展示会に出品する' in text        # the supporting sentence highlighted
    assert any(plain(b.label).endswith("について教えてください。") for b in app.button)
    assert any("回答エンジン: 抽出型" in c.value for c in app.caption)   # the backend label
    entries = history_store(cli_env).search()
    assert [e.question for e in entries] == [Q]
    assert entries[0].owner == f"session:{qp(app, 's')}"
    app.feedback[0].set_value(1).run()
    ok(app)
    assert history_store(cli_env).get(entries[0].id).helpful is True


def test_copy_shows_the_answer_with_its_sources(app):
    ask(app, Q)
    code = [c.value for c in app.code]
    assert code and "貨物の輸出に当たります" in code[0] and "出典:" in code[0]


def test_regenerate_replaces_the_last_answer(app, cli_env):
    ask(app, Q)
    button(app, "再生成").click().run()
    ok(app)
    assert len([m for m in app.chat_message if m.name == "user"]) == 1
    assert any("再生成" in c.value for c in app.caption)
    assert [e.question for e in history_store(cli_env).search()] == [Q]    # the old entry went


def test_starter_questions_on_the_empty_screen(app):
    labels = [plain(b.label) for b in app.button]
    assert "展示会に製品を持って行くのも輸出になる？" in labels
    assert any("アドバイザー" == c.value for c in app.caption)               # grouped by user type
    button(app, "みなし輸出ってなに？").click().run()
    ok(app)
    assert len([m for m in app.chat_message if m.name == "user"]) == 1
    assert "みなし輸出ってなに？" not in [plain(b.label) for b in app.button]       # starters only when empty


def test_follow_up_button_asks_it(app):
    ask(app, Q)
    follow = next(b for b in app.button if plain(b.label).endswith("について教えてください。"))
    follow.click().run()
    ok(app)
    assert len([m for m in app.chat_message if m.name == "user"]) == 2


def test_reload_restores_the_conversation_and_other_sessions_see_nothing(app, monkeypatch, cli_env):
    ask(app, Q)
    s, c = qp(app, "s"), qp(app, "c")
    again = new_app(monkeypatch, cli_env, s=s, c=c)                  # the same URL, a new session
    ok(again)
    assert [m.markdown[0].value for m in again.chat_message if m.name == "user"] == [Q.replace("？", "？")]
    other = new_app(monkeypatch, cli_env, s=uuid.uuid4().hex, c=c)  # someone else with a copied ?c=
    assert not [m for m in other.chat_message if m.name == "user"]
    other = go(other, "history")
    assert not other.dataframe and any("履歴はまだありません" in i.value for i in other.info)


def test_reopen_a_conversation_from_history(app):
    ask(app, Q)
    button(app, "新しい相談を始める").click().run()
    assert not [m for m in app.chat_message if m.name == "user"]
    at = go(app, "history")
    button(at, "この相談を開く").click().run()
    ok(at)
    assert at.sidebar.radio(key="page_ja").value == "chat"
    assert len([m for m in at.chat_message if m.name == "user"]) == 1


def test_untrusted_question_is_shown_as_text(app, cli_env):
    ask(app, f"展示会 {BEACON} <img src=x onerror=alert(1)>")
    shown = [m.value for m in app.markdown if "展示会" in m.value and "beacon" in m.value]
    assert shown and plain(shown[0].replace("  \n", "\n")).startswith(f"展示会 {BEACON}")   # the text, as typed
    for m in app.markdown:
        assert "![" not in live(m.value) and "<img" not in live(m.value) and "](http" not in live(m.value)
    at = go(app, "history")
    assert at.expander and all("![" not in live(e.label) for e in at.expander)
    assert not any("![" in live(m.value) or "<img" in live(m.value) for m in at.markdown)


def test_ungrounded_answer_has_a_badge(app):
    ask(app, "今日の東京の天気は？")
    assert "orange-badge" in texts(app)
    assert app.warning


def test_english_toggle_translates_the_screens(app):
    at = app.sidebar.toggle(key="lang_en").set_value(True).run()
    ok(at)
    assert at.title[0].value == "Export control assistant"
    assert "Is taking a product to a trade show abroad an export?" in [plain(b.label) for b in at.button]
    at = go(at, "knowledge")
    assert at.title[0].value == "Knowledge management"
    at = at.sidebar.toggle(key="lang_en").set_value(False).run()       # the page stays on a switch
    assert at.title[0].value != "Knowledge management" and at.sidebar.radio(key="page_ja").value == "knowledge"
    at = at.sidebar.toggle(key="lang_en").set_value(True).run()
    at.file_uploader[0].set_value(("broken.pdf", b"this is not a pdf", "application/pdf"))
    button(at, "Ingest").click().run()
    assert "not a readable PDF" in at.error[0].value and not re.search(r"[ぁ-んァ-ン一-龥]", at.error[0].value)


def test_lang_attribute_follows_the_switch(app):
    def lang_script(at):
        return " ".join(h.proto.body for h in at.get("html"))
    assert 'document.documentElement.lang = "ja"' in lang_script(app)
    at = app.sidebar.toggle(key="lang_en").set_value(True).run()
    assert 'document.documentElement.lang = "en"' in lang_script(at)


def test_staleness_banner_offers_a_confirmed_rebuild(monkeypatch, cli_env):
    import streamlit as st
    from anpo.service import Assistant
    st.cache_resource.clear()
    monkeypatch.setattr(Assistant, "staleness", lambda self: True, raising=False)
    at = new_app(monkeypatch, cli_env)
    assert any("索引を更新" in w.value for w in at.warning)
    at.button(key="rebuild_stale").click().run()
    assert any("よろしいですか" in w.value for w in at.warning)       # asks first
    calls = []
    monkeypatch.setattr(Assistant, "build_index", lambda self, rebuild=False, progress=None: calls.append(rebuild))
    at.button(key="confirm_rebuild_banner_yes").click().run()
    assert calls == [False]                                           # an update, not a full rebuild


def test_explorer_finds_carbon_fibre_row(app):
    at = go(app, "explorer")
    ok(at)
    at.text_input(key="lc_query").set_value("炭素繊維").run()
    df = at.dataframe[0].value
    assert len(df) == 1
    row = df.iloc[0]
    assert row["項番"] == "5" and row["項目"] == "(18)" and "炭素繊維" in row["製品例"]
    assert row["施行日"] == "2026-02-14" and row["出典"].startswith("https://")
    at = at.selectbox(key="lc_pick").select_index(1).run()
    ok(at)
    assert any("5項" in s.value and "18" in s.value for s in at.subheader)


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
    assert re.search(r"<summary>&#91;1&#93; [^<]*5項", texts(at))
    assert len(at.get("download_button")) == 2


def test_screening_requires_product_and_destination_in_japanese(app):
    at = go(app, "screening")
    at.button[0].click().run()
    assert not at.exception
    assert at.error and at.error[0].value == "品目と仕向地を入力してください。"


def test_bad_upload_shows_a_japanese_reason_and_leaves_sources(app):
    at = go(app, "knowledge")
    before = at.dataframe[0].value.copy()
    assert any("50 MB" in c.value for c in at.caption)                  # our own limit text
    at.file_uploader[0].set_value(("broken.pdf", b"this is not a pdf", "application/pdf"))
    button(at, "取り込む").click().run()
    assert not at.exception
    [err] = at.error
    assert "broken" in err.value and "PDF として読み取れません" in err.value
    assert not re.search(r"[A-Za-z]{4,}", err.value.replace("broken\\.pdf", "")), err.value
    assert at.dataframe[0].value.equals(before)


def test_good_upload_then_confirmed_remove(app):
    at = go(app, "knowledge")
    n0 = len(at.dataframe[0].value)
    at.file_uploader[0].set_value(("memo.pdf", MINIMAL_PDF, "application/pdf"))
    button(at, "取り込む").click().run()
    ok(at)
    assert at.success and "memo" in at.success[0].value
    assert len(at.dataframe[0].value) == n0 + 1
    button(at, "削除する").click().run()
    assert len(at.dataframe[0].value) == n0 + 1                      # not yet: asks first
    button(at, "実行する").click().run()
    ok(at)
    assert len(at.dataframe[0].value) == n0


def test_history_saved_searched_and_deleted_after_confirming(app, cli_env):
    ask(app, Q)
    ask(app, "みなし輸出とは何ですか？")
    at = go(app, "history")
    assert len(at.dataframe[0].value) == 2
    at.text_input(key="history_query").set_value("展示会").run()
    assert len(at.dataframe[0].value) == 1
    assert len(at.get("download_button")) == 2
    at.button(key="history_delete").click().run()
    assert len(history_store(cli_env).search()) == 2                 # asks first
    at.button(key="confirm_delete_yes").click().run()
    ok(at)
    assert [e.question for e in history_store(cli_env).search()] == ["みなし輸出とは何ですか？"]


def test_shared_history_shows_everyone_but_deletes_only_ones_own(app, monkeypatch, cli_env):
    import streamlit as st
    from anpo.models import Answer
    history_store(cli_env).add(Answer("他社の質問です", "回答", False, "extractive"), "c-other", owner="session:other")
    ask(app, Q)
    monkeypatch.setenv("ANPO_SHARED_HISTORY", "1")
    st.cache_resource.clear()
    at = new_app(monkeypatch, cli_env, s=qp(app, "s"))
    at = go(at, "history")
    df = at.dataframe[0].value
    assert len(df) == 2 and set(df["記録者"]) == {"自分", "他の利用者"}
    at.button(key="history_clear").click().run()
    at.button(key="confirm_clear_yes").click().run()
    ok(at)
    assert [e.question for e in history_store(cli_env).search()] == ["他社の質問です"]
    audit = at.expander[-1]
    assert audit.label.startswith("監査ログ") and list(audit.dataframe[0].value["操作"]) == ["clear"]


def drafting_available():
    try:
        from anpo import documents, drafting  # noqa: F401
        return hasattr(drafting, "draft_cp") and hasattr(documents, "handout_docx")
    except ImportError:
        return False


@pytest.mark.skipif(not drafting_available(), reason="the drafting API (anpo.drafting, anpo.documents) is not there yet")
def test_cp_draft_from_the_form(app):
    at = go(app, "cp")
    ok(at)
    at.text_input(key="pf_company_cp").input("株式会社テスト精機")
    at.text_input(key="pf_industry_cp").input("工作機械部品製造")
    at.number_input(key="pf_employees_cp").set_value(60)
    at.text_area(key="pf_products_cp").input("ボールねじ: 位置決め部品")
    button(at, "下書きを作成").click().run()
    ok(at)
    assert "株式会社テスト精機" in texts(at)
    assert {d.label for d in at.get("download_button")} >= {"Markdown (.md)", "Wordでダウンロード（.docx）"}


@pytest.mark.skipif(not drafting_available(), reason="the drafting API (anpo.drafting, anpo.documents) is not there yet")
def test_cp_draft_needs_a_company_in_japanese(app):
    at = go(app, "brief")
    button(at, "下書きを作成").click().run()
    assert not at.exception
    assert at.error and "会社名" in at.error[0].value and "company" not in at.error[0].value


@pytest.mark.skipif(not drafting_available(), reason="the drafting API (anpo.drafting, anpo.documents) is not there yet")
def test_handout_from_a_question_list(app):
    at = go(app, "handout")
    at.file_uploader[0].set_value(("questions.txt", f"# セミナー\n{Q}\nみなし輸出とは何ですか？\n".encode(), "text/plain"))
    at.run()
    button(at, "配布資料を作成").click().run()
    ok(at)
    assert any(d.label == "Wordでダウンロード（.docx）" for d in at.get("download_button"))


def test_an_llm_backend_streams_its_sentences_and_the_answer_is_recorded(monkeypatch, cli_env):
    import streamlit as st
    from anpo import llm
    from anpo.models import Answer
    from anpo.service import Assistant
    st.cache_resource.clear()
    monkeypatch.setenv("ANPO_BACKEND", "openai")
    final = Answer("LLMへの質問", "生成された回答です。", False, "openai")
    monkeypatch.setattr(Assistant, "ask", lambda self, q, k=None, backend=None: final)
    streamed = []

    def stream_from(ask):                 # anpo.llm's contract: sentences, then ask()'s Answer
        for sentence in ("生成された", "回答です。"):
            streamed.append(sentence)
            yield sentence
        yield ask()
    monkeypatch.setattr(llm, "stream_from", stream_from)
    at = new_app(monkeypatch, cli_env)
    ask(at, "LLMへの質問")
    assert streamed == ["生成された", "回答です。"]
    assert "生成された回答です。" in texts(at)
    assert any("大規模言語モデル" in c.value for c in at.main.caption)
    assert any("技術提供" in c.value for c in at.main.caption)        # an outside service: the warning
    assert [e.to_answer().backend for e in history_store(cli_env).search()] == ["openai"]


def has_conversation_memory():
    from anpo import conversation
    return hasattr(conversation, "Conversation")


@pytest.mark.skipif(not has_conversation_memory(), reason="conversation memory (anpo.conversation.Conversation) not there yet")
def test_follow_up_is_read_in_context_even_after_a_reload(app, monkeypatch, cli_env):
    ask(app, "展示会にサンプルを持っていくのも輸出になりますか？")
    ask(app, "じゃあ中国の展示会なら？")
    second = [m for m in app.chat_message if m.name == "assistant"][-1]
    assert re.search(r"（[^）]*として回答）", " ".join(m.value for m in second.markdown)) or "として回答" in texts(app)
    again = new_app(monkeypatch, cli_env, s=qp(app, "s"), c=qp(app, "c"))     # reload: the context comes back
    ask(again, "じゃあタイなら？")
    third = [m for m in again.chat_message if m.name == "assistant"][-1]
    assert "として回答" in " ".join(m.value for m in third.markdown)


def test_with_authentication_configured_everyone_signs_in_first(monkeypatch, cli_env):
    import streamlit as st
    st.cache_resource.clear()
    for k in ("ANPO_HOME", "ANPO_KNOWLEDGE_DIR", "ANPO_EMBEDDER"):
        monkeypatch.setenv(k, cli_env[k])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "anpo", "client_secret": "s", "server_metadata_url": "https://idp.example/.well-known"}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["ログイン"] and not at.chat_input


def test_a_stopped_answer_shows_what_was_streamed_and_offers_regenerate(app):
    ask(app, Q)
    t = app.session_state["turns"][-1]
    t["done"], t["shown"] = False, 6                   # what Stop leaves: six characters shown
    app.run()
    ok(app)
    assert any("表示を停止しました" in c.value for c in app.caption)
    assert any(plain(m.value).startswith(t["answer"].answer[:6] + "…") for m in app.markdown)
    assert not re.search(r'class="anpo-cite"', texts(app))              # no full answer behind it
    assert any(plain(b.label) == "再生成" for b in app.button)


def test_a_setting_that_cannot_load_is_one_japanese_sentence(monkeypatch, cli_env):
    import streamlit as st
    st.cache_resource.clear()
    monkeypatch.setenv("ANPO_TOP_K", "abc")              # Settings.from_env cannot read it
    at = new_app(monkeypatch, cli_env)
    assert not at.exception
    [err] = at.error
    assert "予期しないエラー" in err.value or "処理を完了できません" in err.value or "入力内容" in err.value
    assert not re.search(r"[A-Za-z]{3,}", err.value), err.value


def test_the_real_stream_from_a_stub_llm_server(monkeypatch, cli_env):
    import streamlit as st
    from stub_openai import StubServer
    st.cache_resource.clear()
    with StubServer([{"echo": True}]) as server:
        monkeypatch.setenv("ANPO_BACKEND", "openai")
        monkeypatch.setenv("ANPO_LLM_BASE_URL", server.url)
        monkeypatch.setenv("ANPO_LLM_MODEL", "stub-model")
        monkeypatch.setenv("ANPO_LLM_TIMEOUT", "5")
        at = new_app(monkeypatch, cli_env)
        ask(at, Q)
        assert server.requests and server.requests[0]["body"].get("stream") is True
    assert "green-badge" in texts(at) and 'class="anpo-cite"' in texts(at)
    [entry] = history_store(cli_env).search()
    assert entry.to_answer().backend == "openai" and entry.grounded
    st.cache_resource.clear()


def test_knowledge_and_sidebar_show_no_codes_or_iso_stamps(app):
    """Document kinds read in the UI language (事例, not `case`), the index time without the
    ISO `T`, and the English backend label keeps a space before its bracket."""
    at = go(app, "knowledge")
    kinds = set(at.dataframe[0].value["種類"])
    assert "解説・ガイダンス" in kinds and not kinds & {"guidance", "case", "contact"}, kinds
    captions = [c.value for c in at.sidebar.caption]
    built = next(c for c in captions if c.startswith("索引の作成日時")).replace("\\", "")
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d$", built) and "T" not in built, built
    at = at.sidebar.toggle(key="lang_en").set_value(True).run()
    label = next(c.value for c in at.sidebar.caption if c.value.startswith("Answered by"))
    assert ") (offline" in label, label


def test_an_unusable_index_offers_its_rebuild_on_the_first_screen(monkeypatch, cli_env):
    """The menu is not shown until an index works, so 「ナレッジ管理で再構築」 was a dead end:
    the rebuild button is on the screen that reports the damaged index."""
    import streamlit as st
    from anpo.errors import IndexCorruptError
    from anpo.service import Assistant
    st.cache_resource.clear()
    state = {"broken": True, "calls": []}
    real = Assistant.ensure_index

    def ensure(self, progress=None):
        if state["broken"]:
            raise IndexCorruptError("written with other settings")
        return real(self) if progress is None else real(self, progress)

    def build(self, rebuild=False, progress=None):
        state["calls"].append(rebuild)
        state["broken"] = False
    monkeypatch.setattr(Assistant, "ensure_index", ensure)
    monkeypatch.setattr(Assistant, "build_index", build)
    at = new_app(monkeypatch, cli_env)
    assert any("作り直して" in e.value for e in at.error) and not at.exception
    at.button(key="rebuild_unusable").click().run()
    assert state["calls"] == [True]
    ok(at)
    assert at.sidebar.radio(key="page_ja").value == "chat"        # the app is usable again


def test_history_shows_times_as_people_write_them(app):
    ask(app, Q)
    at = go(app, "history")
    stamp = list(at.dataframe[0].value["日時"])[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", stamp), stamp
    assert all("T" not in e.label.replace("\\", "")[:20] for e in at.expander)
