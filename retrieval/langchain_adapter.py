"""Our retriever as a LangChain `BaseRetriever`, so it plugs into any LangChain chain.
Each `Document` carries the passage text and its citation metadata."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from retrieval.types import Hit


def hit_to_document(hit: Hit) -> Document:
    c = hit.chunk
    return Document(page_content=c.text, id=c.chunk_id, metadata={
        "chunk_id": c.chunk_id, "doc_id": c.doc_id, "title": c.title, "locator": c.locator,
        "url": c.url, "effective_date": c.effective_date, "score": hit.score, "rank": hit.rank,
    })


class AnpoRetriever(BaseRetriever):
    retriever: Any
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [hit_to_document(h) for h in self.retriever.retrieve(query, self.k)]
