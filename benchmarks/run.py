"""Speed and scale benchmark: builds an index of N chunks (the real knowledge pack padded
with synthetic Japanese passages recombined from it), then measures in one run:

  index_s, chunks_per_s      building the index from scratch
  warm_p50_ms, warm_p95_ms   `ask` in one process (the tuning questions, index loaded)
  dense_p50_ms, dense_p95_ms a plain dense-only Chroma query (embed + search) in the same run
  cold_ask_s                 a fresh `anpo ask` process against the existing index
  rss_mb                     peak resident memory of this process (building included)
  ask_process_rss_mb         peak resident memory of the fresh `anpo ask` process
  reindex_one_doc_s, reindex_embedded_chunks   refresh after one changed document

    .venv/bin/python benchmarks/run.py --chunks 10000 --json [--embedder hash|sentence-transformers]

Prints one JSON object.  Numbers vary with the machine: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anpo.service import Assistant  # noqa: E402
from anpo.settings import Settings  # noqa: E402
from evals.scorer import load_set  # noqa: E402
from retrieval.chunking import chunk_document  # noqa: E402
from retrieval.loaders import iter_knowledge_files, load_file  # noqa: E402
from retrieval.textnorm import split_sentences  # noqa: E402

TOPICS = ["社内規程", "取引審査", "該非判定", "出荷管理", "技術管理", "教育", "監査", "文書保存", "子会社", "相談事例"]


def synthetic_pack(dst: Path, target_chunks: int, seed: int = 7) -> None:
    """Copy the real pack and add Markdown files whose sections are 2–4 sentences drawn
    from it, with company names and numbers varied, until about `target_chunks` exist."""
    shutil.copytree(ROOT / "knowledge", dst)
    sents = []
    for p in iter_knowledge_files(ROOT / "knowledge"):
        for s in load_file(p).sections:
            sents += [x for x in split_sentences(s.text) if 15 <= len(x) <= 160]
    rng = random.Random(seed)
    real = sum(len(chunk_document(load_file(p))) for p in iter_knowledge_files(ROOT / "knowledge"))
    n_sections = max(0, target_chunks - real)
    per_doc = 50
    for d in range(0, n_sections, per_doc):
        lines = [f"---\nid: synthetic-{d // per_doc:05d}\ntitle: 社内資料 {d // per_doc}（合成）\nissuer: benchmark\n"
                 f"url: https://example.invalid/{d}\neffective_date: 2026-01-01\n---\n"]
        for i in range(min(per_doc, n_sections - d)):
            topic = rng.choice(TOPICS)
            body = "".join(rng.sample(sents, rng.randint(2, 4)))
            body = body.replace("A社", f"{rng.choice('ABCDEFGH')}{rng.randint(1, 999)}社")
            lines.append(f"## 第{i + 1}節 {topic}\n{body}\n")
        (dst / "docs" / f"synthetic-{d // per_doc:05d}.md").write_text("\n".join(lines), encoding="utf-8")


def pct(xs, q):
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * len(xs)))], 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chunks", type=int, default=1000)
    ap.add_argument("--embedder", default="sentence-transformers")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="anpo-bench-"))
    try:
        synthetic_pack(work / "knowledge", args.chunks)
        settings = Settings.from_env(home=work / "home", knowledge_dir=work / "knowledge", embedder=args.embedder)
        a = Assistant(settings)
        t0 = time.perf_counter()
        report = a.build_index(rebuild=True)
        index_s = time.perf_counter() - t0
        index = a.ensure_index()
        questions = [it.question for it in load_set(ROOT / "evals" / "tune.jsonl")]
        a.ask(questions[0])
        warm = []
        for q in questions:
            t = time.perf_counter()
            a.ask(q)
            warm.append((time.perf_counter() - t) * 1000)
        emb = a.embedder
        emb.embed(["warm up"])
        dense = []
        for q in questions:
            t = time.perf_counter()
            index.store.search(emb.embed([q])[0], 5)
            dense.append((time.perf_counter() - t) * 1000)
        env = dict(os.environ, ANPO_HOME=str(work / "home"), ANPO_KNOWLEDGE_DIR=str(work / "knowledge"),
                   ANPO_EMBEDDER=args.embedder)
        t = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "anpo"), "ask", questions[1]], env=env,
                       capture_output=True, check=True)
        cold = time.perf_counter() - t
        victim = next((work / "knowledge" / "docs").glob("synthetic-*.md"), None) or \
            (work / "knowledge" / "docs" / "outreach-2026-kanto.md")
        victim.write_text(victim.read_text(encoding="utf-8") + "\n## 追記\n変更された節です。\n", encoding="utf-8")
        t = time.perf_counter()
        re = a.build_index()
        reindex_s = time.perf_counter() - t
        out = {
            "chunks": report.total_chunks, "embedder": emb.name,
            "index_s": round(index_s, 1), "chunks_per_s": round(report.total_chunks / index_s, 1),
            "warm_p50_ms": pct(warm, 0.5), "warm_p95_ms": pct(warm, 0.95),
            "dense_p50_ms": pct(dense, 0.5), "dense_p95_ms": pct(dense, 0.95),
            "cold_ask_s": round(cold, 2),
            "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "ask_process_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
            "reindex_one_doc_s": round(reindex_s, 1), "reindex_embedded_chunks": re.embedded_chunks,
        }
        print(json.dumps(out, ensure_ascii=False) if args.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
