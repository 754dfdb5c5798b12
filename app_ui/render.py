"""Display helpers for the chat and the lists, pure and tested without Streamlit.

Every string that comes from a document, an upload, a question or the history is
untrusted: it reaches the page only as escaped Markdown text (`md_text`) or as escaped
HTML built here (`esc`, `answer_html`, `citation_html`).  Links are generated from
trusted data only (citation numbers we assign) or pass `safe_url` (http/https only), so a
title holding a Markdown image is never fetched and a `data:`/`javascript:` link is never
clickable."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

_PIECE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+|\n|$)")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def answer_pieces(text: str) -> list[str]:
    """The answer as sentence-sized pieces whose concatenation is exactly `text`."""
    pieces = [m.group() for m in _PIECE.finditer(text) if m.group()]
    return pieces if "".join(pieces) == text else [text]


def highlight_runs(text: str, spans: Iterable[Sequence[int]]) -> list[tuple[str, bool]]:
    """`text` as consecutive (run, highlighted) pairs; overlapping or out-of-range spans
    are merged and clamped, so a bad offset never hides or duplicates text."""
    clean = sorted((max(0, min(s, len(text))), max(0, min(e, len(text)))) for s, e in spans)
    merged: list[list[int]] = []
    for s, e in clean:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def md_text(s: str | None) -> str:
    """`s` as Markdown that renders as exactly its text: every ASCII punctuation mark is
    backslash-escaped (no links, images, emphasis, HTML, math or Streamlit directives),
    line breaks are kept.  For labels, captions and `st.markdown` of untrusted strings."""
    s = _CONTROL.sub(" ", s or "")
    out = "".join("\\" + ch if ch in _ASCII_PUNCT else ch for ch in s)
    return out.replace("\r\n", "\n").replace("\n", "  \n")


def one_line(s: str | None, limit: int = 120) -> str:
    """A label-sized single line of `s` (still untrusted: pass it through `md_text`)."""
    flat = " ".join((s or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def esc(s: str | None) -> str:
    """`s` as HTML text on one line: HTML-escaped, and every ASCII punctuation mark as a
    numeric entity, so neither HTML nor Markdown (nor Streamlit's directives) can act on it
    wherever Streamlit's Markdown renderer meets it.  Line breaks become <br>."""
    s = _CONTROL.sub(" ", (s or "").replace("\r\n", "\n"))
    out = []
    for ch in s:
        if ch == "\n":
            out.append("<br>")
        elif ch in _ASCII_PUNCT:
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def safe_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) link, else None (never `data:`, `javascript:`…)."""
    u = (url or "").strip()
    if not u or any(c.isspace() or c in "<>\"'`\\" for c in u) or _CONTROL.search(u):
        return None
    return u if re.match(r"(?i)^https?://[^/\s]", u) else None


def anchor(prefix: str, n: int) -> str:
    """The id of citation `n`'s passage in the answer block `prefix` (trusted: ours)."""
    return f"{re.sub(r'[^a-z0-9-]', '', prefix.lower())}-{int(n)}"


def answer_html(text: str, numbers: Iterable[int], prefix: str) -> str:
    """The answer as escaped HTML whose `[n]` markers (for known citation numbers) are
    links to that citation's passage on the same page."""
    known = {int(n) for n in numbers}
    out, pos = [], 0
    for m in _MARKER.finditer(text or ""):
        n = int(m.group(1))
        if n not in known:
            continue
        out.append(esc(text[pos:m.start()]))
        out.append(f'<a class="anpo-cite" href="#{anchor(prefix, n)}" title="{n}">&#91;{n}&#93;</a>')
        pos = m.end()
    out.append(esc((text or "")[pos:]))
    return f'<div class="anpo-answer">{"".join(out)}</div>'


def passage_html(passage: str, spans) -> str:
    """A passage with its supporting sentences highlighted, escaped."""
    body = "".join(f'<mark class="anpo-hl">{esc(r)}</mark>' if hl else esc(r)
                   for r, hl in highlight_runs(passage, spans))
    return f'<div class="anpo-passage">{body}</div>'


def citation_label(c) -> str:
    """"[n] title — locator（date）" as plain text (untrusted)."""
    when = f"（{c.effective_date}）" if c.effective_date else ""
    return f"[{c.n}] {one_line(c.title)} — {one_line(c.locator)}{when}"


def citation_html(c, prefix: str, labels: dict[str, str]) -> str:
    """One citation as a closed <details> whose passage carries the id the answer's
    `[n]` link points at: following the link opens it (the browser expands a closed
    details element when a fragment navigation targets its content)."""
    meta = [f"{esc(labels['issuer'])}: {esc(c.issuer)}" if c.issuer else "",
            f"{esc(labels['effective'])}: {esc(c.effective_date)}" if c.effective_date else "",
            esc(labels["unconfirmed"]) if not c.confirmed else ""]
    meta_html = "　".join(m for m in meta if m)
    url = safe_url(c.url)
    link = (f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">{esc(labels["open_source"])}</a>'
            if url else "")
    return (f'<details class="anpo-cit"><summary>{esc(citation_label(c))}</summary>'
            f'<div class="anpo-cit-body" id="{anchor(prefix, c.n)}">{passage_html(c.text, c.highlight)}'
            + (f'<div class="anpo-cit-en" lang="en">{esc(c.text_en)}</div>' if getattr(c, "text_en", None) else "")
            + f'<div class="anpo-meta">{meta_html}</div>{link}</div></details>')


def eta_seconds(done: float, total: int, elapsed: float) -> int | None:
    """Seconds left at the rate so far (`done` may count part of a step); None until some
    work is done or when it is finished."""
    if done <= 0 or total <= 0 or done >= total:
        return None
    return max(1, round(elapsed / done * (total - done)))


def csv_bytes(text: str) -> bytes:
    """CSV text as UTF-8 with a BOM, so Japanese Excel opens it without garbling."""
    return ("\ufeff" + text.lstrip("\ufeff")).encode("utf-8")


_REF_DEF = re.compile(r"^(\s{0,3})\[", re.MULTILINE)
_OWN_ANCHOR = re.compile(r'^\s*<a id="q\d+"></a>\s*$', re.MULTILINE)


def markdown_safe(md: str) -> str:
    """Markdown we generate (drafts, handouts) but which embeds untrusted strings (profile
    fields, passages): headings, lists and emphasis stay; images, raw HTML, math and links
    other than http(s) become text."""
    s = _OWN_ANCHOR.sub("", md or "")
    s = s.replace("&", "&amp;").replace("<", "&lt;")
    s = s.replace("![", "!\\[").replace("$", "\\$")
    s = re.sub(r"\]\((?!https?://)", "]\\(", s)
    return _REF_DEF.sub(r"\1\\[", s)
