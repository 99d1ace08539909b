"""The store: documents, claims, extractions and events in SQLite or PostgreSQL.

``open_store("reports.db")`` opens (creating and migrating) a SQLite file in WAL
mode; ``open_store("postgresql://user@host/db")`` uses PostgreSQL through
psycopg 3. Every write is one transaction: a document is stored with all its
claims and its extraction, or not at all.

A report that arrives again (same document id, same cleaned-text hash, or same
canonical URL) is not stored twice: a *sighting* records the new arrival
(source, url, raw_ref). An arrival identical to one already recorded (the same
file ingested twice) changes nothing. Near copies (MinHash Jaccard >= 0.8) are
stored, with ``near_dup_of`` naming the earlier document.

Filter naming: ``time_from``/``time_to`` bound when the happening took place,
``published_from``/``published_to`` when a document was published, and
``since`` means "stored or changed at or after" (for what-changed queries).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from whatweknow.errors import E, WwkError
from whatweknow.ingest.dedup import NearDupIndex, canonical_url, content_hash, minhash_of
from whatweknow.model import (
    Claim,
    Document,
    Event,
    Extraction,
    claim_from_json,
    iso,
    parse_dt,
)
from whatweknow.store import schema as S

if TYPE_CHECKING:
    from whatweknow.consolidate.features import DocMeta

T = TypeVar("T")

AddStatus = Literal["added", "skipped", "sighting", "duplicate"]
BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat (GeoJSON order)

LOCK_RETRIES = 8


@dataclass(slots=True)
class AddResult:
    """What ``add_extraction``/``add_skipped`` did.

    status: ``added`` (new document, extracted), ``skipped`` (new document,
    stored without extraction), ``sighting`` (a known report arrived again from
    elsewhere: recorded as a sighting of ``doc_id``), ``duplicate`` (this very
    arrival was already recorded: nothing written).
    """

    doc_id: str
    status: AddStatus
    near_dup_of: str | None = None
    n_claims: int = 0


@dataclass(slots=True)
class DocumentRow:
    id: str
    url: str | None
    title: str | None
    source: str | None
    published_at: datetime | None
    language: str | None
    n_claims: int
    sightings: int
    status: str
    skip_reason: str | None = None
    published_inferred: bool = False
    near_dup_of: str | None = None
    raw_ref: str | None = None
    ingested_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "wwk/1",
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "source": self.source,
            "published_at": iso(self.published_at),
            "language": self.language,
            "n_claims": self.n_claims,
            "sightings": self.sightings,
            "status": self.status,
            "skip_reason": self.skip_reason,
            "published_inferred": self.published_inferred,
            "near_dup_of": self.near_dup_of,
            "raw_ref": self.raw_ref,
            "ingested_at": iso(self.ingested_at),
        }


@dataclass(slots=True)
class RejectedRow:
    path: str
    row: int | None  # None: the whole file
    reason: str
    first_seen: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "row": self.row, "reason": self.reason, "first_seen": iso(self.first_seen)}


# --------------------------------------------------------------------------- opening


def _now() -> str:
    return iso(datetime.now(UTC)) or ""


def _safe_name(db: str) -> str:
    """The store's name for messages, without a password."""
    if "://" in db:
        try:
            return make_url(db).render_as_string(hide_password=True)
        except ArgumentError:
            return db
    return db


def _engine_url(db: str) -> tuple[str, str]:
    """(SQLAlchemy URL, dialect) for a path or URL."""
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1], "postgresql"
    if db.startswith("postgresql+"):
        return db, "postgresql"
    if db.startswith("sqlite://"):
        return db, "sqlite"
    if "://" in db:
        raise WwkError(
            E.E010, db=_safe_name(db), reason="only SQLite paths and postgresql:// URLs are supported"
        )
    if not db.strip():
        raise WwkError(E.E010, db=db, reason="empty path")
    path = Path(db).expanduser()
    if path.is_dir():
        raise WwkError(E.E010, db=db, reason="it is a folder")
    if not path.parent.exists():
        raise WwkError(E.E010, db=db, reason=f"folder {str(path.parent)!r} does not exist")
    return f"sqlite:///{path}", "sqlite"


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # let SQLAlchemy's "begin" event below issue BEGIN itself
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # writers take the write lock up front: no deadlock upgrading a read lock
        if conn.get_execution_options().get("wwk_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def open_store(db: str) -> Store:
    """Open the store at ``db`` (a SQLite path, or a ``postgresql://`` URL),
    creating it and applying pending migrations on first use.

    Raises ``WwkError(E010)`` when it cannot be opened, ``WwkError(E011)`` when
    a newer whatweknow wrote it.
    """
    url, dialect = _engine_url(db)
    try:
        engine = _sqlite_engine(url) if dialect == "sqlite" else create_engine(url, pool_pre_ping=True)
        store = Store(engine, name=_safe_name(db))
        store.migrate()
    except WwkError:
        raise
    except (SQLAlchemyError, OSError, ImportError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise WwkError(E.E010, db=_safe_name(db), reason=reason) from exc
    return store


def _is_locked(exc: OperationalError) -> bool:
    msg = str(exc.orig).lower()
    return "database is locked" in msg or "database is busy" in msg or "database table is locked" in msg


def _j(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _dt(v: Any) -> datetime | None:
    return parse_dt(v) if v else None


def _ts(v: datetime | str | None) -> str | None:
    """A filter bound as stored: ISO UTC text."""
    if v is None:
        return None
    if isinstance(v, str):
        return iso(parse_dt(v))
    return iso(v)


_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)


# --------------------------------------------------------------------------- the store


class Store:
    """Typed access to one store. Use :func:`open_store` to get one."""

    def __init__(self, engine: Engine, *, name: str = "") -> None:
        self.engine = engine
        self.name = name or str(engine.url)
        self.dialect = engine.dialect.name
        self._near: NearDupIndex | None = None
        self._near_seq = 0

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ plumbing

    def _write(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` in one write transaction, retrying while SQLite is locked."""
        delay = 0.05
        for attempt in range(LOCK_RETRIES):
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(wwk_write=True)
                    with conn.begin():
                        return fn(conn)
            except OperationalError as exc:
                if not _is_locked(exc) or attempt == LOCK_RETRIES - 1:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")

    def _read(self, fn: Callable[[Connection], T]) -> T:
        with self.engine.connect() as conn, conn.begin():
            return fn(conn)

    def migrate(self) -> list[int]:
        """Apply pending migrations; returns the versions applied now."""

        def run(conn: Connection) -> list[int]:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(727274)"))  # one migrator at a time
            S.ensure_migrations_table(conn)
            done = S.applied_versions(conn)
            if done and max(done) > S.LATEST:
                raise WwkError(E.E011, db=self.name, found=max(done), known=S.LATEST)
            applied = []
            for m in S.MIGRATIONS:
                if m.version in done:
                    continue
                m.apply(conn)
                conn.execute(
                    insert(S.schema_migrations).values(version=m.version, name=m.name, applied_at=_now())
                )
                applied.append(m.version)
            return applied

        return self._write(run)

    def migrations(self) -> list[tuple[int, str, str]]:
        """``(version, name, applied_at)`` of every applied migration."""
        q = select(S.schema_migrations).order_by(S.schema_migrations.c.version)
        return self._read(lambda c: [(int(r.version), r.name, r.applied_at) for r in c.execute(q)])

    # ------------------------------------------------------------------ near duplicates

    def _near_index(self) -> NearDupIndex:
        """The LSH index over stored signatures, built lazily and kept current."""
        if self._near is None:
            self._near = NearDupIndex()
            self._near_seq = 0
        d = S.documents.c
        # PostgreSQL may commit keys out of order: re-list a margin below the last seen key
        margin = 100 if self.dialect == "postgresql" else 0
        listed = self._read(
            lambda c: c.execute(
                select(d.seq, d.id).where(d.minhash.is_not(None), d.seq > self._near_seq - margin)
            ).all()
        )
        new = [str(r.id) for r in listed if r.id not in self._near]
        with self.engine.connect() as conn:
            for chunk in _chunks(new, 500):
                q = select(d.id, d.minhash).where(d.id.in_(chunk)).order_by(d.seq)
                for r in conn.execute(q):
                    self._near.add(str(r.id), bytes(r.minhash))
        if listed:
            self._near_seq = max(self._near_seq, max(int(r.seq) for r in listed))
        return self._near

    def near_duplicate_candidates(
        self, minhash: bytes, *, exclude: str | None = None
    ) -> list[tuple[str, float]]:
        """Stored documents that are near copies of a text with this signature
        (estimated Jaccard >= 0.8): ``(doc_id, similarity)``, most similar first."""
        return [(i, s) for i, s in self._near_index().candidates(minhash) if i != exclude]

    # ------------------------------------------------------------------ writing documents

    def _find_existing(self, conn: Connection, doc_id: str, sha: str, curl: str | None) -> str | None:
        d = S.documents.c
        conds: list[ColumnElement[bool]] = [d.id == doc_id, d.content_sha256 == sha]
        if curl:
            conds.append(d.canonical_url == curl)
        row = conn.execute(select(d.id).where(or_(*conds)).order_by(d.seq).limit(1)).first()
        return str(row.id) if row else None

    def _sighting(
        self, conn: Connection, existing: str, doc: Document, sha: str, raw_ref: str | None
    ) -> AddStatus:
        """Record another arrival of ``existing``, unless this one is already known."""
        d = S.documents.c
        arrival = (doc.source, doc.url, raw_ref)
        first = conn.execute(select(d.source, d.url, d.raw_ref).where(d.id == existing)).one()
        if (first.source, first.url, first.raw_ref) == arrival:
            return "duplicate"
        s = S.sightings.c
        for r in conn.execute(select(s.source, s.url, s.raw_ref).where(s.doc_id == existing)):
            if (r.source, r.url, r.raw_ref) == arrival:
                return "duplicate"
        conn.execute(
            insert(S.sightings).values(
                doc_id=existing,
                source=doc.source,
                url=doc.url,
                raw_ref=raw_ref,
                content_sha256=sha,
                seen_at=_now(),
            )
        )
        return "sighting"

    def _document_values(
        self,
        doc: Document,
        *,
        status: str,
        skip_reason: str | None,
        raw_ref: str | None,
        sha: str,
        sig: bytes,
    ) -> dict[str, Any]:
        return {
            "id": doc.id,
            "url": doc.url,
            "canonical_url": canonical_url(doc.url),
            "title": doc.title,
            "source": doc.source,
            "published_at": iso(doc.published_at),
            "published_inferred": bool(doc.published_inferred),
            "language": doc.language,
            "status": status,
            "skip_reason": skip_reason,
            "text": doc.text,
            "raw_ref": raw_ref,
            "content_sha256": sha,
            "minhash": sig,
            "near_dup_of": None,
            "ingested_at": _now(),
        }

    def _add(
        self,
        doc: Document,
        *,
        raw_ref: str | None,
        status: Literal["extracted", "skipped"],
        skip_reason: str | None,
        write_rest: Callable[[Connection], int] | None,
    ) -> AddResult:
        raw_ref = raw_ref if raw_ref is not None else doc.raw_ref
        sha = content_hash(doc.text)
        curl = canonical_url(doc.url)
        sig = minhash_of(doc.text)
        near = self.near_duplicate_candidates(sig, exclude=doc.id)
        near_id = near[0][0] if near else None

        def run(conn: Connection) -> AddResult:
            existing = self._find_existing(conn, doc.id, sha, curl)
            if existing is not None:
                return AddResult(existing, self._sighting(conn, existing, doc, sha, raw_ref))
            values = self._document_values(
                doc, status=status, skip_reason=skip_reason, raw_ref=raw_ref, sha=sha, sig=sig
            )
            values["near_dup_of"] = near_id
            conn.execute(insert(S.documents).values(**values))
            n = write_rest(conn) if write_rest else 0
            return AddResult(doc.id, "added" if status == "extracted" else "skipped", near_id, n)

        result = self._write(run)
        if result.status in ("added", "skipped") and self._near is not None:
            self._near.add(doc.id, sig)
        return result

    def add_extraction(self, ex: Extraction, *, raw_ref: str | None = None) -> AddResult:
        """Store a document with its claims and extraction, in one transaction."""
        doc = ex.doc

        def rest(conn: Connection) -> int:
            rows = [self._claim_values(c, doc.id) for c in ex.claims]
            if rows:
                conn.execute(insert(S.claims), rows)
            payload = ex.to_json()
            for key in ("text", "claims", "schema", "id"):
                payload.pop(key, None)
            payload["error"] = ex.error
            conn.execute(insert(S.extractions).values(doc_id=doc.id, json=_j(payload)))
            return len(rows)

        return self._add(doc, raw_ref=raw_ref, status="extracted", skip_reason=None, write_rest=rest)

    def add_skipped(self, doc: Document, reason: str, *, raw_ref: str | None = None) -> AddResult:
        """Store a document that is not extracted (e.g. not English), with why."""
        return self._add(doc, raw_ref=raw_ref, status="skipped", skip_reason=reason, write_rest=None)

    @staticmethod
    def _claim_values(c: Claim, doc_id: str) -> dict[str, Any]:
        place = c.place
        return {
            "id": c.id,
            "doc_id": doc_id,
            "event_id": c.event_id,
            "event_type": c.event_type.id,
            "acled_event_type": c.event_type.acled_event_type,
            "claimant_country": c.claimant.country if c.claimant else None,
            "is_background": bool(c.is_background),
            "country": place.country if place else None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
            "time_start": iso(c.time.start) if c.time else None,
            "time_end": iso(c.time.end) if c.time else None,
            "json": _j(c.to_json()),
        }

    def add_rejected(self, path: str, row: int | None, reason: str) -> bool:
        """Record a rejected input; ``False`` when this exact rejection is known."""
        values = {"path": path, "row": row or 0, "reason": reason, "first_seen": _now()}
        ins = pg_insert(S.rejected) if self.dialect == "postgresql" else sqlite_insert(S.rejected)
        stmt = (
            ins.values(**values)
            .on_conflict_do_nothing(index_elements=["path", "row", "reason"])
            .returning(S.rejected.c.id)
        )
        return self._write(lambda c: c.execute(stmt).first() is not None)

    # ------------------------------------------------------------------ reading documents

    def has_url(self, url: str) -> bool:
        """Whether a document with this canonical URL is stored (or was sighted there)."""
        curl = canonical_url(url)
        if not curl:
            return False
        d = S.documents.c
        s = S.sightings.c
        q1 = select(d.id).where(d.canonical_url == curl).limit(1)
        q2 = select(s.id).where(s.url == url).limit(1)
        return self._read(lambda c: c.execute(q1).first() is not None or c.execute(q2).first() is not None)

    def has_document(self, doc_id: str) -> bool:
        d = S.documents.c
        return self._read(lambda c: c.execute(select(d.id).where(d.id == doc_id)).first() is not None)

    def document(self, doc_id: str) -> Document | None:
        d = S.documents.c
        r = self._read(lambda c: c.execute(select(S.documents).where(d.id == doc_id)).first())
        if r is None:
            return None
        return Document(
            text=r.text,
            id=r.id,
            url=r.url,
            source=r.source,
            title=r.title,
            published_at=_dt(r.published_at),
            published_inferred=bool(r.published_inferred),
            language=r.language,
            raw_ref=r.raw_ref,
        )

    def documents_by_id(self, ids: Iterable[str] | None = None) -> dict[str, Document]:
        """Full documents (with text), keyed by id: all of them, or these ids."""
        d = S.documents.c
        cols = (
            d.id,
            d.text,
            d.url,
            d.source,
            d.title,
            d.published_at,
            d.published_inferred,
            d.language,
            d.raw_ref,
        )

        def run(c: Connection) -> dict[str, Document]:
            out: dict[str, Document] = {}
            chunks = [None] if ids is None else list(_chunks(list(ids), 500))
            for chunk in chunks:
                q = select(*cols).order_by(d.seq)
                if chunk is not None:
                    q = q.where(d.id.in_(chunk))
                for r in c.execute(q):
                    out[r.id] = Document(
                        text=r.text,
                        id=r.id,
                        url=r.url,
                        source=r.source,
                        title=r.title,
                        published_at=_dt(r.published_at),
                        published_inferred=bool(r.published_inferred),
                        language=r.language,
                        raw_ref=r.raw_ref,
                    )
            return out

        return self._read(run)

    def doc_meta(self, ids: Iterable[str] | None = None) -> dict[str, DocMeta]:
        """What consolidation needs per document (``consolidate.DocMeta``), keyed by id."""
        from whatweknow.consolidate.features import DocMeta

        d = S.documents.c
        q = select(d.id, d.source, d.published_at, d.title, d.text, d.ingested_at, d.near_dup_of).order_by(
            d.seq
        )
        wanted = None if ids is None else set(ids)

        def run(c: Connection) -> dict[str, DocMeta]:
            return {
                r.id: DocMeta(
                    id=r.id,
                    source=r.source,
                    published_at=_dt(r.published_at),
                    title=r.title,
                    text=r.text,
                    ingested_at=_dt(r.ingested_at),
                    near_dup_of=r.near_dup_of,
                )
                for r in c.execute(q)
                if wanted is None or r.id in wanted
            }

        return self._read(run)

    def extraction_json(self, doc_id: str) -> dict[str, Any] | None:
        """places/times/quantities/actors/attributions/primary of a document."""
        x = S.extractions.c
        r = self._read(lambda c: c.execute(select(x.json).where(x.doc_id == doc_id)).first())
        if r is None:
            return None
        out: dict[str, Any] = json.loads(r.json)
        return out

    def documents(
        self,
        limit: int | None = None,
        offset: int = 0,
        *,
        source: str | None = None,
        language: str | None = None,
        status: str | None = None,
        published_from: datetime | str | None = None,
        published_to: datetime | str | None = None,
        since: datetime | str | None = None,
        event_type: str | None = None,
        country: str | None = None,
    ) -> list[DocumentRow]:
        """Stored documents in the order they were stored.

        ``event_type``/``country`` keep documents with at least one claim of
        that type / placed in that country (ISO alpha-3).
        """
        d = S.documents.c
        cl = S.claims.c
        n_claims = select(func.count()).where(cl.doc_id == d.id).scalar_subquery()
        n_sight = select(func.count()).where(S.sightings.c.doc_id == d.id).scalar_subquery()
        conds: list[ColumnElement[bool]] = []
        if source is not None:
            conds.append(d.source == source)
        if language is not None:
            conds.append(d.language == language)
        if status is not None:
            conds.append(d.status == status)
        if published_from is not None:
            conds.append(d.published_at >= _ts(published_from))
        if published_to is not None:
            conds.append(d.published_at <= _ts(published_to))
        if since is not None:
            conds.append(d.ingested_at >= _ts(since))
        if event_type is not None:
            conds.append(exists().where(cl.doc_id == d.id, cl.event_type == event_type))
        if country is not None:
            conds.append(exists().where(cl.doc_id == d.id, cl.country == country))
        q = (
            select(S.documents, n_claims.label("n_claims"), n_sight.label("n_sightings"))
            .where(*conds)
            .order_by(d.seq)
            .offset(offset)
        )
        if limit is not None:
            q = q.limit(limit)

        def run(c: Connection) -> list[DocumentRow]:
            return [
                DocumentRow(
                    id=r.id,
                    url=r.url,
                    title=r.title,
                    source=r.source,
                    published_at=_dt(r.published_at),
                    language=r.language,
                    n_claims=int(r.n_claims),
                    sightings=int(r.n_sightings),
                    status=r.status,
                    skip_reason=r.skip_reason,
                    published_inferred=bool(r.published_inferred),
                    near_dup_of=r.near_dup_of,
                    raw_ref=r.raw_ref,
                    ingested_at=_dt(r.ingested_at),
                )
                for r in c.execute(q)
            ]

        return self._read(run)

    def sightings(self, doc_id: str) -> list[dict[str, Any]]:
        s = S.sightings.c
        q = select(s.source, s.url, s.raw_ref, s.seen_at).where(s.doc_id == doc_id).order_by(s.id)
        return self._read(lambda c: [dict(r._mapping) for r in c.execute(q)])

    def rejected(self) -> list[RejectedRow]:
        r = S.rejected.c
        q = select(r.path, r.row, r.reason, r.first_seen).order_by(r.id)
        return self._read(
            lambda c: [
                RejectedRow(x.path, int(x.row) or None, x.reason, _dt(x.first_seen)) for x in c.execute(q)
            ]
        )

    def stats(self) -> dict[str, int]:
        """Row counts: documents, sightings, claims, events, rejected."""
        tables = {
            "documents": S.documents,
            "sightings": S.sightings,
            "claims": S.claims,
            "events": S.events,
            "rejected": S.rejected,
        }
        return self._read(
            lambda c: {
                k: int(c.execute(select(func.count()).select_from(t)).scalar_one()) for k, t in tables.items()
            }
        )

    # ------------------------------------------------------------------ claims

    def claims(
        self,
        doc_id: str | None = None,
        event_id: str | None = None,
        since: datetime | str | None = None,
        *,
        time_from: datetime | str | None = None,
        time_to: datetime | str | None = None,
        event_type: str | None = None,
        country: str | None = None,
        source: str | None = None,
        bbox: BBox | None = None,
        include_background: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Claim]:
        """Stored claims (with ``doc_id``/``event_id`` set), in storage order.

        ``since``: claims from documents stored at or after that time.
        ``time_from``/``time_to``: claims whose time overlaps that range.
        ``country``: the claim's place's country (ISO alpha-3).
        """
        cl = S.claims.c
        d = S.documents.c
        conds: list[ColumnElement[bool]] = []
        if doc_id is not None:
            conds.append(cl.doc_id == doc_id)
        if event_id is not None:
            conds.append(cl.event_id == event_id)
        if since is not None:
            conds.append(d.ingested_at >= _ts(since))
        if time_from is not None:
            conds.append(func.coalesce(cl.time_end, cl.time_start) >= _ts(time_from))
        if time_to is not None:
            conds.append(cl.time_start <= _ts(time_to))
        if event_type is not None:
            conds.append(cl.event_type == event_type)
        if country is not None:
            conds.append(cl.country == country)
        if source is not None:
            conds.append(d.source == source)
        if bbox is not None:
            conds.append(_in_bbox(cl.lat, cl.lon, bbox))
        if not include_background:
            conds.append(cl.is_background.is_(False))
        q = (
            select(cl.json, cl.doc_id, cl.event_id)
            .select_from(S.claims.join(S.documents, d.id == cl.doc_id))
            .where(*conds)
            .order_by(d.seq, cl.id)
            .offset(offset)
        )
        if limit is not None:
            q = q.limit(limit)

        def run(c: Connection) -> list[Claim]:
            out = []
            for r in c.execute(q):
                obj = json.loads(r.json)
                obj["doc_id"] = r.doc_id
                obj["event_id"] = r.event_id
                out.append(claim_from_json(obj))
            return out

        return self._read(run)

    # ------------------------------------------------------------------ events

    @staticmethod
    def _event_values(ev: Event) -> dict[str, Any]:
        country = next((p.country for p in ev.places if p.country), None)
        located = next((p for p in ev.places if p.lat is not None and p.lon is not None), None)
        return {
            "id": ev.id,
            "event_type": ev.event_type.id,
            "acled_event_type": ev.event_type.acled_event_type,
            "start": iso(ev.start),
            "end": iso(ev.end),
            "country": country,
            "lat": located.lat if located else None,
            "lon": located.lon if located else None,
            "is_background": bool(ev.is_background),
            "first_reported_at": iso(ev.first_reported_at),
            "updated_at": iso(ev.updated_at) or _now(),
            "json": _j(ev.to_json()),
        }

    @staticmethod
    def _set_claim_events(conn: Connection, claim_event: dict[str, str]) -> None:
        if not claim_event:
            return
        stmt = (
            update(S.claims)
            .where(S.claims.c.id == bindparam("claim_id"))
            .values(event_id=bindparam("new_event_id"))
        )
        conn.execute(stmt, [{"claim_id": k, "new_event_id": v} for k, v in claim_event.items()])

    def replace_events(self, events: Sequence[Event], claim_event: dict[str, str]) -> None:
        """Replace every stored event, and every claim's event link, in one transaction."""

        def run(conn: Connection) -> None:
            conn.execute(delete(S.events))
            conn.execute(update(S.claims).values(event_id=None))
            if events:
                conn.execute(insert(S.events), [self._event_values(e) for e in events])
            self._set_claim_events(conn, claim_event)

        self._write(run)

    def upsert_events(
        self, events: Sequence[Event], claim_event: dict[str, str], *, removed: Sequence[str] = ()
    ) -> None:
        """Insert or replace these events, delete the ``removed`` ones (events
        dissolved into others), and set these claims' event links."""
        ids = [e.id for e in events] + [r for r in removed if r]

        def run(conn: Connection) -> None:
            for chunk in _chunks(ids, 500):
                conn.execute(delete(S.events).where(S.events.c.id.in_(chunk)))
            if events:
                conn.execute(insert(S.events), [self._event_values(e) for e in events])
            self._set_claim_events(conn, claim_event)

        self._write(run)

    def events(
        self,
        *,
        time_from: datetime | str | None = None,
        time_to: datetime | str | None = None,
        bbox: BBox | None = None,
        country: str | None = None,
        event_type: str | None = None,
        source: str | None = None,
        since: datetime | str | None = None,
        include_background: bool = True,
        ids: Iterable[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Event]:
        """Stored events, earliest first (undated last).

        ``since``: events updated at or after that time. ``source``: events
        with a claim from a document of that outlet.
        """
        ev = S.events.c
        conds: list[ColumnElement[bool]] = []
        if time_from is not None:
            conds.append(func.coalesce(ev.end, ev.start) >= _ts(time_from))
        if time_to is not None:
            conds.append(ev.start <= _ts(time_to))
        if bbox is not None:
            conds.append(_in_bbox(ev.lat, ev.lon, bbox))
        if country is not None:
            conds.append(ev.country == country)
        if event_type is not None:
            conds.append(ev.event_type == event_type)
        if since is not None:
            conds.append(ev.updated_at >= _ts(since))
        if not include_background:
            conds.append(ev.is_background.is_(False))
        if ids is not None:
            conds.append(ev.id.in_(list(ids)))
        if source is not None:
            cl = S.claims.c
            d = S.documents.c
            conds.append(
                exists()
                .select_from(S.claims.join(S.documents, d.id == cl.doc_id))
                .where(cl.event_id == ev.id, d.source == source)
            )
        q = select(ev.json).where(*conds).order_by(ev.start.is_(None), ev.start, ev.id).offset(offset)
        if limit is not None:
            q = q.limit(limit)
        return self._read(lambda c: [Event.from_json(json.loads(r.json)) for r in c.execute(q)])

    # ------------------------------------------------------------------ search

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str]]:
        """Full-text search over titles and texts: ``(doc_id, snippet)``, best
        first. Every word of the query must occur (stemmed); matches in the
        snippet are marked ``**like this**``."""
        words = _FTS_TOKEN.findall(query)
        if not words:
            return []
        if self.dialect == "sqlite":
            match = " ".join('"' + w.replace('"', "") + '"' for w in words)
            sql = text(
                "SELECT d.id AS id, snippet(documents_fts, 1, '**', '**', '…', 16) AS snip "
                "FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid "
                "WHERE documents_fts MATCH :q ORDER BY bm25(documents_fts) LIMIT :n"
            )
            params: dict[str, Any] = {"q": match, "n": limit}
        else:
            sql = text(
                "SELECT id, ts_headline('english', text, plainto_tsquery('english', :q), "
                "'StartSel=**, StopSel=**, MaxWords=24, MinWords=8') AS snip "
                f"FROM documents WHERE {S.PG_TSVECTOR} @@ plainto_tsquery('english', :q) "
                f"ORDER BY ts_rank({S.PG_TSVECTOR}, plainto_tsquery('english', :q)) DESC, seq LIMIT :n"
            )
            params = {"q": " ".join(words), "n": limit}
        return self._read(lambda c: [(str(r.id), str(r.snip or "")) for r in c.execute(sql, params)])


def _in_bbox(lat: Any, lon: Any, bbox: BBox) -> ColumnElement[bool]:
    min_lon, min_lat, max_lon, max_lat = bbox
    lat_ok = and_(lat >= min_lat, lat <= max_lat)
    if min_lon <= max_lon:
        lon_ok = and_(lon >= min_lon, lon <= max_lon)
    else:  # a box across the antimeridian
        lon_ok = or_(lon >= min_lon, lon <= max_lon)
    return and_(lat.is_not(None), lon.is_not(None), lat_ok, lon_ok)


def _chunks(items: list[str], n: int) -> Iterable[list[str]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]
