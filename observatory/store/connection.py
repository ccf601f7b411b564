"""The one DuckDB connection of a process, handed out as a cursor per call.

A DuckDB connection is not safe to share between threads, and Streamlit serves each session on its own
thread, so every read takes its own cursor. Writes go through :meth:`Store.transaction`, one
transaction per import, followed by a CHECKPOINT so the WAL never holds a half-applied import for long.

Reads never run during a COMMIT (:class:`CommitGate`): DuckDB 2.0 does not make a transaction's
deletes and inserts visible at one instant, so a statement that reads while an import that replaces
rows (DELETE then INSERT) commits can count both the old and the new rows. With 6 readers and 15
commits of 150,000 replaced rows, 89 of 4,480 reads saw both; with the gate, 0 of 7,048. A COMMIT
takes a few milliseconds (the rows are written before it), so readers wait that long at most.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from observatory.domain import ObservatoryError

T = TypeVar("T")
_LOG = logging.getLogger(__name__)


class StoreError(ObservatoryError):
    """The database could not be opened or a statement failed."""


class DatabaseInUse(StoreError):
    """Another process holds the database file: DuckDB lets only one process open a file that one
    of them writes, so not even a read-only open succeeds meanwhile.

    Attributes:
        path: The database file.
        holder: The process id DuckDB names as holding it, when it does.
    """

    def __init__(self, path: str, holder: int | None) -> None:
        self.path, self.holder = path, holder
        held = f" (process {holder})" if holder else ""
        super().__init__(f"another program{held} is using {path}")


def _holder(message: str) -> int | None:
    found = re.search(r"\(PID (\d+)\)", message)
    return int(found.group(1)) if found else None


class CommitGate:
    """Many readers at once, or one COMMIT alone; a waiting COMMIT goes before new readers."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._committing = False
        self._waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold while a statement runs and its rows are fetched."""
        with self._changed:
            while self._committing or self._waiting:
                self._changed.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                if not self._readers:
                    self._changed.notify_all()

    @contextmanager
    def committing(self) -> Iterator[None]:
        """Hold while a COMMIT runs: no statement reads meanwhile."""
        with self._changed:
            self._waiting += 1
            while self._committing or self._readers:
                self._changed.wait()
            self._waiting -= 1
            self._committing = True
        try:
            yield
        finally:
            with self._changed:
                self._committing = False
                self._changed.notify_all()


class Store:
    """A DuckDB database file opened by this process.

    Args:
        path: Database file; ``":memory:"`` for a throw-away database.
        read_only: Open without write access (public mode, snapshots).
        memory_limit: DuckDB ``memory_limit`` setting.
        threads: DuckDB worker threads.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        memory_limit: str = "2GB",
        threads: int = 2,
        attach: bool = False,
    ) -> None:
        self.path = str(path)
        self.read_only = read_only or attach
        self._catalog: str | None = None
        if self.path != ":memory:" and not self.read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, Any] = {
            "memory_limit": memory_limit,
            "threads": threads,
            # No network at run time: never fetch extensions, keep their folder out of $HOME.
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "extension_directory": str(Path(tempfile.gettempdir()) / "observatory-duckdb-extensions"),
        }
        try:
            if attach:
                self._con = self._attached(config)
            else:
                self._con = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.Error as exc:
            if "Could not set lock" in str(exc):
                raise DatabaseInUse(self.path, _holder(str(exc))) from exc
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        self._write_lock = threading.RLock()
        self._gate = CommitGate()
        # Facts about the data that many reads ask again (which granularities an indicator has, is
        # this a release), kept until the next commit: see :meth:`memo`.
        self._generation = 0
        self._memo: dict[tuple[Any, ...], tuple[int, Any]] = {}
        self._memo_lock = threading.Lock()

    def _attached(self, config: dict[str, Any]) -> duckdb.DuckDBPyConnection:
        """A private in-memory database with the file attached read-only, for published snapshots.

        ``duckdb.connect(path)`` shares one database instance per path within a process, so a
        snapshot replaced on disk would go on being read from the old file for as long as any
        connection to that path lives. Attaching to a private instance reads the file that is at the
        path now. The instance then loses access to any other file (no ``read_csv``, no ``COPY``).
        """
        if not Path(self.path).is_file():
            raise StoreError(f"no published snapshot at {self.path}")
        con = duckdb.connect(":memory:", config=config)
        con.execute("ATTACH ? AS published (READ_ONLY)", [self.path])
        con.execute("USE published")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        self._catalog = "published"
        return con

    def close(self) -> None:
        """Close the connection; the Store must not be used afterwards."""
        self._con.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A private cursor for one call, closed afterwards."""
        cur = self._con.cursor()
        try:
            if self._catalog:
                # A cursor starts in the default catalog; the attached snapshot is the one to read.
                cur.execute(f"USE {self._catalog}")
            yield cur
        finally:
            cur.close()

    def frame(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> pd.DataFrame:
        """Run one read statement with parameters and return all rows as a DataFrame."""
        with self.cursor() as cur, self._gate.reading():
            return cur.execute(sql, params or []).df()

    def rows(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> list[tuple[Any, ...]]:
        """Run one read statement with parameters and return all rows as tuples."""
        with self.cursor() as cur, self._gate.reading():
            return cur.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> Any:
        """Run one read statement and return the first column of its first row (None if no row)."""
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def changed(self) -> None:
        """Forget the remembered facts: the data changed (every commit and migration calls this)."""
        with self._memo_lock:
            self._generation += 1
            self._memo.clear()

    def memo(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key`` until the next commit to this store.

        For small facts many reads ask again within one page (an indicator's stored granularities,
        the city's code): one statement each per change of the data instead of one per read.
        """
        with self._memo_lock:
            found = self._memo.get(key)
            generation = self._generation
        if found is not None and found[0] == generation:
            return found[1]
        value = compute()
        with self._memo_lock:
            if self._generation == generation:
                self._memo[key] = (generation, value)
        return value

    def remembered(self, key: tuple[Any, ...]) -> Any | None:
        """What :meth:`memo` remembers under ``key`` for the data as it is now, or None."""
        with self._memo_lock:
            found = self._memo.get(key)
            if found is not None and found[0] == self._generation:
                return found[1]
        return None

    @contextmanager
    def writes_held(self) -> Iterator[None]:
        """No other thread of this process commits while this is held, so several reads see one state.

        The app is the database's only writer (DuckDB lets one process write a file), so holding the
        writers' lock is enough. The holder may still write itself: the lock is re-entrant.
        """
        with self._write_lock:
            yield

    @contextmanager
    def transaction(self, *, setup: Sequence[str] = ()) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write transaction on a private cursor: committed and checkpointed, or rolled back.

        Writers are serialised by a lock: the app is the database's only writer, but several of its
        sessions may try to import at once.

        Args:
            setup: Statements run on the cursor before the transaction begins. Scratch tables must be
                created here: with DuckDB 2.0, a table created inside a transaction and filled there
                with a full row group (122,880 rows) or more reads back as empty within that
                transaction (tests/store/test_writes.py keeps a guard on this).

        Raises:
            StoreError: If the store is read-only, or the file could not be written (disk full, file
                size limit): the transaction is rolled back and nothing is saved.
        """
        if self.read_only:
            raise StoreError("this database is open read-only")
        with self._write_lock, self.cursor() as cur:
            for statement in setup:
                cur.execute(statement)
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                with self._gate.committing():
                    try:
                        cur.execute("COMMIT")
                    finally:
                        self.changed()
            except duckdb.IOException as exc:
                _rollback_quietly(cur)
                raise StoreError(
                    f"the database file could not be written ({exc}); nothing was saved"
                ) from exc
            except BaseException:
                _rollback_quietly(cur)
                raise
            _checkpoint(cur)


def _rollback_quietly(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back, if a transaction is still open (a failed COMMIT has already ended it)."""
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error:
        _LOG.debug("no transaction left to roll back", exc_info=True)


def _checkpoint(cur: duckdb.DuckDBPyConnection) -> None:
    """Fold the write-ahead log into the file; a failure here loses nothing already committed."""
    try:
        cur.execute("CHECKPOINT")
    except (duckdb.IOException, duckdb.FatalException) as exc:
        # The commit is durable in the WAL and is replayed on the next open or folded in by the
        # next checkpoint, so the write succeeded; the full disk is worth a warning in the log.
        _LOG.warning("checkpoint failed (%s); the commit stays in the write-ahead log", exc)


def open_snapshot(path: str | Path, *, memory_limit: str = "1GB", threads: int = 2) -> Store:
    """Open a published snapshot file read-only, as it is on disk now (see ``Store._attached``).

    Raises:
        StoreError: If there is no snapshot at *path* or it cannot be read.
    """
    return Store(path, attach=True, memory_limit=memory_limit, threads=threads)


def connect(
    path: str | Path, *, read_only: bool = False, memory_limit: str = "2GB", threads: int = 2
) -> Store:
    """Open a database file, check it is whole, and bring its schema up to date (unless read-only).

    Raises:
        DatabaseDamaged: If the file is shorter than its header declares.
        SchemaTooNew: If a newer version of the program wrote it (nothing is changed).
        StoreError: If it cannot be opened at all (not a database, held by another program …).
    """
    from observatory.store import integrity
    from observatory.store.schema import migrate

    store = Store(path, read_only=read_only, memory_limit=memory_limit, threads=threads)
    try:
        if read_only:
            integrity.check_length(store)
        else:
            migrate(store)
    except duckdb.Error as exc:
        store.close()
        if isinstance(exc, duckdb.IOException) or "Corrupt database" in str(exc):
            raise integrity.DatabaseDamaged(store.path, f"it cannot be read ({exc})") from exc
        raise StoreError(f"cannot prepare database {store.path}: {exc}") from exc
    except BaseException:
        store.close()
        raise
    return store
