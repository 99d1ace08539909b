"""The REST API in-process (FastAPI TestClient) against a real store filled by the real pipeline.

The read tests run against SQLite, and against PostgreSQL too when WWK_TEST_PG is
set (a server URL; each run creates and drops its own database). Write tests use
a fresh empty store per test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from whatweknow.errors import WwkError  # noqa: E402
from whatweknow.serve.app import CLAIM_CSV, DOCUMENT_CSV, EVENT_CSV, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "samples" / "corpus.jsonl"
OPENAPI = ROOT / "docs" / "openapi.json"

# used when samples/corpus.jsonl is absent, and by the write tests
REPORTS = [
    {
        "id": "t-goris",
        "title": "Shelling near Goris",
        "source": "Test Wire",
        "published_at": "2022-09-13T08:00:00+00:00",
        "text": "Armenia's Defence Ministry said Azerbaijani forces shelled the town of Goris "
        "overnight on Tuesday.\n\nThe ministry said 49 Armenian soldiers were killed in the fighting.",
    },
    {
        "id": "t-baku",
        "title": "Baku reports losses",
        "source": "Test Post",
        "published_at": "2022-09-14T09:00:00+00:00",
        "text": "Azerbaijan's Defence Ministry said on Wednesday that 50 Azerbaijani servicemen had "
        "been killed in clashes on the border with Armenia near Kalbajar.",
    },
    {
        "id": "t-truce",
        "title": "Truce agreed",
        "source": "Test Wire",
        "published_at": "2022-09-15T10:00:00+00:00",
        "text": "Armenia and Azerbaijan agreed a ceasefire on Wednesday evening, "
        "Armen Grigoryan, secretary of Armenia's Security Council, said in Yerevan.",
    },
]


# --------------------------------------------------------------------------- stores


def _pg_database(base: str) -> tuple[str, Any]:
    """A fresh database on the WWK_TEST_PG server: (url, drop function)."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = "wwk_api_" + uuid.uuid4().hex[:10]
    admin = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


def _fresh_store(kind: str, tmp: Path) -> tuple[str, Any]:
    if kind == "postgres":
        pg = os.environ.get("WWK_TEST_PG")
        if not pg:
            pytest.skip("WWK_TEST_PG not set: no PostgreSQL server to test against")
        return _pg_database(pg)
    return str(tmp / "api.db"), (lambda: None)


def fill(db: str) -> None:
    """Ingest the sample corpus (or three short reports) with the real pipeline."""
    from whatweknow.api import Workspace

    with Workspace(db) as ws:
        if CORPUS.exists():
            ws.ingest([str(CORPUS)])
        else:
            src = Path(db).with_suffix(".jsonl")
            src.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
            ws.ingest([str(src)])


STORE_KINDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="module", params=STORE_KINDS)
def filled_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db, drop = _fresh_store(request.param, tmp_path_factory.mktemp(f"api-{request.param}"))
    try:
        fill(db)
        yield db
    finally:
        drop()


@pytest.fixture(scope="module")
def client(filled_db: str) -> Iterator[TestClient]:
    app = create_app(filled_db, token="read-token", private=False)
    with TestClient(app) as c:
        yield c


@pytest.fixture(params=STORE_KINDS)
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    db, drop = _fresh_store(request.param, tmp_path)
    try:
        yield db
    finally:
        drop()


def all_items(c: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    r = c.get(path, params={"limit": 1000, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"])
    return list(body["items"])


def assert_error(r: Any, status: int, *words: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status
    assert body["error"].startswith("[E")
    for w in words:
        assert w in body["error"]
    return dict(body)


# --------------------------------------------------------------------------- reads


def test_events_pagination_and_total(client: TestClient) -> None:
    events = all_items(client, "/api/events")
    assert len(events) >= 3
    r = client.get("/api/events", params={"limit": 2, "offset": 1})
    body = r.json()
    assert body["ok"] is True
    assert (body["total"], body["limit"], body["offset"]) == (len(events), 2, 1)
    assert [e["id"] for e in body["items"]] == [e["id"] for e in events[1:3]]
    past_end = client.get("/api/events", params={"offset": len(events)}).json()
    assert past_end["items"] == [] and past_end["total"] == len(events)
    for e in events:
        assert e["schema"] == "wwk/1"
        if e["location"] is not None:
            assert -90 <= e["location"]["lat"] <= 90


def test_event_filters(client: TestClient) -> None:
    events = all_items(client, "/api/events")
    some_type = events[0]["event_type"]
    typed = all_items(client, "/api/events", event_type=some_type)
    assert typed and {e["event_type"] for e in typed} == {some_type}
    assert len(typed) == sum(1 for e in events if e["event_type"] == some_type)

    # bbox around Armenia and Azerbaijan (minlon,minlat,maxlon,maxlat)
    boxed = all_items(client, "/api/events", bbox="43,38,51,42")
    assert boxed
    for e in boxed:
        assert 43 <= e["location"]["lon"] <= 51 and 38 <= e["location"]["lat"] <= 42
    assert all_items(client, "/api/events", bbox="-10,-10,-9,-9") == []

    arm = all_items(client, "/api/events", country="arm")
    assert arm
    for e in arm:
        assert next(p["country"] for p in e["places"] if p["country"]) == "ARM"

    dated = [e for e in events if e["start"]]
    first = min(e["start"] for e in dated)
    late = all_items(client, "/api/events", start="2022-09-14")
    for e in late:
        assert (e["end"] or e["start"]) >= "2022-09-14T00:00:00Z"
    early = all_items(client, "/api/events", end="2022-09-12")
    for e in early:
        assert e["start"] <= "2022-09-12T00:00:00Z"
    assert any(e["start"] == first for e in all_items(client, "/api/events", end=first))

    actors = all_items(client, "/api/events", actor="AZE")
    assert actors
    for e in actors:
        assert any(
            a["country"] == "AZE" or (a["actor_id"] or "").startswith("AZE:") or "aze" in a["name"].lower()
            for a in e["actors"]
        )
    sources = {s for e in events for s in e["sources"]}
    src = sorted(sources)[0]
    by_source = all_items(client, "/api/events", source=src)
    assert by_source and all(src in e["sources"] for e in by_source)


def test_event_detail(client: TestClient) -> None:
    ev = all_items(client, "/api/events")[0]
    d = client.get(f"/api/events/{ev['id']}").json()
    assert d["ok"] is True and d["id"] == ev["id"]
    assert sorted(c["id"] for c in d["claim_details"]) == sorted(ev["claims"])
    assert all(c["event_id"] == ev["id"] for c in d["claim_details"])


def test_claims_filters(client: TestClient) -> None:
    claims = all_items(client, "/api/claims")
    assert len(claims) >= 3
    needle = "killed"
    hits = all_items(client, "/api/claims", q=needle.upper())
    assert hits and all(needle in c["evidence"]["text"].lower() for c in hits)
    assert len(hits) == sum(1 for c in claims if needle in c["evidence"]["text"].lower())
    arm = all_items(client, "/api/claims", claimant_country="ARM")
    assert arm and all(c["claimant"]["country"] == "ARM" for c in arm)
    one_doc = claims[0]["doc_id"]
    in_doc = all_items(client, "/api/claims", doc_id=one_doc)
    assert {c["doc_id"] for c in in_doc} == {one_doc}
    assert len(in_doc) == sum(1 for c in claims if c["doc_id"] == one_doc)
    assert all(c["document"]["title"] for c in in_doc)


def test_document_with_evidence_spans(client: TestClient) -> None:
    docs = all_items(client, "/api/documents")
    assert len(docs) == (18 if CORPUS.exists() else 3)
    doc_id = "gd-20220919-security-council-207" if CORPUS.exists() else "t-goris"
    d = client.get(f"/api/documents/{doc_id}").json()
    assert d["id"] == doc_id
    if CORPUS.exists():
        assert d["title"] == "Armenia says 207 dead and missing after border clashes"
        assert d["source"] == "Geneva Dispatch"
        assert d["text"].startswith("Armenia's Security Council said on Monday that 207 people")
    assert d["claims"], "the pipeline found no claims"
    for c in d["claims"]:
        s, e = c["evidence"]["span"]
        assert d["text"][s:e] == c["evidence"]["text"]
    spans = [tuple(x["span"]) for x in d["evidence"]]
    assert spans == sorted(set(spans))
    for x in d["evidence"]:
        assert d["text"][x["span"][0] : x["span"][1]] == x["text"]
    assert d["extraction"] is not None and "places" in d["extraction"]
    by_source = all_items(client, "/api/documents", source=d["source"])
    assert doc_id in {x["id"] for x in by_source} and {x["source"] for x in by_source} == {d["source"]}


def test_search(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Goris"}).json()
    ids = {h["doc_id"] for h in body["items"]}
    if CORPUS.exists():
        assert ids == {"cw-20220913-border-shelling", "mn-20220913-baku-provocation", "gd-20220915-displaced"}
    else:
        assert ids == {"t-goris"}
    assert body["total"] == len(ids)
    assert all("**Goris**" in h["snippet"] for h in body["items"])
    assert client.get("/api/search", params={"q": "zzzqqqxx"}).json()["items"] == []


def test_places(client: TestClient) -> None:
    places = all_items(client, "/api/places")
    assert places
    events = all_items(client, "/api/events")
    for p in places[:5]:
        n = sum(
            1
            for e in events
            if any((q["name"], q["country"]) == (p["name"], p["country"]) for q in e["places"])
        )
        assert p["n_events"] <= n and p["n_events"] == len(p["events"])
    counts = [p["n_events"] for p in places]
    assert counts == sorted(counts, reverse=True)


def test_brief_formats(client: TestClient) -> None:
    b = client.get("/api/brief").json()
    assert b["schema"] == "wwk/1" and b["ok"] is True
    cits = [c for s in b["sections"] for ln in s["lines"] for c in ln["citations"]]
    assert cits
    for c in cits[:20]:
        d = client.get(f"/api/documents/{c['doc_id']}").json()
        assert d["text"][c["span"][0] : c["span"][1]] == c["sentence_text"]
    md = client.get("/api/brief", params={"format": "md"})
    assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("# What we know")
    html = client.get("/api/brief", params={"format": "html", "about": "Armenia"})
    assert html.headers["content-type"].startswith("text/html") and "<html" in html.text.lower()
    assert_error(client.get("/api/brief", params={"format": "pdf"}), 422, "format")
    assert_error(client.get("/api/brief", params={"since": "yesterday"}), 422, "since")


def test_csv(client: TestClient) -> None:
    total = client.get("/api/events").json()["total"]
    r = client.get("/api/events", params={"format": "csv", "limit": 3})
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == EVENT_CSV
    assert len(rows) == 1 + min(3, total)
    claims = list(csv.DictReader(io.StringIO(client.get("/api/claims", params={"format": "csv"}).text)))
    assert list(claims[0]) == CLAIM_CSV and len(claims) == min(100, client.get("/api/claims").json()["total"])
    docs = list(csv.reader(io.StringIO(client.get("/api/documents", params={"format": "csv"}).text)))
    assert docs[0] == DOCUMENT_CSV
    assert_error(client.get("/api/events", params={"format": "xml"}), 422, "format")


def test_error_shapes(client: TestClient) -> None:
    assert_error(client.get("/api/events/no-such-event"), 404, "E062", "no-such-event")
    assert_error(client.get("/api/documents/no-such-doc"), 404, "E062", "/api/documents")
    assert_error(client.get("/api/nothing-here"), 404, "E067", "/api/nothing-here")
    assert_error(client.delete("/api/events"), 405, "E068", "DELETE")
    assert_error(client.get("/api/events", params={"limit": 0}), 422, "limit")
    assert_error(client.get("/api/events", params={"limit": 5000}), 422, "limit")
    assert_error(client.get("/api/events", params={"offset": -1}), 422, "offset")
    assert_error(client.get("/api/events", params={"bbox": "1,2,3"}), 422, "E064")
    assert_error(client.get("/api/events", params={"bbox": "a,b,c,d"}), 422, "E064")
    assert_error(client.get("/api/events", params={"start": "13/09/2022"}), 422, "E065", "start")
    assert_error(client.get("/api/search"), 422, "'q'")
    # writes: this server has a token, so a missing one is 401
    assert_error(client.post("/api/documents", json={"text": "x"}), 401, "E061")
    assert_error(
        client.post("/api/documents", json={"text": "x"}, headers={"Authorization": "Bearer wrong"}), 401
    )


def test_openapi_matches_checked_in_copy(client: TestClient) -> None:
    """Regenerate with: .venv/bin/python -m whatweknow.serve.openapi docs/openapi.json"""
    served = client.get("/openapi.json").json()
    assert OPENAPI.exists(), (
        "docs/openapi.json missing: run python -m whatweknow.serve.openapi docs/openapi.json"
    )
    checked_in = json.loads(OPENAPI.read_text(encoding="utf-8"))
    assert served == checked_in, (
        "docs/openapi.json is stale: run python -m whatweknow.serve.openapi docs/openapi.json"
    )
    assert "/api/events" in served["paths"] and "post" in served["paths"]["/api/documents"]


# --------------------------------------------------------------------------- writes and auth


def test_writes_refused_without_configured_token(empty_db: str) -> None:
    with TestClient(create_app(empty_db, token=None, private=False)) as c:
        body = assert_error(c.post("/api/documents", json=REPORTS[0]), 403, "E060", "--token")
        assert "Bearer" in body["error"]
        assert_error(
            c.post("/api/documents", json=REPORTS[0], headers={"Authorization": "Bearer anything"}), 403
        )
        assert c.get("/api/documents").json()["total"] == 0


def test_private_needs_token(empty_db: str) -> None:
    with pytest.raises(WwkError, match="E063"):
        create_app(empty_db, token=None, private=True)
    with TestClient(create_app(empty_db, token="t0k", private=True)) as c:
        r = assert_error(c.get("/api/events"), 401, "E061")
        assert r["status"] == 401
        assert c.get("/api/events", headers={"Authorization": "Bearer t0k"}).json()["total"] == 0
        assert_error(c.get("/api/events", headers={"Authorization": "Basic t0k"}), 401)
        assert c.get("/").status_code == 200  # the page itself asks for the token


def test_post_documents_runs_the_pipeline(empty_db: str) -> None:
    auth = {"Authorization": "Bearer s3cret"}
    with TestClient(create_app(empty_db, token="s3cret", private=False)) as c:
        assert_error(c.post("/api/documents", json={"title": "no text"}, headers=auth), 422, "E066", "text")
        assert_error(c.post("/api/documents", json={"documents": []}, headers=auth), 422, "E066")
        assert_error(c.post("/api/documents", json=[1, 2], headers=auth), 422, "E066")
        assert_error(
            c.post("/api/documents", json={**REPORTS[0], "published_at": "soon"}, headers=auth), 422, "E065"
        )
        r = c.post("/api/documents", json=REPORTS[0], headers=auth)
        assert r.status_code == 201, r.text
        one = r.json()
        assert one["ok"] is True and one["ids"] == ["t-goris"]
        assert (one["added"], one["sightings"], one["rejected"]) == (1, 0, 0)
        assert one["claims"] >= 1

        r = c.post("/api/documents", json={"documents": REPORTS[1:]}, headers=auth)
        assert r.status_code == 201
        two = r.json()
        assert two["ids"] == ["t-baku", "t-truce"] and two["added"] == 2

        again = c.post("/api/documents", json=REPORTS[0], headers=auth).json()
        assert (again["ids"], again["added"], again["sightings"], again["unchanged"]) == (
            ["t-goris"],
            0,
            0,
            1,
        )
        elsewhere = c.post("/api/documents", json={**REPORTS[0], "source": "Other Outlet"}, headers=auth)
        assert elsewhere.status_code == 200
        assert (elsewhere.json()["added"], elsewhere.json()["sightings"]) == (0, 1)

        docs = {d["id"]: d for d in all_items(c, "/api/documents")}
        assert set(docs) == {"t-goris", "t-baku", "t-truce"}
        assert docs["t-goris"]["published_at"] == "2022-09-13T08:00:00Z"
        d = c.get("/api/documents/t-goris").json()
        assert d["text"] == REPORTS[0]["text"]
        figures = [x for x in d["claims"] if x["quantity"] and x["quantity"]["value"] == 49]
        assert figures and figures[0]["quantity"]["counted"] == "killed"
        s, e = figures[0]["evidence"]["span"]
        assert d["text"][s:e] == "The ministry said 49 Armenian soldiers were killed in the fighting."
        assert c.get("/api/events").json()["total"] >= 1
