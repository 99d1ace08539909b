"""Score event typing on the hand-written snippets in ``whatweknow/data/eventtype_{dev,test}.jsonl``.

    .venv/bin/python -m whatweknow.evaluate.eventtypes [dev|test] [--errors]

Each snippet is classified with ``classify_text``; the predicted internal type
is mapped to its evaluation class with ``ontology.acled_label`` (the 25 ACLED
sub-event types, ``diplomacy`` for statements and diplomacy, ``crime``,
``disaster_natural``, ``disaster_manmade``, ``none``). Prints per-class
precision, recall and F1, then accuracy, macro and weighted F1.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from whatweknow import ontology


@dataclass(frozen=True, slots=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Report:
    per_class: list[ClassScore]
    accuracy: float
    macro_f1: float
    weighted_f1: float
    n: int


def f1_report(gold: Sequence[str], pred: Sequence[str]) -> Report:
    """Per-class precision/recall/F1 and their support-weighted mean over the gold classes."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter(pred)
    n_gold: Counter[str] = Counter(gold)
    for g, p in zip(gold, pred, strict=True):
        if g == p:
            tp[g] += 1
    rows: list[ClassScore] = []
    for label in sorted(n_gold):
        prec = tp[label] / n_pred[label] if n_pred[label] else 0.0
        rec = tp[label] / n_gold[label]
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows.append(ClassScore(label, prec, rec, f1, n_gold[label]))
    total = len(gold)
    acc = sum(tp.values()) / total if total else 0.0
    macro = sum(r.f1 for r in rows) / len(rows) if rows else 0.0
    weighted = sum(r.f1 * r.support for r in rows) / total if total else 0.0
    return Report(rows, acc, macro, weighted, total)


def load_split(split: str) -> list[tuple[str, str]]:
    name = f"data/eventtype_{split}.jsonl"
    text = resources.files("whatweknow").joinpath(name).read_text(encoding="utf-8")
    out: list[tuple[str, str]] = []
    for line in text.splitlines():
        if line.strip():
            rec = json.loads(line)
            out.append((str(rec["text"]), str(rec["label"])))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m whatweknow.evaluate.eventtypes")
    ap.add_argument("split", nargs="?", default="dev", choices=("dev", "test"))
    ap.add_argument("--errors", action="store_true", help="list the misclassified snippets")
    args = ap.parse_args(argv)

    from whatweknow.extract.eventtype import classify_doc, load_nlp

    nlp = load_nlp()
    data = load_split(args.split)
    docs = nlp.pipe([t for t, _ in data], batch_size=32)
    gold = [g for _, g in data]
    pred = [ontology.acled_label(classify_doc(d)) for d in docs]
    rep = f1_report(gold, pred)
    print(f"{'class':32} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
    for r in rep.per_class:
        print(f"{r.label:32} {r.precision:6.3f} {r.recall:6.3f} {r.f1:6.3f} {r.support:4d}")
    print(
        f"\n{args.split}: n={rep.n} accuracy={rep.accuracy:.3f} macro_F1={rep.macro_f1:.3f} "
        f"weighted_F1={rep.weighted_f1:.3f}"
    )
    if args.errors:
        print()
        for (text, g), p in zip(data, pred, strict=True):
            if g != p:
                print(f"{g:>30} -> {p:<30} {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
