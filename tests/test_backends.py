"""The LLM backends driven through the REAL langchain-openai client against a scripted
OpenAI-compatible stub on 127.0.0.1 (tests/stub_openai.py): good answers are kept,
invented 項番 and flipped negations are dropped, bad markers, malformed replies, refused
connections and hangs fall back to the extractive answer with a note."""

from __future__ import annotations

import socket
import time

import pytest

from anpo.answering import Support, assess, check_citations, finalize
from anpo.backends import get_backend, ollama_model
from anpo.errors import BackendUnavailableError, UnknownBackendError
from anpo.llm import NOTES, LLMBackend, build_messages, load_prompt, TASKS
from anpo.settings import Settings
from retrieval.types import Chunk, Hit
from stub_openai import StubServer

pytest.importorskip("langchain_openai")

ROW = "リスト規制一覧（令和8年2月14日施行）2項（原子力）の(17) ガス遠心分離機ロータ用構造材料。主な製品例: 炭素繊維。"
LICENSING = ("リスト規制品などの貨物の輸出に必要な経済産業大臣の許可は、外国為替及び外国貿易法（外為法）第48条第1項に基づく輸出許可です。\n"
             "どの貨物をどの地域に輸出するときに外為法第48条第1項の許可が必要かは、輸出貿易管理令（輸出令）で定められています。")
QUESTION = "炭素繊維を輸出するとき、許可は必要ですか？"

GOOD = ("はい。炭素繊維はリスト規制の2項(17)に当たる可能性があります [1]。"
        "リスト規制品の輸出には、外為法第48条第1項に基づく経済産業大臣の許可が必要です [2]。")
INVENTED = GOOD + "炭素繊維は16項(99)に該当します [1]。"
FLIPPED = GOOD + "リスト規制品の輸出に経済産業大臣の許可は不要になりました [2]。"
BAD_MARKERS = "はい。炭素繊維はリスト規制の2項(17)に当たる可能性があります [7]。"


def _chunk(cid, title, locator, text, fields=()):
    return Chunk(chunk_id=cid, doc_id=cid.split("#")[0], title=title, locator=locator, text=text,
                 search_text=text, embed_text=text, fields=fields)


HITS = [
    Hit(_chunk("list-control-2026#0038", "リスト規制一覧（項番1〜15）", "リスト規制一覧 2項(17)", ROW,
               (("kouban", "2"), ("item_no", "(17)"))), 1.0, 1),
    Hit(_chunk("licensing#0001", "輸出許可・役務取引許可の種類と手続き", "貨物の輸出許可の根拠", LICENSING), 0.9, 2),
]
SUPPORT = assess(QUESTION, HITS, idf=lambda t: 1.0)
CHUNKS = {h.chunk.chunk_id: h.chunk for h in HITS}


def _settings(url="", timeout=2.0, model="stub-model"):
    return Settings.from_env().with_(backend="openai", llm_base_url=url, llm_model=model, llm_timeout=timeout)


def _ask(server_url, timeout=2.0, stream=False):
    be = get_backend("openai", _settings(server_url, timeout))
    if stream:
        items = list(be.stream(QUESTION, HITS, SUPPORT))
        return items[-1], [x for x in items if isinstance(x, str)]
    return be.answer(QUESTION, HITS, SUPPORT), []


def _answer(draft):
    ans = finalize(QUESTION, "openai", draft, HITS, notes=draft.notes)
    assert check_citations(ans, CHUNKS.get) == []
    return ans


def extractive_note(kind):
    return NOTES[kind][0]


@pytest.mark.parametrize("stream", [False, True])
def test_good_answer_is_kept_whole(stream):
    with StubServer([{"content": GOOD}]) as s:
        draft, shown = _ask(s.url, stream=stream)
    assert draft.text.splitlines() == ["はい。", "炭素繊維はリスト規制の2項(17)に当たる可能性があります [1]。",
                                       "リスト規制品の輸出には、外為法第48条第1項に基づく経済産業大臣の許可が必要です [2]。"]
    assert draft.notes == ()
    assert draft.highlights[1] == ((0, len(ROW)),)        # the row it rests on
    if stream:
        assert shown == draft.text.splitlines()
    ans = _answer(draft)
    assert ans.grounded and [c.chunk_id for c in ans.citations] == ["list-control-2026#0038", "licensing#0001"]
    req = s.requests[0]
    assert req["path"] == "/v1/chat/completions" and req["body"]["model"] == "stub-model"
    sent = "\n".join(m["content"] for m in req["body"]["messages"])
    assert QUESTION in sent and "[1] リスト規制一覧" in sent and ROW in sent


@pytest.mark.parametrize("stream", [False, True])
def test_invented_kouban_is_dropped_with_a_note(stream):
    with StubServer([{"content": INVENTED}]) as s:
        draft, shown = _ask(s.url, stream=stream)
    assert "16項(99)" not in draft.text and "2項(17)" in draft.text
    assert len(draft.notes) == 1 and "16項(99)" in draft.notes[0] and "資料にない" in draft.notes[0]
    assert not any("16項" in x for x in shown)
    _answer(draft)


@pytest.mark.parametrize("stream", [False, True])
def test_flipped_negation_is_dropped_with_a_note(stream):
    with StubServer([{"content": FLIPPED}]) as s:
        draft, _ = _ask(s.url, stream=stream)
    assert "不要" not in draft.text and "許可が必要です [2]" in draft.text
    assert "否定・肯定が資料と逆" in draft.notes[0]


@pytest.mark.parametrize("stream", [False, True])
def test_bad_markers_fall_back_to_the_extractive_answer(stream):
    with StubServer([{"content": BAD_MARKERS}]) as s:
        draft, shown = _ask(s.url, stream=stream)
    assert draft.notes[-1] == extractive_note("markers")
    assert "[7]" not in draft.text and "炭素繊維" in draft.text
    if stream:
        assert shown and all("[7]" not in x for x in shown)
    _answer(draft)


def test_unsupported_lead_falls_back():
    reply = "炭素繊維は輸出規制の対象外です [1]。リスト規制品の輸出には許可が必要です [2]。"
    with StubServer([{"content": reply}]) as s:
        draft, _ = _ask(s.url)
    assert draft.notes[-1] == extractive_note("lead") and "対象外です" not in draft.text


def test_yes_lead_that_contradicts_the_next_sentence_falls_back():
    reply = "いいえ。リスト規制品の輸出には、外為法第48条第1項に基づく経済産業大臣の許可が必要です [2]。"
    with StubServer([{"content": reply}]) as s:
        draft, _ = _ask(s.url)
    assert draft.notes[-1] == extractive_note("lead")


@pytest.mark.parametrize("stream", [False, True])
def test_malformed_reply_falls_back(stream):
    with StubServer([{"malformed": True}]) as s:
        draft, _ = _ask(s.url, stream=stream)
    assert draft.notes == (extractive_note("malformed"),) or draft.notes[-1] == extractive_note("malformed")
    _answer(draft)


def test_http_error_falls_back():
    with StubServer([{"status": 500}]) as s:
        draft, _ = _ask(s.url)
    assert draft.notes[-1] == extractive_note("malformed")


def test_refused_connection_falls_back():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()                                   # nothing listens there now
    draft, _ = _ask(f"http://127.0.0.1:{port}/v1")
    assert draft.notes[-1] == extractive_note("unreachable")
    _answer(draft)


@pytest.mark.parametrize("stream", [False, True])
def test_a_hang_past_the_timeout_falls_back_without_waiting(stream):
    with StubServer([{"hang": 30}]) as s:
        t0 = time.monotonic()
        draft, _ = _ask(s.url, timeout=1.0, stream=stream)
        elapsed = time.monotonic() - t0
    assert draft.notes[-1] == extractive_note("timeout")
    assert elapsed < 1.0 + 5            # generous margin; the stub would hang 30 s
    _answer(draft)


def test_wall_clock_guard_holds_even_when_the_client_never_returns():
    class Stuck:
        def invoke(self, messages):
            time.sleep(30)

    be = LLMBackend("openai", lambda: Stuck(), timeout=0.3)
    t0 = time.monotonic()
    draft = be.answer(QUESTION, HITS, SUPPORT)
    assert time.monotonic() - t0 < 5
    assert draft.notes[-1] == extractive_note("timeout")


def test_english_question_uses_the_english_prompt_and_notes():
    reply = "Yes. Carbon fibre may fall under item 2 (17) of the list control (2項) [1]."
    support = Support(SUPPORT.terms, SUPPORT.term_tokens, SUPPORT.weights, SUPPORT.coverage, 1.0, True)
    with StubServer([{"content": reply}]) as s:
        be = get_backend("openai", _settings(s.url))
        draft = be.answer("Do I need a licence to export carbon fibre?", HITS, support)
    assert "item 2 (17)" in draft.text
    assert any("figures, item numbers" in n for n in draft.notes)    # lenient check said so
    assert "Answer in English" in s.requests[0]["body"]["messages"][0]["content"]


def test_ollama_backend_through_the_real_client_against_a_stub():
    pytest.importorskip("langchain_ollama")
    with StubServer([{"content": GOOD}]) as s:
        st = Settings.from_env().with_(llm_base_url=s.root, llm_model="qwen-stub", llm_timeout=2.0)
        be = get_backend("ollama", st)
        draft = be.answer(QUESTION, HITS, SUPPORT)
    assert be.name == "ollama" and draft.notes == () and "2項(17)" in draft.text
    assert s.requests[0]["path"] == "/api/chat" and s.requests[0]["body"]["model"] == "qwen-stub"


def test_ollama_factory_uses_the_settings():
    pytest.importorskip("langchain_ollama")
    st = Settings.from_env().with_(llm_base_url="http://10.0.0.5:11434", llm_model="m1", llm_timeout=7.0)
    m = ollama_model(st)
    assert m.model == "m1" and m.base_url == "http://10.0.0.5:11434" and m.client_kwargs["timeout"] == 7.0


def test_openai_model_uses_the_settings_and_no_retries():
    be = get_backend("openai", _settings("http://127.0.0.1:9/v1", timeout=3.0, model="m2"))
    m = be.model()
    assert m.model_name == "m2" and m.max_retries == 0 and m.request_timeout == 3.0
    assert str(m.openai_api_base).startswith("http://127.0.0.1:9/v1")


def test_settings_and_registry():
    with pytest.raises(UnknownBackendError, match="extractive, ollama, openai"):
        get_backend("gpt", Settings.from_env())
    with pytest.raises(BackendUnavailableError, match="ANPO_LLM_MODEL"):
        get_backend("openai", _settings("http://127.0.0.1:9/v1", model=""))
    with pytest.raises(BackendUnavailableError, match="ANPO_LLM_BASE_URL"):
        get_backend("openai", Settings.from_env().with_(llm_model="m", llm_base_url="", llm_api_key=""))


def test_llm_timeout_setting(monkeypatch):
    monkeypatch.setenv("ANPO_LLM_TIMEOUT", "4.5")
    assert Settings.from_env().llm_timeout == 4.5
    monkeypatch.delenv("ANPO_LLM_TIMEOUT")
    assert Settings.from_env().llm_timeout == 30.0


def test_every_prompt_file_exists_and_formats():
    fields = {"question": "Q", "analysis": "A", "passages": "P", "history": "H", "deal": "D"}
    for task in TASKS:
        system, user = load_prompt(task)
        assert system and user
        out = user.format(**fields)
        assert "{" not in out
    msgs = build_messages(QUESTION, HITS, english=False)
    assert msgs[0][0] == "system" and "[2] 輸出許可" in msgs[1][1] and QUESTION in msgs[1][1]


def _openai_assistant(settings, url):
    from anpo.service import Assistant
    from conftest import TODAY
    st = settings.with_(llm_base_url=url, llm_model="stub-model", llm_timeout=2.0)
    a = Assistant(st, today=TODAY)
    a.ensure_index()
    return a


def test_stream_answer_yields_checked_sentences_then_the_final_answer(settings):
    from anpo.llm import stream_answer
    with StubServer([{"echo": True}]) as s:
        a = _openai_assistant(settings, s.url)
        items = list(stream_answer(a, "展示会に製品を持ち出すのも輸出ですか？", backend="openai"))
    *sentences, final = items
    assert sentences and all(isinstance(x, str) for x in sentences)
    assert final.backend == "openai" and final.grounded and final.notes == ()
    assert a.check(final) == []
    for x in sentences:                         # streamed text is the final text, numbered alike
        assert x in final.answer
    assert s.requests[0]["body"].get("stream") is True


def test_stream_answer_falls_back_with_a_note_through_the_pipeline(settings):
    from anpo.llm import stream_answer
    with StubServer([{"content": "はい。展示会への持ち出しは16項(99)に該当します [1]。"}]) as s:
        a = _openai_assistant(settings, s.url)
        *sentences, final = list(stream_answer(a, "展示会に製品を持ち出すのも輸出ですか？", backend="openai"))
    assert "16項(99)" not in final.answer and not any("16項(99)" in x for x in sentences)
    assert extractive_note("lead") in final.notes
    assert a.check(final) == []


def test_stream_answer_with_the_extractive_backend_yields_only_the_answer(settings):
    from anpo.llm import stream_answer
    from anpo.service import Assistant
    a = Assistant(settings)
    items = list(stream_answer(a, "炭素繊維は何項？"))
    assert len(items) == 1 and items[0].backend == "extractive"


def test_ask_through_the_pipeline_keeps_the_claim_checker_notes(settings):
    """The pipeline passes the backend's notes (drops, fallbacks) through to the answer."""
    with StubServer([{"content": "展示会への持ち出しは16項(99)に該当します [1]。"}]) as s:
        a = _openai_assistant(settings, s.url)
        ans = a.ask("展示会に製品を持ち出すのも輸出ですか？", backend="openai")
    assert "16項(99)" not in ans.answer and ans.grounded
    assert extractive_note("lead") in ans.notes
    assert a.check(ans) == []


def test_anpo_eval_and_ask_run_through_an_openai_compatible_endpoint(tmp_path):
    """`anpo eval --backend openai` and `anpo ask --backend openai` against any endpoint (here
    the stub, answering faithfully from passage [1]); the contract holds."""
    import json
    import os
    import subprocess
    from conftest import anpo_bin
    with StubServer([{"echo": True}]) as s:
        env = dict(os.environ, ANPO_HOME=str(tmp_path / "home"), ANPO_EMBEDDER="hash",
                   ANPO_LLM_BASE_URL=s.url, ANPO_LLM_MODEL="stub-model", ANPO_LLM_TIMEOUT="5")
        env.pop("ANPO_KNOWLEDGE_DIR", None)
        r = subprocess.run([anpo_bin(), "eval", "--set", "smoke", "--json", "--backend", "openai"], env=env,
                           capture_output=True, text=True, timeout=600)
        ask = subprocess.run([anpo_bin(), "ask", "展示会に製品を持ち出すのも輸出ですか？", "--json", "--backend", "openai"],
                             env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["smoke"]["overall"]["citation_validity"] == 100.0
    assert len(s.requests) >= 2                      # the questions really went to the endpoint
    assert ask.returncode == 0, ask.stderr
    ans = json.loads(ask.stdout)
    assert ans["backend"] == "openai" and ans["grounded"] and ans["citations"]


def test_a_stream_that_keeps_coming_is_not_cut_but_one_that_stalls_is():
    """Streaming: the timeout applies between pieces; a stall after the first sentences keeps
    what was checked and says the reply stopped."""
    class Slow:
        def __init__(self, gaps):
            self.gaps = gaps

        def stream(self, messages):
            parts = ["炭素繊維はリスト規制の2項(17)に当たる可能性があります [1]。",
                     "リスト規制品の輸出には、外為法第48条第1項に基づく経済産業大臣の許可が必要です [2]。", ""]
            for gap, part in zip(self.gaps, parts):
                time.sleep(gap)
                yield part

    steady = LLMBackend("openai", lambda: Slow([0.2, 0.2, 0.2]), timeout=0.5)
    items = list(steady.stream(QUESTION, HITS, SUPPORT))
    assert items[-1].notes == () and len(items[-1].text.splitlines()) == 2   # 0.6 s in all > timeout
    stalled = LLMBackend("openai", lambda: Slow([0.0, 0.0, 5.0]), timeout=0.5)
    draft = list(stalled.stream(QUESTION, HITS, SUPPORT))[-1]
    assert draft.notes == (NOTES["stopped"][0],) and "2項(17)" in draft.text
    assert "許可が必要です [2]" in draft.text          # complete when the stream stalled: checked and kept


def test_the_model_sees_the_analysed_question():
    from types import SimpleNamespace as NS
    from anpo.llm import describe_analysis
    a = NS(intent="yesno", topic="炭素繊維の輸出", products=(NS(text="炭素繊維", candidates=("2項(17)",)),),
           countries=(NS(name="中国", group="C"),), parties=(), actions=("輸出",), premise="", permission=False)
    text = describe_analysis(a)
    assert "製品: 炭素繊維（候補: 2項(17)）" in text and "仕向地: 中国（グループC）" in text and "前提" not in text
    msgs = build_messages(QUESTION, HITS, english=False, analysis=a)
    assert text in msgs[1][1]
    assert "（なし）" in build_messages(QUESTION, HITS, english=False)[1][1]
