"""Reconcile the counts claimed about one event into figures per side.

A figure groups the claims that count the same thing: whose people
(``victims.country``, the *side*), which people (``victims.kind``: military,
civilian or unknown) and what happened to them (``counted``). Background
claims, denied claims and expected/called-for figures never enter.

Rules (also in docs/FIGURES.md):

* ``history``: every figure claimed, one point per claim, with its claimant and
  its as-of time (the document's publication time), sorted by as-of time.
* Each claimant's *latest* figure stands for that claimant; a government
  speaks with one voice, so every claimant of one country is one claimant
  (Pashinyan, the defence ministry and the Security Council of Armenia are all
  "ARM"); a claimant with no country (an outlet, an unnamed source) counts
  by name.
* A claimant is *own side* when its country is the side, *other side* when its
  country is another party to the event (a country whose people, forces or
  government the event's claims name), otherwise *non-party*.
* ``best``: the own side's latest count of its own losses, unless a later
  non-party figure is higher (an own-side count that others have overtaken is
  contradicted); then, or when the side has not counted, the latest non-party
  figure; failing both, the other side's latest claim, with
  ``by_other_side = True``.
* ``low`` / ``high``: the range of the credible standing figures (own side's
  and non-parties' latest, using a claim's own low/high when it gives a
  range). Figures the other side claims about the side are in ``history`` but
  outside ``low``/``high``; only when nothing else exists do they set it.
* ``qualifier``: the qualifier of the claim behind ``best`` (not_final,
  at_least...). ``claims[0]`` is that claim; the rest follow in history order.
* "Dead and missing" totals: the extractor gives them ``counted = killed``;
  they stay killed figures (an upper bound on the dead) and ``rule`` says
  "includes missing" when the chosen claim's evidence says so.
* Figures of different sides are never added here; :func:`total` adds the
  figures it is given and returns the claims it added.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from whatweknow.consolidate.features import DocMeta, aware, party_countries
from whatweknow.model import Claim, Figure, FigurePoint

_FAR_PAST = "0000"
_MISSING = re.compile(
    r"\b(?:dead|killed)\s+(?:and|or|and/or)\s+missing\b|\bmissing\s+(?:and|or)\s+(?:dead|killed)", re.I
)


def _as_of(claim: Claim, docs: Mapping[str, DocMeta]) -> datetime | None:
    meta = docs.get(claim.doc_id)
    return aware(meta.published_at) if meta is not None and meta.published_at is not None else None


def _point(claim: Claim, docs: Mapping[str, DocMeta]) -> FigurePoint:
    q = claim.quantity
    assert q is not None
    who = claim.claimant
    return FigurePoint(
        claim_id=claim.id,
        doc_id=claim.doc_id,
        value=q.value,
        low=q.low,
        high=q.high,
        qualifier=q.qualifier,
        claimant=who.name if who is not None else None,
        claimant_country=who.country if who is not None else None,
        as_of=_as_of(claim, docs),
    )


def _order(p: FigurePoint) -> tuple[str, float, str]:
    return (p.as_of.isoformat() if p.as_of is not None else _FAR_PAST, _num(p), p.claim_id)


def _num(p: FigurePoint) -> float:
    for v in (p.value, p.high, p.low):
        if v is not None:
            return float(v)
    return 0.0


def _claimant_key(p: FigurePoint) -> str:
    if p.claimant_country:
        return "c:" + p.claimant_country
    return "n:" + (p.claimant or "").lower()


def _latest_per_claimant(points: Sequence[FigurePoint]) -> list[FigurePoint]:
    latest: dict[str, FigurePoint] = {}
    for p in points:  # sorted: a later (or same-day larger) figure replaces an earlier one
        latest[_claimant_key(p)] = p
    return sorted(latest.values(), key=_order)


def _span(points: Sequence[FigurePoint]) -> tuple[float | None, float | None]:
    lows = [p.low if p.low is not None else p.value for p in points]
    highs = [p.high if p.high is not None else p.value for p in points]
    lo = [x for x in lows if x is not None]
    hi = [x for x in highs if x is not None]
    return (min(lo) if lo else None, max(hi) if hi else None)


def _reconcile_one(
    side: str | None,
    kind: str | None,
    counted: str,
    points: list[FigurePoint],
    parties: frozenset[str],
    evidence: Mapping[str, str],
) -> Figure:
    points.sort(key=_order)
    standing = _latest_per_claimant(points)
    own = [p for p in standing if side is not None and p.claimant_country == side]
    other = [
        p
        for p in standing
        if p.claimant_country is not None and p.claimant_country != side and p.claimant_country in parties
    ]
    neutral = [p for p in standing if p not in own and p not in other]

    chosen: FigurePoint
    by_other = False
    if own:
        chosen = own[-1]
        rule = "own side's latest count"
        overtaking = [p for p in neutral if _order(p)[0] > _order(chosen)[0] and _num(p) > _num(chosen)]
        if overtaking:
            chosen = overtaking[-1]
            rule = "latest non-party figure (above the side's own count)"
    elif neutral:
        chosen = neutral[-1]
        rule = "latest non-party figure"
    else:
        chosen = other[-1]
        by_other = True
        rule = "other side's claim"
    credible = own + neutral
    low, high = _span(credible if credible else other)
    if _MISSING.search(evidence.get(chosen.claim_id, "")):
        rule += "; includes missing"
    claims = [chosen.claim_id] + [p.claim_id for p in points if p.claim_id != chosen.claim_id]
    return Figure(
        side=side,
        kind=kind,
        counted=counted,
        best=chosen.value if chosen.value is not None else chosen.high,
        low=low,
        high=high,
        qualifier=chosen.qualifier,
        claims=claims,
        history=points,
        by_other_side=by_other,
        rule=rule,
    )


def reconcile(claims: Sequence[Claim], docs: Mapping[str, DocMeta]) -> tuple[list[Figure], list[Figure]]:
    """Figures of one event: (fatalities, other counts). See the module docstring."""
    parties: set[str] = set()
    for c in claims:
        if not c.is_background:
            parties |= party_countries(c)
    groups: dict[tuple[str, str, str], list[FigurePoint]] = defaultdict(list)
    evidence: dict[str, str] = {}
    for c in sorted(claims, key=lambda c: c.id):
        q = c.quantity
        if (
            q is None
            or c.is_background
            or c.polarity == "denied"
            or c.modality in ("expected", "called_for")
            or q.counted is None
            or (q.value is None and q.low is None and q.high is None)
        ):
            continue
        v = q.victims
        groups[((v.country or "") if v else "", (v.kind or "") if v else "", q.counted)].append(
            _point(c, docs)
        )
        evidence[c.id] = c.evidence.text
    fatalities: list[Figure] = []
    others: list[Figure] = []
    for (g_side, g_kind, counted), pts in sorted(groups.items()):
        fig = _reconcile_one(g_side or None, g_kind or None, counted, pts, frozenset(parties), evidence)
        (fatalities if counted == "killed" else others).append(fig)
    return fatalities, others


def total(figures: Sequence[Figure]) -> tuple[float, list[str]]:
    """Add the ``best`` of the figures given; returns the sum and the claims added.

    Never called implicitly: a caller that shows a total must show which
    figures it adds (the returned claim ids, one per figure: its ``claims[0]``).
    """
    value = 0.0
    used: list[str] = []
    for f in figures:
        if f.best is None:
            continue
        value += f.best
        if f.claims:
            used.append(f.claims[0])
    return value, used
