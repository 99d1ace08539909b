"""Throughput of the extraction pipeline against plain spaCy, in one process.

    python benchmarks/throughput.py [--n 200] [--corpus PATH.jsonl]

Runs plain ``nlp.pipe`` of the same model over the same texts, then our
pipeline (cleaning + spaCy + our components), and prints words/s, docs/s and
the ratio ours / plain. The two alternate chunk by chunk (``--chunk`` documents: plain,
then ours, on the same chunk), ``--rounds`` times over all the texts, so that a shared
machine's changing speed weighs on both alike; the ratio is the total plain time over the
total time of ours, and each round's ratio is printed to show the spread. Peak memory
(RSS) is printed too. Texts: the bundled
sample corpus and the seed, plus dev texts of the gold sets when present,
repeated to ``--n`` documents.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_texts(n: int, corpus: str | None) -> list[str]:
    paths = [Path(corpus)] if corpus else [ROOT / "samples" / "corpus.jsonl"]
    texts: list[str] = []
    for p in paths:
        if p.exists():
            texts += [json.loads(line)["text"] for line in p.open(encoding="utf-8") if line.strip()]
    seed = ROOT.parent / "shared" / "seed" / "000_8413c8a5d20a34e9.txt"
    if seed.exists():
        texts.append(seed.read_text(encoding="utf-8"))
    geo = ROOT.parent / "shared" / "eval" / "geoparsing" / "dev.jsonl"
    if geo.exists() and not corpus:
        with geo.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= n:
                    break
                texts.append(json.loads(line)["text"])
    if not texts:
        sys.exit("no texts found: run from the repository with samples/corpus.jsonl present")
    out: list[str] = []
    while len(out) < n:
        out.extend(texts)
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--corpus")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=2, help="passes over all the texts")
    ap.add_argument("--chunk", type=int, default=16, help="documents per alternation")
    a = ap.parse_args()

    import spacy

    from whatweknow.model import Document
    from whatweknow.pipeline import MODEL, Pipeline, make_document

    texts = load_texts(a.n, a.corpus)
    words = sum(len(t.split()) for t in texts)

    plain = spacy.load(MODEL)
    list(plain.pipe(texts[:8]))  # warm up

    def run_plain(chunk: list[str]) -> float:
        t0 = time.perf_counter()
        for _ in plain.pipe(chunk, batch_size=a.batch_size):
            pass
        return time.perf_counter() - t0

    pipe = Pipeline(batch_size=a.batch_size)

    class Raw:
        def __init__(self, text: str) -> None:
            self.text = text
            self.id = None
            self.url = self.title = self.source = self.language = self.raw_ref = None
            self.published_at = None

    from datetime import datetime

    pub = datetime(2022, 9, 13, tzinfo=UTC)
    list(pipe.pipe_documents(make_document(Raw(t), default_published=pub) for t in texts[:8]))  # warm up

    def run_ours(chunk: list[str]) -> tuple[float, int]:
        t0 = time.perf_counter()
        docs: list[Document] = [make_document(Raw(t), default_published=pub) for t in chunk]
        n = sum(len(ex.claims) for ex in pipe.pipe_documents(docs))
        return time.perf_counter() - t0, n

    plain_times: list[float] = []  # per round
    our_times: list[float] = []
    n_claims = 0
    for _ in range(max(1, a.rounds)):
        tp = to = 0.0
        n_claims = 0
        for k in range(0, len(texts), a.chunk):
            chunk = texts[k : k + a.chunk]
            tp += run_plain(chunk)
            t, n = run_ours(chunk)
            to += t
            n_claims += n
        plain_times.append(tp)
        our_times.append(to)
    # per pass over the texts, as one run would be
    t_plain, t_ours = sum(plain_times) / len(plain_times), sum(our_times) / len(our_times)
    ratios = [p / o for p, o in zip(plain_times, our_times, strict=True)]

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "docs": len(texts),
        "words": words,
        "plain_spacy": {
            "seconds": round(t_plain, 2),
            "docs_per_s": round(len(texts) / t_plain, 1),
            "words_per_s": round(words / t_plain),
        },
        "whatweknow": {
            "seconds": round(t_ours, 2),
            "docs_per_s": round(len(texts) / t_ours, 1),
            "words_per_s": round(words / t_ours),
            "claims": n_claims,
        },
        "ratio": round(t_plain / t_ours, 3),
        "rounds": len(plain_times),
        "ratio_per_round": [round(r, 3) for r in ratios],
        "peak_rss_mb": round(peak_mb),
    }
    print(
        f"plain spaCy : {result['plain_spacy']['words_per_s']:>8} words/s  "
        f"{result['plain_spacy']['docs_per_s']:>6} docs/s"
    )
    print(
        f"whatweknow  : {result['whatweknow']['words_per_s']:>8} words/s  "
        f"{result['whatweknow']['docs_per_s']:>6} docs/s  ({n_claims} claims)"
    )
    print(
        f"ratio (ours / plain spaCy throughput, {len(plain_times)} rounds alternating every {a.chunk} docs): "
        f"{result['ratio']}   per round {result['ratio_per_round']}   peak RSS {result['peak_rss_mb']} MB"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
