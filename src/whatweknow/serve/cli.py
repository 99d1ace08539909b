"""``wwk serve``: the REST API under /api and the page at /, served by uvicorn.

Registered in ``whatweknow/cli.py`` with ``command(name="serve")(serve_command)``;
also runnable alone: ``python -m whatweknow.serve.cli --db DB``.
"""

from __future__ import annotations

from typing import Annotated

import typer


def serve_command(
    db: Annotated[
        str, typer.Option("--db", envvar="WWK_DB", help="SQLite file path or postgresql:// URL.")
    ] = "whatweknow.db",
    port: Annotated[int, typer.Option(help="TCP port.", min=0, max=65535)] = 8000,
    host: Annotated[str, typer.Option(help="Address to listen on (default: loopback only).")] = "127.0.0.1",
    token: Annotated[
        str | None,
        typer.Option(envvar="WWK_TOKEN", help="Bearer token for writes (POST /api/documents)."),
    ] = None,
    private: Annotated[bool, typer.Option("--private", help="Reads need the token too.")] = False,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "warning",
) -> None:
    """Serve the REST API under /api and the map page at / (Ctrl-C stops)."""
    import uvicorn

    from whatweknow.serve.app import create_app

    app = create_app(db, token=token, private=private)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"serving http://{shown}:{port} (API under /api, schema at /openapi.json)", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, workers=1, access_log=False)


def main() -> None:
    from whatweknow.errors import WwkError

    try:
        typer.run(serve_command)
    except WwkError as err:
        typer.echo(str(err), err=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
