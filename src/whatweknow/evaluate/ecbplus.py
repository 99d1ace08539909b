"""Document clustering on ECB+: group the documents of a topic by the happening they report.

Gold: within each topic, ``subtopic`` ("ecb" / "ecbplus") names two different
real happenings of the same kind. Scores: B-cubed and pairwise precision,
recall and F1 per topic, averaged over topics.

Data: ECB+ (Cybulska and Vossen 2014, extending Bejan and Harabagiu 2010),
CC BY 3.0; see shared/eval/ecbplus/SOURCE.md.

Run: ``python -m whatweknow.evaluate.ecbplus /work/shared/eval/ecbplus/dev.jsonl``
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from whatweknow.consolidate.cluster import partition
from whatweknow.consolidate.features import DocMeta, story_terms, story_vectors

# Tuned on dev (see main()'s --threshold sweep): average-link merge threshold on TF-IDF cosine.
THRESHOLD = 0.075


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    text: str
    title: str | None = None


def _cos(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(k, 0.0) for k, x in a.items())


def group_documents(docs: Sequence[Doc], threshold: float = THRESHOLD) -> dict[str, str]:
    """Cluster documents by happening: TF-IDF cosine over the report vectors consolidation
    uses for stories, partitioned as stories are (``consolidate.cluster.partition``:
    average link stopped at ``threshold``, refined by reassignment). Deterministic: the
    cluster id is the smallest document id in it."""
    ids = sorted(d.id for d in docs)
    by_id = story_vectors({d.id: story_terms(DocMeta(id=d.id, title=d.title, text=d.text)) for d in docs})
    sim = {i: {j: _cos(by_id[i], by_id[j]) for j in ids if j != i} for i in ids}
    return {d: g[0] for g in partition(ids, sim, threshold) for d in g}


# --------------------------------------------------------------------------- scoring


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    pc: dict[str, set[str]] = defaultdict(set)
    gc: dict[str, set[str]] = defaultdict(set)
    for d, c in pred.items():
        pc[c].add(d)
    for d, c in gold.items():
        gc[c].add(d)
    p = r = 0.0
    for d in gold:
        inter = len(pc[pred[d]] & gc[gold[d]])
        p += inter / len(pc[pred[d]])
        r += inter / len(gc[gold[d]])
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    ids = sorted(gold)
    tp = fp = fn = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            same_p, same_g = pred[a] == pred[b], gold[a] == gold[b]
            tp += same_p and same_g
            fp += same_p and not same_g
            fn += same_g and not same_p
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load(path: Path) -> dict[str, list[tuple[Doc, str]]]:
    """Topic → [(document, gold subtopic)]."""
    topics: dict[str, list[tuple[Doc, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            g = r["gold"]
            topics[str(g["topic"])].append((Doc(r["id"], r["text"], r.get("title")), str(g["subtopic"])))
    return dict(topics)


def evaluate(topics: Mapping[str, list[tuple[Doc, str]]], threshold: float = THRESHOLD) -> dict[str, float]:
    sums: dict[str, float] = defaultdict(float)
    for items in topics.values():
        gold = {d.id: sub for d, sub in items}
        pred = group_documents([d for d, _ in items], threshold)
        for name, (p, r, f) in (("bcubed", bcubed(pred, gold)), ("pairwise", pairwise(pred, gold))):
            sums[f"{name}_p"] += p
            sums[f"{name}_r"] += r
            sums[f"{name}_f1"] += f
        one = {d.id: "all" for d, _ in items}
        sums["one_cluster_bcubed_f1"] += bcubed(one, gold)[2]
    n = len(topics)
    out = {k: round(v / n, 4) for k, v in sorted(sums.items())}
    out["topics"] = float(n)
    out["documents"] = float(sum(len(v) for v in topics.values()))
    return out


def evaluate_via_store(path: Path, limit: int | None = None) -> dict[str, float]:
    """Score the product itself: ingest each topic's input lines (gold removed) into a
    fresh SQLite store with ``Workspace.ingest_inputs`` (as ``wwk ingest`` does) and group documents by the
    event their report claim belongs to (``wwk events``' documents lists). ``bcubed_f1_most_claims``
    reads a document's event as the one holding most of its claims instead."""
    import tempfile

    from whatweknow.api import Workspace
    from whatweknow.ingest.readers import iter_inputs

    topics: dict[str, list[dict[str, object]]] = defaultdict(list)
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                topics[str(r["gold"]["topic"])].append(r)
    sums: dict[str, float] = defaultdict(float)
    names = sorted(topics)[:limit] if limit else sorted(topics)
    for name in names:
        items = topics[name]
        with tempfile.TemporaryDirectory() as tmp, Workspace(str(Path(tmp) / "topic.db")) as ws:
            # the topic's lines, read by the reader ``wwk ingest`` uses (every input field kept)
            src = Path(tmp) / "topic.jsonl"
            src.write_text(
                "".join(json.dumps({k: v for k, v in r.items() if k != "gold"}) + "\n" for r in items)
            )
            ws.ingest_inputs(iter_inputs([str(src)]))
            stored = ws.store.claims()
            report_event = {c.doc_id: c.event_id for c in stored if c.is_report and c.event_id}
            per_doc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            for c in stored:
                if c.event_id:
                    per_doc[c.doc_id][c.event_id] += 1
        gold = {str(r["id"]): str(r["gold"]["subtopic"]) for r in items}  # type: ignore[index]
        pred = {d: report_event.get(d) or f"alone:{d}" for d in gold}
        for key, (p, r_, f1) in (("bcubed", bcubed(pred, gold)), ("pairwise", pairwise(pred, gold))):
            sums[f"{key}_p"] += p
            sums[f"{key}_r"] += r_
            sums[f"{key}_f1"] += f1
        # the other reading of "a document's event": the one holding most of its claims
        most = {
            d: min(per_doc[d], key=lambda e: (-per_doc[d][e], e)) if per_doc.get(d) else f"alone:{d}"
            for d in gold
        }
        sums["bcubed_f1_most_claims"] += bcubed(most, gold)[2]
    n = len(names)
    out = {k: round(v / n, 4) for k, v in sorted(sums.items())}
    out["topics"] = float(n)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("path", type=Path)
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    ap.add_argument("--sweep", action="store_true", help="report a range of thresholds (tuning on dev)")
    ap.add_argument(
        "--via-store", action="store_true", help="score the full product: ingest, consolidate, events"
    )
    ap.add_argument("--limit", type=int, help="only the first N topics")
    args = ap.parse_args(argv)
    if args.via_store:
        json.dump(evaluate_via_store(args.path, args.limit), sys.stdout, indent=2)
        print()
        return 0
    topics = load(args.path)
    if args.sweep:
        for t in (0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25):
            res = evaluate(topics, t)
            print(f"threshold {t:.2f}: bcubed_f1 {res['bcubed_f1']:.4f} pairwise_f1 {res['pairwise_f1']:.4f}")
        return 0
    json.dump(evaluate(topics, args.threshold), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
