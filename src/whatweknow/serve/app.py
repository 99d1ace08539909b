"""The REST API and the web page: ``create_app(db, token=..., private=...)``.

Reads go straight to the store (SQLite in WAL mode: readers are never blocked
by the writer). Every write runs on one single-thread executor, so there is
exactly one writer per process. Every error, including unknown routes, wrong
methods and request validation, has one JSON shape::

    {"ok": false, "error": "[E0xx] what is wrong and what to do", "status": 404}

Regenerate the checked-in schema with ``python -m whatweknow.serve.openapi docs/openapi.json``.
"""

from __future__ import annotations

import asyncio
import csv
import hmac
import io
import json
import math
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from whatweknow.errors import E, WwkError
from whatweknow.model import Actor, Claim, Document, Event, document_to_json, iso

if TYPE_CHECKING:
    from whatweknow.api import IngestReport, Workspace
    from whatweknow.store.store import BBox, Store

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
TEMPLATE_DIR = HERE / "templates"

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_DOCUMENTS_PER_POST = 200
API_VERSION = "1.0.0"


# --------------------------------------------------------------------------- errors


class ApiError(Exception):
    """An error answered as ``{"ok": false, "error": message, "status": status}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error": message, "status": status}, status_code=status, headers=headers
    )


class ErrorBody(BaseModel):
    """The shape of every error response."""

    ok: Literal[False] = False
    error: str = Field(description="What is wrong and what to do, with an error code: '[E062] ...'.")
    status: int = Field(description="The HTTP status code, repeated.")


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    words = {
        400: "Bad request",
        401: "Missing or wrong token",
        403: "Writes disabled (no token configured)",
        404: "Not found",
        422: "Invalid parameter or body",
    }
    return {c: {"model": ErrorBody, "description": words.get(c, "Error")} for c in codes}


def _validation_message(exc: RequestValidationError) -> str:
    errors = list(exc.errors())
    if errors and all(str((e.get("loc") or ("",))[0]) == "body" for e in errors):
        return _body_message(exc.body, errors)
    parts = []
    for err in errors[:3]:
        loc = [str(x) for x in err.get("loc", ())]
        where = loc[0] if loc else "request"
        name = ".".join(loc[1:])
        kind = {"query": "query parameter", "path": "path parameter", "body": "body field"}.get(where, where)
        label = f"{kind} {name!r}" if name else ("request body" if where == "body" else kind)
        parts.append(f"{label}: {err.get('msg', 'invalid')}")
    return E.E069.fmt(reason="; ".join(parts) or "invalid request")


def _body_message(body: Any, errors: list[Any]) -> str:
    """One message for a bad POST body, naming the field of the shape that was meant."""
    if not isinstance(body, dict):
        return E.E066.fmt(reason="not a JSON object")
    branch = "DocumentBatch" if "documents" in body else "InputDocument"
    parts = []
    for err in errors:
        loc = [str(x) for x in err.get("loc", ())][1:]
        if loc and loc[0] in ("InputDocument", "DocumentBatch"):
            if loc[0] != branch:
                continue
            loc = loc[1:]
        parts.append(f"{'.'.join(loc) or 'body'}: {err.get('msg', 'invalid')}")
    return E.E066.fmt(reason="; ".join(parts[:3]) or "invalid")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_req: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.headers)

    @app.exception_handler(WwkError)
    async def _wwk_error(_req: Request, exc: WwkError) -> JSONResponse:
        return error_response(400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(req: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 404 and exc.detail in (None, "Not Found"):
            msg = E.E067.fmt(path=req.url.path)
        elif exc.status_code == 405:
            allowed = headers.get("Allow") or headers.get("allow") or "GET"
            msg = E.E068.fmt(method=req.method, path=req.url.path, allowed=allowed)
        else:
            msg = str(exc.detail)
        return error_response(exc.status_code, msg, headers or None)

    @app.exception_handler(Exception)
    async def _crash(_req: Request, exc: Exception) -> JSONResponse:
        return error_response(500, E.E070.fmt(reason=type(exc).__name__))


# --------------------------------------------------------------------------- state


@dataclass
class ServerState:
    """Everything one app instance holds; nothing is module-global."""

    db: str
    token: str | None
    private: bool
    store: Store
    writer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="wwk-writer")
    )
    workspace: Workspace | None = None  # created in the writer thread on the first write

    def write(self, fn: Callable[[Workspace], Any]) -> Any:
        """Run ``fn`` with the workspace; called only on the writer thread."""
        if self.workspace is None:
            from whatweknow.api import Workspace

            self.workspace = Workspace(self.db)
        return fn(self.workspace)

    def close(self) -> None:
        self.writer.shutdown(wait=True)
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
        self.store.close()


def _state(request: Request) -> ServerState:
    st: ServerState = request.app.state.wwk
    return st


_bearer = HTTPBearer(auto_error=False, description="The token given to `wwk serve --token`.")


def _token_ok(st: ServerState, creds: HTTPAuthorizationCredentials | None) -> bool:
    if st.token is None or creds is None or creds.scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(creds.credentials.encode("utf-8"), st.token.encode("utf-8"))


def require_read(
    request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> ServerState:
    st = _state(request)
    if st.private and not _token_ok(st, creds):
        raise ApiError(401, E.E061.fmt(), {"WWW-Authenticate": "Bearer"})
    return st


def require_write(
    request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> ServerState:
    st = _state(request)
    if st.token is None:
        raise ApiError(403, E.E060.fmt())
    if not _token_ok(st, creds):
        raise ApiError(401, E.E061.fmt(), {"WWW-Authenticate": "Bearer"})
    return st


ReadState = Annotated[ServerState, Depends(require_read)]
WriteState = Annotated[ServerState, Depends(require_write)]


# --------------------------------------------------------------------------- parameters


def parse_time(name: str, value: str | None) -> datetime | None:
    """A time filter bound; ``YYYY-MM-DD`` or ISO 8601 (naive = UTC)."""
    if value is None or not value.strip():
        return None
    from whatweknow.model import parse_dt

    try:
        return parse_dt(value.strip())
    except ValueError as err:
        raise ApiError(422, E.E065.fmt(name=name, value=value)) from err


def parse_bbox(value: str | None) -> BBox | None:
    """``minlon,minlat,maxlon,maxlat`` (GeoJSON order)."""
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    try:
        nums = [float(p) for p in parts]
    except ValueError as err:
        raise ApiError(422, E.E064.fmt(value=value)) from err
    if len(nums) != 4 or not all(math.isfinite(n) for n in nums):
        raise ApiError(422, E.E064.fmt(value=value))
    min_lon, min_lat, max_lon, max_lat = nums
    if not (-90 <= min_lat <= max_lat <= 90 and -180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise ApiError(422, E.E064.fmt(value=value))
    return (min_lon, min_lat, max_lon, max_lat)


@dataclass(slots=True)
class Filters:
    start: datetime | None
    end: datetime | None
    bbox: BBox | None
    country: str | None
    actor: str | None
    event_type: str | None
    source: str | None


def common_filters(
    start: Annotated[
        str | None, Query(description="Only what happened at or after this time (YYYY-MM-DD or ISO 8601).")
    ] = None,
    end: Annotated[str | None, Query(description="Only what happened at or before this time.")] = None,
    bbox: Annotated[
        str | None, Query(description="minlon,minlat,maxlon,maxlat: only what is located inside.")
    ] = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-3 code of the place, e.g. ARM.")] = None,
    actor: Annotated[
        str | None,
        Query(description="An actor id (ARM:gov), a country prefix (AZE) or part of a name (Pashinyan)."),
    ] = None,
    event_type: Annotated[str | None, Query(description="Internal event type id.")] = None,
    source: Annotated[str | None, Query(description="Outlet name, exactly as stored.")] = None,
) -> Filters:
    return Filters(
        start=parse_time("start", start),
        end=parse_time("end", end),
        bbox=parse_bbox(bbox),
        country=country.strip().upper() if country and country.strip() else None,
        actor=actor.strip() if actor and actor.strip() else None,
        event_type=event_type.strip() if event_type and event_type.strip() else None,
        source=source if source else None,
    )


CommonFilters = Annotated[Filters, Depends(common_filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]
ListFormat = Annotated[Literal["json", "csv"], Query(description="json (default) or csv.")]


class ListPage(BaseModel):
    """One page of a list: ``total`` counts every match, ``items`` holds at most ``limit``."""

    model_config = ConfigDict(extra="allow")
    ok: bool = True
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


def actor_matches(query: str, actors: Iterable[Actor | None]) -> bool:
    q = query.casefold()
    for a in actors:
        if a is None:
            continue
        aid = (a.actor_id or "").casefold()
        if aid and (aid == q or aid.startswith(q + ":")):
            return True
        if (a.country or "").casefold() == q:
            return True
        if q in (a.name or "").casefold() or q in (a.text or "").casefold():
            return True
    return False


def _claim_actors(c: Claim) -> list[Actor | None]:
    return [c.claimant, c.agent, c.target, c.mediator]


# --------------------------------------------------------------------------- JSON and CSV shapes


def claim_json(c: Claim, docs: Mapping[str, Any] | None = None) -> dict[str, Any]:
    d = c.to_json()
    d["schema"] = "wwk/1"
    d["doc_id"] = c.doc_id
    d["event_id"] = c.event_id
    if docs is not None and c.doc_id in docs:
        meta = docs[c.doc_id]
        d["document"] = {
            "title": getattr(meta, "title", None),
            "source": getattr(meta, "source", None),
            "published_at": iso(getattr(meta, "published_at", None)),
        }
    return d


def event_fatalities(ev: Event) -> float:
    """The sum of the best figures of each side's dead (0 when none is known)."""
    return float(sum(f.best or 0 for f in ev.fatalities if not f.by_other_side) or 0)


def event_json(ev: Event) -> dict[str, Any]:
    d = ev.to_json()
    located = next((p for p in ev.places if p.lat is not None and p.lon is not None), None)
    d["location"] = (
        {"name": located.name, "country": located.country, "lat": located.lat, "lon": located.lon}
        if located
        else None
    )
    d["fatalities_total"] = event_fatalities(ev)
    return d


def _cell(v: Any) -> Any:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, (int, float)):
        return v
    s = str(v)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + s
    return s


def csv_response(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], name: str) -> Response:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


EVENT_CSV = [
    "id", "event_type", "acled_event_type", "acled_sub_event_type", "start", "end", "time_precision",
    "place", "country", "lat", "lon", "fatalities_total", "fatalities", "actors", "sources",
    "n_documents", "n_claims", "is_background", "summary",
]  # fmt: skip


def event_row(ev: Event) -> dict[str, Any]:
    located = next((p for p in ev.places if p.lat is not None and p.lon is not None), None)
    first = located or (ev.places[0] if ev.places else None)
    return {
        "id": ev.id,
        "event_type": ev.event_type.id,
        "acled_event_type": ev.event_type.acled_event_type,
        "acled_sub_event_type": ev.event_type.acled_sub_event_type,
        "start": iso(ev.start),
        "end": iso(ev.end),
        "time_precision": ev.time_precision,
        "place": first.name if first else None,
        "country": first.country if first else None,
        "lat": located.lat if located else None,
        "lon": located.lon if located else None,
        "fatalities_total": event_fatalities(ev),
        "fatalities": "; ".join(
            f"{f.side or '?'} {f.kind or ''} {f.counted} {f.best if f.best is not None else '?'}".replace(
                "  ", " "
            )
            for f in ev.fatalities
        ),
        "actors": "; ".join(a.name for a in ev.actors),
        "sources": "; ".join(ev.sources),
        "n_documents": len(ev.documents),
        "n_claims": len(ev.claims),
        "is_background": ev.is_background,
        "summary": ev.summary,
    }


CLAIM_CSV = [
    "id", "doc_id", "event_id", "event_type", "acled_event_type", "claimant", "claimant_country", "agent",
    "target", "place", "country", "lat", "lon", "time_start", "time_end", "value", "qualifier", "counted",
    "victims_country", "polarity", "modality", "is_background", "evidence",
]  # fmt: skip


def claim_row(c: Claim) -> dict[str, Any]:
    q = c.quantity
    return {
        "id": c.id,
        "doc_id": c.doc_id,
        "event_id": c.event_id,
        "event_type": c.event_type.id,
        "acled_event_type": c.event_type.acled_event_type,
        "claimant": c.claimant.name if c.claimant else None,
        "claimant_country": c.claimant.country if c.claimant else None,
        "agent": c.agent.name if c.agent else None,
        "target": c.target.name if c.target else None,
        "place": c.place.name if c.place else None,
        "country": c.place.country if c.place else None,
        "lat": c.place.lat if c.place else None,
        "lon": c.place.lon if c.place else None,
        "time_start": iso(c.time.start) if c.time else None,
        "time_end": iso(c.time.end) if c.time else None,
        "value": q.value if q else None,
        "qualifier": q.qualifier if q else None,
        "counted": q.counted if q else None,
        "victims_country": q.victims.country if q and q.victims else None,
        "polarity": c.polarity,
        "modality": c.modality,
        "is_background": c.is_background,
        "evidence": c.evidence.text,
    }


DOCUMENT_CSV = [
    "id", "url", "title", "source", "published_at", "language", "n_claims", "sightings", "status",
    "skip_reason", "published_inferred", "near_dup_of", "raw_ref", "ingested_at",
]  # fmt: skip
PLACE_CSV = ["name", "country", "admin1", "lat", "lon", "precision", "n_events", "fatalities", "event_types"]


def _page(items: list[dict[str, Any]], total: int, limit: int, offset: int, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"ok": True, "total": total, "limit": limit, "offset": offset, "items": items}
    out.update(extra)
    return out


def _docs_by_id(store: Store) -> dict[str, Document]:
    fn = getattr(store, "documents_by_id", None)
    if callable(fn):
        return dict(fn())
    out: dict[str, Document] = {}
    for row in store.documents():
        doc = store.document(row.id)
        if doc is not None:
            out[row.id] = doc
    return out


# --------------------------------------------------------------------------- request bodies


class InputDocument(BaseModel):
    """One input document, as a JSONL line of ``wwk ingest`` (INTERFACE.md). Only ``text`` is required."""

    model_config = ConfigDict(extra="ignore")
    text: str = Field(min_length=1, description="The report's text; paragraphs separated by blank lines.")
    id: str | None = Field(default=None, description="Kept as the document id; default: sha256 of the text.")
    url: str | None = None
    title: str | None = None
    source: str | None = Field(default=None, description="Outlet name.")
    published_at: str | None = Field(default=None, description="ISO 8601, e.g. 2022-09-13T18:00:00+02:00.")
    language: str | None = Field(default=None, description="ISO 639-1; detected when absent.")


class DocumentBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: list[InputDocument] = Field(min_length=1, max_length=MAX_DOCUMENTS_PER_POST)


class IngestResult(BaseModel):
    ok: bool
    ids: list[str] = Field(description="The id of each document sent, in order (rejected ones left out).")
    added: int
    sightings: int = Field(description="Known reports that arrived again from elsewhere.")
    unchanged: int = Field(default=0, description="Arrivals already recorded: nothing written.")
    skipped: int
    rejected: int
    claims: int
    events: int
    messages: list[str]


def to_raw_docs(body: InputDocument | DocumentBatch) -> list[Any]:
    from whatweknow.ingest.readers import RawDoc, parse_published

    docs = body.documents if isinstance(body, DocumentBatch) else [body]
    out: list[Any] = []
    for i, d in enumerate(docs, 1):
        if not d.text.strip():
            raise ApiError(422, E.E066.fmt(reason=f"document {i} has an empty 'text'"))
        published = None
        if d.published_at:
            try:
                published = parse_published(d.published_at)
            except (ValueError, OverflowError, OSError) as err:
                raise ApiError(
                    422, E.E065.fmt(name=f"documents[{i}].published_at", value=d.published_at)
                ) from err
        out.append(
            RawDoc(
                text=d.text,
                id=d.id or None,
                url=d.url,
                title=d.title,
                source=d.source,
                published_at=published,
                language=d.language,
                raw_ref=f"api:{d.id or i}",
            )
        )
    return out


def run_ingest(ws: Workspace, raw_docs: list[Any]) -> tuple[IngestReport, list[str]]:
    """On the writer thread: the same pipeline as ``wwk ingest``."""
    ids: list[str] = []

    def progress(ref: str, rep: IngestReport) -> None:
        if ref not in rep.messages and ref not in ids:
            ids.append(ref)

    report = ws.ingest_inputs(raw_docs, progress=progress)
    return report, ids


# --------------------------------------------------------------------------- the page


@lru_cache(maxsize=4)
def _template_env(folder: str) -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), autoescape=True, undefined=jinja2.StrictUndefined
    )


def vendor_status() -> dict[str, bool]:
    return {
        "leaflet": (VENDOR_DIR / "leaflet" / "leaflet.js").is_file(),
        "cluster": (VENDOR_DIR / "markercluster" / "leaflet.markercluster.js").is_file(),
        "basemap": (VENDOR_DIR / "world-atlas" / "countries-50m.json").is_file()
        and (VENDOR_DIR / "topojson-client" / "topojson-client.min.js").is_file(),
    }


# --------------------------------------------------------------------------- the app


def create_app(db: str, *, token: str | None = None, private: bool = False) -> FastAPI:
    """The API and the page for the store at ``db`` (SQLite path or postgresql:// URL).

    ``token``: the bearer token writes need (no token: writes are refused with
    403). ``private``: reads need the token too.
    """
    from whatweknow.store.store import open_store

    token = token or None
    if private and not token:
        raise WwkError(E.E063)
    state = ServerState(db=db, token=token, private=private, store=open_store(db))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="whatweknow",
        version=API_VERSION,
        summary="A sourced record of what is known from news reports about armed conflict.",
        description=(
            "Read events, claims, documents (with evidence spans) and the brief; add documents. "
            'Every error has the shape `{"ok": false, "error": "...", "status": N}`. '
            "Writes need `Authorization: Bearer TOKEN` (start the server with `--token`)."
        ),
        lifespan=lifespan,
    )
    app.state.wwk = state
    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR), check_dir=False), name="static")

    # ------------------------------------------------------------------ page

    @app.get("/", include_in_schema=False)
    def page(request: Request) -> HTMLResponse:
        st = _state(request)
        tmpl = _template_env(str(TEMPLATE_DIR)).get_template("index.html")
        vendor = vendor_status()
        html = tmpl.render(vendor=vendor, vendor_json=json.dumps(vendor), private=st.private)
        return HTMLResponse(html, headers={"Cache-Control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    # ------------------------------------------------------------------ events

    def _events(st: ServerState, f: Filters, *, include_background: bool) -> list[Event]:
        evs = st.store.events(
            time_from=f.start,
            time_to=f.end,
            bbox=f.bbox,
            country=f.country,
            event_type=f.event_type,
            source=f.source,
            include_background=include_background,
        )
        if f.actor:
            actor = f.actor
            evs = [e for e in evs if actor_matches(actor, e.actors)]
        return evs

    @app.get(
        "/api/events",
        tags=["read"],
        response_model=ListPage,
        responses={**_responses(401, 422), 200: {"content": {"text/csv": {}}}},
        summary="Consolidated events",
    )
    def list_events(
        st: ReadState,
        f: CommonFilters,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        include_background: Annotated[bool, Query(description="Include background (past) events.")] = True,
        format: ListFormat = "json",
    ) -> Any:
        evs = _events(st, f, include_background=include_background)
        page_evs = evs[offset : offset + limit]
        if format == "csv":
            return csv_response([event_row(e) for e in page_evs], EVENT_CSV, "events")
        return _page([event_json(e) for e in page_evs], len(evs), limit, offset)

    @app.get(
        "/api/events/{event_id}", tags=["read"], responses=_responses(401, 404, 422), summary="One event"
    )
    def get_event(st: ReadState, event_id: str) -> dict[str, Any]:
        found = st.store.events(ids=[event_id])
        if not found:
            raise ApiError(404, E.E062.fmt(what="event", ident=event_id, listing="/api/events"))
        ev = found[0]
        claims = st.store.claims(event_id=event_id)
        metas = {r.id: r for r in st.store.documents()} if claims else {}
        d = event_json(ev)
        d["ok"] = True
        d["claim_details"] = [claim_json(c, metas) for c in claims]
        return d

    @app.get(
        "/api/places",
        tags=["read"],
        response_model=ListPage,
        responses={**_responses(401, 422), 200: {"content": {"text/csv": {}}}},
        summary="Distinct places of events, with counts",
    )
    def list_places(
        st: ReadState,
        f: CommonFilters,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        include_background: Annotated[bool, Query()] = True,
        format: ListFormat = "json",
    ) -> Any:
        agg: dict[tuple[Any, ...], dict[str, Any]] = {}
        for ev in _events(st, f, include_background=include_background):
            seen: set[tuple[Any, ...]] = set()
            for p in ev.places:
                key = (p.name, p.country, p.lat, p.lon)
                if key in seen:
                    continue
                seen.add(key)
                row = agg.setdefault(
                    key,
                    {
                        "name": p.name,
                        "country": p.country,
                        "admin1": p.admin1,
                        "lat": p.lat,
                        "lon": p.lon,
                        "precision": p.precision,
                        "n_events": 0,
                        "fatalities": 0.0,
                        "event_types": {},
                        "events": [],
                    },
                )
                row["n_events"] += 1
                row["fatalities"] += event_fatalities(ev)
                row["event_types"][ev.event_type.id] = row["event_types"].get(ev.event_type.id, 0) + 1
                row["events"].append(ev.id)
        rows = sorted(agg.values(), key=lambda r: (-r["n_events"], r["name"] or "", r["country"] or ""))
        page_rows = rows[offset : offset + limit]
        if format == "csv":
            flat = [
                {**r, "event_types": "; ".join(f"{k}:{v}" for k, v in sorted(r["event_types"].items()))}
                for r in page_rows
            ]
            return csv_response(flat, PLACE_CSV, "places")
        return _page(page_rows, len(rows), limit, offset)

    # ------------------------------------------------------------------ claims

    @app.get(
        "/api/claims",
        tags=["read"],
        response_model=ListPage,
        responses={**_responses(401, 422), 200: {"content": {"text/csv": {}}}},
        summary="Claims, with their evidence sentence",
    )
    def list_claims(
        st: ReadState,
        f: CommonFilters,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        claimant_country: Annotated[str | None, Query(description="ISO alpha-3 of the claimant.")] = None,
        q: Annotated[str | None, Query(description="Text the evidence sentence must contain.")] = None,
        doc_id: Annotated[str | None, Query()] = None,
        event_id: Annotated[str | None, Query()] = None,
        include_background: Annotated[bool, Query()] = True,
        format: ListFormat = "json",
    ) -> Any:
        claims = st.store.claims(
            doc_id=doc_id or None,
            event_id=event_id or None,
            time_from=f.start,
            time_to=f.end,
            event_type=f.event_type,
            country=f.country,
            source=f.source,
            bbox=f.bbox,
            include_background=include_background,
        )
        if f.actor:
            actor = f.actor
            claims = [c for c in claims if actor_matches(actor, _claim_actors(c))]
        if claimant_country and claimant_country.strip():
            cc = claimant_country.strip().upper()
            claims = [
                c for c in claims if c.claimant is not None and (c.claimant.country or "").upper() == cc
            ]
        if q and q.strip():
            needle = q.strip().casefold()
            claims = [c for c in claims if needle in c.evidence.text.casefold()]
        page_claims = claims[offset : offset + limit]
        if format == "csv":
            return csv_response([claim_row(c) for c in page_claims], CLAIM_CSV, "claims")
        metas = {r.id: r for r in st.store.documents()} if page_claims else {}
        return _page([claim_json(c, metas) for c in page_claims], len(claims), limit, offset)

    # ------------------------------------------------------------------ documents

    @app.get(
        "/api/documents",
        tags=["read"],
        response_model=ListPage,
        responses={**_responses(401, 422), 200: {"content": {"text/csv": {}}}},
        summary="Stored documents (start/end bound the publication time)",
    )
    def list_documents(
        st: ReadState,
        f: CommonFilters,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        language: Annotated[str | None, Query()] = None,
        status: Annotated[str | None, Query(description="extracted or skipped.")] = None,
        format: ListFormat = "json",
    ) -> Any:
        rows = st.store.documents(
            source=f.source,
            language=language or None,
            status=status or None,
            published_from=f.start,
            published_to=f.end,
            event_type=f.event_type,
            country=f.country,
        )
        if f.actor or f.bbox:
            claims = st.store.claims(bbox=f.bbox, event_type=f.event_type, country=f.country)
            if f.actor:
                actor = f.actor
                claims = [c for c in claims if actor_matches(actor, _claim_actors(c))]
            keep = {c.doc_id for c in claims}
            rows = [r for r in rows if r.id in keep]
        page_rows = [r.to_json() for r in rows[offset : offset + limit]]
        if format == "csv":
            return csv_response(page_rows, DOCUMENT_CSV, "documents")
        return _page(page_rows, len(rows), limit, offset)

    @app.get(
        "/api/documents/{doc_id}",
        tags=["read"],
        responses=_responses(401, 404, 422),
        summary="One document: its text, its claims with evidence spans, and what was extracted",
    )
    def get_document(st: ReadState, doc_id: str) -> dict[str, Any]:
        doc = st.store.document(doc_id)
        if doc is None:
            raise ApiError(404, E.E062.fmt(what="document", ident=doc_id, listing="/api/documents"))
        claims = st.store.claims(doc_id=doc_id)
        d = document_to_json(doc)
        d["ok"] = True
        d["claims"] = [claim_json(c) for c in claims]
        spans: dict[tuple[int, int], dict[str, Any]] = {}
        for c in claims:
            s = (int(c.evidence.span[0]), int(c.evidence.span[1]))
            ent = spans.setdefault(s, {"span": [s[0], s[1]], "text": doc.text[s[0] : s[1]], "claims": []})
            ent["claims"].append(c.id)
        d["evidence"] = [spans[k] for k in sorted(spans)]
        d["extraction"] = st.store.extraction_json(doc_id)
        d["sightings"] = st.store.sightings(doc_id)
        return d

    @app.post(
        "/api/documents",
        tags=["write"],
        response_model=IngestResult,
        status_code=200,
        responses={**_responses(400, 401, 403, 422), 201: {"model": IngestResult, "description": "Added"}},
        summary="Add documents (the same pipeline as `wwk ingest`); needs the bearer token",
    )
    async def post_documents(st: WriteState, body: InputDocument | DocumentBatch) -> Any:
        raw_docs = to_raw_docs(body)
        loop = asyncio.get_running_loop()
        report, ids = await loop.run_in_executor(st.writer, st.write, lambda ws: run_ingest(ws, raw_docs))
        result = IngestResult(
            ok=report.rejected == 0,
            ids=ids,
            added=report.added,
            sightings=report.sightings,
            unchanged=int(getattr(report, "unchanged", 0)),
            skipped=report.skipped,
            rejected=report.rejected,
            claims=report.claims,
            events=report.events,
            messages=list(report.messages),
        )
        return JSONResponse(result.model_dump(), status_code=201 if report.added else 200)

    # ------------------------------------------------------------------ brief and search

    @app.get(
        "/api/brief",
        tags=["read"],
        responses={
            **_responses(401, 422),
            200: {"content": {"application/json": {}, "text/markdown": {}, "text/html": {}}},
        },
        summary="The 'what we know' brief, every line citing its evidence",
    )
    def get_brief(
        st: ReadState,
        about: Annotated[str | None, Query(description="Only what concerns these names.")] = None,
        since: Annotated[str | None, Query(description="Also say what changed since this time.")] = None,
        format: Annotated[Literal["json", "md", "html"], Query()] = "json",
    ) -> Any:
        from whatweknow.report import brief as br

        since_dt = parse_time("since", since)
        b = br.build_brief(
            st.store.events(), st.store.claims(), _docs_by_id(st.store), about=about or None, since=since_dt
        )
        if format == "md":
            return PlainTextResponse(br.to_markdown(b), media_type="text/markdown; charset=utf-8")
        if format == "html":
            return HTMLResponse(br.to_html(b))
        out = br.to_json(b)
        out["ok"] = True
        return out

    @app.get(
        "/api/search",
        tags=["read"],
        response_model=ListPage,
        responses=_responses(401, 422),
        summary="Full-text search over titles and texts",
    )
    def search(
        st: ReadState,
        q: Annotated[str, Query(min_length=1, max_length=500, description="Words that must all occur.")],
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Offset = 0,
    ) -> Any:
        hits = st.store.search(q, limit=MAX_LIMIT)
        metas = {r.id: r for r in st.store.documents()} if hits else {}
        items = []
        for doc_id, snippet in hits[offset : offset + limit]:
            m = metas.get(doc_id)
            items.append(
                {
                    "doc_id": doc_id,
                    "snippet": snippet,
                    "title": m.title if m else None,
                    "source": m.source if m else None,
                    "published_at": iso(m.published_at) if m else None,
                }
            )
        return _page(items, len(hits), limit, offset, query=q)

    @app.get("/api/health", tags=["read"], summary="Liveness and store counts")
    def health(request: Request) -> dict[str, Any]:
        st = _state(request)
        out: dict[str, Any] = {"ok": True, "private": st.private, "writes": st.token is not None}
        if not st.private:
            out["counts"] = st.store.stats()
        return out

    return app
