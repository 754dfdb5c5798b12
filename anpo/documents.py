"""Drafted documents and seminar handouts rendered to files: Markdown and Word (python-docx).
Pure rendering: takes the frozen `DraftDoc` / `Answer` objects, decides nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Sequence

from anpo.models import Answer, Citation

SOURCES_HEADING = "出典"
NOT_COVERED_HEADING = "この草案で扱っていないこと"
DISCLAIMER = "本資料は anpo が公開資料に基づいて作成した参考資料です。最終的な判断は経済産業省にご確認ください。"


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


def render_markdown(doc) -> str:
    out = [f"# {doc.title}", ""]
    for p in doc.preface:
        out += [f"> {p}", ""]
    for s in doc.sections:
        out += [f"## {s.heading}", ""]
        for i, para in enumerate(s.paragraphs, 1):
            out += ["  \n".join(_paragraph_lines(doc.kind, i, para)), ""]
        if s.note:
            out += [f"*{s.note}*", ""]
    for n in doc.notes:
        out += [n, ""]
    out += [f"## {SOURCES_HEADING}", ""]
    if doc.knowledge_as_of:
        out += [f"根拠資料の最新日付: {doc.knowledge_as_of}", ""]
    for c in doc.citations:
        out.append(f"- {_source_line(c)}" + (f" <{c.url}>" if c.url else ""))
        out.append(f"  > {c.text.replace(chr(10), ' ')}")
    out += ["", f"## {NOT_COVERED_HEADING}", ""]
    out += [f"- {x}" for x in doc.not_covered]
    out += ["", "---", DISCLAIMER, ""]
    return "\n".join(out)


def _new_document(title: str):
    from docx import Document
    d = Document()
    d.core_properties.title = title
    d.add_heading(title, level=0)
    return d


def _add_sources(d, citations: Sequence[Citation], with_text: bool = True) -> None:
    for c in citations:
        p = d.add_paragraph(_source_line(c))
        if c.url:
            p.add_run(f"  {c.url}").italic = True
        if with_text:
            q = d.add_paragraph(c.text)
            q.paragraph_format.left_indent = _indent()


def _indent():
    from docx.shared import Cm
    return Cm(0.8)


def render_docx(doc, path) -> Path:
    path = Path(path)
    d = _new_document(doc.title)
    for p in doc.preface:
        d.add_paragraph(p).runs[0].italic = True
    for s in doc.sections:
        d.add_heading(s.heading, level=1)
        for i, para in enumerate(s.paragraphs, 1):
            lines = _paragraph_lines(doc.kind, i, para)
            d.add_paragraph(lines[0])
            for line in lines[1:]:
                q = d.add_paragraph(line)
                q.paragraph_format.left_indent = _indent()
        if s.note:
            d.add_paragraph().add_run(s.note).italic = True
    for n in doc.notes:
        d.add_paragraph(n)
    d.add_heading(SOURCES_HEADING, level=1)
    if doc.knowledge_as_of:
        d.add_paragraph(f"根拠資料の最新日付: {doc.knowledge_as_of}")
    _add_sources(d, doc.citations)
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
    its answer and sources."""
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
                d.add_paragraph(line)
        if not a.grounded:
            d.add_paragraph().add_run("（ナレッジベースの対象外）").italic = True
        if a.citations:
            d.add_heading(SOURCES_HEADING, level=2)
            _add_sources(d, a.citations)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    return path
