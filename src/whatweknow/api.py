"""The Python API (for notebooks and the CLI): ``whatweknow.open(db)``.

>>> import whatweknow
>>> ws = whatweknow.open("whatweknow.db")
>>> report = ws.ingest(["samples/corpus.jsonl"])
>>> [e.event_type.id for e in ws.events()]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .model import Claim, Document, Event, Extraction

if TYPE_CHECKING:
    from .pipeline import Pipeline
    from .store.store import Store


@dataclass(slots=True)
class IngestReport:
    added: int = 0
    sightings: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0
    claims: int = 0
    events: int = 0
    messages: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return self.rejected == 0


ProgressFn = Callable[[str, IngestReport], None]
StopFn = Callable[[], bool]


def _language_unsure(text: str) -> bool:
    """True when a text is long enough to identify its language and the
    identifier still could not: gibberish, or a mix of languages."""
    from .ingest.language import MIN_LETTERS, MIN_WORDS, detect_language

    sample = text[:4000]
    letters = sum(ch.isalpha() for ch in sample)
    words = sum(1 for w in sample.split() if sum(ch.isalpha() for ch in w) >= 2)
    return letters >= 2 * MIN_LETTERS and words >= 2 * MIN_WORDS and detect_language(text) is None


@contextmanager
def _consolidation_lock(store: Store) -> Iterator[None]:
    """Hold the store's consolidation lock: an advisory file lock next to a
    SQLite file (released by the OS if the process dies), a session advisory
    lock on PostgreSQL; nothing for in-memory stores."""
    if store.dialect == "postgresql":
        from sqlalchemy import text

        with store.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(727275)"))
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(727275)"))
                conn.commit()
        return
    db_path = store.engine.url.database
    if store.dialect != "sqlite" or not db_path or db_path == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: SQLite's own locking is all there is
        yield
        return
    with open(db_path + "-consolidate.lock", "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class Workspace:
    """A store plus the pipeline that fills it."""

    def __init__(self, db: str) -> None:
        from .store.store import open_store

        self.db = db
        self.store: Store = open_store(db)
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            from .pipeline import Pipeline

            self._pipeline = Pipeline()
        return self._pipeline

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ ingest
    def ingest(
        self,
        paths: Sequence[str],
        *,
        published: datetime | None = None,
        column_map: dict[str, str] | None = None,
        progress: ProgressFn | None = None,
        stop: StopFn | None = None,
        max_mb: float = 50.0,
    ) -> IngestReport:
        """Read, extract and store documents; then update the consolidated events.

        ``stop`` is asked between documents; when it returns True the ingest
        ends early (what was stored stays stored) and ``report.interrupted`` is set.
        """
        from .ingest.readers import check_paths, iter_inputs

        check_paths(list(paths))
        return self.ingest_inputs(
            iter_inputs(list(paths), published=published, column_map=column_map, max_mb=max_mb),
            progress=progress,
            stop=stop,
        )

    def ingest_inputs(
        self,
        inputs: Iterable[Any],
        *,
        progress: ProgressFn | None = None,
        stop: StopFn | None = None,
    ) -> IngestReport:
        """Store ``RawDoc``/``Rejected`` items (one transaction per document),
        then fold every claim not yet in an event into the events.

        Safe to run again after a crash or next to another ingest of the same
        store: a stored document is never extracted twice, and claims left
        without an event by an interrupted run are consolidated by the next one.
        """
        from .errors import E
        from .ingest.language import detect_language
        from .ingest.readers import Rejected
        from .pipeline import make_document

        report = IngestReport()

        def stopped() -> bool:
            if stop is not None and stop():
                report.interrupted = True
            return report.interrupted

        def documents() -> Iterator[Document]:
            for item in inputs:
                if stopped():
                    return
                if isinstance(item, Rejected):
                    self.store.add_rejected(item.path, item.row, item.reason)
                    report.rejected += 1
                    report.messages.append(item.reason)
                    if progress:
                        progress(item.reason, report)
                    continue
                doc = make_document(item)
                if doc.language is None:
                    doc.language = detect_language(doc.text)
                if self.store.has_document(doc.id):
                    # no need to extract again: record the arrival (a sighting or nothing)
                    res = self.store.add_extraction(Extraction(doc=doc))
                    if res.status == "sighting":
                        report.sightings += 1
                    else:
                        report.unchanged += 1
                    if progress:
                        progress(doc.id, report)
                    continue
                msg = None
                if doc.language not in (None, "en"):
                    msg = E.E018.fmt(path=doc.raw_ref or doc.id, lang=doc.language)
                elif doc.language is None and _language_unsure(doc.text):
                    msg = E.E024.fmt(path=doc.raw_ref or doc.id)
                if msg is not None:
                    res = self.store.add_skipped(doc, msg)
                    if res.status == "skipped":
                        report.skipped += 1
                        report.messages.append(msg)
                    elif res.status == "sighting":
                        report.sightings += 1
                    else:
                        report.unchanged += 1
                    if progress:
                        progress(doc.id, report)
                    continue
                yield doc

        results = self.pipeline.pipe_documents(documents())
        try:
            for ex in results:
                result = self.store.add_extraction(ex)
                if result.status == "added":
                    report.added += 1
                    report.claims += len(ex.claims)
                elif result.status == "sighting":
                    report.sightings += 1
                else:
                    report.unchanged += 1
                if progress:
                    progress(ex.doc.id, report)
                if stopped():
                    break
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()
        report.events = self.update_events([])
        return report

    def update_events(self, new_claims: list[Claim]) -> int:
        """Fold new claims, and any stored claim that is in no event yet (left by
        an interrupted run), into the consolidated events (incremental).

        Returns how many events were created or changed. One process at a time
        consolidates a store (a lock), so concurrent ingests do not overwrite
        each other's events.
        """
        from .consolidate.cluster import update

        with _consolidation_lock(self.store):
            existing = self.store.events()
            all_claims = self.store.claims()
            in_event = {cid for ev in existing for cid in ev.claims}
            new_ids = {c.id for c in new_claims}
            is_fresh = [c.id in new_ids or c.id not in in_event for c in all_claims]
            fresh = [c for c, f in zip(all_claims, is_fresh, strict=True) if f]
            if not fresh:
                return 0
            old_claims = [c for c, f in zip(all_claims, is_fresh, strict=True) if not f]
            result = update(existing, old_claims, fresh, self.store.doc_meta())
            self.store.upsert_events(result.events, result.claim_event, removed=result.removed)
            return len(result.changed)

    def reconsolidate(self) -> int:
        from .consolidate.cluster import consolidate

        result = consolidate(self.store.claims(), self.store.doc_meta())
        self.store.replace_events(result.events, result.claim_event)
        return len(result.events)

    # ------------------------------------------------------------------ read
    def documents(self, **filters: Any) -> list[Any]:
        return self.store.documents(**filters)

    def claims(self, **filters: Any) -> list[Claim]:
        return self.store.claims(**filters)

    def events(self, **filters: Any) -> list[Event]:
        return self.store.events(**filters)
