"""The only room that knows DuckDB and SQL."""

from observatory.store.connection import DatabaseInUse, Store, StoreError, connect, open_snapshot

__all__ = ["DatabaseInUse", "Store", "StoreError", "connect", "open_snapshot"]
