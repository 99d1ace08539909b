"""The store: SQLite by default, PostgreSQL by URL (see :mod:`whatweknow.store.store`)."""

from whatweknow.store.store import AddResult, DocumentRow, RejectedRow, Store, open_store

__all__ = ["AddResult", "DocumentRow", "RejectedRow", "Store", "open_store"]
