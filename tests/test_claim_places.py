"""Which place a claim is located at: the scene, not the seat of the one speaking."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from whatweknow.ingest.readers import RawDoc
from whatweknow.pipeline import Pipeline, make_document


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def claim_places(pipeline: Pipeline, text: str) -> set[str | None]:
    doc = make_document(RawDoc(text=text, id="t", published_at=datetime(2022, 9, 13, tzinfo=UTC)))
    ex = next(iter(pipeline.pipe_documents([doc])))
    return {c.place.name if c.place else None for c in ex.claims if not c.is_report}


def test_a_speaker_seat_is_not_the_scene(pipeline: Pipeline) -> None:
    got = claim_places(pipeline, "The Defence Ministry in Baku said 42 soldiers had died in the fighting.")
    assert "Baku" not in got


def test_a_capital_speaking_is_not_the_scene(pipeline: Pipeline) -> None:
    got = claim_places(pipeline, "Neither Yerevan nor Baku immediately commented on the shelling.")
    assert not got & {"Yerevan", "Baku"}


def test_witnesses_keep_their_town(pipeline: Pipeline) -> None:
    assert "Goris" in claim_places(pipeline, "Residents in Goris said shells fell on the town overnight.")
    assert "Goris" in claim_places(pipeline, "Fighting in Goris killed 10 people, the ministry said.")


def test_the_attacker_is_not_the_victim(pipeline: Pipeline) -> None:
    text = "Russian forces shelled the central market in Kramatorsk on Tuesday, killing one person and wounding six."
    doc = make_document(RawDoc(text=text, id="t", published_at=datetime(2022, 7, 5, tzinfo=UTC)))
    ex = next(iter(pipeline.pipe_documents([doc])))
    counted = [c.quantity for c in ex.claims if c.quantity is not None]
    assert counted and all(q.victims is None or q.victims.country != "RUS" for q in counted)
    # the subject of a passive is the victim, and so is one who lost its own
    text = "The number of Armenian soldiers killed has risen to 105, the ministry said."
    doc = make_document(RawDoc(text=text, id="t", published_at=datetime(2022, 9, 14, tzinfo=UTC)))
    ex = next(iter(pipeline.pipe_documents([doc])))
    assert {c.quantity.victims.country for c in ex.claims if c.quantity and c.quantity.victims} == {"ARM"}


def test_where_it_was_told_is_not_the_scene(pipeline: Pipeline) -> None:
    text = (
        "Guterres was concerned by reported strikes on settlements inside Armenia, "
        "the spokesman told reporters in New York."
    )
    doc = make_document(RawDoc(text=text, id="t", published_at=datetime(2022, 9, 13, tzinfo=UTC)))
    ex = next(iter(pipeline.pipe_documents([doc])))
    violent = [c for c in ex.claims if not c.is_report and c.event_type.id != "none"]
    # strikes on settlements are attacks, not a labour protest, and they were not in New York
    assert violent and all(c.event_type.id != "peaceful_protest" for c in violent)
    assert all(c.place is None or c.place.name != "New York City" for c in violent)


def test_the_agent_of_a_passive_is_not_the_scene(pipeline: Pipeline) -> None:
    got = claim_places(
        pipeline, "Fighting resumed after an earlier truce announced by Russia on Tuesday failed."
    )
    assert "Russia" not in got


def test_the_place_hit_is_the_scene(pipeline: Pipeline) -> None:
    # the object of a verb that acts on a place is the scene ("accused Baku" is a government)
    assert "Kharkiv" in claim_places(pipeline, "Russian missiles struck Kharkiv, killing three.")
    assert "Gaza" in claim_places(pipeline, "Israel bombed Gaza.")
    assert "Baku" not in claim_places(pipeline, "Armenia accused Baku of shelling Jermuk.")


def test_a_seat_of_government_places_only_what_happens_at_it(pipeline: Pipeline) -> None:
    """ "Pentagon officials said" does not put the killing at the Pentagon; a protest outside
    the White House is there."""
    said = claim_places(
        pipeline, "Pentagon officials said 3 soldiers were killed in an attack in Deir ez-Zor, Syria."
    )
    assert said == {"Deir ez-Zor"}
    protest = claim_places(pipeline, "Protesters clashed with police outside the White House on Sunday.")
    assert protest == {"White House"}


def test_an_outlet_named_for_a_city_is_not_the_scene(pipeline: Pipeline) -> None:
    got = claim_places(pipeline, "The New York Times has reported that 12 people were killed.")
    assert got == {None}
    got = claim_places(pipeline, "Shelling killed 3 people in Kharkiv, the Kyiv Independent reported.")
    assert got == {"Kharkiv"}


def test_a_clause_after_a_speaker_s_content_is_the_outlet_s(pipeline: Pipeline) -> None:
    """ "Moscow said a ceasefire had been agreed, and as both countries continued to trade
    accusations": the accusations are narrated by the outlet, not claimed by Moscow."""
    text = (
        "The appeal came hours after Moscow said a ceasefire had been agreed, and as both countries "
        "continued to trade accusations over who had started the fighting."
    )
    doc = make_document(
        RawDoc(text=text, id="t", source="Wire", published_at=datetime(2022, 9, 13, tzinfo=UTC))
    )
    ex = next(iter(pipeline.pipe_documents([doc])))
    accusing = [c for c in ex.claims if c.event_type.id == "accuse"]
    assert accusing and all(c.claimant is None or c.claimant.kind == "media" for c in accusing)
    agreed = [c for c in ex.claims if c.event_type.id == "agree"]
    assert agreed and all(c.claimant is not None and c.claimant.country == "RUS" for c in agreed)


def test_a_hyphenated_modifier_is_not_the_scene(pipeline: Pipeline) -> None:
    # who backs them, where the monitor sits: not where the fighting was
    text = "Clashes between Ankara-backed factions and the SDF killed 9 fighters."
    assert "Ankara" not in claim_places(pipeline, text)
    text = "A London-based monitor said 4 civilians were killed in shelling on Maarat al-Numan."
    got = claim_places(pipeline, text)
    assert "London" not in got
