"""The quality gate's logic: floors, ceilings, and floors that never drop silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whatweknow.evaluate import runner
from whatweknow.evaluate.runner import SetResult


def test_check_flags_a_metric_below_its_floor() -> None:
    r = SetResult("geoparsing", "dev", {"gwn.span_f1_overlap": 0.70, "gwn.median_km": 30.0}, {})
    floors = {"geoparsing": {"gwn.span_f1_overlap": 0.80, "gwn.median_km": 20.0}}
    out = runner.check(r, floors)
    assert any("below its floor" in x for x in out)
    assert any("above its ceiling" in x for x in out)


def test_check_passes_at_or_above_floor() -> None:
    r = SetResult("seed", "-", {"facts": 15.0}, {})
    assert runner.check(r, {"seed": {"facts": 14.0}}) == []


def test_missing_metric_fails() -> None:
    r = SetResult("seed", "-", {}, {})
    assert runner.check(r, {"seed": {"facts": 14.0}}) == ["seed.facts: missing (floor 14.0)"]


def test_floors_do_not_drop_without_allow_lower(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"floors": {"seed": {"facts": 14.0}}}), encoding="utf-8")

    class Files:
        def joinpath(self, _name: str) -> Path:
            return floors

    monkeypatch.setattr(runner.resources, "files", lambda _pkg: Files())
    refused = runner.write_floors([SetResult("seed", "-", {"facts": 10.0}, {})], allow_lower=False)
    assert refused and json.loads(floors.read_text())["floors"]["seed"]["facts"] == 14.0
    runner.write_floors([SetResult("seed", "-", {"facts": 10.0}, {})], allow_lower=True)
    assert json.loads(floors.read_text())["floors"]["seed"]["facts"] == 9.98


def test_pinned_floors_file_is_well_formed() -> None:
    floors = runner.load_floors()
    assert set(floors) <= set(runner.SETS)
    for metrics in floors.values():
        assert all(isinstance(v, (int, float)) for v in metrics.values())
