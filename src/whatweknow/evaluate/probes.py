"""Score the hand-written probes in ``whatweknow/data/eval/probes`` (see its README.md).

    .venv/bin/python -m whatweknow.evaluate.probes [KIND ...] [--errors]

Probes are short sets written by the team in its own words, each scored once before any
rule was changed for it (the "before" figures in the README), then used to find general
faults. They are dev material now, not held-out: read them as a check that a change does
not undo what they taught. Kinds:

- ``eventtype``: accuracy of :func:`whatweknow.extract.eventtype.classify_doc` mapped by
  :func:`whatweknow.ontology.acled_label` (``{"text", "label"}``);
- ``tolls``: the headline rule of the UCDP scorer (:func:`fatalities.predict_killed`) equals
  ``killed`` (``{"text", "killed"}``, ``null`` for no figure);
- ``victims``: the quantity overlapping ``figure`` counts ``killed`` people of the given
  ``country`` and ``kind`` (three shares);
- ``places``: the share of gold places found (any overlap) and of those, the share placed
  within 161 km (``{"text", "places": [{"span", "lat", "lon", ...}]}``);
- ``timex``, ``attribution``: the scorers of :mod:`.timexes` and :mod:`.attribution`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

KINDS = ("eventtype", "tolls", "victims", "places", "timex", "attribution")


@dataclass(slots=True)
class ProbeScore:
    name: str
    kind: str
    n: int
    scores: dict[str, float]
    errors: list[str] = field(default_factory=list)


def probe_files(kind: str) -> list[tuple[str, Any]]:
    """(name, resource) of every probe file of one kind, in name order."""
    folder = resources.files("whatweknow").joinpath("data/eval/probes")
    files = [f for f in folder.iterdir() if f.name.startswith(f"{kind}_") and f.name.endswith(".jsonl")]
    return sorted(((f.name[: -len(".jsonl")], f) for f in files), key=lambda nf: nf[0])


def _lines(res: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in res.read_text(encoding="utf-8").splitlines() if line.strip()]


def _nlp() -> Any:
    from whatweknow.extract.eventtype import load_nlp

    return load_nlp()


def _exact(
    name: str, kind: str, metric: str, items: list[dict[str, Any]], key: str, read: Callable[[Any], Any]
) -> ProbeScore:
    """The share of items whose parsed text ``read`` gives exactly ``item[key]``."""
    ok, errors = 0, []
    for it, doc in zip(items, _nlp().pipe([it["text"] for it in items], batch_size=32), strict=True):
        got = read(doc)
        if got == it[key]:
            ok += 1
        else:
            errors.append(f"{it[key]} -> {got} | {it['text']}")
    return ProbeScore(name, kind, len(items), {metric: ok / len(items)}, errors)


def score_eventtype(name: str, items: list[dict[str, Any]]) -> ProbeScore:
    from whatweknow import ontology
    from whatweknow.extract.eventtype import classify_doc

    return _exact(
        name, "eventtype", "accuracy", items, "label", lambda doc: ontology.acled_label(classify_doc(doc))
    )


def score_tolls(name: str, items: list[dict[str, Any]]) -> ProbeScore:
    from whatweknow.evaluate.fatalities import predict_killed
    from whatweknow.extract.actors import find_actors
    from whatweknow.extract.quantities import find_quantities

    def killed(doc: Any) -> int | None:
        value = predict_killed(doc.text, find_quantities(doc, find_actors(doc)))
        return None if value is None else int(value)

    return _exact(name, "tolls", "exact", items, "killed", killed)


def score_victims(name: str, items: list[dict[str, Any]]) -> ProbeScore:
    from whatweknow.extract.actors import find_actors
    from whatweknow.extract.quantities import find_quantities

    killed = country = kind = 0
    errors: list[str] = []
    for it, doc in zip(items, _nlp().pipe([it["text"] for it in items], batch_size=32), strict=True):
        s = it["text"].find(it["figure"])
        e = s + len(it["figure"])
        found = [q for q in find_quantities(doc, find_actors(doc)) if min(e, q.span[1]) > max(s, q.span[0])]
        if not found:
            errors.append(f"not found: {it['figure']} | {it['text']}")
            continue
        q = found[0]
        got = (q.victims.country, q.victims.kind) if q.victims is not None else (None, None)
        killed += q.counted == "killed" and q.value == it["killed"]
        country += got[0] == it["country"]
        kind += got[1] == it["kind"]
        if (q.counted, q.value, *got) != ("killed", it["killed"], it["country"], it["kind"]):
            errors.append(f"{(it['killed'], it['country'], it['kind'])} -> {(q.value, *got)} | {it['text']}")
    n = len(items)
    return ProbeScore(
        name, "victims", n, {"killed": killed / n, "country": country / n, "kind": kind / n}, errors
    )


def score_places(name: str, items: list[dict[str, Any]]) -> ProbeScore:
    from whatweknow.extract.gazetteer import load_gazetteer
    from whatweknow.extract.places import find_places
    from whatweknow.model import haversine_km

    gaz = load_gazetteer()
    total = found = near = 0
    errors: list[str] = []
    for it, doc in zip(items, _nlp().pipe([it["text"] for it in items], batch_size=32), strict=True):
        pred = [p for p in find_places(doc, gaz) if not p.is_demonym]
        for g in it["places"]:
            total += 1
            s, e = g["span"]
            hit = [p for p in pred if min(e, p.span[1]) > max(s, p.span[0])]
            if not hit:
                errors.append(f"missed {g['name']} | {it['text']}")
                continue
            found += 1
            p = hit[0]
            if (
                p.lat is not None
                and p.lon is not None
                and haversine_km(g["lat"], g["lon"], p.lat, p.lon) <= 161
            ):
                near += 1
            else:
                errors.append(f"placed {g['name']} at {p.name} ({p.country}) | {it['text']}")
    return ProbeScore(
        name, "places", total, {"recall": found / total, "acc161": near / found if found else 0.0}, errors
    )


def _score_file(kind: str, name: str, res: Any) -> ProbeScore:
    if kind == "timex":
        from whatweknow.evaluate.timexes import evaluate_ours

        r = evaluate_ours(str(res))
        return ProbeScore(
            name, kind, int(r["gold"]), {k: float(r[k]) for k in ("value_accuracy", "span_recall")}
        )
    if kind == "attribution":
        from whatweknow.evaluate.attribution import evaluate

        r = evaluate(str(res))
        keys = ("content_f1", "source_f1", "cue_precision")
        return ProbeScore(name, kind, int(r["gold"]), {k: float(r[k]) for k in keys})
    scorer = {
        "eventtype": score_eventtype,
        "tolls": score_tolls,
        "victims": score_victims,
        "places": score_places,
    }[kind]
    return scorer(name, _lines(res))


def score(kinds: Sequence[str] = KINDS) -> list[ProbeScore]:
    """Every probe file of the given kinds, scored."""
    return [_score_file(kind, name, res) for kind in kinds for name, res in probe_files(kind)]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m whatweknow.evaluate.probes", description=__doc__)
    ap.add_argument("kinds", nargs="*", help=f"kinds to score: {', '.join(KINDS)} (default: all)")
    ap.add_argument("--errors", action="store_true", help="list what each probe got wrong")
    args = ap.parse_args(argv)
    unknown = [k for k in args.kinds if k not in KINDS]
    if unknown:
        ap.error(f"unknown kind {unknown[0]!r}: use one of {', '.join(KINDS)}")
    for s in score(args.kinds or KINDS):
        figures = "  ".join(f"{k} {v:.3f}" for k, v in s.scores.items())
        print(f"{s.name:16} n={s.n:<4} {figures}")
        if args.errors:
            for err in s.errors:
                print(f"    {err}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
