"""Exact and near-duplicate detection, alone and through the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from whatweknow.ingest.dedup import (
    NUM_PERM,
    NearDupIndex,
    canonical_url,
    containment,
    content_hash,
    is_near_copy,
    minhash_of,
    shingles,
    similarity,
)
from whatweknow.model import Document, Extraction
from whatweknow.store import open_store

FX = Path(__file__).parent / "fixtures" / "ingest"
WIRE = (FX / "wire_story.txt").read_text(encoding="utf-8")
COPY = (FX / "syndicated_copy.txt").read_text(encoding="utf-8")
OTHER = (FX / "unrelated.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM/news/story/", "https://www.example.com/news/story"),
        ("https://example.com/a?utm_source=tw&utm_medium=social&id=7#comments", "https://example.com/a?id=7"),
        ("https://example.com:443/a/?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("http://example.com:8080/a?fbclid=XYZ", "http://example.com:8080/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/Path/Case", "https://example.com/Path/Case"),
        ("  ", None),
        (None, None),
        ("urn:example:ridge-monitor:1", "urn:example:ridge-monitor:1"),
    ],
)
def test_canonical_url(url: str | None, expected: str | None) -> None:
    assert canonical_url(url) == expected


def test_content_hash_ignores_whitespace_runs() -> None:
    assert content_hash("Four  civilians\nwere killed. ") == content_hash("Four civilians were killed.")
    assert (
        content_hash("Four civilians were killed.")
        == "cfc91d894ffb9638569c0c339e2ff1ba6ed9d56a3d0fbc17db8f6912a5ea8a34"
    )
    assert content_hash("Four civilians were killed.") != content_hash("Five civilians were killed.")


def test_shingles() -> None:
    assert shingles("One two three four five six") == [b"one two three four five", b"two three four five six"]
    assert shingles("Too short") == [b"too short"]
    assert shingles("") == []


def test_signature_layout() -> None:
    sig = minhash_of(WIRE)
    assert len(sig) == (NUM_PERM + 1) * 8
    assert similarity(sig, minhash_of(WIRE)) == 1.0
    assert similarity(minhash_of(""), minhash_of("")) == 1.0


def test_syndicated_near_copy() -> None:
    """New headline, last paragraph trimmed: true Jaccard ~0.76, containment ~0.95."""
    a, b = minhash_of(WIRE), minhash_of(COPY)
    assert 0.65 <= similarity(a, b) < 0.8
    assert containment(a, b) >= 0.85
    assert is_near_copy(a, b) and is_near_copy(b, a)


def test_unrelated_is_not_a_near_copy() -> None:
    a, c = minhash_of(WIRE), minhash_of(OTHER)
    assert similarity(a, c) < 0.1
    assert not is_near_copy(a, c)


def test_story_that_is_under_half_of_a_digest_is_not_a_copy() -> None:
    # a digest: the story plus more than as much other text (here: the story's words backwards)
    filler = " ".join(reversed(WIRE.split()))
    digest = OTHER + "\n\n" + WIRE + "\n\n" + filler
    a, d = minhash_of(WIRE), minhash_of(digest)
    assert containment(a, d) >= 0.85 and similarity(a, d) < 0.5
    assert not is_near_copy(a, d)


def test_index() -> None:
    idx = NearDupIndex()
    idx.add("wire", minhash_of(WIRE))
    idx.add("other", minhash_of(OTHER))
    idx.add("wire", minhash_of(WIRE))  # adding twice is harmless
    assert len(idx) == 2 and "wire" in idx
    (hit,) = idx.candidates(minhash_of(COPY))
    assert hit[0] == "wire" and 0.65 <= hit[1] < 0.8
    assert idx.candidates(minhash_of("Nothing like any stored text at all, about gardening and bees.")) == []


def _ex(text: str, source: str) -> Extraction:
    return Extraction(doc=Document(text=text, source=source, language="en"))


def test_store_marks_near_copy_and_rebuilds_index(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    s = open_store(db)
    first = s.add_extraction(_ex(WIRE, "Northwire"), raw_ref="wire_story.txt")
    assert (first.status, first.near_dup_of) == ("added", None)
    s.add_extraction(_ex(OTHER, "Valley Post"))
    s.close()
    # a fresh process: the LSH index is rebuilt from the stored signatures
    s = open_store(db)
    copy = s.add_extraction(_ex(COPY, "Coast Daily"), raw_ref="syndicated_copy.txt")
    assert (copy.status, copy.near_dup_of) == ("added", first.doc_id)
    rows = {r.source: r for r in s.documents()}
    assert rows["Coast Daily"].near_dup_of == first.doc_id
    assert rows["Valley Post"].near_dup_of is None
    cands = s.near_duplicate_candidates(minhash_of(COPY))
    assert [c[0] for c in cands] == [copy.doc_id, first.doc_id]  # itself (1.0) first
    # exact copy with different whitespace: a sighting, not a new document
    again = s.add_extraction(_ex(WIRE.replace("\n\n", "\n\n\n"), "Mirror Site"), raw_ref="mirror.txt")
    assert (again.status, again.doc_id) == ("sighting", first.doc_id)
    s.close()
