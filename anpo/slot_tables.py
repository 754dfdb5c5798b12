"""The tables behind question analysis's slots, per index generation.

Adapts the one tables layer (`anpo.tables`: ProductMatcher, CountryResolver) to the narrow
`anpo.analysis.Tables` protocol, so analysis keeps no country map or product matcher of its
own (issue 13: exactly one).  Built once per loaded index.
"""

from __future__ import annotations

import re
import weakref
from anpo.analysis import CountrySlot, ProductSlot
from retrieval.textnorm import normalize


# 「の」 between two name characters (kanji, katakana): 「ペプチドの合成装置」 read as 「ペプチド合成装置」 too
_JOINING_NO = re.compile(r"(?<=[\u30a1-\u30fa\u30fc\u4e00-\u9fff])の(?=[\u30a1-\u30fa\u30fc\u4e00-\u9fff])")


class LayerTables:
    """The tables layer (anpo.tables: ProductMatcher, CountryResolver) seen through analysis.Tables."""

    def __init__(self, tables):
        self._t = tables

    def products_in(self, text: str) -> list[ProductSlot]:
        out = self._products_in(text)
        joined = _JOINING_NO.sub("", normalize(text))
        if joined != normalize(text):
            # 「ペプチドの合成装置」「半導体の製造装置」「炭素繊維のシート」: a name the asker split with 「の」 is also read
            # joined (ペプチド合成装置, 半導体製造装置); goods already found keep their own reading
            have = {p.item for p in out}
            out += [p for p in self._products_in(joined) if p.item not in have and not any(p.item in h for h in have)]
        return out

    def _products_in(self, text: str) -> list[ProductSlot]:
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
    from anpo.tables import tables_for as layer
    t = LayerTables(layer(index))
    try:
        _cache[index] = t
    except TypeError:
        pass
    return t
