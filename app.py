"""Streamlit UI for anpo: widgets, session state and layout only.  Every action calls one
core function (`anpo.service.Assistant`, `anpo.history`, `anpo.listcontrol`,
`anpo.screening`, `anpo.drafting`); the UI helpers it uses live in `app_ui/` (strings in
two languages, escaping, error sentences, upload glue), which the tests call without
Streamlit.

Untrusted strings (document titles, issuers, passages, questions, answers, file names,
history) reach the page only as escaped text (`R.md_text`) or as escaped HTML built by
`app_ui.render`; links are ours or plain http(s)."""

from __future__ import annotations

import json
import logging
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from anpo import conversation, formatting, history, listcontrol, screening
from anpo import uploads as core_uploads
from anpo.errors import AnpoError, IndexCorruptError
from anpo.models import Citation
from anpo.service import Assistant
from anpo.settings import Settings
from app_ui import draftform, identity, messages
from app_ui import render as R
from app_ui import uploads
from app_ui.text import USER_TYPES, backend_name, kind_name, starters, text, when

log = logging.getLogger("anpo.app")
LOCAL_BACKENDS = ("extractive",)
PAGE_SIZE = 200

st.set_page_config(page_title="anpo 安全保障貿易管理アシスタント", page_icon="🛡️", layout="wide")


def lang() -> str:
    return st.session_state.get("lang", "ja")


def T(key: str, **values) -> str:
    return text(key, lang(), **values)


def css_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_chrome() -> None:
    """Trusted constant CSS, the page's `lang`, and Streamlit's own uploader texts in the
    UI language (Streamlit does not translate them)."""
    st.markdown(
        "<style>mark.anpo-hl{background:#ffe58a;color:inherit;padding:0 .1em;border-radius:.2em}"
        ".anpo-passage{line-height:1.8;margin:.3em 0}.anpo-answer{line-height:1.8}"
        "a.anpo-cite{text-decoration:none;font-weight:600;padding:0 .1em}"
        "details.anpo-cit{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;padding:.4em .8em;margin:.3em 0}"
        "details.anpo-cit summary{cursor:pointer}.anpo-cit-body{scroll-margin-top:5rem}"
        ".anpo-meta{font-size:.85em;opacity:.75}"
        + ("" if lang() == "en" else
           '[data-testid="stFileUploaderDropzoneInstructions"]>div>span,'
           '[data-testid="stFileUploaderDropzoneInstructions"]>div>small{display:none}'
           f'[data-testid="stFileUploaderDropzoneInstructions"]>div::before{{content:{css_string(T("upload_drop"))}}}'
           '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p{display:none}'
           '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after'
           f'{{content:{css_string(T("upload_browse"))}}}')
        + "</style>", unsafe_allow_html=True)
    code = json.dumps("en" if lang() == "en" else "ja")
    st.html(f"<script>document.documentElement.lang = {code};</script>", unsafe_allow_javascript=True)


# -- resources ---------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def get_assistant() -> Assistant:
    return Assistant(Settings.from_env())


@st.cache_resource(show_spinner=False)
def get_history(path: str) -> history.HistoryStore:
    return history.HistoryStore(Path(path))


def settings() -> Settings:
    return get_assistant().settings


@contextmanager
def shown_errors():
    """Errors become one sentence in the UI language; never a stack trace or a class name."""
    try:
        yield
    except Exception as e:   # noqa: BLE001 - the edge: log it, show a sentence
        if not isinstance(e, AnpoError):
            log.exception("unexpected error in the app")
        st.error(messages.user_message(e, lang(), settings().max_file_mb), icon=":material/error:")


def drafting_api():
    try:
        from anpo import documents, drafting
    except Exception:   # noqa: BLE001 - not written yet, or broken: the pages are hidden
        return None
    needed = ("load_profile", "parse_profile", "draft_cp", "draft_brief", "render_markdown", "render_docx",
              "handout_docx")
    have = {n: getattr(drafting, n, None) or getattr(documents, n, None) for n in needed}
    return have if all(have.values()) else None


# -- who and which conversation ------------------------------------------------------

def session_id() -> str:
    """This browser session's id, kept in the URL (?s=…) so a reload keeps it."""
    if "sid" not in st.session_state:
        sid = identity.valid_id(st.query_params.get("s")) or identity.new_id()
        st.session_state["sid"] = sid
    if st.query_params.get("s") != st.session_state["sid"]:
        st.query_params["s"] = st.session_state["sid"]
    return st.session_state["sid"]


def owner() -> str:
    email = sub = None
    try:
        if st.user.get("is_logged_in", False):
            email, sub = st.user.get("email"), st.user.get("sub")
    except Exception:   # noqa: BLE001 - authentication not configured
        pass
    return identity.owner_key(session_id(), email, sub)


def auth_configured() -> bool:
    """Whether Streamlit's authentication is set up (an [auth] section in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:   # noqa: BLE001 - no secrets file at all
        return False


def auth_gate() -> None:
    """With authentication configured, everyone signs in and owns their history; without
    it, the history belongs to the browser session."""
    if not auth_configured():
        return
    if not st.user.get("is_logged_in", False):
        st.title(T("chat_title"))
        st.info(T("login_needed"), icon=":material/lock:")
        st.button(T("login"), on_click=st.login, type="primary")
        st.stop()
    with st.sidebar:
        st.caption(T("signed_in_as", who=R.md_text(st.user.get("email") or st.user.get("name") or "")))
        st.button(T("logout"), on_click=st.logout)


def conversation_id(hist) -> str:
    """The open conversation (?c=…); on a reload its turns come back from the history."""
    if "conversation" not in st.session_state:
        conv = identity.valid_id(st.query_params.get("c")) or identity.new_id()
        st.session_state["conversation"] = conv
        with shown_errors():
            entries = hist.conversation_entries(conv, owner=owner())
            st.session_state["turns"] = [turn(e.id, e.to_answer()) for e in entries]
            st.session_state["restored"] = bool(entries)
    if st.query_params.get("c") != st.session_state["conversation"]:
        st.query_params["c"] = st.session_state["conversation"]
    return st.session_state["conversation"]


def turn(eid, answer, regenerated: bool = False) -> dict:
    return {"eid": eid, "answer": answer, "regenerated": regenerated, "done": True, "shown": None}


def core_conversation(a: Assistant):
    """This session's `anpo.conversation.Conversation` (follow-ups read in the context of
    the turns before them), or None while the core has none.  Rebuilt from the shown turns
    when missing (a reload, a reopened conversation) or marked stale (new, regenerate)."""
    make = getattr(conversation, "Conversation", None)
    if make is None:
        return None
    conv = st.session_state.get("core_conversation")
    if conv is None or getattr(conv, "assistant", None) is not a:
        conv = make(a)
        for t in st.session_state.get("turns", []):
            replay(conv, t["answer"].question)
        st.session_state["core_conversation"] = conv
    return conv


def replay(conv, question: str) -> None:
    """Let `conv` hold what an earlier turn said, without asking it again (the core's
    `prepare` takes a turn into the conversation without answering it)."""
    try:
        conv.prepare(question)
    except AnpoError:        # a stored question the core would now refuse adds no context
        pass


# -- shared pieces -----------------------------------------------------------------

def labels() -> dict[str, str]:
    return {k: T(k).replace(":material/warning: ", "") for k in ("issuer", "effective", "unconfirmed", "open_source")}


def render_citations(citations, prefix: str) -> None:
    if citations:
        st.markdown("".join(R.citation_html(c, prefix, labels()) for c in citations), unsafe_allow_html=True)


def confirm(flag: str, question: str) -> bool:
    """An inline yes/cancel under a destructive button; True once confirmed."""
    if not st.session_state.get(flag):
        return False
    st.warning(question, icon=":material/help:")
    c1, c2 = st.columns(2)
    if c2.button(T("cancel"), key=f"{flag}_no"):
        st.session_state[flag] = False
        st.rerun()
    if c1.button(T("confirm"), key=f"{flag}_yes", type="primary"):
        st.session_state[flag] = False
        return True
    return False


def progress_bar(label: str):
    """A progress bar and its (done, total, label) callback with an ETA."""
    bar, start = st.progress(0.0, text=label), time.monotonic()

    def update(done, total, _label=""):
        eta = R.eta_seconds(done, total, time.monotonic() - start)
        shown = min(int(done) + (done % 1 > 0), total)      # the step in progress, counted from 1
        msg = (T("progress_eta", label=label, done=shown, total=total, eta=eta) if eta
               else T("progress_plain", label=label, done=shown, total=total))
        bar.progress(min(1.0, done / max(total, 1)), text=msg)
    return update


def rebuild_with_progress(a: Assistant, rebuild: bool = True) -> None:
    with shown_errors():
        a.build_index(rebuild=rebuild, progress=progress_bar(T("index_building")))
        st.session_state["flash"] = T("rebuilt")
        st.rerun()


# -- chat ----------------------------------------------------------------------------

def _ask_later(question: str) -> None:
    st.session_state["pending_question"] = question


def _regenerate() -> None:
    st.session_state["regenerate"] = True


def _new_conversation() -> None:
    st.session_state["turns"] = []
    st.session_state.pop("core_conversation", None)
    st.session_state["conversation"] = identity.new_id()
    st.session_state["restored"] = False


def backend_caption(answer) -> None:
    local = answer.backend in LOCAL_BACKENDS
    name = R.md_text(backend_name(answer.backend, lang()))
    st.caption(T("backend_label", name=name) + (T("backend_local") if local else ""))
    if not local:
        st.caption(":material/warning: " + R.md_text(outside_warning()))


def render_answer(t: dict, i: int, hist, last: bool, follow=()) -> None:
    answer, eid = t["answer"], t["eid"]
    st.markdown(T("grounded_badge") if answer.grounded else T("ungrounded_badge"))
    if not answer.grounded:
        st.warning(T("ungrounded_help"), icon="⚠️")
    prefix = f"c{i}-{eid or 'x'}"
    if not t["done"]:
        st.markdown(R.md_text(answer.answer[: t["shown"] or 0] + "…"))
        st.caption(T("stopped"))
    else:
        st.markdown(R.answer_html(answer.answer, (c.n for c in answer.citations), prefix), unsafe_allow_html=True)
        for n in answer.notes:
            st.caption(f"{T('note')}: {R.md_text(n)}")
        render_citations(answer.citations, prefix)
    if t["regenerated"]:
        st.caption(T("regenerated"))
    backend_caption(answer)
    actions(t, i, hist, last)
    if follow and t["done"]:
        st.caption(T("follow_ups"))
        for j, q in enumerate(follow):
            st.button(R.md_text(q), key=f"follow_{i}_{j}", on_click=_ask_later, args=(q,))


def actions(t: dict, i: int, hist, last: bool) -> None:
    answer, eid = t["answer"], t["eid"]
    row = st.container(horizontal=True, vertical_alignment="center")
    with row.popover(T("copy"), icon=":material/content_copy:", key=f"copy_{i}"):
        st.caption(T("copy_help"))
        st.code(formatting.answer_text(answer), language=None, wrap_lines=True)
    if last:
        row.button(T("regenerate"), icon=":material/refresh:", key=f"regen_{i}", on_click=_regenerate)
    if eid is not None:
        with row:
            rating = st.feedback("thumbs", key=f"fb_{eid}")
        if rating is not None:
            with shown_errors():
                hist.set_feedback(eid, rating == 1, owner=owner())


def stream_answer(t: dict) -> None:
    """Show the answer piece by piece; `shown` tracks how much the user saw, so the Stop
    button (the chat input's stop mode) leaves a partial answer marked as stopped."""
    t["done"], t["shown"] = False, 0

    def pieces():
        for p in R.answer_pieces(t["answer"].answer):
            t["shown"] += len(p)
            yield R.md_text(p)
            time.sleep(0.02)
    st.write_stream(pieces())
    t["done"] = True


def starter_buttons() -> None:
    st.subheader(T("starters_title"))
    cols = st.columns(2)
    for k, kind in enumerate(USER_TYPES):
        with cols[k % 2].container(border=True):
            st.caption(T(f"starter_{kind}"))
            for j, q in enumerate(starters(lang())[kind]):
                st.button(R.md_text(q), key=f"starter_{kind}_{j}", on_click=_ask_later, args=(q,), width="stretch")


def chat_page(a: Assistant, hist) -> None:
    st.title(T("chat_title"))
    st.caption(T("chat_caption"))
    st.info(T("disclaimer"), icon="ℹ️")
    conv = conversation_id(hist)
    turns = st.session_state.setdefault("turns", [])
    if st.session_state.pop("restored", False) and turns:
        st.toast(T("conversation_restored"))
    typed = st.chat_input(T("chat_placeholder"), submit_mode="stop", max_chars=2000)
    question = typed or st.session_state.pop("pending_question", None)
    regenerated = False
    if st.session_state.pop("regenerate", False) and turns and not question:
        old = turns.pop()
        st.session_state.pop("core_conversation", None)      # rebuilt from the turns before it
        question, regenerated = old["answer"].question, True
        if old["eid"] is not None:
            with shown_errors():
                hist.delete(old["eid"], owner=owner())
    if not turns and not question:
        starter_buttons()
    for i, t in enumerate(turns):
        with st.chat_message("user"):
            st.markdown(R.md_text(t["answer"].question))
        with st.chat_message("assistant"):
            last = i == len(turns) - 1 and not question
            follow = conversation.follow_ups(t["answer"], a.ensure_index().chunks) if last else ()
            render_answer(t, i, hist, last, follow)
    if question:
        ask_and_stream(a, hist, question, conv, turns, regenerated)
    if turns:
        st.button(T("new_conversation"), on_click=_new_conversation, icon=":material/add_comment:")


def stream_live(events):
    """A core stream (sentences as str, then the final Answer) shown as it arrives; the
    Answer, or None when the stream ended without one."""
    final = []

    def pieces():
        for ev in events:
            if isinstance(ev, str):
                yield R.md_text(ev)
            else:
                final.append(ev)
    st.write_stream(pieces())
    return final[-1] if final else None


def live_stream(a: Assistant):
    """`anpo.llm.stream_from` when an LLM backend answers (its checked sentences arrive as
    the model writes them), else None: the extractive answer comes at once."""
    if a.settings.backend in LOCAL_BACKENDS:
        return None
    try:
        from anpo import llm
    except ImportError:
        return None
    return getattr(llm, "stream_from", None)


def outside_warning() -> str:
    """The core's one-line 技術提供 warning (anpo.llm) in the UI language, else ours."""
    try:
        from anpo.llm import TECH_TRANSFER_WARNING
        return TECH_TRANSFER_WARNING[1 if lang() == "en" else 0]
    except (ImportError, IndexError, TypeError):
        return T("outside_warning")


def ask_and_stream(a: Assistant, hist, question: str, conv: str, turns: list, regenerated: bool) -> None:
    """Answer `question` through the session's conversation: streamed sentence by sentence
    from an LLM backend (the chat input's Stop ends the display), else asked at once and
    shown piece by piece."""
    with st.chat_message("user"):
        st.markdown(R.md_text(question))
    with st.chat_message("assistant"):
        with shown_errors():
            asker = core_conversation(a) or a
            live = live_stream(a)
            if live is not None:
                answer = stream_live(live(lambda: asker.ask(question)))
            else:
                with st.spinner(T("thinking")):
                    answer = asker.ask(question)
            if answer is None:
                return
            eid = None
            with shown_errors():
                eid = hist.add(answer, conv, owner=owner())
            t = turn(eid, answer, regenerated)
            turns.append(t)
            if live is None:
                stream_answer(t)
            st.rerun()


# -- other pages ---------------------------------------------------------------------

def explorer_page(a: Assistant) -> None:
    st.title(T("explorer_title"))
    st.caption(T("explorer_caption"))
    rows = listcontrol.list_rows(a.ensure_index().chunks)
    if not rows:
        st.info(T("explorer_empty"))
        return
    query = st.text_input(T("explorer_search"), key="lc_query", placeholder="炭素繊維 / 工作機械 / 暗号")
    found = listcontrol.search_rows(rows, query)
    st.caption(T("explorer_count", n=len(found)))
    if not found:
        st.warning(T("explorer_none"))
        return
    table = [{T("col_kouban"): r.kouban, T("col_category"): r.category, T("col_item_no"): r.item_no,
              T("col_item_name"): r.item_name, T("col_examples"): r.examples,
              T("col_effective"): r.effective_date or "", T("col_place"): r.place or "",
              T("col_source"): R.safe_url(r.url) or ""} for r in found]
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={T("col_source"): st.column_config.LinkColumn(T("col_source"))})
    by_id = {r.chunk_id: r for r in found}
    pick = st.selectbox(T("explorer_open"), [None, *by_id], key="lc_pick",
                        format_func=lambda cid, pick=T("explorer_pick"):
                        pick if cid is None else R.one_line(by_id[cid].label))
    if pick is None:
        return
    row = by_id[pick]
    st.subheader(R.md_text(row.label))
    st.markdown(f"**{T('explorer_row')}**")
    st.markdown(R.passage_html(row.text, ()), unsafe_allow_html=True)
    st.caption(R.md_text("　".join(x for x in (row.title, row.locator, row.effective_date or "") if x)))
    st.markdown(f"**{T('explorer_passages')}**")
    with shown_errors():
        hits = listcontrol.row_passages(a.retriever().retrieve, row)
        if not hits:
            st.caption(T("explorer_no_passages"))
        render_citations([Citation(i, h.chunk.doc_id, h.chunk.chunk_id, h.chunk.title, h.chunk.locator, h.chunk.text,
                                   h.chunk.url, h.chunk.effective_date, h.chunk.issuer, h.chunk.confirmed)
                          for i, h in enumerate(hits, 1)], "lc")


def screening_page(a: Assistant) -> None:
    st.title(T("screening_title"))
    st.caption(T("screening_caption"))
    with st.form("deal"):
        product = st.text_input(T("deal_product"), key="deal_product")
        destination = st.text_input(T("deal_destination"), key="deal_destination")
        end_user = st.text_input(T("deal_end_user"), key="deal_end_user")
        use = st.text_area(T("deal_use"), key="deal_use")
        submitted = st.form_submit_button(T("screening_run"), type="primary")
    if submitted:
        st.session_state.pop("screening_result", None)
        with shown_errors():
            st.session_state["screening_result"] = screening.screen_with(
                a, screening.Deal(product, destination, end_user, use))
    result = st.session_state.get("screening_result")
    if result is None:
        return
    if result.flags:
        st.error(T("screening_flags", n=len(result.flags)))
    else:
        st.success(T("screening_no_flags"))
    for k, chk in enumerate(result.checks):
        st.subheader(f"{T('status_' + chk.status)}　{R.md_text(chk.title)}")
        st.markdown(R.md_text(chk.detail))
        render_citations(chk.citations, f"s{k}")
    stamp = result.created_at.replace(":", "").replace("-", "")
    c1, c2 = st.columns(2)
    c1.download_button(T("download_md"), screening.to_markdown(result), f"screening-{stamp}.md", "text/markdown")
    c2.download_button(T("download_csv"), R.csv_bytes(screening.to_csv(result)), f"screening-{stamp}.csv",
                       "text/csv")
    st.caption(R.md_text(screening.DISCLAIMER))


def upload_section(a: Assistant) -> None:
    limit = a.settings.max_file_mb
    files = st.file_uploader(T("upload"), type=list(core_uploads.UPLOAD_TYPES), accept_multiple_files=True,
                             key=f"uploader_{st.session_state.get('uploader_gen', 0)}", max_upload_size=limit,
                             help=T("upload_limit", mb=limit))
    st.caption(T("upload_limit", mb=limit))
    if st.button(T("upload_run"), type="primary"):
        if not files:
            st.warning(T("upload_none"))
        else:
            update = progress_bar(T("upload_run"))
            with shown_errors():
                outcomes = uploads.ingest_each(a, [(f.name, f.getvalue()) for f in files],
                                               lambda d, t, _n: update(d, t), uploader=owner())
                st.session_state["upload_outcomes"] = outcomes
                if any(o.ok for o in outcomes):
                    st.session_state["uploader_gen"] = st.session_state.get("uploader_gen", 0) + 1
                st.rerun()
    for o in st.session_state.get("upload_outcomes", ()):
        if o.ok:
            st.success(T("upload_ok", name=R.md_text(o.name), title=R.md_text(o.title), chunks=o.chunks))
            for w in o.warnings:
                st.caption(f":material/warning: {R.md_text(w)}")
        else:
            reason = (messages.user_message(o.error, lang(), limit) if o.error
                      else messages.file_reason(o.reason, lang(), limit))
            st.error(T("upload_failed", name=R.md_text(o.name), reason=reason))


def remove_section(a: Assistant) -> None:
    st.subheader(T("remove_title"))
    with shown_errors():
        mine = core_uploads.uploaded_sources(a)
        if not mine:
            st.caption(T("remove_none"))
            return
        titles = {s.doc_id: f"{R.one_line(s.title)}（{s.doc_id}）" for s in mine}
        pick = st.selectbox(T("remove_pick"), list(titles), format_func=titles.get, key="remove_pick")
        if st.button(T("remove_run")):
            st.session_state["confirm_remove"] = True
        if confirm("confirm_remove", T("confirm_remove", title=R.md_text(titles[pick]))):
            a.remove(pick)
            st.session_state.pop("upload_outcomes", None)
            st.session_state["flash"] = T("remove_done", title=R.md_text(titles[pick]))
            st.rerun()


def knowledge_page(a: Assistant) -> None:
    st.title(T("knowledge_title"))
    st.subheader(T("knowledge_sources"))
    with shown_errors():
        srcs = a.sources()
        st.dataframe([{T("col_title"): s.title, T("col_issuer"): s.issuer or "", T("col_date"): s.date or "",
                       T("col_chunks"): s.chunks, T("col_kind"): kind_name(s.kind or "", lang()), T("col_id"): s.doc_id}
                      for s in srcs], hide_index=True, width="stretch")
    upload_section(a)
    remove_section(a)
    st.divider()
    if st.button(T("rebuild"), help=T("rebuild_help"), key="rebuild_kb"):
        st.session_state["confirm_rebuild"] = True
    if confirm("confirm_rebuild", T("confirm_rebuild")):
        rebuild_with_progress(a)


def history_page(hist) -> None:
    st.title(T("history_title"))
    me, shared = owner(), settings().shared_history
    scope = None if shared else me
    if shared:
        st.info(T("history_shared"))
    query = st.text_input(T("history_search"), key="history_query")
    with shown_errors():
        n = hist.count(query, owner=scope)
        entries = hist.search(query, owner=scope, limit=PAGE_SIZE)
        up, down = hist.feedback_counts(owner=scope)
        st.caption(T("history_count", n=n) + "　" + T("feedback_counts", up=up, down=down))
        if n > len(entries):
            st.caption(T("history_shown", shown=len(entries), n=n))
        if not entries:
            st.info(T("history_empty"))
            return
        history_table(entries, me, shared)
        history_exports(hist, query, me)
        history_conversations(hist, me)
        for e in entries[:20]:
            with st.expander(R.md_text(R.one_line(f"{when(e.asked_at)}　{e.question}"))):
                st.markdown(R.md_text(e.answer))
                for s in e.sources:
                    st.caption(R.md_text(s))
        history_delete(hist, [e for e in entries if e.owner == me], me)
        if shared:
            with st.expander(T("audit_title")):
                st.dataframe([{T("col_when"): at, T("col_owner"): T("owner_me") if actor == me else T("owner_other"),
                               T("audit_action"): action, T("audit_detail"): detail}
                              for at, actor, action, detail in hist.audit_log()], hide_index=True, width="stretch")


def history_table(entries, me: str, shared: bool) -> None:
    rows = []
    for e in entries:
        row = {T("col_when"): when(e.asked_at), T("col_question"): e.question,
               T("col_grounded"): "○" if e.grounded else "×",
               T("col_rating"): {True: T("rating_up"), False: T("rating_down"), None: ""}[e.helpful],
               T("sources"): " / ".join(e.sources)}
        if shared:
            row[T("col_owner")] = T("owner_me") if e.owner == me else T("owner_other")
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")


def history_exports(hist, query: str, me: str) -> None:
    """Downloads of one's own entries, every row, built when clicked (and audited)."""
    def md():
        hist.audit(me, "export", "markdown")
        return history.to_markdown(hist.iter_entries(query, owner=me))

    def csv():
        hist.audit(me, "export", "csv")
        return R.csv_bytes(history.to_csv(hist.iter_entries(query, owner=me)))
    c1, c2 = st.columns(2)
    c1.download_button(T("history_export_md"), md, "anpo-history.md", "text/markdown", key="hx_md")
    c2.download_button(T("history_export_csv"), csv, "anpo-history.csv", "text/csv", key="hx_csv")


def _reopen(conv: str) -> None:
    try:
        hist = get_history(str(history.default_history_path(settings())))
        entries = hist.conversation_entries(conv, owner=owner())
    except Exception as e:   # noqa: BLE001 - a callback's error becomes the next run's message
        log.exception("reopening a conversation failed")
        st.session_state["flash_error"] = messages.user_message(e, lang())
        return
    st.session_state["conversation"] = conv
    st.session_state["turns"] = [turn(e.id, e.to_answer()) for e in entries]
    st.session_state.pop("core_conversation", None)
    st.session_state["page"] = "chat"
    st.session_state[f"page_{lang()}"] = "chat"


def history_conversations(hist, me: str) -> None:
    convs = hist.conversations(owner=me)
    if not convs:
        return
    st.subheader(T("history_conversations"))
    names = {c.conversation: R.one_line(f"{when(c.last_at)}　{c.first_question}（{c.turns}）") for c in convs}
    pick = st.selectbox(T("history_conversations"), list(names), format_func=names.get, key="history_conv",
                        label_visibility="collapsed")
    st.button(T("reopen"), on_click=_reopen, args=(pick,), icon=":material/forum:", key="history_reopen")


def history_delete(hist, mine, me: str) -> None:
    if not mine:
        st.caption(T("history_nothing_mine"))
        return
    labels_ = {e.id: R.one_line(f"{when(e.asked_at)}　{e.question}") for e in mine}
    pick = st.selectbox(T("history_pick"), list(labels_), format_func=labels_.get, key="history_pick")
    c1, c2 = st.columns(2)
    if c1.button(T("history_delete"), key="history_delete"):
        st.session_state["confirm_delete"] = True
    if c2.button(T("history_clear"), key="history_clear"):
        st.session_state["confirm_clear"] = True
    if confirm("confirm_delete", T("confirm_delete")):
        hist.delete(pick, owner=me)
        st.session_state["flash"] = T("history_deleted")
        st.rerun()
    if confirm("confirm_clear", T("history_clear_ask")):
        st.session_state["flash"] = T("history_cleared", n=hist.clear(owner=me))
        st.rerun()


def draft_preview(md: str) -> None:
    with st.container(border=True):
        st.markdown(R.markdown_safe(md))


def handout_page(a: Assistant, api) -> None:
    docx_mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    qfile = st.file_uploader(T("handout_upload"), type=["txt", "md"], key="handout_file", max_upload_size=5)
    if qfile is not None:
        qs = draftform.read_questions(qfile.getvalue())
        st.caption(T("handout_questions", n=len(qs)))
        if st.button(T("handout_run"), type="primary", disabled=not qs):
            update = progress_bar(T("handout_run"))
            with shown_errors():
                answers = draftform.answer_all(a, qs, update)
                out = Path(tempfile.mkdtemp(prefix="anpo-")) / "handout.docx"
                api["handout_docx"](answers, out)
                st.session_state["handout"] = (formatting.batch_markdown(answers), out.read_bytes())
    if "handout" in st.session_state:
        md, docx = st.session_state["handout"]
        c1, c2 = st.columns(2)
        c1.download_button("Markdown (.md)", md, "anpo-handout.md", "text/markdown")
        c2.download_button(T("download_docx"), docx, "anpo-handout.docx", docx_mime)
        with st.expander(T("draft_preview")):
            draft_preview(md)


def profile_form(kind: str) -> dict | None:
    with st.form(f"profile_form_{kind}"):
        c1, c2 = st.columns(2)
        company = c1.text_input(T("pf_company"), key=f"pf_company_{kind}")
        industry = c2.text_input(T("pf_industry"), key=f"pf_industry_{kind}")
        employees = c1.number_input(T("pf_employees"), min_value=0, step=1, value=None, key=f"pf_employees_{kind}")
        officer = c2.text_input(T("pf_officer"), key=f"pf_officer_{kind}")
        products = st.text_area(T("pf_products"), key=f"pf_products_{kind}",
                                placeholder="高精度ボールねじ: 位置決め部品")
        exports_to = c1.text_input(T("pf_exports_to"), key=f"pf_exports_{kind}", placeholder="中国、タイ")
        overseas = c2.text_input(T("pf_overseas"), key=f"pf_overseas_{kind}")
        list_goods = st.radio(T("pf_list_goods"), ["unknown", "yes", "no"], horizontal=True,
                              format_func=lambda v, now=lang(): text(f"pf_lg_{v}", now), key=f"pf_list_goods_{kind}")
        tech = st.checkbox(T("pf_tech"), key=f"pf_tech_{kind}")
        foreign = st.checkbox(T("pf_foreign"), key=f"pf_foreign_{kind}")
        has_cp = st.checkbox(T("pf_has_cp"), key=f"pf_has_cp_{kind}")
        if not st.form_submit_button(T("draft_run"), type="primary"):
            return None
    return draftform.profile_data(company, industry, None if employees is None else int(employees), products,
                                  exports_to, list_goods, tech, foreign, overseas, has_cp, officer)


def draft_page(a: Assistant, api, kind: str) -> None:
    st.title(T(f"nav_{kind}"))
    if kind == "handout":
        handout_page(a, api)
        return
    docx_mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    pfile = st.file_uploader(T("draft_profile_file"), type=["yaml", "yml", "json"], key=f"profile_{kind}",
                             max_upload_size=1)
    data = profile_form(kind)
    if data is not None:
        st.session_state.pop(f"draft_{kind}", None)
        with shown_errors():
            tmp = Path(tempfile.mkdtemp(prefix="anpo-"))
            if pfile is not None:
                src = tmp / uploads.safe_name(pfile.name)
                src.write_bytes(pfile.getvalue())
                profile = api["load_profile"](src)
            else:
                profile = api["parse_profile"](data)
            with st.spinner(T("thinking")):
                doc = (api["draft_cp"] if kind == "cp" else api["draft_brief"])(profile, a)
            md = api["render_markdown"](doc)
            out = api["render_docx"](doc, tmp / f"{kind}.docx")
            st.session_state[f"draft_{kind}"] = (md, Path(out).read_bytes())
    if f"draft_{kind}" in st.session_state:
        md, docx = st.session_state[f"draft_{kind}"]
        c1, c2 = st.columns(2)
        c1.download_button("Markdown (.md)", md, f"anpo-{kind}.md", "text/markdown")
        c2.download_button(T("download_docx"), docx, f"anpo-{kind}.docx", docx_mime)
        st.subheader(T("draft_preview"))
        draft_preview(md)


# -- layout ------------------------------------------------------------------------

def sidebar(a: Assistant, pages: list[str]) -> str:
    with st.sidebar:
        en = st.toggle(text("lang_toggle", "en"), key="lang_en")
        st.session_state["lang"] = "en" if en else "ja"
        now = lang()       # bound now: a format_func may be called outside the script run
        # one radio per language: when its labels change under one key the browser shows the menu
        # with nothing selected, so the other language's radio starts from the page shown now
        current = st.session_state.get("page", "chat")
        key = f"page_{now}"
        if st.session_state.get("nav_lang") != now and current in pages:
            st.session_state[key] = current
        st.session_state["nav_lang"] = now
        page = st.radio(T("nav"), pages, format_func=lambda p: text(f"nav_{p}", now), key=key)
        st.session_state["page"] = page
        st.divider()
        st.subheader(T("kb"))
        with shown_errors():
            status = a.status()
            st.metric(T("kb_docs"), status.documents)
            st.metric(T("kb_chunks"), status.chunks)
            st.caption(f"{T('kb_built')}: {R.md_text(when(status.built_at) or '—')}")
        st.divider()
        backend = a.settings.backend
        st.caption(T("backend_label", name=R.md_text(backend_name(backend, lang())))
                   + (T("backend_local") if backend in LOCAL_BACKENDS else ""))
        st.caption(":material/warning: " + R.md_text(outside_warning()))
        st.caption(T("disclaimer"))
    return page


def staleness_banner(a: Assistant) -> None:
    """Helper A's `Assistant.staleness()`: a banner with a rebuild button when the
    knowledge files changed since the live index was built."""
    check = getattr(a, "staleness", None)
    if not callable(check):
        return
    try:
        info = check()
    except Exception:   # noqa: BLE001 - a banner never breaks the page
        log.exception("staleness check failed")
        return
    stale = getattr(info, "stale", info)
    if not stale:
        return
    st.warning(T("stale_banner"), icon=":material/update:")
    if st.button(T("update_index"), key="rebuild_stale", icon=":material/sync:"):
        st.session_state["confirm_rebuild_banner"] = True
    if confirm("confirm_rebuild_banner", T("confirm_update")):
        rebuild_with_progress(a, rebuild=False)


def prepare(a: Assistant) -> bool:
    if st.session_state.get("index_ready"):
        return True
    with shown_errors():
        st.caption(T("preparing"))
        try:
            a.ensure_index(progress=progress_bar(T("index_building")))   # builds only when none exists
        except IndexCorruptError:
            unusable_index(a)
            return False
        st.session_state["index_ready"] = True
        st.rerun()
    return False


def unusable_index(a: Assistant) -> None:
    """A damaged index, or one written by another version: the menu (and its ナレッジ管理 page)
    is not shown until an index works, so the rebuild is offered here."""
    st.error(T("index_unusable"), icon=":material/error:")
    if st.button(T("rebuild"), type="primary", key="rebuild_unusable", icon=":material/sync:"):
        rebuild_with_progress(a)


def main() -> None:
    st.session_state["lang"] = "en" if st.session_state.get("lang_en") else "ja"
    page_chrome()
    auth_gate()
    a = get_assistant()
    hist = get_history(str(history.default_history_path(a.settings)))
    session_id()
    if not prepare(a):
        st.stop()
    api = drafting_api()
    pages = ["chat", "explorer", "screening", "knowledge", "history"] + (["cp", "brief", "handout"] if api else [])
    page = sidebar(a, pages)
    staleness_banner(a)
    if "flash" in st.session_state:
        st.success(st.session_state.pop("flash"))
    if "flash_error" in st.session_state:
        st.error(st.session_state.pop("flash_error"), icon=":material/error:")
    if page == "chat":
        chat_page(a, hist)
    elif page == "explorer":
        explorer_page(a)
    elif page == "screening":
        screening_page(a)
    elif page == "knowledge":
        knowledge_page(a)
    elif page == "history":
        history_page(hist)
    else:
        draft_page(a, api, page)


try:
    main()
except Exception as e:   # noqa: BLE001 - the last edge: settings or resources that cannot load
    log.exception("the app could not start")
    st.error(messages.user_message(e, lang()), icon=":material/error:")
