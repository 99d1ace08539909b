"""Exact and near-duplicate detection.

- Exact: the sha256 of the cleaned text with whitespace collapsed
  (:func:`content_hash`), and a normalised canonical URL (:func:`canonical_url`).
- Near copies (a wire story re-published with a new headline, a paragraph cut):
  MinHash over word 5-shingles, 128 permutations. Two texts are near copies when
  their estimated Jaccard similarity is >= 0.8, or when it is >= 0.5 and the
  shorter text is >= 0.85 contained in the longer one. The second rule is there
  because trimming is what syndication does: cutting one paragraph in five and
  changing the headline leaves a Jaccard near 0.75 but a containment near 0.95.
  A signature is stored as bytes (128 little-endian uint64 hash values, then the
  number of shingles, which the containment estimate needs) so the store can
  persist it and rebuild an LSH index (:class:`NearDupIndex`).
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
THRESHOLD = 0.8  # estimated Jaccard that alone makes a near copy
CONTAINED_JACCARD = 0.5  # a lower Jaccard is enough when the shorter text is contained...
CONTAINMENT = 0.85  # ...to this degree in the longer one
SEED = 1
# datasketch >= 2.0 names its permutation scheme; signatures are stored as uint64
# whatever the scheme, and read back with this one
SCHEME = "affine32"

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
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    sh = shingles(text)
    if sh:
        m.update_batch(sh)
    return m


def minhash_of(text: str) -> bytes:
    """The text's signature as bytes: NUM_PERM little-endian uint64 MinHash
    values followed by the number of distinct shingles."""
    n = len(set(shingles(text)))
    values = _minhash(text).hashvalues.astype("<u8")
    return values.tobytes() + np.array([n], dtype="<u8").tobytes()


def _split(data: bytes) -> tuple[np.ndarray, int]:
    arr = np.frombuffer(data, dtype="<u8")
    if len(arr) != NUM_PERM + 1:
        raise ValueError(f"a signature holds {NUM_PERM + 1} values, got {len(arr)}")
    return arr[:NUM_PERM], int(arr[NUM_PERM])


def from_bytes(data: bytes) -> MinHash:
    values, _ = _split(data)
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values.astype(np.uint32), scheme=SCHEME)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures from :func:`minhash_of`."""
    va, na = _split(a)
    vb, nb = _split(b)
    if na == 0 or nb == 0:
        return 1.0 if na == nb else 0.0
    return float(np.count_nonzero(va == vb)) / NUM_PERM


def containment(a: bytes, b: bytes) -> float:
    """Estimated share of the smaller text's shingles found in the larger one
    (from the Jaccard estimate and the two shingle counts)."""
    _, na = _split(a)
    _, nb = _split(b)
    if na == 0 or nb == 0:
        return 1.0 if na == nb else 0.0
    j = similarity(a, b)
    inter = j * (na + nb) / (1.0 + j)
    return min(1.0, inter / min(na, nb))


def is_near_copy(a: bytes, b: bytes) -> bool:
    j = similarity(a, b)
    return j >= THRESHOLD or (j >= CONTAINED_JACCARD and containment(a, b) >= CONTAINMENT)


class NearDupIndex:
    """An in-memory MinHash LSH index over stored signatures.

    Build it from ``(doc_id, signature)`` pairs (the store does so lazily) and
    keep it current with :meth:`add`. ``candidates`` re-checks each LSH hit
    with :func:`is_near_copy`.
    """

    def __init__(self) -> None:
        # candidates come from LSH at the lower threshold, then pass is_near_copy
        self._lsh = MinHashLSH(threshold=CONTAINED_JACCARD, num_perm=NUM_PERM)
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
        """Stored near copies of the text with ``signature`` (see
        :func:`is_near_copy`) as ``(doc_id, estimated Jaccard)``, most similar first."""
        out: list[tuple[str, float]] = []
        for key in self._lsh.query(from_bytes(signature)):
            doc_id = str(key)
            other = self._sigs[doc_id]
            if is_near_copy(signature, other):
                out.append((doc_id, similarity(signature, other)))
        out.sort(key=lambda x: (-x[1], x[0]))
        return out
