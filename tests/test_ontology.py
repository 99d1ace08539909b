from __future__ import annotations

import pytest

from whatweknow import ontology
from whatweknow.model import EventType

ACLED_SUBS = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Shelling/artillery/missile attack",
        "Air/drone strike",
        "Suicide bomb",
        "Remote explosive/landmine/IED",
        "Grenade",
        "Chemical weapon",
    },
    "Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    },
}


def test_all_25_acled_sub_event_types_have_one_canonical_id() -> None:
    assert len(ontology.ACLED_SUB_EVENT_IDS) == 25
    seen = {(ontology.get_type(t).acled_event_type, ontology.get_type(t).acled_sub_event_type)
            for t in ontology.ACLED_SUB_EVENT_IDS}  # fmt: skip
    expected = {(et, sub) for et, subs in ACLED_SUBS.items() for sub in subs}
    assert seen == expected


@pytest.mark.parametrize(
    ("type_id", "acled", "sub", "plover", "cameo"),
    [
        ("armed_clash", "Battles", "Armed clash", "FIGHT", "19"),
        (
            "shelling_artillery_missile",
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
            "FIGHT",
            "19",
        ),
        ("air_drone_strike", "Explosions/Remote violence", "Air/drone strike", "FIGHT", "19"),
        ("remote_explosive", "Explosions/Remote violence", "Remote explosive/landmine/IED", "ASSAULT", "18"),
        ("attack", "Violence against civilians", "Attack", "ASSAULT", "18"),
        ("peaceful_protest", "Protests", "Peaceful protest", "PROTEST", "14"),
        (
            "looting_property_destruction",
            "Strategic developments",
            "Looting/property destruction",
            "COERCE",
            "17",
        ),
        ("agree", "Strategic developments", "Agreement", "AGREE", "03"),
        ("accuse", None, None, "ACCUSE", "11"),
        ("reject_deny", None, None, "REJECT", "12"),
        ("request_appeal", None, None, "REQUEST", "02"),
        ("consult", None, None, "CONSULT", "04"),
        ("mediate", None, None, "CONSULT", "04"),
        ("threaten", None, None, "THREATEN", "13"),
        ("demand", None, None, "DEMAND", "10"),
        ("investigate", None, None, "INVESTIGATE", "09"),
        ("crime", None, None, "CRIME", None),
    ],
)
def test_mappings(type_id: str, acled: str | None, sub: str | None, plover: str, cameo: str | None) -> None:
    et = ontology.get_type(type_id)
    assert isinstance(et, EventType)
    assert (et.id, et.acled_event_type, et.acled_sub_event_type, et.plover, et.cameo_root) == (
        type_id, acled, sub, plover, cameo,
    )  # fmt: skip


def test_aliases_and_unknown() -> None:
    assert ontology.get_type("agreement") is ontology.ALL_TYPES["agree"]
    assert ontology.get_type("ceasefire").id == "agree"
    assert ontology.canonical("refer") == "request_appeal"
    with pytest.raises(KeyError):
        ontology.get_type("picnic")


def test_families() -> None:
    assert ontology.family("armed_clash") == "violent"
    assert ontology.family("chemical_weapon") == "violent"
    assert ontology.family("mob_violence") == "protest"
    assert ontology.family("arrests") == "strategic"
    assert ontology.family("accuse") == "statement"
    assert ontology.family("mediate") == "diplomacy"
    assert ontology.family("disaster_natural") == "non_conflict"
    assert ontology.is_violent("air_drone_strike")
    assert not ontology.is_violent("peaceful_protest")
    assert not ontology.is_violent("agree")
    assert {ontology.family(t) for t in ontology.ALL_TYPES} == set(ontology.FAMILIES)


def test_cameo_codes_are_two_digit_roots() -> None:
    for et in ontology.ALL_TYPES.values():
        if et.cameo_root is not None:
            assert len(et.cameo_root) == 2 and "01" <= et.cameo_root <= "20"


def test_acled_label() -> None:
    assert ontology.acled_label("mobilize") == "change_to_group_activity"
    assert ontology.acled_label("coerce") == "other"
    assert ontology.acled_label("consult") == "diplomacy"
    assert ontology.acled_label("accuse") == "diplomacy"
    assert ontology.acled_label("crime") == "crime"
    assert ontology.acled_label("grenade") == "grenade"


def test_mapping_table_md() -> None:
    md = ontology.mapping_table_md()
    assert md.startswith("| type | family |")
    assert "| `mediate` | diplomacy | — | — | CONSULT (mediate) | 04 |" in md
    assert md.count("\n") == len(ontology.ALL_TYPES) + 2
    assert ontology.plover_mode("mediate") == "mediate"
