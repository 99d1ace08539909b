"""Readers: every input kind and every bad-input case, on hand-written fixtures."""

from __future__ import annotations

import gzip
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from whatweknow.errors import WwkError
from whatweknow.ingest.language import detect_language
from whatweknow.ingest.readers import (
    Input,
    RawDoc,
    Rejected,
    check_paths,
    iter_inputs,
    parse_published,
    strip_html,
)

FX = Path(__file__).parent / "fixtures" / "ingest"
NOW = datetime(2024, 12, 1, tzinfo=UTC)


def read(name: str | Path, **kw: object) -> list[Input]:
    kw.setdefault("now", NOW)
    return list(iter_inputs([str(FX / name) if isinstance(name, str) else str(name)], **kw))  # type: ignore[arg-type]


def docs(items: list[Input]) -> list[RawDoc]:
    return [x for x in items if isinstance(x, RawDoc)]


def rejects(items: list[Input]) -> list[Rejected]:
    return [x for x in items if isinstance(x, Rejected)]


# --------------------------------------------------------------------------- paths


def test_check_paths_missing_raises_e001() -> None:
    with pytest.raises(WwkError) as ei:
        check_paths([str(FX / "wire_story.txt"), "-", "/no/such/file.txt"])
    assert str(ei.value) == (
        "[E001] /no/such/file.txt: no such file or folder. "
        "Check the path, or pass '-' to read JSONL from stdin."
    )


def test_check_paths_ok() -> None:
    check_paths([str(FX / "wire_story.txt"), str(FX / "folder"), "-"])


# --------------------------------------------------------------------------- txt


def test_txt_one_document_with_default_published() -> None:
    pub = datetime(2024, 3, 3, 12, 0, tzinfo=UTC)
    (doc,) = read("wire_story.txt", published=pub)
    assert isinstance(doc, RawDoc)
    assert doc.text == (FX / "wire_story.txt").read_text(encoding="utf-8")
    assert doc.text.startswith("Shelling kills four in eastern border town, officials say\n\nDORVANSK")
    assert doc.id is None
    assert doc.published_at == pub
    assert doc.raw_ref == str(FX / "wire_story.txt")
    assert doc.language == "en"


def test_txt_latin1_is_detected() -> None:
    (doc,) = read("latin1.txt")
    assert isinstance(doc, RawDoc)
    assert doc.text.startswith("Le café du village a été détruit. Rebel fighters seized")


def test_txt_gzip_is_transparent() -> None:
    (doc,) = read("story.txt.gz")
    assert isinstance(doc, RawDoc)
    assert doc.text == (FX / "wire_story.txt").read_text(encoding="utf-8")
    assert doc.raw_ref == str(FX / "story.txt.gz")


def test_utf16_with_bom(tmp_path: Path) -> None:
    p = tmp_path / "u16.txt"
    p.write_bytes("Troops withdrew from the river crossing on Friday, officials said.".encode("utf-16"))
    (doc,) = read(p)
    assert isinstance(doc, RawDoc)
    assert doc.text == "Troops withdrew from the river crossing on Friday, officials said."


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "[E003] {p}: is empty. Remove it or give it some text."),
        ("blank.jsonl", "[E003] {p}: is empty. Remove it or give it some text."),
        (
            "binary.txt",
            "[E004] {p}: looks binary, not text. Pass a .txt, .html, .jsonl, .csv or feed file.",
        ),
        (
            "notes.md",
            "[E012] {p}: unsupported file type '.md'. Use .txt, .html, .htm, .jsonl, .json, .csv, "
            ".xml/.rss/.atom.",
        ),
        (
            "broken.txt.gz",
            "[E023] {p}: not a valid gzip file (Error -3 while decompressing data: invalid distance too "
            "far back). Re-compress it, or pass the file uncompressed.",
        ),
        (
            "broken_feed.xml",
            "[E019] {p}: not a valid RSS/Atom feed (<unknown>:3:0: no element found). "
            "Check the file is a feed.",
        ),
        (
            "index_page.html",
            "[E015] {p}: no article text found (only 2 words of main text). Save the article page itself, "
            "not an index page.",
        ),
    ],
)
def test_bad_file_is_rejected_with_message(name: str, message: str) -> None:
    items = read(name)
    assert len(items) == 1
    rej = items[0]
    assert isinstance(rej, Rejected)
    assert rej.path == str(FX / name)
    assert rej.row is None
    assert rej.reason == message.format(p=FX / name)


def test_too_large_is_rejected(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text("word " * 300_000)  # 1.5 MB
    (rej,) = read(p, max_mb=1)
    assert isinstance(rej, Rejected)
    assert rej.reason == f"[E016] {p}: 1 MB is over the 1 MB limit. Split the file, or raise --max-mb."


def test_gzip_bomb_is_limited(tmp_path: Path) -> None:
    p = tmp_path / "bomb.txt.gz"
    p.write_bytes(gzip.compress(b"a " * 2_000_000))  # 4 MB inflated, a few KB on disk
    (rej,) = read(p, max_mb=1)
    assert isinstance(rej, Rejected)
    assert rej.reason.startswith(f"[E016] {p}: ")


def test_reading_goes_on_after_a_bad_file() -> None:
    items = list(
        iter_inputs([str(FX / "empty.txt"), str(FX / "binary.txt"), str(FX / "wire_story.txt")], now=NOW)
    )
    assert [type(x).__name__ for x in items] == ["Rejected", "Rejected", "RawDoc"]


# --------------------------------------------------------------------------- jsonl / json


def test_jsonl_lines_and_bad_lines() -> None:
    items = read("docs.jsonl")
    p = FX / "docs.jsonl"
    good = docs(items)
    assert [d.raw_ref for d in good] == [f"{p}:1", f"{p}:2"]
    first = good[0]
    assert first.id == "ledger-001"
    assert first.url == "https://ledger.example.org/news/depot-fire/?utm_source=feed"
    assert first.title == "Drones hit fuel depot"
    assert first.source == "The Daily Ledger"
    assert first.language == "en"
    assert first.published_at == datetime(2024, 5, 14, 20, 10, tzinfo=UTC)
    assert good[1].id is None and good[1].published_at is None and good[1].language == "en"
    assert [(r.row, r.reason) for r in rejects(items)] == [
        (3, f"[E006] {p}, line 3: not valid JSON (Expecting ',' delimiter). Fix the line or remove it."),
        (
            4,
            f"[E007] {p}, line 4: no 'text' field, or an empty one. Each JSONL line needs at least a non-empty \"text\" string.",
        ),
        (
            5,
            f"[E007] {p}, line 5: no 'text' field, or an empty one. Each JSONL line needs at least a non-empty \"text\" string.",
        ),
        (
            7,
            f"[E014] {p}, row 7: published_at 'yesterday-ish' is not a date (use ISO 8601: 2022-09-13). "
            "Fix the row or remove it.",
        ),
        (
            8,
            f"[E017] {p}, line 8: published_at 2999-01-01T00:00:00+00:00 is in the future. "
            "Check the date, or leave it out.",
        ),
    ]


def test_json_array() -> None:
    items = read("array.json")
    assert [(d.id, d.raw_ref) for d in docs(items)] == [
        ("arr-1", f"{FX / 'array.json'}:1"),
        ("arr-2", f"{FX / 'array.json'}:2"),
    ]


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (
        b'{"id": "s1", "text": "Shelling resumed near the dam on Thursday morning, witnesses said."}\n{oops\n'
    )

    class FakeStdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    items = list(iter_inputs(["-"], now=NOW))
    assert isinstance(items[0], RawDoc)
    assert (items[0].id, items[0].raw_ref) == ("s1", "-:1")
    assert isinstance(items[1], Rejected)
    assert items[1].reason.startswith("[E006] <stdin>, line 2: not valid JSON")


# --------------------------------------------------------------------------- csv / tsv


def test_csv_with_column_map() -> None:
    cmap = {"text": "body", "title": "headline", "published_at": "date", "url": "link", "source": "outlet"}
    items = read("reports.csv", column_map=cmap)
    p = FX / "reports.csv"
    (doc,) = docs(items)
    assert doc.text.startswith("Government troops and rebel fighters clashed near the mountain pass")
    assert doc.title == "Clashes near the pass"
    assert doc.url == "https://example.net/a/1"
    assert doc.source == "Valley Post"
    assert doc.published_at == datetime(2024, 2, 9, tzinfo=UTC)
    assert doc.raw_ref == f"{p}:2"
    assert [(r.row, r.reason) for r in rejects(items)] == [
        (3, f"[E014] {p}, row 3: empty 'body' column. Fix the row or remove it."),
        (
            4,
            f"[E014] {p}, row 4: published_at 'not a date' is not a date (use ISO 8601: 2022-09-13). "
            "Fix the row or remove it.",
        ),
    ]


def test_csv_without_text_column_names_the_fix() -> None:
    (rej,) = read("reports.csv")
    assert isinstance(rej, Rejected)
    assert rej.reason == (
        f"[E014] {FX / 'reports.csv'}, row 1: no 'text' column "
        "(columns: headline, body, date, link, outlet); pass --map text=COLUMN. Fix the row or remove it."
    )


def test_tsv_default_columns() -> None:
    (doc,) = read("reports.tsv")
    assert isinstance(doc, RawDoc)
    assert doc.text == "Militia members burned a police post in the market town overnight, residents said."
    assert (doc.title, doc.source) == ("Post burned", "Hill Times")


# --------------------------------------------------------------------------- html


def test_html_article_and_metadata() -> None:
    (doc,) = read("article.html")
    assert isinstance(doc, RawDoc)
    assert doc.title == "Drone strike damages power station"
    assert doc.source == "The Coastal Herald"
    assert doc.author == "Tomas Verhoeven"
    assert doc.url == "https://herald.example.com/world/drone-power-station/"
    assert doc.published_at == datetime(2024, 3, 18, 6, 20, tzinfo=UTC)
    assert doc.language == "en"
    paras = doc.text.split("\n\n")
    assert paras[0] == "Drone strike damages power station"
    assert paras[1].startswith("A drone strike damaged a power station on the outskirts of the port city")
    assert len(paras) == 4
    assert "Copyright" not in doc.text and "Sport" not in doc.text


# --------------------------------------------------------------------------- feeds


def test_rss_items() -> None:
    items = read("feed.rss")
    (doc,) = docs(items)
    assert doc.url == "https://bulletin.example.com/2024/06/convoy-ambush"
    assert doc.title == "Convoy ambushed on the northern road"
    assert doc.source == "Frontier Bulletin"
    assert doc.language == "en"
    assert doc.published_at == datetime(2024, 6, 3, 7, 45, tzinfo=UTC)
    assert doc.text == (
        "Gunmen ambushed a supply convoy on the northern road on Sunday, killing two drivers, "
        "the transport ministry said.\n\nThe ministry said the convoy was carrying flour and medicine."
    )
    assert doc.raw_ref == f"{FX / 'feed.rss'}:1"
    (rej,) = rejects(items)
    assert rej.row == 2
    assert rej.reason == (
        f"[E014] {FX / 'feed.rss'}, row 2: the feed item has no content or summary. Fix the row or remove it."
    )


def test_atom_prefers_full_content() -> None:
    (doc,) = read("feed.atom")
    assert isinstance(doc, RawDoc)
    assert doc.text == (
        "Observers recorded more than forty explosions along the ridge overnight, the monitoring mission "
        "said in its daily report.\n\nNo casualties were confirmed."
    )
    assert doc.url == "https://ridge.example.org/reports/renewed-fire"
    assert doc.source == "Ridge Monitor"
    assert doc.published_at == datetime(2024, 7, 1, 9, 15, tzinfo=UTC)


def test_feed_sniffed_without_suffix() -> None:
    (doc,) = read("sniffed_feed")
    assert isinstance(doc, RawDoc)
    assert (doc.url, doc.source, doc.title) == ("https://s.example/1", "Sniffed", "T")


def test_strip_html() -> None:
    assert (
        strip_html("<p>One <b>two</b>&amp; three</p><script>x()</script><p>Four</p>")
        == "One two& three\n\nFour"
    )


# --------------------------------------------------------------------------- folders


def test_folder_recursive_sorted_hidden_skipped() -> None:
    items = read("folder")
    folder = FX / "folder"
    assert [(type(x).__name__, x.raw_ref if isinstance(x, RawDoc) else x.row) for x in items] == [
        ("RawDoc", str(folder / "a_note.txt")),
        ("RawDoc", f"{folder / 'b_feed.rss'}:1"),
        ("Rejected", 2),
        ("RawDoc", f"{folder / 'sub' / 'c_nested.jsonl'}:1"),
    ]


# --------------------------------------------------------------------------- dates, language


def test_parse_published_forms() -> None:
    assert parse_published("2022-09-13") == datetime(2022, 9, 13, tzinfo=UTC)
    assert parse_published("2022-09-13T18:00:00Z") == datetime(2022, 9, 13, 18, tzinfo=UTC)
    assert parse_published("Tue, 13 Sep 2022 18:00:00 +0200") == datetime(2022, 9, 13, 16, tzinfo=UTC)
    assert parse_published("13 September 2022") == datetime(2022, 9, 13, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_published("last Tuesday")


def test_future_date_within_a_day_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "d.jsonl"
    p.write_text(
        '{"text": "Officials reported shelling in the north of the region overnight.", '
        '"published_at": "2024-12-01T20:00:00Z"}\n'
    )
    (doc,) = read(p)
    assert isinstance(doc, RawDoc)


def test_detect_language() -> None:
    assert (
        detect_language("Fighting resumed along the front line on Monday, the army said in a statement.")
        == "en"
    )
    assert (
        detect_language("Les combats ont repris lundi le long de la ligne de front, a indiqué l'armée.")
        == "fr"
    )
    assert detect_language("Kyiv, Monday") is None
    assert detect_language("") is None
