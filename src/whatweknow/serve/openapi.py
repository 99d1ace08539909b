"""Write the API's OpenAPI schema: ``python -m whatweknow.serve.openapi docs/openapi.json``.

``tests/test_api.py`` fails when the checked-in copy differs from the app's schema;
run this command after changing an endpoint, and commit the result.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any


def openapi_schema() -> dict[str, Any]:
    """The schema of ``create_app`` (built against a throwaway store)."""
    from whatweknow.serve.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(str(Path(tmp) / "schema.db"), token=None, private=False)
        try:
            schema: dict[str, Any] = app.openapi()
        finally:
            app.state.wwk.close()
    return schema


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path("docs/openapi.json")
    out.write_text(render(openapi_schema()), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
