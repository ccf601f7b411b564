"""Geometry reads in a child process that can be stopped.

GDAL reads a layer on the thread that asks, and cannot be interrupted: a GeoPackage whose only layer
is an endless recursive view kept a server thread at ~90 % of a core until the server restarted. A
read given a time limit therefore runs in a child process (``python -m observatory.geo.worker``),
which is killed when the limit passes; the caller gets a :class:`ReadTimedOut` (a
:class:`~observatory.geo.errors.SourceError`, so it becomes the file's ``source-error`` issue).

The child is a fresh interpreter rather than a ``multiprocessing`` fork: forking the multi-threaded
app is unsafe, and multiprocessing's other start methods import the parent's main module in the
child, which under Streamlit is the app script itself. A fresh interpreter costs the import of the
geo room (about 1 s on an idle 2-core machine, 8 s on a loaded one), so a worker is kept for the next
read; one that was stopped is killed and the next read starts a new one.
"""

from __future__ import annotations

import atexit
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

from observatory.geo.errors import SourceError

T = TypeVar("T")

#: Where ``python -m observatory…`` finds the package.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class ReadTimedOut(SourceError):
    """A geometry read did not finish within its time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"Reading the file took longer than {seconds:g} seconds and was stopped. A GeoPackage layer "
            "that is a view (a query) or a very large file can do this; export the districts as a plain "
            "layer of a smaller file."
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (ReadTimedOut, (self.seconds,))


class ReadFailed(SourceError):
    """The process reading the file ended without an answer (killed, or out of memory)."""


def run_limited(seconds: float | None, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` in a worker process stopped after *seconds* (in this process if None).

    *func* must be a module-level function and its arguments and result must pickle. Workers are
    kept for the next read (at most :data:`IDLE_WORKERS` waiting); a stopped or failed one is killed.

    Raises:
        ReadTimedOut: If the limit passed; the worker has been killed.
        ReadFailed: If the worker ended without an answer.
        Exception: Whatever *func* raised, raised again here.
    """
    if seconds is None:
        return func(*args, **kwargs)
    payload = pickle.dumps((func, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
    worker = _POOL.take()
    try:
        data = worker.call(payload, seconds)
    except BaseException:
        worker.kill()
        raise
    _POOL.give_back(worker)
    kind, value = pickle.loads(data)
    if kind == "error":
        raise value
    return value


#: Workers kept waiting for the next read (each holds the geo room imported: ~150 MB).
IDLE_WORKERS = 1
#: How long a new worker may take to start (import the geo room) before its first read is timed.
STARTUP_SECONDS = 120.0
_LENGTH = struct.Struct("!Q")


class _Worker:
    """One ``python -m observatory.geo.worker`` process: length-prefixed pickles over its pipes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "observatory.geo.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=_PACKAGE_ROOT,
        )
        self.ready = False

    def call(self, payload: bytes, seconds: float) -> bytes:
        stdin, stdout = self.process.stdin, self.process.stdout
        if stdin is None or stdout is None:
            raise ReadFailed("the process reading the file has no pipes")
        if not self.ready:
            # Starting the worker (importing the geo room) is not the file's time: wait for it apart.
            limit = max(seconds, STARTUP_SECONDS)
            self._read(stdout, 1, time.monotonic() + limit, limit)
            self.ready = True
        deadline = time.monotonic() + seconds
        try:
            stdin.write(_LENGTH.pack(len(payload)) + payload)
            stdin.flush()
        except OSError as exc:
            raise ReadFailed(f"the process reading the file ended ({exc})") from exc
        size = _LENGTH.unpack(self._read(stdout, _LENGTH.size, deadline, seconds))[0]
        return self._read(stdout, size, deadline, seconds)

    def _read(self, stream: IO[bytes], size: int, deadline: float, seconds: float) -> bytes:
        chunks: list[bytes] = []
        wanted = size
        while wanted:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stream], [], [], left)[0]:
                raise ReadTimedOut(seconds)
            chunk = os.read(stream.fileno(), min(wanted, 1 << 20))
            if not chunk:
                code = self.process.poll()
                raise ReadFailed(f"the process reading the file ended without an answer (exit code {code})")
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class _Pool:
    """Idle workers, handed out one per read; a new one is started when none is idle."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []

    def take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
        return _Worker()

    def give_back(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < IDLE_WORKERS and worker.alive():
                self._idle.append(worker)
                return
        worker.kill()

    def close(self) -> None:
        """Stop the idle workers (at exit)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


_POOL = _Pool()
atexit.register(_POOL.close)
