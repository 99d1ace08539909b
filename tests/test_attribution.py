from __future__ import annotations

from spacy.language import Language

from whatweknow.extract.attribution import find_attributions
from whatweknow.model import Actor


def _attrs(nlp: Language, text: str, actors: list[Actor] | None = None):
    doc = nlp(text)
    return doc, find_attributions(doc, actors or [])


def test_subject_said_with_complement(nlp: Language) -> None:
    text = "The Armenian Ministry of Defense clarified that battles took place at several points."
    _, out = _attrs(nlp, text)
    assert len(out) == 1
    a = out[0]
    assert a.source is not None and a.source.text == "The Armenian Ministry of Defense"
    assert a.source.span == (0, 32)
    assert a.cue.text == "clarified"
    assert a.content.text == "battles took place at several points"
    assert a.content.span == (48, 84)
    assert text[a.content.span[0] : a.content.span[1]] == a.content.text


def test_inverted_speaker_after_quote(nlp: Language) -> None:
    text = "“We call on the parties to exercise restraint,” again urged the Russian Foreign Ministry."
    _, out = _attrs(nlp, text)
    urged = [a for a in out if a.cue.text == "urged"]
    assert urged and urged[0].source is not None
    assert urged[0].source.text == "the Russian Foreign Ministry"


def test_according_to(nlp: Language) -> None:
    text = "The ceasefire has been in force since Tuesday morning, according to Moscow."
    _, out = _attrs(nlp, text)
    acc = [a for a in out if a.cue.text == "according to"]
    assert len(acc) == 1
    assert acc[0].source is not None and acc[0].source.text == "Moscow"
    assert acc[0].content.text.startswith("The ceasefire has been in force")


def test_speaker_resolves_to_actor_inside_source(nlp: Language) -> None:
    text = "Armenian Prime Minister Nikol Pashinyan said that 49 soldiers were killed."
    pm = Actor(
        name="Nikol Pashinyan", actor_id="person:nikol-pashinyan", kind="person", country="ARM", span=(24, 39)
    )
    _, out = _attrs(nlp, text, [pm])
    assert out[0].speaker is pm
    assert out[0].content.text == "49 soldiers were killed"


def test_pronoun_takes_previous_speaker(nlp: Language) -> None:
    text = "Josep Borrell announced a mission on Monday. He said that talks would follow."
    eu = Actor(name="Josep Borrell", kind="person", country="EU", span=(0, 13))
    _, out = _attrs(nlp, text, [eu])
    said = [a for a in out if a.cue.text == "said"]
    assert said and said[0].speaker is eu


def test_plain_sentence_has_no_attribution(nlp: Language) -> None:
    _, out = _attrs(nlp, "Clashes broke out on the border overnight.")
    assert out == []


def _by_cue(out, cue: str):
    found = [a for a in out if a.cue.text == cue]
    assert found, f"no attribution with cue {cue!r}: {[a.cue.text for a in out]}"
    return found[0]


def test_source_drops_participial_and_relative_modifiers(nlp: Language) -> None:
    text = "A senior US official, speaking on condition of anonymity, said Washington had warned Kyiv."
    _, out = _attrs(nlp, text)
    assert len(out) == 1  # "warned Kyiv" inside the content is not a cue of its own
    a = out[0]
    assert a.source is not None and a.source.text == "A senior US official" and a.source.span == (0, 20)
    assert a.content.text == "Washington had warned Kyiv" and a.content.span == (63, 89)
    text2 = '"There were bodies in the street," said one resident, who asked not to be named.'
    _, out2 = _attrs(nlp, text2)
    said = _by_cue(out2, "said")
    assert said.source is not None and said.source.text == "one resident"
    assert said.content.text == "There were bodies in the street" and said.content.span == (1, 32)


def test_participle_adding_is_a_second_attribution(nlp: Language) -> None:
    text = (
        "The Israeli military said it had struck a Hamas command centre, "
        "adding that the building was used to store weapons."
    )
    _, out = _attrs(nlp, text)
    said, adding = _by_cue(out, "said"), _by_cue(out, "adding")
    assert said.content.text == "it had struck a Hamas command centre"
    assert adding.source is not None and adding.source.text == "The Israeli military"
    assert adding.content.text == "the building was used to store weapons"
    assert adding.content.span == (76, 114)


def test_accused_of_keeps_the_accused(nlp: Language) -> None:
    text = "Venezuela's government accused the opposition of plotting a coup with foreign help."
    _, out = _attrs(nlp, text)
    acc = _by_cue(out, "accused")
    assert acc.source is not None and acc.source.text == "Venezuela's government"
    assert acc.content.text == "the opposition of plotting a coup with foreign help"
    assert acc.content.span == (31, 82)


def test_circumstantial_clause_is_not_content(nlp: Language) -> None:
    text = (
        "Armenia and Azerbaijan accused each other of shelling border villages on Monday, "
        "while Russia urged them to respect the truce."
    )
    _, out = _attrs(nlp, text)
    acc, urged = _by_cue(out, "accused"), _by_cue(out, "urged")
    assert acc.content.text == "each other of shelling border villages on Monday"
    assert urged.source is not None and urged.source.text == "Russia"
    assert urged.content.text == "them to respect the truce"


def test_object_content_for_report_and_claim(nlp: Language) -> None:
    text = "The OSCE monitoring mission reported more than 400 ceasefire violations in the Donetsk region."
    _, out = _attrs(nlp, text)
    assert _by_cue(out, "reported").content.text == "more than 400 ceasefire violations in the Donetsk region"
    text2 = "The Islamic State group claimed responsibility for the attack in a statement posted online."
    _, out2 = _attrs(nlp, text2)
    assert _by_cue(out2, "claimed").content.text == "responsibility for the attack"
    text3 = "The Ethiopian government rejected accusations that its forces had blocked food aid."
    _, out3 = _attrs(nlp, text3)
    assert _by_cue(out3, "rejected").content.text == "accusations that its forces had blocked food aid"
    _, out4 = _attrs(nlp, "Hamas rejected every offer.")
    assert out4 == []


def test_negated_indirect_question_is_not_an_attribution(nlp: Language) -> None:
    _, out = _attrs(nlp, "It did not say where the launchers were located.")
    assert out == []


def test_as_reported_inversion(nlp: Language) -> None:
    text = "As reported the Ministry of Defence of Armenia, the enemy used artillery and drones."
    _, out = _attrs(nlp, text)
    a = _by_cue(out, "reported")
    assert a.source is not None and a.source.text == "the Ministry of Defence of Armenia"
    assert a.content.text == "the enemy used artillery and drones" and a.content.span == (48, 83)


def test_trailing_cue_and_parenthetical(nlp: Language) -> None:
    text = "Eritrean troops have not left Tigray, the African Union envoy acknowledged in an interview."
    _, out = _attrs(nlp, text)
    a = _by_cue(out, "acknowledged")
    assert a.source is not None and a.source.text == "the African Union envoy"
    assert a.content.text == "Eritrean troops have not left Tigray" and a.content.span == (0, 36)
    text2 = "The militants, the police chief said, had crossed from Afghanistan during the night."
    _, out2 = _attrs(nlp, text2)
    b = _by_cue(out2, "said")
    assert b.source is not None and b.source.text == "the police chief"
    assert b.content.span == (0, 83)


def test_in_his_words(nlp: Language) -> None:
    text = "In his words, the Russian side had been informed about the flight in advance."
    _, out = _attrs(nlp, text)
    a = _by_cue(out, "In his words")
    assert a.source is not None and a.source.text == "his"
    assert a.content.text == "the Russian side had been informed about the flight in advance"


def test_a_relative_clause_set_off_by_commas_leaves_the_source(nlp: Language) -> None:
    """ "A resident, who asked not to be named, said": the source is "A resident"."""
    text = "A resident, who asked not to be named, said soldiers had looted shops in the market."
    _, out = _attrs(nlp, text)
    assert len(out) == 1 and out[0].source is not None
    assert out[0].source.text == "A resident" and out[0].source.span == (0, 10)


def _triples(out: list) -> list[tuple[str | None, str, str]]:  # type: ignore[type-arg]
    return [(a.source.text if a.source else None, a.cue.text, a.content.text) for a in out]


def test_two_speakers_joined_by_while(nlp: Language) -> None:
    text = (
        "The rebels said they had shot down a drone, while the army told journalists "
        "no aircraft had been lost."
    )
    _, out = _attrs(nlp, text)
    said = [t for t in _triples(out) if t[1] == "said"]
    assert said == [("The rebels", "said", "they had shot down a drone")]


def test_a_second_cue_joined_by_and_shares_the_speaker(nlp: Language) -> None:
    text = (
        "The governor told a press briefing that the roads were open again, and insisted "
        "that food stocks would last the winter."
    )
    _, out = _attrs(nlp, text)
    got = _triples(out)
    assert ("The governor", "told", "the roads were open again") in got
    assert ("The governor", "insisted", "food stocks would last the winter") in got


def test_medium_clause_aside_called_on_and_a_silence(nlp: Language) -> None:
    # the parser hangs "that ..." on "a statement"
    _, out = _attrs(nlp, "The army said in a statement that two posts had been overrun.")
    assert _triples(out) == [("The army", "said", "two posts had been overrun")]
    # an anonymous speaker introduced by a participle
    _, out = _attrs(nlp, "Speaking on condition of anonymity, an aid worker in Goma said the camp was full.")
    assert _triples(out) == [("an aid worker in Goma", "said", "the camp was full")]
    # a relative clause hung on any word of the speaker's phrase is not the speaker
    _, out = _attrs(nlp, "An officer in Herat, who was not authorised to speak, said the border was shut.")
    assert _triples(out)[0][0] == "An officer in Herat"
    _, out = _attrs(nlp, "The council called on both sides to release their prisoners.")
    assert _triples(out) == [("The council", "called on", "both sides to release their prisoners")]
    # saying nothing is no attribution
    _, out = _attrs(nlp, "Troops shelled the ridge overnight; the rebels did not immediately comment.")
    assert [t for t in _triples(out) if t[1] == "comment"] == []


def test_a_quotation_split_by_its_cue_is_one_content(nlp: Language) -> None:
    text = '"The corridor is open," said Lt. Col. Amara Diallo, the army spokesman, "but only by day."'
    _, out = _attrs(nlp, text)
    assert [(a.cue.text, a.content.text) for a in out] == [
        ("said", 'The corridor is open," said Lt. Col. Amara Diallo, the army spokesman, "but only by day')
    ]


def test_according_to_a_statement_and_a_contrast(nlp: Language) -> None:
    text = "Three aid workers were killed, according to a statement from the Red Cross, although the army said it had not fired."
    _, out = _attrs(nlp, text)
    acc = [a for a in out if a.cue.text == "according to"]
    assert len(acc) == 1 and acc[0].source is not None
    assert acc[0].source.text == "the Red Cross"
    assert acc[0].content.text == "Three aid workers were killed"
    # "without saying where" says nothing
    _, out = _attrs(nlp, "The group confirmed the deaths of two fighters without saying where they died.")
    assert [a.cue.text for a in out] == ["confirmed"]
