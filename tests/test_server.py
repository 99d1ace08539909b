"""`wwk serve` as a real uvicorn server in a subprocess, on a free loopback port, over HTTP."""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent

REPORTS = [
    {
        "id": "s-goris",
        "title": "Shelling near Goris",
        "source": "Test Wire",
        "published_at": "2022-09-13T08:00:00+00:00",
        "text": "Armenia's Defence Ministry said Azerbaijani forces shelled the town of Goris "
        "overnight on Tuesday.\n\nThe ministry said 49 Armenian soldiers were killed in the fighting.",
    },
    {
        "id": "s-baku",
        "title": "Baku reports losses",
        "source": "Test Post",
        "published_at": "2022-09-14T09:00:00+00:00",
        "text": "Azerbaijan's Defence Ministry said on Wednesday that 50 Azerbaijani servicemen had "
        "been killed in clashes on the border with Armenia near Kalbajar.",
    },
    {
        "id": "s-truce",
        "title": "Truce agreed",
        "source": "Test Wire",
        "published_at": "2022-09-15T10:00:00+00:00",
        "text": "Armenia and Azerbaijan agreed a ceasefire on Wednesday evening, "
        "Armen Grigoryan, secretary of Armenia's Security Council, said in Yerevan.",
    },
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_argv() -> list[str]:
    """``python -m whatweknow serve`` once registered in the CLI, else the module itself."""
    probe = subprocess.run(
        [sys.executable, "-m", "whatweknow", "serve", "--help"], capture_output=True, text=True, timeout=60
    )
    if probe.returncode == 0:
        return [sys.executable, "-m", "whatweknow", "serve"]
    return [sys.executable, "-m", "whatweknow.serve.cli"]


@contextmanager
def running_server(db: str, *extra: str, env: dict[str, str] | None = None) -> Iterator[str]:
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if k != "WWK_TOKEN"}
    full_env.update(env or {})
    proc = subprocess.Popen(
        [*serve_argv(), "--db", db, "--port", str(port), *extra],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    clean = False
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(
                    f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}"
                )
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("server did not start within 60 s")
            time.sleep(0.2)
        yield base
        clean = True
    finally:
        proc.terminate()
        try:
            rc = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
            raise AssertionError("server did not stop on SIGTERM within 20 s") from None
    if clean:
        # uvicorn shuts down gracefully, then re-raises the SIGTERM it caught
        assert rc in (0, -signal.SIGTERM), (
            f"server exit status {rc}: {proc.stderr.read() if proc.stderr else ''}"
        )


@pytest.mark.slow
def test_serve_over_http(tmp_path: Path) -> None:
    db = str(tmp_path / "served.db")
    auth = {"Authorization": "Bearer http-token"}
    with (
        running_server(db, env={"WWK_TOKEN": "http-token"}) as base,
        httpx.Client(base_url=base, timeout=120) as c,
    ):
        assert c.get("/api/events").json()["total"] == 0
        r = c.post("/api/documents", json={"documents": REPORTS[:1]})
        assert r.status_code == 401 and r.json()["status"] == 401

        # a long write (the first one loads the pipeline) must not block reads
        result: dict[str, httpx.Response] = {}

        def post() -> None:
            result["r"] = httpx.post(
                base + "/api/documents", json={"documents": REPORTS}, headers=auth, timeout=300
            )

        writer = threading.Thread(target=post)
        writer.start()
        read_times = []
        while writer.is_alive():
            t0 = time.perf_counter()
            assert c.get("/api/documents", params={"limit": 5}).status_code == 200
            read_times.append(time.perf_counter() - t0)
            time.sleep(0.05)
        writer.join()
        assert result["r"].status_code == 201, result["r"].text
        body = result["r"].json()
        assert body["ids"] == ["s-goris", "s-baku", "s-truce"] and body["added"] == 3
        assert len(read_times) >= 3, "the write finished too fast to observe concurrent reads"
        assert max(read_times) < 2.0, f"reads were blocked during the write: {max(read_times):.2f} s"

        docs = c.get("/api/documents").json()
        assert docs["total"] == 3
        d = c.get("/api/documents/s-goris").json()
        assert d["text"] == REPORTS[0]["text"]
        events = c.get("/api/events").json()
        assert events["total"] >= 1
        rows = list(csv.reader(io.StringIO(c.get("/api/claims", params={"format": "csv"}).text)))
        assert rows[0][:3] == ["id", "doc_id", "event_id"] and len(rows) > 1
        err = c.get("/api/events/nope")
        assert err.status_code == 404 and err.json() == {
            "ok": False,
            "error": err.json()["error"],
            "status": 404,
        }
        page = c.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert c.get("/static/app.js").status_code == 200
        assert c.get("/openapi.json").json()["info"]["title"] == "whatweknow"


@pytest.mark.slow
def test_serve_without_token_refuses_writes(tmp_path: Path) -> None:
    db = str(tmp_path / "ro.db")
    with running_server(db) as base:
        r = httpx.post(
            base + "/api/documents", json=REPORTS[0], headers={"Authorization": "Bearer x"}, timeout=30
        )
        assert r.status_code == 403
        assert "--token" in r.json()["error"]


def test_private_without_token_is_a_user_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "WWK_TOKEN"}
    r = subprocess.run(
        [*serve_argv(), "--db", str(tmp_path / "p.db"), "--port", str(free_port()), "--private"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert r.returncode == 1
    assert "E063" in r.stderr and "Traceback" not in r.stderr
