"""Loaders: Markdown (YAML front-matter), CSV tables (YAML sidecar), plain text, HTML
and PDF (pypdf, one locator per page).  Each returns a `LoadedDoc` whose sections carry
their locator; a file that cannot be read raises `SourceUnreadableError` naming why."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

from anpo.errors import SourceUnreadableError
from retrieval.types import DocMeta, LoadedDoc, Section

SUPPORTED = {".md", ".markdown", ".txt", ".text", ".html", ".htm", ".pdf", ".csv"}
_HEADING = re.compile(r"^(#{1,4})\s+(.+?)\s*#*\s*$")
_SOURCE = re.compile(r"<!--\s*source:\s*(\{.*?\})\s*-->", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "doc"


def fingerprint(path: Path) -> str:
    """Content hash of a source file (a table's YAML sidecar counts as part of it)."""
    path = Path(path)
    data = path.read_bytes()
    side = path.with_suffix(".yaml")
    if path.suffix.lower() == ".csv" and side.exists():
        data += side.read_bytes()
    return sha256_bytes(data)


def _date(v) -> str | None:
    if v in (None, "", "null"):
        return None
    return str(v)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise SourceUnreadableError(path, f"cannot be read ({e.strerror or e})") from e


def _decode(path: Path, data: bytes) -> str:
    for enc in ("utf-8-sig", "cp932", "euc-jp"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise SourceUnreadableError(path, "is not a text file in UTF-8, Shift_JIS or EUC-JP")


def load_file(path: Path, origin: str = "knowledge") -> LoadedDoc:
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise SourceUnreadableError(path, f"has an unsupported type '{ext or 'none'}' (use PDF, Markdown, text or HTML)")
    data = _read_bytes(path)
    if not data.strip():
        raise SourceUnreadableError(path, "is empty")
    loader = {".md": _markdown, ".markdown": _markdown, ".txt": _text, ".text": _text,
              ".html": _html, ".htm": _html, ".pdf": _pdf, ".csv": _table}[ext]
    doc = loader(path, data, origin)
    if not any(s.text.strip() for s in doc.sections):
        raise SourceUnreadableError(path, "contains no text that can be indexed")
    return doc


# ---------------------------------------------------------------- Markdown

def _front_matter(path: Path, text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        raise SourceUnreadableError(path, "has a front-matter block that is never closed with '---'")
    import yaml
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as e:
        raise SourceUnreadableError(path, f"has front-matter that is not valid YAML ({e.__class__.__name__})") from e
    if not isinstance(meta, dict):
        raise SourceUnreadableError(path, "has front-matter that is not a mapping")
    body = text[end + 4:]
    return meta, body.split("\n", 1)[1] if body.startswith("-") else body


def _meta(path: Path, data: bytes, fm: dict, origin: str, default_title: str) -> DocMeta:
    doc_id = str(fm.get("id") or (slug(path.stem) if origin == "knowledge" else f"upload-{slug(path.stem)}"))
    return DocMeta(
        doc_id=doc_id,
        title=str(fm.get("title") or default_title or path.stem),
        path=str(path),
        sha256=sha256_bytes(data),
        issuer=fm.get("issuer") or (None if origin == "knowledge" else "（利用者が追加した資料）"),
        url=fm.get("url") or None,
        published=_date(fm.get("published")),
        effective_date=_date(fm.get("effective_date")),
        as_of=_date(fm.get("as_of")),
        kind=fm.get("kind") or ("guidance" if origin == "knowledge" else "upload"),
        source_title=fm.get("source_title") or None,
        origin=origin,
    )


def _section_source(path: Path, body: str) -> tuple[dict, str]:
    src = {}
    m = _SOURCE.search(body)
    if m:
        try:
            src = json.loads(m.group(1))
        except json.JSONDecodeError as e:
            raise SourceUnreadableError(path, f"has a source comment that is not valid JSON near '{m.group(1)[:40]}'") from e
    return src, _COMMENT.sub("", body)


def _make_section(locator: str, text: str, src: dict) -> Section:
    return Section(
        locator=locator,
        text=text.strip(),
        url=src.get("url"),
        effective_date=_date(src.get("effective_date")),
        confirmed=bool(src.get("confirmed", True)),
        place=src.get("place"),
    )


def _markdown(path: Path, data: bytes, origin: str) -> LoadedDoc:
    text = _decode(path, data).replace("\r\n", "\n")
    fm, body = _front_matter(path, text)
    sections: list[Section] = []
    title_from_h1 = None
    current, lines = None, []

    def flush():
        if lines:
            src, clean = _section_source(path, "\n".join(lines))
            if clean.strip():
                sections.append(_make_section(current or "本文", clean, src))

    for line in body.split("\n"):
        m = _HEADING.match(line)
        if m:
            flush()
            lines = []
            heading = re.sub(r"[*_`]", "", m.group(2)).strip()
            if len(m.group(1)) == 1 and title_from_h1 is None and not sections:
                title_from_h1 = heading
            current = heading
        else:
            lines.append(line)
    flush()
    meta = _meta(path, data, fm, origin, title_from_h1 or path.stem)
    return LoadedDoc(meta, tuple(sections))


# ---------------------------------------------------------------- tables

class _Blank(dict):
    def __missing__(self, key):
        return ""


def _table(path: Path, data: bytes, origin: str) -> LoadedDoc:
    import yaml
    side = path.with_suffix(".yaml")
    fm: dict = {}
    if side.exists():
        try:
            fm = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, OSError) as e:
            raise SourceUnreadableError(side, f"is not valid YAML ({e.__class__.__name__})") from e
    text = _decode(path, data)
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as e:
        raise SourceUnreadableError(path, f"is not valid CSV ({e})") from e
    if not rows:
        raise SourceUnreadableError(path, "has no rows")
    text_t = fm.get("text_template") or " / ".join("{%s}" % k for k in rows[0])
    loc_t = fm.get("locator_template") or "行{_row}"
    sections = []
    for i, row in enumerate(rows, 1):
        vals = _Blank({k: (v or "").strip() for k, v in row.items() if k})
        vals["_row"] = str(i)
        body = re.sub(r"\s{2,}", " ", text_t.format_map(vals)).strip()
        body = re.sub(r"(。\s*)+", "。", body).replace("（）", "").strip()
        confirmed = vals.get("confirmed", "").lower() not in ("false", "no", "0")
        sections.append(Section(
            locator=re.sub(r"\s{2,}", " ", loc_t.format_map(vals)).strip(),
            text=body,
            url=vals.get("url") or None,
            effective_date=vals.get("effective_date") or None,
            confirmed=confirmed,
            place=vals.get("place") or None,
            is_row=True,
            fields=tuple((k, v) for k, v in vals.items() if not k.startswith("_")),
        ))
    meta = _meta(path, data + side.read_bytes() if side.exists() else data, fm, origin, path.stem)
    return LoadedDoc(meta, tuple(sections))


# ---------------------------------------------------------------- text, HTML, PDF

def _paragraph_sections(text: str, prefix: str) -> list[Section]:
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return [Section(locator=f"{prefix}第{i}段落", text=p) for i, p in enumerate(paras, 1)]


def _text(path: Path, data: bytes, origin: str) -> LoadedDoc:
    text = _decode(path, data).replace("\r\n", "\n")
    first = next((l.strip() for l in text.splitlines() if l.strip()), path.stem)
    meta = _meta(path, data, {}, origin, first[:60])
    return LoadedDoc(meta, tuple(_paragraph_sections(text, "")))


def _html(path: Path, data: bytes, origin: str) -> LoadedDoc:
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(_decode(path, data), "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    sections: list[Section] = []
    current, parts = None, []

    def flush():
        body = "\n".join(p for p in parts if p)
        if body.strip():
            sections.append(Section(locator=current or "本文", text=body.strip()))

    root = soup.body or soup
    for el in root.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "th", "pre", "dd", "dt"]):
        if el.find_parent(["li", "td", "th", "p"]) is not None and el.name in ("p", "li"):
            continue
        txt = re.sub(r"\s+", " ", el.get_text(" ", strip=True))
        if el.name in ("h1", "h2", "h3", "h4"):
            flush()
            parts = []
            current = txt or current
            title = title or txt
        elif txt:
            parts.append(txt)
    flush()
    if not sections:
        raw = soup.get_text("\n", strip=True)
        sections = _paragraph_sections(raw, "")
    return LoadedDoc(_meta(path, data, {}, origin, title or path.stem), tuple(sections))


def _pdf(path: Path, data: bytes, origin: str) -> LoadedDoc:
    import logging
    import warnings
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)   # its warnings would leak to stderr
    warnings.filterwarnings("ignore", module="pypdf")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise SourceUnreadableError(path, "is an encrypted PDF that needs a password")
        pages = [(i, page.extract_text() or "") for i, page in enumerate(reader.pages, 1)]
        info_title = (reader.metadata.title if reader.metadata else None) or ""
    except SourceUnreadableError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as e:
        raise SourceUnreadableError(path, f"is not a readable PDF ({e.__class__.__name__})") from e
    except Exception as e:    # pypdf raises many things on broken files; all mean "unreadable"
        raise SourceUnreadableError(path, f"is not a readable PDF ({e.__class__.__name__})") from e
    sections = [Section(locator=f"p.{i}", text=t.strip()) for i, t in pages if t.strip()]
    if not sections:
        raise SourceUnreadableError(path, "has no extractable text (a scanned PDF needs OCR first)")
    first = sections[0].text.strip().splitlines()[0][:60]
    return LoadedDoc(_meta(path, data, {}, origin, str(info_title).strip() or first), tuple(sections))


def iter_knowledge_files(root: Path):
    """The files of a knowledge pack: Markdown under any subfolder, CSV tables; not READMEs."""
    root = Path(root)
    if not root.exists():
        return
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.name.lower().startswith("readme") or p.name.startswith("."):
            continue
        if p.suffix.lower() in SUPPORTED and p.suffix.lower() != ".yaml":
            yield p
