"""Citations: turning a draft's [n] markers into checked citations, and refusals.

`finalize` renumbers markers by first use, keeps only cited passages as citations and adds
the few caveats that say something, each about the sources the answer's lead (its first
line) relies on: one date caveat, only for time-sensitive questions whose source is over a
year old; an unconfirmed source named once, unless a confirmed cited passage states the
same; user-uploaded sources named once.  Provenance notes never reach the answer text.
`check_citations` verifies that every marker resolves and every cited text is exactly an
indexed passage; the pipeline replaces an answer that fails it by a refusal.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Callable, Sequence

from anpo.models import Answer, Citation
from retrieval.types import Chunk, Hit

MARKER = re.compile(r"\[(\d+)\]")
ASK_METI = ("経済産業省 安全保障貿易審査課、または最寄りの経済産業局（安全保障貿易管理の担当窓口）")
DESK_LINE = f"判断に迷う場合は、{ASK_METI}に相談してください。"
UPLOAD_ISSUER = "利用者アップロード"
_UNCONFIRMED_MARK = re.compile(r"（未確認）|\(未確認\)")


def refusal(question: str, backend: str, english: bool = False, reason: str | None = None,
            field: str | None = None, desk: str | None = None) -> Answer:
    if field and desk and desk != "—":
        lead = (f"ご質問は「{field}」に関するもので、このナレッジベース（安全保障貿易管理・外為法に基づく輸出管理）"
                f"の対象外のため、お答えできません。{desk}にご確認ください。")
    else:
        lead = ("ご質問の内容は、このナレッジベース（安全保障貿易管理・外為法に基づく輸出管理）では確認できないため、"
                "お答えできません。")
    text = lead + (reason or "") + f"安全保障貿易管理に関するご相談は、{ASK_METI}にお問い合わせください。"
    if english:
        text = ("This is not covered by the knowledge base (Japanese security export control), so I cannot answer it. "
                "For export-control questions, contact METI's Security Export Control Policy / Licensing divisions "
                "or your regional METI bureau.\n") + text
    return Answer(question=question, answer=text, grounded=False, backend=backend)


def older_than_a_year(d: str | None, today: date) -> bool:
    if not d:
        return False
    try:
        y, m, *rest = [int(x) for x in d.split("-")]
        when = date(y, m, rest[0] if rest else 1)
    except (ValueError, TypeError):
        return False
    return when < today - timedelta(days=365)


def is_upload(c) -> bool:
    """A passage or citation that a user uploaded (anpo.provenance decides, when present)."""
    try:
        from anpo.provenance import is_upload as upload
    except ImportError:
        return (getattr(c, "issuer", None) or "") == UPLOAD_ISSUER
    return upload(c)


def lead_numbers(text: str) -> list[int]:
    """The markers of the answer's first line: the sources its lead relies on."""
    first = next((l for l in text.split("\n") if l.strip()), "")
    return [int(n) for n in MARKER.findall(first)]


def _stated_by_confirmed(c: Citation, citations: Sequence[Citation]) -> bool:
    """Every sentence quoted from the unconfirmed passage `c` also stands in a confirmed cited
    passage (the fact is stated by a primary source)."""
    from retrieval.textnorm import normalize
    quoted = [normalize(_UNCONFIRMED_MARK.sub("", c.text[s:e])).rstrip("。") for s, e in c.highlight]
    primary = [normalize(d.text) for d in citations if d.confirmed and not is_upload(d)]
    return bool(quoted) and all(any(q and q in p for p in primary) for q in quoted)


def _caveats(citations: Sequence[Citation], today: date, time_sensitive: bool, lead: Sequence[int] = ()) -> list[str]:
    """At most one date caveat and one unconfirmed caveat, each only about the sources the
    lead relies on (the first line's markers; every citation when `lead` is empty)."""
    out = []
    relied = [c for c in citations if c.n in lead] or list(citations)
    old = [c for c in relied if older_than_a_year(c.effective_date, today)]
    if old and time_sensitive:
        c = old[0]
        out.append(f"※ [{c.n}]は{c.effective_date}時点の情報です。その後の改正がないか、経済産業省の最新情報で確認してください。")
    unconfirmed = [c for c in relied if not c.confirmed and not is_upload(c) and not _stated_by_confirmed(c, citations)]
    if unconfirmed:
        out.append(f"※ {'、'.join(f'[{c.n}]' for c in unconfirmed)}は一次資料で確認できていない補足情報です。")
    try:
        from anpo.provenance import label_notes
    except ImportError:
        return out
    return out + label_notes(citations)


def finalize(question: str, backend: str, draft, hits: Sequence[Hit], today: date | None = None,
             notes: Sequence[str] = (), time_sensitive: bool = True, desk: bool = False) -> Answer:
    """Renumber markers by first use, keep only cited passages, add caveats.  `desk` adds the
    line saying whom to ask (refusals and deal checklists only)."""
    today = today or date.today()
    order: list[int] = []
    for m in MARKER.finditer(draft.text):
        pos = int(m.group(1))
        if 1 <= pos <= len(hits) and pos not in order:
            order.append(pos)
    renum = {pos: n for n, pos in enumerate(order, 1)}

    def sub(m):
        pos = int(m.group(1))
        return f"[{renum[pos]}]" if pos in renum else ""

    text = _UNCONFIRMED_MARK.sub("", MARKER.sub(sub, draft.text)).strip()
    citations = []
    for pos in order:
        c = hits[pos - 1].chunk
        citations.append(Citation(
            n=renum[pos], doc_id=c.doc_id, chunk_id=c.chunk_id, title=c.title, locator=c.locator,
            text=c.text, url=c.url, effective_date=c.effective_date, issuer=c.issuer,
            confirmed=c.confirmed, highlight=draft.highlights.get(pos, ()),
        ))
    if not citations:
        return refusal(question, backend)
    lines = _caveats(citations, today, time_sensitive, lead_numbers(text)) + ([DESK_LINE] if desk else [])
    if lines:
        text = text + "\n" + "\n".join(lines)
    dates = sorted({c.effective_date for c in citations if c.effective_date})
    return Answer(question=question, answer=text, grounded=True, backend=backend,
                  citations=tuple(citations), notes=tuple(notes) + tuple(getattr(draft, "notes", ())),
                  knowledge_as_of=dates[-1] if dates else None)


def check_citations(answer: Answer, lookup: Callable[[str], Chunk | None]) -> list[str]:
    """Problems with an answer's citations; empty when every [n] resolves to a citation and
    every citation is exactly an indexed passage."""
    problems = []
    numbers = {c.n for c in answer.citations}
    markers = {int(m) for m in MARKER.findall(answer.answer)}
    for n in sorted(markers - numbers):
        problems.append(f"marker [{n}] has no citation")
    if answer.grounded and (not answer.citations or not markers):
        problems.append("grounded answer without citations or markers")
    for c in answer.citations:
        chunk = lookup(c.chunk_id)
        if chunk is None:
            problems.append(f"citation [{c.n}] points to {c.chunk_id}, which is not in the index")
        elif chunk.text != c.text or chunk.doc_id != c.doc_id:
            problems.append(f"citation [{c.n}] text differs from the indexed passage {c.chunk_id}")
        for s, e in c.highlight:
            if not (0 <= s < e <= len(c.text)):
                problems.append(f"citation [{c.n}] highlight {s}-{e} is outside its text")
    return problems
