"""What a draft cites: the passages and table rows behind each article or brief line.

`Grounds(chunks, retrieve, tables)` depends on three narrow things, not on the assistant:
the indexed chunks, a `retrieve(query, k)` function, and the typed tables of the same index
generation (`anpo.tables`; built from the chunks when not given). It never returns a chunk flagged as suspicious (instruction-like
text), and every passage it returns contains one of the words asked for, so a loose match
is never cited as support. `Grounds.of(assistant)` builds one from an assistant's index.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from anpo.errors import AnpoError
from anpo.tables import CountryInfo, ProductMatch, Tables, tables_for, tables_of
from retrieval.types import Chunk, Hit


class Retrieve(Protocol):
    def __call__(self, query: str, k: int) -> Sequence[Hit]:
        """The k passages that best match the query, best first."""


_TIER_MARK = {"I": "Ⅰ", "II": "Ⅱ"}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
# the criteria a draft names: key → (tier, item number, name used when the row is missing)
CRITERIA = {
    "I-1": ("I", 1, "該非確認責任者"), "I-2": ("I", 2, "最新法令の周知・指導"),
    "II-1": ("II", 1, "統括責任者"), "II-2": ("II", 2, "管理体制"), "II-3": ("II", 3, "該非確認手続"),
    "II-4": ("II", 4, "用途・需要者確認"), "II-5": ("II", 5, "出荷時確認"), "II-6": ("II", 6, "監査"),
    "II-7": ("II", 7, "研修"), "II-8": ("II", 8, "子会社指導"), "II-9": ("II", 9, "文書保存"),
    "II-10": ("II", 10, "違反時の報告"),
}


@dataclass(frozen=True)
class Criterion:
    key: str                     # "II-1"
    tier: str                    # "I" or "II"
    label: str                   # Ⅱ①「統括責任者」
    chunk: Chunk | None          # the criteria-table row, or None when the pack has none


def _nf(s: str) -> str:
    return unicodedata.normalize("NFKC", s or "")


class Grounds:
    """Looks up what a draft cites.  Cheap to build; every lookup reads memory or retrieves."""

    def __init__(self, chunks: Sequence[Chunk], retrieve: Retrieve, tables: Tables | None = None,
                 lookup: Callable[[str], Chunk | None] | None = None):
        self.chunks = [c for c in chunks if not c.suspicious]
        self.retrieve = retrieve
        self.tables = tables if tables is not None else tables_of(chunks)
        by_id = {c.chunk_id: c for c in chunks}
        self.lookup = lookup or by_id.get

    @classmethod
    def of(cls, assistant) -> "Grounds":
        """Grounds over an assistant's current index (built if missing)."""
        index = assistant.ensure_index()
        return cls(index.chunks, assistant.retriever().retrieve, tables_for(index), index.chunk)

    # -- criteria (輸出者等遵守基準)
    def criterion(self, key: str) -> Criterion:
        """A 遵守基準 item by its tier and number (Ⅱ① …), never by a word in its title."""
        tier, no, name = CRITERIA[key]
        for row in self.tables.criteria:
            if _nf(row.tier).upper() == tier and _nf(row.no) == _nf(_CIRCLED[no - 1]) and not row.chunk.suspicious:
                return Criterion(key, tier, f"{_TIER_MARK[tier]}{row.no}「{row.title}」", row.chunk)
        return Criterion(key, tier, f"{_TIER_MARK[tier]}{_CIRCLED[no - 1]}「{name}」", None)

    def overview(self) -> Chunk | None:
        """The row or passage that says what the 遵守基準 are for."""
        row = next((r for r in self.tables.criteria if r.tier not in ("I", "II") and "遵守基準" in r.chunk.text), None)
        return row.chunk if row else self.containing("輸出者等遵守基準", "未然")

    # -- passages
    def containing(self, *words: str, kind: str | None = None) -> Chunk | None:
        """The first prose passage (not a table row) that contains every word; a confirmed
        passage is preferred over an unconfirmed one."""
        want = [_nf(w) for w in words]
        found = [c for c in self.chunks if not c.fields and (kind is None or c.kind == kind)
                 and all(w in _nf(c.text) for w in want)]
        found.sort(key=lambda c: not c.confirmed)
        return found[0] if found else None

    def passage(self, query: str, any_of: Sequence[str], k: int = 8) -> Chunk | None:
        """The best retrieved prose passage that contains one of `any_of`."""
        try:
            hits = self.retrieve(query, k)
        except AnpoError:
            return None
        for h in hits:
            c = h.chunk
            if not c.suspicious and not c.fields and any(_nf(w) in _nf(c.text) for w in any_of):
                return c
        return None

    def cases(self) -> dict[str, list[Chunk]]:
        """Case studies: doc_id → its chunks in order."""
        out: dict[str, list[Chunk]] = {}
        for c in self.chunks:
            if c.kind == "case":
                out.setdefault(c.doc_id, []).append(c)
        return out

    # -- tables
    def destination(self, country: str) -> CountryInfo | None:
        """The country's group with the rows that say so (C by rule for the rest)."""
        return self.tables.countries.resolve(country) if self.tables.countries else None

    def listed(self, table: str) -> list:
        """Destination rows on one list of the 輸出令 (「別表第4」 懸念国, 「別表第3の2」 国連武器禁輸国・地域)."""
        return [r for r in self.tables.destinations
                if r.listing == table or (not r.listing and r.legal_basis.endswith(table))]

    def list_leads(self, text: str, limit: int = 3) -> list[ProductMatch]:
        """List-control items a product description may touch, at or above the offer strength."""
        return [m for m in self.tables.products.match(text, limit=limit) if m.offered]
