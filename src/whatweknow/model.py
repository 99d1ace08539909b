"""The typed data model shared by every stage.

Every extracted value carries the span it came from: ``(start, end)`` character
offsets into ``Document.text`` (the *cleaned* text). ``to_json`` methods give
the exact field names of the machine interface (INTERFACE.md, schema ``wwk/1``).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

SCHEMA = "wwk/1"

Precision = Literal["exact", "town", "admin1", "region", "country", "continent"]
TimePrecision = Literal["minute", "hour", "day", "week", "month", "season", "year", "decade", "century"]
Qualifier = Literal["exact", "at_least", "at_most", "about", "more_than", "fewer_than", "not_final", "range"]
Counted = Literal["killed", "injured", "missing", "captured", "displaced", "detained", "deployed", "other"]
ActorKind = Literal[
    "state",
    "state_forces",
    "government",
    "person",
    "igo",
    "armed_group",
    "civilians",
    "organisation",
    "media",
]
Polarity = Literal["asserted", "denied"]
Modality = Literal["reported", "alleged", "expected", "called_for"]

SpanT = tuple[int, int]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def iso(dt: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z`` suffix; ``None`` stays ``None``."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def calendar_moment(dt: datetime) -> datetime:
    """The UTC moment to read a day-or-coarser window start by: times are resolved in the
    place's own time zone, so a window opening at local midnight in Yerevan starts at
    20:00 UTC the day before; twelve hours later is the same local day anywhere from
    UTC-12 to UTC+12 ("13 Sep 2022", "2020", "1990s" read right)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC) + timedelta(hours=12)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def span_json(span: SpanT | None) -> list[int] | None:
    return None if span is None else [int(span[0]), int(span[1])]


@dataclass(slots=True)
class Document:
    """One report. ``text`` is the cleaned text all offsets refer to."""

    text: str
    id: str = ""
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    published_inferred: bool = False
    language: str | None = None
    raw_ref: str | None = None
    raw_text: str | None = None
    # offsets of the cleaned text back to raw_text: raw_offsets[i] is the raw
    # offset of cleaned character i (len(text) + 1 entries); None = identity
    raw_offsets: list[int] | None = None

    def __post_init__(self) -> None:
        if not self.id:
            self.id = sha256_text(self.text)

    def to_raw(self, offset: int) -> int:
        if self.raw_offsets is None:
            return offset
        return self.raw_offsets[min(max(offset, 0), len(self.raw_offsets) - 1)]


@dataclass(slots=True)
class Actor:
    """A resolved actor mention. ``actor_id`` is canonical (e.g. ``ARM:gov``, ``person:pashinyan``)."""

    name: str
    actor_id: str | None = None
    kind: ActorKind | None = None
    country: str | None = None  # ISO 3166 alpha-3, or "EU"/"UN"-style codes for IGOs
    role: str | None = None  # e.g. "prime minister", "defence ministry"
    span: SpanT | None = None
    text: str | None = None  # the words in the document

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "actor_id": self.actor_id,
            "country": self.country,
            "kind": self.kind,
            "role": self.role,
            "span": span_json(self.span),
        }


@dataclass(slots=True)
class Place:
    """A toponym mention, resolved against the gazetteer where possible."""

    name: str
    span: SpanT
    text: str = ""
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO alpha-3
    admin1: str | None = None
    precision: Precision | None = None
    geonames_id: int | None = None
    feature: str | None = None  # GeoNames feature class/code, or "region"/"country"
    is_demonym: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "text": self.text,
            "span": span_json(self.span),
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "precision": self.precision,
            "geonames_id": self.geonames_id,
        }


@dataclass(slots=True)
class TimeSpan:
    """A time expression resolved to a UTC interval."""

    text: str
    span: SpanT
    start: datetime | None = None
    end: datetime | None = None
    precision: TimePrecision | None = None
    value: str | None = None  # TIMEX3-style value: "2022-09-13", "2022-09", "199", "2022-09-13T09:00+03:00"

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": span_json(self.span),
            "start": iso(self.start),
            "end": iso(self.end),
            "precision": self.precision,
            "value": self.value,
        }


@dataclass(slots=True)
class Victims:
    country: str | None = None
    kind: Literal["military", "civilian"] | None = None
    actor_id: str | None = None
    name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"country": self.country, "kind": self.kind, "actor_id": self.actor_id, "name": self.name}


@dataclass(slots=True)
class Quantity:
    """A counted figure: "49 Armenian soldiers were killed"."""

    text: str
    span: SpanT
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: Qualifier = "exact"
    counted: Counted | None = None
    victims: Victims | None = None
    unit_text: str | None = None  # the noun counted ("soldiers", "dead")

    def to_json(self) -> dict[str, Any]:
        def num(x: float | None) -> int | float | None:
            if x is None:
                return None
            return int(x) if float(x).is_integer() else x

        return {
            "text": self.text,
            "span": span_json(self.span),
            "value": num(self.value),
            "low": num(self.low),
            "high": num(self.high),
            "qualifier": self.qualifier,
            "counted": self.counted,
            "victims": self.victims.to_json() if self.victims else None,
        }


@dataclass(slots=True)
class TextSpan:
    text: str
    span: SpanT

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "span": span_json(self.span)}


@dataclass(slots=True)
class Attribution:
    """Who said what: source (speaker), cue (verb/phrase), content (what was said)."""

    source: TextSpan | None
    cue: TextSpan
    content: TextSpan
    speaker: Actor | None = None  # the source resolved to an actor, when possible

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source.to_json() if self.source else None,
            "cue": self.cue.to_json(),
            "content": self.content.to_json(),
            "speaker": self.speaker.to_json() if self.speaker else None,
        }


@dataclass(slots=True)
class EventType:
    """An internal event type with its mappings (see ontology.py)."""

    id: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    plover: str | None
    cameo_root: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "event_type": self.id,
            "acled_event_type": self.acled_event_type,
            "acled_sub_event_type": self.acled_sub_event_type,
            "plover": self.plover,
            "cameo_root": self.cameo_root,
        }

    @staticmethod
    def from_json(d: dict[str, Any]) -> EventType:
        """From the flat fields a claim or event record carries."""
        return EventType(
            id=d.get("event_type") or "other",
            acled_event_type=d.get("acled_event_type"),
            acled_sub_event_type=d.get("acled_sub_event_type"),
            plover=d.get("plover"),
            cameo_root=d.get("cameo_root"),
        )


@dataclass(slots=True)
class Claim:
    """The atomic unit: a claimant asserts that something happened (or did not)."""

    id: str
    doc_id: str
    event_type: EventType
    evidence: TextSpan
    claimant: Actor | None = None
    agent: Actor | None = None
    target: Actor | None = None
    mediator: Actor | None = None
    place: Place | None = None
    time: TimeSpan | None = None
    quantity: Quantity | None = None
    polarity: Polarity = "asserted"
    modality: Modality = "reported"
    is_background: bool = False
    trigger: TextSpan | None = None
    event_id: str | None = None
    # the document-level claim: "this report is about an event of this type"
    is_report: bool = False

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id}
        d.update(self.event_type.to_json())
        for role in ("claimant", "agent", "target", "mediator"):
            a = getattr(self, role)
            d[role] = a.to_json() if a else None
        d["place"] = self.place.to_json() if self.place else None
        d["time"] = self.time.to_json() if self.time else None
        if self.quantity:
            q = self.quantity.to_json()
            q.pop("text", None)
            d["quantity"] = q
        else:
            d["quantity"] = None
        d["polarity"] = self.polarity
        d["modality"] = self.modality
        d["is_background"] = self.is_background
        d["is_report"] = self.is_report
        d["evidence"] = self.evidence.to_json()
        d["trigger"] = self.trigger.to_json() if self.trigger else None
        return d


@dataclass(slots=True)
class Extraction:
    """Everything the pipeline found in one document."""

    doc: Document
    places: list[Place] = field(default_factory=list)
    times: list[TimeSpan] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    primary: EventType | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        d = self.doc
        return {
            "schema": SCHEMA,
            "id": d.id,
            "published_at": iso(d.published_at),
            "published_inferred": d.published_inferred,
            "url": d.url,
            "title": d.title,
            "source": d.source,
            "language": d.language,
            "text": d.text,
            "primary": self.primary.to_json() if self.primary else None,
            "claims": [c.to_json() for c in self.claims],
            "places": [p.to_json() for p in self.places],
            "times": [t.to_json() for t in self.times],
            "quantities": [q.to_json() for q in self.quantities],
            "actors": [a.to_json() for a in self.actors],
            "attributions": [a.to_json() for a in self.attributions],
        }


# --------------------------------------------------------------------------- decoding
# Inverse of the ``to_json`` methods: the store keeps claims and events as
# JSON and hands typed objects back to later stages.


def _span(v: Any) -> SpanT | None:
    if not v:
        return None
    return (int(v[0]), int(v[1]))


def parse_dt(v: Any) -> datetime | None:
    if not v:
        return None
    if isinstance(v, datetime):
        return v if v.tzinfo else v.replace(tzinfo=UTC)
    s = str(v).strip().replace("Z", "+00:00")
    if len(s) == 10:
        s += "T00:00:00+00:00"
    dt = datetime.fromisoformat(s)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def actor_from_json(d: dict[str, Any] | None) -> Actor | None:
    if not d:
        return None
    return Actor(
        name=d.get("name") or "",
        actor_id=d.get("actor_id"),
        kind=d.get("kind"),
        country=d.get("country"),
        role=d.get("role"),
        span=_span(d.get("span")),
        text=d.get("text"),
    )


def place_from_json(d: dict[str, Any] | None) -> Place | None:
    if not d:
        return None
    return Place(
        name=d.get("name") or "",
        span=_span(d.get("span")) or (0, 0),
        text=d.get("text") or "",
        lat=d.get("lat"),
        lon=d.get("lon"),
        country=d.get("country"),
        admin1=d.get("admin1"),
        precision=d.get("precision"),
        geonames_id=d.get("geonames_id"),
    )


def time_from_json(d: dict[str, Any] | None) -> TimeSpan | None:
    if not d:
        return None
    return TimeSpan(
        text=d.get("text") or "",
        span=_span(d.get("span")) or (0, 0),
        start=parse_dt(d.get("start")),
        end=parse_dt(d.get("end")),
        precision=d.get("precision"),
        value=d.get("value"),
    )


def quantity_from_json(d: dict[str, Any] | None) -> Quantity | None:
    if not d:
        return None
    v = d.get("victims")
    return Quantity(
        text=d.get("text") or "",
        span=_span(d.get("span")) or (0, 0),
        value=d.get("value"),
        low=d.get("low"),
        high=d.get("high"),
        qualifier=d.get("qualifier") or "exact",
        counted=d.get("counted"),
        victims=Victims(
            country=v.get("country"), kind=v.get("kind"), actor_id=v.get("actor_id"), name=v.get("name")
        )
        if v
        else None,
    )


def text_span_from_json(d: dict[str, Any] | None) -> TextSpan | None:
    if not d:
        return None
    return TextSpan(text=d.get("text") or "", span=_span(d.get("span")) or (0, 0))


def claim_from_json(d: dict[str, Any]) -> Claim:
    """Rebuild a Claim from ``Claim.to_json()`` output (plus ``doc_id``/``event_id``)."""
    return Claim(
        id=d["id"],
        doc_id=d.get("doc_id") or "",
        event_type=EventType.from_json(d),
        evidence=text_span_from_json(d.get("evidence")) or TextSpan("", (0, 0)),
        claimant=actor_from_json(d.get("claimant")),
        agent=actor_from_json(d.get("agent")),
        target=actor_from_json(d.get("target")),
        mediator=actor_from_json(d.get("mediator")),
        place=place_from_json(d.get("place")),
        time=time_from_json(d.get("time")),
        quantity=quantity_from_json(d.get("quantity")),
        polarity=d.get("polarity") or "asserted",
        modality=d.get("modality") or "reported",
        is_background=bool(d.get("is_background")),
        is_report=bool(d.get("is_report")),
        trigger=text_span_from_json(d.get("trigger")),
        event_id=d.get("event_id"),
    )


# --------------------------------------------------------------------------- events


@dataclass(slots=True)
class FigurePoint:
    """One claimant's figure at one time: a point in a side's figure history."""

    claim_id: str
    doc_id: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    claimant: str | None  # claimant name
    claimant_country: str | None
    as_of: datetime | None  # the document's publication time

    def to_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim_id,
            "doc_id": self.doc_id,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier,
            "claimant": self.claimant,
            "claimant_country": self.claimant_country,
            "as_of": iso(self.as_of),
        }

    @staticmethod
    def from_json(d: dict[str, Any]) -> FigurePoint:
        return FigurePoint(
            claim_id=d["claim"],
            doc_id=d.get("doc_id") or "",
            value=d.get("value"),
            low=d.get("low"),
            high=d.get("high"),
            qualifier=d.get("qualifier") or "exact",
            claimant=d.get("claimant"),
            claimant_country=d.get("claimant_country"),
            as_of=parse_dt(d.get("as_of")),
        )


@dataclass(slots=True)
class Figure:
    """A reconciled figure for one side, kind and thing counted on one event."""

    side: str | None  # whose people (ISO alpha-3), None when unknown
    kind: str | None  # military | civilian | None
    counted: str  # killed, injured, missing, ...
    best: float | None
    low: float | None
    high: float | None
    qualifier: str
    claims: list[str]
    history: list[FigurePoint] = field(default_factory=list)
    by_other_side: bool = False  # figures one side claims about the other's losses
    rule: str = ""  # which rule chose best

    def to_json(self) -> dict[str, Any]:
        return {
            "side": self.side,
            "kind": self.kind,
            "counted": self.counted,
            "best": self.best,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier,
            "claims": list(self.claims),
            "history": [p.to_json() for p in self.history],
            "by_other_side": self.by_other_side,
            "rule": self.rule,
        }

    @staticmethod
    def from_json(d: dict[str, Any]) -> Figure:
        return Figure(
            side=d.get("side"),
            kind=d.get("kind"),
            counted=d.get("counted") or "killed",
            best=d.get("best"),
            low=d.get("low"),
            high=d.get("high"),
            qualifier=d.get("qualifier") or "exact",
            claims=list(d.get("claims") or []),
            history=[FigurePoint.from_json(p) for p in d.get("history") or []],
            by_other_side=bool(d.get("by_other_side")),
            rule=d.get("rule") or "",
        )


@dataclass(slots=True)
class Contradiction:
    about: str
    claims: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"about": self.about, "claims": list(self.claims)}


@dataclass(slots=True)
class Relation:
    """A link between events: 'violates', 'follows', 'responds_to', 'mediates', 'refers'."""

    type: str
    event_id: str

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "event_id": self.event_id}


@dataclass(slots=True)
class Event:
    """A cluster of claims about one real happening."""

    id: str
    event_type: EventType
    start: datetime | None = None
    end: datetime | None = None
    time_precision: str | None = None
    places: list[Place] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    fatalities: list[Figure] = field(default_factory=list)  # counted == killed
    figures: list[Figure] = field(default_factory=list)  # every other count (injured, missing, ...)
    documents: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    first_reported_at: datetime | None = None
    updated_at: datetime | None = None
    is_background: bool = False
    summary: str = ""

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"schema": SCHEMA, "id": self.id}
        d.update(self.event_type.to_json())
        d.update(
            {
                "start": iso(self.start),
                "end": iso(self.end),
                "time_precision": self.time_precision,
                "places": [p.to_json() for p in self.places],
                "actors": [a.to_json() for a in self.actors],
                "fatalities": [f.to_json() for f in self.fatalities],
                "figures": [f.to_json() for f in self.figures],
                "documents": list(self.documents),
                "sources": list(self.sources),
                "claims": list(self.claims),
                "contradictions": [c.to_json() for c in self.contradictions],
                "relations": [r.to_json() for r in self.relations],
                "first_reported_at": iso(self.first_reported_at),
                "updated_at": iso(self.updated_at),
                "is_background": self.is_background,
                "summary": self.summary,
            }
        )
        return d

    @staticmethod
    def from_json(d: dict[str, Any]) -> Event:
        return Event(
            id=d["id"],
            event_type=EventType.from_json(d),
            start=parse_dt(d.get("start")),
            end=parse_dt(d.get("end")),
            time_precision=d.get("time_precision"),
            places=[p for p in (place_from_json(x) for x in d.get("places") or []) if p],
            actors=[a for a in (actor_from_json(x) for x in d.get("actors") or []) if a],
            fatalities=[Figure.from_json(x) for x in d.get("fatalities") or []],
            figures=[Figure.from_json(x) for x in d.get("figures") or []],
            documents=list(d.get("documents") or []),
            sources=list(d.get("sources") or []),
            claims=list(d.get("claims") or []),
            contradictions=[
                Contradiction(x.get("about") or "", list(x.get("claims") or []))
                for x in d.get("contradictions") or []
            ],
            relations=[Relation(x["type"], x["event_id"]) for x in d.get("relations") or []],
            first_reported_at=parse_dt(d.get("first_reported_at")),
            updated_at=parse_dt(d.get("updated_at")),
            is_background=bool(d.get("is_background")),
            summary=d.get("summary") or "",
        )


def document_to_json(doc: Document) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "id": doc.id,
        "url": doc.url,
        "title": doc.title,
        "source": doc.source,
        "published_at": iso(doc.published_at),
        "published_inferred": doc.published_inferred,
        "language": doc.language,
        "raw_ref": doc.raw_ref,
        "text": doc.text,
    }
