"""Links between events, enough for a brief to tell the sequence.

Each relation is stored on the later or dependent event and points back:

* ``violates``: a violent event whose claims speak of violating a ceasefire
  (truce, armistice) → the latest ceasefire event sharing a party that began
  no later than it ended.
* ``refers``: an event whose claims speak of referring to, appealing to or
  convening the UN Security Council → the latest violent event sharing a
  party that began no later than it.
* ``mediates``: a ceasefire, diplomacy or statement event with a mediator (or
  a mediation type) → the latest violent event sharing a party that began
  no later than it.
* ``follows``: a non-background event → the latest earlier event (by start,
  else first report) sharing a party, background events excluded.

Pure function of the events and their claims: the same input gives the same
relations whatever order the events were built in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from whatweknow.consolidate.features import DocMeta, aware, is_ceasefire, party_countries, type_family
from whatweknow.model import Claim, Event, Relation

_VIOLATES = re.compile(
    r"\b(?:violat\w*|breach\w*|broke|broken|break\w*)\b[^.;]{0,60}\b(?:cease-?fires?|truces?|armistices?)\b"
    r"|\b(?:cease-?fires?|truces?|armistices?)\s+violations?\b",
    re.I,
)
_UNSC = re.compile(r"\b(?:UN|U\.N\.|United Nations)\s+Security\s+Council\b|\bUNSC\b", re.I)
_REFER = re.compile(
    r"\b(?:refer\w*|appeal\w*|call\w*|convene\w*|ask\w*|request\w*|turn\w*|emergency)\b", re.I
)
_MEDIATE_TYPE = re.compile(r"mediat|broker", re.I)


def _when(ev: Event) -> datetime | None:
    t = ev.start or ev.first_reported_at
    return aware(t).astimezone(UTC) if t is not None else None


def _key(ev: Event) -> tuple[str, str]:
    t = _when(ev)
    return (t.isoformat() if t is not None else "9999", ev.id)


def relate_events(events: Sequence[Event], claims: Sequence[Claim], docs: Mapping[str, DocMeta]) -> None:
    """Set ``relations`` on every event (replacing what was there)."""
    del docs  # the events already carry their dates
    by_id = {c.id: c for c in claims}
    info: dict[str, tuple[list[Claim], frozenset[str], str]] = {}
    for ev in events:
        cs = [by_id[i] for i in ev.claims if i in by_id]
        parties: set[str] = set()
        for c in cs:
            parties |= party_countries(c)
        info[ev.id] = (cs, frozenset(parties), type_family(ev.event_type))
    ordered = sorted(events, key=_key)

    def latest_before(
        ev: Event, pred: object, strict: bool = False, until: datetime | None = None
    ) -> Event | None:
        here = _key(ev) if until is None else (aware(until).astimezone(UTC).isoformat(), ev.id)
        _, parties, _ = info[ev.id]
        best: Event | None = None
        for other in ordered:
            if other.id == ev.id:
                continue
            k = _key(other)
            if k[0] > here[0] or (strict and k >= here):
                continue
            if not (parties & info[other.id][1]):
                continue
            if callable(pred) and not pred(other):
                continue
            best = other
        return best

    for ev in events:
        cs, ev_parties, fam = info[ev.id]
        rels: list[Relation] = []
        text = " ".join(c.evidence.text for c in cs)
        if fam == "violent" and _VIOLATES.search(text):
            # the ceasefire in force when the first violation was reported happening
            when = [c.time.start for c in cs if c.time and c.time.start and _VIOLATES.search(c.evidence.text)]
            target = latest_before(
                ev,
                lambda o: any(is_ceasefire(c) for c in info[o.id][0]),
                until=min(when) if when else (ev.end or ev.start),
            )
            if target is not None:
                rels.append(Relation("violates", target.id))
        if _UNSC.search(text) and any(
            _UNSC.search(c.evidence.text) and _REFER.search(c.evidence.text) for c in cs
        ):
            target = latest_before(ev, lambda o: info[o.id][2] == "violent" and not o.is_background)
            if target is not None:
                rels.append(Relation("refers", target.id))
        if fam != "violent" and (
            any(c.mediator is not None for c in cs) or _MEDIATE_TYPE.search(ev.event_type.id)
        ):
            target = latest_before(ev, lambda o: info[o.id][2] == "violent" and not o.is_background)
            if target is not None:
                rels.append(Relation("mediates", target.id))
        if not ev.is_background and ev_parties:
            prev = latest_before(ev, lambda o: not o.is_background, strict=True)
            if prev is not None:
                rels.append(Relation("follows", prev.id))
        ev.relations = rels
