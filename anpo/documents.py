"""Drafted documents and seminar handouts rendered to files: Markdown and Word (python-docx).

Pure rendering: takes the frozen `DraftDoc` / `Answer` objects, decides nothing. Word files
are made for Japanese offices: A4, a Japanese font on East Asian runs (w:eastAsia), language
ja-JP, Word's built-in heading styles (shown as 見出し 1/2/3 in Japanese Word), and citations as
superscript numbers that point to a sources appendix. A CP's rule text carries no markers: its
notes (解説) go to an appendix that maps each article to the criteria and sources.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Sequence

from anpo.answering import MARKER
from anpo.models import Answer, Citation

SOURCES_HEADING = "出典"
NOTES_HEADING = "解説（各条が対応する輸出者等遵守基準と資料）"
FORMS_HEADING = "別紙　様式"
NOT_COVERED_HEADING = "この草案で扱っていないこと"
DISCLAIMER = "本資料は anpo が公開資料に基づいて作成した参考資料です。最終的な判断は経済産業省にご確認ください。"
BODY_FONT = "Yu Mincho"          # 游明朝: on every Windows and Mac Office; viewers substitute a CJK serif
HEADING_FONT = "Yu Gothic"       # 游ゴシック
LANG = "ja-JP"


def _paragraph_lines(kind: str, i: int, para: str) -> list[str]:
    """A CP article's second and later 項 carry their number (２, ３ …), as rules are written."""
    lines = para.split("\n")
    if kind == "cp" and i > 1:
        lines[0] = f"{_zen(i)}　{lines[0]}"
    return lines


def _zen(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _source_line(c: Citation) -> str:
    when = f"（{c.effective_date}）" if c.effective_date else ""
    return f"[{c.n}] {c.title} — {c.locator}{when}" + ("" if c.confirmed else "（未確認）")


def _excerpt(c: Citation, kind: str) -> str:
    """The cited passage: whole in a CP (a rule's reader checks it), its first sentence in a
    brief, whose sources must not outgrow the brief."""
    text = c.text.replace("\n", " ")
    if kind != "brief":
        return text
    first = text.split("。")[0] + "。"
    return first if len(first) < len(text) and len(first) <= 120 else text[:120] + ("…" if len(text) > 120 else "")


def _note_text(note: str) -> str:
    return note.removeprefix("（解説）")


def _chapters(doc):
    """(chapter or "", sections) runs in order, so a chapter heading is written once."""
    out: list[tuple[str, list]] = []
    for s in doc.sections:
        if not out or out[-1][0] != s.chapter:
            out.append((s.chapter, []))
        out[-1][1].append(s)
    return out


# ----------------------------------------------------------------- Markdown

def _md_section(doc, s, level: str) -> list[str]:
    out = [f"{level} {s.heading}", ""]
    for i, para in enumerate(s.paragraphs, 1):
        out += ["  \n".join(_paragraph_lines(doc.kind, i, para)), ""]
    if s.note and doc.kind != "cp":
        out += [f"*{s.note}*", ""]
    return out


def _nested(chapter: str, sections) -> bool:
    """Articles sit under their chapter's heading; a stand-alone part (附則, a brief's section) does not."""
    return bool(chapter) and chapter != sections[0].heading


def _md_body(doc) -> list[str]:
    out = []
    for chapter, sections in _chapters(doc):
        nested = _nested(chapter, sections)
        if nested:
            out += [f"## {chapter}", ""]
        for s in sections:
            out += _md_section(doc, s, "###" if nested else "##")
    return out


def _md_appendices(doc) -> list[str]:
    out = []
    if doc.appendices:
        out += [f"## {FORMS_HEADING}", ""]
        for s in doc.appendices:
            out += [f"### {s.heading}", ""] + ["  \n".join(p.split("\n")) + "\n" for p in s.paragraphs]
    notes = [(s.heading, s.note) for s in doc.sections if s.note] if doc.kind == "cp" else []
    if notes:
        out += [f"## {NOTES_HEADING}", ""] + [f"- **{h}** {_note_text(n)}" for h, n in notes] + [""]
    return out


def render_markdown(doc) -> str:
    out = [f"# {doc.title}", ""]
    for p in doc.preface:
        out += [f"> {p}", ""]
    out += _md_body(doc) + _md_appendices(doc)
    for n in doc.notes:
        out += [n, ""]
    out += [f"## {SOURCES_HEADING}", ""]
    if doc.knowledge_as_of:
        out += [f"根拠資料の最新日付: {doc.knowledge_as_of}", ""]
    for c in doc.citations:
        out.append(f"- {_source_line(c)}" + (f" <{c.url}>" if c.url else ""))
        out.append(f"  > {_excerpt(c, doc.kind)}")
    out += ["", f"## {NOT_COVERED_HEADING}", ""]
    out += [f"- {x}" for x in doc.not_covered]
    out += ["", "---", DISCLAIMER, ""]
    return "\n".join(out)


# ----------------------------------------------------------------- Word

def _set_fonts(style, east_asia: str) -> None:
    """A style's East Asian font and language (what Word uses for Japanese text)."""
    from docx.oxml.ns import qn
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    _set_lang(rpr)


def _set_lang(rpr) -> None:
    from docx.oxml.ns import qn
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)


def _japanese_defaults(d) -> None:
    """Document defaults, Normal, Title and Heading 1–3 in Japanese fonts and ja-JP."""
    from docx.oxml.ns import qn
    defaults = d.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is not None:
                fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
                fonts.set(qn("w:eastAsia"), BODY_FONT)
            _set_lang(rpr)
    _set_fonts(d.styles["Normal"], BODY_FONT)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        _set_fonts(d.styles[name], HEADING_FONT)
    _compact(d)


def _compact(d) -> None:
    """10.5 pt body and tight spacing, as Japanese office documents are set (a brief fits two A4 pages)."""
    from docx.shared import Pt
    normal = d.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.15
    for name, before in (("Heading 1", 12), ("Heading 2", 8), ("Heading 3", 6)):
        d.styles[name].paragraph_format.space_before = Pt(before)
        d.styles[name].paragraph_format.space_after = Pt(3)


def _a4(d) -> None:
    from docx.shared import Cm
    for s in d.sections:
        s.page_width, s.page_height = Cm(21.0), Cm(29.7)
        s.left_margin = s.right_margin = Cm(2.0)
        s.top_margin = s.bottom_margin = Cm(2.0)


def _new_document(title: str):
    from docx import Document
    d = Document()
    d.core_properties.title = title
    d.core_properties.language = LANG
    _japanese_defaults(d)
    _a4(d)
    d.add_heading(title, level=0)
    return d


def _add_text(paragraph, text: str, italic: bool = False) -> None:
    """Text whose [n] markers become superscript numbers (a footnote-style reference)."""
    pos = 0
    for m in MARKER.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos:m.start()]).italic = italic
        paragraph.add_run(m.group(1)).font.superscript = True
        pos = m.end()
    if pos < len(text):
        paragraph.add_run(text[pos:]).italic = italic


def _add_sources(d, citations: Sequence[Citation], kind: str = "") -> None:
    for c in citations:
        p = d.add_paragraph(_source_line(c))
        if c.url:
            p.add_run(f"  {c.url}").italic = True
        q = d.add_paragraph(_excerpt(c, kind))
        q.paragraph_format.left_indent = _indent()


def _indent():
    from docx.shared import Cm
    return Cm(0.8)


def _docx_section(d, doc, s, level: int) -> None:
    d.add_heading(s.heading, level=level)
    for i, para in enumerate(s.paragraphs, 1):
        lines = _paragraph_lines(doc.kind, i, para)
        _add_text(d.add_paragraph(), lines[0])
        for line in lines[1:]:
            q = d.add_paragraph()
            _add_text(q, line)
            q.paragraph_format.left_indent = _indent()
    if s.note and doc.kind != "cp":
        _add_text(d.add_paragraph(), s.note, italic=True)


def _docx_appendices(d, doc) -> None:
    if doc.appendices:
        d.add_heading(FORMS_HEADING, level=1)
        for s in doc.appendices:
            d.add_heading(s.heading, level=2)
            for para in s.paragraphs:
                for line in para.split("\n"):
                    d.add_paragraph(line)
    notes = [(s.heading, s.note) for s in doc.sections if s.note] if doc.kind == "cp" else []
    if notes:
        d.add_heading(NOTES_HEADING, level=1)
        for heading, note in notes:
            p = d.add_paragraph(style="List Bullet")
            p.add_run(f"{heading}　").bold = True
            _add_text(p, _note_text(note))


def render_docx(doc, path) -> Path:
    path = Path(path)
    d = _new_document(doc.title)
    for p in doc.preface:
        _add_text(d.add_paragraph(), p, italic=True)
    for chapter, sections in _chapters(doc):
        nested = _nested(chapter, sections)
        if nested:
            d.add_heading(chapter, level=1)
        for s in sections:
            _docx_section(d, doc, s, 2 if nested else 1)
    _docx_appendices(d, doc)
    for n in doc.notes:
        d.add_paragraph(n)
    d.add_heading(SOURCES_HEADING, level=1)
    if doc.knowledge_as_of:
        d.add_paragraph(f"根拠資料の最新日付: {doc.knowledge_as_of}")
    _add_sources(d, doc.citations, doc.kind)
    d.add_heading(NOT_COVERED_HEADING, level=1)
    for x in doc.not_covered:
        d.add_paragraph(x, style="List Bullet")
    d.add_paragraph(DISCLAIMER)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    return path


def handout_docx(answers: Sequence[Answer], path, title: str = "安全保障貿易管理 Q&A 配布資料",
                 today: date | None = None) -> Path:
    """The seminar handout: title, dates, a list of the questions, then each question with
    its answer (markers as superscript numbers) and its sources."""
    from anpo.formatting import knowledge_date
    path = Path(path)
    today = today or date.today()
    d = _new_document(title)
    d.add_paragraph(f"作成日: {today.isoformat()}　／　根拠資料の最新日付: {knowledge_date(answers) or '—'}")
    d.add_paragraph(DISCLAIMER)
    d.add_heading("目次", level=1)
    for i, a in enumerate(answers, 1):
        d.add_paragraph(f"Q{i}. {a.question}")
    for i, a in enumerate(answers, 1):
        d.add_heading(f"Q{i}. {a.question}", level=1)
        for line in a.answer.splitlines():
            if line.strip():
                _add_text(d.add_paragraph(), line)
        if not a.grounded:
            d.add_paragraph().add_run("（ナレッジベースの対象外）").italic = True
        if a.citations:
            d.add_heading(SOURCES_HEADING, level=2)
            _add_sources(d, a.citations)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    return path
