"""The answer pipeline: normalise → analyse → retrieve → scope gate → grounding gate →
compose → cite/validate.  One pipeline serves one index generation; it reads the index
and never writes it.  `Assistant.ask` (anpo.service) delegates here."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from typing import Callable

from anpo.answering import assess, check_citations, finalize, refusal
from anpo.errors import BadInputError
from anpo.models import Answer
from anpo.scope import other_field
from anpo.settings import Settings
from retrieval.textnorm import looks_like_instruction, strip_instructions

MAX_QUESTION_CHARS = 2000


def validate_question(question: str) -> str:
    """The question stripped; BadInputError (one sentence) when it cannot be asked."""
    q = (question or "").strip()
    if not q:
        raise BadInputError("the question is empty; type a question about export control")
    if len(q) > MAX_QUESTION_CHARS:
        raise BadInputError(f"the question is {len(q)} characters long; keep it under {MAX_QUESTION_CHARS}")
    return q


class AnswerPipeline:
    """Answers questions from one retriever (one index generation)."""

    def __init__(self, settings: Settings, retriever, backend_for: Callable[[str | None], object],
                 today: date | None = None):
        self.settings = settings
        self.retriever = retriever
        self.index = retriever.index
        self.backend_for = backend_for
        self.today = today

    def ask(self, question: str, k: int | None = None, backend: str | None = None) -> Answer:
        t0 = time.perf_counter()
        q = validate_question(question)
        k = k or self.settings.top_k
        if k < 1 or k > 50:
            raise BadInputError("--k must be between 1 and 50")
        be = self.backend_for(backend)
        index = self.index
        notes: tuple[str, ...] = ()
        topic = q
        if looks_like_instruction(q):
            # instructions inside a question are data, not orders: answer only the rest
            notes = ("質問に含まれる指示には従わず、資料に基づいて回答しています。",)
            topic = strip_instructions(q)
        hits = self.retriever.retrieve(topic, k) if topic else []
        support = assess(topic, hits, index.bm25.token_idf, index.bm25.vocab.__contains__)
        elsewhere = other_field(topic, "\n".join(h.chunk.text for h in hits[:3])) if topic else None
        if elsewhere is not None:
            ans = refusal(q, be.name, english=support.english, field=elsewhere.field, desk=elsewhere.desk)
        elif not hits or not support.terms or support.best < self.settings.ground_threshold:
            ans = refusal(q, be.name, english=support.english)
        else:
            draft = be.answer(topic, hits, support)
            ans = finalize(q, be.name, draft, hits, today=self.today, notes=notes)
            if check_citations(ans, index.chunk):
                ans = refusal(q, be.name, english=support.english)   # cited or silent
        return replace(ans, elapsed_ms=round((time.perf_counter() - t0) * 1000, 1),
                       notes=ans.notes or notes)
