"""Word and Markdown exports fit Japanese offices: a Japanese East Asian font, ja-JP, A4,
Word's own heading styles, and citations as superscript numbers with a sources appendix,
never [n] markers inside a CP's rule text.  The docx files are opened with python-docx and
their XML checked."""

import shutil

import pytest

from conftest import FIXTURES, TODAY

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def drafter(knowledge, settings):
    for sub in ("tables", "cases"):
        for f in (FIXTURES / "drafting_pack" / sub).iterdir():
            shutil.copy(f, knowledge / sub / f.name)
    from anpo.service import Assistant
    a = Assistant(settings, today=TODAY)
    a.ensure_index()
    return a


def _cp(drafter):
    from anpo.drafting import draft_cp, parse_profile
    return draft_cp(parse_profile({"company": "株式会社テスト", "employees": 40, "technology_transfer": True}), drafter)


def _style_fonts(d, name):
    rpr = d.styles[name].element.find(f"{W}rPr")
    return rpr.find(f"{W}rFonts"), rpr.find(f"{W}lang")


def _assert_japanese(d):
    from docx.shared import Cm
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        fonts, lang = _style_fonts(d, name)
        assert fonts.get(f"{W}eastAsia") in ("Yu Mincho", "Yu Gothic"), name
        assert fonts.get(f"{W}eastAsiaTheme") is None, name      # a theme font would override it
        assert lang.get(f"{W}eastAsia") == "ja-JP" and lang.get(f"{W}val") == "ja-JP", name
    defaults = d.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "ja-JP"
    sec = d.sections[0]
    assert abs(sec.page_width - Cm(21.0)) < Cm(0.1) and abs(sec.page_height - Cm(29.7)) < Cm(0.1)
    assert d.core_properties.language == "ja-JP"
    assert d.styles["Normal"].font.size.pt == 10.5


def test_cp_docx_japanese_styles_chapters_and_no_markers_in_rules(drafter, tmp_path):
    import docx
    from anpo.answering import MARKER
    from anpo.documents import render_docx
    doc = _cp(drafter)
    d = docx.Document(str(render_docx(doc, tmp_path / "cp.docx")))
    _assert_japanese(d)
    paras = d.paragraphs
    styles = {p.text: p.style.name for p in paras if p.style.name.startswith(("Heading", "Title"))}
    assert styles[doc.title] == "Title"
    assert styles["第1章　総則"] == "Heading 1" and styles["第1条（目的）"] == "Heading 2"
    assert styles["別紙　様式"] == "Heading 1" and styles["様式2　取引審査票"] == "Heading 2"
    assert styles["出典"] == "Heading 1" and any(h.startswith("解説") for h in styles)
    # rule text: from the first chapter heading to the forms, no [n] and no superscript numbers
    start = next(i for i, p in enumerate(paras) if p.text == "第1章　総則")
    end = next(i for i, p in enumerate(paras) if p.text == "別紙　様式")
    for p in paras[start:end]:
        assert not MARKER.search(p.text), p.text
        assert not any(r.font.superscript for r in p.runs), p.text
    # notes appendix: references as superscript numbers that exist in the sources
    notes_start = next(i for i, p in enumerate(paras) if p.text.startswith("解説"))
    sups = [r.text for p in paras[notes_start:] for r in p.runs if r.font.superscript]
    assert sups and {int(s) for s in sups} <= {c.n for c in doc.citations}
    text = "\n".join(p.text for p in paras)
    assert all(f"[{c.n}] {c.title}" in text for c in doc.citations)


def test_brief_docx_superscript_references(drafter, tmp_path):
    import docx
    from anpo.documents import render_docx
    from anpo.drafting import draft_brief, parse_profile
    doc = draft_brief(parse_profile({"company": "株式会社B", "exports_to": ["中国", "大韓民国"],
                                     "products": [{"name": "制御基板", "description": "集積回路を搭載"}]}), drafter)
    d = docx.Document(str(render_docx(doc, tmp_path / "brief.docx")))
    _assert_japanese(d)
    dest = next(p for p in d.paragraphs if p.text.startswith("・中国"))
    assert "[" not in dest.text and any(r.font.superscript and r.text.isdigit() for r in dest.runs)


def test_markdown_cp_keeps_markers_out_of_rule_text(drafter):
    from anpo.documents import render_markdown
    md = render_markdown(_cp(drafter))
    rules = md.split("## 別紙")[0].split("## 第1章")[1]
    import re
    assert not re.search(r"\[\d+\]", rules)
    assert "### 第1条（目的）" in md and "## 解説" in md and "## 出典" in md and "### 様式1　該非判定書" in md


def test_handout_docx_is_japanese_with_superscript_references(assistant, tmp_path):
    import docx
    from anpo.documents import handout_docx
    qs = ["展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？", "今日の天気は？"]
    answers = [assistant.ask(q) for q in qs]
    d = docx.Document(str(handout_docx(answers, tmp_path / "handout.docx", today=TODAY)))
    _assert_japanese(d)
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "目次" in heads and f"Q1. {qs[0]}" in heads and f"Q2. {qs[1]}" in heads and "出典" in heads
    text = "\n".join(p.text for p in d.paragraphs)
    assert "根拠資料の最新日付: 2026-02-14" in text
    assert answers[0].citations[0].text.splitlines()[0] in text
    body = [p for p in d.paragraphs if any(r.font.superscript for r in p.runs)]
    assert body and all("[" not in p.text for p in body)


def test_brief_sources_appendix_is_shorter_than_the_brief(drafter):
    from anpo.documents import render_markdown
    from anpo.drafting import draft_brief, parse_profile
    doc = draft_brief(parse_profile({"company": "株式会社B", "exports_to": ["中国", "大韓民国"], "foreign_staff": True,
                                     "technology_transfer": True, "overseas_subsidiaries": ["タイ"],
                                     "products": [{"name": "制御基板", "description": "集積回路を搭載"}]}), drafter)
    md = render_markdown(doc)
    body, sources = md.split("## 出典")[0], md.split("## 出典")[1].split("## この草案")[0]
    assert len(doc.citations) >= 5 and len(sources) < len(body)
    quotes = [l[4:] for l in sources.splitlines() if l.startswith("  > ")]
    assert len(quotes) == len(doc.citations) and all(len(q) <= 121 for q in quotes)
    from dataclasses import replace
    from anpo.documents import _excerpt
    c = replace(doc.citations[0], text="最初の文です。" + "長い説明が続きます。" * 30)
    assert _excerpt(c, "brief") == "最初の文です。" and _excerpt(c, "cp") == c.text
    cp_md = render_markdown(_cp(drafter))
    assert all(c.text.replace("\n", " ") in cp_md for c in _cp(drafter).citations)   # a CP quotes its sources whole
