"""Loaders: Markdown (YAML front-matter), CSV tables (YAML sidecar), plain text, HTML
and PDF (pypdf, one locator per page).  Each returns a `LoadedDoc` whose sections carry
their locator; a file that cannot be read raises `SourceUnreadable` naming why.

Uploads are untrusted (`load_upload`): the file is checked before it is opened (no
symlinks, no special files, not empty, not too large, a supported type), and provenance is
set here, never by the file: issuer 「利用者アップロード」, no URL, `confirmed: false`, a
namespaced doc id.  Text hidden in HTML (display:none, white or 1px text, off-screen…) is
dropped at load, for every document."""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
import stat
from pathlib import Path

from retrieval.errors import SourceUnreadable
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
        raise SourceUnreadable(path, f"cannot be read ({e.strerror or e})") from e


def _decode(path: Path, data: bytes) -> str:
    for enc in ("utf-8-sig", "cp932", "euc-jp"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise SourceUnreadable(path, "is not a text file in UTF-8, Shift_JIS or EUC-JP")


def load_file(path: Path, origin: str = "knowledge") -> LoadedDoc:
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise SourceUnreadable(path, f"has an unsupported type '{ext or 'none'}' (use PDF, Markdown, text or HTML)")
    data = _read_bytes(path)
    if not data.strip():
        raise SourceUnreadable(path, "is empty")
    loader = {".md": _markdown, ".markdown": _markdown, ".txt": _text, ".text": _text,
              ".html": _html, ".htm": _html, ".pdf": _pdf, ".csv": _table}[ext]
    doc = loader(path, data, origin)
    if not any(s.text.strip() for s in doc.sections):
        raise SourceUnreadable(path, "contains no text that can be indexed")
    if origin == "knowledge" and doc.meta.doc_id.startswith(UPLOAD_PREFIX):
        raise SourceUnreadable(path, f"uses the id '{doc.meta.doc_id}', but ids starting with '{UPLOAD_PREFIX}' are kept for uploads")
    return doc


# ---------------------------------------------------------------- uploads (untrusted)

UPLOAD_PREFIX = "upload-"
UPLOAD_ISSUER = "利用者アップロード"
UPLOAD_TYPES = SUPPORTED - {".csv"}            # a table needs its YAML sidecar: pack only
_STORED_PREFIX = re.compile(r"^[0-9a-f]{16}-")  # the content-addressed name uploads are stored under
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
_SPECIAL = ((stat.S_ISDIR, "is a folder, not a file"), (stat.S_ISFIFO, "is a named pipe (FIFO), not a file"),
            (stat.S_ISSOCK, "is a socket, not a file"), (stat.S_ISCHR, "is a device, not a file"),
            (stat.S_ISBLK, "is a device, not a file"))


def is_upload_id(doc_id: str) -> bool:
    return str(doc_id).startswith(UPLOAD_PREFIX)


def read_upload(path: Path, max_mb: float | None = None) -> bytes:
    """The bytes of one file offered as an upload, checked before and while it is opened.

    Refused, each with one sentence naming the file: a symbolic link (the last path part is
    checked with lstat and opened with O_NOFOLLOW, so a link swapped in between is refused
    too; folders higher up the path may be links, as /tmp often is), a folder, FIFO, socket
    or device, a file that does not exist, an unsupported type, an empty file, and a file
    larger than `max_mb` megabytes."""
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError as e:
        raise SourceUnreadable(path, "does not exist") from e
    except OSError as e:
        raise SourceUnreadable(path, f"cannot be read ({e.strerror or e.__class__.__name__})") from e
    _check_kind(path, st)
    if path.suffix.lower() not in UPLOAD_TYPES:
        raise SourceUnreadable(path, f"has an unsupported type '{path.suffix.lower() or 'none'}' (use PDF, Markdown, text or HTML)")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise SourceUnreadable(path, "is a symbolic link; give the file itself") from e
        raise SourceUnreadable(path, f"cannot be read ({e.strerror or e.__class__.__name__})") from e
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        _check_kind(path, st)
        limit = None if max_mb is None else int(max_mb * 1e6)
        if limit is not None and st.st_size > limit:
            raise SourceUnreadable(path, f"is {st.st_size / 1e6:.1f} MB, larger than the {max_mb:g} MB limit")
        data = f.read() if limit is None else f.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise SourceUnreadable(path, f"is larger than the {max_mb:g} MB limit")
    if not data.strip():
        raise SourceUnreadable(path, "is empty")
    return data


def _check_kind(path: Path, st: os.stat_result) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise SourceUnreadable(path, "is a symbolic link; give the file itself")
    for test, reason in _SPECIAL:
        if test(st.st_mode):
            raise SourceUnreadable(path, reason)
    if not stat.S_ISREG(st.st_mode):
        raise SourceUnreadable(path, "is not a regular file")


def load_upload(path: Path, uploader: str | None = None, uploaded_at: str | None = None,
                max_mb: float | None = None) -> LoadedDoc:
    """Load one untrusted file: `read_upload`'s checks, then provenance set by the system.

    Whatever its front matter or source comments say: issuer 「利用者アップロード」, url None,
    kind "upload", origin "upload", every section `confirmed=False` with no URL of its own,
    doc id `upload-<sha256[:8]>-<slug of the file name>` (so two files with one name are two
    documents), `uploader`/`uploaded_at` as passed by the caller (app or CLI).  The title
    comes from the file (front matter, first heading, <title>, or the name) and, like all of
    an upload, is user-supplied.  Invisible characters (zero-width, bidi overrides) are removed.
    Raises `retrieval.errors.SourceUnreadable` (path, reason)."""
    path = Path(path)
    data = read_upload(path, max_mb)
    ext = path.suffix.lower()
    loader = {".md": _markdown, ".markdown": _markdown, ".txt": _text, ".text": _text,
              ".html": _html, ".htm": _html, ".pdf": _pdf}[ext]
    doc = loader(path, data, "upload")
    sections = tuple(_untrusted_section(s) for s in doc.sections)
    sections = tuple(s for s in sections if s.text.strip())
    if not sections:
        raise SourceUnreadable(path, "contains no text that can be indexed")
    name = _STORED_PREFIX.sub("", path.stem)
    digest = sha256_bytes(data)
    title = _INVISIBLE.sub("", doc.meta.title).strip()
    meta = DocMeta(
        doc_id=f"{UPLOAD_PREFIX}{digest[:8]}-{slug(name)}",
        title=(title if title and title != path.stem else name)[:200],
        path=str(path), sha256=digest, issuer=UPLOAD_ISSUER, url=None,
        published=doc.meta.published, effective_date=doc.meta.effective_date, as_of=doc.meta.as_of,
        kind="upload", source_title=None, origin="upload",
        uploader=uploader, uploaded_at=uploaded_at,
    )
    return LoadedDoc(meta, sections)


def _untrusted_section(s: Section) -> Section:
    return Section(locator=_INVISIBLE.sub("", s.locator), text=_INVISIBLE.sub("", s.text).strip(),
                   url=None, effective_date=s.effective_date, confirmed=False, place=s.place)


# ---------------------------------------------------------------- Markdown

def _front_matter(path: Path, text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        raise SourceUnreadable(path, "has a front-matter block that is never closed with '---'")
    import yaml
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as e:
        raise SourceUnreadable(path, f"has front-matter that is not valid YAML ({e.__class__.__name__})") from e
    if not isinstance(meta, dict):
        raise SourceUnreadable(path, "has front-matter that is not a mapping")
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
            raise SourceUnreadable(path, f"has a source comment that is not valid JSON near '{m.group(1)[:40]}'") from e
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


_TAG = re.compile(r"<(?:[a-zA-Z][\w-]*[\s>/]|!--)")


def _visible_markdown(body: str) -> str:
    """Markdown with its raw HTML's hidden parts (and all comments) removed; the visible
    text of the HTML is kept in place, the Markdown around it untouched."""
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(body, "html.parser")
    drop_hidden_html(soup)
    return soup.get_text()


def _markdown(path: Path, data: bytes, origin: str) -> LoadedDoc:
    text = _decode(path, data).replace("\r\n", "\n")
    fm, body = _front_matter(path, text)
    if origin == "upload" and _TAG.search(body):
        body = _visible_markdown(body)
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
            raise SourceUnreadable(side, f"is not valid YAML ({e.__class__.__name__})") from e
    text = _decode(path, data)
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as e:
        raise SourceUnreadable(path, f"is not valid CSV ({e})") from e
    if not rows:
        raise SourceUnreadable(path, "has no rows")
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


# Elements whose text a reader never sees, and inline/<style> declarations that hide text.
_NEVER_SHOWN = ["script", "style", "template", "noscript", "iframe", "object", "embed", "svg",
                "canvas", "meta", "link", "head", "nav", "footer", "input", "select", "option", "datalist"]
_WHITE = re.compile(r"^(white|#fff|#ffffff|#fffffe|rgba?\(\s*25[0-5]\s*,\s*25[0-5]\s*,\s*25[0-5]\s*(,\s*[\d.]+\s*)?\)"
                    r"|hsla?\(\s*\d+\s*,\s*\d+%\s*,\s*(9[89]|100)%.*\))$")
_CLEAR = re.compile(r"^(transparent|rgba\(.*,\s*0(\.0+)?\s*\)|hsla\(.*,\s*0(\.0+)?\s*\))$")
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*(?:[a-z0-9]+)?([.#])([\w-]+)\s*$", re.I)


def _length_px(v: str) -> float | None:
    m = re.match(r"^(-?[\d.]+)\s*(px|pt|em|rem|%|vw|vh)?", v)
    if not m:
        return None
    n = float(m.group(1)) if m.group(1) not in ("-", ".") else 0.0
    return n * {"pt": 1.33, "em": 16, "rem": 16, "%": 0.16, "vw": 10, "vh": 10}.get(m.group(2) or "px", 1)


def _declarations(style: str) -> dict[str, str]:
    out = {}
    for part in (style or "").split(";"):
        k, _, v = part.partition(":")
        if v:
            out[k.strip().lower()] = re.sub(r"\s*!important\s*$", "", v.strip().lower())
    return out


def _hides(decl: dict[str, str]) -> bool:
    """True when these CSS declarations make text invisible to a reader."""
    if decl.get("display") == "none" or decl.get("visibility") in ("hidden", "collapse"):
        return True
    if decl.get("content-visibility") == "hidden":
        return True
    size = _length_px(decl.get("font-size", ""))
    if size is not None and size <= 2:
        return True
    op = _length_px(decl.get("opacity", ""))
    if op is not None and op <= 0.05:
        return True
    color = decl.get("color", "")
    if _CLEAR.match(color) or decl.get("-webkit-text-fill-color", "") == "transparent":
        return True
    if color and color == decl.get("background-color", decl.get("background", "")):
        return True
    if decl.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right", "bottom"):
            v = _length_px(decl.get(side, ""))
            if v is not None and v <= -500:
                return True
    indent = _length_px(decl.get("text-indent", ""))
    if indent is not None and indent <= -500:
        return True
    if re.search(r"rect\(\s*0", decl.get("clip", "")) or re.search(r"inset\(\s*50%", decl.get("clip-path", "")):
        return True
    if re.search(r"scale\(\s*0(\.0+)?\s*[,)]", decl.get("transform", "")):
        return True
    if decl.get("overflow") == "hidden" and any(_length_px(decl.get(d, "x")) == 0
                                                for d in ("width", "height", "max-height", "max-width")):
        return True
    return False


def _white_text(decl: dict[str, str]) -> bool:
    return bool(_WHITE.match(decl.get("color", "")))


def _sets_background(decl: dict[str, str]) -> bool:
    bg = decl.get("background-color") or decl.get("background") or ""
    return bool(bg) and not _WHITE.match(bg) and not _CLEAR.match(bg)


def _class_rules(soup) -> dict[tuple[str, str], dict[str, str]]:
    """Declarations of simple `.class` / `#id` (optionally `tag.class`) rules in <style>."""
    rules: dict[tuple[str, str], dict[str, str]] = {}
    for tag in soup.find_all("style"):
        css = re.sub(r"/\*.*?\*/", "", tag.get_text(), flags=re.S)
        for sel, body in _CSS_RULE.findall(css):
            decl = _declarations(body)
            for one in sel.split(","):
                m = _SIMPLE_SELECTOR.match(one)
                if m:
                    rules.setdefault((m.group(1), m.group(2)), {}).update(decl)
    return rules


def _effective_style(el, rules) -> dict[str, str]:
    decl: dict[str, str] = {}
    for cls in el.get("class") or ():
        decl.update(rules.get((".", cls), {}))
    if el.get("id"):
        decl.update(rules.get(("#", el.get("id")), {}))
    decl.update(_declarations(el.get("style", "")))
    if el.get("color"):                                  # <font color="white">
        decl.setdefault("color", str(el.get("color")).lower())
    if el.get("bgcolor"):
        decl.setdefault("background-color", str(el.get("bgcolor")).lower())
    return decl


def drop_hidden_html(soup) -> int:
    """Remove, in place, everything a reader of the page would not see: comments, scripts,
    styles, templates, elements with `hidden` / aria-hidden="true", and text hidden by inline
    or simple <style> class rules (display:none, visibility:hidden, font-size ≤ 2px, opacity
    0, white or transparent text not on a coloured background, off-screen positioning,
    clipping).  Returns how many elements were removed."""
    from bs4 import Comment, Tag
    rules = _class_rules(soup)
    removed = 0
    for c in soup.find_all(string=lambda t: isinstance(t, Comment)):
        c.extract()
        removed += 1
    for tag in soup.find_all(_NEVER_SHOWN):
        if tag.name == "head" and tag.title is not None:
            title = tag.title.extract()
            tag.insert_before(title)
        tag.decompose()
        removed += 1
    # walk top-down so a hidden parent removes its children, keeping the background context
    def walk(el, on_background: bool):
        nonlocal removed
        for child in list(el.children):
            if not isinstance(child, Tag) or child.decomposed:
                continue
            decl = _effective_style(child, rules)
            hidden = (child.has_attr("hidden") or str(child.get("aria-hidden", "")).lower() == "true"
                      or _hides(decl) or (_white_text(decl) and not on_background and not _sets_background(decl)))
            if hidden and child.name not in ("html", "body"):
                child.decompose()
                removed += 1
                continue
            walk(child, on_background or _sets_background(decl))
    walk(soup, False)
    return removed


def _html(path: Path, data: bytes, origin: str) -> LoadedDoc:
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(_decode(path, data), "html.parser")
    drop_hidden_html(soup)
    title = soup.title.get_text(strip=True) if soup.title else ""
    if soup.title is not None:
        soup.title.decompose()
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
                raise SourceUnreadable(path, "is an encrypted PDF that needs a password")
        pages = [(i, page.extract_text() or "") for i, page in enumerate(reader.pages, 1)]
        info_title = (reader.metadata.title if reader.metadata else None) or ""
    except SourceUnreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as e:
        raise SourceUnreadable(path, f"is not a readable PDF ({e.__class__.__name__})") from e
    except Exception as e:    # pypdf raises many things on broken files; all mean "unreadable"
        raise SourceUnreadable(path, f"is not a readable PDF ({e.__class__.__name__})") from e
    sections = [Section(locator=f"p.{i}", text=t.strip()) for i, t in pages if t.strip()]
    if not sections:
        raise SourceUnreadable(path, "has no extractable text (a scanned PDF needs OCR first)")
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
