"""What changed since a given time: new events, revised figures, new claims."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from whatweknow.consolidate.features import DocMeta, aware
from whatweknow.model import Claim, Event, Figure, FigurePoint


@dataclass(slots=True)
class FigureRevision:
    """A figure point reported since ``since`` whose value differs from the previous point."""

    event_id: str
    figure: Figure
    previous: FigurePoint | None
    current: FigurePoint


@dataclass(slots=True)
class Changes:
    since: datetime
    new_events: list[Event] = field(default_factory=list)
    revised_figures: list[FigureRevision] = field(default_factory=list)
    new_claims: list[Claim] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new_events or self.revised_figures or self.new_claims)


def _arrived(meta: DocMeta | None) -> datetime | None:
    """When a document became known: ingested_at when the store says, else published_at."""
    if meta is None:
        return None
    t = meta.ingested_at or meta.published_at
    return aware(t) if t is not None else None


def changes_since(
    events: Sequence[Event], claims: Sequence[Claim], docs: Mapping[str, DocMeta], since: datetime
) -> Changes:
    """Events first reported at or after ``since``; figure points as of ``since`` or later
    that change the value of the point before them in the same figure's history (the
    first point of a figure counts as a revision from nothing); claims from documents
    published or ingested since."""
    since = aware(since)
    out = Changes(since=since)
    for ev in events:
        if ev.first_reported_at is not None and aware(ev.first_reported_at) >= since:
            out.new_events.append(ev)
        for fig in (*ev.fatalities, *ev.figures):
            prev: FigurePoint | None = None
            for p in fig.history:
                if (
                    p.as_of is not None
                    and aware(p.as_of) >= since
                    and (prev is None or prev.value != p.value)
                ):
                    out.revised_figures.append(FigureRevision(ev.id, fig, prev, p))
                prev = p
    for c in claims:
        meta = docs.get(c.doc_id)
        pub = aware(meta.published_at) if meta is not None and meta.published_at is not None else None
        arr = _arrived(meta)
        if (pub is not None and pub >= since) or (arr is not None and arr >= since):
            out.new_claims.append(c)
    out.new_claims.sort(key=lambda c: c.id)
    return out
