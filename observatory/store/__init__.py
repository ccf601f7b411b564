"""The only room that knows DuckDB and SQL."""

from observatory.store.connection import Store, StoreError, connect, open_snapshot

__all__ = ["Store", "StoreError", "connect", "open_snapshot"]
