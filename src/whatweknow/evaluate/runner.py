"""``wwk eval``: run the scorers on the gold sets and check the quality gate.

Each set returns a flat mapping of headline metrics (``name -> value``) plus
its full report. The gate (as trafilatura's evaluation in CI) compares the
headline metrics of the dev splits, on a deterministic subsample, with pinned
floors in ``floors.json``: a metric below its floor fails. Floors move down
only with ``wwk eval --set-floors --allow-lower`` (see docs/EVALUATION.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import E, WwkError

FLOORS_FILE = "evaluate/floors.json"


def default_eval_root() -> Path:
    env = os.environ.get("WWK_EVAL_ROOT")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for base in (Path.cwd(), *here.parents):
        cand = base.parent / "shared" / "eval"
        if cand.is_dir():
            return cand
    return Path.cwd().parent / "shared" / "eval"


@dataclass(slots=True)
class SetResult:
    name: str
    split: str
    headline: dict[str, float]
    report: dict[str, Any]


def _path(root: Path, folder: str, split: str) -> Path:
    p = root / folder / f"{split}.jsonl"
    if not p.exists():
        raise WwkError(E.E020, name=folder, root=root)
    return p


def _geoparsing(root: Path, split: str, limit: int | None) -> SetResult:
    from . import geoparsing

    rep = geoparsing.evaluate(_path(root, "geoparsing", split), limit=limit)
    head: dict[str, float] = {}
    for corpus in ("gwn", "lgl", "trnews", "geovirus"):
        r = rep.get(corpus)
        if isinstance(r, dict):
            head[f"{corpus}.span_f1_overlap"] = r["overlap"]["f1"]
            head[f"{corpus}.acc161"] = r["acc161"]
            head[f"{corpus}.median_km"] = r["median_km"]
    return SetResult("geoparsing", split, head, rep)


def _ucdp(root: Path, split: str, limit: int | None) -> SetResult:
    from . import fatalities

    rep = fatalities.evaluate(str(_path(root, "ucdp-ged", split)), limit=limit)
    stated = rep["gold_figure_in_text"]
    head = {
        "killed.exact_where_stated": stated["exact"],
        "killed.within_where_stated": stated["within"],
        "killed.mae_where_stated": stated["mae"],
        "killed.null_when_unstated": rep["no_figure_stated"]["null_share"],
        "killed.exact_all": rep["all"]["exact"],
        "killed.exact_where_number_anywhere": rep["gold_number_anywhere"]["exact"],
        "place.placed_share": rep["place"]["placed_share"],
        "place.acc25": rep["place"]["acc25"],
        "place.acc161": rep["place"]["acc161"],
    }
    return SetResult("ucdp-ged", split, head, rep)


def _ecbplus(root: Path, split: str, limit: int | None) -> SetResult:
    from . import ecbplus

    rep = ecbplus.evaluate_via_store(_path(root, "ecbplus", split), limit)
    head = {k: rep[k] for k in ("bcubed_f1", "pairwise_f1", "bcubed_f1_most_claims")}
    return SetResult("ecbplus", split, head, rep)


def _timeline(root: Path, split: str, limit: int | None) -> SetResult:
    from . import timexes

    rep = timexes.evaluate(str(_path(root, "semeval2015-timeline", split)), limit=limit)
    head = {
        f"{part}.{k}": float(v)
        for part in ("timexes", "anchors")
        for k, v in (rep.get(part) or {}).items()
        if isinstance(v, (int, float)) and ("acc" in k or "baseline" in k)
    }
    return SetResult("semeval2015-timeline", split, head, rep)


def _timex(_root: Path, split: str, limit: int | None) -> SetResult:
    from . import timexes

    rep = timexes.evaluate_ours(split, limit=limit)
    keep = ("value_accuracy", "span_recall", "span_precision")
    head = {k: float(rep[k]) for k in keep if isinstance(rep.get(k), (int, float))}
    return SetResult("timex", split, head, rep)


def _attribution(_root: Path, split: str, limit: int | None) -> SetResult:
    from . import attribution

    rep = attribution.evaluate(split, limit=limit)
    head = {"content_f1": rep["content_f1"], "source_f1": rep["source_f1"], "cue_recall": rep["cue_recall"]}
    return SetResult("attribution", split, head, rep)


def _eventtypes(_root: Path, split: str, limit: int | None) -> SetResult:
    from .. import ontology
    from ..extract.eventtype import classify_doc, load_nlp
    from .eventtypes import f1_report, load_split

    data = load_split(split)[: limit or None]
    nlp = load_nlp()
    pred = [ontology.acled_label(classify_doc(d)) for d in nlp.pipe([t for t, _ in data], batch_size=32)]
    rep = f1_report([g for _, g in data], pred)
    head = {"weighted_f1": round(rep.weighted_f1, 4), "macro_f1": round(rep.macro_f1, 4)}
    return SetResult("eventtypes", split, head, {"n": rep.n, "accuracy": rep.accuracy, **head})


def _seed(root: Path, _split: str, _limit: int | None) -> SetResult:
    check = root / "seed_check.py"
    seed = root.parent / "seed" / "000_8413c8a5d20a34e9.txt"
    if not check.exists() or not seed.exists():
        raise WwkError(E.E020, name="seed", root=root)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "seed.jsonl"
        res = subprocess.run(
            [sys.executable, "-m", "whatweknow", "extract", str(seed), "--published", "2022-09-13"],
            capture_output=True,
            text=True,
            check=False,
        )
        out.write_text(res.stdout, encoding="utf-8")
        report = Path(tmp) / "report.json"
        subprocess.run(
            [sys.executable, str(check), "--pred", str(out), "--out", str(report)],
            capture_output=True,
            text=True,
            check=False,
        )
        rep = json.loads(report.read_text(encoding="utf-8"))
    return SetResult("seed", "-", {"facts": float(rep["passed"])}, rep)


SETS: Mapping[str, Callable[[Path, str, int | None], SetResult]] = {
    "geoparsing": _geoparsing,
    "ucdp-ged": _ucdp,
    "ecbplus": _ecbplus,
    "semeval2015-timeline": _timeline,
    "timex": _timex,
    "attribution": _attribution,
    "eventtypes": _eventtypes,
    "seed": _seed,
}

# what the gate runs on dev, and how much of it (deterministic: the first N of the file)
GATE_LIMITS: Mapping[str, int | None] = {
    "geoparsing": 200,
    "ucdp-ged": 600,
    "ecbplus": 8,
    "timex": None,
    "attribution": None,
    "eventtypes": None,
    "seed": None,
}
# metrics where lower is better (floors are ceilings)
LOWER_IS_BETTER = ("median_km", "mae")


def run(name: str, split: str = "dev", limit: int | None = None, root: Path | None = None) -> SetResult:
    if name not in SETS:
        raise WwkError(E.E013, value=name, choices=", ".join(SETS))
    return SETS[name](root or default_eval_root(), split, limit)


def load_floors() -> dict[str, dict[str, float]]:
    text = resources.files("whatweknow").joinpath(FLOORS_FILE).read_text(encoding="utf-8")
    data: dict[str, dict[str, float]] = json.loads(text)["floors"]
    return data


def check(result: SetResult, floors: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Failures of one set's headline metrics against the floors."""
    out: list[str] = []
    for metric, floor in floors.get(result.name, {}).items():
        got = result.headline.get(metric)
        if got is None:
            out.append(f"{result.name}.{metric}: missing (floor {floor})")
        elif any(k in metric for k in LOWER_IS_BETTER):
            if got > floor:
                out.append(f"{result.name}.{metric}: {got} above its ceiling {floor}")
        elif got < floor:
            out.append(f"{result.name}.{metric}: {got} below its floor {floor}")
    return out


def write_floors(results: list[SetResult], *, allow_lower: bool, margin: float = 0.02) -> list[str]:
    """Pin floors at the measured values less a margin; refuse to lower one unless allowed."""
    path = Path(str(resources.files("whatweknow").joinpath(FLOORS_FILE)))
    old = json.loads(path.read_text(encoding="utf-8"))
    floors: dict[str, dict[str, float]] = old["floors"]
    refused: list[str] = []
    for r in results:
        for metric, value in r.headline.items():
            lower_better = any(k in metric for k in LOWER_IS_BETTER)
            # a ceiling gets relative and absolute slack (a median error of 0 km stays testable)
            new = round(value * (1 + 5 * margin) + 5 if lower_better else value - margin, 4)
            prev = floors.get(r.name, {}).get(metric)
            worse = prev is not None and (new > prev if lower_better else new < prev)
            if worse and not allow_lower:
                refused.append(f"{r.name}.{metric}: {prev} -> {new}")
                continue
            floors.setdefault(r.name, {})[metric] = new
    old["floors"] = floors
    path.write_text(json.dumps(old, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return refused
