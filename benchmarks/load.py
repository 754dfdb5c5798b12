"""Seminar load: many people asking at once through one server.  N sessions (threads) ask
for D seconds through ONE shared `Assistant`, the object the app keeps in
`st.cache_resource`, while one upload runs (`ingest_bytes`, as the app's upload does).

Each session starts after a random delay and asks a question drawn from the tuning set,
then "reads" for a random think time (both uniform between 0 and 2×--think seconds) before
asking again; `--think 0` is the saturation case (all sessions start at once and ask back
to back).  Reported: single-user warm p50/p95
measured first in the same process, then p50/p95/max under load, asks answered, errors,
the upload's time and the index state afterwards (generation, documents, whether the
upload is served, staleness, leftovers).

    .venv/bin/python benchmarks/load.py --json [--sessions 50] [--seconds 60] [--think 2]

Uses a fresh data dir with the shipped pack (BM25 only, the default configuration).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anpo.service import Assistant  # noqa: E402
from anpo.settings import Settings  # noqa: E402
from evals.scorer import load_set  # noqa: E402

UPLOAD = ("# セミナー配布資料（社内）\n\n## 展示会の持ち出し\n展示会で海外に持ち出すサンプル品は、出荷前に該非判定を行い、"
          "判定書を出荷記録と一緒に保存する。\n\n## 技術資料\n海外の来場者に渡す技術資料は、提供前に役務取引の該非を確認する。\n")


def pct(xs, q):
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * len(xs)))], 1) if xs else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=2.0, help="mean seconds between a session's asks (0: none)")
    ap.add_argument("--upload-after", type=float, default=10.0, help="seconds into the run the upload starts")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="anpo-load-"))
    try:
        a = Assistant(Settings.from_env(home=work / "home", knowledge_dir=ROOT / "knowledge", audit_log="off"))
        a.ensure_index()
        questions = [it.question for it in load_set(ROOT / "evals" / "tune.jsonl")]
        a.ask(questions[0])                     # first-use loading is not part of the figures
        single = []
        for q in questions:
            t = time.perf_counter()
            a.ask(q)
            single.append((time.perf_counter() - t) * 1000)
        gen_before = a.ensure_index().gen_dir.name
        lat, errors, lock = [], [], threading.Lock()
        stop = threading.Event()

        def session(seed):
            rng = random.Random(seed)
            if args.think:                      # people do not all press Enter in the same instant
                stop.wait(rng.uniform(0, 2 * args.think))
            while not stop.is_set():
                q = rng.choice(questions)
                t = time.perf_counter()
                try:
                    ans = a.ask(q)
                    if a.check(ans):
                        raise AssertionError("an answer cites a passage that is not in the index")
                    with lock:
                        lat.append((time.perf_counter() - t) * 1000)
                except Exception as e:           # noqa: BLE001 - every failure is a finding
                    with lock:
                        errors.append(f"{e.__class__.__name__}: {e}")
                if args.think:
                    stop.wait(rng.uniform(0, 2 * args.think))

        upload = {}

        def uploader():
            if stop.wait(args.upload_after):
                return
            t = time.perf_counter()
            try:
                res = a.ingest_bytes("セミナー配布資料.md", UPLOAD.encode("utf-8"), uploader="load-benchmark")
                upload.update(doc_id=res.doc_id, chunks=res.chunks, seconds=round(time.perf_counter() - t, 2))
            except Exception as e:               # noqa: BLE001
                upload.update(error=f"{e.__class__.__name__}: {e}")

        threads = [threading.Thread(target=session, args=(i,)) for i in range(args.sessions)]
        threads.append(threading.Thread(target=uploader))
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        stop.set()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        index = a.ensure_index()
        home = work / "home"
        out = {
            "sessions": args.sessions, "seconds": args.seconds, "think_mean_s": args.think,
            "single_user_warm_p50_ms": pct(single, 0.5), "single_user_warm_p95_ms": pct(single, 0.95),
            "asks": len(lat), "asks_per_s": round(len(lat) / wall, 1), "errors": len(errors),
            "error_examples": sorted(set(errors))[:3],
            "p50_ms": pct(lat, 0.5), "p95_ms": pct(lat, 0.95), "max_ms": round(max(lat), 1) if lat else None,
            "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
            "p95_over_single_p95": round(pct(lat, 0.95) / pct(single, 0.95), 1) if lat else None,
            "upload": upload,
            "index_after": {
                "generation_changed": index.gen_dir.name != gen_before,
                "documents": len(index.manifest["docs"]), "chunks": index.manifest["total_chunks"],
                "upload_served": upload.get("doc_id") in index.manifest["docs"],
                "staleness": a.staleness(),
                "generations_on_disk": len(list((home / "index").glob("gen-*"))),
                "leftovers": sorted(p.name for p in (home / "staging", home / "index" / "JOURNAL.json") if p.exists()),
            },
        }
        print(json.dumps(out, ensure_ascii=False) if args.json else
              "\n".join(f"{k}: {v}" for k, v in out.items()))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
