"""Process-wide resources: the settings, the staff store, the published snapshot, and which one a run reads.

Two sources of data live in one process. Signed-in users (viewers and up) read the staff store,
unsuppressed; the public reads only the published snapshot, where disclosure control has already
been applied. dashboard.py says at the start of every run which one this run reads (:func:`use_source`);
pages and page modules read through :func:`reader`, and their cached reads are declared with
:func:`cached`, which keys every cached result on the source as well as on the arguments, so a
public visitor can never be served a result computed from the staff store.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import os
import threading
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar, cast

import streamlit as st

from observatory.config import Settings, load_settings
from observatory.domain import Actor, Role
from observatory.i18n import get_locale, locale_scope
from observatory.services import accounts, releases
from observatory.services.demo import ensure_demo
from observatory.services.releases import BadRelease, snapshot
from observatory.store import Store, StoreError, connect

# Served by the app itself: a named Material icon would be fetched from a third-party host.
ICON = str(Path(__file__).parent / "assets" / "icon.png")

_LOG = logging.getLogger(__name__)

STAFF = "staff"
PUBLIC = "public"

F = TypeVar("F", bound=Callable[..., Any])

_source: ContextVar[str] = ContextVar("observatory_source", default=PUBLIC)


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """Settings built once per process."""
    return load_settings()


@st.cache_resource(show_spinner="Preparing the observatory…")
def store() -> Store:
    """The staff database, the process's only read-write connection.

    On an empty database the demo city is loaded once (and published, so the public has a release).
    Never opened in public mode.
    """
    conf = settings()
    if conf.public_mode:
        raise StoreError("public mode serves the published snapshot only; the staff database is not opened")
    opened = connect(conf.db_path, memory_limit=conf.memory_limit, threads=conf.threads)
    # Refused sign-ins counted since the last minute's summary are written when the process ends.
    atexit.register(_flush_sign_ins, opened)
    if conf.load_demo:
        ensure_demo(opened, conf.demo_dir, snapshot_path=conf.snapshot_path)
    return opened


def _flush_sign_ins(opened: Store) -> None:
    # At exit the connection may already be closed: nothing more can be saved then.
    with contextlib.suppress(Exception):
        accounts.flush_summary(opened)


class _Published:
    """The published snapshot, reopened when a new release replaces the file, and checked first.

    A release file is served only once it passes ``snapshot.open_verified`` (format version, length,
    tables and columns, every block readable). A refused file leaves the release being served in
    place; a process that starts on a refused file serves the kept previous release if that one
    passes. Why a file was refused is kept for staff (:attr:`problem`) and, when the staff database is
    open in this process, written once per file to the audit log. The release before stays open for
    readers that are still using it; it is closed when the one after it arrives.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._served: str = "none"
        self._current: Store | None = None
        self._retired: Store | None = None
        #: Why the file at the snapshot path is not the one served (None when it is).
        self.problem: BadRelease | None = None

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (found.st_ino, found.st_mtime_ns, found.st_size)

    def _open(self, stamp: tuple[int, int, int] | None) -> Store | None:
        """The release to serve now: the file at the path if good, else the one served, else the kept one."""
        self.problem = None
        if stamp is None:
            return None
        try:
            return snapshot.open_verified(self.path)
        except BadRelease as exc:
            self.problem = exc
            _LOG.warning("%s", exc)
        if self._current is not None:
            return self._current
        try:
            return snapshot.open_verified(snapshot.previous_path(self.path))
        except BadRelease:
            return None

    def get(self) -> tuple[Store | None, str]:
        """The open snapshot (None when nothing can be served) and a key naming the release."""
        stamp = self._file_stamp()
        with self._lock:
            if stamp != self._stamp:
                opened = self._open(stamp)
                if opened is not self._current:
                    if self._retired is not None:
                        self._retired.close()
                    self._retired, self._current = self._current, opened
                    self._served = f"{opened.path}:{stamp}" if opened is not None else "none"
                self._stamp = stamp
                if self.problem is not None:
                    _record_refusal(self.problem)
            return self._current, f"{PUBLIC}:{self._served}"


def _record_refusal(problem: BadRelease) -> None:
    """Write a refused release file to the audit log, where the staff database is open in this process."""
    if settings().public_mode:
        return
    try:
        releases.record_refusal(store(), problem)
    except StoreError:
        _LOG.exception("the refusal of %s could not be written to the audit log", problem.path)


def release_problem() -> BadRelease | None:
    """Why the file at the snapshot path is not the release served (None when it is, or is absent)."""
    _published().get()
    return _published().problem


@st.cache_resource(show_spinner=False)
def _published() -> _Published:
    return _Published(settings().snapshot_path)


def published() -> Store | None:
    """The published snapshot as it is on disk now, or None when nothing has been published yet."""
    if not settings().public_mode:
        store()  # the demo's first release is written when the staff store is first opened
    return _published().get()[0]


def use_source(actor: Actor) -> None:
    """Say which data this run reads: the staff store for viewers and up, else the published snapshot."""
    if actor.role is not Role.PUBLIC and not settings().public_mode:
        _source.set(STAFF)
        return
    if not settings().public_mode:
        store()  # the demo's first release is written when the staff store is first opened
    _source.set(_published().get()[1])


def source_key() -> str:
    """Names what this run reads: ``staff``, or ``public:<release>``."""
    return _source.get()


def reads_published() -> bool:
    """True when this run shows the published (disclosure-controlled) data."""
    return source_key() != STAFF


def reader() -> Store:
    """The store this run reads.

    Raises:
        StoreError: If the run reads the public release and nothing has been published.
    """
    if not reads_published():
        return store()
    found = published()
    if found is None:
        raise StoreError("nothing has been published yet")
    return found


def cached(*, max_entries: int | None = None, resource: bool = False) -> Callable[[F], F]:
    """``st.cache_data`` (or ``st.cache_resource``) keyed on this run's source and language as well as the
    arguments: indicator texts are read in the reader's language (``services.views.catalogue``).

    Args:
        max_entries: Bound on cached results (default: the setting ``cache_max_entries``).
        resource: Keep the returned object itself (built figures) instead of a pickled copy.
    """
    conf = settings()
    bound = max_entries or conf.cache_max_entries
    cache: Any = st.cache_resource if resource else st.cache_data

    def decorate(func: F) -> F:
        def keyed(source: str, locale: str, *args: Any, **kwargs: Any) -> Any:
            with locale_scope(locale):
                return func(*args, **kwargs)

        # Streamlit names a cache by module, qualified name and source; give each its function's names.
        keyed.__module__, keyed.__qualname__ = func.__module__, func.__qualname__
        stored = cache(ttl=conf.cache_ttl_seconds, max_entries=bound, show_spinner=False)(keyed)

        @functools.wraps(func)
        def call(*args: Any, **kwargs: Any) -> Any:
            return stored(source_key(), get_locale(), *args, **kwargs)

        return cast(F, call)

    return decorate
