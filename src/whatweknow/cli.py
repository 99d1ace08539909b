"""The ``wwk`` command line (also ``python -m whatweknow``).

Every command that takes ``--db`` accepts a SQLite file path or a
``postgresql://`` URL. User mistakes print one line on stderr and exit 1;
tracebacks are for bugs only.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from .errors import E, WwkError
from .model import SCHEMA, Document, Extraction

app = typer.Typer(
    name="wwk",
    help="whatweknow: a sourced record of what is known from news reports about armed conflict.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

DB_DEFAULT = "whatweknow.db"
DbOpt = Annotated[
    str,
    typer.Option("--db", envvar="WWK_DB", help="SQLite file path or postgresql:// URL."),
]
F = TypeVar("F", bound=Callable[..., Any])


class TableFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    table = "table"


class EventFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    geojson = "geojson"
    table = "table"


class BriefFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"
    rich = "rich"


class ExportFormat(str, Enum):
    csv = "csv"
    geojson = "geojson"
    jsonl = "jsonl"
    parquet = "parquet"


def command(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    """``app.command`` that turns a WwkError into one line on stderr and exit 1."""

    def deco(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*a: Any, **kw: Any) -> Any:
            try:
                return fn(*a, **kw)
            except WwkError as err:
                err_console.print(str(err), markup=False)
                raise typer.Exit(1) from None

        app.command(*args, **kwargs)(wrapper)
        return fn

    return deco


def parse_when(value: str | None, *, option: str = "--published") -> datetime | None:
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as err:
        raise WwkError(E.E008, value=value) from err
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def parse_map(value: str | None) -> dict[str, str] | None:
    if not value:
        return None
    out: dict[str, str] = {}
    for part in value.split(","):
        if "=" not in part:
            raise WwkError(E.E021, value=value)
        k, v = part.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def _write_rows(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str], title: str) -> None:
    out = sys.stdout
    if fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        w = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: _flat(r.get(k)) for k in columns})
    else:
        from rich.table import Table

        t = Table(title=title, show_lines=False)
        for c in columns:
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*[str(_flat(r.get(c)) if r.get(c) is not None else "") for c in columns])
        Console(soft_wrap=False).print(t)


def _flat(v: Any) -> Any:
    if isinstance(v, dict):
        return v.get("name") or v.get("text") or json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return ";".join(str(_flat(x)) for x in v)
    return v


# --------------------------------------------------------------------------- extract


@command()
def extract(
    paths: Annotated[
        list[str], typer.Argument(help="Files or folders (.txt, .html, .jsonl); '-' = JSONL on stdin.")
    ],
    published: Annotated[
        str | None, typer.Option(help="Publication date for documents that have none (YYYY-MM-DD).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="Output format (jsonl).")] = "jsonl",
) -> None:
    """Extract documents to JSON lines on stdout; nothing is stored."""
    from .ingest.readers import Rejected, iter_inputs
    from .pipeline import Pipeline, make_document

    if fmt != "jsonl":
        raise WwkError(E.E013, value=fmt, choices="jsonl")
    default_published = parse_when(published)
    bad = False
    missing = [p for p in paths if p != "-" and not os.path.exists(p)]
    for m in missing:
        err_console.print(E.E001.fmt(path=m), markup=False)
        sys.stdout.write(json.dumps({"schema": SCHEMA, "id": m, "error": E.E001.fmt(path=m)}) + "\n")
        bad = True
    todo = [p for p in paths if p not in missing]
    if not todo:
        raise typer.Exit(1)
    pipeline = Pipeline()
    pending: list[Rejected | Document] = []
    # keep input order: stream readers' output, run extraction in batches
    for item in iter_inputs(todo, published=default_published, column_map=None):
        if isinstance(item, Rejected):
            pending.append(item)
        else:
            pending.append(make_document(item, default_published=default_published))
    docs = [d for d in pending if isinstance(d, Document)]
    results = iter(pipeline.pipe_documents(docs))
    for entry in pending:
        if isinstance(entry, Rejected):
            err_console.print(entry.reason, markup=False)
            sys.stdout.write(
                json.dumps(
                    {
                        "schema": SCHEMA,
                        "id": f"{entry.path}:{entry.row}" if entry.row else entry.path,
                        "error": entry.reason,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
            bad = True
            continue
        ex: Extraction = next(results)
        line = ex.to_json()
        if ex.error:
            line["error"] = ex.error
            bad = True
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if bad:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- ingest


@command()
def ingest(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files, folders, feeds, or '-' for JSONL on stdin.")
    ] = None,
    db: DbOpt = DB_DEFAULT,
    published: Annotated[
        str | None, typer.Option(help="Publication date for documents that have none.")
    ] = None,
    column_map: Annotated[
        str | None, typer.Option("--map", help="CSV/JSONL field mapping, e.g. text=body,published_at=date.")
    ] = None,
    follow: Annotated[
        list[str] | None,
        typer.Option(
            "--follow",
            help="Keep polling this folder (new files), feed file or feed URL (new items) until Ctrl-C.",
        ),
    ] = None,
    every: Annotated[str, typer.Option("--every", help="How often --follow polls: 30s, 15m, 1h.")] = "15m",
    max_mb: Annotated[
        float, typer.Option("--max-mb", min=0.001, help="Reject files larger than this.")
    ] = 50.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Add documents to the store (idempotent) and update the consolidated events.

    Ctrl-C stops between documents: what was stored stays stored, and running
    the same command again finishes the job.
    """
    from .api import Workspace
    from .ingest.follow import count_inputs, parse_every

    default_published = parse_when(published)
    cmap = parse_map(column_map)
    paths = list(paths or [])
    targets = list(follow or [])
    interval = parse_every(every) if targets else 0.0
    if not paths and not targets:
        raise WwkError(E.E027)
    from .ingest.readers import check_paths

    check_paths(paths + [t for t in targets if not t.lower().startswith(("http://", "https://"))])
    show = not quiet and sys.stderr.isatty()
    with Workspace(db) as ws, _stop_on_signals() as stop:
        if paths:
            total = count_inputs(paths, max_mb) if show else None
            with _ingest_progress(show, total) as progress:
                report = ws.ingest(
                    paths,
                    published=default_published,
                    column_map=cmap,
                    progress=progress,
                    stop=stop.is_set,
                    max_mb=max_mb,
                )
            _print_ingest_report(report, quiet=quiet, label="interrupted: " if report.interrupted else "")
            if report.interrupted:
                raise typer.Exit(130)
            if not targets:
                if report.rejected:
                    raise typer.Exit(1)
                return
        _follow(
            ws, targets, interval, default_published, cmap, quiet=quiet, show=show, stop=stop, max_mb=max_mb
        )


def _print_ingest_report(report: Any, *, quiet: bool, label: str = "") -> None:
    for m in report.messages:
        err_console.print(m, markup=False)
    if not quiet or label:
        err_console.print(
            f"{label}{report.added} added, {report.sightings} sightings, {report.unchanged} unchanged, "
            f"{report.skipped} skipped, "
            f"{report.rejected} rejected; {report.claims} claims; {report.events} events updated",
            markup=False,
        )


def _follow(
    ws: Any,
    targets: list[str],
    interval: float,
    published: datetime | None,
    cmap: dict[str, str] | None,
    *,
    quiet: bool,
    show: bool,
    stop: Any,
    max_mb: float,
) -> None:
    """``ingest --follow``: poll ``targets`` every ``interval`` seconds until stopped."""
    from .api import IngestReport
    from .ingest.follow import Follower

    follower = Follower(
        targets, published=published, column_map=cmap, known_url=ws.store.has_url, max_mb=max_mb
    )
    totals = IngestReport()
    rounds = 0
    while not stop.is_set():
        rounds += 1
        with _ingest_progress(show, None) as progress:
            rep = ws.ingest_inputs(follower.poll(), progress=progress, stop=stop.is_set)
        for note in follower.notes:
            err_console.print(note, markup=False)
        follower.notes.clear()
        for name in ("added", "sightings", "unchanged", "skipped", "rejected", "claims", "events"):
            setattr(totals, name, getattr(totals, name) + getattr(rep, name))
        if rep.messages or (not quiet and (rep.added or rep.sightings or rep.skipped)):
            stamp = datetime.now().strftime("%H:%M:%S")
            _print_ingest_report(rep, quiet=quiet, label=f"{stamp} poll {rounds}: ")
        # sleep in short slices so that Ctrl-C ends the wait at once
        stop.wait(interval)
    err_console.print(
        f"stopped after {rounds} poll{'s' if rounds != 1 else ''}: {totals.added} added, "
        f"{totals.sightings} sightings, {totals.unchanged} unchanged, {totals.skipped} skipped, "
        f"{totals.rejected} rejected; {totals.claims} claims; {totals.events} events updated",
        markup=False,
    )
    if totals.rejected:
        raise typer.Exit(1)


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """A flag set by the first Ctrl-C (SIGINT) or SIGTERM; a second Ctrl-C
    interrupts at once (KeyboardInterrupt). Handlers are restored on exit."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, _frame: Any) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        if signum == signal.SIGINT:
            err_console.print("stopping after the current document (Ctrl-C again to abort)", markup=False)

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, h in old.items():
            signal.signal(s, h)


@contextlib.contextmanager
def _ingest_progress(show: bool, total: int | None) -> Iterator[Any]:
    """A rich progress bar (documents done, rate, rejected, ETA when ``total``
    is known) on stderr, or no callback when ``show`` is false or the input is tiny."""
    if not show or (total is not None and total <= 3):
        yield None
        return
    import time

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: list[Any] = [TextColumn("ingest"), BarColumn()]
    columns.append(MofNCompleteColumn() if total is not None else TextColumn("{task.completed} docs"))
    columns += [
        TextColumn("{task.fields[rate]:.1f} docs/s"),
        TextColumn("rejected {task.fields[rejected]}"),
        TimeElapsedColumn(),
    ]
    if total is not None:
        columns.append(TimeRemainingColumn())
    started = time.monotonic()
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("ingest", total=total, rejected=0, rate=0.0)

        def progress(_ref: str, rep: Any) -> None:
            done = rep.added + rep.sightings + rep.unchanged + rep.skipped + rep.rejected
            elapsed = max(time.monotonic() - started, 1e-6)
            completed = min(done, total) if total is not None else done
            bar.update(task, completed=completed, rejected=rep.rejected, rate=done / elapsed)

        yield progress


# --------------------------------------------------------------------------- read commands

DOC_COLUMNS = ["id", "url", "title", "source", "published_at", "language", "n_claims", "sightings", "status"]
REJ_COLUMNS = ["path", "row", "reason", "first_seen"]
CLAIM_COLUMNS = [
    "id",
    "doc_id",
    "event_id",
    "event_type",
    "claimant",
    "agent",
    "target",
    "place",
    "quantity",
    "is_background",
    "evidence",
]
EVENT_COLUMNS = ["id", "event_type", "start", "end", "places", "fatalities", "documents", "sources"]


@command()
def documents(
    db: DbOpt = DB_DEFAULT,
    rejected: Annotated[bool, typer.Option("--rejected", help="List rejected inputs instead.")] = False,
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table,
) -> None:
    """One line per stored document (or per rejected input)."""
    from .api import Workspace

    with Workspace(db) as ws:
        if rejected:
            rows = [r.to_json() for r in ws.store.rejected()]
            _write_rows(rows, fmt.value, REJ_COLUMNS, "rejected inputs")
        else:
            rows = [r.to_json() for r in ws.store.documents()]
            _write_rows(rows, fmt.value, DOC_COLUMNS, "documents")


@command()
def claims(
    db: DbOpt = DB_DEFAULT,
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table,
) -> None:
    """Every stored claim, with its evidence."""
    from .api import Workspace

    with Workspace(db) as ws:
        rows = []
        for c in ws.store.claims():
            d = c.to_json()
            d["doc_id"] = c.doc_id
            d["event_id"] = c.event_id
            d["schema"] = SCHEMA
            rows.append(d)
    _write_rows(rows, fmt.value, CLAIM_COLUMNS, "claims")


@command()
def events(
    db: DbOpt = DB_DEFAULT,
    fmt: Annotated[EventFormat, typer.Option("--format")] = EventFormat.table,
) -> None:
    """Consolidated events."""
    from .api import Workspace

    with Workspace(db) as ws:
        evs = ws.store.events()
        if fmt == EventFormat.geojson:
            from .report.exports import export_events

            export_events(evs, ws.store.claims(), ws.store.documents_by_id(), "geojson", sys.stdout)
            return
        rows = [e.to_json() for e in evs]
    if fmt == EventFormat.table:
        for r in rows:
            r["fatalities"] = ", ".join(
                f"{f['side'] or '?'} {f['kind'] or ''} {f['best']}" for f in r["fatalities"]
            )
            r["places"] = ", ".join(p["name"] for p in r["places"])
            r["documents"] = len(r["documents"])
    _write_rows(rows, fmt.value, EVENT_COLUMNS, "events")


@command()
def brief(
    db: DbOpt = DB_DEFAULT,
    about: Annotated[
        str | None, typer.Option(help="Only what concerns these names, e.g. 'Armenia Azerbaijan'.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Also say what changed since this time.")] = None,
    fmt: Annotated[BriefFormat, typer.Option("--format")] = BriefFormat.md,
) -> None:
    """The 'what we know' brief, every line citing its evidence."""
    from .api import Workspace
    from .report import brief as br

    since_dt = parse_when(since, option="--since")
    with Workspace(db) as ws:
        b = br.build_brief(
            ws.store.events(), ws.store.claims(), ws.store.documents_by_id(), about=about, since=since_dt
        )
    if fmt == BriefFormat.md:
        sys.stdout.write(br.to_markdown(b))
    elif fmt == BriefFormat.html:
        sys.stdout.write(br.to_html(b))
    elif fmt == BriefFormat.json:
        sys.stdout.write(json.dumps(br.to_json(b), ensure_ascii=False, indent=1) + "\n")
    else:
        br.to_rich(b, Console())


@command()
def export(
    db: DbOpt = DB_DEFAULT,
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.csv,
    out: Annotated[str | None, typer.Option("--out", "-o", help="Output file (stdout when omitted).")] = None,
) -> None:
    """Export events: ACLED-compatible CSV, GeoJSON, JSONL or Parquet."""
    from .api import Workspace
    from .report.exports import export_events

    if fmt == ExportFormat.parquet and not out:
        raise WwkError(E.E013, value="parquet to stdout", choices="--out FILE.parquet")
    with Workspace(db) as ws:
        evs, cls, docs = ws.store.events(), ws.store.claims(), ws.store.documents_by_id()
    if out:
        export_events(evs, cls, docs, fmt.value, out)
    else:
        export_events(evs, cls, docs, fmt.value, sys.stdout)


@command(name="eval")
def eval_(
    sets: Annotated[
        list[str] | None,
        typer.Argument(
            help="Gold sets: geoparsing, ucdp-ged, ecbplus, semeval2015-timeline, timex, "
            "attribution, eventtypes, seed (default: all; with --gate: the gate's sets)."
        ),
    ] = None,
    split: Annotated[str, typer.Option(help="dev or test (tune on dev; report test).")] = "dev",
    limit: Annotated[
        int | None, typer.Option(help="Only the first N documents (topics for ecbplus).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    gate: Annotated[
        bool, typer.Option("--gate", help="Check dev metrics against the pinned floors.")
    ] = False,
    set_floors: Annotated[
        bool, typer.Option("--set-floors", help="Pin the floors at these dev results (less a margin).")
    ] = False,
    allow_lower: Annotated[
        bool, typer.Option("--allow-lower", help="With --set-floors: allow a floor to move down.")
    ] = False,
    eval_root: Annotated[
        str | None, typer.Option("--eval-root", help="The shared/eval folder (default: ../shared/eval).")
    ] = None,
) -> None:
    """Score the pipeline on the gold sets; --gate fails when a metric drops below its floor."""
    from pathlib import Path

    from .evaluate import runner

    if split not in ("dev", "test"):
        raise WwkError(E.E013, value=split, choices="dev, test")
    root = Path(eval_root) if eval_root else runner.default_eval_root()
    names = sets or (list(runner.GATE_LIMITS) if gate or set_floors else list(runner.SETS))
    results = []
    for name in names:
        lim = runner.GATE_LIMITS.get(name) if (gate or set_floors) and limit is None else limit
        results.append(runner.run(name, "dev" if gate or set_floors else split, lim, root))
    failures: list[str] = []
    if gate:
        floors = runner.load_floors()
        for r in results:
            failures += runner.check(r, floors)
    if set_floors:
        refused = runner.write_floors(results, allow_lower=allow_lower)
        for line in refused:
            err_console.print(f"floor not lowered (use --allow-lower): {line}", markup=False)
    if fmt == "json":
        payload = [
            {"set": r.name, "split": r.split, "metrics": r.headline, "report": r.report} for r in results
        ]
        sys.stdout.write(json.dumps({"results": payload, "gate_failures": failures}, default=str) + "\n")
    else:
        from rich.table import Table

        t = Table(title=f"wwk eval ({'gate, ' if gate else ''}{'dev' if gate else split})")
        for c in ("set", "metric", "value"):
            t.add_column(c)
        for r in results:
            for k, v in r.headline.items():
                t.add_row(r.name, k, f"{v:.4f}" if isinstance(v, float) else str(v))
        Console(soft_wrap=False).print(t)
        sys.stdout.write(json.dumps({r.name: r.headline for r in results}, default=str) + "\n")
    for f in failures:
        err_console.print(f"quality gate: {f}", markup=False)
    if failures:
        raise typer.Exit(1)


def _register_serve() -> None:
    from .serve.cli import serve_command

    command(name="serve")(serve_command)


_register_serve()


def main(argv: Iterable[str] | None = None) -> None:
    """Entry point: turns WwkError into one line on stderr and exit status 1."""
    try:
        app(args=list(argv) if argv is not None else None, standalone_mode=True)
    except WwkError as err:
        err_console.print(str(err), markup=False)
        sys.exit(1)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False)
        sys.exit(130)
