"""The web page in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright),
against `wwk serve` on a free loopback port with a store filled by the real pipeline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "samples" / "corpus.jsonl"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)",
    ),
]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright not installed (pip install -e '.[dev]')"
)

REPORTS = [
    {
        "id": "p-goris",
        "title": "Shelling near Goris",
        "source": "Test Wire",
        "published_at": "2022-09-13T08:00:00+00:00",
        "text": "Armenia's Defence Ministry said Azerbaijani forces shelled the town of Goris "
        "overnight on Tuesday.\n\nThe ministry said 49 Armenian soldiers were killed in the fighting.",
    },
    {
        "id": "p-baku",
        "title": "Baku reports losses",
        "source": "Test Post",
        "published_at": "2022-09-14T09:00:00+00:00",
        "text": "Azerbaijan's Defence Ministry said on Wednesday that 50 Azerbaijani servicemen had "
        "been killed in clashes on the border with Armenia near Kalbajar.",
    },
    {
        "id": "p-truce",
        "title": "Truce agreed",
        "source": "Test Wire",
        "published_at": "2022-09-15T10:00:00+00:00",
        "text": "Armenia and Azerbaijan agreed a ceasefire on Wednesday evening, "
        "Armen Grigoryan, secretary of Armenia's Security Council, said in Yerevan.",
    },
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from whatweknow.api import Workspace

    tmp = tmp_path_factory.mktemp("page")
    db = str(tmp / "page.db")
    src = CORPUS
    if not src.exists():
        src = tmp / "reports.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    with Workspace(db) as ws:
        ws.ingest([str(src)])

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "WWK_TOKEN"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "whatweknow.serve.cli", "--db", db, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else "server exited"
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def test_page(base_url: str, browser: Any) -> None:
    events = httpx.get(base_url + "/api/events", params={"limit": 1000}).json()["items"]
    located = [e for e in events if e["location"] is not None]
    assert located, "no located events to show"
    claims_total = httpx.get(base_url + "/api/claims").json()["total"]
    vendor = (ROOT / "src/whatweknow/serve/static/vendor/leaflet/leaflet.js").exists()

    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(("http://127.0.0.1:", "data:")) else outside.append(r.url),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + "/")
    page.wait_for_function(
        "window.wwk && wwk.ready.map && wwk.ready.brief && wwk.ready.claims", timeout=30000
    )

    # the map: one marker per located event (markers may be drawn as clusters)
    assert page.evaluate("wwk.located") == len(located)
    assert page.inner_text("#map-count") == f"{len(located)} of {len(events)} events located"
    if vendor:
        assert page.evaluate("wwk.markers") == len(located)
        page.wait_for_function("wwk.basemap === true", timeout=30000)
        drawn = (
            page.locator("#map path.leaflet-interactive").count()
            + page.locator("#map .marker-cluster").count()
        )
        assert drawn >= 1
    else:
        assert "not installed" in page.inner_text("#map")

    # the timeline lists every event
    assert page.locator("#timeline-list > li").count() == len(events)

    # a citation opens the evidence sentence, highlighted, in its document
    cite = page.locator("#brief a.cite").first
    doc_id = cite.get_attribute("data-doc")
    start, end = int(cite.get_attribute("data-start") or 0), int(cite.get_attribute("data-end") or 0)
    text = httpx.get(f"{base_url}/api/documents/{doc_id}").json()["text"]
    cite.click()
    page.wait_for_selector("#evidence-mark")
    assert page.inner_text("#evidence-mark") == text[start:end]
    assert page.is_visible("#doc-panel")
    page.screenshot(path=str(ARTIFACTS / "page-citation.png"))
    page.click("#doc-close")

    # the claims table: a filter narrows it
    assert page.get_attribute("body", "data-claims") == str(claims_total)
    assert page.locator("#claims-table tbody tr").count() == min(claims_total, 1000)
    option = page.locator("#f-type option").nth(1).get_attribute("value")
    page.select_option("#f-type", option)
    page.wait_for_function(f"document.body.dataset.claims !== '{claims_total}'", timeout=10000)
    n_typed = int(page.get_attribute("body", "data-claims") or -1)
    expected = httpx.get(base_url + "/api/claims", params={"event_type": option}).json()["total"]
    assert 0 < n_typed == expected < claims_total
    assert page.locator("#claims-table tbody tr").count() == n_typed
    page.select_option("#f-type", "")
    page.wait_for_function(f"document.body.dataset.claims === '{claims_total}'", timeout=10000)
    n_killed = httpx.get(base_url + "/api/claims", params={"q": "killed"}).json()["total"]
    assert 0 < n_killed < claims_total
    page.fill("#f-text", "killed")
    page.wait_for_function(
        f"document.body.dataset.claims === '{n_killed}'"
        f" && document.querySelectorAll('#claims-table tbody tr').length === {n_killed}",
        timeout=10000,
    )
    for cell in page.locator("#claims-table tbody tr td:last-child").all_inner_texts():
        assert "killed" in cell.lower()

    # full-text search
    page.fill("#search-q", "Goris")
    page.press("#search-q", "Enter")
    page.wait_for_selector("#search-results li")
    assert "Goris" in page.inner_text("#search-results")

    page.screenshot(path=str(ARTIFACTS / "page.png"), full_page=True)
    assert errors == []
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    page.close()
