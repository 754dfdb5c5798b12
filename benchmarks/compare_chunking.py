"""Compare chunking on the evaluation sets, end to end (`anpo eval` metrics).

Variants: our sentence-aware chunker at several sizes, with and without the section title
prefixed for search, and LangChain's generic RecursiveCharacterTextSplitter at 500
characters (no locator prefix, may cut mid-sentence).  Each variant builds its own index
(hash embedder: the default ranking is BM25, so the embedder does not change answers).

    .venv/bin/python benchmarks/compare_chunking.py [--sets tune heldout]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

if importlib.util.find_spec("langchain_text_splitters") is None:
    sys.exit("compare_chunking.py needs the benchmark extra: .venv/bin/pip install -e \".[bench]\"")

import anpo.indexing as index_mod  # noqa: E402  (the index service calls chunk_document)
import retrieval.chunking as chunking  # noqa: E402
from anpo.service import Assistant
from anpo.settings import Settings
from evals.scorer import load_set, resolve_sets, run_items, summarize
from retrieval.textnorm import expand, looks_like_instruction
from retrieval.types import Chunk

ORIGINAL = chunking.chunk_document


def sentence_chunker(max_chars: int, prefix: bool):
    def run(doc, max_chars_=max_chars):
        out = ORIGINAL(doc, max_chars=max_chars)
        if prefix:
            return out
        from dataclasses import replace
        return [replace(c, search_text=expand(c.text)) for c in out]
    return run


def generic_chunker(size: int = 500, overlap: int = 50):
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    splitter = RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=overlap)

    def run(doc, max_chars=None):
        m = doc.meta
        whole = "\n\n".join(s.text for s in doc.sections)
        chunks = []
        for i, piece in enumerate(splitter.split_text(whole), 1):
            chunks.append(Chunk(chunk_id=f"{m.doc_id}#{i:04d}", doc_id=m.doc_id, title=m.title,
                                locator=doc.sections[0].locator if doc.sections else "本文", text=piece,
                                search_text=expand(piece), embed_text=piece, url=m.url,
                                effective_date=m.effective_date, issuer=m.issuer, kind=m.kind,
                                suspicious=looks_like_instruction(piece)))
        return chunks
    return run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="+", default=["tune", "heldout"])
    args = ap.parse_args()
    variants = {
        "sentences ≤200, title prefixed": sentence_chunker(200, True),
        "sentences ≤400, title prefixed (default)": sentence_chunker(400, True),
        "sentences ≤600, title prefixed": sentence_chunker(600, True),
        "sentences ≤400, no prefix": sentence_chunker(400, False),
        "generic 500-char splitter": generic_chunker(500),
    }
    print("| chunking | set | chunks | answer acc. | evidence recall | citation precision | false refusals |")
    print("|---|---|---|---|---|---|---|")
    for name, fn in variants.items():
        index_mod.chunk_document = fn
        with tempfile.TemporaryDirectory() as home:
            a = Assistant(Settings.from_env(home=Path(home), embedder="hash"))
            a.build_index(rebuild=True)
            n = a.ensure_index().manifest["total_chunks"]
            for s in args.sets:
                items = [it for p in resolve_sets(s) for it in load_set(p)]
                o = summarize(run_items(items, a.ask, a.check))["overall"]
                print(f"| {name} | {s} | {n} | {o['answer_accuracy']} | {o['evidence_recall']} | "
                      f"{o['citation_precision']} | {o['false_refusals']} |")
    index_mod.chunk_document = ORIGINAL


if __name__ == "__main__":
    main()
