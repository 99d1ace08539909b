"""The probe scorer reads every probe file and scores each kind (evaluate/probes.py)."""

from __future__ import annotations

import json

import pytest

from whatweknow.evaluate import probes


@pytest.mark.parametrize("kind", probes.KINDS)
def test_every_kind_has_probe_files_that_parse(kind: str) -> None:
    files = probes.probe_files(kind)
    assert files, kind
    for _name, res in files:
        lines = [json.loads(line) for line in res.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert len(lines) >= 40


def test_the_scorers_score_and_report_their_errors() -> None:
    items = [
        {"text": "Gunmen killed 7 villagers near Djibo on Sunday.", "killed": 7},
        {"text": "Protesters marched through the capital.", "killed": 3},
    ]
    s = probes.score_tolls("t", items)
    assert s.scores == {"exact": 0.5} and len(s.errors) == 1
    v = probes.score_victims(
        "v",
        [
            {
                "text": "The army said 4 Malian soldiers were killed.",
                "figure": "4 Malian soldiers",
                "killed": 4,
                "country": "MLI",
                "kind": "military",
            }
        ],
    )
    assert v.scores == {"killed": 1.0, "country": 1.0, "kind": 1.0}
    e = probes.score_eventtype("e", [{"text": "Militants shelled the town overnight.", "label": "attack"}])
    assert e.scores == {"accuracy": 0.0} and e.errors == [
        "attack -> shelling_artillery_missile | Militants shelled the town overnight."
    ]
