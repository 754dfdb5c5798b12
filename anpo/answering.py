"""Turning retrieved passages into a cited answer: the names other modules import.

The work is split by job: `anpo.grounding` (does the pack cover the question: `assess`,
`Support`), `anpo.compose` (the extractive answerer and answers shaped by intent: `Draft`,
`ExtractiveBackend`), `anpo.citations` (`finalize`, `refusal`, `check_citations`).
"""

from __future__ import annotations

from anpo.citations import ASK_METI, MARKER, check_citations, finalize, refusal
from anpo.compose import Draft, ExtractiveBackend
from anpo.grounding import Support, assess, is_english

__all__ = ["ASK_METI", "MARKER", "Draft", "ExtractiveBackend", "Support", "assess", "check_citations",
           "finalize", "is_english", "refusal"]
