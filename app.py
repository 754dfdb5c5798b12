"""Streamlit UI for anpo: widgets, session state and layout only.  Every action calls
the core (`anpo.service.Assistant`); no business logic lives here."""

from __future__ import annotations

import streamlit as st

from anpo.errors import AnpoError
from anpo.formatting import answer_text
from anpo.service import Assistant
from anpo.settings import Settings

DISCLAIMER = ("回答は公開資料に基づく参考情報です。個別の取引の最終的な判断は、"
              "経済産業省（安全保障貿易審査課）または最寄りの経済産業局にご確認ください。")

st.set_page_config(page_title="anpo 安全保障貿易管理アシスタント", page_icon="🛡️", layout="wide")


@st.cache_resource(show_spinner="ナレッジベースを読み込んでいます…")
def get_assistant() -> Assistant:
    a = Assistant(Settings.from_env())
    a.ensure_index()
    return a


def render_citations(answer) -> None:
    for c in answer.citations:
        label = f"[{c.n}] {c.title} — {c.locator}" + (f"（{c.effective_date}）" if c.effective_date else "")
        with st.expander(label):
            text = c.text
            if c.highlight:
                s, e = c.highlight[0]
                text = f"{text[:s]}**{text[s:e]}**{text[e:]}"
            st.markdown(text)
            meta = []
            if c.issuer:
                meta.append(f"発行: {c.issuer}")
            if c.effective_date:
                meta.append(f"日付: {c.effective_date}")
            if not c.confirmed:
                meta.append("⚠ 一次資料で未確認の情報を含みます")
            if meta:
                st.caption("　".join(meta))
            if c.url:
                st.markdown(f"[出典を開く]({c.url})")


def render_answer(answer) -> None:
    if not answer.grounded:
        st.warning("ナレッジベースの対象外の質問です。", icon="⚠️")
    st.markdown(answer.answer.replace("\n", "  \n"))
    for n in answer.notes:
        st.caption(f"注: {n}")
    render_citations(answer)


def sidebar(assistant: Assistant) -> None:
    with st.sidebar:
        st.header("ナレッジベース")
        try:
            status = assistant.status()
            st.metric("文書数", status.documents)
            st.metric("チャンク数", status.chunks)
            st.caption(f"埋め込みモデル: {status.embed_model}")
            st.caption(f"索引の作成日時: {status.built_at}")
        except AnpoError as e:
            st.error(str(e))
        if st.button("索引を再構築", help="ナレッジファイルから索引を作り直します"):
            with st.spinner("索引を再構築しています…"):
                try:
                    assistant.build_index(rebuild=True)
                    st.success("索引を再構築しました。")
                except AnpoError as e:
                    st.error(f"再構築できませんでした: {e}")
        st.divider()
        st.caption(DISCLAIMER)


def chat_page(assistant: Assistant) -> None:
    st.title("安全保障貿易管理 相談アシスタント")
    st.caption("輸出管理（外為法）について質問してください。回答には必ず出典が付きます。")
    history = st.session_state.setdefault("history", [])
    for q, a in history:
        with st.chat_message("user"):
            st.markdown(q)
        with st.chat_message("assistant"):
            render_answer(a)
    question = st.chat_input("例: 展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？")
    if question:
        with st.chat_message("user"):
            st.markdown(question)
        with st.chat_message("assistant"):
            try:
                with st.spinner("資料を確認しています…"):
                    answer = assistant.ask(question)
                render_answer(answer)
                history.append((question, answer))
            except AnpoError as e:
                st.error(str(e))


def main() -> None:
    try:
        assistant = get_assistant()
    except AnpoError as e:
        st.error(f"ナレッジベースを読み込めませんでした: {e}")
        st.stop()
    sidebar(assistant)
    chat_page(assistant)


main()
