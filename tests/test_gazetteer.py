"""The gazetteer index: names, alternate names, curated regions, demonyms, disk cache."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from whatweknow.extract.gazetteer import Gazetteer, load_gazetteer, normalize


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_normalize() -> None:
    assert normalize("Nagorno-Karabakh") == "nagorno karabakh"
    assert normalize("the U.S.") == "the us"
    assert normalize("Québec") == "quebec"
    assert normalize("Armenia’s") == "armenia"


def test_towns(gaz: Gazetteer) -> None:
    goris = next(c for c in gaz.lookup("Goris") if c.primary)
    assert (goris.country, goris.admin1, goris.geonames_id) == ("ARM", "Syunik", 174895)
    assert goris.lat == pytest.approx(39.51, abs=0.01) and goris.lon == pytest.approx(46.34, abs=0.01)
    sotk = gaz.lookup("Sotk")[0]
    assert (sotk.country, sotk.admin1) == ("ARM", "Gegharkunik")
    assert sotk.lat == pytest.approx(40.20, abs=0.01) and sotk.lon == pytest.approx(45.87, abs=0.01)
    # an alternate name
    assert gaz.lookup("Stepanakert")[0].country == "AZE"


def test_countries_and_regions(gaz: Gazetteer) -> None:
    for name in ("US", "the U.S.", "United States", "America"):
        assert gaz.lookup(name)[0].country == "USA", name
    uk = gaz.lookup("Britain")[0]
    assert (uk.country, uk.precision) == ("GBR", "country")
    nk = gaz.lookup("Nagorno-Karabakh")[0]
    assert (nk.precision, nk.country) == ("region", "AZE")
    assert gaz.lookup("Syunik province")[0].precision == "admin1"
    assert gaz.lookup("Europe")[0].precision == "continent"
    assert {c.country for c in gaz.lookup("Georgia")} >= {"GEO", "USA"}


def test_demonyms(gaz: Gazetteer) -> None:
    arm = gaz.lookup("Armenian")[0]
    assert arm.is_demonym and arm.country == "ARM" and arm.precision == "country"
    assert gaz.lookup("Azeris")[0].country == "AZE"


def test_no_weekdays(gaz: Gazetteer) -> None:
    assert gaz.lookup("Tuesday") == []


def test_disk_cache(tmp_path: Path) -> None:
    """A second process loads the pickled index, not the JSON."""
    import subprocess
    import sys

    env = dict(os.environ, WWK_CACHE_DIR=str(tmp_path))
    code = "from whatweknow.extract.gazetteer import load_gazetteer; load_gazetteer()"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert len(list(tmp_path.glob("gazetteer-*.pickle"))) == 1
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert time.perf_counter() - t < 2.0
