"""The headline rule of the UCDP evaluator (evaluate/fatalities.py), on hand-written headlines."""

from __future__ import annotations

import pytest
from spacy.language import Language

from whatweknow.evaluate.fatalities import _literal, headline_killed
from whatweknow.extract.actors import find_actors
from whatweknow.extract.quantities import find_quantities


def read(nlp: Language, headline: str) -> float | None:
    parts = [p.strip() for p in headline.split(";") if p.strip()]
    docs = [nlp(p) for p in parts]
    return headline_killed([(d.text, find_quantities(d, find_actors(d))) for d in docs])


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Gunmen kill 9 soldiers in an ambush near the border", 9),
        # a toll over a period adds up many events: the event's own figure wins
        (
            "Militants kill 9 soldiers in an ambush; more than 300 people killed in the province since January",
            9,
        ),
        ("Air raids kill 14 civilians, raising to 250 the number of people killed in 30 days", 14),
        # the period is in the apposition after the comma
        ("Gunmen kill 12 soldiers and raise to about 125, the number of people killed since late March", 12),
        # a day's roundup broken down by side adds up many events: one event's figure wins,
        # and a roundup's figure beats a longer period's
        ("Regime forces execute 5 citizens in Douma;16 people were killed yesterday including 4 soldiers", 5),
        ("60 killed yesterday including 4 regime forces and 9 civilians", 60),
        (
            "After 4 years that left more than 8000 casualties, jets strike Raqqa;"
            "51 people were killed yesterday including 7 soldiers and 5 civilians",
            51,
        ),
        ("Strikes kill 8 in Gaza City. Since the war began, more than 30,000 people have been killed", 8),
        ("Shelling kills 14 soldiers on the border. The 2020 war killed more than 6,500 people", 14),
        # only a period toll: it is still the figure the headline states
        ("About 200 fighters were killed in 11 days of clashes", 200),
        ("3 soldiers and 2 civilians were killed in shelling", 5),
        # neighbours of the same kind are one toll too
        ("Shelling kills a boy and a girl in a village near the front line", 2),
        ("Gunmen kill a nurse and 3 patients in a raid on the clinic", 4),
        ("Protesters gathered in the capital for a third day", None),
        # a bare noun in the list, and one person named by a possessive
        ("Landmine kills three herders, boy in northern Mali", 4),
        ("Assailants shot dead a village chief and his driver near Djibo", 2),
        ("Two policemen and an interpreter died when the convoy was ambushed", 3),
        # a running total brought to a figure over a period is not the event's
        ("A drone strike killed 6 people, bringing the number of civilians killed this month to 48", 6),
        ("The toll from last week's landslide has risen to 52", 52),
        # a headline's "One" before what befell them; the bomber and his victims share the verb
        ("One dead, 7 wounded in grenade attack on bar in Bujumbura", 1),
        ("Bomber blows up car, killing himself and 6 guards at checkpoint", 6),
        # plain nouns of people that name a trade; a hyphenated name goes on to its noun
        ("Bodies of 9 abducted miners found near Zamora", 9),
        ("Troops kill 35 Boko-Haram fighters in Sambisa raid", 35),
        # short reports: an earlier event, the conflict's toll after the first sentence, a revision,
        # victims added with "also", an ordinal victim, an upper bound, a range in words
        ("Raiders killed 14 herders near Bor on Sunday. Last year, a similar raid killed 40.", 14),
        ("Shelling killed 9 people in Kherson. The war has killed more than 10,000 civilians since 2022.", 9),
        ("Drones hit a fuel depot in Sennar. Sudan's war has killed tens of thousands since 2023.", None),
        ("The army first said 7 soldiers died in the ambush. It later raised the toll to 12.", 12),
        ("Four guards died in the attack on the prison. Two inmates were also killed.", 6),
        ("Three children died when the roof collapsed after a strike. A fourth child died in hospital.", 4),
        ("At least five miners, and possibly as many as nine, were killed by the gunmen.", 5),
        ("Bandits killed between twenty and thirty villagers in Zamfara.", 20),
    ],
)
def test_headline_killed(nlp: Language, headline: str, expected: float | None) -> None:
    assert read(nlp, headline) == expected


def test_a_number_that_is_a_date_or_duration_does_not_state_the_toll() -> None:
    assert not _literal("Violent attack on the town after 4 days of fighting", [4.0])
    assert not _literal("Day 2 of the operation continues", [2.0])
    assert not _literal("January 6th 2017: (S381) Dabban", [6.0])
    assert _literal("Shelling kills 4 civilians", [4.0])
    # a count of things is not a toll either
    assert not _literal("2 explosions in the city kill 5 women", [2.0])
    assert not _literal("About 4 helicopters shell the town", [4.0])
    assert not _literal("Attacks leave 2350 casualties in 5 bloody days", [5.0])
    assert _literal("Violent attack on the town after 4 days of fighting", [4.0], strict=False)


def test_place_metrics_through_the_pipeline() -> None:
    from whatweknow.evaluate.fatalities import place_metrics

    items = [
        {"id": "a", "text": "Regime shelling kills 3 civilians in Aleppo", "published_at": "2016-01-01",
         "gold": {"latitude": 36.2021, "longitude": 37.1343}},
        {"id": "b", "text": "Warplanes bomb Idlib countryside", "published_at": "2016-01-01",
         "gold": {"latitude": 36.2021, "longitude": 37.1343}},
        {"id": "c", "text": "Clashes continue", "published_at": "2016-01-01",
         "gold": {"latitude": 36.2021, "longitude": 37.1343}},
    ]  # fmt: skip
    got = place_metrics(items)
    assert got["n"] == 3
    assert got["placed_share"] == round(2 / 3, 4)  # "Clashes continue" names no place: null
    assert got["acc25"] == 0.5  # Aleppo is; Idlib is about 60 km from Aleppo
    assert got["acc161"] == 1.0
