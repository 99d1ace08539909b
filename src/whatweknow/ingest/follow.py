"""Keep ingesting: poll folders, feed files and feed URLs for new documents.

``Follower(targets).poll()`` yields, each time it is called, the inputs that
appeared since the previous call: new or changed files of a folder, new items
of a feed file, new items of a feed URL. For a feed URL, each new item's link
is fetched and its article page read (trafilatura); when the page cannot be
fetched (no network) or has no article, the item's own content is used.

Also here: :func:`parse_every` (``15m`` → 900 seconds) and
:func:`count_inputs`, a cheap count of the documents in files, for progress
bars.
"""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from whatweknow.errors import E, WwkError
from whatweknow.ingest.readers import (
    DEFAULT_MAX_MB,
    STDIN,
    Input,
    RawDoc,
    Rejected,
    iter_bytes,
    iter_inputs,
    sniff_kind,
)

FETCH_TIMEOUT = 10.0
USER_AGENT = "whatweknow/1 (+https://github.com/whatweknow; feed follower)"

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smh]?)", re.IGNORECASE)
_UNIT = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_every(value: str) -> float:
    """Seconds in a duration like ``90s``, ``15m``, ``1h``, ``1h30m`` or ``45``
    (seconds). Raises ``WwkError(E025)`` for anything else or for zero."""
    s = value.strip().lower().replace(" ", "")
    pos = 0
    total = 0.0
    while pos < len(s):
        m = _DURATION.match(s, pos)
        if m is None or m.end() == pos:
            raise WwkError(E.E025, value=value)
        total += float(m.group(1)) * _UNIT[m.group(2)]
        pos = m.end()
    if not s or total <= 0:
        raise WwkError(E.E025, value=value)
    return total


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


# --------------------------------------------------------------------------- counting

_FEED_ITEM = re.compile(rb"<(?:item|entry)[\s>]", re.IGNORECASE)
_MULTI = {".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".xml", ".rss", ".atom"}


def _count_file(path: Path, max_bytes: int) -> int:
    name = path.name.lower()
    gz = name.endswith(".gz")
    suffix = Path(name[:-3] if gz else name).suffix
    if suffix not in _MULTI:
        return 1
    try:
        if path.stat().st_size > max_bytes:
            return 1
        data = gzip.decompress(path.read_bytes()) if gz else path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile):
        return 1
    if suffix in (".xml", ".rss", ".atom"):
        return max(1, len(_FEED_ITEM.findall(data)))
    if suffix == ".json" and data.lstrip().startswith(b"["):
        return max(1, data.count(b'"text"'))
    lines = sum(1 for line in data.splitlines() if line.strip())
    if suffix in (".csv", ".tsv"):
        return max(1, lines - 1)
    return max(1, lines)


def count_inputs(paths: Sequence[str], max_mb: float = DEFAULT_MAX_MB) -> int | None:
    """About how many documents these paths hold (lines of JSONL, rows of CSV,
    items of feeds, one per other file); ``None`` when unknown (stdin)."""
    total = 0
    max_bytes = int(max_mb * 1024 * 1024)
    for p in paths:
        if p == STDIN or is_url(p):
            return None
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(path).parts):
                    total += _count_file(f, max_bytes)
        elif path.is_file():
            total += _count_file(path, max_bytes)
    return total


# --------------------------------------------------------------------------- fetching


def fetch(url: str, *, timeout: float = FETCH_TIMEOUT, max_mb: float = DEFAULT_MAX_MB) -> bytes:
    """The body at ``url`` (at most ``max_mb`` + 1 byte). Raises ``OSError``
    (``urllib.error.URLError`` included) when it cannot be fetched."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        data: bytes = resp.read(int(max_mb * 1024 * 1024) + 1)
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


# --------------------------------------------------------------------------- following


@dataclass(slots=True)
class Follower:
    """Polls ``targets`` (folders, feed files, feed URLs) for what is new.

    ``known_url`` tells whether an article URL is already stored (so a
    restarted follower does not fetch it again). ``notes`` collects one-line
    messages about transient problems (a feed URL that could not be fetched):
    they are printed, not recorded as rejected inputs.
    """

    targets: Sequence[str]
    published: datetime | None = None
    column_map: dict[str, str] | None = None
    known_url: Callable[[str], bool] | None = None
    fetch_links: bool = True
    timeout: float = FETCH_TIMEOUT
    max_mb: float = DEFAULT_MAX_MB
    notes: list[str] = field(default_factory=list)
    _files: dict[str, tuple[int, int]] = field(default_factory=dict)
    _items: set[str] = field(default_factory=set)
    _dead_hosts: set[str] = field(default_factory=set)

    def poll(self) -> Iterator[Input]:
        """The inputs that are new since the previous poll (everything, the first time)."""
        for target in self.targets:
            if is_url(target):
                yield from self._poll_url(target)
                continue
            path = Path(target)
            if path.is_dir():
                for f in sorted(path.rglob("*")):
                    rel = f.relative_to(path).parts
                    if f.is_file() and not any(p.startswith(".") for p in rel):
                        yield from self._poll_file(f, whole_file=True)
            elif path.is_file():
                yield from self._poll_file(path, whole_file=False)
            else:
                yield Rejected(target, None, E.E001.fmt(path=target))

    # a folder's file is read once (again when it changes); a single file
    # (a feed, a JSONL log) is reread when it changes, and only its new items pass
    def _poll_file(self, path: Path, *, whole_file: bool) -> Iterator[Input]:
        try:
            st = path.stat()
        except OSError:
            return
        key = str(path)
        stamp = (st.st_mtime_ns, st.st_size)
        if self._files.get(key) == stamp:
            return
        self._files[key] = stamp
        items = iter_inputs([key], published=self.published, column_map=self.column_map, max_mb=self.max_mb)
        for item in items:
            if isinstance(item, Rejected) or whole_file:
                yield item
                continue
            ident = _item_key(item)
            if ident in self._items:
                continue
            self._items.add(ident)
            yield item

    def _poll_url(self, url: str) -> Iterator[Input]:
        try:
            data = fetch(url, timeout=self.timeout, max_mb=self.max_mb)
        except (OSError, ValueError) as exc:
            self.notes.append(E.E026.fmt(path=url, reason=_why(exc)))
            return
        kind = sniff_kind(data)
        if kind not in ("feed", "json"):
            kind = "feed"
        for item in iter_bytes(data, url, kind, published=self.published, max_mb=self.max_mb):
            if isinstance(item, Rejected):
                yield item
                continue
            ident = _item_key(item)
            if ident in self._items:
                continue
            self._items.add(ident)
            if item.url and self.known_url is not None and self.known_url(item.url):
                continue
            yield self._with_article(item)

    def _with_article(self, item: RawDoc) -> RawDoc:
        """The item with the text of the article its link points to, when
        that page can be fetched and has an article; else the item as it is."""
        if not self.fetch_links or not item.url or not is_url(item.url):
            return item
        host = urllib.parse.urlparse(item.url).netloc
        if host in self._dead_hosts:
            return item
        try:
            page = fetch(item.url, timeout=self.timeout, max_mb=self.max_mb)
        except urllib.error.HTTPError:
            return item
        except (OSError, ValueError):
            self._dead_hosts.add(host)  # unreachable: do not wait on it for every item
            return item
        for got in iter_bytes(page, item.url, "html", published=item.published_at or self.published):
            if isinstance(got, Rejected):
                return item
            return RawDoc(
                text=got.text,
                id=item.id,
                url=item.url,
                title=item.title or got.title,
                source=item.source or got.source,
                published_at=item.published_at or got.published_at,
                language=got.language or item.language,
                raw_ref=item.raw_ref,
                author=item.author or got.author,
            )
        return item


def _item_key(item: RawDoc) -> str:
    if item.url:
        return "url:" + item.url
    if item.id:
        return "id:" + item.id
    import hashlib

    return "sha:" + hashlib.sha256(item.text.encode("utf-8", "surrogatepass")).hexdigest()


def _why(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason or exc).strip().splitlines()[0] if str(reason or exc).strip() else type(exc).__name__
