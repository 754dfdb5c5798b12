"""The list-control (リスト規制) explorer: the indexed table rows that carry a 項番, searched by
product words, and the passages that explain a row.

A thin view over the one tables layer (`anpo.tables`): the rows, the product matcher and the
everyday-name lexicon live there, so the explorer, the deal check, drafting and the chat
name the same 項番 for the same product.  Rows come from the index, so whatever table the
knowledge pack ships — or a user adds — is what the explorer shows."""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Sequence

from anpo.tables import ListRow, ProductMatcher, Tables, _row_terms, kouban_key, list_rows, product_matcher
from retrieval.textnorm import normalize
from retrieval.types import Hit

__all__ = ["ListRow", "list_rows", "kouban_key", "search_rows", "match_product", "row_passages"]

Retrieve = Callable[[str, int], Sequence[Hit]]


@lru_cache(maxsize=4)
def _matcher(rows: tuple[ListRow, ...]) -> ProductMatcher:
    return product_matcher(rows)


def _products(rows_or_tables: Sequence[ListRow] | Tables) -> ProductMatcher:
    if isinstance(rows_or_tables, Tables):
        return rows_or_tables.products
    return _matcher(tuple(rows_or_tables))


def search_rows(rows: Sequence[ListRow] | Tables, query: str) -> list[ListRow]:
    """Rows containing every word of `query` (NFKC; a word also counts when the everyday-name
    lexicon maps it to a term of the row).  An empty query returns all rows."""
    return _products(rows).search(query)


def match_product(rows: Sequence[ListRow] | Tables, product: str) -> list[ListRow]:
    """Item rows a free-text product description may fall under (matches at or above the
    offer strength; see `anpo.tables.ProductMatcher`)."""
    return [m.row for m in _products(rows).match(product)]


def row_passages(retrieve: Retrieve, row: ListRow, k: int = 4) -> list[Hit]:
    """Passages that explain a row: retrieved with the row's item name (and 項番 category),
    leaving out the rows of its own table, and kept only when they use one of the row's own
    terms (its name, a part of it, or a product example) — most specific term first, so a
    passage that merely shares a loose word (an IT-loan slide for 2項(12)) is never first."""
    query = " ".join(x for x in (row.item_name, row.examples, row.category) if x)
    terms = sorted({t for t, _, _ in _row_terms(row)}, key=len, reverse=True)
    scored = []
    for h in retrieve(query, k + 60):
        c = h.chunk
        if c.doc_id == row.doc_id or h.bm25_rank is None or c.suspicious:
            continue
        text = normalize(c.text)
        best = next((t for t in terms if t in text), None)
        if best:
            scored.append((-len(best), h.rank, h))
    scored.sort(key=lambda x: x[:2])
    return [h for _, _, h in scored[:k]]
