"""Throughput and peak memory of ``wwk ingest`` as a user runs it.

    python benchmarks/ingest.py [--n 1000] [--keep DIR]

Generates ``--n`` distinct short reports from the sample corpus (two of its
paragraphs each, plus a numbered sentence), runs ``wwk ingest FILE --db NEW.db
--quiet`` in a child process and prints documents/s (wall clock, model loading
included) and the
child's peak resident memory (``getrusage(RUSAGE_CHILDREN).ru_maxrss``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "samples" / "corpus.jsonl"


def make_documents(path: Path, n: int) -> None:
    docs = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    paras = [p for d in docs for p in d["text"].split("\n\n") if len(p.split()) > 12]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            a, b = paras[i % len(paras)], paras[(i * 7 + 3) % len(paras)]
            text = f"{a}\n\n{b}\n\nThis is report number {i} of the day, the desk said."
            row = {"id": f"bench-{i:05d}", "published_at": f"2022-09-{10 + i % 5}T12:00:00Z", "text": text}
            fh.write(json.dumps(row) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--keep", help="Write the input and the store into this folder (kept).")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        inp, db = work / "bench.jsonl", work / "bench.db"
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        make_documents(inp, args.n)
        words = sum(len(json.loads(line)["text"].split()) for line in inp.open(encoding="utf-8"))
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        cmd = [sys.executable, "-m", "whatweknow", "ingest", str(inp), "--db", str(db), "--quiet"]
        t0 = time.perf_counter()
        res = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
        if res.returncode != 0:
            sys.exit(f"wwk ingest failed ({res.returncode}): {res.stderr.strip()}")
        with sqlite3.connect(db) as con:
            n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
            n_claims = con.execute("SELECT count(*) FROM claims").fetchone()[0]
            n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"documents: {n_docs} ({words} words), claims: {n_claims}, events: {n_events}")
    print(f"wall: {wall:.1f} s; throughput: {n_docs / wall:.1f} documents/s ({words / wall:.0f} words/s)")
    print(f"peak memory (child RSS): {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
