"""Tests for whatweknow.extract.clean: artifact repairs and the exact raw-offset map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whatweknow.extract.clean import clean_text, raw_span

SEED = Path("/work/shared/seed/000_8413c8a5d20a34e9.txt")
GEO_DEV = Path("/work/shared/eval/geoparsing/dev.jsonl")


def _check_map(raw: str, text: str, offsets: list[int]) -> None:
    assert len(offsets) == len(text) + 1
    assert offsets[-1] == len(raw)
    assert offsets == sorted(offsets)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("LArmenia and Azerbaijan blame each other.", "Armenia and Azerbaijan blame each other."),
        ("L‘Azerbaijan meanwhile accused Armenia.", "Azerbaijan meanwhile accused Armenia."),
        ("L'Azerbaijan meanwhile accused Armenia.", "Azerbaijan meanwhile accused Armenia."),
        (
            "After these clashes, theFrance is going to act.",
            "After these clashes, the France is going to act.",
        ),
        (
            "accused Armenia of“large-scale subversive acts”.",
            "accused Armenia of “large-scale subversive acts”.",
        ),
        ("tried to“to advance” in", "tried to “to advance” in"),
        (
            "large-caliber rifles”the Armenian Defense Ministry said.",
            "large-caliber rifles” the Armenian Defense Ministry said.",
        ),
        (
            "from 9 hours (8 hours, French time)will be respected",
            "from 9 hours (8 hours, French time) will be respected",
        ),
        ("foreign ministers.”he specified.", "foreign ministers.” he specified."),
    ],
)
def test_artifacts_repaired(raw: str, expected: str) -> None:
    c = clean_text(raw)
    assert c.text == expected
    _check_map(raw, c.text, c.offsets)


@pytest.mark.parametrize(
    "raw",
    [
        "LA Lakers beat the LGBT group at McDonald's, LeBron said.",
        "The LaToya show. L'Oréal. La Paz. Los Angeles. (s)he left.",
        "He said: “We will go.” Then they left (quietly).",
        "iPhone sales and eBay grew; theft rose in Toronto.",
    ],
)
def test_clean_english_unchanged(raw: str) -> None:
    c = clean_text(raw)
    assert c.text == raw
    assert c.offsets == list(range(len(raw) + 1))


def test_seed_repairs_and_map() -> None:
    raw = SEED.read_text(encoding="utf-8")
    c = clean_text(raw)
    t = c.text
    assert "\n\nArmenia and Azerbaijan blame each other" in t
    assert "Sotk. Azerbaijan meanwhile accused Armenia of “large-scale subversive acts”." in t
    assert "tried to “to advance” in Armenian territory" in t
    assert "large-caliber rifles” the Armenian Defense Ministry said." in t
    assert "(8 hours, French time) will be respected" in t
    assert "After these new clashes, the France is going to seize" in t
    assert "foreign ministers.” he specified." in t
    assert t.endswith("he specified.")
    assert "site-33" not in t
    assert "LArmenia" not in t and "L‘Azerbaijan" not in t
    _check_map(raw, t, c.offsets)
    # every character not inserted by a repair maps back to the same raw character
    inserted = [i for i, ch in enumerate(t) if raw[c.offsets[i]] != ch]
    assert all(t[i] == " " for i in inserted)
    assert len(inserted) == 6
    # a span round-trips to the raw text
    s = t.index("Armenia and Azerbaijan blame")
    rs, re_ = raw_span(c, (s, s + len("Armenia")))
    assert raw[rs:re_] == "Armenia"
    assert raw[rs - 1] == "L"
    s = t.index("Azerbaijan meanwhile")
    rs, re_ = raw_span(c, (s, s + 10))
    assert raw[rs:re_] == "Azerbaijan"
    assert raw[rs - 2 : rs] == "L‘"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Text here.\r\nMore text.\r\n\r\n\r\n\r\nEnd.   \n\n\nSource: site-12\n",
            "Text here.\nMore text.\n\nEnd.",
        ),
        ("Body text.\n\nRead more\nhttps://example.com/x\n", "Body text."),
        (
            "Body text.\n\nSources said the talks would resume.",
            "Body text.\n\nSources said the talks would resume.",
        ),
    ],
)
def test_whitespace_and_trailers(raw: str, expected: str) -> None:
    c = clean_text(raw)
    assert c.text == expected
    _check_map(raw, c.text, c.offsets)
    for i, ch in enumerate(c.text):
        if ch != "\n":
            assert raw[c.offsets[i]] == ch


def test_mojibake_repaired_with_map() -> None:
    raw = "the bag \x96 mostly electronics, Mafia said"
    c = clean_text(raw)
    assert c.text == "the bag – mostly electronics, Mafia said"
    assert c.offsets[8] == 8
    assert c.text[10:16] == raw[c.offsets[10] : c.offsets[16]]


def test_geoparsing_texts_only_whitespace_changes() -> None:
    """Clean English news (no mojibake): nothing but whitespace may change."""
    n = 0
    with GEO_DEV.open(encoding="utf-8") as fh:
        for line in fh:
            raw = json.loads(line)["text"]
            if any(ch in raw for ch in "\x80\x96\x97\x91\x92\x93\x94Â"):
                continue  # ftfy repairs those: tested above
            c = clean_text(raw)
            assert "".join(c.text.split()) == "".join(raw.split()), raw[:80]
            _check_map(raw, c.text, c.offsets)
            n += 1
            if n >= 60:
                break
    assert n == 60
