"""The "what we know" brief: a sourced summary built only from typed fields.

Every line of the brief is generated from stored fields (event types, places,
actors, figures with their claimants and dates) through fixed templates, or
quotes an evidence sentence verbatim. Every line carries at least one
:class:`Citation`, and every citation satisfies
``docs[c.doc_id].text[c.span[0]:c.span[1]] == c.sentence_text``; a line whose
evidence cannot be resolved in its document is dropped rather than shown
unsourced.

Figures from different sides are never added together here: the headline table
has one row per side (and per claimant side for claims about the other side's
losses).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from whatweknow import ontology
from whatweknow.model import Claim, Document, Event, Figure, FigurePoint, SpanT, calendar_moment, iso

if TYPE_CHECKING:
    from rich.console import Console

# Section keys, in display order.
HEADLINE = "headline"
CHANGES = "changes"
TIMELINE = "timeline"
ACCUSATIONS = "accusations"
DIPLOMACY = "diplomacy"
BACKGROUND = "background"
SOURCES = "sources"

HEADLINE_COLUMNS = [
    "event",
    "side",
    "killed",
    "injured",
    "missing",
    "other",
    "who_says",
    "as_of",
    "qualifier",
]

_ACCUSE_IDS = frozenset({"accuse", "blame"})
_DENY_IDS = frozenset({"deny", "reject", "reject_deny"})
_DIPLOMACY: dict[str, tuple[frozenset[str], str]] = {
    # PLOVER category -> (internal ids, label)
    "REQUEST": (frozenset({"request_appeal", "request", "appeal", "demand"}), "request/appeal"),
    "CONSULT": (frozenset({"consult"}), "consultation"),
    "MEDIATE": (frozenset({"mediate"}), "mediation"),
    "AGREE": (frozenset({"agree", "ceasefire", "agreement", "peace_agreement"}), "agreement"),
}

_KIND_WORDS = {"military": "military", "civilian": "civilians"}

# labels for statement and diplomacy types, which have no ACLED sub-event type
_TYPE_LABELS = {
    "accuse": "Accusation",
    "reject_deny": "Denial",
    "request_appeal": "Request/appeal",
    "demand": "Demand",
    "threaten": "Threat",
    "support": "Statement of support",
    "consult": "Consultation",
    "mediate": "Mediation",
    "agree": "Agreement",
    "disaster_natural": "Natural disaster",
    "disaster_manmade": "Accident",
}

_QUALIFIER_WORDS = {
    "at_least": "at least",
    "more_than": "more than",
    "about": "about",
    "at_most": "at most",
    "fewer_than": "fewer than",
    "not_final": "not final",
    "range": "range",
}


# --------------------------------------------------------------------------- the tree


@dataclass(slots=True)
class Citation:
    """One cited sentence. ``docs[doc_id].text[span[0]:span[1]] == sentence_text``."""

    doc_id: str
    claim_id: str | None
    span: SpanT
    sentence_text: str
    source: str | None
    published_at: datetime | None
    n: int = 0  # its number in the Sources section (1-based), set when the brief is complete
    context_before: str = ""  # the rest of the sentence's paragraph, for display
    context_after: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "claim_id": self.claim_id,
            "span": [self.span[0], self.span[1]],
            "sentence_text": self.sentence_text,
            "source": self.source,
            "published_at": iso(self.published_at),
            "context_before": self.context_before,
            "context_after": self.context_after,
        }


@dataclass(slots=True)
class BriefLine:
    """A line of the brief: templated text, its citations, and table cells where tabular."""

    text: str
    citations: list[Citation]
    cells: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "cells": dict(self.cells),
            "citations": [c.to_json() for c in self.citations],
        }


@dataclass(slots=True)
class Section:
    key: str
    title: str
    lines: list[BriefLine] = field(default_factory=list)
    columns: list[str] | None = None  # set for tabular sections (headline figures)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "columns": self.columns,
            "lines": [ln.to_json() for ln in self.lines],
        }


@dataclass(slots=True)
class Brief:
    title: str
    generated_at: datetime
    about: str | None
    since: datetime | None
    sections: list[Section]
    n_documents: int = 0
    n_sources: int = 0
    latest_document_at: datetime | None = None

    def section(self, key: str) -> Section | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None

    def citations(self) -> list[Citation]:
        """The numbered citations, one per distinct cited sentence, in number order."""
        seen: dict[int, Citation] = {}
        for s in self.sections:
            if s.key == SOURCES:
                continue
            for ln in s.lines:
                for c in ln.citations:
                    seen.setdefault(c.n, c)
        return [seen[k] for k in sorted(seen)]


# --------------------------------------------------------------------------- formatting helpers


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str:
    """A readable name for an ISO 3166 alpha-3 code (or an IGO code such as ``EU``)."""
    if not code:
        return "side not stated"
    import pycountry

    rec = pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else None
    if rec is None:
        return code
    return str(getattr(rec, "common_name", None) or rec.name)


def fmt_number(v: float | None) -> str:
    if v is None:
        return ""
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.1f}"


def fmt_date(dt: datetime | None, precision: str | None = None) -> str:
    """A date: '13 Sep 2022', 'Sep 2022', '2020', '1990s', '13 Sep 2022 06:00 UTC'.

    Without ``precision``, ``dt`` is a moment (a publication time) shown as its UTC day.
    With a precision of a day or coarser, ``dt`` is the start of a time window resolved in
    the place's own time zone, read by :func:`calendar_moment` as the local day it opens."""
    if dt is None:
        return "date unknown"
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    dt = dt.astimezone(UTC)
    if precision in ("hour", "minute"):
        return dt.strftime("%d %b %Y %H:%M UTC").lstrip("0")
    if precision is None:
        return dt.strftime("%d %b %Y").lstrip("0")
    dt = calendar_moment(dt)  # a local day's window start, read as that day
    if precision == "century":
        return f"{dt.year // 100 + 1}th century"
    if precision == "decade":
        return f"{dt.year // 10 * 10}s"
    if precision in ("year", "season"):
        return str(dt.year)
    if precision == "month":
        return dt.strftime("%b %Y")
    return dt.strftime("%d %b %Y").lstrip("0")


def _figure_value(best: float | None, low: float | None, high: float | None, kind: str | None = None) -> str:
    """'207', '80 (military; 50–80)', '10–20' (no best)."""
    text = fmt_number(best)
    notes = [_KIND_WORDS[kind]] if kind in _KIND_WORDS else []
    if low is not None and high is not None and low != high:
        rng = f"{fmt_number(low)}–{fmt_number(high)}"
        if not text:
            text, rng = rng, ""
        if rng:
            notes.append(rng)
    if text and notes:
        text += f" ({'; '.join(notes)})"
    return text


def _qualifier_words(q: str | None) -> str:
    return _QUALIFIER_WORDS.get(q or "exact", "")


def _humanise(type_id: str) -> str:
    return _TYPE_LABELS.get(type_id) or type_id.replace("_", " ").strip().capitalize() or "Event"


def _aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _join_names(names: Iterable[str]) -> str:
    items = [n for n in dict.fromkeys(n for n in names if n)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- builder


class _Builder:
    def __init__(self, events: list[Event], claims: list[Claim], docs: Mapping[str, Document]) -> None:
        self.events = events
        self.claims = claims
        self.claims_by_id = {c.id: c for c in claims}
        self.docs = docs

    # ---- citations

    def cite(self, claim_id: str | None) -> Citation | None:
        if claim_id is None:
            return None
        claim = self.claims_by_id.get(claim_id)
        if claim is None:
            return None
        return self.cite_claim(claim)

    def cite_claim(self, claim: Claim) -> Citation | None:
        doc = self.docs.get(claim.doc_id)
        if doc is None:
            return None
        text = claim.evidence.text
        s, e = claim.evidence.span
        if not text:
            return None
        if doc.text[s:e] != text:
            # the stored span is stale: find the sentence itself, or give up
            found = doc.text.find(text)
            if found < 0:
                return None
            s, e = found, found + len(text)
        # show the sentence without surrounding whitespace: still an exact slice of the text
        s += len(text) - len(text.lstrip())
        e -= len(text) - len(text.rstrip())
        text = doc.text[s:e]
        if not text:
            return None
        para_start = doc.text.rfind("\n\n", 0, s)
        para_start = 0 if para_start < 0 else para_start + 2
        para_end = doc.text.find("\n\n", e)
        para_end = len(doc.text) if para_end < 0 else para_end
        return Citation(
            doc_id=doc.id,
            claim_id=claim.id,
            span=(s, e),
            sentence_text=text,
            source=doc.source,
            published_at=doc.published_at,
            context_before=doc.text[para_start:s],
            context_after=doc.text[e:para_end],
        )

    def cites(self, claim_ids: Iterable[str | None], limit: int = 3) -> list[Citation]:
        out: list[Citation] = []
        seen: set[tuple[str, SpanT]] = set()
        for cid in claim_ids:
            c = self.cite(cid)
            if c is None or (c.doc_id, c.span) in seen:
                continue
            seen.add((c.doc_id, c.span))
            out.append(c)
            if len(out) >= limit:
                break
        return out

    def published(self, claim: Claim) -> datetime | None:
        doc = self.docs.get(claim.doc_id)
        return _aware(doc.published_at) if doc else None

    def event_claims_by_time(self, ev: Event) -> list[Claim]:
        cl = [self.claims_by_id[c] for c in ev.claims if c in self.claims_by_id]
        far = datetime.max.replace(tzinfo=UTC)
        return sorted(cl, key=lambda c: (c.is_background != ev.is_background, self.published(c) or far))

    # ---- filters

    def claim_names(self, c: Claim) -> list[str]:
        names: list[str] = []
        for a in (c.claimant, c.agent, c.target, c.mediator):
            if a is not None:
                names += [
                    a.name,
                    a.text or "",
                    a.actor_id or "",
                    country_name(a.country) if a.country else "",
                ]
        if c.place is not None:
            p = c.place
            names += [p.name, p.text, p.admin1 or "", country_name(p.country) if p.country else ""]
        names.append(c.evidence.text)
        return names

    def event_names(self, ev: Event) -> list[str]:
        names: list[str] = []
        for p in ev.places:
            names += [p.name, p.text, p.admin1 or "", country_name(p.country) if p.country else ""]
        for a in ev.actors:
            names += [a.name, a.text or "", a.actor_id or "", country_name(a.country) if a.country else ""]
        return names

    # ---- figures

    def source_point(self, fig: Figure) -> FigurePoint | None:
        """The history point behind ``best``: the latest point with that value, else the latest."""
        pts = [p for p in fig.history if p.claim_id in self.claims_by_id]
        if not pts:
            return None
        far = datetime.min.replace(tzinfo=UTC)
        pts.sort(key=lambda p: _aware(p.as_of) or far)
        same = [p for p in pts if p.value is not None and p.value == fig.best]
        return (same or pts)[-1]

    def figure_is_background(self, fig: Figure) -> bool:
        ids = [c for c in fig.claims if c in self.claims_by_id] + [p.claim_id for p in fig.history]
        known = [self.claims_by_id[c] for c in ids if c in self.claims_by_id]
        return bool(known) and all(c.is_background for c in known)

    def figure_claimant(self, fig: Figure) -> tuple[str, datetime | None, str | None]:
        """(who says, as of, claim id) for the figure's best value."""
        pt = self.source_point(fig)
        if pt is not None:
            who = pt.claimant or ""
            if not who:
                claim = self.claims_by_id.get(pt.claim_id)
                who = claim.claimant.name if claim and claim.claimant else ""
            return who, _aware(pt.as_of), pt.claim_id
        for cid in reversed(fig.claims):
            claim = self.claims_by_id.get(cid)
            if claim is not None:
                who = claim.claimant.name if claim.claimant else ""
                return who, self.published(claim), cid
        return "", None, None


def _event_label(ev: Event) -> str:
    kind = ev.event_type.acled_sub_event_type or _humanise(ev.event_type.id)
    # the places named by most reports, towns before the regions and countries around them
    local = [p for p in ev.places if p.precision in ("exact", "town")]
    places = _join_names(p.name for p in (local or ev.places)[:3])
    return f"{kind} in {places}" if places else kind


def _side_label(fig: Figure, with_kind: bool = False) -> str:
    name = country_name(fig.side)
    if with_kind and fig.kind in _KIND_WORDS:
        name += f" ({_KIND_WORDS[fig.kind]})"
    if fig.by_other_side:
        name += ", as claimed by the other side"
    return name


def _about_terms(about: str) -> list[str]:
    """'Armenia, Nagorno-Karabakh' or 'Armenia Azerbaijan' -> the names to look for."""
    parts = about.split(",") if "," in about else about.split()
    return [p.strip().casefold() for p in parts if p.strip()]


def _matches(about: str, names: Iterable[str]) -> bool:
    terms = _about_terms(about)
    hay = [n.casefold() for n in names if n]
    return any(t in h for t in terms for h in hay)


def _kind_of_claim(c: Claim) -> tuple[str, str] | None:
    """('accuse'|'deny'|'diplomacy', label) for statement claims, else None."""
    tid = c.event_type.id
    plover = (c.event_type.plover or "").upper()
    if tid in _ACCUSE_IDS or plover == "ACCUSE":
        return ("accuse", "accuses")
    if tid in _DENY_IDS or plover == "REJECT":
        return ("deny", "rejects")
    for ids, label in _DIPLOMACY.values():
        if tid in ids:
            return ("diplomacy", label)
    for code, (_ids, label) in _DIPLOMACY.items():
        if plover == code:
            return ("diplomacy", label)
    return None


def build_brief(
    events: list[Event],
    claims: list[Claim],
    docs: Mapping[str, Document],
    *,
    about: str | None = None,
    since: datetime | None = None,
) -> Brief:
    """Build the brief from consolidated events, their claims and the documents they cite.

    ``about`` keeps the events and claims whose actors or places (or, for a claim,
    evidence sentence) mention that name; ``since`` adds a "What changed" section
    (new events, revised figures, new claims published after that time).
    """
    b = _Builder(events, claims, docs)
    since = _aware(since)

    sel_events = [e for e in events if not about or _matches(about, b.event_names(e))]
    if about:
        # an event also matches through its claims' actors and places
        matched_ids = {e.id for e in sel_events}
        for e in events:
            if e.id not in matched_ids and any(
                _matches(about, b.claim_names(b.claims_by_id[c])) for c in e.claims if c in b.claims_by_id
            ):
                sel_events.append(e)
                matched_ids.add(e.id)
    sel_event_ids = {e.id for e in sel_events}
    sel_claims = [
        c for c in claims if not about or (c.event_id in sel_event_ids) or _matches(about, b.claim_names(c))
    ]
    current = [e for e in sel_events if not e.is_background]
    far = datetime.max.replace(tzinfo=UTC)
    current.sort(key=lambda e: (_aware(e.start) or far, e.id))

    sections: list[Section] = [_headline(b, current)]
    if since is not None:
        sections.append(_changes(b, current, sel_claims, since))
    sections.append(_timeline(b, current))
    sections.append(_accusations(b, sel_claims))
    sections.append(_diplomacy(b, sel_claims))
    sections.append(_background(b, [e for e in sel_events if e.is_background], sel_claims))

    # number the cited sentences in order of first appearance
    numbers: dict[tuple[str, SpanT], int] = {}
    for s in sections:
        for ln in s.lines:
            for c in ln.citations:
                c.n = numbers.setdefault((c.doc_id, c.span), len(numbers) + 1)
    sections.append(_sources(b, sections))

    cited_docs = {c.doc_id for s in sections for ln in s.lines for c in ln.citations}
    outlets = {docs[d].source or docs[d].url or d for d in cited_docs if d in docs}
    dates = [_aware(docs[d].published_at) for d in cited_docs if d in docs]
    known = [d for d in dates if d is not None]
    title = "What we know" + (f" about {about}" if about else "")
    return Brief(
        title=title,
        generated_at=datetime.now(UTC).replace(microsecond=0),
        about=about,
        since=since,
        sections=sections,
        n_documents=len(cited_docs),
        n_sources=len(outlets),
        latest_document_at=max(known) if known else None,
    )


# --------------------------------------------------------------------------- sections


def _headline(b: _Builder, current: list[Event]) -> Section:
    sec = Section(HEADLINE, "Headline figures", columns=list(HEADLINE_COLUMNS))
    for ev in current:
        rows: dict[tuple[str | None, bool], list[Figure]] = {}
        for fig in [*ev.fatalities, *ev.figures]:
            # the human toll: troops deployed (and other counts) are not headline figures
            if b.figure_is_background(fig) or fig.counted in ("deployed", "other"):
                continue
            rows.setdefault((fig.side, fig.by_other_side), []).append(fig)
        known = any(side is not None for side, _ in rows)
        for (side, _other), figs in rows.items():
            # figures whose side the text did not give only where no side is known
            if side is None and known:
                continue
            line = _headline_row(b, ev, figs)
            if line is not None:
                sec.lines.append(line)
    return sec


def _headline_row(b: _Builder, ev: Event, figs: list[Figure]) -> BriefLine | None:
    cells = dict.fromkeys(HEADLINE_COLUMNS, "")
    cells["event"] = f"{_event_label(ev)}, {fmt_date(ev.start, ev.time_precision)}"
    cells["side"] = _side_label(figs[0])
    whos: list[str] = []
    dates: list[datetime] = []
    quals: list[str] = []
    parts: list[str] = []
    other: list[str] = []
    claim_ids: list[str | None] = []
    for fig in figs:
        value = _figure_value(fig.best, fig.low, fig.high, fig.kind)
        if not value:
            continue
        who, as_of, cid = b.figure_claimant(fig)
        if b.cite(cid) is None:
            continue
        claim_ids.append(cid)
        if who:
            whos.append(who)
        if as_of is not None:
            dates.append(as_of)
        q = _qualifier_words(fig.qualifier)
        if q:
            quals.append(f"{fig.counted}: {q}")
        if fig.counted in ("killed", "injured", "missing"):
            cells[fig.counted] = "; ".join(x for x in (cells[fig.counted], value) if x)
        else:
            other.append(f"{value} {fig.counted}")
        parts.append(
            f"{(q + ' ') if q in ('at least', 'more than', 'about', 'at most', 'fewer than') else ''}"
            f"{value} {fig.counted}"
        )
    citations = b.cites(claim_ids, limit=len(claim_ids) or 1)
    if not parts or not citations:
        return None
    cells["other"] = "; ".join(other)
    cells["who_says"] = _join_names(whos)
    cells["as_of"] = fmt_date(max(dates)) if dates else ""
    cells["qualifier"] = "; ".join(dict.fromkeys(quals))
    text = f"{cells['side']}: {', '.join(parts)}"
    if cells["who_says"]:
        text += f", according to {cells['who_says']}"
    if cells["as_of"]:
        text += f", as of {cells['as_of']}"
    if any(q.endswith("not final") for q in quals):
        text += " (not final)"
    text += f" — {cells['event']}."
    return BriefLine(text, citations, cells)


def _timeline_text(ev: Event) -> str:
    text = f"{fmt_date(ev.start, ev.time_precision)}: {_event_label(ev)}"
    countries = _join_names(country_name(p.country) for p in ev.places if p.country)
    if countries and ev.places:
        text += f" ({countries})"
    named = list(dict.fromkeys(a.name for a in ev.actors if a.kind != "media"))
    if len(named) > MAX_ACTORS:
        named = [*named[:MAX_ACTORS], f"{len(named) - MAX_ACTORS} others"]
    actors = _join_names(named)
    if actors:
        text += f"; actors: {actors}"
    n_docs = len(set(ev.documents))
    n_src = len(set(ev.sources))
    if n_docs:
        text += f"; reported in {n_docs} document{'s' if n_docs != 1 else ''}"
        if n_src:
            text += f" from {n_src} source{'s' if n_src != 1 else ''}"
    return text + "."


MAX_ACTORS = 8


def _in_timeline(ev: Event) -> bool:
    """Violent and protest events that the reports date, place or give an actor for
    (a line saying only "date unknown: Peaceful protest" tells nothing); others
    (agreements, statements, diplomacy) when the reports date them (undated ones appear
    in their own sections only)."""
    if ev.event_type.id == "none":
        return False
    if ontology.family(ev.event_type.id) in ("violent", "protest"):
        return ev.start is not None or bool(ev.places) or any(a.kind != "media" for a in ev.actors)
    return ev.start is not None


def _timeline(b: _Builder, current: list[Event]) -> Section:
    sec = Section(TIMELINE, "What happened")
    for ev in current:
        if not _in_timeline(ev):
            continue
        cits = b.cites((c.id for c in b.event_claims_by_time(ev)), limit=3)
        if cits:
            sec.lines.append(BriefLine(_timeline_text(ev), cits, {"event_id": ev.id}))
    return sec


def _actor_name(c: Claim, *roles: str) -> str:
    for role in roles:
        a = getattr(c, role)
        if a is not None and a.name:
            return str(a.name)
    return ""


def _claim_sort_key(b: _Builder, c: Claim) -> tuple[datetime, str]:
    far = datetime.max.replace(tzinfo=UTC)
    t = _aware(c.time.start) if c.time is not None else None
    return (t or b.published(c) or far, c.id)


def _accusations(b: _Builder, claims: list[Claim]) -> Section:
    sec = Section(ACCUSATIONS, "Who accuses whom")
    seen: set[tuple[str, SpanT]] = set()
    for c in sorted(claims, key=lambda c: _claim_sort_key(b, c)):
        kind = _kind_of_claim(c)
        if c.is_background or kind is None or kind[0] not in ("accuse", "deny"):
            continue
        cit = b.cite_claim(c)
        if cit is None or (cit.doc_id, cit.span) in seen:
            continue
        seen.add((cit.doc_id, cit.span))
        # an outlet that only relays ("Protesters accused him ...") is not the accuser
        outlet = c.claimant.name if c.claimant is not None and c.claimant.kind == "media" else ""
        roles = ("agent",) if outlet else ("claimant", "agent")
        claimant = _actor_name(c, *roles) or "An unnamed source"
        target = _actor_name(c, "target")
        verb = kind[1]
        if c.polarity == "denied":
            verb = "denies" if kind[0] == "accuse" else "does not reject"
        head = f"{claimant} → {target}" if target else claimant
        when = f"reported by {outlet}, " if outlet else "reported "
        text = f"{head} ({verb}, {when}{fmt_date(b.published(c))}): “{cit.sentence_text}”"
        cells = {"claimant": claimant, "target": target, "date": fmt_date(b.published(c)), "stance": verb}
        sec.lines.append(BriefLine(text, [cit], cells))
    return sec


def _diplomacy(b: _Builder, claims: list[Claim]) -> Section:
    """One line per diplomatic act: the claims of one event by the same party, of the same
    kind, towards the same party on the same day are one act however many reports tell it
    (the earliest report's sentence is quoted; up to three reports are cited)."""
    sec = Section(DIPLOMACY, "Diplomacy")
    seen: set[tuple[str, SpanT]] = set()
    acts: dict[tuple[str, ...], list[tuple[Claim, Citation, str]]] = {}
    relayed: dict[tuple[str, ...], list[str]] = {}  # the outlets that told an act with no named party
    for c in sorted(claims, key=lambda c: _claim_sort_key(b, c)):
        kind = _kind_of_claim(c)
        if c.is_background or kind is None or kind[0] != "diplomacy":
            continue
        cit = b.cite_claim(c)
        if cit is None or (cit.doc_id, cit.span) in seen:
            continue
        seen.add((cit.doc_id, cit.span))
        # an outlet that only reports the act is not the party to it
        outlet = c.claimant.name if c.claimant is not None and c.claimant.kind == "media" else ""
        who = _actor_name(c, *(("agent",) if outlet else ("agent", "claimant"))) or "An unnamed party"
        target = _actor_name(c, "target")
        mediator = _actor_name(c, "mediator")
        start = c.time.start if c.time is not None else None
        when = fmt_date(start, c.time.precision) if start is not None and c.time else fmt_date(b.published(c))
        day = fmt_date(start if start is not None else b.published(c))
        key: tuple[str, ...] = (c.event_id or c.id, kind[1], who, target, mediator, c.polarity, day)
        acts.setdefault(key, []).append((c, cit, when))
        if outlet and outlet not in relayed.setdefault(key, []):
            relayed[key].append(outlet)
    for act, told in acts.items():
        _ev, label, who, target, mediator, polarity, _day = act
        _c, cit, when = told[0]
        text = f"{when} — {label}: {who}"
        if who == "An unnamed party" and relayed.get(act):
            text += f" (reported by {_join_names(relayed[act])})"
        if target:
            text += f" → {target}"
        if mediator:
            text += f" (mediator: {mediator})"
        if polarity == "denied":
            text += " (denied)"
        if len(told) > 1:
            text += f" ({len(told)} reports)"
        text += f": “{cit.sentence_text}”"
        cells = {
            "date": when,
            "kind": label,
            "who": who,
            "target": target,
            "mediator": mediator,
            "reports": str(len(told)),
        }
        sec.lines.append(BriefLine(text, [ct for _, ct, _ in told[:3]], cells))
    return sec


def _background(b: _Builder, bg_events: list[Event], claims: list[Claim]) -> Section:
    sec = Section(BACKGROUND, "Background (history, not part of the current figures)")
    covered: set[str] = set()
    for ev in bg_events:
        cits = b.cites((c.id for c in b.event_claims_by_time(ev)), limit=2)
        if not cits:
            continue
        text = f"{fmt_date(ev.start, ev.time_precision)}: {_event_label(ev)}"
        figs: list[str] = []
        for f in [*ev.fatalities, *ev.figures]:
            if f.best is None:
                continue
            q = _qualifier_words(f.qualifier)
            fig_text = f"{(q + ' ') if q else ''}{_figure_value(f.best, f.low, f.high, f.kind)} {f.counted}"
            figs.append(fig_text + (f" ({country_name(f.side)})" if f.side else ""))
        if figs:
            text += "; " + ", ".join(figs)
        sec.lines.append(BriefLine(text + ".", cits, {"event_id": ev.id}))
        covered.update(ev.claims)
    seen: set[tuple[str, SpanT]] = set()
    for c in sorted(claims, key=lambda c: _claim_sort_key(b, c)):
        if not c.is_background or c.id in covered:
            continue
        cit = b.cite_claim(c)
        if cit is None or (cit.doc_id, cit.span) in seen:
            continue
        seen.add((cit.doc_id, cit.span))
        when = fmt_date(c.time.start, c.time.precision) if c.time is not None and c.time.start else ""
        text = (f"{when}: " if when else "") + (
            c.event_type.acled_sub_event_type or _humanise(c.event_type.id)
        )
        if c.quantity is not None and c.quantity.value is not None:
            q = _qualifier_words(c.quantity.qualifier)
            amount = f"{(q + ' ') if q else ''}{fmt_number(c.quantity.value)} {c.quantity.counted or ''}"
            text += "; " + amount.rstrip()
        text += f": “{cit.sentence_text}”"
        sec.lines.append(BriefLine(text, [cit], {"claim_id": c.id}))
    return sec


def _changes(b: _Builder, current: list[Event], claims: list[Claim], since: datetime) -> Section:
    sec = Section(CHANGES, f"What changed since {fmt_date(since, 'minute')}")
    used: set[str] = set()
    for ev in current:
        first = _aware(ev.first_reported_at)
        if first is None:
            pubs = [b.published(c) for c in b.event_claims_by_time(ev)]
            known = [p for p in pubs if p is not None]
            first = min(known) if known else None
        if first is not None and first > since:
            cits = b.cites((c.id for c in b.event_claims_by_time(ev)), limit=2)
            if cits:
                sec.lines.append(BriefLine("New event: " + _timeline_text(ev), cits, {"change": "new_event"}))
                used.update(c.claim_id for c in cits if c.claim_id)
    for ev in current:
        for fig in [*ev.fatalities, *ev.figures]:
            # the human toll: troops deployed (and other counts) are not headline figures
            if b.figure_is_background(fig) or fig.counted in ("deployed", "other"):
                continue
            pts = sorted(
                (p for p in fig.history if p.as_of is not None and p.value is not None),
                key=lambda p: _aware(p.as_of) or since,
            )
            prev: FigurePoint | None = None
            for p in pts:
                as_of = _aware(p.as_of)
                if as_of is not None and as_of > since and (prev is None or p.value != prev.value):
                    line = _revision_line(b, fig, prev, p)
                    if line is not None:
                        sec.lines.append(line)
                        used.update(c.claim_id for c in line.citations if c.claim_id)
                prev = p
    seen: set[tuple[str, SpanT]] = set()
    for c in sorted(claims, key=lambda c: (b.published(c) or since, c.id)):
        pub = b.published(c)
        if pub is None or pub <= since or c.id in used or c.is_background:
            continue
        cit = b.cite_claim(c)
        if cit is None or (cit.doc_id, cit.span) in seen:
            continue
        seen.add((cit.doc_id, cit.span))
        who = _actor_name(c, "claimant") or (b.docs[c.doc_id].source or "a report")
        label = c.event_type.acled_sub_event_type or _humanise(c.event_type.id)
        text = f"New claim ({fmt_date(pub)}), {label}, from {who}: “{cit.sentence_text}”"
        sec.lines.append(BriefLine(text, [cit], {"change": "new_claim"}))
    return sec


def _revision_line(b: _Builder, fig: Figure, prev: FigurePoint | None, p: FigurePoint) -> BriefLine | None:
    new_cit = b.cite(p.claim_id)
    if new_cit is None:
        return None
    cits = [new_cit]
    who = p.claimant or ""
    head = f"{_side_label(fig, with_kind=True)}, {fig.counted}"
    new_value = _figure_value(p.value, None, None)
    q = _qualifier_words(p.qualifier)
    if prev is None:
        text = f"New figure — {head}: {new_value}"
        cells = {"change": "new_figure", "old": "", "new": new_value}
    else:
        old_cit = b.cite(prev.claim_id)
        if old_cit is not None and (old_cit.doc_id, old_cit.span) != (new_cit.doc_id, new_cit.span):
            cits.insert(0, old_cit)
        old_value = _figure_value(prev.value, None, None)
        text = f"Revised figure — {head}: {old_value} → {new_value}"
        cells = {"change": "revised_figure", "old": old_value, "new": new_value}
    if q:
        text += f" ({q})"
    if who:
        text += f", according to {who}"
    text += f", as of {fmt_date(p.as_of)}"
    if prev is not None:
        prev_who = prev.claimant or ""
        text += f" (previously {fmt_date(prev.as_of)}" + (f", {prev_who})" if prev_who else ")")
    return BriefLine(text + ".", cits, cells)


def _sources(b: _Builder, sections: list[Section]) -> Section:
    sec = Section(SOURCES, "Sources")
    by_doc: dict[str, dict[int, Citation]] = {}
    for s in sections:
        for ln in s.lines:
            for c in ln.citations:
                by_doc.setdefault(c.doc_id, {}).setdefault(c.n, c)
    for doc_id, cits in sorted(by_doc.items(), key=lambda kv: min(kv[1])):
        doc = b.docs[doc_id]
        ordered = [cits[k] for k in sorted(cits)]
        title = doc.title or "(untitled)"
        outlet = doc.source or "unknown source"
        published = fmt_date(doc.published_at, "minute") if doc.published_at else "publication date unknown"
        if doc.published_at is not None and doc.published_inferred:
            published += " (inferred)"
        text = f"{outlet} — {title}, {published}"
        if doc.url:
            text += f", {doc.url}"
        cells = {
            "doc_id": doc_id,
            "source": outlet,
            "title": title,
            "url": doc.url or "",
            "published": published,
        }
        sec.lines.append(BriefLine(text, ordered, cells))
    return sec


# --------------------------------------------------------------------------- renderers


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _md_refs(cits: list[Citation]) -> str:
    return "".join(f"[[{c.n}]](#src-{c.n})" for c in sorted(cits, key=lambda c: c.n))


def _meta_line(brief: Brief) -> str:
    text = (
        f"Generated {fmt_date(brief.generated_at, 'minute')} from {brief.n_documents} "
        f"document{'s' if brief.n_documents != 1 else ''} ({brief.n_sources} "
        f"source{'s' if brief.n_sources != 1 else ''})"
    )
    if brief.latest_document_at is not None:
        text += f"; latest report {fmt_date(brief.latest_document_at, 'minute')}"
    return text + ". Figures are each side's claims, attributed and dated; they are never added up."


def to_markdown(brief: Brief) -> str:
    out = [f"# {brief.title}", "", f"_{_meta_line(brief)}_", ""]
    for s in brief.sections:
        out += [f"## {s.title}", ""]
        if not s.lines:
            out += ["_Nothing reported._", ""]
            continue
        if s.key == SOURCES:
            for ln in s.lines:
                c = ln.cells
                head = f"**{c['source']}** — {c['title']}, {c['published']}"
                if c["url"]:
                    head += f" <{c['url']}>"
                out.append(f"- {head}")
                for cit in ln.citations:
                    out.append(f'  - <a id="src-{cit.n}"></a>[{cit.n}] “{cit.sentence_text}”')
            out.append("")
            continue
        if s.columns:
            headers = [col.replace("_", " ").capitalize() for col in s.columns] + ["Sources"]
            out.append("| " + " | ".join(headers) + " |")
            out.append("|" + "---|" * len(headers))
            for ln in s.lines:
                cells = [_md_cell(ln.cells.get(col, "")) for col in s.columns]
                out.append("| " + " | ".join([*cells, _md_refs(ln.citations)]) + " |")
            out.append("")
            continue
        for ln in s.lines:
            out.append(f"- {ln.text} {_md_refs(ln.citations)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def to_json(brief: Brief) -> dict[str, Any]:
    """The brief as a JSON-ready dict (``"schema": "wwk/1"``); ``json.dumps`` it to print."""
    return {
        "schema": "wwk/1",
        "title": brief.title,
        "generated_at": iso(brief.generated_at),
        "about": brief.about,
        "since": iso(brief.since),
        "n_documents": brief.n_documents,
        "n_sources": brief.n_sources,
        "latest_document_at": iso(brief.latest_document_at),
        "sections": [s.to_json() for s in brief.sections],
    }


@lru_cache(maxsize=1)
def _jinja_env() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("whatweknow.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def to_html(brief: Brief) -> str:
    """A self-contained HTML page (no external resources)."""
    tmpl = _jinja_env().get_template("brief.html.j2")
    headers = {col: col.replace("_", " ").capitalize() for col in HEADLINE_COLUMNS}
    return str(
        tmpl.render(
            brief=brief,
            meta=_meta_line(brief),
            headers=headers,
            sources_key=SOURCES,
        )
    )


def to_rich(brief: Brief, console: Console) -> None:
    """Render the brief on a terminal with rich: a panel per section, tables where tabular."""
    from rich import box
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console.print(Panel(Text(_meta_line(brief)), title=Text(brief.title, style="bold"), box=box.DOUBLE))

    def refs(cits: list[Citation]) -> Text:
        return Text("".join(f"[{c.n}]" for c in sorted(cits, key=lambda c: c.n)), style="cyan")

    for s in brief.sections:
        if not s.lines:
            console.print(Panel(Text("Nothing reported.", style="dim"), title=s.title))
            continue
        if s.columns:
            table = Table(box=box.SIMPLE_HEAVY, expand=True)
            for col in s.columns:
                table.add_column(col.replace("_", " ").capitalize(), overflow="fold")
            table.add_column("Sources", style="cyan")
            for ln in s.lines:
                table.add_row(*[Text(ln.cells.get(col, "")) for col in s.columns], refs(ln.citations))
            console.print(Panel(table, title=s.title))
            continue
        if s.key == SOURCES:
            table = Table(box=box.SIMPLE, expand=True, show_header=True)
            table.add_column("#", style="cyan", no_wrap=True)
            table.add_column("Document")
            table.add_column("Cited sentence", overflow="fold")
            for ln in s.lines:
                for i, c in enumerate(ln.citations):
                    table.add_row(str(c.n), Text(ln.text if i == 0 else ""), Text(c.sentence_text))
            console.print(Panel(table, title=s.title))
            continue
        body = Text()
        for i, ln in enumerate(s.lines):
            if i:
                body.append("\n")
            body.append("• " + ln.text + " ")
            body.append_text(refs(ln.citations))
        console.print(Panel(body, title=s.title))
