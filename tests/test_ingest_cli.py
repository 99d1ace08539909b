"""`wwk ingest` as a user runs it: bad inputs, languages, progress output,
near copies, and --follow over a folder, a feed file and a feed URL."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from whatweknow.errors import WwkError
from whatweknow.ingest.follow import count_inputs, parse_every

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "fixtures" / "bad"
CORPUS = ROOT / "samples" / "corpus.jsonl"


def wwk(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "whatweknow", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def spawn(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "whatweknow", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def n_docs(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def wait_for(pred: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


# --------------------------------------------------------------------------- durations, counting


@pytest.mark.parametrize(
    ("value", "seconds"), [("15m", 900.0), ("30s", 30.0), ("1h", 3600.0), ("1h30m", 5400.0), ("45", 45.0)]
)
def test_parse_every(value: str, seconds: float) -> None:
    assert parse_every(value) == seconds


@pytest.mark.parametrize("value", ["", "soon", "0m", "15x", "m"])
def test_parse_every_rejects(value: str) -> None:
    with pytest.raises(WwkError) as err:
        parse_every(value)
    assert str(err.value).startswith("[E025] --every")


def test_count_inputs() -> None:
    # 18 JSONL lines; the bad folder: 13 files, 3 of them multi-document (2 + 3 + 1 lines/rows)
    assert count_inputs([str(CORPUS)]) == 18
    assert count_inputs([str(BAD)]) == 10 + 2 + 3 + 1
    assert count_inputs(["-"]) is None


# --------------------------------------------------------------------------- bad inputs

EXPECTED_BAD = [
    "[E006] bad/bad_lines.jsonl, line 2: not valid JSON (Unterminated string starting at). "
    "Fix the line or remove it.",
    "[E007] bad/bad_lines.jsonl, line 3: no 'text' field, or an empty one. Each JSONL line needs at least a non-empty \"text\" string.",
    "[E014] bad/bad_row.csv, row 3: 6 fields but the header has 3 (quote fields that hold a ','). "
    "Fix the row or remove it.",
    "[E004] bad/binary.txt: looks binary, not text. Pass a .txt, .html, .jsonl, .csv or feed file.",
    "[E003] bad/empty.txt: is empty. Remove it or give it some text.",
    "[E018] bad/french.txt: language 'fr' is not supported yet (only English is extracted). "
    "It is stored, not extracted.",
    "[E017] bad/future.jsonl, line 1: published_at 2999-01-01T00:00:00+00:00 is in the future. "
    "Check the date, or leave it out.",
    "[E024] bad/gibberish.txt: the language could not be identified (gibberish, or mixed languages?). "
    'It is stored, not extracted; give it a "language" field if it is English.',
    "[E016] bad/huge.txt: 51 MB is over the 50 MB limit. Split the file, or raise --max-mb.",
    "[E015] bad/index_page.html: no article text found (only 5 words of main text). "
    "Save the article page itself, not an index page.",
    "[E019] bad/malformed_feed.xml: not a valid RSS/Atom feed (<unknown>:2:103: mismatched tag). "
    "Check the file is a feed.",
    "[E018] bad/spanish.txt: language 'es' is not supported yet (only English is extracted). "
    "It is stored, not extracted.",
]


def test_bad_folder(tmp_path: Path) -> None:
    shutil.copytree(BAD, tmp_path / "bad")
    with open(tmp_path / "bad" / "huge.txt", "wb") as fh:  # sparse: 51 MB on paper, no disk used
        fh.truncate(51 * 1024 * 1024)
    res = wwk("ingest", "bad", "--db", "x.db", cwd=tmp_path)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    lines = res.stderr.splitlines()
    assert lines[:-1] == EXPECTED_BAD
    # claim and event counts depend on the extractors: only their shape is fixed here
    assert re.fullmatch(
        r"5 added, 0 sightings, 0 unchanged, 3 skipped, 9 rejected; \d+ claims; \d+ events updated", lines[-1]
    )

    # the rejected inputs are recorded, with file and row
    rej = wwk("documents", "--rejected", "--db", "x.db", "--format", "jsonl", cwd=tmp_path)
    assert rej.returncode == 0
    rows = sorted((r["path"], r["row"]) for r in map(json.loads, rej.stdout.splitlines()))
    assert rows == [
        ("bad/bad_lines.jsonl", 2),
        ("bad/bad_lines.jsonl", 3),
        ("bad/bad_row.csv", 3),
        ("bad/binary.txt", None),
        ("bad/empty.txt", None),
        ("bad/future.jsonl", 1),
        ("bad/huge.txt", None),
        ("bad/index_page.html", None),
        ("bad/malformed_feed.xml", None),
    ]
    # the good ones (Latin-1 decoded, truncated HTML read) are stored; non-English ones skipped
    docs = wwk("documents", "--db", "x.db", "--format", "jsonl", cwd=tmp_path)
    got = sorted(
        (d["raw_ref"], d["status"], d["language"], d["n_claims"] > 0)
        for d in map(json.loads, docs.stdout.splitlines())
    )
    assert got == [
        ("bad/bad_lines.jsonl:1", "extracted", "en", True),
        ("bad/bad_row.csv:2", "extracted", "en", True),
        ("bad/french.txt", "skipped", "fr", False),
        ("bad/gibberish.txt", "skipped", None, False),
        ("bad/good_report.txt", "extracted", "en", True),
        ("bad/latin1.txt", "extracted", "en", True),
        ("bad/spanish.txt", "skipped", "es", False),
        ("bad/truncated.html", "extracted", "en", True),
    ]

    # a second run stores nothing new and records no rejection twice
    again = wwk("ingest", "bad", "--db", "x.db", "--quiet", cwd=tmp_path)
    assert again.returncode == 1
    rej2 = wwk("documents", "--rejected", "--db", "x.db", "--format", "jsonl", cwd=tmp_path)
    assert len(rej2.stdout.splitlines()) == 9


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    res = wwk("ingest", str(BAD / "latin1.txt"), "--db", "x.db", "--quiet", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    con = sqlite3.connect(tmp_path / "x.db")
    (text,) = con.execute("SELECT text FROM documents").fetchone()
    assert text.startswith("Officials in Saint-Étienne-du-Rouvray said on Monday")
    assert "préfet" in text and "café" in text


def test_missing_path_and_no_input(tmp_path: Path) -> None:
    res = wwk("ingest", "nope.jsonl", "--db", "x.db", cwd=tmp_path)
    assert (res.returncode, res.stderr.strip()) == (
        1,
        "[E001] nope.jsonl: no such file or folder. Check the path, or pass '-' to read JSONL from stdin.",
    )
    res = wwk("ingest", "--db", "x.db", cwd=tmp_path)
    assert res.returncode == 1
    assert res.stderr.startswith("[E027] Nothing to ingest")
    res = wwk("ingest", "--follow", ".", "--every", "soon", "--db", "x.db", cwd=tmp_path)
    assert res.returncode == 1
    assert res.stderr.startswith("[E025] --every 'soon': not a duration.")


# --------------------------------------------------------------------------- progress


def test_progress_not_a_tty_has_no_control_characters(tmp_path: Path) -> None:
    res = wwk("ingest", str(CORPUS), "--db", "x.db", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert re.fullmatch(
        r"18 added, 0 sightings, 0 unchanged, 0 skipped, 0 rejected; \d+ claims; \d+ events updated\n",
        res.stderr,
    )
    assert not any(ord(ch) < 32 and ch != "\n" for ch in res.stderr)
    quiet = wwk("ingest", str(CORPUS), "--db", "x.db", "--quiet", cwd=tmp_path)
    assert (quiet.returncode, quiet.stderr, quiet.stdout) == (0, "", "")


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "160", "TERM": "xterm"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "whatweknow", "ingest", str(CORPUS), "--db", "x.db"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=120) == 0
    out = b"".join(chunks).decode("utf-8", "replace")
    assert "docs/s" in out and "rejected 0" in out and "/18" in out
    assert "18 added" in out


# --------------------------------------------------------------------------- near copies


def test_near_copy_is_not_an_independent_source(tmp_path: Path) -> None:
    first = json.loads(CORPUS.read_text(encoding="utf-8").splitlines()[0])
    copy = dict(first)
    copy["id"] = "syndicated-copy"
    copy["source"] = "Copy Daily"
    copy["url"] = "https://copy.example.net/story"
    copy["text"] = first["text"] + "\n\nThis story was first published by Caucasus Wire."
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps(first) + "\n" + json.dumps(copy) + "\n", encoding="utf-8")
    import whatweknow

    with whatweknow.open(str(tmp_path / "x.db")) as ws:
        rep = ws.ingest([str(inp)])
        assert (rep.added, rep.rejected) == (2, 0)
        rows = {d.id: d for d in ws.documents()}
        assert rows["syndicated-copy"].near_dup_of == first["id"]
        events = ws.events()
        shared = [e for e in events if "syndicated-copy" in e.documents and first["id"] in e.documents]
        assert shared
        for e in shared:
            assert "Copy Daily" not in e.sources
            assert "Caucasus Wire" in e.sources
            for fig in [*e.fatalities, *e.figures]:
                assert all(p.doc_id != "syndicated-copy" for p in fig.history)


# --------------------------------------------------------------------------- --follow


def _rss(items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Tue, 13 Sep 2022 08:00:00 GMT</pubDate><description>{d}</description></item>"
        for t, link, d in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>'
        f"<language>en</language>{body}</channel></rss>"
    )


SUMMARY_1 = (
    "Officials said one soldier was killed in an overnight attack on a border post near the town of Goris."
)
SUMMARY_2 = "Two civilians were wounded by shelling in the village of Sotk on Monday, local authorities said."
SUMMARY_3 = (
    "The defence ministry said three drones were shot down over the town of Jermuk on Tuesday evening."
)


def _article(title: str, paras: list[str]) -> str:
    ps = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head><body>'
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{ps}</article>"
        "<footer>Copyright Test Wire</footer></body></html>"
    )


ARTICLE_1 = [
    "Officials said one soldier was killed in an overnight attack on a border post near the town of Goris.",
    "The regional governor said the attack began shortly after two in the morning and lasted about an hour, "
    "and that reinforcements had been sent to the area on Tuesday.",
]


def test_follow_folder_and_feed_file_until_ctrl_c(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "one.txt").write_bytes((BAD / "good_report.txt").read_bytes())
    feed = tmp_path / "feed.xml"
    feed.write_text(
        _rss([("Attack on border post", "https://wire.example.org/1", SUMMARY_1)]), encoding="utf-8"
    )
    db = tmp_path / "x.db"
    proc = spawn(
        "ingest", "--follow", "inbox", "--follow", "feed.xml", "--every", "1s", "--db", "x.db", cwd=tmp_path
    )
    try:
        wait_for(lambda: n_docs(db) == 2)
        (inbox / "two.txt").write_bytes((BAD / "latin1.txt").read_bytes())
        feed.write_text(
            _rss(
                [
                    ("Attack on border post", "https://wire.example.org/1", SUMMARY_1),
                    ("Shelling wounds two", "https://wire.example.org/2", SUMMARY_2),
                ]
            ),
            encoding="utf-8",
        )
        wait_for(lambda: n_docs(db) == 4)
        time.sleep(1.5)  # another poll: nothing new
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("stopped after ")
    assert last.endswith(
        "4 added, 0 sightings, 0 unchanged, 0 skipped, 0 rejected; " + last.split("rejected; ")[1]
    )
    with sqlite3.connect(db) as con:
        refs = sorted(r[0] for r in con.execute("SELECT raw_ref FROM documents"))
        texts = [r[0] for r in con.execute("SELECT text FROM documents WHERE url LIKE 'https://wire%'")]
    assert refs == ["feed.xml:1", "feed.xml:2", "inbox/one.txt", "inbox/two.txt"]
    # a local feed file: the items' own text is used
    assert sorted(texts) == sorted([SUMMARY_1, SUMMARY_2])


class _Site:
    """A tiny local web site: /feed.xml and article pages, changeable while served."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, str]] = {}
        self.hits: list[str] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits.append(self.path)
                page = site.pages.get(self.path)
                if page is None:
                    self.send_error(404)
                    return
                ctype, body = page
                data = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def site() -> Iterator[_Site]:
    s = _Site()
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


def test_follow_feed_url_fetches_linked_articles(tmp_path: Path, site: _Site) -> None:
    site.pages["/news/1.html"] = ("text/html", _article("Attack on border post", ARTICLE_1))
    # item 2's page has no article: the item's own summary is used
    site.pages["/news/2.html"] = ("text/html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    site.pages["/feed.xml"] = (
        "application/rss+xml",
        _rss(
            [
                ("Attack on border post", site.url("/news/1.html"), SUMMARY_1),
                ("Shelling wounds two", site.url("/news/2.html"), SUMMARY_2),
            ]
        ),
    )
    db = tmp_path / "x.db"
    proc = spawn("ingest", "--follow", site.url("/feed.xml"), "--every", "1s", "--db", "x.db", cwd=tmp_path)
    try:
        wait_for(lambda: n_docs(db) == 2)
        site.pages["/news/3.html"] = (
            "text/html",
            _article(
                "Drones shot down",
                [SUMMARY_3, "No one was hurt, the ministry said in a statement on Tuesday."],
            ),
        )
        site.pages["/feed.xml"] = (
            "application/rss+xml",
            _rss(
                [
                    ("Drones shot down", site.url("/news/3.html"), SUMMARY_3),
                    ("Attack on border post", site.url("/news/1.html"), SUMMARY_1),
                    ("Shelling wounds two", site.url("/news/2.html"), SUMMARY_2),
                ]
            ),
        )
        wait_for(lambda: n_docs(db) == 3)
        time.sleep(1.5)
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert err.strip().splitlines()[-1].startswith("stopped after ")
    with sqlite3.connect(db) as con:
        rows = {r[0]: (r[1], r[2]) for r in con.execute("SELECT url, text, source FROM documents")}
    # the article page's main text (trafilatura keeps its headline), not the item's summary
    assert rows[site.url("/news/1.html")] == ("\n\n".join(["Attack on border post", *ARTICLE_1]), "Test Wire")
    assert rows[site.url("/news/2.html")] == (SUMMARY_2, "Test Wire")
    assert rows[site.url("/news/3.html")][0].endswith(
        "No one was hurt, the ministry said in a statement on Tuesday."
    )
    # each article page was fetched once, however many polls saw its item
    assert site.hits.count("/news/1.html") == 1
    assert site.hits.count("/news/3.html") == 1
    assert site.hits.count("/feed.xml") >= 3


def test_follow_unreachable_feed_url_says_so_and_keeps_polling(tmp_path: Path) -> None:
    proc = spawn(
        "ingest", "--follow", "http://127.0.0.1:9/feed.xml", "--every", "1s", "--db", "x.db", cwd=tmp_path
    )
    time.sleep(6)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    lines = err.strip().splitlines()
    assert lines[0].startswith("[E026] http://127.0.0.1:9/feed.xml: the feed could not be fetched (")
    assert lines[-1].startswith("stopped after ")
    assert "0 added" in lines[-1]


def test_ctrl_c_stops_between_documents(tmp_path: Path) -> None:
    inp = tmp_path / "many.jsonl"
    docs = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    with inp.open("w", encoding="utf-8") as fh:
        for i in range(10):
            for d in docs:
                fh.write(
                    json.dumps({**d, "id": f"{d['id']}-{i}", "text": d["text"] + f"\n\nUpdate {i}."}) + "\n"
                )
    db = tmp_path / "x.db"
    proc = spawn("ingest", "many.jsonl", "--db", "x.db", cwd=tmp_path)
    wait_for(lambda: n_docs(db) >= 1, timeout=90)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("interrupted: ")
    stored = n_docs(db)
    assert 1 <= stored < 180
    assert last.startswith(f"interrupted: {stored} added")
    # every stored document has its extraction, and every claim an event
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM extractions").fetchone()[0] == stored
        assert con.execute("SELECT count(*) FROM claims WHERE event_id IS NULL").fetchone()[0] == 0
