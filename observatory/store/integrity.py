"""Is a database file whole, and can this program read it? Checked before anything is written to it.

A DuckDB file is a 12 KiB header followed by fixed-size blocks, and the header says how many blocks
the file holds. A file cut short (a copy that stopped, a full disk during a backup) still opens, and
its catalogue still answers, so a database cut to a tenth of its size passed ``init`` and the app
started on it; only a read of a lost block failed, later, on some page. The file's length is
therefore compared with what its header declares at every open (one statement: whole blocks, at
least the blocks in use), and ``init`` also reads every table through (each block's checksum is
verified when it is read).

A database written by a newer version of the program (a migration this code does not know) is
refused before any migration runs, so nothing in it is changed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import duckdb

from observatory.store.connection import Store, StoreError

#: DuckDB's main header and its two database headers, before the first block.
HEADER_BYTES = 3 * 4096


class DatabaseDamaged(StoreError):
    """The database file is incomplete or unreadable.

    Attributes:
        path: The file.
        detail: What was found, in words.
    """

    def __init__(self, path: str, detail: str) -> None:
        self.path, self.detail = path, detail
        super().__init__(f"the database {path} is damaged: {detail}")


class SchemaTooNew(StoreError):
    """The database was written by a newer version of the program.

    Attributes:
        path: The file.
        found: The newest schema version in the file.
        known: The newest schema version this program knows.
    """

    def __init__(self, path: str, found: int, known: int) -> None:
        self.path, self.found, self.known = path, found, known
        super().__init__(
            f"the database {path} has schema version {found}, newer than this program's {known}; "
            "run the newer version of the program (nothing was changed)"
        )


def check_length(store: Store) -> None:
    """Compare the file's length with the blocks its header declares.

    The file is the header and whole blocks, so its length past the header is a multiple of the block
    size; and it holds at least the blocks in use (DuckDB gives back free blocks at the end of the
    file, so the header's total may exceed what the file holds). A cut that falls on a block boundary
    past the last used block but before a free one is found by :func:`read_through`.

    Raises:
        DatabaseDamaged: If the file is shorter than its header says, or ends inside a block.
    """
    if store.path == ":memory:" or not os.path.isfile(store.path):
        return
    found = store.rows(
        "SELECT used_blocks, block_size FROM pragma_database_size() WHERE database_name = current_database()"
    )
    if not found or not found[0][1]:
        return
    used, block_size = int(found[0][0]), int(found[0][1])
    actual = os.path.getsize(store.path)
    needed = HEADER_BYTES + used * block_size
    if actual < needed or (actual - HEADER_BYTES) % block_size:
        raise DatabaseDamaged(
            store.path,
            f"the file has {actual:,} bytes where its header declares {used:,} blocks of "
            f"{block_size:,} bytes ({needed:,} bytes) (it was cut short)",
        )


def read_through(store: Store, tables: Iterable[str] | None = None) -> None:
    """Read every row and column of every table (or of *tables*), so every block's checksum is verified.

    Raises:
        DatabaseDamaged: If a table cannot be read, naming it.
    """
    names = (
        list(tables)
        if tables is not None
        else [
            str(r[0])
            for r in store.rows(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1"
            )
        ]
    )
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        try:
            store.rows(f"SELECT count(*), bit_xor(hash(t)) FROM {quoted} t")  # noqa: S608 - catalogue names
        except duckdb.Error as exc:
            raise DatabaseDamaged(store.path, f"table {name} cannot be read ({exc})") from exc


def check_version(store: Store, applied: Iterable[int], known: Iterable[int]) -> None:
    """Refuse a database holding a migration newer than every one this program has.

    Raises:
        SchemaTooNew: If it does.
    """
    applied_max, known_max = max(applied, default=0), max(known, default=0)
    if applied_max > known_max:
        raise SchemaTooNew(store.path, applied_max, known_max)
