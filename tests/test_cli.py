"""The `wwk` commands against a real SQLite file, with the real pipeline."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whatweknow.cli import app

from .conftest import ROOT, SEED

CORPUS = ROOT / "samples" / "corpus.jsonl"
runner = CliRunner()


def wwk(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "wwk.db"
    paths = [str(CORPUS)] + ([str(SEED)] if SEED.exists() else [])
    code, _, err = wwk("ingest", *paths, "--db", str(db), "--published", "2022-09-13", "--quiet")
    assert code == 0, err
    return db


def test_missing_path_is_one_line_and_exit_1(tmp_path: Path) -> None:
    code, _, err = wwk("ingest", str(tmp_path / "nope.jsonl"), "--db", str(tmp_path / "x.db"))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "nope.jsonl" in err and "Traceback" not in err


def test_extract_missing_path_reports_error_line(tmp_path: Path) -> None:
    code, out, err = wwk("extract", str(tmp_path / "gone.txt"), "--format", "jsonl")
    assert code == 1
    line = json.loads(out.strip().splitlines()[0])
    assert "gone.txt" in line["error"]
    assert "Traceback" not in err


def test_bad_published_date_is_a_user_error(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Shelling hit the town of Kharkiv on Monday, officials said.", encoding="utf-8")
    code, _, err = wwk("extract", str(f), "--published", "13/09/2022")
    assert code == 1 and "E008" in err and "Traceback" not in err


def test_extract_txt_with_published(tmp_path: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text(
        "Russian shelling killed three civilians in Kharkiv on Monday, the regional governor said.",
        encoding="utf-8",
    )
    code, out, _ = wwk("extract", str(f), "--published", "2022-09-13", "--format", "jsonl")
    assert code == 0
    rec = json.loads(out)
    assert rec["schema"] == "wwk/1" and rec["published_at"].startswith("2022-09-13")
    killed = [c for c in rec["claims"] if c["quantity"] and c["quantity"]["counted"] == "killed"]
    assert killed and killed[0]["quantity"]["value"] == 3
    assert any(p["name"] == "Kharkiv" for p in rec["places"])


def test_ingest_twice_changes_nothing(store: Path) -> None:
    before = [
        wwk(cmd, "--db", str(store), "--format", "jsonl")[1] for cmd in ("documents", "claims", "events")
    ]
    code, _, _ = wwk("ingest", str(CORPUS), "--db", str(store), "--quiet")
    assert code == 0
    after = [
        wwk(cmd, "--db", str(store), "--format", "jsonl")[1] for cmd in ("documents", "claims", "events")
    ]
    assert before == after


def test_documents_formats(store: Path) -> None:
    _, out, _ = wwk("documents", "--db", str(store), "--format", "jsonl")
    rows = [json.loads(x) for x in out.splitlines()]
    n = sum(1 for ln in CORPUS.read_text(encoding="utf-8").splitlines() if ln.strip())
    # every report is stored once (a syndicated near-copy is stored and linked to its original)
    assert len(rows) == n + (1 if SEED.exists() else 0)
    assert len({r["id"] for r in rows}) == len(rows)
    for key in ("id", "url", "title", "source", "published_at", "language", "n_claims", "sightings"):
        assert key in rows[0]
    _, out, _ = wwk("documents", "--db", str(store), "--format", "csv")
    assert next(iter(csv.DictReader(io.StringIO(out))))["id"]


def test_claims_carry_evidence_that_resolves(store: Path) -> None:
    from whatweknow.store.store import open_store

    _, out, _ = wwk("claims", "--db", str(store), "--format", "jsonl")
    claims = [json.loads(x) for x in out.splitlines()]
    assert claims and all(c["schema"] == "wwk/1" and c["doc_id"] and "event_id" in c for c in claims)
    st = open_store(str(store))
    try:
        docs = st.documents_by_id()
    finally:
        st.close()
    for c in claims:
        s, e = c["evidence"]["span"]
        assert docs[c["doc_id"]].text[s:e] == c["evidence"]["text"]


def _side_history(events: list[dict], side: str) -> list[float]:
    """Own-side figures of one side over time (dead, or dead and missing), deduplicated in order."""
    points = []
    for e in events:
        for f in e["fatalities"]:
            if f["side"] != side or f.get("by_other_side"):
                continue
            for p in f["history"]:
                if p["claimant_country"] == side:
                    points.append((p["as_of"], p["value"]))
    seq: list[float] = []
    for _, v in sorted(points):
        if not seq or seq[-1] != v:
            seq.append(v)
    return seq


def test_figure_histories_per_side(store: Path) -> None:
    _, out, _ = wwk("events", "--db", str(store), "--format", "jsonl")
    events = [json.loads(x) for x in out.splitlines()]
    arm = _side_history(events, "ARM")
    aze = _side_history(events, "AZE")
    assert [v for v in arm if v in (49, 105, 135, 207)] == [49, 105, 135, 207], arm
    assert [v for v in aze if v in (50, 71, 79, 80)] == [50, 71, 79, 80], aze
    main = max(events, key=lambda e: len(e["documents"]))
    best = {(f["side"], f["kind"]): f["best"] for f in main["fatalities"]}
    assert best.get(("AZE", "military")) == 80


def test_brief_formats_and_citations(store: Path) -> None:
    code, md, _ = wwk("brief", "--db", str(store), "--format", "md")
    assert code == 0 and "Headline figures" in md
    code, html, _ = wwk("brief", "--db", str(store), "--format", "html")
    assert code == 0 and "<html" in html.lower()
    code, js, _ = wwk("brief", "--db", str(store), "--format", "json")
    brief = json.loads(js)
    assert brief


def test_export_csv_has_acled_columns(store: Path) -> None:
    code, out, _ = wwk("export", "--db", str(store), "--format", "csv")
    assert code == 0
    header = next(csv.reader(io.StringIO(out)))
    for col in (
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "country",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "time_precision",
        "source",
        "notes",
        "fatalities",
    ):
        assert col in header


def test_python_dash_m_is_the_same_cli() -> None:
    res = subprocess.run([sys.executable, "-m", "whatweknow", "--help"], capture_output=True, text=True)
    assert res.returncode == 0
    for cmd in ("extract", "ingest", "documents", "claims", "events", "brief", "export", "serve", "eval"):
        assert cmd in res.stdout


def test_every_command_and_setting_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert len(names) >= 9
    for cmd in names:
        assert f"wwk {cmd}" in readme, f"wwk {cmd} is not in the README"
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    import re

    for var in sorted(set(re.findall(r"\b(WWK_[A-Z_]+)\b", src))):
        assert var in readme, f"setting {var} is not in the README"


def test_brief_never_names_a_relaying_outlet_as_accuser(store: Path) -> None:
    """'Protesters accused him ...' reported by Caucasus Wire: the outlet relays, it does not accuse."""
    code, out, err = wwk("brief", "--db", str(store), "--format", "json")
    assert code == 0, err
    brief = json.loads(out)
    sec = next(s for s in brief["sections"] if s["key"] == "accusations")
    outlets = {"Caucasus Wire", "Plainfield Herald", "Atlas Review"}
    assert sec["lines"]
    assert not any(ln["cells"]["claimant"] in outlets for ln in sec["lines"])
    relayed = [ln for ln in sec["lines"] if "reported by Caucasus Wire" in ln["text"]]
    assert relayed and all(ln["text"].startswith("An unnamed source") for ln in relayed)
