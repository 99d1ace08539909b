"""Event exports: ACLED-style CSV, GeoJSON, JSONL and Parquet.

The CSV uses ACLED's column names so that tools built for ACLED data can read
it, plus our own columns after them. Rules worth knowing:

- ``fatalities`` (ACLED: one integer). Per side we take that side's *own* count
  of its own dead (figures one side claims about the other side's losses are
  never used here). Within a side, a figure for all of the side's dead and the
  sum of its separate military and civilian figures are alternatives: the
  larger is used, so nothing is counted twice. Where figures exist for two or
  more sides, ``fatalities`` is the sum of each side's best, and ``notes`` says
  which figures were added and who gave them; where only one side has a figure,
  it is that side's best. Figures whose side is not stated are used only when
  no side is known. No figure at all gives 0, as in ACLED.
- ``fatalities_low`` / ``fatalities_high`` add the same sides' ``low`` and
  ``high`` (a side's ``best`` where it has no low or high).
- ``fatalities_by_side``: ``"ARM:207;AZE:80"``, each side's best, never summed.
- ``event_date`` is the UTC date of the event's start; ``time_precision`` is
  ACLED's 1 (day), 2 (week), 3 (month or coarser).
- ``geo_precision`` is ACLED's 1 (a town or exact point), 2 (a part of a region,
  or near a town), 3 (a province or larger area); our ``exact``/``town`` → 1,
  ``region`` → 2, ``admin1``/``country``/``continent`` → 3.
- ``iso`` is the ISO 3166 numeric code, as ACLED gives it.
- Background events (history cited as context) are left out of the CSV, GeoJSON
  and Parquet exports unless ``include_background=True``; JSONL keeps every event
  with its ``is_background`` flag.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import IO, Any

from whatweknow.errors import E, WwkError
from whatweknow.model import SCHEMA, Actor, Claim, Document, Event, Figure, Place
from whatweknow.report.brief import country_name

FORMATS = ("csv", "geojson", "jsonl", "parquet")

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "civilian_targeting",
    "iso",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "timestamp",
]
EXTRA_COLUMNS = [
    "wwk_event_id",
    "wwk_event_type",
    "plover",
    "cameo_root",
    "fatalities_by_side",
    "fatalities_low",
    "fatalities_high",
    "claim_ids",
    "document_ids",
    "n_documents",
    "n_sources",
    "first_reported_at",
    "updated_at",
    "is_background",
]
COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS

_INT_COLUMNS = frozenset(
    {
        "year",
        "time_precision",
        "inter1",
        "inter2",
        "iso",
        "geo_precision",
        "fatalities",
        "timestamp",
        "fatalities_low",
        "fatalities_high",
        "n_documents",
        "n_sources",
    }
)
_FLOAT_COLUMNS = frozenset({"latitude", "longitude"})
_BOOL_COLUMNS = frozenset({"is_background"})

_TIME_PRECISION = {"minute": 1, "hour": 1, "day": 1, "week": 2}
_GEO_PRECISION = {"exact": 1, "town": 1, "region": 2, "admin1": 3, "country": 3, "continent": 3}
_PLACE_RANK = {"exact": 0, "town": 1, "region": 2, "admin1": 3, "country": 4, "continent": 5}
# ACLED actor codes: 1 state forces, 7 civilians, 8 external/other forces
_INTER = {"state_forces": 1, "state": 1, "government": 1, "civilians": 7, "igo": 8}
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


# --------------------------------------------------------------------------- fatalities


@dataclass(slots=True)
class SideCount:
    side: str | None
    best: float
    low: float
    high: float
    described: str  # "ARM 207 (Armenian Security Council, 19 Sep 2022)"


def _point_for_best(fig: Figure) -> tuple[str | None, datetime | None]:
    pts = [p for p in fig.history if p.value is not None and p.value == fig.best]
    if not pts:
        pts = list(fig.history)
    if not pts:
        return None, None
    far = datetime.min.replace(tzinfo=UTC)
    pts.sort(key=lambda p: p.as_of.astimezone(UTC) if p.as_of else far)
    return pts[-1].claimant, pts[-1].as_of


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _describe(side: str | None, figs: list[Figure], total: float) -> str:
    who: list[str] = []
    for f in figs:
        claimant, as_of = _point_for_best(f)
        bit = ", ".join(x for x in (claimant, as_of.strftime("%Y-%m-%d") if as_of else None) if x)
        if bit and bit not in who:
            who.append(bit)
    label = side or "side not stated"
    return f"{label} {_num(total)}" + (f" (per {'; '.join(who)})" if who else "")


def side_counts(ev: Event, claims_by_id: Mapping[str, Claim] | None = None) -> list[SideCount]:
    """Each side's own count of its own dead on ``ev`` (see the module docstring for the rule)."""
    by_side: dict[str | None, list[Figure]] = {}
    for f in ev.fatalities:
        if f.by_other_side or f.best is None or f.counted != "killed":
            continue
        if claims_by_id is not None:
            known = [claims_by_id[c] for c in f.claims if c in claims_by_id]
            if known and all(c.is_background for c in known):
                continue
        by_side.setdefault(f.side, []).append(f)
    out: list[SideCount] = []
    for side, figs in by_side.items():
        whole = [f for f in figs if f.kind is None]
        per_kind: dict[str, Figure] = {}
        for f in figs:
            if f.kind is not None and (
                f.kind not in per_kind or (f.best or 0) > (per_kind[f.kind].best or 0)
            ):
                per_kind[f.kind] = f
        whole_best = max(whole, key=lambda f: f.best or 0) if whole else None
        kinded = list(per_kind.values())
        kinded_sum = sum(f.best or 0 for f in kinded)
        chosen = [whole_best] if whole_best is not None and (whole_best.best or 0) >= kinded_sum else kinded
        best = sum(f.best or 0 for f in chosen)
        low = sum(f.low if f.low is not None else (f.best or 0) for f in chosen)
        high = sum(f.high if f.high is not None else (f.best or 0) for f in chosen)
        out.append(SideCount(side, best, low, high, _describe(side, chosen, best)))
    out.sort(key=lambda s: s.side or "~")
    return out


def fatalities_total(counts: list[SideCount]) -> tuple[int, int | None, int | None, str]:
    """(fatalities, low, high, note) for ACLED's single ``fatalities`` column."""
    known = [s for s in counts if s.side]
    use = known or counts
    if not use:
        return 0, None, None, "No fatality figure reported."
    best = round(sum(s.best for s in use))
    low = round(sum(s.low for s in use))
    high = round(sum(s.high for s in use))
    if len(use) >= 2:
        note = (
            f"Fatalities {best} = sum of each side's own figure: "
            + " + ".join(s.described for s in use)
            + "; the figures come from different sides and were not independently verified."
        )
    else:
        note = f"Fatalities: {use[0].described} (one side's figure only)."
    if known and len(known) < len(counts):
        note += " A figure whose side is not stated was not added."
    return best, low, high, note


# --------------------------------------------------------------------------- rows


def _best_place(ev: Event) -> Place | None:
    with_coords = [p for p in ev.places if p.lat is not None and p.lon is not None]
    if not with_coords:
        return None
    return min(with_coords, key=lambda p: _PLACE_RANK.get(p.precision or "", 9))


@lru_cache(maxsize=512)
def _iso_numeric(code: str | None) -> int | None:
    if not code or len(code) != 3:
        return None
    import pycountry

    rec = pycountry.countries.get(alpha_3=code.upper())
    return int(rec.numeric) if rec is not None else None


def _roles(ev: Event, claims_by_id: Mapping[str, Claim]) -> tuple[list[Actor], list[Actor]]:
    """Agents and targets named by the event's claims, most often named first."""
    agents: dict[str, tuple[int, Actor]] = {}
    targets: dict[str, tuple[int, Actor]] = {}
    for cid in ev.claims:
        c = claims_by_id.get(cid)
        if c is None or c.is_background != ev.is_background:
            continue
        for role, bucket in (("agent", agents), ("target", targets)):
            a: Actor | None = getattr(c, role)
            if a is None or not a.name:
                continue
            key = a.actor_id or a.name
            n, first = bucket.get(key, (0, a))
            bucket[key] = (n + 1, first)

    def ranked(bucket: dict[str, tuple[int, Actor]]) -> list[Actor]:
        return [a for _n, a in sorted(bucket.values(), key=lambda t: -t[0])]

    ag, tg = ranked(agents), ranked(targets)
    if not ag and not tg and ev.actors:
        ag = ev.actors[:1]
        tg = ev.actors[1:2]
    return ag, tg


def _iso_z(dt: datetime | None) -> str:
    if dt is None:
        return ""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def event_row(ev: Event, claims_by_id: Mapping[str, Claim], docs: Mapping[str, Document]) -> dict[str, Any]:
    """One flat row (ACLED columns + ours) for an event; absent values are ``None``."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    place = _best_place(ev)
    start = ev.start.astimezone(UTC) if ev.start and ev.start.tzinfo else ev.start
    country = place.country if place else next((p.country for p in ev.places if p.country), None)
    row["event_id_cnty"] = f"{country or 'XXX'}-{ev.id}"
    if start is not None:
        row["event_date"] = start.strftime("%Y-%m-%d")
        row["year"] = start.year
        row["time_precision"] = _TIME_PRECISION.get(ev.time_precision or "", 3)
    et = ev.event_type
    row["event_type"] = et.acled_event_type
    row["sub_event_type"] = et.acled_sub_event_type
    if et.acled_event_type == "Riots" and et.acled_sub_event_type == "Mob violence":
        row["disorder_type"] = "Political violence"
    else:
        row["disorder_type"] = _DISORDER.get(et.acled_event_type or "")
    agents, targets = _roles(ev, claims_by_id)
    if agents:
        row["actor1"] = agents[0].name
        row["assoc_actor_1"] = "; ".join(a.name for a in agents[1:]) or None
        row["inter1"] = _INTER.get(agents[0].kind or "")
    if targets:
        row["actor2"] = targets[0].name
        row["assoc_actor_2"] = "; ".join(a.name for a in targets[1:]) or None
        row["inter2"] = _INTER.get(targets[0].kind or "")
    if et.acled_event_type == "Violence against civilians" or (targets and targets[0].kind == "civilians"):
        row["civilian_targeting"] = "Civilian targeting"
    row["iso"] = _iso_numeric(country)
    row["country"] = country_name(country) if country else None
    if place is not None:
        row["admin1"] = place.admin1
        row["location"] = place.name
        row["latitude"] = place.lat
        row["longitude"] = place.lon
        row["geo_precision"] = _GEO_PRECISION.get(place.precision or "", 3)
    sources = list(dict.fromkeys(ev.sources))
    row["source"] = "; ".join(sources) or None
    counts = side_counts(ev, claims_by_id)
    total, low, high, fat_note = fatalities_total(counts)
    row["fatalities"] = total
    row["fatalities_low"] = low
    row["fatalities_high"] = high
    row["fatalities_by_side"] = ";".join(f"{s.side or 'UNK'}:{_num(s.best)}" for s in counts) or None
    what = et.acled_sub_event_type or et.id.replace("_", " ")
    places = ", ".join(dict.fromkeys(p.name for p in ev.places[:3]))
    note = f"{what[:1].upper()}{what[1:]}"
    if places:
        note += f" at {places}"
    if start is not None:
        note += f" on {row['event_date']}"
    note += f". Reported in {len(set(ev.documents))} document(s). {fat_note}"
    if ev.is_background:
        note += " Background: history cited as context, not a current event."
    row["notes"] = note
    stamp = ev.updated_at or ev.first_reported_at
    row["timestamp"] = int(stamp.timestamp()) if stamp else None
    row["wwk_event_id"] = ev.id
    row["wwk_event_type"] = et.id
    row["plover"] = et.plover
    row["cameo_root"] = et.cameo_root
    row["claim_ids"] = ";".join(ev.claims) or None
    row["document_ids"] = ";".join(ev.documents) or None
    row["n_documents"] = len(set(ev.documents))
    row["n_sources"] = len(set(ev.sources))
    row["first_reported_at"] = _iso_z(ev.first_reported_at) or None
    row["updated_at"] = _iso_z(ev.updated_at) or None
    row["is_background"] = ev.is_background
    return row


def event_rows(
    events: list[Event],
    claims: list[Claim],
    docs: Mapping[str, Document],
    *,
    include_background: bool = False,
) -> list[dict[str, Any]]:
    by_id = {c.id: c for c in claims}
    return [event_row(e, by_id, docs) for e in events if include_background or not e.is_background]


# --------------------------------------------------------------------------- writers


@contextmanager
def _opened(out: IO[Any] | str | os.PathLike[str], binary: bool) -> Iterator[IO[Any]]:
    if isinstance(out, (str, os.PathLike)):
        if binary:
            with open(out, "wb") as fb:
                yield fb
        else:
            with open(out, "w", encoding="utf-8", newline="") as ft:
                yield ft
    else:
        yield out


def _csv_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _write_csv(rows: list[dict[str, Any]], f: IO[str]) -> None:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([_csv_value(r[c]) for c in COLUMNS])


def geojson(
    events: list[Event],
    claims: list[Claim],
    docs: Mapping[str, Document],
    *,
    include_background: bool = False,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one Point per event that has a placed location."""
    by_id = {c.id: c for c in claims}
    chosen = [e for e in events if include_background or not e.is_background]
    features: list[dict[str, Any]] = []
    for ev in chosen:
        row = event_row(ev, by_id, docs)
        if row["latitude"] is None or row["longitude"] is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": ev.id,
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
            }
        )
    return {
        "type": "FeatureCollection",
        "properties": {
            "schema": SCHEMA,
            "n_events": len(chosen),
            "n_events_without_place": len(chosen) - len(features),
        },
        "features": features,
    }


def _arrow_table(rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    fields = []
    for c in COLUMNS:
        if c in _INT_COLUMNS:
            t = pa.int64()
        elif c in _FLOAT_COLUMNS:
            t = pa.float64()
        elif c in _BOOL_COLUMNS:
            t = pa.bool_()
        else:
            t = pa.string()
        fields.append(pa.field(c, t))
    schema = pa.schema(fields, metadata={"schema": SCHEMA})
    return pa.Table.from_pylist(rows, schema=schema)


def export_events(
    events: list[Event],
    claims: list[Claim],
    docs: Mapping[str, Document],
    fmt: str,
    out: IO[Any] | str | os.PathLike[str],
    *,
    include_background: bool = False,
) -> int:
    """Write events as ``csv`` | ``geojson`` | ``jsonl`` | ``parquet``; returns the records written.

    ``out`` is a path or an open file: a text stream for csv/geojson/jsonl; for
    parquet a binary stream (a text stream with a ``.buffer``, such as stdout, works).
    """
    if fmt not in FORMATS:
        raise WwkError(E.E013, value=fmt, choices=", ".join(FORMATS))
    if fmt == "jsonl":
        with _opened(out, binary=False) as f:
            for ev in events:
                f.write(json.dumps(ev.to_json(), ensure_ascii=False) + "\n")
        return len(events)
    if fmt == "geojson":
        fc = geojson(events, claims, docs, include_background=include_background)
        with _opened(out, binary=False) as f:
            f.write(json.dumps(fc, ensure_ascii=False) + "\n")
        return len(fc["features"])
    rows = event_rows(events, claims, docs, include_background=include_background)
    if fmt == "csv":
        with _opened(out, binary=False) as f:
            _write_csv(rows, f)
        return len(rows)
    import pyarrow.parquet as pq

    table = _arrow_table(rows)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    if isinstance(out, (str, os.PathLike)):
        with open(out, "wb") as fb:
            fb.write(buf.getvalue())
    else:
        target = getattr(out, "buffer", out) if isinstance(out, io.TextIOBase) else out
        target.write(buf.getvalue())
    return len(rows)
