"""The worker process of :mod:`observatory.geo.limits`: calls read from stdin, answers to stdout.

Each call is a length-prefixed pickled ``(function, args, kwargs)``; each answer a length-prefixed
pickled ``("ok", result)`` or ``("error", exception)``. It serves calls until stdin closes. Only
:func:`observatory.geo.limits.run_limited` starts it.
"""

from __future__ import annotations

import pickle
import struct
import sys
from typing import Any

from observatory.geo.errors import SourceError

_LENGTH = struct.Struct("!Q")


def _read(size: int) -> bytes | None:
    chunks, wanted = [], size
    while wanted:
        chunk = sys.stdin.buffer.read(wanted)
        if not chunk:
            return None
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def _answer(payload: bytes) -> bytes:
    func, args, kwargs = pickle.loads(payload)
    try:
        answer: tuple[str, Any] = ("ok", func(*args, **kwargs))
    except Exception as exc:  # every failure is handed to the parent to raise there
        answer = ("error", exc)
    try:
        return pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an answer that does not pickle is sent as words
        return pickle.dumps(("error", SourceError(f"the file cannot be read ({exc})")))


def main() -> int:
    """Serve calls until stdin closes; 0 then."""
    import observatory.geo  # noqa: F401 - imported once, before the first call is timed

    sys.stdout.buffer.write(b"R")  # ready: the parent starts timing the first call now
    sys.stdout.buffer.flush()
    while True:
        head = _read(_LENGTH.size)
        if head is None:
            return 0
        payload = _read(_LENGTH.unpack(head)[0])
        if payload is None:
            return 0
        data = _answer(payload)
        sys.stdout.buffer.write(_LENGTH.pack(len(data)) + data)
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    sys.exit(main())
