"""Speed and scale benchmark.  Builds an index of N chunks (the real knowledge pack padded
with synthetic Japanese passages recombined from it) and measures, in the configuration
given by the environment (by default: BM25 only, no vectors):

  index_s, chunks_per_s      building the index from scratch (in this process)
  warm_p50_ms, warm_p95_ms   `ask` in one process (the tuning questions, index loaded)
  cold_ask_s                 a fresh `anpo ask` process against the built index
  rss_mb                     peak resident memory of this process (building included)
  ask_process_rss_mb         peak resident memory of the fresh `anpo ask` process
  upload_one_doc_s           a fresh `anpo ingest` of one small Markdown file
  reindex_one_doc_s          `build_index` after one changed document
  dense_*                    with --dense: vectors built too (ANPO_DENSE_WEIGHT=0.3) and
                             a dense-only store query (embed + search) timed

    .venv/bin/python benchmarks/run.py --json                  # the default run: see SCALES
    .venv/bin/python benchmarks/run.py --chunks 10000 --json   # one scale
    .venv/bin/python benchmarks/run.py --chunks 1000 --dense --embedder sentence-transformers --json

The default run measures the first `anpo index` of the shipped pack, then each scale in
its own child process (so each RSS is its own), then the dense option at DENSE_SCALES.
Prints JSON lines.  Numbers vary with the machine: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCALES = (1000, 10000, 50000)
DENSE_SCALES = ((1000, "sentence-transformers"), (10000, "hash"))
TOPICS = ["社内規程", "取引審査", "該非判定", "出荷管理", "技術管理", "教育", "監査", "文書保存", "子会社", "相談事例"]
UPLOAD = "# 展示会サンプル品の社内手順\n\n展示会に持ち出すサンプル品は、出荷前に該非判定を行い、記録を5年間保存する。\n"


def synthetic_pack(dst: Path, target_chunks: int, seed: int = 7) -> None:
    """Copy the real pack and add Markdown files whose sections are 2–4 sentences drawn
    from it, with company names and numbers varied, until about `target_chunks` exist."""
    from retrieval.chunking import chunk_document
    from retrieval.loaders import iter_knowledge_files, load_file
    from retrieval.textnorm import split_sentences
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


def anpo_cmd(*args) -> list[str]:
    return [str(Path(sys.executable).parent / "anpo"), *args]


def timed_run(cmd, env) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:2])} failed: {r.stderr.strip()}")
    return time.perf_counter() - t, r


def one_scale(chunks: int, embedder: str, dense: bool) -> dict:
    from anpo.service import Assistant
    from anpo.settings import Settings
    from evals.scorer import load_set
    work = Path(tempfile.mkdtemp(prefix="anpo-bench-"))
    try:
        synthetic_pack(work / "knowledge", chunks)
        weight = 0.3 if dense else 0.0
        settings = Settings.from_env(home=work / "home", knowledge_dir=work / "knowledge", embedder=embedder,
                                     dense_weight=weight, audit_log="off")
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
        out = {"chunks": report.total_chunks, "config": "bm25+dense" if dense else "default (bm25)",
               "embedder": a.embedder.name if dense else None,
               "index_s": round(index_s, 2), "chunks_per_s": round(report.total_chunks / index_s, 1),
               "embedded_chunks": report.embedded_chunks,
               "warm_p50_ms": pct(warm, 0.5), "warm_p95_ms": pct(warm, 0.95)}
        if dense:
            emb = a.embedder
            dense_ms = []
            for q in questions:
                t = time.perf_counter()
                index.store.search(emb.embed([q])[0], 5)
                dense_ms.append((time.perf_counter() - t) * 1000)
            out.update(dense_p50_ms=pct(dense_ms, 0.5), dense_p95_ms=pct(dense_ms, 0.95))
        env = dict(os.environ, ANPO_HOME=str(work / "home"), ANPO_KNOWLEDGE_DIR=str(work / "knowledge"),
                   ANPO_EMBEDDER=embedder, ANPO_DENSE_WEIGHT=str(weight), ANPO_AUDIT_LOG="off")
        out["cold_ask_s"] = round(timed_run(anpo_cmd("ask", questions[1]), env)[0], 2)
        out["ask_process_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
        (work / "upload.md").write_text(UPLOAD, encoding="utf-8")
        out["upload_one_doc_s"] = round(timed_run(anpo_cmd("ingest", str(work / "upload.md")), env)[0], 2)
        victim = next((work / "knowledge" / "docs").glob("synthetic-*.md"), None) or \
            next((work / "knowledge" / "docs").glob("*.md"))
        victim.write_text(victim.read_text(encoding="utf-8") + "\n## 追記\n変更された節です。\n", encoding="utf-8")
        t = time.perf_counter()
        re = a.build_index()
        out["reindex_one_doc_s"] = round(time.perf_counter() - t, 2)
        out["reindex_embedded_chunks"] = re.embedded_chunks
        out["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def first_pack_index() -> dict:
    """`anpo index` of the shipped pack on a fresh data dir, as a user's first run."""
    home = Path(tempfile.mkdtemp(prefix="anpo-bench-home-"))
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ANPO_")}
        env.update(ANPO_HOME=str(home), ANPO_AUDIT_LOG="off")
        secs, r = timed_run(anpo_cmd("index"), env)
        return {"first_anpo_index_of_pack_s": round(secs, 2), "output": r.stdout.strip()}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def child(chunks: int, embedder: str, dense: bool) -> dict:
    cmd = [sys.executable, __file__, "--chunks", str(chunks), "--embedder", embedder, "--json"] + (["--dense"] if dense else [])
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return {"chunks": chunks, "dense": dense, "error": r.stderr.strip().splitlines()[-1:]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chunks", type=int, default=None, help="one scale (default: the whole run)")
    ap.add_argument("--embedder", default="sentence-transformers", help="for --dense: sentence-transformers or hash")
    ap.add_argument("--dense", action="store_true", help="dense retrieval on: vectors built and used")
    ap.add_argument("--skip-dense", action="store_true", help="the whole run without the dense figures")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    show = (lambda o: print(json.dumps(o, ensure_ascii=False), flush=True)) if args.json else \
        (lambda o: print(", ".join(f"{k}: {v}" for k, v in o.items()), flush=True))
    if args.chunks:
        show(one_scale(args.chunks, args.embedder, args.dense))
        return
    show(first_pack_index())
    for n in SCALES:
        show(child(n, args.embedder, False))
    if not args.skip_dense:
        for n, emb in DENSE_SCALES:
            show(child(n, emb, True))


if __name__ == "__main__":
    main()
