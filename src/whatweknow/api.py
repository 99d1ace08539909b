"""The Python API (for notebooks and the CLI): ``whatweknow.open(db)``.

>>> import whatweknow
>>> ws = whatweknow.open("whatweknow.db")
>>> report = ws.ingest(["samples/corpus.jsonl"])
>>> [e.event_type.id for e in ws.events()]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
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

    @property
    def ok(self) -> bool:
        return self.rejected == 0


ProgressFn = Callable[[str, IngestReport], None]


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
    ) -> IngestReport:
        """Read, extract and store documents; then update the consolidated events."""
        from .ingest.readers import check_paths, iter_inputs

        check_paths(list(paths))
        return self.ingest_inputs(
            iter_inputs(list(paths), published=published, column_map=column_map), progress=progress
        )

    def ingest_inputs(self, inputs: Iterable[Any], *, progress: ProgressFn | None = None) -> IngestReport:
        from .ingest.language import detect_language
        from .ingest.readers import Rejected
        from .pipeline import make_document

        report = IngestReport()
        new_claims: list[Claim] = []

        def documents() -> Iterator[Document]:
            for item in inputs:
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
                if doc.language not in (None, "en"):
                    from .errors import E

                    msg = E.E018.fmt(path=doc.raw_ref or doc.id, lang=doc.language)
                    self.store.add_skipped(doc, msg)
                    report.skipped += 1
                    report.messages.append(msg)
                    if progress:
                        progress(doc.id, report)
                    continue
                yield doc

        for ex in self.pipeline.pipe_documents(documents()):
            result = self.store.add_extraction(ex)
            if result.status == "added":
                report.added += 1
                report.claims += len(ex.claims)
                new_claims.extend(ex.claims)
            elif result.status == "sighting":
                report.sightings += 1
            else:
                report.unchanged += 1
            if progress:
                progress(ex.doc.id, report)
        if new_claims:
            report.events = self.update_events(new_claims)
        return report

    def update_events(self, new_claims: list[Claim]) -> int:
        """Fold new claims into the consolidated events (incremental)."""
        from .consolidate.cluster import update

        docs = self.store.doc_meta()
        existing = self.store.events()
        all_claims = self.store.claims()
        new_ids = {c.id for c in new_claims}
        old_claims = [c for c in all_claims if c.id not in new_ids]
        fresh = [c for c in all_claims if c.id in new_ids]
        result = update(existing, old_claims, fresh, docs)
        self.store.upsert_events(result.events, result.claim_event)
        return len(result.events)

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


def open(db: str) -> Workspace:  # noqa: A001 - the documented notebook entry point
    return Workspace(db)
