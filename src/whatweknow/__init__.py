"""whatweknow: a sourced record of what is known from news reports about armed conflict."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .api import Workspace


def open(db: str) -> Workspace:
    """Open (or create) a store: a SQLite path or a postgresql:// URL."""
    from .api import Workspace

    return Workspace(db)
