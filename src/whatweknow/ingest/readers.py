"""Input readers: files, folders and stdin to :class:`RawDoc` or :class:`Rejected`.

``iter_inputs`` never raises for a user's bad file: it yields a ``Rejected``
(with a one-line message from :mod:`whatweknow.errors`) and goes on. Only
:func:`check_paths`, which the CLI calls first, raises for a missing path.

Supported: ``.txt`` (one document), ``.html``/``.htm`` (trafilatura),
``.jsonl``/``.json`` (the INTERFACE input format), ``.csv``/``.tsv`` (with a
column map), RSS/Atom (``.xml``/``.rss``/``.atom`` or sniffed), any of these
gzipped (``.gz``), folders (recursive, sorted) and ``-`` (JSONL on stdin).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from whatweknow.errors import E, WwkError
from whatweknow.ingest.language import detect_language

DEFAULT_MAX_MB = 50
STDIN = "-"
STDIN_NAME = "<stdin>"
# a published_at this far past "now" is a typo or a wrong timezone, not news
FUTURE_SLACK = timedelta(days=1)
# fewer words than this in a page's main text: a menu or index page, not an article
MIN_HTML_WORDS = 15

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv", ".tsv"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES | FEED_SUFFIXES

# the fields a document may carry, and their default column names in CSV
FIELDS = ("text", "id", "url", "title", "source", "published_at", "language")


@dataclass(slots=True)
class RawDoc:
    """One document as read, before cleaning. ``text`` is the raw text."""

    text: str
    id: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    raw_ref: str | None = None  # "path" or "path:line" (line/row/item number)
    author: str | None = None


@dataclass(slots=True)
class Rejected:
    """An input that cannot be read; ``reason`` is the one-line message to print."""

    path: str
    row: int | None
    reason: str


Input = RawDoc | Rejected


class _Reject(Exception):
    """Internal: a whole file is rejected with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- paths


def check_paths(paths: list[str]) -> None:
    """Raise ``WwkError(E001)`` for the first path that does not exist."""
    for p in paths:
        if p == STDIN:
            continue
        if not os.path.exists(p):
            raise WwkError(E.E001, path=p)


def _walk(path: Path) -> Iterator[Path]:
    """Files under a folder, recursively, in sorted order; hidden entries skipped."""
    try:
        entries = sorted(path.iterdir(), key=lambda p: p.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.is_file():
            yield entry


def iter_inputs(
    paths: list[str],
    *,
    published: datetime | None = None,
    column_map: dict[str, str] | None = None,
    max_mb: float = DEFAULT_MAX_MB,
    now: datetime | None = None,
) -> Iterator[Input]:
    """Read every path in order and yield one ``RawDoc`` per document found, or
    a ``Rejected`` for each file, line or row that cannot be used.

    ``published`` is the publication time of documents that do not carry one.
    ``column_map`` maps document fields to CSV column names (``{"text": "body"}``).
    ``now`` is the clock for the future-date check (default: the current time).
    """
    ctx = _Ctx(
        published=_aware(published) if published else None,
        column_map=dict(column_map or {}),
        max_bytes=int(max_mb * 1024 * 1024),
        max_mb=max_mb,
        now=_aware(now) if now else datetime.now(UTC),
    )
    for p in paths:
        if p == STDIN:
            yield from _read_stdin(ctx)
            continue
        path = Path(p)
        if path.is_dir():
            for f in _walk(path):
                yield from _read_file(f, ctx)
        else:
            yield from _read_file(path, ctx)


def iter_bytes(
    data: bytes,
    label: str,
    kind: str,
    *,
    published: datetime | None = None,
    max_mb: float = DEFAULT_MAX_MB,
    now: datetime | None = None,
) -> Iterator[Input]:
    """Read bytes fetched from elsewhere (a URL) as ``kind``: "feed", "html",
    "json" or "txt"; ``label`` names them in messages (the URL)."""
    ctx = _Ctx(
        published=_aware(published) if published else None,
        column_map={},
        max_bytes=int(max_mb * 1024 * 1024),
        max_mb=max_mb,
        now=_aware(now) if now else datetime.now(UTC),
    )
    try:
        if len(data) > ctx.max_bytes:
            raise _Reject(E.E016.fmt(path=label, size_mb=len(data) / 1048576, limit_mb=_fmt_mb(ctx.max_mb)))
        if not data.strip():
            raise _Reject(E.E003.fmt(path=label))
        if kind == "feed":
            yield from _read_feed(data, label, ctx)
        elif kind == "html":
            yield from _read_html(data, label, ctx)
        elif kind == "json":
            yield from _read_json(decode_text(data, label), label, ctx)
        else:
            yield from _read_txt(data, label, ctx)
    except _Reject as rej:
        yield Rejected(label, None, rej.message)


def sniff_kind(data: bytes) -> str:
    """Which reader suits these bytes: feed, html, json or txt."""
    return _sniff(data)


@dataclass(slots=True)
class _Ctx:
    published: datetime | None
    column_map: dict[str, str]
    max_bytes: int
    max_mb: float
    now: datetime


# --------------------------------------------------------------------------- bytes


def _read_bytes(path: Path, ctx: _Ctx) -> bytes:
    """The file's bytes (decompressed for .gz), enforcing the size limit."""
    label = str(path)
    try:
        size = path.stat().st_size
        if size > ctx.max_bytes:
            raise _Reject(E.E016.fmt(path=label, size_mb=size / 1048576, limit_mb=_fmt_mb(ctx.max_mb)))
        with open(path, "rb") as fh:
            data = fh.read(ctx.max_bytes + 1)
    except OSError as exc:
        raise _Reject(E.E002.fmt(path=label, reason=exc.strerror or type(exc).__name__)) from exc
    if path.suffix.lower() == ".gz":
        data = _gunzip(data, label, ctx)
    if len(data) > ctx.max_bytes:
        raise _Reject(E.E016.fmt(path=label, size_mb=len(data) / 1048576, limit_mb=_fmt_mb(ctx.max_mb)))
    if not data.strip():
        raise _Reject(E.E003.fmt(path=label))
    return data


def _gunzip(data: bytes, label: str, ctx: _Ctx) -> bytes:
    if not data:
        raise _Reject(E.E003.fmt(path=label))
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(ctx.max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise _Reject(E.E023.fmt(path=label, reason=str(exc) or type(exc).__name__)) from exc
    return out


def _fmt_mb(mb: float) -> str:
    return f"{mb:g}"


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_text(data: bytes, label: str) -> str:
    """Decode bytes as text: a BOM, else UTF-8, else a detected encoding.

    Raises ``_Reject`` with E004 (binary) or E005 (no encoding found).
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as exc:
                raise _Reject(E.E005.fmt(path=label)) from exc
    if b"\x00" in data:
        raise _Reject(E.E004.fmt(path=label))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise _Reject(E.E005.fmt(path=label))
    text = str(best)
    # a "decoding" full of control characters is a binary file read as text
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise _Reject(E.E004.fmt(path=label))
    return text


# --------------------------------------------------------------------------- dispatch


def _kind(path: Path, data: bytes | None = None) -> str | None:
    """Which reader: by suffix (ignoring .gz), else by sniffing the content."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix
    if suffix in TEXT_SUFFIXES:
        return "txt"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in CSV_SUFFIXES:
        return "tsv" if suffix == ".tsv" else "csv"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix == "" and data is not None:
        return _sniff(data)
    return None


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return Path(name).suffix


_FEED_SNIFF = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_SNIFF = re.compile(rb"<(!doctype html|html|body|article)[\s>]", re.IGNORECASE)


def _sniff(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        if _FEED_SNIFF.search(head):
            return "feed"
        if _HTML_SNIFF.search(head):
            return "html"
    if head.startswith((b"{", b"[")):
        return "json"
    return "txt"


def _read_file(path: Path, ctx: _Ctx) -> Iterator[Input]:
    label = str(path)
    suffix = _suffix(path)
    if suffix and suffix not in SUPPORTED:
        yield Rejected(label, None, E.E012.fmt(path=label, suffix=suffix))
        return
    try:
        data = _read_bytes(path, ctx)
        kind = _kind(path, data) or "txt"
        if kind == "txt":
            yield from _read_txt(data, label, ctx)
        elif kind == "html":
            yield from _read_html(data, label, ctx)
        elif kind == "json":
            yield from _read_json(decode_text(data, label), label, ctx)
        elif kind in ("csv", "tsv"):
            yield from _read_csv(
                decode_text(data, label), label, ctx, delimiter="\t" if kind == "tsv" else ","
            )
        else:
            yield from _read_feed(data, label, ctx)
    except _Reject as rej:
        yield Rejected(label, None, rej.message)


def _read_stdin(ctx: _Ctx) -> Iterator[Input]:
    data = sys.stdin.buffer.read(ctx.max_bytes + 1)
    if len(data) > ctx.max_bytes:
        yield Rejected(
            STDIN_NAME,
            None,
            E.E016.fmt(path=STDIN_NAME, size_mb=len(data) / 1048576, limit_mb=_fmt_mb(ctx.max_mb)),
        )
        return
    if not data.strip():
        yield Rejected(STDIN_NAME, None, E.E003.fmt(path=STDIN_NAME))
        return
    try:
        text = decode_text(data, STDIN_NAME)
    except _Reject as rej:
        yield Rejected(STDIN_NAME, None, rej.message)
        return
    yield from _read_jsonl_lines(text, STDIN_NAME, ctx, ref_prefix=STDIN)


# --------------------------------------------------------------------------- fields


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y")


def parse_published(value: Any) -> datetime:
    """A publication time from ISO 8601, RFC 2822 or a few common date forms.

    Naive times are taken as UTC. Raises ``ValueError`` when it is not a date.
    """
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), tz=UTC)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("not a date")
    s = value.strip()
    iso = s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s
    try:
        return _aware(datetime.fromisoformat(iso))
    except ValueError:
        pass
    try:
        return _aware(parsedate_to_datetime(s))
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _DATE_FORMATS:
        try:
            return _aware(datetime.strptime(s, fmt))
        except ValueError:
            continue
    raise ValueError(f"{s!r} is not a date")


def _str(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _finish(doc: RawDoc, where: str, row: int | None, ctx: _Ctx, path: str) -> Input:
    """Default the publication time and language; reject a future date."""
    if doc.published_at is None and ctx.published is not None:
        doc.published_at = ctx.published
    if doc.published_at is not None and doc.published_at > ctx.now + FUTURE_SLACK:
        return Rejected(path, row, E.E017.fmt(path=where, value=doc.published_at.isoformat()))
    if not doc.language:
        doc.language = detect_language(doc.text)
    return doc


def _fields(obj: dict[str, Any], where: str, path: str, row: int, ctx: _Ctx, raw_ref: str) -> Input:
    """A RawDoc from a JSON object or CSV row (already mapped to field names)."""
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return Rejected(path, row, E.E007.fmt(path=path, line=row))
    published: datetime | None = None
    if obj.get("published_at") not in (None, ""):
        try:
            published = parse_published(obj["published_at"])
        except (ValueError, OverflowError, OSError):
            return Rejected(
                path,
                row,
                E.E014.fmt(
                    path=path,
                    line=row,
                    reason=f"published_at {obj['published_at']!r} is not a date (use ISO 8601: 2022-09-13)",
                ),
            )
    doc = RawDoc(
        text=text,
        id=_str(obj.get("id")),
        url=_str(obj.get("url")),
        title=_str(obj.get("title")),
        source=_str(obj.get("source")),
        published_at=published,
        language=_str(obj.get("language")),
        raw_ref=raw_ref,
        author=_str(obj.get("author")),
    )
    return _finish(doc, where, row, ctx, path)


# --------------------------------------------------------------------------- readers


def _read_txt(data: bytes, label: str, ctx: _Ctx) -> Iterator[Input]:
    text = decode_text(data, label)
    if not text.strip():
        raise _Reject(E.E003.fmt(path=label))
    yield _finish(RawDoc(text=text, raw_ref=label), label, None, ctx, label)


def _read_json(text: str, label: str, ctx: _Ctx) -> Iterator[Input]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        # a JSON array of documents (a .json file); fall back to lines if it is not one
        try:
            items = json.loads(text)
        except json.JSONDecodeError:
            items = None
        if isinstance(items, list):
            for i, item in enumerate(items, 1):
                where = f"{label}, item {i}"
                if not isinstance(item, dict):
                    yield Rejected(label, i, E.E007.fmt(path=label, line=i))
                    continue
                yield _fields(item, where, label, i, ctx, f"{label}:{i}")
            return
    yield from _read_jsonl_lines(text, label, ctx, ref_prefix=label)


def _read_jsonl_lines(text: str, label: str, ctx: _Ctx, *, ref_prefix: str) -> Iterator[Input]:
    lines = text.splitlines()
    # a pretty-printed single object spanning lines (a .json file)
    if len(lines) > 1 and lines[0].strip() == "{":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError:
            obj = None
        if isinstance(obj, dict):
            yield _fields(obj, label, label, 1, ctx, f"{ref_prefix}:1")
            return
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(label, n, E.E006.fmt(path=label, line=n, reason=exc.msg))
            continue
        if not isinstance(obj, dict):
            yield Rejected(label, n, E.E007.fmt(path=label, line=n))
            continue
        yield _fields(obj, f"{label}, line {n}", label, n, ctx, f"{ref_prefix}:{n}")


def _read_csv(text: str, label: str, ctx: _Ctx, *, delimiter: str) -> Iterator[Input]:
    columns = {f: ctx.column_map.get(f, f) for f in FIELDS}
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise _Reject(E.E003.fmt(path=label)) from exc
    header = [h.strip().lstrip("\ufeff") for h in header]
    index = {h: i for i, h in enumerate(header)}
    if columns["text"] not in index:
        hint = "pass --map text=COLUMN" if "text" not in ctx.column_map else "check --map"
        reason = f"no {columns['text']!r} column (columns: {', '.join(header)}); {hint}"
        yield Rejected(label, 1, E.E014.fmt(path=label, line=1, reason=reason))
        return
    missing = [f"{f}={c}" for f, c in ctx.column_map.items() if f in FIELDS and c not in index]
    if missing:
        reason = f"--map names columns the file lacks: {', '.join(missing)} (columns: {', '.join(header)})"
        yield Rejected(label, 1, E.E014.fmt(path=label, line=1, reason=reason))
        return
    row = 1
    while True:
        row += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Rejected(label, row, E.E014.fmt(path=label, line=row, reason=f"unreadable CSV ({exc})"))
            return
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            reason = (
                f"{len(values)} fields but the header has {len(header)} "
                f"(quote fields that hold a {delimiter!r})"
            )
            yield Rejected(label, row, E.E014.fmt(path=label, line=row, reason=reason))
            continue
        obj = {
            f: values[index[c]] if index[c] < len(values) else None for f, c in columns.items() if c in index
        }
        text_v = obj.get("text")
        if not isinstance(text_v, str) or not text_v.strip():
            reason = f"empty {columns['text']!r} column"
            yield Rejected(label, row, E.E014.fmt(path=label, line=row, reason=reason))
            continue
        yield _fields(obj, f"{label}, row {row}", label, row, ctx, f"{label}:{row}")


def _read_html(data: bytes, label: str, ctx: _Ctx) -> Iterator[Input]:
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Reject(E.E004.fmt(path=label))
    html = decode_text(data, label)
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
                "original_date": True,
                "extensive_search": False,
            },
        )
    except (ValueError, TypeError, AttributeError) as exc:
        raise _Reject(E.E015.fmt(path=label, reason=f"the page could not be parsed: {exc}")) from exc
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise _Reject(E.E015.fmt(path=label, reason="trafilatura found no main text"))
    n_words = len(text.split())
    if n_words < MIN_HTML_WORDS:
        raise _Reject(E.E015.fmt(path=label, reason=f"only {n_words} words of main text"))
    published: datetime | None = None
    date = getattr(result, "date", None)
    if date:
        try:
            published = parse_published(date)
        except ValueError:
            published = None
    # one paragraph per line in trafilatura's output: blank lines make them sentence breaks
    body = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    doc = RawDoc(
        text=body,
        url=_str(getattr(result, "url", None)),
        title=_str(getattr(result, "title", None)),
        source=_str(getattr(result, "sitename", None)) or _str(getattr(result, "hostname", None)),
        published_at=published,
        language=_html_lang(html) or _str(getattr(result, "language", None)),
        raw_ref=label,
        author=_str(getattr(result, "author", None)),
    )
    yield _finish(doc, label, None, ctx, label)


_HTML_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.IGNORECASE)


def _html_lang(html: str) -> str | None:
    m = _HTML_LANG.search(html[:5000])
    return m.group(1).lower() if m else None


# --------------------------------------------------------------------------- feeds


class _TextOnly(HTMLParser):
    """Text of an HTML fragment; block elements become paragraph breaks."""

    BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "tr",
            "section",
        }
    )
    SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(fragment: str) -> str:
    """Plain text of an HTML fragment, paragraphs separated by blank lines."""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paras if p)


def _entry_time(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        st = entry.get(key)
        if st:
            try:
                y, mo, d, h, mi, sec = (int(x) for x in st[:6])
                return datetime(y, mo, d, h, mi, min(sec, 59), tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _entry_html(entry: Any) -> str:
    """The longest content of a feed item, else its summary or description."""
    html = ""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if len(value) > len(html):
            html = value
    if not html:
        html = entry.get("summary") or entry.get("description") or ""
    return str(html)


def _read_feed(data: bytes, label: str, ctx: _Ctx) -> Iterator[Input]:
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Reject(E.E004.fmt(path=label))
    import feedparser

    parsed = feedparser.parse(data)
    entries = list(parsed.get("entries") or [])
    version = parsed.get("version") or ""
    if parsed.get("bozo") and not any(_entry_html(e) for e in entries):
        # broken XML and nothing usable recovered from it: the feed is at fault, not an item
        exc = parsed.get("bozo_exception")
        reason = str(exc).splitlines()[0] if exc else "unreadable XML"
        raise _Reject(E.E019.fmt(path=label, reason=reason))
    if not version and not entries:
        raise _Reject(E.E019.fmt(path=label, reason="no <rss>, <feed> or <rdf:RDF> root element"))
    feed = parsed.get("feed") or {}
    feed_source = _str(feed.get("title"))
    feed_lang = _str(feed.get("language"))
    if not entries:
        raise _Reject(E.E019.fmt(path=label, reason="the feed has no items"))
    for n, entry in enumerate(entries, 1):
        where = f"{label}, item {n}"
        text = strip_html(_entry_html(entry))
        if not text:
            yield Rejected(
                label, n, E.E014.fmt(path=label, line=n, reason="the feed item has no content or summary")
            )
            continue
        title = _str(strip_html(entry.get("title") or "")) if entry.get("title") else None
        source_title = None
        src = entry.get("source")
        if isinstance(src, dict):
            source_title = _str(src.get("title"))
        lang = feed_lang
        if entry.get("language"):
            lang = _str(entry.get("language"))
        doc = RawDoc(
            text=text,
            url=_str(entry.get("link")),
            title=title,
            source=source_title or feed_source,
            published_at=_entry_time(entry),
            language=lang.split("-")[0].lower() if lang else None,
            raw_ref=f"{label}:{n}",
            author=_str(entry.get("author")),
        )
        yield _finish(doc, where, n, ctx, label)
