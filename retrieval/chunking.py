"""Japanese-aware chunking: sections are cut into chunks of whole sentences (。！？ and
line ends), about 200–400 characters; table rows stay one chunk each.  The section's
locator is prefixed to the search text (not to the displayed text).  Chunks of uploads carry
`origin="upload"` and are never `confirmed`, so answers can label them as user-supplied; only
they are checked for instruction-like text (`suspicious`): the shipped pack is reviewed data
and a test keeps it free of such sentences, so indexing it pays nothing for the check."""

from __future__ import annotations

from retrieval.injection import looks_like_instruction
from retrieval.textnorm import expand, sentence_spans
from retrieval.types import Chunk, LoadedDoc, Section

MAX_CHARS = 400
MIN_CHARS = 120


def _pieces(section: Section, max_chars: int) -> list[str]:
    if section.is_row or len(section.text) <= max_chars:
        return [section.text]
    text = section.text
    out: list[list[int]] = []          # [start, end] offsets of each chunk in the section
    for s, e in sentence_spans(text):
        if out and (e - out[-1][0] <= max_chars or out[-1][1] - out[-1][0] < MIN_CHARS):
            out[-1][1] = e
        else:
            out.append([s, e])
    if len(out) > 1 and out[-1][1] - out[-1][0] < MIN_CHARS // 2 \
            and out[-1][1] - out[-2][0] <= max_chars * 1.3:
        # a tiny tail joins the previous chunk rather than standing alone
        tail = out.pop()
        out[-1][1] = tail[1]
    return [text[s:e] for s, e in out]


def chunk_document(doc: LoadedDoc, max_chars: int = MAX_CHARS) -> list[Chunk]:
    m = doc.meta
    chunks: list[Chunk] = []
    for section in doc.sections:
        for piece in _pieces(section, max_chars):
            if not piece.strip():
                continue
            prefix = section.locator
            if m.kind == "case":
                prefix = f"{m.title} {section.locator}"
            search = expand(f"{prefix}\n{piece}")
            chunks.append(Chunk(
                chunk_id=f"{m.doc_id}#{len(chunks) + 1:04d}",
                doc_id=m.doc_id,
                title=m.title,
                locator=section.locator,
                text=piece,
                search_text=search,
                embed_text=f"{prefix}\n{piece}",
                url=section.url or m.url,
                effective_date=section.effective_date or m.effective_date or m.published,
                issuer=m.issuer,
                kind=m.kind,
                confirmed=section.confirmed and m.origin != "upload",
                suspicious=m.origin == "upload" and looks_like_instruction(piece, strict=True),
                origin=m.origin,
                fields=section.fields,
            ))
    return chunks
