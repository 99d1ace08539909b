"""The seed report end to end through `wwk extract`, checked by shared/eval/seed_check.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whatweknow.cli import app

from .conftest import SEED, SHARED

CHECK = SHARED / "eval" / "seed_check.py"


@pytest.fixture(scope="module")
def seed_line(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not SEED.exists():
        pytest.skip("seed report not present")
    result = CliRunner().invoke(app, ["extract", str(SEED), "--published", "2022-09-13", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    assert len(lines) == 1
    return json.loads(lines[0])


def test_seed_facts(seed_line: dict, tmp_path: Path) -> None:
    if not CHECK.exists():
        pytest.skip("seed_check.py not present")
    pred = tmp_path / "seed.jsonl"
    pred.write_text(json.dumps(seed_line) + "\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(CHECK), "--pred", str(pred)], capture_output=True, text=True, check=True
    ).stdout
    last = out.strip().splitlines()[-1]
    passed = int(last.split(":")[1].split("/")[0])
    assert passed >= 14, out


def test_every_span_reproduces_its_text(seed_line: dict) -> None:
    text = seed_line["text"]
    for key in ("places", "times", "quantities"):
        for m in seed_line[key]:
            s, e = m["span"]
            assert text[s:e] == m["text"], (key, m)
    for c in seed_line["claims"]:
        s, e = c["evidence"]["span"]
        assert text[s:e] == c["evidence"]["text"]
        for role in ("claimant", "agent", "target", "mediator", "place", "time", "quantity"):
            v = c.get(role)
            if v and v.get("span"):
                s2, e2 = v["span"]
                assert 0 <= s2 <= e2 <= len(text)


def test_background_never_in_current_toll(seed_line: dict) -> None:
    current = {
        c["quantity"]["value"]
        for c in seed_line["claims"]
        if c["quantity"] and c["quantity"]["counted"] == "killed" and not c["is_background"]
    }
    assert 30000 not in current and 6500 not in current
    assert {49, 50} <= current


def test_seed_has_interface_fields(seed_line: dict) -> None:
    for key in (
        "schema",
        "id",
        "published_at",
        "published_inferred",
        "text",
        "primary",
        "claims",
        "places",
        "times",
        "quantities",
        "attributions",
    ):
        assert key in seed_line
    assert seed_line["schema"] == "wwk/1"
    assert seed_line["primary"]["acled_event_type"] in ("Battles", "Explosions/Remote violence")
