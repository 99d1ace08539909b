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
    assert a.content.text == "that battles took place at several points"
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
    pm = Actor(name="Nikol Pashinyan", actor_id="person:nikol-pashinyan", kind="person", country="ARM",
               span=(24, 39))
    _, out = _attrs(nlp, text, [pm])
    assert out[0].speaker is pm
    assert out[0].content.text == "that 49 soldiers were killed"


def test_pronoun_takes_previous_speaker(nlp: Language) -> None:
    text = "Josep Borrell announced a mission on Monday. He said that talks would follow."
    eu = Actor(name="Josep Borrell", kind="person", country="EU", span=(0, 13))
    _, out = _attrs(nlp, text, [eu])
    said = [a for a in out if a.cue.text == "said"]
    assert said and said[0].speaker is eu


def test_plain_sentence_has_no_attribution(nlp: Language) -> None:
    _, out = _attrs(nlp, "Clashes broke out on the border overnight.")
    assert out == []
