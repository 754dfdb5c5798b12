"""Compare retrieval methods on the evaluation sets, independently of the answerer.

For each in-scope question: hit@1 / hit@5 = an expected document is the first / among the
first five passages; fact@5 = share of expected facts found in the top five passages.
Methods: BM25 over character bigrams, BM25 over SudachiPy words, dense vectors from the
index's model (Chroma), and weighted RRF fusions.  Uses the live index ($ANPO_HOME).

    .venv/bin/python benchmarks/compare_retrieval.py [--sets tune heldout] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time

if importlib.util.find_spec("sudachipy") is None:
    sys.exit("compare_retrieval.py needs the benchmark extra: .venv/bin/pip install -e \".[bench]\"")

from anpo.service import Assistant
from anpo.settings import Settings
from evals.scorer import load_set, resolve_sets, _has
from retrieval.fusion import rrf
from retrieval.keyword import BM25Index
from retrieval.textnorm import expand
from retrieval.tokenizers import get_tokenizer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="+", default=["tune", "heldout"])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    a = Assistant(Settings.from_env(embedder="sentence-transformers", dense_weight=0.3))
    a.build_index()                    # builds the vectors if the live index has none
    index = a.ensure_index()
    chunks = index.chunks
    t0 = time.perf_counter()
    sudachi = BM25Index([c.search_text for c in chunks], tokenize=get_tokenizer("sudachi"))
    sudachi_build = time.perf_counter() - t0
    emb = a.embedder

    def bm(idx):
        return lambda q: [chunks[i].chunk_id for i, _ in idx.search(expand(q), 50)]

    def dense(q):
        return [cid for cid, _ in index.store.search(emb.embed([q])[0], 50)]

    methods = {
        "bm25-bigram": bm(index.bm25),
        "bm25-sudachi": bm(sudachi),
        "dense-" + emb.name: dense,
        "rrf bigram+sudachi": lambda q: [i for i, _ in rrf([(bm(index.bm25)(q), 1.0), (bm(sudachi)(q), 1.0)])],
        "rrf bigram+dense(0.3)": lambda q: [i for i, _ in rrf([(bm(index.bm25)(q), 1.0), (dense(q), 0.3)])],
        "rrf bigram+dense(1.0)": lambda q: [i for i, _ in rrf([(bm(index.bm25)(q), 1.0), (dense(q), 1.0)])],
    }
    report = {}
    for name in args.sets:
        items = [it for p in resolve_sets(name) for it in load_set(p) if it.grounded and it.docs]
        for m, fn in methods.items():
            h1 = h5 = facts = nf = 0
            t = time.perf_counter()
            for it in items:
                ids = fn(it.question)[:5]
                docs = [index.chunk(i).doc_id for i in ids]
                h1 += bool(docs) and docs[0] in it.docs
                h5 += any(d in it.docs for d in docs)
                text = "\n".join(index.chunk(i).text for i in ids)
                facts += sum(_has(text, f) for f in it.facts)
                nf += len(it.facts)
            ms = (time.perf_counter() - t) * 1000 / max(1, len(items))
            report.setdefault(name, {})[m] = {
                "n": len(items), "hit@1": round(100 * h1 / len(items), 1), "hit@5": round(100 * h5 / len(items), 1),
                "fact@5": round(100 * facts / max(1, nf), 1), "ms/query": round(ms, 1)}
    report["_sudachi_index_build_s"] = round(sudachi_build, 2)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    for name, rows in report.items():
        if name.startswith("_"):
            continue
        print(f"\n### {name} (in-scope questions with expected documents)\n")
        print("| method | n | hit@1 | hit@5 | fact@5 | ms/query |\n|---|---|---|---|---|---|")
        for m, r in rows.items():
            print(f"| {m} | {r['n']} | {r['hit@1']} | {r['hit@5']} | {r['fact@5']} | {r['ms/query']} |")
    print(f"\nSudachi BM25 build over {len(chunks)} chunks: {report['_sudachi_index_build_s']} s")


if __name__ == "__main__":
    main()
