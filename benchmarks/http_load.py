"""A bounded local HTTP load on GET /api/events: N concurrent clients for T seconds.

    .venv/bin/python benchmarks/http_load.py [--db DB] [--clients 20] [--seconds 10] [--path PATH]

Fills a fresh SQLite store from samples/corpus.jsonl (unless --db names an
existing store), starts ``wwk serve`` on a free 127.0.0.1 port in a subprocess,
runs the load with httpx (asyncio), and prints requests/s and p50/p99 latency.
Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fill(db: str) -> None:
    from whatweknow.api import Workspace

    with Workspace(db) as ws:
        ws.ingest([str(ROOT / "samples" / "corpus.jsonl")])


async def load(base: str, path: str, clients: int, seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            r = await client.get(path)
            if r.status_code == 200:
                latencies.append(time.perf_counter() - t0)
            else:
                errors += 1

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(clients)))
    return latencies, errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an existing store (SQLite path or postgresql:// URL)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--path", default="/api/events?limit=100")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = str(Path(tmp) / "bench.db")
            fill(db)
        elif db.startswith("postgres"):
            from whatweknow.store.store import open_store

            with open_store(db) as st:
                if st.stats()["documents"] == 0:
                    fill(db)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "WWK_TOKEN"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "whatweknow.serve.cli", "--db", db, "--port", str(port)],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            total = httpx.get(base + args.path).json().get("total")
            latencies, errors = asyncio.run(load(base, args.path, args.clients, args.seconds))
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    if not latencies:
        print("no successful requests")
        return 1
    lat = sorted(latencies)
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000
    kind = "postgresql" if db.startswith("postgres") else "sqlite"
    print(
        f"GET {args.path} ({kind}, {total} events): {args.clients} clients x {args.seconds:.0f} s: "
        f"{len(lat) / args.seconds:.1f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, {errors} errors"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
