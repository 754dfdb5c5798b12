"""What the product does not cover.  Questions about neighbouring fields (customs duty,
consumption tax, origin certificates, visas, exchange rates, other countries' export
laws, payments) are refused with a pointer to the right desk, unless the knowledge base
itself speaks to the term.  The list is data: `data/out_of_scope.tsv`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from retrieval.textnorm import normalize, read_tsv, term_pattern

DATA = Path(__file__).parent / "data" / "out_of_scope.tsv"


@dataclass(frozen=True)
class OutOfScope:
    term: str
    field: str
    desk: str


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[re.Pattern, OutOfScope], ...]:
    rules = []
    for row in read_tsv(DATA):
        term, field, desk = (row + ["", ""])[:3]
        t = normalize(term)
        rules.append((term_pattern(t), OutOfScope(t, field, desk)))
    return tuple(rules)


def other_field(question: str, evidence: str) -> OutOfScope | None:
    """The neighbouring field a question is about, if it names one that `evidence` (the
    best passages' text) does not mention."""
    q = normalize(question)
    ev = normalize(evidence)
    for pat, rule in _rules():
        if pat.search(q) and not pat.search(ev):
            return rule
    return None
