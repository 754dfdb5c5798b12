"""The core functions behind the app's screens: list-control explorer, chat helpers,
uploads and UI strings (no Streamlit)."""

from anpo import ui_text
from anpo.draftform import profile_data, read_questions
from anpo.conversation import answer_pieces, follow_ups, highlight_runs, section_topic
from anpo.listcontrol import list_rows, match_product, row_passages, search_rows
from anpo.uploads import ingest_each, uploaded_sources
from test_loaders_chunking import MINIMAL_PDF

Q = "展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？"


def test_list_rows_in_kouban_order(assistant):
    rows = list_rows(assistant.ensure_index().chunks)
    assert [r.label for r in rows] == ["5項 先端材料", "5項(18) プリプレグ・プリフォーム・成型品等",
                                      "6項(2) 数値制御工作機械", "7項(1) 集積回路"]
    r = rows[1]
    assert r.examples == "炭素繊維" and r.effective_date == "2026-02-14" and r.place == "スライド6"
    assert r.url.startswith("https://www.meti.go.jp/")


def test_search_rows_by_product_words(assistant):
    rows = list_rows(assistant.ensure_index().chunks)
    labels = lambda q: [r.label for r in search_rows(rows, q)]
    assert labels("炭素繊維") == ["5項(18) プリプレグ・プリフォーム・成型品等"]
    assert labels("ＮＣ工作機械") == labels("工作機械") == ["6項(2) 数値制御工作機械"]   # NFKC
    assert labels("先端材料 炭素繊維") == ["5項(18) プリプレグ・プリフォーム・成型品等"]   # every word must match
    assert labels("暗号") == []
    assert len(labels("")) == 4


def test_match_product_and_row_passages(assistant):
    rows = list_rows(assistant.ensure_index().chunks)
    assert [r.label for r in match_product(rows, "炭素繊維を使ったプリプレグ")] == ["5項(18) プリプレグ・プリフォーム・成型品等"]
    assert match_product(rows, "事務用の椅子") == []
    hits = row_passages(assistant.retriever().retrieve, rows[2])
    assert all(h.chunk.doc_id != rows[2].doc_id for h in hits)


def test_answer_pieces_and_highlight_runs():
    text = "はい。\n展示会に出品することも輸出です。 [1]\n相談してください。"
    assert "".join(answer_pieces(text)) == text and len(answer_pieces(text)) > 2
    assert highlight_runs("abcdef", [(1, 3)]) == [("a", False), ("bc", True), ("def", False)]
    assert highlight_runs("abcdef", [(2, 4), (1, 3), (5, 99)]) == [("a", False), ("bcd", True), ("e", False), ("f", True)]
    assert highlight_runs("abc", []) == [("abc", False)]


def test_follow_ups_come_from_other_sections_of_cited_documents(assistant):
    ans = assistant.ask(Q)
    sugg = follow_ups(ans, assistant.ensure_index().chunks)
    assert sugg and all(s.endswith("について教えてください。") for s in sugg)
    assert "該非判定の注意点について教えてください。" in sugg
    assert not any("貨物の輸出と技術の提供" in s for s in sugg)       # the cited section itself
    assert section_topic("スライド12 アドバイザー派遣") == "アドバイザー派遣"
    assert follow_ups(assistant.ask("今日の東京の天気は？"), assistant.ensure_index().chunks) == []


def test_ingest_each_reports_per_file(assistant):
    before = [s.doc_id for s in assistant.sources()]
    seen = []
    out = ingest_each(assistant, [("broken.pdf", b"not a pdf"), ("memo.pdf", MINIMAL_PDF)],
                      progress=lambda d, t, n: seen.append((d, t)))
    assert [o.ok for o in out] == [False, True]
    assert "PDF" in out[0].reason and out[1].chunks >= 1
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    mine = uploaded_sources(assistant)
    assert [s.doc_id for s in mine] == [out[1].doc_id]
    assistant.remove(out[1].doc_id)
    assert [s.doc_id for s in assistant.sources()] == before


def test_ui_text_has_both_languages():
    ja, en = ui_text.TEXT["ja"], ui_text.TEXT["en"]
    assert set(ja) == set(en)
    assert ui_text.text("nav_chat").endswith("相談")
    assert ui_text.text("explorer_count", "en", n=3) == "3 rows"
    assert ui_text.text("no_such_key", "en") == "no_such_key"


def test_draft_form_helpers():
    d = profile_data("株式会社テスト", employees=60, products="ボールねじ： 位置決め部品\n直動ガイド\n", exports_to="中国、タイ")
    assert d["products"] == [{"name": "ボールねじ", "description": "位置決め部品"}, "直動ガイド"]
    assert d["company"] == "株式会社テスト" and d["exports_to"] == "中国、タイ"
    assert read_questions("\ufeff# 見出し\nQ1？\n\n Q2？ \n".encode()) == ["Q1？", "Q2？"]
