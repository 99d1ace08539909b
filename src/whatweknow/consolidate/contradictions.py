"""Open contradictions among the claims of one event.

Three kinds:

* **mutual blame**: one party's claims blame a second party and the second
  party's claims blame the first. A claim blames the accused (``target``) of
  an accusation, or the ``agent`` of a violent act asserted by a claimant from
  another country.
* **denial**: a claim denies what another asserts (same event type, same
  agent country or actor).
* **figures**: two counts that cannot both hold: same side, kind and thing
  counted, same as-of day, different values, different claimants, neither
  open-ended (at_least, more_than, not_final, about, range).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from whatweknow.consolidate.features import type_family
from whatweknow.model import Claim, Contradiction

_OPEN_ENDED = frozenset({"at_least", "more_than", "not_final", "about", "range"})


def _country(a: object) -> str | None:
    return getattr(a, "country", None) if a is not None else None


def _blame(c: Claim) -> tuple[str, str] | None:
    """(claimant country, blamed country) when the claim blames a party."""
    if c.polarity != "asserted" or c.is_background:
        return None
    who = _country(c.claimant)
    if who is None:
        return None
    fam = type_family(c.event_type)
    if fam == "statement" and ("accus" in c.event_type.id or (c.event_type.plover or "").upper() == "ACCUSE"):
        blamed = _country(c.target) or _country(c.agent)
        if blamed == who:
            blamed = _country(c.target) if _country(c.agent) == who else None
    elif fam == "violent":
        blamed = _country(c.agent)
    else:
        return None
    if blamed is None or blamed == who:
        return None
    return who, blamed


def _mutual_blame(claims: Sequence[Claim]) -> list[Contradiction]:
    by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in claims:
        b = _blame(c)
        if b is not None:
            by_pair[b].append(c.id)
    out: list[Contradiction] = []
    for (x, y), ids in sorted(by_pair.items()):
        if x < y and (y, x) in by_pair:
            out.append(
                Contradiction(
                    about=f"{x} and {y} each blame the other",
                    claims=sorted(ids) + sorted(by_pair[(y, x)]),
                )
            )
    return out


def _agent_key(c: Claim) -> str | None:
    if c.agent is None:
        return None
    return c.agent.country or c.agent.actor_id or c.agent.name.lower()


def _denials(claims: Sequence[Claim]) -> list[Contradiction]:
    groups: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for c in claims:
        if c.is_background:
            continue
        agent = _agent_key(c)
        if agent is None:
            continue
        groups[(c.event_type.id, agent)][c.polarity].append(c.id)
    out: list[Contradiction] = []
    for (etype, agent), pol in sorted(groups.items()):
        if pol.get("asserted") and pol.get("denied"):
            out.append(
                Contradiction(
                    about=f"{etype.replace('_', ' ')} by {agent}: asserted and denied",
                    claims=sorted(pol["asserted"]) + sorted(pol["denied"]),
                )
            )
    return out


def _figure_clashes(claims: Sequence[Claim], as_of: dict[str, str]) -> list[Contradiction]:
    groups: dict[tuple[str, str, str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        q = c.quantity
        if q is None or q.value is None or q.counted is None or c.is_background or c.polarity == "denied":
            continue
        if q.qualifier in _OPEN_ENDED or c.modality in ("expected", "called_for"):
            continue
        day = as_of.get(c.id)
        if day is None:
            continue
        v = q.victims
        groups[(v.country or "" if v else "", v.kind or "" if v else "", q.counted, day)].append(c)
    out: list[Contradiction] = []
    for (side, kind, counted, day), cs in sorted(groups.items()):
        cs = sorted(cs, key=lambda c: c.id)
        bad: set[str] = set()
        for i, a in enumerate(cs):
            for b in cs[i + 1 :]:
                qa, qb = a.quantity, b.quantity
                assert qa is not None and qb is not None
                who_a = _country(a.claimant) or (a.claimant.name if a.claimant else "")
                who_b = _country(b.claimant) or (b.claimant.name if b.claimant else "")
                if qa.value != qb.value and who_a != who_b:
                    bad.update((a.id, b.id))
        if bad:
            label = " ".join(x for x in (side or "unknown side", kind, counted) if x)
            out.append(Contradiction(about=f"{label} on {day}: different figures", claims=sorted(bad)))
    return out


def find_contradictions(claims: Sequence[Claim], as_of: dict[str, str] | None = None) -> list[Contradiction]:
    """Contradictions among one event's claims.

    ``as_of`` maps claim id → as-of day ("YYYY-MM-DD", the document's date);
    without it, a claim's own day (``time.start``) is used for figures.
    """
    if as_of is None:
        as_of = {
            c.id: c.time.start.strftime("%Y-%m-%d")
            for c in claims
            if c.time is not None and c.time.start is not None
        }
    return _mutual_blame(claims) + _denials(claims) + _figure_clashes(claims, as_of)
