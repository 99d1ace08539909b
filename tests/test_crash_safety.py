"""kill -9 in the middle of `wwk ingest`, then run it again: the store ends up
exactly as after one clean run (same documents, each with all its claims,
every claim in an event, the same events)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "samples" / "corpus.jsonl"


def make_corpus(path: Path, n: int, *, start: int = 0) -> list[str]:
    """``n`` short, distinct reports: a paragraph of the sample corpus plus a
    numbered sentence; returns their ids."""
    docs = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    paras = [p for d in docs for p in d["text"].split("\n\n") if len(p.split()) > 12]
    ids = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            doc_id = f"gen-{i:04d}"
            text = f"{paras[i % len(paras)]}\n\nThis is report number {i} of the day, the desk said."
            day = 10 + i % 5
            fh.write(
                json.dumps({"id": doc_id, "published_at": f"2022-09-{day}T12:00:00Z", "text": text}) + "\n"
            )
            ids.append(doc_id)
    return ids


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _cmd(inp: str, db: str) -> list[str]:
    return [sys.executable, "-m", "whatweknow", "ingest", inp, "--db", db, "--quiet"]


def n_docs(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def snapshot(db: Path) -> dict[str, object]:
    """What must be equal between a crashed-and-resumed store and a clean one."""
    with sqlite3.connect(db) as con:
        docs = sorted(r[0] for r in con.execute("SELECT id FROM documents"))
        claims: dict[str, list[str]] = {d: [] for d in docs}
        for doc_id, claim_id in con.execute("SELECT doc_id, id FROM claims ORDER BY id"):
            claims[doc_id].append(claim_id)
        extractions = sorted(r[0] for r in con.execute("SELECT doc_id FROM extractions"))
        unassigned = con.execute("SELECT count(*) FROM claims WHERE event_id IS NULL").fetchone()[0]
        events = sorted(
            tuple(sorted(json.loads(r[0])["claims"])) for r in con.execute("SELECT json FROM events")
        )
        dangling = con.execute(
            "SELECT count(*) FROM claims c WHERE c.event_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = c.event_id)"
        ).fetchone()[0]
    return {
        "docs": docs,
        "claims": claims,
        "extractions": extractions,
        "unassigned": unassigned,
        "events": events,
        "dangling": dangling,
    }


@pytest.mark.slow
def test_kill_9_then_rerun_equals_one_clean_run(tmp_path: Path) -> None:
    ids = make_corpus(tmp_path / "in.jsonl", 500)
    db = tmp_path / "crashed.db"
    kills = 0
    # 1: during start-up; 2: just after the first commit; 3: in full flow, at a moment set by progress
    for target in ("startup", 1, 60):
        proc = subprocess.Popen(
            _cmd("in.jsonl", "crashed.db"), cwd=tmp_path, env=_env(), stderr=subprocess.PIPE
        )
        if target == "startup":
            time.sleep(1.0)
        else:
            goal = n_docs(db) + int(target)
            deadline = time.monotonic() + 120
            while n_docs(db) < goal and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.13)  # land somewhere inside the next batch
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        assert proc.stderr is not None
        proc.stderr.close()
    assert kills >= 2
    interrupted_at = n_docs(db)
    assert 0 < interrupted_at < 500

    done = subprocess.run(
        _cmd("in.jsonl", "crashed.db"), cwd=tmp_path, env=_env(), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    clean = subprocess.run(
        _cmd("in.jsonl", "clean.db"), cwd=tmp_path, env=_env(), capture_output=True, text=True
    )
    assert clean.returncode == 0, clean.stderr

    got, want = snapshot(db), snapshot(tmp_path / "clean.db")
    assert got["docs"] == sorted(ids)
    assert len(got["docs"]) == 500  # type: ignore[arg-type]
    assert got["extractions"] == got["docs"]  # no document without its extraction
    assert all(got["claims"][d] for d in ids)  # type: ignore[index]  # every report yields claims
    assert got["claims"] == want["claims"]
    assert (got["unassigned"], got["dangling"]) == (0, 0)
    assert got["events"] == want["events"]
