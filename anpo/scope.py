"""What the product does not cover.  Questions about neighbouring fields (customs duty,
consumption tax, origin certificates, visas, exchange rates, labour law, imports, other
countries' export laws, payments, the weather) are refused with a pointer to the right
desk, unless the knowledge base itself speaks to the term.  The list is data:
`data/out_of_scope.tsv`, one row per field with its terms in Japanese and English and
example questions that run as tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from retrieval.textnorm import normalize, read_tsv

DATA = Path(__file__).parent / "data" / "out_of_scope.tsv"


@dataclass(frozen=True)
class OutOfScope:
    term: str                       # the term the question named
    field: str
    desk: str


@dataclass(frozen=True)
class ScopeRow:
    """One field: its terms (Japanese and English), the desk, and example questions."""
    terms: tuple[str, ...]
    field: str
    desk: str
    examples: tuple[str, ...] = ()
    unless: re.Pattern | None = None    # a question that also matches this is in scope

    @property
    def japanese_terms(self) -> tuple[str, ...]:
        return tuple(t for t in self.terms if not t.isascii())


def _pattern(term: str) -> re.Pattern:
    """Latin terms as whole words (plural too: "tariffs", "visas"); Japanese ones anywhere."""
    if term.isascii():
        return re.compile(r"(?<![a-z0-9])" + re.escape(term) + r"(?:s|es)?(?![a-z0-9])")
    return re.compile(re.escape(term))


@lru_cache(maxsize=1)
def rows() -> tuple[ScopeRow, ...]:
    out = []
    for row in read_tsv(DATA):
        terms, field, desk, examples, unless = (row + ["", "", "", ""])[:5]
        out.append(ScopeRow(tuple(normalize(t) for t in terms.split("|") if t.strip()), field.strip(), desk.strip(),
                            tuple(e.strip() for e in examples.split(" | ") if e.strip()),
                            re.compile(unless.strip(), re.I) if unless.strip() else None))
    return tuple(out)


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[ScopeRow, tuple[tuple[str, re.Pattern], ...]], ...]:
    return tuple((r, tuple((t, _pattern(t)) for t in r.terms)) for r in rows())


def other_field(question: str, evidence: str) -> OutOfScope | None:
    """The neighbouring field a question is about, if it names one of the field's terms that
    `evidence` (the best passages' text) does not name.  The pack is Japanese: for an
    English term, the field's Japanese terms are what the evidence is searched for."""
    q = normalize(question)
    ev = normalize(evidence)
    found = []
    for row, pats in _rules():
        if row.unless is not None and row.unless.search(q):
            continue
        for term, pat in pats:
            if not pat.search(q):
                continue
            named = (row.japanese_terms if term.isascii() else (term,))
            if not any(_pattern(t).search(ev) for t in named):
                found.append(OutOfScope(term, row.field, row.desk))
    # the longest term named wins: "preferential tariff" is an EPA question, not a duty-rate one
    return max(found, key=lambda o: len(o.term), default=None)
