"""The tables behind question analysis's slots, per index generation.

Adapts the one tables layer (`anpo.tables`: ProductMatcher, CountryResolver) to the narrow
`anpo.analysis.Tables` protocol.  Until that layer is present it falls back to the indexed
rows themselves (list-control rows with a 項番, destination rows with a group), so analysis
never keeps a country map or product matcher of its own.  Built once per loaded index.
"""

from __future__ import annotations

import weakref
from typing import Sequence

from anpo.analysis import CountrySlot, ProductSlot
from retrieval.textnorm import expand, normalize
from retrieval.types import Chunk


class RowTables:
    """Slots read from the indexed table rows (fallback when anpo.tables is missing)."""

    def __init__(self, chunks: Sequence[Chunk]):
        from anpo.listcontrol import list_rows
        self._rows = list_rows(chunks)
        self._dest: dict[str, list[Chunk]] = {}
        for c in chunks:
            f = dict(c.fields)
            if f.get("country") and f.get("group"):
                self._dest.setdefault(normalize(f["country"]), []).append(c)

    def products_in(self, text: str) -> list[ProductSlot]:
        from anpo.listcontrol import match_product
        rows = match_product(self._rows, text)
        if not rows:
            return []
        t = expand(text)
        item = next((r.item_name for r in rows if r.item_name and normalize(r.item_name) in t), rows[0].item_name)
        return [ProductSlot(text=item, item=item, candidates=tuple(r.label for r in rows[:5]),
                            chunk_ids=tuple(r.chunk_id for r in rows[:5]))]

    def countries_in(self, text: str) -> list[CountrySlot]:
        t = expand(text)
        out = []
        for name, chunks in self._dest.items():
            if name in t:
                f = dict(chunks[0].fields)
                surface = name if name in normalize(text) else name
                out.append(CountrySlot(text=surface, name=f["country"], group=f["group"],
                                       group_label=f.get("group_label", ""), chunk_ids=tuple(c.chunk_id for c in chunks)))
        return out


class LayerTables:
    """The tables layer (anpo.tables: ProductMatcher, CountryResolver) seen through analysis.Tables."""

    def __init__(self, tables):
        self._t = tables

    def products_in(self, text: str) -> list[ProductSlot]:
        pm = self._t.products
        t = normalize(text)
        everyday = {}
        for e, a, b in pm.lexicon_hits(text):
            everyday.setdefault(normalize(e.target), t[a:b])
        by_term: dict[str, list] = {}
        for m in pm.match(text):
            by_term.setdefault(m.term, []).append(m)
        out = []
        for term, ms in by_term.items():
            rows = [m.row for m in ms][:5]
            out.append(ProductSlot(text=everyday.get(term, term), item=term,
                                   candidates=tuple(r.label for r in rows), chunk_ids=tuple(r.chunk_id for r in rows)))
        return out

    def countries_in(self, text: str) -> list[CountrySlot]:
        out = []
        for (a, b), info in self._t.countries.find_all(text):
            surface = text[a:b]
            if isinstance(info, list):          # ambiguous (コンゴ): named, no group
                out.append(CountrySlot(text=surface, name=surface))
                continue
            out.append(CountrySlot(text=surface, name=info.name, group=info.group, group_label=info.group_label,
                                   chunk_ids=tuple(c.chunk_id for c in info.chunks)))
        return out


_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def tables_for(index) -> object:
    """The analysis tables of a loaded index (built on first use, kept with the index)."""
    try:
        return _cache[index]
    except (KeyError, TypeError):
        pass
    try:
        from anpo.tables import tables_for as layer
        t = LayerTables(layer(index))
    except ImportError:
        t = RowTables(index.chunks)
    try:
        _cache[index] = t
    except TypeError:
        pass
    return t
