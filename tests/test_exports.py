"""Event exports: ACLED-style CSV, GeoJSON, JSONL, Parquet (events built by hand from FACTS.md)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from whatweknow.errors import WwkError
from whatweknow.model import (
    Actor,
    Claim,
    Document,
    Event,
    EventType,
    Figure,
    FigurePoint,
    Place,
    TextSpan,
)
from whatweknow.report.exports import ACLED_COLUMNS, COLUMNS, export_events, fatalities_total, side_counts

PLUS4 = timezone(timedelta(hours=4))
SHELLING = EventType(
    "shelling_artillery_missile",
    "Explosions/Remote violence",
    "Shelling/artillery/missile attack",
    "ASSAULT",
    "18",
)
AGREE = EventType("agree", "Strategic developments", "Agreement", "AGREE", "03")
AZE_FORCES = Actor("Azerbaijani armed forces", "AZE:military", "state_forces", "AZE")
ARM_FORCES = Actor("Armenian armed forces", "ARM:military", "state_forces", "ARM")
ARM_MOD = Actor("Armenian Defence Ministry", "ARM:mod", "government", "ARM")

TEXT = (
    "Armenia's Defence Ministry said Azerbaijani forces opened heavy fire on Armenian positions "
    "shortly after midnight on Tuesday, striking areas around the towns of Goris, Sotk and Jermuk."
)


def goris() -> Place:
    return Place("Goris", (154, 159), "Goris", 39.5111, 46.3417, "ARM", "Syunik", "town", 616629)


def fig(
    side: str | None, kind: str | None, best: float, claim: str, who: str, day: int, **kw: object
) -> Figure:
    as_of = datetime(2022, 9, day, 12, tzinfo=UTC)
    pt = FigurePoint(claim, "d-mod", best, best, None, "exact", who, side, as_of)
    return Figure(side, kind, "killed", best, kw.get("low"), kw.get("high"), "exact", [claim], [pt],  # type: ignore[arg-type]
                  by_other_side=bool(kw.get("by_other_side")))  # fmt: skip


def data() -> tuple[list[Event], list[Claim], dict[str, Document]]:
    doc = Document(
        TEXT,
        id="d-mod",
        source="Caucasus Wire",
        published_at=datetime(2022, 9, 13, 6, 40, tzinfo=PLUS4),
        title="Armenia says Azerbaijani forces shelled border towns overnight",
    )
    claim = Claim(
        "c-mod",
        "d-mod",
        SHELLING,
        TextSpan(TEXT, (0, len(TEXT))),
        claimant=ARM_MOD,
        agent=AZE_FORCES,
        target=ARM_FORCES,
        place=goris(),
        event_id="e-clash",
    )
    clash = Event(
        id="e-clash",
        event_type=SHELLING,
        start=datetime(2022, 9, 13, 0, 0, tzinfo=UTC),
        time_precision="day",
        places=[
            Place("Syunik", (0, 0), "Syunik", 39.5, 46.0, "ARM", "Syunik", "admin1"),
            goris(),
        ],
        actors=[AZE_FORCES, ARM_FORCES],
        fatalities=[
            fig("ARM", None, 207, "c-207", "Armenian Security Council", 19, low=49, high=207),
            fig("AZE", "military", 80, "c-80", "Azerbaijani Defence Ministry", 19, low=50, high=80),
            # claimed by the other side: never added
            fig("AZE", "military", 431, "c-431", "Armenian Defence Ministry", 14, by_other_side=True),
        ],
        documents=["d-mod"],
        sources=["Caucasus Wire"],
        claims=["c-mod", "c-207", "c-80", "c-431"],
        first_reported_at=datetime(2022, 9, 13, 2, 40, tzinfo=UTC),
        updated_at=datetime(2022, 9, 19, 18, tzinfo=UTC),
    )
    truce = Event(
        id="e-truce",
        event_type=AGREE,
        start=datetime(2022, 9, 14, 16, 0, tzinfo=UTC),
        time_precision="hour",
        documents=["d-mod"],
        sources=["Caucasus Wire"],
    )
    war = Event(
        id="e-1990s",
        event_type=EventType("armed_clash", "Battles", "Armed clash", "FIGHT", "19"),
        start=datetime(1990, 1, 1, tzinfo=UTC),
        time_precision="decade",
        fatalities=[fig(None, None, 30000, "c-bg", "", 13)],
        is_background=True,
    )
    return [clash, truce, war], [claim], {"d-mod": doc}


def test_csv_round_trip_acled_columns() -> None:
    events, claims, docs = data()
    buf = io.StringIO()
    n = export_events(events, claims, docs, "csv", buf)
    assert n == 2  # the background war is left out
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(rows[0].keys()) == COLUMNS
    assert COLUMNS[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    r = rows[0]
    assert r["event_id_cnty"] == "ARM-e-clash"
    assert (r["event_date"], r["year"], r["time_precision"]) == ("2022-09-13", "2022", "1")
    assert (r["disorder_type"], r["event_type"], r["sub_event_type"]) == (
        "Political violence",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    )
    assert (r["actor1"], r["inter1"], r["actor2"], r["inter2"]) == (
        "Azerbaijani armed forces",
        "1",
        "Armenian armed forces",
        "1",
    )
    assert (r["iso"], r["country"], r["admin1"], r["location"]) == ("51", "Armenia", "Syunik", "Goris")
    assert (float(r["latitude"]), float(r["longitude"]), r["geo_precision"]) == (39.5111, 46.3417, "1")
    assert r["source"] == "Caucasus Wire"
    # both sides' own figures exist: their sum, with the notes saying which were added
    assert r["fatalities"] == "287"
    assert r["fatalities_by_side"] == "ARM:207;AZE:80"
    assert (r["fatalities_low"], r["fatalities_high"]) == ("99", "287")
    assert (
        "Fatalities 287 = sum of each side's own figure: ARM 207 (per Armenian Security Council, 2022-09-19)"
        in (r["notes"])
    )
    assert "AZE 80 (per Azerbaijani Defence Ministry, 2022-09-19)" in r["notes"]
    assert "431" not in r["fatalities_by_side"]
    assert r["claim_ids"] == "c-mod;c-207;c-80;c-431" and r["document_ids"] == "d-mod"
    assert r["wwk_event_type"] == "shelling_artillery_missile" and r["is_background"] == "false"
    t = rows[1]
    assert (t["event_type"], t["disorder_type"], t["fatalities"], t["fatalities_by_side"]) == (
        "Strategic developments",
        "Strategic developments",
        "0",
        "",
    )
    assert t["latitude"] == "" and t["notes"].endswith("No fatality figure reported.")


def test_fatalities_one_side_and_kinds() -> None:
    one = Event("e", SHELLING, fatalities=[fig("ARM", None, 49, "c", "Nikol Pashinyan", 13)])
    total, low, high, note = fatalities_total(side_counts(one))
    assert (total, low, high) == (49, 49, 49)
    assert note == "Fatalities: ARM 49 (per Nikol Pashinyan, 2022-09-13) (one side's figure only)."
    # a whole-side figure and per-kind figures are alternatives: the larger, never both
    mixed = Event(
        "e",
        SHELLING,
        fatalities=[
            fig("ARM", None, 207, "a", "Armenian Security Council", 19),
            fig("ARM", "military", 204, "b", "Armenian Security Council", 19),
            fig("ARM", "civilian", 3, "c", "Armenian Security Council", 19),
        ],
    )
    assert [(s.side, s.best) for s in side_counts(mixed)] == [("ARM", 207)]
    split = Event(
        "e",
        SHELLING,
        fatalities=[
            fig("ARM", None, 200, "a", "X", 19),
            fig("ARM", "military", 204, "b", "X", 19),
            fig("ARM", "civilian", 3, "c", "X", 19),
        ],
    )
    assert [(s.side, s.best) for s in side_counts(split)] == [("ARM", 207)]
    # a figure with no side is not added to known sides
    unk = Event(
        "e", SHELLING, fatalities=[fig("ARM", None, 49, "a", "X", 13), fig(None, None, 100, "b", "Y", 13)]
    )
    total, _l, _h, note = fatalities_total(side_counts(unk))
    assert total == 49 and "whose side is not stated was not added" in note


def test_geojson_valid_and_counts_unplaced(tmp_path: Path) -> None:
    events, claims, docs = data()
    out = tmp_path / "events.geojson"
    assert export_events(events, claims, docs, "geojson", out) == 1
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    assert fc["properties"] == {"schema": "wwk/1", "n_events": 2, "n_events_without_place": 1}
    (f,) = fc["features"]
    assert f["type"] == "Feature" and f["id"] == "e-clash"
    assert f["geometry"] == {"type": "Point", "coordinates": [46.3417, 39.5111]}  # lon, lat
    lon, lat = f["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert f["properties"]["fatalities"] == 287 and f["properties"]["location"] == "Goris"
    assert "latitude" not in f["properties"]


def test_parquet_readable(tmp_path: Path) -> None:
    events, claims, docs = data()
    out = tmp_path / "events.parquet"
    assert export_events(events, claims, docs, "parquet", out) == 2
    table = pq.read_table(out)
    assert table.column_names == COLUMNS
    assert str(table.schema.field("fatalities").type) == "int64"
    assert str(table.schema.field("latitude").type) == "double"
    assert table.column("fatalities").to_pylist() == [287, 0]
    assert table.column("latitude").to_pylist() == [39.5111, None]
    # a binary stream works too
    buf = io.BytesIO()
    export_events(events, claims, docs, "parquet", buf)
    assert pq.read_table(io.BytesIO(buf.getvalue())).num_rows == 2


def test_jsonl_keeps_every_event() -> None:
    events, claims, docs = data()
    buf = io.StringIO()
    assert export_events(events, claims, docs, "jsonl", buf) == 3
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert [d["id"] for d in lines] == ["e-clash", "e-truce", "e-1990s"]
    assert Event.from_json(lines[0]).fatalities[0].best == 207
    assert lines[2]["is_background"] is True


def test_background_included_on_request() -> None:
    events, claims, docs = data()
    buf = io.StringIO()
    assert export_events(events, claims, docs, "csv", buf, include_background=True) == 3
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert rows[2]["is_background"] == "true" and "Background" in rows[2]["notes"]


def test_unknown_format() -> None:
    with pytest.raises(WwkError) as err:
        export_events([], [], {}, "xlsx", io.StringIO())
    assert "[E013]" in str(err.value)
