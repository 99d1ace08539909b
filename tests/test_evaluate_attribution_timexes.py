"""The attribution and timex scorers on hand-made inputs, and the weekend rule they exposed."""

from __future__ import annotations

from datetime import UTC, datetime

from spacy.language import Language

from whatweknow.evaluate.attribution import Triple, score_passage, token_f1
from whatweknow.evaluate.timexes import _lenient, value_category
from whatweknow.extract.times import find_times


def test_token_f1() -> None:
    assert token_f1(frozenset({0, 4, 8}), frozenset({0, 4})) == 0.8
    assert token_f1(frozenset(), frozenset()) == 1.0
    assert token_f1(frozenset({1}), frozenset({2})) == 0.0


def test_score_passage_leaves_cue_and_source_out_of_content() -> None:
    text = "The militants, the police chief said, had crossed the border."
    gold = [Triple(source=(15, 31), cue=(32, 36), content=(0, 60))]
    # a prediction covering the clause only, without the parenthetical, scores 1.0
    pred = [Triple(source=(15, 31), cue=(32, 36), content=(0, 60))]
    res = score_passage(text, gold, pred)
    assert res["match"] == {0: 0} and res["content"] == [1.0] and res["source"] == [1.0]
    # a missing prediction gives 0 for the gold, and a spurious one 0 on the prediction side
    res2 = score_passage(text, gold, [Triple(source=None, cue=(4, 13), content=(15, 31))])
    assert res2["content"] == [0.0] and res2["pred_content"] == [0.0]


def test_value_category_and_lenient() -> None:
    assert value_category("2022-09-12TNI") == "day_part"
    assert value_category("2022-09-13T09:00+03:00") == "time"
    assert value_category("2022-W36-WE") == "weekend"
    assert value_category("199") == "decade"
    assert value_category("2020-FA") == "season"
    assert _lenient("2022-09-13", "2022-09")
    assert not _lenient("2022-09-13", "2022-09-12")
    assert not _lenient("2022-W37", "2022-09")


def test_over_the_weekend(nlp: Language) -> None:
    sunday = datetime(2020, 11, 8, 12, tzinfo=UTC)
    out = find_times(nlp("Clashes resumed over the weekend in Tigray."), sunday)
    assert [(t.text, t.span, t.value) for t in out] == [("the weekend", (21, 32), "2020-W45-WE")]
    tuesday = datetime(2022, 9, 13, 12, tzinfo=UTC)
    out2 = find_times(nlp("Clashes resumed over the weekend."), tuesday)
    assert [t.value for t in out2] == ["2022-W36-WE"]
    out3 = find_times(nlp("Talks will resume next weekend."), sunday)
    assert [t.value for t in out3] == ["2020-W46-WE"]
