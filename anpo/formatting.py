"""Answers rendered for people and files: terminal text, Markdown handouts, CSV, JSON lines."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Sequence

from anpo.models import Answer, SourceInfo


def _english(a: Answer) -> bool:
    """An answer to an English question: its citations carry the English beside the Japanese."""
    return any(c.text_en for c in a.citations) or (not a.citations and a.answer[:1].isascii())


def answer_text(a: Answer) -> str:
    en = _english(a)
    out = [a.answer]
    if a.notes:
        out += [""] + [f"{'Note' if en else '注'}: {n}" for n in a.notes]
    if a.citations:
        out += ["", "Sources (the Japanese passage is the authority; English beside it):" if en else "出典:"]
        for c in a.citations:
            when = (f" (date: {c.effective_date})" if en else f"（日付: {c.effective_date}）") if c.effective_date else ""
            out.append(f"[{c.n}] {c.title} — {c.locator}{when}")
            if c.url:
                out.append(f"    {c.url}")
            for line in c.text.splitlines():
                out.append(f"    > {line}")
            if c.text_en:
                out.append(f"    EN: {c.text_en}")
    return "\n".join(out)


def answer_json(a: Answer) -> str:
    return json.dumps(a.to_dict(), ensure_ascii=False)


def batch_jsonl(answers: Sequence[Answer]) -> str:
    return "".join(answer_json(a) + "\n" for a in answers)


def batch_csv(answers: Sequence[Answer]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["no", "question", "answer", "grounded", "sources"])
    for i, a in enumerate(answers, 1):
        srcs = " | ".join(f"[{c.n}] {c.title} {c.locator} {c.effective_date or ''} {c.url or ''}".strip()
                          for c in a.citations)
        w.writerow([i, a.question, a.answer, "true" if a.grounded else "false", srcs])
    return buf.getvalue()


def knowledge_date(answers: Sequence[Answer]) -> str | None:
    dates = [a.knowledge_as_of for a in answers if a.knowledge_as_of]
    return max(dates) if dates else None


def batch_markdown(answers: Sequence[Answer], title: str = "安全保障貿易管理 Q&A 配布資料",
                   today: date | None = None) -> str:
    today = today or date.today()
    kd = knowledge_date(answers)
    out = [f"# {title}", "",
           f"作成日: {today.isoformat()}　／　根拠資料の最新日付: {kd or '—'}", "",
           "> 本資料は anpo が公開資料に基づいて作成した参考回答です。最終的な判断は経済産業省にご確認ください。", "",
           "## 目次", ""]
    for i, a in enumerate(answers, 1):
        out.append(f"{i}. [{a.question}](#q{i})")
    out.append("")
    for i, a in enumerate(answers, 1):
        out += [f'<a id="q{i}"></a>', f"## Q{i}. {a.question}", "", a.answer.replace("\n", "  \n"), ""]
        if not a.grounded:
            out += ["*（ナレッジベースの対象外）*", ""]
        if a.citations:
            out += ["**出典**", ""]
            for c in a.citations:
                when = f"（{c.effective_date}）" if c.effective_date else ""
                link = f" <{c.url}>" if c.url else ""
                out.append(f"- [{c.n}] {c.title} — {c.locator}{when}{link}")
                out.append(f"  > {c.text.replace(chr(10), ' ')}")
            out.append("")
    return "\n".join(out)


def sources_table(sources: Sequence[SourceInfo]) -> str:
    rows = [("id", "title", "issuer", "date", "chunks")]
    for s in sources:
        rows.append((s.doc_id, s.title, s.issuer or "—", s.date or "—", str(s.chunks)))
    return "\n".join("\t".join(r) for r in rows)
