"""The store against a real SQLite file and, when WWK_TEST_PG holds a
postgresql:// URL, the same tests against PostgreSQL (one fresh database per test).

Start a private server with ``scripts/pg-test-server.sh start /tmp/pgtest 54329``
and export the URL it prints as WWK_TEST_PG.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from whatweknow.errors import WwkError
from whatweknow.model import (
    Actor,
    Claim,
    Document,
    Event,
    EventType,
    Extraction,
    Figure,
    Place,
    Quantity,
    TextSpan,
    TimeSpan,
    Victims,
)
from whatweknow.store import Store, open_store
from whatweknow.store import schema as S

PG = os.environ.get("WWK_TEST_PG", "")

SHELLING = EventType(
    "shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack", "ASSAULT", "19"
)
TALKS = EventType("consult", None, None, "CONSULT", "04")

TEXT_A = (
    "Artillery shells struck the border town of Dorvansk on Sunday, killing four civilians, "
    "the regional governor said.\n\nThe defence ministry denied firing on the town."
)
TEXT_B = (
    "Negotiators met in the capital on Wednesday and agreed to exchange the bodies of soldiers "
    "killed in the spring fighting, a joint statement said."
)


def _pg_url() -> Iterator[str]:
    name = "wwk_test_" + uuid.uuid4().hex[:12]
    admin = create_engine(
        PG.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    base = PG.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        if not PG.startswith("postgresql://"):
            pytest.skip("WWK_TEST_PG not set")
        yield from _pg_url()


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    s = open_store(db)
    yield s
    s.close()


def make_extraction(
    text_: str, *, doc_id: str = "", url: str | None = None, source: str | None = None
) -> Extraction:
    doc = Document(
        text=text_,
        id=doc_id,
        url=url,
        source=source,
        title=text_.split(",")[0],
        published_at=datetime(2024, 3, 3, 9, 30, tzinfo=UTC),
        language="en",
    )
    s = text_.index("killing") if "killing" in text_ else 0
    place = Place(
        name="Dorvansk", span=(36, 44), text="Dorvansk", lat=48.5, lon=38.0, country="XDV", precision="town"
    )
    claims = [
        Claim(
            id=f"{doc.id[:12]}-c1",
            doc_id=doc.id,
            event_type=SHELLING if "shells" in text_ else TALKS,
            evidence=TextSpan(text_.split("\n\n")[0], (0, len(text_.split("\n\n")[0]))),
            claimant=Actor(name="regional governor", kind="government", country="XDV", span=(s, s + 7)),
            place=place if "Dorvansk" in text_ else None,
            time=TimeSpan(
                "Sunday",
                (0, 6),
                start=datetime(2024, 3, 3, tzinfo=UTC),
                end=datetime(2024, 3, 4, tzinfo=UTC),
                precision="day",
            ),
            quantity=Quantity(
                "four civilians", (s + 8, s + 22), value=4, counted="killed", victims=Victims(kind="civilian")
            ),
        ),
        Claim(
            id=f"{doc.id[:12]}-c2",
            doc_id=doc.id,
            event_type=TALKS,
            evidence=TextSpan("The defence ministry denied firing on the town.", (0, 10)),
            polarity="denied",
            is_background=True,
        ),
    ]
    return Extraction(doc=doc, places=[place], claims=claims, primary=claims[0].event_type)


# --------------------------------------------------------------------------- opening, migrations


def test_migrations_recorded(store: Store) -> None:
    rows = store.migrations()
    assert [(v, n) for v, n, _ in rows] == [(1, "initial tables"), (2, "full-text search over documents")]
    assert all(len(at) == 20 and at.endswith("Z") for _, _, at in rows)


def test_reopen_applies_nothing(db: str) -> None:
    s1 = open_store(db)
    s1.add_extraction(make_extraction(TEXT_A))
    s1.close()
    s2 = open_store(db)
    assert s2.migrate() == []
    assert len(s2.documents()) == 1
    s2.close()


def test_newer_schema_refused(db: str) -> None:
    s = open_store(db)
    with s.engine.begin() as c:
        c.execute(
            S.schema_migrations.insert().values(version=99, name="future", applied_at="2030-01-01T00:00:00Z")
        )
    s.close()
    with pytest.raises(WwkError) as ei:
        open_store(db)
    assert "schema 99 > 2" in str(ei.value) and str(ei.value).startswith("[E011]")


def test_sqlite_pragmas(tmp_path: Path) -> None:
    s = open_store(str(tmp_path / "p.db"))
    with s.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    s.close()


def test_open_errors(tmp_path: Path) -> None:
    with pytest.raises(WwkError) as ei:
        open_store(str(tmp_path / "no" / "such" / "dir" / "x.db"))
    assert str(ei.value).startswith("[E010] ") and "does not exist" in str(ei.value)
    with pytest.raises(WwkError) as ei:
        open_store(str(tmp_path))
    assert "it is a folder" in str(ei.value)
    not_db = tmp_path / "text.db"
    not_db.write_text("this is not a database at all, just some words\n" * 100)
    with pytest.raises(WwkError) as ei:
        open_store(str(not_db))
    assert str(ei.value).startswith(f"[E010] {not_db}: cannot open the store (file is not a database)")


# --------------------------------------------------------------------------- documents


def test_add_and_read_back(store: Store) -> None:
    ex = make_extraction(TEXT_A, url="https://Example.com/a/?utm_medium=x", source="Northwire")
    res = store.add_extraction(ex, raw_ref="in/a.txt")
    assert (res.doc_id, res.status, res.n_claims, res.near_dup_of) == (ex.doc.id, "added", 2, None)
    assert store.has_document(ex.doc.id)
    (row,) = store.documents()
    assert (row.id, row.url, row.source, row.language, row.n_claims, row.sightings, row.status) == (
        ex.doc.id,
        "https://Example.com/a/?utm_medium=x",
        "Northwire",
        "en",
        2,
        0,
        "extracted",
    )
    assert row.published_at == datetime(2024, 3, 3, 9, 30, tzinfo=UTC)
    assert row.raw_ref == "in/a.txt"
    doc = store.document(ex.doc.id)
    assert doc is not None and doc.text == TEXT_A and doc.title == ex.doc.title
    claims = store.claims(doc_id=ex.doc.id)
    assert [c.to_json() for c in claims] == [c.to_json() for c in ex.claims]
    assert all(c.doc_id == ex.doc.id and c.event_id is None for c in claims)
    xj = store.extraction_json(ex.doc.id)
    assert xj is not None
    assert xj["places"] == [ex.places[0].to_json()]
    assert xj["primary"]["event_type"] == "shelling"
    assert "text" not in xj and "claims" not in xj
    assert store.extraction_json("nope") is None and store.document("nope") is None


def test_same_extraction_twice_is_idempotent(store: Store) -> None:
    ex = make_extraction(TEXT_A, source="Northwire")
    assert store.add_extraction(ex, raw_ref="a.txt").status == "added"
    again = store.add_extraction(make_extraction(TEXT_A, source="Northwire"), raw_ref="a.txt")
    assert (again.doc_id, again.status) == (ex.doc.id, "duplicate")
    assert store.stats() == {"documents": 1, "sightings": 0, "claims": 2, "events": 0, "rejected": 0}


def test_same_report_from_elsewhere_is_one_sighting(store: Store) -> None:
    ex = make_extraction(TEXT_A, source="Northwire", url="https://northwire.example/a")
    store.add_extraction(ex, raw_ref="a.txt")
    # same text under another id and from another outlet: the same report seen again
    copy = make_extraction(TEXT_A, doc_id="other-id", source="Valley Post", url="https://valley.example/x")
    r = store.add_extraction(copy, raw_ref="b.jsonl:3")
    assert (r.doc_id, r.status) == (ex.doc.id, "sighting")
    # and again: nothing new
    assert store.add_extraction(copy, raw_ref="b.jsonl:3").status == "duplicate"
    (row,) = store.documents()
    assert (row.n_claims, row.sightings) == (2, 1)
    assert store.sightings(ex.doc.id) == [
        {
            "source": "Valley Post",
            "url": "https://valley.example/x",
            "raw_ref": "b.jsonl:3",
            "seen_at": ANY_TS,
        }
    ]


class _AnyTs(str):
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and len(other) == 20 and other.endswith("Z")

    __hash__ = str.__hash__


ANY_TS = _AnyTs("")


def test_same_canonical_url_is_a_sighting(store: Store) -> None:
    store.add_extraction(make_extraction(TEXT_A, url="https://www.example.com/news/a/?utm_source=tw#top"))
    r = store.add_extraction(make_extraction(TEXT_B, url="HTTPS://WWW.EXAMPLE.COM/news/a"))
    assert r.status == "sighting"
    assert store.stats()["documents"] == 1


def test_transaction_atomicity(store: Store) -> None:
    ex = make_extraction(TEXT_A)
    ex.claims[1].id = ex.claims[0].id  # the second claim insert violates the primary key
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        store.add_extraction(ex)
    assert not store.has_document(ex.doc.id)
    assert store.stats() == {"documents": 0, "sightings": 0, "claims": 0, "events": 0, "rejected": 0}
    assert store.search("Dorvansk", 5) == []
    # the store still works afterwards
    assert store.add_extraction(make_extraction(TEXT_A)).status == "added"


def test_add_skipped(store: Store) -> None:
    doc = Document(text="Les combats ont repris lundi le long de la ligne de front.", language="fr")
    r = store.add_skipped(doc, "[E018] x: language 'fr' is not supported yet")
    assert r.status == "skipped"
    (row,) = store.documents(status="skipped")
    assert (row.status, row.n_claims, row.language) == ("skipped", 0, "fr")
    assert row.skip_reason == "[E018] x: language 'fr' is not supported yet"
    assert store.documents(status="extracted") == []


def test_document_filters_and_pagination(store: Store) -> None:
    store.add_extraction(make_extraction(TEXT_A, source="Northwire"))
    store.add_extraction(make_extraction(TEXT_B, source="Valley Post"))
    assert [r.source for r in store.documents()] == ["Northwire", "Valley Post"]
    assert [r.source for r in store.documents(limit=1, offset=1)] == ["Valley Post"]
    assert [r.source for r in store.documents(source="Valley Post")] == ["Valley Post"]
    assert [r.source for r in store.documents(country="XDV")] == ["Northwire"]
    assert [r.source for r in store.documents(event_type="shelling")] == ["Northwire"]
    assert len(store.documents(published_from="2024-03-03", published_to="2024-03-04")) == 2
    assert store.documents(published_from="2024-03-04") == []
    assert len(store.documents(since="2000-01-01T00:00:00Z")) == 2


# --------------------------------------------------------------------------- rejected


def test_rejected_rows_unique(store: Store) -> None:
    assert store.add_rejected("in/bad.jsonl", 3, "[E006] in/bad.jsonl, line 3: not valid JSON") is True
    assert store.add_rejected("in/bad.jsonl", 3, "[E006] in/bad.jsonl, line 3: not valid JSON") is False
    assert store.add_rejected("in/empty.txt", None, "[E003] in/empty.txt: is empty.") is True
    assert store.add_rejected("in/empty.txt", None, "[E003] in/empty.txt: is empty.") is False
    rows = store.rejected()
    assert [(r.path, r.row, r.reason) for r in rows] == [
        ("in/bad.jsonl", 3, "[E006] in/bad.jsonl, line 3: not valid JSON"),
        ("in/empty.txt", None, "[E003] in/empty.txt: is empty."),
    ]
    assert rows[0].first_seen is not None
    assert rows[0].to_json()["row"] == 3


# --------------------------------------------------------------------------- search


def test_full_text_search(store: Store) -> None:
    a = make_extraction(TEXT_A)
    b = make_extraction(TEXT_B)
    store.add_extraction(a)
    store.add_extraction(b)
    hits = store.search("shells Dorvansk", 10)
    assert [h[0] for h in hits] == [a.doc.id]
    assert "**Dorvansk**" in hits[0][1]
    # stemming: "negotiator" finds "Negotiators"
    assert [h[0] for h in store.search("negotiator", 10)] == [b.doc.id]
    assert store.search('artillery: (governor"', 10) != []  # query syntax is not interpreted
    assert store.search("unicorns", 10) == []
    assert store.search("  ", 10) == []


# --------------------------------------------------------------------------- claims and events


def make_event(eid: str, claim_ids: list[str], *, lat: float, lon: float, start: datetime) -> Event:
    return Event(
        id=eid,
        event_type=SHELLING,
        start=start,
        end=start.replace(hour=23),
        time_precision="day",
        places=[Place(name="Dorvansk", span=(36, 44), lat=lat, lon=lon, country="XDV", precision="town")],
        fatalities=[
            Figure(
                side=None,
                kind="civilian",
                counted="killed",
                best=4,
                low=4,
                high=None,
                qualifier="exact",
                claims=claim_ids,
            )
        ],
        claims=claim_ids,
        sources=["Northwire"],
        updated_at=datetime(2024, 3, 4, tzinfo=UTC),
    )


def test_replace_and_upsert_events(store: Store) -> None:
    a = make_extraction(TEXT_A, source="Northwire")
    b = make_extraction(TEXT_B, source="Valley Post")
    store.add_extraction(a)
    store.add_extraction(b)
    ca, cb = a.claims[0].id, b.claims[0].id
    e1 = make_event("ev1", [ca], lat=48.5, lon=38.0, start=datetime(2024, 3, 3, tzinfo=UTC))
    e2 = make_event("ev2", [cb], lat=10.0, lon=10.0, start=datetime(2024, 5, 1, tzinfo=UTC))
    store.replace_events([e1, e2], {ca: "ev1", cb: "ev2"})
    assert [e.id for e in store.events()] == ["ev1", "ev2"]
    assert store.events()[0].to_json() == e1.to_json()
    assert [c.id for c in store.claims(event_id="ev1")] == [ca]
    assert [e.id for e in store.events(bbox=(37.0, 48.0, 39.0, 49.0))] == ["ev1"]
    assert [e.id for e in store.events(time_from="2024-04-01")] == ["ev2"]
    assert [e.id for e in store.events(time_to="2024-04-01")] == ["ev1"]
    assert [e.id for e in store.events(country="XDV", limit=1, offset=1)] == ["ev2"]
    assert [e.id for e in store.events(source="Valley Post")] == ["ev2"]
    assert store.events(event_type="consult") == []
    # replacing drops what is not in the new set, and unlinks claims
    store.replace_events([e1], {ca: "ev1"})
    assert [e.id for e in store.events()] == ["ev1"]
    assert store.claims(event_id="ev2") == []
    # upsert changes one event and keeps the others
    e1b = make_event("ev1", [ca], lat=48.5, lon=38.0, start=datetime(2024, 3, 2, tzinfo=UTC))
    e3 = make_event("ev3", [cb], lat=1.0, lon=1.0, start=datetime(2024, 6, 1, tzinfo=UTC))
    store.upsert_events([e1b, e3], {cb: "ev3"})
    evs = store.events()
    assert [(e.id, e.start) for e in evs] == [
        ("ev1", datetime(2024, 3, 2, tzinfo=UTC)),
        ("ev3", datetime(2024, 6, 1, tzinfo=UTC)),
    ]
    assert [c.event_id for c in store.claims(doc_id=b.doc.id)] == ["ev3", None]


def test_claim_filters(store: Store) -> None:
    a = make_extraction(TEXT_A, source="Northwire")
    store.add_extraction(a)
    store.add_extraction(make_extraction(TEXT_B, source="Valley Post"))
    assert len(store.claims()) == 4
    assert [c.id for c in store.claims(country="XDV")] == [a.claims[0].id]
    assert [c.id for c in store.claims(bbox=(30, 40, 40, 50))] == [a.claims[0].id]
    assert len(store.claims(source="Valley Post")) == 2
    assert len(store.claims(include_background=False)) == 2
    assert len(store.claims(event_type="consult")) == 3
    assert len(store.claims(time_from="2024-03-03T12:00:00Z", time_to="2024-03-03T13:00:00Z")) == 2
    assert len(store.claims(since="2000-01-01")) == 4
    assert len(store.claims(limit=3)) == 3


def test_sqlite_file_readable_by_sqlite3(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    s = open_store(str(path))
    s.add_extraction(make_extraction(TEXT_A))
    s.close()
    con = sqlite3.connect(path)
    assert con.execute(
        "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'governor'"
    ).fetchone() == (1,)
    con.close()


def test_concurrent_writers(db: str) -> None:
    """Two stores (as two processes would) writing at once: nothing lost, nothing doubled."""
    import threading

    errors: list[BaseException] = []

    def writer(k: int) -> None:
        s = open_store(db)
        try:
            for i in range(15):
                s.add_extraction(make_extraction(f"Report {k}-{i}: {TEXT_B} Number {k * 100 + i}."))
        except BaseException as exc:  # collected and re-raised by the test
            errors.append(exc)
        finally:
            s.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    s = open_store(db)
    assert s.stats()["documents"] == 30
    s.close()


def test_documents_by_id_and_doc_meta(store: Store) -> None:
    a = make_extraction(TEXT_A, source="Northwire")
    b = make_extraction(TEXT_B, source="Valley Post")
    store.add_extraction(a)
    store.add_extraction(b)
    docs = store.documents_by_id()
    assert list(docs) == [a.doc.id, b.doc.id]
    assert docs[a.doc.id].text == TEXT_A and docs[a.doc.id].source == "Northwire"
    assert list(store.documents_by_id([b.doc.id])) == [b.doc.id]
    meta = store.doc_meta()
    assert meta[b.doc.id].source == "Valley Post"
    assert meta[b.doc.id].published_at == datetime(2024, 3, 3, 9, 30, tzinfo=UTC)
    assert meta[b.doc.id].text == TEXT_B and meta[b.doc.id].ingested_at is not None
    assert list(store.doc_meta([a.doc.id])) == [a.doc.id]
