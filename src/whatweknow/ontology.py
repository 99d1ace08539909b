"""The internal event ontology and its mappings to ACLED, PLOVER and CAMEO.

One internal type id (short snake_case) per kind of happening. Violent events,
protests and strategic developments follow ACLED's six event types and 25
sub-event types (ACLED Codebook); statements and diplomacy follow PLOVER's
categories (Open Event Data Alliance); every type also carries the CAMEO
root code (two digits, "01".."20") that GDELT-style tools filter on.

Decisions worth knowing (the full table is ``mapping_table_md()``):

- PLOVER names: the codebook's 2-digit categories (AGREE, CONSULT, SUPPORT,
  COOPERATE, AID, CONCEDE, RETREAT, INVESTIGATE, DEMAND, REJECT, THREATEN,
  PROTEST, MOBILIZE, SANCTION, COERCE, ASSAULT, FIGHT, CRIME), with the 2021
  names ACCUSE (formerly DISAPPROVE, CAMEO 11) and REQUEST (CAMEO 02 appeals).
  PLOVER has no MEDIATE category: mediation is CONSULT (CAMEO 045 "engage in
  mediation"), mode ``mediate`` (see ``plover_mode``).
- Agreements and ceasefires: one type, ``agree`` (``agreement`` is an alias):
  ACLED Strategic developments / Agreement, PLOVER AGREE, CAMEO root "03"
  (the root PLOVER derives AGREE from; CAMEO itself files a signed agreement
  under 057 and a declared truce under 0871).
- Conventional fighting (clashes, territory, shelling, air strikes) is FIGHT /
  CAMEO 19; bombings, attacks on civilians, abductions and sexual violence are
  ASSAULT / CAMEO 18; chemical weapons are CAMEO 20 (2041).
- Excessive force against protesters is COERCE / CAMEO 17 (175, violent
  repression); riots and mob violence are PROTEST / CAMEO 14 (145).
- Denials are REJECT / CAMEO 12 (CAMEO also has 016 "deny responsibility").
- Referring a matter to the UN Security Council ("seize the Council") is a
  ``request_appeal``: an appeal to an IGO (CAMEO 02).
- ``other`` is ACLED's Strategic developments / Other; ``none`` means no event.

Families (``family``) group types whose claims can describe the same
happening: violent | protest | strategic | statement | diplomacy | non_conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from whatweknow.model import EventType

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"

FAMILIES = ("violent", "protest", "strategic", "statement", "diplomacy", "non_conflict")
# the types whose toll is a disaster's, not violence's
DISASTER_TYPES = frozenset(("disaster_natural", "disaster_manmade"))


@dataclass(frozen=True, slots=True)
class _Row:
    id: str
    acled: str | None
    acled_sub: str | None
    plover: str | None
    cameo: str | None
    family: str
    label: str  # short human description
    plover_mode: str | None = None


_ROWS: tuple[_Row, ...] = (
    # --- Battles
    _Row("armed_clash", BATTLES, "Armed clash", "FIGHT", "19", "violent", "armed clash, fighting"),
    _Row(
        "government_regains_territory",
        BATTLES,
        "Government regains territory",
        "FIGHT",
        "19",
        "violent",
        "government forces retake territory",
        "occupy",
    ),
    _Row(
        "non_state_overtakes_territory",
        BATTLES,
        "Non-state actor overtakes territory",
        "FIGHT",
        "19",
        "violent",
        "non-state group seizes territory",
        "occupy",
    ),
    # --- Explosions/Remote violence
    _Row(
        "shelling_artillery_missile",
        EXPLOSIONS,
        "Shelling/artillery/missile attack",
        "FIGHT",
        "19",
        "violent",
        "shelling, artillery, rockets, missiles",
        "heavy-weapons",
    ),
    _Row(
        "air_drone_strike",
        EXPLOSIONS,
        "Air/drone strike",
        "FIGHT",
        "19",
        "violent",
        "air or drone strike",
        "aerial",
    ),
    _Row(
        "suicide_bomb",
        EXPLOSIONS,
        "Suicide bomb",
        "ASSAULT",
        "18",
        "violent",
        "suicide bombing",
        "suicide-attack",
    ),
    _Row(
        "remote_explosive",
        EXPLOSIONS,
        "Remote explosive/landmine/IED",
        "ASSAULT",
        "18",
        "violent",
        "IED, landmine, car or roadside bomb",
        "explosives",
    ),
    _Row("grenade", EXPLOSIONS, "Grenade", "ASSAULT", "18", "violent", "grenade attack", "explosives"),
    _Row(
        "chemical_weapon",
        EXPLOSIONS,
        "Chemical weapon",
        "FIGHT",
        "20",
        "violent",
        "chemical weapon use",
        "cbrn",
    ),
    # --- Violence against civilians
    _Row("attack", VAC, "Attack", "ASSAULT", "18", "violent", "attack on civilians"),
    _Row(
        "abduction",
        VAC,
        "Abduction/forced disappearance",
        "ASSAULT",
        "18",
        "violent",
        "abduction, kidnapping",
        "abduct",
    ),
    _Row(
        "sexual_violence",
        VAC,
        "Sexual violence",
        "ASSAULT",
        "18",
        "violent",
        "rape, sexual violence",
        "sexual",
    ),
    # --- Protests
    _Row(
        "peaceful_protest",
        PROTESTS,
        "Peaceful protest",
        "PROTEST",
        "14",
        "protest",
        "peaceful protest",
        "demo",
    ),
    _Row(
        "protest_with_intervention",
        PROTESTS,
        "Protest with intervention",
        "PROTEST",
        "14",
        "protest",
        "protest dispersed or obstructed",
        "demo",
    ),
    _Row(
        "excessive_force_protesters",
        PROTESTS,
        "Excessive force against protesters",
        "COERCE",
        "17",
        "protest",
        "lethal or excessive force on protesters",
        "repression",
    ),
    # --- Riots
    _Row(
        "violent_demonstration",
        RIOTS,
        "Violent demonstration",
        "PROTEST",
        "14",
        "protest",
        "violent demonstration, rioting",
        "riot",
    ),
    _Row("mob_violence", RIOTS, "Mob violence", "PROTEST", "14", "protest", "mob violence, lynching", "riot"),
    # --- Strategic developments
    _Row(
        "agree",
        STRATEGIC,
        "Agreement",
        "AGREE",
        "03",
        "strategic",
        "agreement, ceasefire, truce, peace deal",
    ),
    _Row("arrests", STRATEGIC, "Arrests", "COERCE", "17", "strategic", "arrests, detentions", "arrest"),
    _Row(
        "change_to_group_activity",
        STRATEGIC,
        "Change to group/activity",
        "MOBILIZE",
        "15",
        "strategic",
        "group relocates, merges, deploys, defects",
    ),
    _Row(
        "disrupted_weapons_use",
        STRATEGIC,
        "Disrupted weapons use",
        None,
        None,
        "strategic",
        "bomb defused, missile intercepted, cache seized",
    ),
    _Row(
        "headquarters_established",
        STRATEGIC,
        "Headquarters or base established",
        "MOBILIZE",
        "15",
        "strategic",
        "base or headquarters set up",
    ),
    _Row(
        "looting_property_destruction",
        STRATEGIC,
        "Looting/property destruction",
        "COERCE",
        "17",
        "strategic",
        "looting, arson, destruction of property",
        "confiscate",
    ),
    _Row(
        "non_violent_transfer_territory",
        STRATEGIC,
        "Non-violent transfer of territory",
        "RETREAT",
        "08",
        "strategic",
        "territory handed over without fighting",
        "withdraw",
    ),
    _Row("other", STRATEGIC, "Other", None, None, "strategic", "other strategic development"),
    # --- Strategic, not an ACLED sub-type of their own
    _Row(
        "mobilize",
        STRATEGIC,
        "Change to group/activity",
        "MOBILIZE",
        "15",
        "strategic",
        "troops deployed, forces put on alert",
        "troops",
    ),
    _Row(
        "coerce",
        STRATEGIC,
        "Other",
        "COERCE",
        "17",
        "strategic",
        "curfew, blockade, martial law, expulsion",
    ),
    _Row(
        "retreat",
        STRATEGIC,
        "Other",
        "RETREAT",
        "08",
        "strategic",
        "withdrawal, release, de-escalation",
    ),
    # --- Statements (verbal acts, PLOVER)
    _Row("accuse", None, None, "ACCUSE", "11", "statement", "accuse, blame, condemn", "disapprove"),
    _Row("reject_deny", None, None, "REJECT", "12", "statement", "deny, reject"),
    _Row(
        "request_appeal", None, None, "REQUEST", "02", "statement", "call on, urge, appeal, refer to the UN"
    ),
    _Row("demand", None, None, "DEMAND", "10", "statement", "demand"),
    _Row("threaten", None, None, "THREATEN", "13", "statement", "threaten, warn of force"),
    _Row("support", None, None, "SUPPORT", "05", "statement", "praise, welcome, back"),
    # --- Diplomacy (PLOVER)
    _Row("consult", None, None, "CONSULT", "04", "diplomacy", "talks, meeting, phone call, visit"),
    _Row("mediate", None, None, "CONSULT", "04", "diplomacy", "mediation", "mediate"),
    _Row("concede", None, None, "CONCEDE", "08", "diplomacy", "yield to demands"),
    _Row("cooperate", None, None, "COOPERATE", "06", "diplomacy", "material cooperation"),
    _Row("aid", None, None, "AID", "07", "diplomacy", "provide aid"),
    _Row("sanction", None, None, "SANCTION", "16", "diplomacy", "sanctions, cut relations"),
    _Row("investigate", None, None, "INVESTIGATE", "09", "diplomacy", "investigation, inquiry"),
    _Row("diplomacy", None, None, None, None, "diplomacy", "other diplomatic activity"),
    # --- Not armed conflict
    _Row("crime", None, None, "CRIME", None, "non_conflict", "crime: robbery, murder, trafficking"),
    _Row("disaster_natural", None, None, None, None, "non_conflict", "natural disaster"),
    _Row("disaster_manmade", None, None, None, None, "non_conflict", "accident, industrial disaster"),
    _Row("none", None, None, None, None, "non_conflict", "no event"),
)

_BY_ID: dict[str, _Row] = {r.id: r for r in _ROWS}

ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "agreement": "agree",
        "ceasefire": "agree",
        "refer": "request_appeal",
        "appeal": "request_appeal",
        "request": "request_appeal",
        "reject": "reject_deny",
        "deny": "reject_deny",
    }
)

ALL_TYPES: Mapping[str, EventType] = MappingProxyType(
    {r.id: EventType(r.id, r.acled, r.acled_sub, r.plover, r.cameo) for r in _ROWS}
)

# the 25 ACLED sub-event types, in codebook order, as internal ids
ACLED_SUB_EVENT_IDS: tuple[str, ...] = tuple(
    r.id for r in _ROWS if r.acled is not None and r.id not in ("mobilize", "coerce", "retreat")
)


def canonical(type_id: str) -> str:
    """The canonical id for ``type_id`` (resolving aliases); raises ``KeyError`` if unknown."""
    tid = ALIASES.get(type_id, type_id)
    if tid not in _BY_ID:
        raise KeyError(f"unknown event type {type_id!r}")
    return tid


def get_type(type_id: str) -> EventType:
    """The :class:`EventType` (with its mappings) for an internal id or alias."""
    return ALL_TYPES[canonical(type_id)]


def family(type_id: str) -> str:
    """violent | protest | strategic | statement | diplomacy | non_conflict."""
    return _BY_ID[canonical(type_id)].family


def is_violent(type_id: str) -> bool:
    """Battles, explosions/remote violence and violence against civilians."""
    return family(type_id) == "violent"


def plover_mode(type_id: str) -> str | None:
    """PLOVER's mode for the type where one applies (e.g. ``mediate`` under CONSULT)."""
    return _BY_ID[canonical(type_id)].plover_mode


def describe(type_id: str) -> str:
    """A short human description of the type."""
    return _BY_ID[canonical(type_id)].label


def acled_label(type_id: str) -> str:
    """The coarse class used to evaluate event typing.

    The internal id of the type's ACLED sub-event type (``mobilize`` ->
    ``change_to_group_activity``, ``coerce`` -> ``other``); for non-ACLED types,
    ``diplomacy`` for statements and diplomacy, else the type itself (``crime``,
    ``disaster_natural``, ``disaster_manmade``, ``none``).
    """
    row = _BY_ID[canonical(type_id)]
    if row.acled_sub is not None:
        for r in _ROWS:
            if r.acled == row.acled and r.acled_sub == row.acled_sub:
                return r.id
    if row.family in ("statement", "diplomacy"):
        return "diplomacy"
    return row.id


def mapping_table_md() -> str:
    """The mapping as a markdown table, for the docs."""
    lines = [
        "| type | family | ACLED event type | ACLED sub-event type | PLOVER | CAMEO root | meaning |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in _ROWS:
        plover = r.plover or "—"
        if r.plover_mode:
            plover += f" ({r.plover_mode})"
        lines.append(
            f"| `{r.id}` | {r.family} | {r.acled or '—'} | {r.acled_sub or '—'} | {plover} "
            f"| {r.cameo or '—'} | {r.label} |"
        )
    return "\n".join(lines) + "\n"
