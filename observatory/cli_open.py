"""Opening the database for a command, and what to say when the running app holds it.

DuckDB lets one process open a database file that any process writes: while the app runs, a second
process cannot open the file at all, not even read-only ("Could not set lock on file"). A command
then says, in words, what to do instead (the page of the app that does the same, or stop the app),
never the raw lock error. Commands that only read open the file read-only, so that several of them
may run side by side when the app is stopped.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from observatory.config import load_settings
from observatory.store import DatabaseInUse, Store, connect, open_snapshot

#: Commands (and sub-commands) that only read the database.
READS = {("batches", None), ("breaks", "list"), ("users", "list")} | {
    ("report", kind) for kind in ("district", "city", "evaluation", "diagnosis")
}
#: Where the app does what each command does, for the message when the app holds the database.
APP_PAGES = {
    "import": "import through the Upload page",
    "boundaries": "import the boundary file through the Upload page",
    "rollback": "roll the batch back on the Import history page",
    "batches": "see the batches on the Import history page",
    "breaks": "use the Indicators page",
    "users": "use the Users page",
    "publish": "publish on the Publish page",
    "demo": "load the demo from a database the app is not using",
    "report": "download it from the Documents page, or add --release to make it from the published release",
}


def _sub(args: argparse.Namespace) -> str | None:
    return getattr(args, f"{args.command}_command", None)


def reads_only(args: argparse.Namespace) -> bool:
    """True when the command only reads the database."""
    return (args.command, _sub(args)) in READS


def open_for(args: argparse.Namespace) -> Store:
    """The database for this command: read-only for reads of an existing file, else read-write.

    Raises:
        DatabaseInUse: If another process (the running app) holds the file.
        StoreError: If it cannot be opened for another reason.
    """
    settings = load_settings({"db_path": args.db})
    release = getattr(args, "release", None)
    if args.command == "report" and release is not None:
        # A public document is made from the published release, never from the staff database.
        return open_snapshot(release or settings.snapshot_path)
    read_only = reads_only(args) and Path(settings.db_path).is_file()
    return connect(
        settings.db_path, read_only=read_only, memory_limit=settings.memory_limit, threads=settings.threads
    )


def in_use_message(args: argparse.Namespace, exc: DatabaseInUse) -> str:
    """What to do when the app holds the database, in words, naming the file."""
    held = f" (process {exc.holder})" if exc.holder else ""
    page = APP_PAGES.get(args.command, "use the app")
    if reads_only(args):
        return (
            f"The app{held} is using {exc.path}, and while it runs no other program can open that file,"
            f" not even to read it. {page[0].upper()}{page[1:]}, or stop the app and run this again.\n"
        )
    return f"The app{held} is using {exc.path}; {page}, or stop the app and run this again.\n"
