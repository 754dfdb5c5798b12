"""The list-control (リスト規制) explorer: the indexed table rows that carry a 項番,
searched by product words, and the passages that explain a row.

Rows come from the index (chunks whose `fields` include `kouban`), so whatever table the
knowledge pack ships — or a user adds — is what the explorer shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from retrieval.textnorm import expand, normalize
from retrieval.types import Chunk, Hit

_SPLIT = re.compile(r"[\s、,，・/／;；]+")


@dataclass(frozen=True)
class ListRow:
    chunk_id: str
    doc_id: str
    title: str                # the table's title
    kouban: str               # 項番: "5", "3の2"
    category: str
    item_no: str              # "(18)"; empty on a 項番's heading row
    item_name: str
    examples: str             # product words, as the table gives them
    effective_date: str | None
    place: str | None         # where in the source (slide, 輸出令の項)
    url: str | None
    locator: str
    text: str                 # the indexed passage
    confirmed: bool = True

    @property
    def label(self) -> str:
        return f"{self.kouban}項{self.item_no} {self.item_name or self.category}".strip()

    @property
    def is_heading(self) -> bool:
        return not self.item_no


def _kouban_key(k: str) -> tuple:
    m = re.match(r"(\d+)(?:の(\d+))?", k or "")
    return (int(m.group(1)), int(m.group(2) or 0)) if m else (999, 0)


def _item_key(no: str) -> tuple:
    nums = [int(x) for x in re.findall(r"\d+", no or "")]
    return tuple(nums) or (0,)


def list_rows(chunks: Sequence[Chunk]) -> list[ListRow]:
    """Every indexed table row that has a 項番, in 項番 order."""
    rows = []
    for c in chunks:
        f = dict(c.fields)
        if not f.get("kouban"):
            continue
        examples = f.get("examples") or re.sub(r"^主な製品例[:：]\s*|。$", "", f.get("examples_text", ""))
        rows.append(ListRow(
            chunk_id=c.chunk_id, doc_id=c.doc_id, title=c.title, kouban=f["kouban"],
            category=f.get("category", ""), item_no=f.get("item_no", ""), item_name=f.get("item_name", ""),
            examples=examples, effective_date=f.get("effective_date") or c.effective_date,
            place=f.get("place") or None, url=f.get("url") or c.url, locator=c.locator, text=c.text,
            confirmed=c.confirmed))
    rows.sort(key=lambda r: (_kouban_key(r.kouban), _item_key(r.item_no), r.doc_id))
    return rows


def _haystack(r: ListRow) -> str:
    return expand(" ".join((f"{r.kouban}項", r.category, r.item_no, r.item_name, r.examples, r.text)))


def _alternatives(word: str) -> set[str]:
    """A query word and the canonical forms its 表記ゆれ / English variants expand to."""
    base = normalize(word)
    extra = expand(word)[len(base):].split()
    return {base, *extra}


def search_rows(rows: Sequence[ListRow], query: str) -> list[ListRow]:
    """Rows matching every word of `query` (NFKC, 表記ゆれ and synonyms expanded).
    An empty query returns all rows."""
    words = [w for w in _SPLIT.split(query or "") if w.strip()]
    if not words:
        return list(rows)
    alts = [_alternatives(w) for w in words]
    return [r for r in rows if all(any(a in _haystack(r) for a in alt) for alt in alts)]


# fragments of item names too generic to point at a row on their own ("…・装置")
_GENERIC = {"装置", "材料", "部品", "部分品", "附属品", "製造装置", "試験装置", "測定装置", "設備", "システム", "プログラム", "技術"}


def _keywords(r: ListRow) -> set[str]:
    words = set()
    for part in _SPLIT.split(f"{r.item_name}、{r.examples}"):
        part = normalize(re.sub(r"等$", "", part.strip()))
        if len(part) >= 2 and part not in _GENERIC:
            words.add(part)
    return words


def match_product(rows: Sequence[ListRow], product: str) -> list[ListRow]:
    """Item rows a free-text product description may fall under: the description's words
    found in a row, or a row's item name / product example found in the description."""
    text = expand(product or "")
    if not text.strip():
        return []
    hits = {r.chunk_id for r in search_rows(rows, product)}
    for r in rows:
        if any(k in text for k in _keywords(r)):
            hits.add(r.chunk_id)
    return [r for r in rows if r.chunk_id in hits and not r.is_heading]


def row_passages(retrieve, row: ListRow, k: int = 4) -> list[Hit]:
    """Passages that explain a row: retrieved with the row's item name (and 項番 category),
    leaving out the rows of its own table.  `retrieve(query, k)` is a Retriever's method."""
    query = " ".join(x for x in (row.item_name, row.examples, row.category) if x)
    hits = retrieve(query, k + 20)
    return [h for h in hits if h.chunk.doc_id != row.doc_id and h.bm25_rank is not None
            and not h.chunk.suspicious][:k]
