"""What the product does not cover.  Questions about neighbouring fields (customs duty,
consumption tax, origin certificates, visas, exchange rates, other countries' export
laws, payments) are refused with a pointer to the right desk, unless the knowledge base
itself speaks to the term.  The list is data: `data/out_of_scope.tsv`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from retrieval.textnorm import normalize

DATA = Path(__file__).parent / "data" / "out_of_scope.tsv"


@dataclass(frozen=True)
class OutOfScope:
    term: str
    field: str
    desk: str


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[re.Pattern, OutOfScope], ...]:
    rules = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, field, desk = (line.split("\t") + ["", ""])[:3]
        t = normalize(term)
        pat = (re.compile(r"(?<![a-z0-9])" + re.escape(t) + r"(?![a-z0-9])") if t.isascii()
               else re.compile(re.escape(t)))
        rules.append((pat, OutOfScope(t, field, desk)))
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
