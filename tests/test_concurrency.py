"""Two `wwk ingest` processes on one SQLite file at once, with different and
overlapping inputs: both succeed, the union is stored once, events consistent."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_crash_safety import make_corpus, snapshot

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_two_ingests_at_once(tmp_path: Path) -> None:
    a = make_corpus(tmp_path / "a.jsonl", 40, start=0)
    shared = make_corpus(tmp_path / "shared.jsonl", 30, start=40)
    b = make_corpus(tmp_path / "b.jsonl", 40, start=70)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

    def start(*inputs: str) -> subprocess.Popen[str]:
        cmd = [sys.executable, "-m", "whatweknow", "ingest", *inputs, "--db", "x.db", "--quiet"]
        return subprocess.Popen(cmd, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)

    p1 = start("shared.jsonl", "a.jsonl")
    p2 = start("shared.jsonl", "b.jsonl")
    err1, err2 = p1.communicate(timeout=300)[1], p2.communicate(timeout=300)[1]
    assert (p1.returncode, err1) == (0, "")
    assert (p2.returncode, err2) == (0, "")

    got = snapshot(tmp_path / "x.db")
    assert got["docs"] == sorted(a + shared + b)  # the union, each once
    assert got["extractions"] == got["docs"]
    assert (got["unassigned"], got["dangling"]) == (0, 0)
    with sqlite3.connect(tmp_path / "x.db") as con:
        # the same file read by both: one arrival, not a sighting
        assert con.execute("SELECT count(*) FROM sightings").fetchone()[0] == 0
        assert con.execute("SELECT count(DISTINCT content_sha256) FROM documents").fetchone()[0] == 110

    # the same events as one process ingesting everything
    one = [sys.executable, "-m", "whatweknow", "ingest", "shared.jsonl", "a.jsonl", "b.jsonl"]
    done = subprocess.run([*one, "--db", "one.db", "--quiet"], cwd=tmp_path, env=env, capture_output=True)
    assert done.returncode == 0
    want = snapshot(tmp_path / "one.db")
    assert got["claims"] == want["claims"]
    assert got["events"] == want["events"]
