"""Cost of consolidation, full and incremental, against the extraction of the same documents.

    python benchmarks/consolidate.py [--corpus PATH.jsonl] [--batch 25]

Extracts the documents once (the pipeline's time is the baseline, in the same process),
then times ``consolidate()`` over every claim and a run of ``update()`` calls that add
``--batch`` documents at a time to a growing store, as ``wwk ingest`` does. Prints
seconds, claims/s, the ratio of consolidation time to extraction time, the slowest
update, and whether the incremental result equals the full one (it must).

Default documents: ECB+ dev (552 reports on 23 topics, half of them with no date:
the worst case, since an undated claim is compared with every claim of its kind),
else the bundled sample corpus.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ECB_DEV = ROOT.parent / "shared" / "eval" / "ecbplus" / "dev.jsonl"


def main() -> int:
    from whatweknow.consolidate import DocMeta, consolidate, update
    from whatweknow.ingest.readers import RawDoc, iter_inputs
    from whatweknow.pipeline import Pipeline, make_document

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument(
        "--corpus", type=Path, default=ECB_DEV if ECB_DEV.exists() else ROOT / "samples" / "corpus.jsonl"
    )
    ap.add_argument("--batch", type=int, default=25)
    args = ap.parse_args()

    raws = [r for r in iter_inputs([str(args.corpus)]) if isinstance(r, RawDoc)]
    documents = [make_document(r) for r in raws]
    pipeline = Pipeline()
    t0 = time.perf_counter()
    claims = [c for ex in pipeline.pipe_documents(documents) for c in ex.claims]
    t_extract = time.perf_counter() - t0
    meta = {d.id: DocMeta(d.id, d.source, d.published_at, d.title, d.text) for d in documents}

    t0 = time.perf_counter()
    full = consolidate(claims, meta)
    t_full = time.perf_counter() - t0

    order = [d.id for d in documents]
    events: list = []
    stored: list = []
    t_updates: list[float] = []
    for i in range(0, len(order), args.batch):
        batch = set(order[i : i + args.batch])
        seen = set(order[: i + args.batch])
        new = [c for c in claims if c.doc_id in batch]
        t0 = time.perf_counter()
        res = update(events, stored, new, {d: m for d, m in meta.items() if d in seen})
        t_updates.append(time.perf_counter() - t0)
        events, stored = res.events, stored + new
    same = res.claim_event == full.claim_event

    out = {
        "corpus": str(args.corpus),
        "docs": len(documents),
        "claims": len(claims),
        "events": len(full.events),
        "extract_s": round(t_extract, 2),
        "consolidate_s": round(t_full, 2),
        "consolidate_claims_per_s": round(len(claims) / t_full, 1) if t_full else None,
        "ratio_consolidate_to_extract": round(t_full / t_extract, 3) if t_extract else None,
        "updates": len(t_updates),
        "update_total_s": round(sum(t_updates), 2),
        "update_max_s": round(max(t_updates), 2),
        "ratio_updates_to_extract": round(sum(t_updates) / t_extract, 3) if t_extract else None,
        "incremental_equals_full": same,
    }
    print(
        f"{out['docs']} docs, {out['claims']} claims -> {out['events']} events\n"
        f"extraction     : {out['extract_s']:7.2f} s (baseline)\n"
        f"consolidate all: {out['consolidate_s']:7.2f} s  ({out['consolidate_claims_per_s']} claims/s, "
        f"ratio to extraction {out['ratio_consolidate_to_extract']})\n"
        f"{out['updates']} updates of {args.batch} docs: {out['update_total_s']:.2f} s in all, "
        f"slowest {out['update_max_s']:.2f} s (ratio to extraction {out['ratio_updates_to_extract']})\n"
        f"incremental result equals the full one: {same}"
    )
    print(json.dumps(out))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
