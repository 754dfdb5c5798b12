"""Streamlit UI for anpo: widgets, session state and layout only.  Every action calls the
core (`anpo.service.Assistant`, `anpo.history`, `anpo.listcontrol`, `anpo.screening`,
`anpo.uploads`, `anpo.conversation`); no business logic lives here.  All strings come
from `anpo.ui_text` (Japanese, with an English toggle for foreign staff)."""

from __future__ import annotations

import html
import logging
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from anpo import conversation, draftform, formatting, history, listcontrol, screening, uploads
from anpo.errors import AnpoError
from anpo.models import Citation
from anpo.service import Assistant
from anpo.settings import Settings
from anpo.ui_text import text

log = logging.getLogger("anpo.app")

st.set_page_config(page_title="anpo 安全保障貿易管理アシスタント", page_icon="🛡️", layout="wide")
st.markdown("<style>mark.anpo-hl{background:#ffe58a;color:inherit;padding:0 .1em;border-radius:.2em}"
            ".anpo-passage{line-height:1.8;white-space:pre-wrap}</style>", unsafe_allow_html=True)


def T(key: str, **values) -> str:
    return text(key, st.session_state.get("lang", "ja"), **values)


# -- resources ---------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def get_assistant() -> Assistant:
    return Assistant(Settings.from_env())


@st.cache_resource(show_spinner=False)
def get_history(path: str) -> history.HistoryStore:
    return history.HistoryStore(Path(path))


@contextmanager
def shown_errors():
    """Errors become one message for the user; never a stack trace."""
    try:
        yield
    except AnpoError as e:
        st.error(T("error_prefix") + str(e))
    except Exception:   # noqa: BLE001 - the edge: log it, show a plain message
        log.exception("unexpected error in the app")
        st.error(T("error_generic"))


def drafting_api():
    try:
        from anpo import documents, drafting
    except Exception:   # noqa: BLE001 - not written yet, or broken: the pages are hidden
        return None
    needed = ("load_profile", "parse_profile", "draft_cp", "draft_brief", "render_markdown", "render_docx",
              "handout_docx")
    have = {n: getattr(drafting, n, None) or getattr(documents, n, None) for n in needed}
    return have if all(have.values()) else None


# -- shared pieces -----------------------------------------------------------------

def passage_html(passage: str, spans) -> str:
    runs = conversation.highlight_runs(passage, spans)
    body = "".join(f'<mark class="anpo-hl">{html.escape(r)}</mark>' if hl else html.escape(r) for r, hl in runs)
    return f'<div class="anpo-passage">{body}</div>'


def render_citation(c, expanded: bool = False) -> None:
    label = f"[{c.n}] {c.title} — {c.locator}" + (f"（{c.effective_date}）" if c.effective_date else "")
    with st.expander(label, expanded=expanded):
        st.markdown(passage_html(c.text, c.highlight), unsafe_allow_html=True)
        meta = [f"{T('issuer')}: {c.issuer}" if c.issuer else "",
                f"{T('effective')}: {c.effective_date}" if c.effective_date else "",
                T("unconfirmed") if not c.confirmed else ""]
        if any(meta):
            st.caption("　".join(m for m in meta if m))
        if c.url:
            st.markdown(f"[{T('open_source')}]({c.url})")


def render_answer(answer, entry_id: int | None, hist, stream: bool = False, follow=()) -> None:
    st.markdown(T("grounded_badge") if answer.grounded else T("ungrounded_badge"))
    if not answer.grounded:
        st.warning(T("ungrounded_help"), icon="⚠️")
    body = answer.answer.replace("\n", "  \n")
    if stream:
        def pieces():
            for p in conversation.answer_pieces(body):
                yield p
                time.sleep(0.03)
        st.write_stream(pieces())
    else:
        st.markdown(body)
    for n in answer.notes:
        st.caption(f"{T('note')}: {n}")
    for c in answer.citations:
        render_citation(c)
    if entry_id is not None:
        st.caption(T("helpful"))
        rating = st.feedback("thumbs", key=f"fb_{entry_id}")
        if rating is not None:
            with shown_errors():
                hist.set_feedback(entry_id, rating == 1)
    if follow:
        st.caption(T("follow_ups"))
        for i, q in enumerate(follow):
            st.button(q, key=f"follow_{entry_id}_{i}", on_click=_ask_later, args=(q,))


def _ask_later(question: str) -> None:
    st.session_state["pending_question"] = question


# -- pages -------------------------------------------------------------------------

def chat_page(a: Assistant, hist) -> None:
    st.title(T("chat_title"))
    st.caption(T("chat_caption"))
    st.info(T("disclaimer"), icon="ℹ️")
    turns = st.session_state.setdefault("turns", [])        # [(entry_id, Answer, follow-ups)]
    conv = st.session_state.setdefault("conversation", uuid.uuid4().hex)
    typed = st.chat_input(T("chat_placeholder"))
    question = typed or st.session_state.pop("pending_question", None)
    for i, (eid, ans, follow) in enumerate(turns):
        with st.chat_message("user"):
            st.markdown(ans.question)
        with st.chat_message("assistant"):
            render_answer(ans, eid, hist, follow=follow if (i == len(turns) - 1 and not question) else ())
    if not question:
        return
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        with shown_errors():
            with st.spinner(T("thinking")):
                answer = a.ask(question)
            follow = conversation.follow_ups(answer, a.ensure_index().chunks)
            eid = None
            with shown_errors():
                eid = hist.add(answer, conv)
            turns.append((eid, answer, follow))
            render_answer(answer, eid, hist, stream=True, follow=follow)
    if turns:
        st.button(T("new_conversation"), on_click=_new_conversation)


def _new_conversation() -> None:
    st.session_state["turns"] = []
    st.session_state["conversation"] = uuid.uuid4().hex


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
              T("col_source"): r.url or ""} for r in found]
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={T("col_source"): st.column_config.LinkColumn(T("col_source"))})
    by_id = {r.chunk_id: r for r in found}
    pick = st.selectbox(T("explorer_open"), [None, *by_id], key="lc_pick",
                        format_func=lambda cid: T("explorer_pick") if cid is None else by_id[cid].label)
    if pick is None:
        return
    row = by_id[pick]
    st.subheader(row.label)
    st.markdown(f"**{T('explorer_row')}**")
    st.markdown(passage_html(row.text, ()), unsafe_allow_html=True)
    st.caption("　".join(x for x in (row.title, row.locator, row.effective_date or "") if x))
    st.markdown(f"**{T('explorer_passages')}**")
    with shown_errors():
        hits = listcontrol.row_passages(a.retriever().retrieve, row)
        if not hits:
            st.caption(T("explorer_no_passages"))
        for i, h in enumerate(hits, 1):
            c = h.chunk
            render_citation(Citation(i, c.doc_id, c.chunk_id, c.title, c.locator, c.text, c.url,
                                     c.effective_date, c.issuer, c.confirmed))


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
    for chk in result.checks:
        st.subheader(f"{T('status_' + chk.status)}　{chk.title}")
        st.markdown(chk.detail)
        for c in chk.citations:
            render_citation(c)
    stamp = result.created_at.replace(":", "").replace("-", "")
    c1, c2 = st.columns(2)
    c1.download_button(T("download_md"), screening.to_markdown(result), f"screening-{stamp}.md", "text/markdown")
    c2.download_button(T("download_csv"), screening.to_csv(result), f"screening-{stamp}.csv", "text/csv")
    st.caption(screening.DISCLAIMER)


def knowledge_page(a: Assistant) -> None:
    st.title(T("knowledge_title"))
    st.subheader(T("knowledge_sources"))
    with shown_errors():
        srcs = a.sources()
        st.dataframe([{T("col_title"): s.title, T("col_issuer"): s.issuer or "", T("col_date"): s.date or "",
                       T("col_chunks"): s.chunks, T("col_kind"): s.kind or "", T("col_id"): s.doc_id}
                      for s in srcs], hide_index=True, width="stretch")
    files = st.file_uploader(T("upload"), type=list(uploads.UPLOAD_TYPES), accept_multiple_files=True,
                             key=f"uploader_{st.session_state.get('uploader_gen', 0)}")
    if st.button(T("upload_run"), type="primary"):
        if not files:
            st.warning(T("upload_none"))
        else:
            bar = st.progress(0.0)

            def progress(done, total, name):
                bar.progress(done / max(total, 1), text=T("upload_progress", name=name) if name else T("upload_done"))
            with shown_errors():
                outcomes = uploads.ingest_each(a, [(f.name, f.getvalue()) for f in files], progress)
                st.session_state["upload_outcomes"] = outcomes
                if any(o.ok for o in outcomes):
                    st.session_state["uploader_gen"] = st.session_state.get("uploader_gen", 0) + 1
                st.rerun()
    for o in st.session_state.get("upload_outcomes", ()):
        if o.ok:
            st.success(T("upload_ok", name=o.name, title=o.title, chunks=o.chunks))
            for w in o.warnings:
                st.caption(f":material/warning: {w}")
        else:
            st.error(T("upload_failed", name=o.name, reason=o.reason))

    st.subheader(T("remove_title"))
    with shown_errors():
        mine = uploads.uploaded_sources(a)
        if not mine:
            st.caption(T("remove_none"))
        else:
            titles = {s.doc_id: f"{s.title}（{s.doc_id}）" for s in mine}
            pick = st.selectbox(T("remove_pick"), list(titles), format_func=titles.get, key="remove_pick")
            if st.button(T("remove_run")):
                a.remove(pick)
                st.session_state.pop("upload_outcomes", None)
                st.session_state["removed"] = titles[pick]
                st.rerun()
    if "removed" in st.session_state:
        st.success(T("remove_done", title=st.session_state.pop("removed")))

    st.divider()
    if st.button(T("rebuild"), help=T("rebuild_help")):
        with shown_errors():
            with st.spinner(T("rebuilding")):
                a.build_index(rebuild=True)
            st.success(T("rebuilt"))


def history_page(hist) -> None:
    st.title(T("history_title"))
    query = st.text_input(T("history_search"), key="history_query")
    with shown_errors():
        entries = hist.search(query)
        up, down = hist.feedback_counts()
        st.caption(T("history_count", n=len(entries)) + "　" + T("feedback_counts", up=up, down=down))
        if not entries:
            st.info(T("history_empty"))
            return
        st.dataframe([{T("col_when"): e.asked_at, T("col_question"): e.question,
                       T("col_grounded"): "○" if e.grounded else "×",
                       T("col_rating"): {True: T("rating_up"), False: T("rating_down"), None: ""}[e.helpful],
                       T("sources"): " / ".join(e.sources)} for e in entries],
                     hide_index=True, width="stretch")
        c1, c2 = st.columns(2)
        c1.download_button(T("history_export_md"), history.to_markdown(entries), "anpo-history.md", "text/markdown")
        c2.download_button(T("history_export_csv"), history.to_csv(entries), "anpo-history.csv", "text/csv")
        for e in entries[:20]:
            with st.expander(f"{e.asked_at}　{e.question}"):
                st.markdown(e.answer.replace("\n", "  \n"))
                for s in e.sources:
                    st.caption(s)
        labels = {e.id: f"{e.asked_at}　{e.question}" for e in entries}
        pick = st.selectbox(T("history_pick"), list(labels), format_func=labels.get, key="history_pick")
        if st.button(T("history_delete")):
            hist.delete(pick)
            st.session_state["history_msg"] = T("history_deleted")
            st.rerun()
        confirm = st.checkbox(T("history_clear_confirm"), key="history_clear_confirm")
        if st.button(T("history_clear"), disabled=not confirm):
            n = hist.clear()
            st.session_state["history_msg"] = T("history_cleared", n=n)
            st.rerun()


def draft_page(a: Assistant, api, kind: str) -> None:
    st.title(T(f"nav_{kind}"))
    docx_mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if kind == "handout":
        qfile = st.file_uploader(T("handout_upload"), type=["txt", "md"], key="handout_file")
        if qfile is not None:
            qs = draftform.read_questions(qfile.getvalue())
            st.caption(T("handout_questions", n=len(qs)))
            if st.button(T("handout_run"), type="primary", disabled=not qs):
                bar = st.progress(0.0)
                with shown_errors():
                    answers = draftform.answer_all(a, qs, lambda d, t: bar.progress(d / t))
                    out = Path(tempfile.mkdtemp(prefix="anpo-")) / "handout.docx"
                    api["handout_docx"](answers, out)
                    st.session_state["handout"] = (formatting.batch_markdown(answers), out.read_bytes())
        if "handout" in st.session_state:
            md, docx = st.session_state["handout"]
            with st.expander(T("draft_preview")):
                st.markdown(md)
            c1, c2 = st.columns(2)
            c1.download_button("Markdown (.md)", md, "anpo-handout.md", "text/markdown")
            c2.download_button(T("download_docx"), docx, "anpo-handout.docx", docx_mime)
        return
    pfile = st.file_uploader(T("draft_profile_file"), type=["yaml", "yml", "json"], key=f"profile_{kind}")
    with st.form(f"profile_form_{kind}"):
        c1, c2 = st.columns(2)
        company = c1.text_input(T("pf_company"), key=f"pf_company_{kind}")
        industry = c2.text_input(T("pf_industry"), key=f"pf_industry_{kind}")
        employees = c1.number_input(T("pf_employees"), min_value=0, step=1, value=None, key=f"pf_employees_{kind}")
        officer = c2.text_input(T("pf_officer"), key=f"pf_officer_{kind}")
        products = st.text_area(T("pf_products"), key=f"pf_products_{kind}", placeholder="高精度ボールねじ: 位置決め部品")
        exports_to = c1.text_input(T("pf_exports_to"), key=f"pf_exports_{kind}", placeholder="中国、タイ")
        overseas = c2.text_input(T("pf_overseas"), key=f"pf_overseas_{kind}")
        list_goods = st.radio(T("pf_list_goods"), ["unknown", "yes", "no"], horizontal=True,
                              format_func=lambda v: T(f"pf_lg_{v}"), key=f"pf_list_goods_{kind}")
        tech = st.checkbox(T("pf_tech"), key=f"pf_tech_{kind}")
        foreign = st.checkbox(T("pf_foreign"), key=f"pf_foreign_{kind}")
        has_cp = st.checkbox(T("pf_has_cp"), key=f"pf_has_cp_{kind}")
        submitted = st.form_submit_button(T("draft_run"), type="primary")
    if submitted:
        st.session_state.pop(f"draft_{kind}", None)
        with shown_errors():
            tmp = Path(tempfile.mkdtemp(prefix="anpo-"))
            if pfile is not None:
                src = tmp / Path(pfile.name).name
                src.write_bytes(pfile.getvalue())
                profile = api["load_profile"](src)
            else:
                profile = api["parse_profile"](draftform.profile_data(
                    company, industry, None if employees is None else int(employees), products, exports_to,
                    list_goods, tech, foreign, overseas, has_cp, officer))
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
        with st.container(border=True):
            st.markdown(md)


# -- layout ------------------------------------------------------------------------

def sidebar(a: Assistant, pages: list[str]) -> str:
    with st.sidebar:
        en = st.toggle(text("lang_toggle", "en"), key="lang_en")
        st.session_state["lang"] = "en" if en else "ja"
        page = st.radio(T("nav"), pages, format_func=lambda p: T(f"nav_{p}"), key="page")
        st.divider()
        st.subheader(T("kb"))
        with shown_errors():
            status = a.status()
            st.metric(T("kb_docs"), status.documents)
            st.metric(T("kb_chunks"), status.chunks)
            st.caption(f"{T('kb_built')}: {status.built_at}")
        st.divider()
        st.caption(T("disclaimer"))
    return page


def main() -> None:
    a = get_assistant()
    hist = get_history(str(history.default_history_path(a.settings)))
    try:
        if not st.session_state.get("index_ready"):
            with st.spinner(text("preparing", st.session_state.get("lang", "ja"))):
                a.ensure_index()
            st.session_state["index_ready"] = True
    except AnpoError as e:
        st.error(f"{T('load_failed')}: {e}")
        st.stop()
    except Exception:   # noqa: BLE001
        log.exception("index could not be prepared")
        st.error(T("error_generic"))
        st.stop()
    api = drafting_api()
    pages = ["chat", "explorer", "screening", "knowledge", "history"] + (["cp", "brief", "handout"] if api else [])
    page = sidebar(a, pages)
    if "history_msg" in st.session_state:
        st.success(st.session_state.pop("history_msg"))
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


main()
