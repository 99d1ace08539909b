"""Exact and near-duplicate detection.

- Exact: the sha256 of the cleaned text with whitespace collapsed
  (:func:`content_hash`), and a normalised canonical URL (:func:`canonical_url`).
- Near copies (a wire story re-published with a new headline, a paragraph cut):
  MinHash over word 5-shingles, 128 permutations; estimated Jaccard >= 0.8 means
  a near copy. A MinHash is stored as bytes (128 little-endian uint64 values) so
  the store can persist it and rebuild an LSH index (:class:`NearDupIndex`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.8
SEED = 1

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")

# query parameters that only track the reader, never select content
_TRACKING = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ocid", "cmpid", "_ga"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


# --------------------------------------------------------------------------- exact


def normalise_for_hash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """sha256 hex digest of the text with runs of whitespace collapsed."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


def canonical_url(url: str | None) -> str | None:
    """Normalise a URL so that two links to the same page compare equal.

    Lowercases scheme and host, drops default ports, ``utm_*`` and other
    tracking parameters, the fragment and a trailing slash; sorts the query.
    Returns ``None`` for an empty value; a string that is not an http(s) URL is
    returned stripped and otherwise unchanged.
    """
    if url is None:
        return None
    url = url.strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    path = parts.path or "/"
    while len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
    ]
    query.sort()
    return urlunsplit((scheme, host, path, urlencode(query), ""))


# --------------------------------------------------------------------------- near


def shingles(text: str, k: int = SHINGLE) -> list[bytes]:
    """Word k-shingles of the lowercased text (one shingle when it is shorter)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return []
    if len(words) <= k:
        return [" ".join(words).encode("utf-8")]
    return [" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)]


def _minhash(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    sh = shingles(text)
    if sh:
        m.update_batch(sh)
    return m


def minhash_of(text: str) -> bytes:
    """The text's MinHash signature as bytes (NUM_PERM little-endian uint64)."""
    return _minhash(text).hashvalues.astype("<u8").tobytes()


def from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(data, dtype="<u8").astype(np.uint64)
    if len(values) != NUM_PERM:
        raise ValueError(f"a MinHash needs {NUM_PERM} values, got {len(values)}")
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures from :func:`minhash_of`."""
    va = np.frombuffer(a, dtype="<u8")
    vb = np.frombuffer(b, dtype="<u8")
    if len(va) != len(vb) or len(va) == 0:
        raise ValueError("signatures of different lengths")
    return float(np.count_nonzero(va == vb)) / len(va)


class NearDupIndex:
    """An in-memory MinHash LSH index over stored signatures.

    Build it from ``(doc_id, signature)`` pairs (the store does so lazily) and
    keep it current with :meth:`add`. ``candidates`` re-checks each LSH hit
    with the estimated Jaccard so the answer never includes a pair below the
    threshold.
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[str, bytes] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._sigs

    def add(self, doc_id: str, signature: bytes) -> None:
        if doc_id in self._sigs:
            return
        self._lsh.insert(doc_id, from_bytes(signature))
        self._sigs[doc_id] = signature

    def add_all(self, items: Iterable[tuple[str, bytes]]) -> None:
        for doc_id, sig in items:
            self.add(doc_id, sig)

    def candidates(self, signature: bytes) -> list[tuple[str, float]]:
        """Stored documents whose estimated Jaccard with ``signature`` is at
        least the threshold, most similar first."""
        out: list[tuple[str, float]] = []
        for key in self._lsh.query(from_bytes(signature)):
            doc_id = str(key)
            sim = similarity(signature, self._sigs[doc_id])
            if sim >= self.threshold:
                out.append((doc_id, sim))
        out.sort(key=lambda x: (-x[1], x[0]))
        return out
