"""The store's schema (SQLAlchemy Core) and its versioned, named migrations.

Applied migrations are recorded in ``schema_migrations(version, name,
applied_at)``. A migration runs once, in the same transaction as its record.
To change the schema: edit the tables below *and* append a migration that
brings an existing store to the same shape (``add_column`` is idempotent, so
a fresh store that got the column from migration 1 is not harmed).

Times are stored as ISO 8601 UTC strings (``2022-09-13T18:00:00Z``), which sort
and compare correctly as text on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", String(32), nullable=False),
)

documents = Table(
    "documents",
    metadata,
    # ``seq`` is a stable integer key (the FTS5 rowid; insertion order); ``id`` is the document id
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(200), nullable=False, unique=True),
    Column("url", Text),
    Column("canonical_url", Text),
    Column("title", Text),
    Column("source", Text),
    Column("published_at", String(32)),
    Column("published_inferred", Boolean, nullable=False, default=False),
    Column("language", String(16)),
    Column("status", String(16), nullable=False),  # 'extracted' | 'skipped'
    Column("skip_reason", Text),
    Column("text", Text, nullable=False),
    Column("raw_ref", Text),
    Column("content_sha256", String(64), nullable=False),
    Column("minhash", LargeBinary),
    Column("near_dup_of", String(200)),
    Column("ingested_at", String(32), nullable=False),
    Index("ix_documents_content_sha256", "content_sha256"),
    Index("ix_documents_canonical_url", "canonical_url"),
    Index("ix_documents_published_at", "published_at"),
    Index("ix_documents_ingested_at", "ingested_at"),
    Index("ix_documents_source", "source"),
)

sightings = Table(
    "sightings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("source", Text),
    Column("url", Text),
    Column("raw_ref", Text),
    Column("content_sha256", String(64)),
    Column("seen_at", String(32), nullable=False),
    Index("ix_sightings_doc_id", "doc_id"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(200)),
    Column("event_type", String(100)),
    Column("acled_event_type", String(100)),
    Column("claimant_country", String(8)),
    Column("is_background", Boolean, nullable=False, default=False),
    Column("country", String(8)),  # the place's country
    Column("lat", Float),
    Column("lon", Float),
    Column("time_start", String(32)),
    Column("time_end", String(32)),
    Column("json", Text, nullable=False),
    Index("ix_claims_doc_id", "doc_id"),
    Index("ix_claims_event_id", "event_id"),
    Index("ix_claims_event_type", "event_type"),
)

extractions = Table(
    "extractions",
    metadata,
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("json", Text, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("event_type", String(100)),
    Column("acled_event_type", String(100)),
    Column("start", String(32)),
    Column("end", String(32)),
    Column("country", String(8)),
    Column("lat", Float),
    Column("lon", Float),
    Column("is_background", Boolean, nullable=False, default=False),
    Column("first_reported_at", String(32)),
    Column("updated_at", String(32)),
    Column("json", Text, nullable=False),
    Index("ix_events_start", "start"),
    Index("ix_events_country", "country"),
    Index("ix_events_updated_at", "updated_at"),
)

rejected = Table(
    "rejected",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False),
    Column("row", Integer, nullable=False, default=0),  # 0 = the whole file
    Column("reason", Text, nullable=False),
    Column("first_seen", String(32), nullable=False),
    UniqueConstraint("path", "row", "reason", name="uq_rejected_path_row_reason"),
)

CORE_TABLES = [schema_migrations, documents, sightings, claims, extractions, events, rejected]


# --------------------------------------------------------------------------- migrations


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _m001_initial(conn: Connection) -> None:
    metadata.create_all(conn, tables=[t for t in CORE_TABLES if t is not schema_migrations])


# FTS5 external-content table over documents(title, text), kept current by triggers
_SQLITE_FTS = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
        title, text, content='documents', content_rowid='seq', tokenize='porter unicode61')""",
    """CREATE TRIGGER IF NOT EXISTS documents_fts_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS documents_fts_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END""",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
]

# the expression the PostgreSQL GIN index covers; search must use the same one
PG_TSVECTOR = "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(text, ''))"


def _m002_fulltext(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for stmt in _SQLITE_FTS:
            conn.exec_driver_sql(stmt)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_documents_fts ON documents USING GIN ({PG_TSVECTOR})"
        )


def add_column(conn: Connection, table: str, column: str, ddl_type: str) -> None:
    """``ALTER TABLE ADD COLUMN`` unless the column is already there."""
    names = {c["name"] for c in inspect(conn).get_columns(table)}
    if column not in names:
        conn.exec_driver_sql(f'ALTER TABLE {table} ADD COLUMN "{column}" {ddl_type}')


MIGRATIONS: list[Migration] = [
    Migration(1, "initial tables", _m001_initial),
    Migration(2, "full-text search over documents", _m002_fulltext),
]

LATEST = MIGRATIONS[-1].version


def ensure_migrations_table(conn: Connection) -> None:
    schema_migrations.create(conn, checkfirst=True)


def applied_versions(conn: Connection) -> set[int]:
    rows = conn.execute(text("SELECT version FROM schema_migrations")).all()
    return {int(r[0]) for r in rows}
