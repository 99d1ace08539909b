"""The 'what we know' brief, built from hand-made events and claims (figures from FACTS.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import Any

import pytest
from rich.console import Console
from spacy.language import Language

from whatweknow.model import (
    Actor,
    Claim,
    Counted,
    Document,
    Event,
    EventType,
    Figure,
    FigurePoint,
    Place,
    Quantity,
    TextSpan,
    TimeSpan,
    Victims,
)
from whatweknow.report import brief as br

PLUS4 = timezone(timedelta(hours=4))
PLUS2 = timezone(timedelta(hours=2))

CLASH = EventType("armed_clash", "Battles", "Armed clash", "FIGHT", "19")
SHELLING = EventType(
    "shelling_artillery_missile",
    "Explosions/Remote violence",
    "Shelling/artillery/missile attack",
    "ASSAULT",
    "18",
)
ACCUSE = EventType("accuse", None, None, "ACCUSE", "11")
APPEAL = EventType("request_appeal", None, None, "REQUEST", "02")
MEDIATE = EventType("mediate", None, None, "CONSULT", "04")

ARM_PM = Actor("Nikol Pashinyan", "person:pashinyan", "person", "ARM", "prime minister")
ARM_SC = Actor("Armenian Security Council", "ARM:security_council", "government", "ARM")
ARM_MOD = Actor("Armenian Defence Ministry", "ARM:mod", "government", "ARM", "defence ministry")
ARM_FORCES = Actor("Armenian armed forces", "ARM:military", "state_forces", "ARM")
AZE_MOD = Actor("Azerbaijani Defence Ministry", "AZE:mod", "government", "AZE", "defence ministry")
AZE_FORCES = Actor("Azerbaijani armed forces", "AZE:military", "state_forces", "AZE")
CSTO = Actor("CSTO", "igo:csto", "igo", None)
EU = Actor("European Union", "igo:eu", "igo", "EU")
MICHEL = Actor("Charles Michel", "person:michel", "person", "EU", "European Council president")

TEXTS: dict[str, tuple[str, str, datetime, str]] = {
    # id: (source, title, published_at, text)
    "d-mod": (
        "Caucasus Wire",
        "Armenia says Azerbaijani forces shelled border towns overnight",
        datetime(2022, 9, 13, 6, 40, tzinfo=PLUS4),
        "Armenia's Defence Ministry said Azerbaijani forces opened heavy fire on Armenian positions "
        "shortly after midnight on Tuesday, striking areas around the towns of Goris, Sotk and Jermuk.",
    ),
    "d-az": (
        "Meridian News",
        "Baku accuses Armenia of 'large-scale provocation' on the border",
        datetime(2022, 9, 13, 8, 15, tzinfo=PLUS4),
        "Azerbaijan's Defence Ministry accused Armenian forces on Tuesday of staging a "
        '"large-scale provocation" along the border in the Dashkasan, Kalbajar and Lachin directions.',
    ),
    "d-49": (
        "Geneva Dispatch",
        "Pashinyan says 49 Armenian soldiers killed",
        datetime(2022, 9, 13, 11, 40, tzinfo=PLUS2),
        "Armenian Prime Minister Nikol Pashinyan said on Tuesday that 49 Armenian servicemen had been "
        'killed in the overnight fighting, warning that this was "unfortunately not the final number".'
        "\n\nArmenia's Security Council decided to ask the Collective Security Treaty Organization "
        "(CSTO) for help.",
    ),
    "d-eu": (
        "Continental Report",
        "EU calls for end to hostilities",
        datetime(2022, 9, 13, 17, 30, tzinfo=PLUS2),
        "The European Union on Tuesday called for an immediate end to the hostilities between Armenia "
        "and Azerbaijan.\n\nEU foreign policy chief Josep Borrell said European Council President "
        "Charles Michel was in contact with the leaders of both countries.",
    ),
    "d-50": (
        "Caucasus Wire",
        "Azerbaijan says 50 of its troops killed",
        datetime(2022, 9, 13, 19, 5, tzinfo=PLUS4),
        "Azerbaijan said on Tuesday evening that 50 of its servicemen had been killed in the fighting "
        "with Armenian forces.",
    ),
    "d-bg": (
        "Atlas Review",
        "Explainer: why Armenia and Azerbaijan keep fighting",
        datetime(2022, 9, 13, 15, 0, tzinfo=timezone(timedelta(hours=1))),
        "The war that followed in the early 1990s killed about 30,000 people and drove hundreds of "
        "thousands from their homes.",
    ),
    "d-105": (
        "Caucasus Wire",
        "Armenian death toll rises to 105",
        datetime(2022, 9, 14, 14, 0, tzinfo=PLUS4),
        "The number of Armenian soldiers killed in the fighting with Azerbaijan has risen to 105, "
        "Prime Minister Nikol Pashinyan told parliament on Wednesday.",
    ),
    "d-207": (
        "Geneva Dispatch",
        "Armenia says 207 dead and missing",
        datetime(2022, 9, 19, 20, 0, tzinfo=PLUS2),
        "Armenia's Security Council said on Monday that 207 people had been killed or were missing "
        "as a result of last week's Azerbaijani attack, including three civilians who were killed."
        "\n\nIt said 293 servicemen and three civilians had been wounded.",
    ),
    "d-80": (
        "Atlas Review",
        "Azerbaijan's military death toll reaches 80",
        datetime(2022, 9, 19, 18, 30, tzinfo=timezone(timedelta(hours=1))),
        "Azerbaijan's Defence Ministry on Monday put the number of its servicemen killed in last "
        "week's fighting with Armenia at 80.",
    ),
}


def make_docs() -> dict[str, Document]:
    return {
        i: Document(text=t, id=i, source=s, title=ti, published_at=p, url=f"https://example.org/{i}")
        for i, (s, ti, p, t) in TEXTS.items()
    }


class Kit:
    """Builds claims whose evidence is the spaCy sentence holding a phrase."""

    def __init__(self, nlp: Language, docs: dict[str, Document]) -> None:
        self.nlp = nlp
        self.docs = docs

    def sentence(self, doc_id: str, phrase: str) -> TextSpan:
        text = self.docs[doc_id].text
        at = text.index(phrase)
        for para_start, para in _paragraphs(text):
            if para_start <= at < para_start + len(para):
                for sent in self.nlp(para).sents:
                    s, e = para_start + sent.start_char, para_start + sent.end_char
                    if s <= at < e:
                        return TextSpan(text[s:e], (s, e))
        raise AssertionError(phrase)

    def claim(self, cid: str, doc_id: str, phrase: str, et: EventType, **kw: Any) -> Claim:
        return Claim(id=cid, doc_id=doc_id, event_type=et, evidence=self.sentence(doc_id, phrase), **kw)

    def qty(
        self, doc_id: str, number: str, value: float, counted: Counted, country: str | None, **kw: Any
    ) -> Quantity:
        text = self.docs[doc_id].text
        s = text.index(number)
        return Quantity(
            number,
            (s, s + len(number)),
            value=value,
            counted=counted,
            victims=Victims(country=country),
            **kw,
        )


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for para in text.split("\n\n"):
        out.append((pos, para))
        pos += len(para) + 2
    return out


def point(
    c: Claim, value: float, who: str, country: str, docs: dict[str, Document], q: str = "exact"
) -> FigurePoint:
    return FigurePoint(c.id, c.doc_id, value, value, None, q, who, country, docs[c.doc_id].published_at)


def goris() -> Place:
    return Place("Goris", (0, 0), "Goris", 39.5111, 46.3417, "ARM", "Syunik", "town", 616629)


def build(nlp: Language) -> tuple[list[Event], list[Claim], dict[str, Document]]:
    docs = make_docs()
    k = Kit(nlp, docs)
    sotk = Place("Sotk", (0, 0), "Sotk", 40.2, 45.87, "ARM", "Gegharkunik", "town")
    jermuk = Place("Jermuk", (0, 0), "Jermuk", 39.8417, 45.6722, "ARM", "Vayots Dzor", "town")
    c_mod = k.claim(
        "c-mod", "d-mod", "opened heavy fire", SHELLING,
        claimant=ARM_MOD, agent=AZE_FORCES, target=ARM_FORCES, place=goris(),
    )  # fmt: skip
    c_acc = k.claim("c-acc", "d-az", "provocation", ACCUSE, claimant=AZE_MOD, target=ARM_FORCES)
    c_49 = k.claim(
        "c-49", "d-49", "49 Armenian", CLASH, claimant=ARM_PM, target=ARM_FORCES,
        quantity=k.qty("d-49", "49", 49, "killed", "ARM", qualifier="not_final"),
    )  # fmt: skip
    c_csto = k.claim("c-csto", "d-49", "CSTO", APPEAL, claimant=ARM_SC, agent=ARM_SC, target=CSTO)
    c_eu = k.claim(
        "c-eu", "d-eu", "called for an immediate end", APPEAL, claimant=EU, agent=EU, modality="called_for"
    )
    c_michel = k.claim("c-michel", "d-eu", "Charles Michel", MEDIATE, claimant=EU, agent=MICHEL)
    c_50 = k.claim(
        "c-50",
        "d-50",
        "50 of its",
        CLASH,
        claimant=AZE_MOD,
        quantity=k.qty("d-50", "50", 50, "killed", "AZE"),
    )
    c_bg = k.claim(
        "c-bg", "d-bg", "30,000", CLASH, is_background=True,
        quantity=k.qty("d-bg", "30,000", 30000, "killed", None, qualifier="about"),
        time=TimeSpan("the early 1990s", (26, 41), datetime(1990, 1, 1, tzinfo=UTC),
                      datetime(1994, 1, 1, tzinfo=UTC), "decade", "199"),
    )  # fmt: skip
    c_105 = k.claim(
        "c-105", "d-105", "105", CLASH, claimant=ARM_PM, quantity=k.qty("d-105", "105", 105, "killed", "ARM")
    )
    c_207 = k.claim(
        "c-207", "d-207", "207", CLASH, claimant=ARM_SC, quantity=k.qty("d-207", "207", 207, "killed", "ARM")
    )
    c_293 = k.claim(
        "c-293", "d-207", "293", CLASH, claimant=ARM_SC, quantity=k.qty("d-207", "293", 293, "injured", "ARM")
    )
    c_80 = k.claim(
        "c-80", "d-80", "at 80", CLASH, claimant=AZE_MOD, quantity=k.qty("d-80", "80", 80, "killed", "AZE")
    )
    clash_claims = [c_mod, c_acc, c_49, c_50, c_105, c_207, c_293, c_80]
    for c in clash_claims:
        c.event_id = "e-clash"
    c_bg.event_id = "e-bg"
    c_eu.event_id = "e-eu"
    claims = [c_mod, c_acc, c_49, c_csto, c_eu, c_michel, c_50, c_bg, c_105, c_207, c_293, c_80]

    arm_killed = Figure(
        "ARM", None, "killed", 207, 49, 207, "exact", ["c-49", "c-105", "c-207"],
        history=[
            point(c_49, 49, "Nikol Pashinyan", "ARM", docs, "not_final"),
            point(c_105, 105, "Nikol Pashinyan", "ARM", docs),
            point(c_207, 207, "Armenian Security Council", "ARM", docs),
        ],
        rule="latest own-side figure",
    )  # fmt: skip
    aze_killed = Figure(
        "AZE", "military", "killed", 80, 50, 80, "exact", ["c-50", "c-80"],
        history=[
            point(c_50, 50, "Azerbaijani Defence Ministry", "AZE", docs),
            point(c_80, 80, "Azerbaijani Defence Ministry", "AZE", docs),
        ],
    )  # fmt: skip
    arm_injured = Figure(
        "ARM", "military", "injured", 293, None, None, "exact", ["c-293"],
        history=[point(c_293, 293, "Armenian Security Council", "ARM", docs)],
    )  # fmt: skip
    e_clash = Event(
        id="e-clash",
        event_type=CLASH,
        start=datetime(2022, 9, 12, 20, 5, tzinfo=UTC),
        time_precision="hour",
        places=[goris(), sotk, jermuk],
        actors=[AZE_FORCES, ARM_FORCES],
        fatalities=[arm_killed, aze_killed],
        figures=[arm_injured],
        documents=["d-mod", "d-az", "d-49", "d-50", "d-105", "d-207", "d-80"],
        sources=["Caucasus Wire", "Meridian News", "Geneva Dispatch", "Atlas Review"],
        claims=[c.id for c in clash_claims],
        first_reported_at=docs["d-mod"].published_at,
        updated_at=docs["d-207"].published_at,
    )
    e_eu = Event(
        id="e-eu",
        event_type=APPEAL,
        # a day's window opens at local midnight: 13 Sep in Brussels (UTC+2)
        start=datetime(2022, 9, 12, 22, 0, tzinfo=UTC),
        time_precision="day",
        actors=[EU],
        documents=["d-eu"],
        sources=["Continental Report"],
        claims=["c-eu"],
        first_reported_at=docs["d-eu"].published_at,
    )
    e_bg = Event(
        id="e-bg",
        event_type=CLASH,
        start=datetime(1990, 1, 1, tzinfo=UTC),
        time_precision="decade",
        fatalities=[Figure(None, None, "killed", 30000, None, None, "about", ["c-bg"])],
        documents=["d-bg"],
        sources=["Atlas Review"],
        claims=["c-bg"],
        is_background=True,
    )
    # events deliberately out of time order
    return [e_eu, e_bg, e_clash], claims, docs


@pytest.fixture(scope="module")
def data(nlp: Language) -> tuple[list[Event], list[Claim], dict[str, Document]]:
    return build(nlp)


@pytest.fixture(scope="module")
def brief(data: tuple[list[Event], list[Claim], dict[str, Document]]) -> br.Brief:
    events, claims, docs = data
    return br.build_brief(events, claims, docs)


def section(b: br.Brief, key: str) -> br.Section:
    s = b.section(key)
    assert s is not None, key
    return s


# --------------------------------------------------------------------------- tests


def test_evidence_sentences_come_from_spacy(
    data: tuple[list[Event], list[Claim], dict[str, Document]],
) -> None:
    _events, claims, docs = data
    by_id = {c.id: c for c in claims}
    csto = by_id["c-csto"].evidence
    assert csto.span == (188, 290)
    assert csto.text.startswith("Armenia's Security Council decided")
    assert docs["d-49"].text[188:290] == csto.text
    assert by_id["c-49"].quantity is not None and by_id["c-49"].quantity.span == (61, 63)


def test_sections_in_order(brief: br.Brief) -> None:
    assert [s.key for s in brief.sections] == [
        "headline",
        "timeline",
        "accusations",
        "diplomacy",
        "background",
        "sources",
    ]
    assert brief.title == "What we know"


def test_headline_one_row_per_side_never_summed(brief: br.Brief) -> None:
    head = section(brief, "headline")
    assert head.columns is not None and head.columns[:3] == ["event", "side", "killed"]
    rows = {ln.cells["side"]: ln for ln in head.lines}
    assert set(rows) == {"Armenia", "Azerbaijan"}
    arm, aze = rows["Armenia"].cells, rows["Azerbaijan"].cells
    assert arm["killed"] == "207 (49–207)"
    assert arm["injured"] == "293 (military)"
    assert arm["who_says"] == "Armenian Security Council"
    assert arm["as_of"] == "19 Sep 2022"
    assert aze["killed"] == "80 (military; 50–80)"
    assert aze["who_says"] == "Azerbaijani Defence Ministry"
    assert arm["event"] == "Armed clash in Goris, Sotk and Jermuk, 12 Sep 2022 20:05 UTC"
    # no total of both sides anywhere in the table
    for ln in head.lines:
        assert "287" not in ln.text
    assert [c.claim_id for c in rows["Armenia"].citations] == ["c-207", "c-293"]
    assert rows["Armenia"].text.startswith(
        "Armenia: 207 (49–207) killed, 293 (military) injured, according to"
    )


def test_background_kept_apart(brief: br.Brief) -> None:
    head = section(brief, "headline")
    for ln in head.lines:
        assert "30,000" not in ln.text and all(c.claim_id != "c-bg" for c in ln.citations)
    for key in ("timeline", "accusations", "diplomacy"):
        for ln in section(brief, key).lines:
            assert all(c.claim_id != "c-bg" for c in ln.citations)
    bg = section(brief, "background")
    assert [ln.text for ln in bg.lines] == ["1990s: Armed clash; about 30,000 killed."]
    assert bg.lines[0].citations[0].sentence_text.startswith("The war that followed in the early 1990s")


def test_timeline_sorted_by_start_and_templated(brief: br.Brief) -> None:
    tl = section(brief, "timeline")
    assert [ln.cells["event_id"] for ln in tl.lines] == ["e-clash", "e-eu"]
    assert tl.lines[0].text == (
        "12 Sep 2022 20:05 UTC: Armed clash in Goris, Sotk and Jermuk (Armenia); "
        "actors: Azerbaijani armed forces and Armenian armed forces; "
        "reported in 7 documents from 4 sources."
    )
    # the earliest-published evidence comes first
    assert [c.doc_id for c in tl.lines[0].citations] == ["d-mod", "d-az", "d-49"]
    assert tl.lines[1].text.startswith("13 Sep 2022: Request/appeal; actors: European Union")


def test_accusations(brief: br.Brief) -> None:
    acc = section(brief, "accusations")
    assert len(acc.lines) == 1
    ln = acc.lines[0]
    assert ln.cells["claimant"] == "Azerbaijani Defence Ministry"
    assert ln.cells["target"] == "Armenian armed forces"
    assert ln.text.startswith(
        "Azerbaijani Defence Ministry → Armenian armed forces (accuses, reported 13 Sep 2022): “"
    )
    assert '"large-scale provocation"' in ln.text
    assert ln.citations[0].sentence_text in ln.text


def test_diplomacy(brief: br.Brief) -> None:
    dip = section(brief, "diplomacy")
    kinds = [(ln.cells["kind"], ln.cells["who"], ln.cells["target"]) for ln in dip.lines]
    assert kinds == [
        ("request/appeal", "Armenian Security Council", "CSTO"),
        ("request/appeal", "European Union", ""),
        ("mediation", "Charles Michel", ""),
    ]


def test_every_line_cited_and_every_citation_resolves(
    brief: br.Brief, data: tuple[list[Event], list[Claim], dict[str, Document]]
) -> None:
    _e, _c, docs = data
    for s in brief.sections:
        for ln in s.lines:
            assert ln.citations, (s.key, ln.text)
            for c in ln.citations:
                assert docs[c.doc_id].text[c.span[0] : c.span[1]] == c.sentence_text
                assert c.n >= 1
    nums = [c.n for c in brief.citations()]
    assert nums == list(range(1, len(nums) + 1))


def test_sources_list_cited_documents(brief: br.Brief) -> None:
    src = section(brief, "sources")
    ids = [ln.cells["doc_id"] for ln in src.lines]
    assert ids[0] == "d-207"  # first cited (headline row, Armenia)
    # only cited documents: the superseded 105 and 50 reports are not cited without --since
    assert set(ids) == set(TEXTS) - {"d-105", "d-50"}
    d49 = next(ln for ln in src.lines if ln.cells["doc_id"] == "d-49")
    assert d49.text == (
        "Geneva Dispatch — Pashinyan says 49 Armenian soldiers killed, 13 Sep 2022 09:40 UTC, "
        "https://example.org/d-49"
    )
    assert brief.n_documents == 7 and brief.n_sources == 5


def test_since_lists_revised_figures(data: tuple[list[Event], list[Claim], dict[str, Document]]) -> None:
    events, claims, docs = data
    b = br.build_brief(events, claims, docs, since=datetime(2022, 9, 13, 12, 0, tzinfo=UTC))
    ch = section(b, "changes")
    assert ch.title == "What changed since 13 Sep 2022 12:00 UTC"
    revised = [ln for ln in ch.lines if ln.cells.get("change") == "revised_figure"]
    assert [(ln.cells["old"], ln.cells["new"]) for ln in revised] == [
        ("49", "105"),
        ("105", "207"),
        ("50", "80"),
    ]
    assert revised[0].text == (
        "Revised figure — Armenia, killed: 49 → 105, according to Nikol Pashinyan, as of 14 Sep 2022 "
        "(previously 13 Sep 2022, Nikol Pashinyan)."
    )
    assert [c.claim_id for c in revised[0].citations] == ["c-49", "c-105"]
    new_figs = [ln.text for ln in ch.lines if ln.cells.get("change") == "new_figure"]
    assert new_figs[0].startswith("New figure — Azerbaijan (military), killed: 50")
    assert any(ln.cells.get("change") == "new_event" and "Request/appeal" in ln.text for ln in ch.lines)
    new_claims = [ln for ln in ch.lines if ln.cells.get("change") == "new_claim"]
    # background claims are never "new"; claims already shown as revisions are not repeated
    assert all(c.claim_id not in ("c-bg", "c-105") for ln in new_claims for c in ln.citations)
    since = b.since
    assert since is not None
    for ln in ch.lines:
        newest = max(docs[c.doc_id].published_at or since for c in ln.citations)
        assert newest > since, ln.text


def test_about_filters_by_place_and_actor(data: tuple[list[Event], list[Claim], dict[str, Document]]) -> None:
    events, claims, docs = data
    b = br.build_brief(events, claims, docs, about="Jermuk")
    assert b.title == "What we know about Jermuk"
    assert [ln.cells["event_id"] for ln in section(b, "timeline").lines] == ["e-clash"]
    assert len(section(b, "accusations").lines) == 1  # the accusation belongs to the clash
    assert section(b, "diplomacy").lines == []
    assert section(b, "background").lines == []
    b2 = br.build_brief(events, claims, docs, about="CSTO")
    assert [ln.cells["target"] for ln in section(b2, "diplomacy").lines] == ["CSTO"]
    assert section(b2, "headline").lines == []
    b3 = br.build_brief(events, claims, docs, about="Michel, Jermuk")
    assert len(section(b3, "diplomacy").lines) == 1 and len(section(b3, "timeline").lines) == 1


def test_stale_or_missing_evidence_is_repaired_or_dropped(
    data: tuple[list[Event], list[Claim], dict[str, Document]],
) -> None:
    events, claims, docs = data
    moved = [
        Claim(c.id, c.doc_id, c.event_type, TextSpan(c.evidence.text, (0, 5)), c.claimant, c.agent, c.target)
        if c.id == "c-acc"
        else c
        for c in claims
    ]
    b = br.build_brief(events, moved, docs)
    cit = section(b, "accusations").lines[0].citations[0]
    assert docs["d-az"].text[cit.span[0] : cit.span[1]] == cit.sentence_text
    assert cit.span == (0, len(docs["d-az"].text))
    eu_text = docs["d-eu"].text
    cut = eu_text.index("\n\n") + 2  # a pipeline sentence that runs into the blank line
    padded = [
        Claim(c.id, c.doc_id, c.event_type, TextSpan(eu_text[:cut], (0, cut)), c.claimant, c.agent)
        if c.id == "c-eu"
        else c
        for c in claims
    ]
    b = br.build_brief(events, padded, docs)
    eu = section(b, "diplomacy").lines[1].citations[0]
    assert eu.span == (0, 108) and eu.sentence_text == eu_text[:108]
    assert eu.sentence_text.endswith("between Armenia and Azerbaijan.")
    gone = [
        Claim(c.id, c.doc_id, c.event_type, TextSpan("Words that are not in the report.", (0, 5)), c.claimant)
        if c.id == "c-acc"
        else c
        for c in claims
    ]
    assert section(br.build_brief(events, gone, docs), "accusations").lines == []


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cites: list[tuple[str, str]] = []  # (href, title)
        self.anchors: set[str] = set()
        self.marks: dict[str, str] = {}
        self._li: str | None = None
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("class") == "cite":
            self.cites.append((a["href"] or "", a["title"] or ""))
        if a.get("id"):
            self.anchors.add(a["id"] or "")
        if tag == "li" and (a.get("id") or "").startswith("src-"):
            self._li = a["id"]
        if tag == "mark":
            self._in_mark = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data: str) -> None:
        if self._in_mark and self._li:
            self.marks[self._li] = self.marks.get(self._li, "") + data


def test_html_hover_titles_and_anchors(brief: br.Brief) -> None:
    html = br.to_html(brief)
    assert html.startswith("<!DOCTYPE html>")
    assert "http" not in html.split("<body>")[0]  # nothing loaded from outside
    p = _Links()
    p.feed(html)
    assert len(p.cites) >= 10
    for href, title in p.cites:
        target = href.removeprefix("#")
        assert target in p.anchors
        assert p.marks[target] == title  # the hover text is the highlighted sentence
    # quotes in sentences are escaped inside the attribute
    assert 'title="Armenian Prime Minister Nikol Pashinyan said on Tuesday that 49' in html
    assert "&#34;unfortunately not the final number&#34;" in html
    assert '<li id="src-1">' in html and "<mark>" in html
    assert "<th>Who says</th>" in html


def test_markdown(brief: br.Brief) -> None:
    md = br.to_markdown(brief)
    assert md.startswith("# What we know\n")
    assert "## Headline figures" in md and "## Background (history, not part of the current figures)" in md
    assert (
        "| Event | Side | Killed | Injured | Missing | Other | Who says | As of | Qualifier | Sources |" in md
    )
    assert '<a id="src-1"></a>[1] “' in md
    assert "[[1]](#src-1)" in md


def test_json_round_trips(brief: br.Brief) -> None:
    d = br.to_json(brief)
    again = json.loads(json.dumps(d))
    assert again["schema"] == "wwk/1"
    keys = [s["key"] for s in again["sections"]]
    assert keys[0] == "headline" and keys[-1] == "sources"
    cit = again["sections"][0]["lines"][0]["citations"][0]
    assert set(cit) >= {"doc_id", "claim_id", "span", "sentence_text", "source", "published_at", "n"}
    assert cit["published_at"] == "2022-09-19T18:00:00Z"


def test_rich_rendering(brief: br.Brief) -> None:
    console = Console(record=True, width=140, color_system=None)
    br.to_rich(brief, console)
    out = console.export_text()
    assert "Headline figures" in out and "Who says" in out
    assert "Armenian Security Council" in out
    assert "[1]" in out  # citation numbers are not eaten as markup


def test_empty_inputs() -> None:
    b = br.build_brief([], [], {})
    assert all(s.lines == [] for s in b.sections)
    assert "_Nothing reported._" in br.to_markdown(b)
    assert "Nothing reported." in br.to_html(b)


@pytest.mark.parametrize(
    ("start", "precision", "expected"),
    [
        # windows resolved in the place's time zone open at local midnight
        (datetime(2022, 9, 12, 20, 0, tzinfo=UTC), "day", "13 Sep 2022"),  # Yerevan, UTC+4
        (datetime(2022, 9, 13, 5, 0, tzinfo=UTC), "day", "13 Sep 2022"),  # New York, UTC-5
        (datetime(2019, 12, 31, 20, 0, tzinfo=UTC), "year", "2020"),
        (datetime(1989, 12, 31, 23, 0, tzinfo=UTC), "decade", "1990s"),
        (datetime(2022, 8, 31, 20, 0, tzinfo=UTC), "month", "Sep 2022"),
        # an hour is shown as it is, in UTC; a moment (no precision) as its UTC day
        (datetime(2022, 9, 12, 20, 5, tzinfo=UTC), "minute", "12 Sep 2022 20:05 UTC"),
        (datetime(2022, 9, 19, 18, 0, tzinfo=UTC), None, "19 Sep 2022"),
    ],
)
def test_fmt_date_reads_window_starts_as_local_days(
    start: datetime, precision: str | None, expected: str
) -> None:
    assert br.fmt_date(start, precision) == expected


def test_timeline_leaves_out_a_protest_it_can_say_nothing_about() -> None:
    from whatweknow import ontology
    from whatweknow.model import Actor, Event

    protest = ontology.get_type("peaceful_protest")
    bare = Event("e-bare", protest, actors=[Actor("Caucasus Wire", "media:cw", "media")])
    assert not br._in_timeline(bare)  # no date, no place, only the outlet
    assert br._in_timeline(Event("e-who", protest, actors=[Actor("Nikol Pashinyan", None, "person", "ARM")]))
    assert br._in_timeline(Event("e-when", protest, start=datetime(2022, 9, 13, tzinfo=UTC)))


def test_diplomacy_one_line_per_act(
    nlp: Language, data: tuple[list[Event], list[Claim], dict[str, Document]]
) -> None:
    """Two reports of one act (same event, party, kind and day) are one line citing both."""
    events, claims, docs = data
    again = Kit(nlp, docs).claim("c-eu2", "d-eu", "Charles Michel", APPEAL, claimant=EU, agent=EU)
    again.event_id = "e-eu"
    b = br.build_brief(events, [*claims, again], docs)
    eu = [ln for ln in section(b, "diplomacy").lines if ln.cells["who"] == "European Union"]
    assert len(eu) == 1
    assert eu[0].cells["reports"] == "2" and "(2 reports)" in eu[0].text
    assert [c.claim_id for c in eu[0].citations] == ["c-eu", "c-eu2"]
    assert section(b, "diplomacy").lines[0].cells["who"] == "Armenian Security Council"


def test_an_outlet_that_reports_an_act_is_not_its_party(
    nlp: Language, data: tuple[list[Event], list[Claim], dict[str, Document]]
) -> None:
    events, claims, docs = data
    outlet = Actor("Continental Report", "media:continental", "media", None)
    told = Kit(nlp, docs).claim("c-told", "d-eu", "Charles Michel", MEDIATE, claimant=outlet)
    b = br.build_brief(events, [c for c in claims if c.id != "c-michel"] + [told], docs)
    (ln,) = [ln for ln in section(b, "diplomacy").lines if ln.citations[0].claim_id == "c-told"]
    assert ln.cells["who"] == "An unnamed party"
    assert "mediation: An unnamed party (reported by Continental Report)" in ln.text


def test_troops_deployed_are_not_a_headline_figure(
    data: tuple[list[Event], list[Claim], dict[str, Document]],
) -> None:
    """The headline table is the human toll; "Russia deployed about 2,000 peacekeepers" is not."""
    import dataclasses

    events, claims, docs = data
    c50 = next(c for c in claims if c.id == "c-50")
    deployed = Figure(
        "RUS", "military", "deployed", 2000, None, None, "about", ["c-50"],
        history=[point(c50, 2000, "Atlas Review", "RUS", docs, "about")],
    )  # fmt: skip
    clash = next(e for e in events if e.id == "e-clash")
    more = [dataclasses.replace(e, figures=[*e.figures, deployed]) if e is clash else e for e in events]
    b = br.build_brief(more, claims, docs)
    assert [ln.cells["side"] for ln in section(b, "headline").lines] == ["Armenia", "Azerbaijan"]
    assert all("deployed" not in ln.text for ln in section(b, "headline").lines)
