"""The functions behind the app's screens, without Streamlit: list-control explorer, chat
display helpers (escaping, citation links), error sentences per language, uploads, UI
strings and who owns a history."""

import re
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))      # app_ui sits next to app.py

from anpo import errors  # noqa: E402
from anpo.conversation import follow_ups, section_topic  # noqa: E402
from anpo.listcontrol import list_rows, match_product, row_passages, search_rows  # noqa: E402
from anpo.models import Citation  # noqa: E402
from anpo.uploads import uploaded_sources  # noqa: E402
from app_ui import identity, messages, render, text as ui_text  # noqa: E402
from app_ui.draftform import profile_data, read_questions  # noqa: E402
from app_ui.render import answer_pieces, highlight_runs  # noqa: E402
from app_ui.uploads import ingest_each, safe_name  # noqa: E402
from test_loaders_chunking import MINIMAL_PDF  # noqa: E402

Q = "展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？"
BEACON = "![x](http://127.0.0.1:9/beacon.png)"
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
# names of formats and products that Japanese text writes in Latin letters
NAMES = {"English", "anpo", "PDF", "Markdown", "HTML", "CSV", "Word", "docx", "YAML", "JSON", "CP", "MB", "ID",
         "UTF", "Shift_JIS", "EUC", "JP", "front", "matter", "md", "txt"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def english_words(s: str) -> list[str]:
    """Latin-script words in `s` other than format names, Streamlit icon/colour codes and
    {placeholders}."""
    s = re.sub(r":[a-z]+(-badge)?\[|:material/[a-z_]+:|\{[a-z_]+\}", "", s)
    return [w for w in LATIN_WORD.findall(s) if w not in NAMES]


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


def test_ui_helpers_left_the_core():
    import anpo.conversation
    assert not hasattr(anpo.conversation, "answer_pieces") and not hasattr(anpo.conversation, "highlight_runs")
    assert not (ROOT / "anpo" / "ui_text.py").exists() and not (ROOT / "anpo" / "draftform.py").exists()
    core = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "anpo").rglob("*.py"))
    assert "import streamlit" not in core and "app_ui" not in core.replace("`app_ui", "")


def test_follow_ups_come_from_other_sections_of_cited_documents(assistant):
    ans = assistant.ask(Q)
    sugg = follow_ups(ans, assistant.ensure_index().chunks)
    assert sugg and all(s.endswith("について教えてください。") for s in sugg)
    assert "該非判定の注意点について教えてください。" in sugg
    assert not any("貨物の輸出と技術の提供" in s for s in sugg)       # the cited section itself
    assert section_topic("スライド12 アドバイザー派遣") == "アドバイザー派遣"
    assert follow_ups(assistant.ask("今日の東京の天気は？"), assistant.ensure_index().chunks) == []


def test_follow_ups_never_say_nitsuite_twice():
    from anpo.models import Answer
    from retrieval.types import Chunk

    def chunk(i, locator):
        return Chunk(f"d#{i}", "d", "資料", locator, "本文", "本文", "本文")
    cited = Answer("q", "a [1]", True, "extractive",
                   (Citation(1, "d", "d#0", "資料", "スライド1 はじめに", "本文"),))
    sugg = follow_ups(cited, [chunk(0, "スライド1 はじめに"), chunk(1, "スライド2 資料について"),
                              chunk(2, "スライド3 該非判定")])
    assert sugg == ["資料について教えてください。", "該非判定について教えてください。"]


# -- untrusted strings render as text ---------------------------------------------------

def test_md_text_leaves_no_markdown_or_html_to_act_on():
    for hostile in (BEACON, "[click](javascript:alert(1))", "<img src=x onerror=alert(1)>", "**bold** _i_ `c`",
                    ":red[red] :material/home: $x^2$", "# heading\n- item", "https://example.com/a_b"):
        out = render.md_text(hostile)
        assert re.sub(r"\\(.)", r"\1", out).replace("  \n", "\n") == hostile   # exactly the text, unescaped
        assert not re.search(r"(?<!\\)[\[\]()<>*_`$:#!]", out)                 # no live syntax left
    assert render.md_text("a\nb") == "a  \nb"


def test_esc_entities_every_punctuation_and_stays_one_line():
    out = render.esc(BEACON + "\n\n" + "<b>&</b>")
    assert "<" not in out.replace("<br>", "") and "[" not in out and "(" not in out and "\n" not in out
    assert "&#33;&#91;x&#93;&#40;http&#58;" in out


def test_safe_url_allows_only_http_links():
    assert render.safe_url("https://www.meti.go.jp/a?b=1") == "https://www.meti.go.jp/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,<b>x</b>", " JAVASCRIPT:x", "vbscript:x", "//evil",
                "https://a\nb", "https://x\" onmouseover=\"y", "", None):
        assert render.safe_url(bad) is None


def test_answer_links_only_known_markers_to_our_anchors():
    html = render.answer_html(f"はい [1]。{BEACON} [2] [9]", [1, 2], "c0-7")
    assert html.count('class="anpo-cite"') == 2
    assert 'href="#c0-7-1"' in html and 'href="#c0-7-2"' in html and "#c0-7-9" not in html
    assert "&#91;9&#93;" in html and "http://127" not in html.replace("http&#58;", "")
    assert "src=" not in html and "<img" not in html


def test_citation_html_escapes_the_title_and_drops_bad_urls():
    c = Citation(1, "up-x", "up-x#1", f"題名{BEACON}", "<script>x</script>", "本文[1](data:x)", url="data:text/html,x",
                 issuer="経済産業省", confirmed=False, highlight=((0, 2),))
    html = render.citation_html(c, "c1-2", {"issuer": "発行", "effective": "日付", "unconfirmed": "未確認",
                                           "open_source": "出典を開く"})
    assert "<script" not in html and "<img" not in html and "data:" not in html and "出典を開く" not in html
    assert 'id="c1-2-1"' in html and '<mark class="anpo-hl">本文</mark>' in html and "未確認" in html
    good = render.citation_html(Citation(2, "d", "d#1", "t", "l", "p", url="https://www.meti.go.jp/x"), "p", {
        "issuer": "", "effective": "", "unconfirmed": "", "open_source": "出典を開く"})
    assert 'href="https&#58;&#47;&#47;www&#46;meti&#46;go&#46;jp&#47;x"' in good and 'rel="noopener noreferrer' in good


def test_markdown_safe_keeps_structure_but_not_images_html_or_odd_links():
    md = f"# 規程\n\n- 会社: {BEACON}\n<img src=x>\n[a](javascript:x) [b](https://ok.example)\n[r]: data:x\n$x$"
    out = render.markdown_safe(md)
    assert out.startswith("# 規程") and "- 会社" in out
    assert "![" not in out and "<img" not in out and "](javascript" not in out and "\\[r]" in out
    assert "[b](https://ok.example)" in out and "\\$x\\$" in out


# -- errors in the user's language -----------------------------------------------------

CORE_ERRORS = [
    errors.SourceUnreadableError("broken.pdf", "is not a readable PDF (PdfStreamError)"),
    errors.SourceUnreadableError("x.exe", "has an unsupported type '.exe' (use PDF, Markdown, text or HTML)"),
    errors.SourceUnreadableError("big.pdf", "is 80 MB, larger than the 50 MB limit"),
    errors.SourceUnreadableError("odd.md", "something nobody wrote a row for (WeirdError)"),
    errors.BadInputError("profile field 'company' is missing; give the company name, e.g. `company: 株式会社サンプル`"),
    errors.BadInputError("profile field 'employees' must be a number (a whole number of people, e.g. `employees: 60`)"),
    errors.BadInputError("the profile must be a YAML mapping with at least the field 'company'"),
    errors.BadInputError("品目と仕向地を入力してください（the product and the destination are required）"),
    errors.BadInputError("the question is empty; type a question about export control"),
    errors.BadInputError("a brand-new message nobody mapped"),
    errors.IndexMissingError("no index has been built yet; run `anpo index`"),
    errors.IndexCorruptError("the index manifest in /x cannot be read; run `anpo index --rebuild`"),
    errors.BackendUnavailableError("the 'openai' backend did not answer (ConnectError)"),
    errors.AnpoError("the history file /x cannot be opened (disk I/O error)"),
    ValueError("KeyError: 'x'"),
]


@pytest.mark.parametrize("exc", CORE_ERRORS, ids=lambda e: type(e).__name__)
def test_japanese_ui_error_sentences_have_no_english(exc):
    ja = messages.user_message(exc, "ja")
    assert ja and not english_words(ja), ja
    en = messages.user_message(exc, "en")
    assert not JAPANESE.search(en) and type(exc).__name__ not in en and "Error" not in en, en


def test_error_sentences_name_the_problem():
    assert "会社名" in messages.user_message(CORE_ERRORS[4], "ja")
    assert "従業者数" in messages.user_message(CORE_ERRORS[5], "ja")
    assert "PDF" in messages.user_message(CORE_ERRORS[0], "ja") or "ＰＤＦ" in messages.user_message(CORE_ERRORS[0], "ja")
    assert "50" in messages.user_message(CORE_ERRORS[2], "ja", limit_mb=50)
    assert "“company”" in messages.user_message(CORE_ERRORS[4], "en")


# -- uploads, strings, identity ---------------------------------------------------------

def test_ingest_each_reports_per_file(assistant):
    before = [s.doc_id for s in assistant.sources()]
    seen = []
    out = ingest_each(assistant, [("broken.pdf", b"not a pdf"), ("memo.pdf", MINIMAL_PDF)],
                      progress=lambda d, t, n: seen.append((d, t)))
    assert [o.ok for o in out] == [False, True]
    assert isinstance(out[0].error, errors.AnpoError) and out[1].chunks >= 1
    assert not english_words(messages.user_message(out[0].error, "ja"))
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:])) and all(0 <= d <= 2 for d, _ in seen)
    if hasattr(assistant, "ingest_bytes"):          # the core's own steps show as fractions of a file
        assert any(0 < d < 2 and d % 1 for d, _ in seen), seen
    mine = uploaded_sources(assistant)
    assert [s.doc_id for s in mine] == [out[1].doc_id]
    assistant.remove(out[1].doc_id)
    assert [s.doc_id for s in assistant.sources()] == before


def test_safe_name_strips_folders_and_length():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..") == "upload.txt"
    assert len(safe_name("あ" * 300 + ".pdf")) <= 110 and safe_name("あ" * 300 + ".pdf").endswith(".pdf")


def test_ui_text_has_both_languages_and_starters():
    ja, en = ui_text.TEXT["ja"], ui_text.TEXT["en"]
    assert set(ja) == set(en)
    assert ui_text.text("nav_chat").endswith("相談")
    assert ui_text.text("explorer_count", "en", n=3) == "3 rows"
    assert ui_text.text("no_such_key", "en") == "no_such_key"
    for lang in ("ja", "en"):
        s = ui_text.starters(lang)
        assert set(s) == set(ui_text.USER_TYPES) and all(len(qs) >= 1 for qs in s.values())
    assert all(q.isascii() for qs in ui_text.starters("en").values() for q in qs)
    assert not any(english_words(q) for qs in ui_text.starters("ja").values() for q in qs)
    # the Japanese UI's own strings carry no English words (Markdown icon names aside)
    for key, value in ja.items():
        assert not english_words(value), (key, value)


def test_starters_are_questions_from_the_eval_sets():
    # the evaluation sets check that the shipped pack answers these wordings
    evals = (ROOT / "evals").glob("*.jsonl")
    known = " ".join(p.read_text(encoding="utf-8") for p in evals)
    ja = [q for qs in ui_text.starters("ja").values() for q in qs]
    assert sum(q in known for q in ja) >= len(ja) - 2


def test_owner_keys_and_session_ids():
    sid = identity.new_id()
    assert identity.valid_id(sid) == sid and identity.valid_id([sid]) == sid
    for bad in ("", "x" * 32, sid + "0", "../" + sid[3:], None, 5):
        assert identity.valid_id(bad) is None
    assert identity.owner_key(sid) == f"session:{sid}"
    assert identity.owner_key(sid, "A@Example.jp") == "user:a@example.jp"
    assert identity.owner_key(sid, None, "sub-1") == "user:sub-1"
    assert identity.new_id() != sid


def test_eta_and_csv_bom():
    assert render.eta_seconds(0, 10, 5.0) is None and render.eta_seconds(10, 10, 5.0) is None
    assert render.eta_seconds(2, 10, 4.0) == 16
    assert render.eta_seconds(0.5, 2, 1.0) == 3                      # half of the first file in 1 s
    data = render.csv_bytes("a,b\n日本,語\n")
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig") == "a,b\n日本,語\n"
    assert render.csv_bytes("\ufeffa").count(b"\xef\xbb\xbf") == 1


def test_draft_form_helpers():
    d = profile_data("株式会社テスト", employees=60, products="ボールねじ： 位置決め部品\n直動ガイド\n", exports_to="中国、タイ")
    assert d["products"] == [{"name": "ボールねじ", "description": "位置決め部品"}, "直動ガイド"]
    assert d["company"] == "株式会社テスト" and d["exports_to"] == "中国、タイ"
    assert read_questions("\ufeff# 見出し\nQ1？\n\n Q2？ \n".encode()) == ["Q1？", "Q2？"]


def test_japanese_labels_have_no_doubled_or_bare_punctuation():
    """「国・地域、、区切り」 read as a typo: no label doubles 、 or 。 or opens a bracket with one."""
    from app_ui.text import TEXT
    bad = {k: v for k, v in TEXT["ja"].items() if re.search(r"[、。]{2}|（[、。]", v)}
    assert not bad, bad
