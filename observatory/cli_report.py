"""``python -m observatory report district|city|evaluation|diagnosis``: a council document as PDF or HTML
(``district`` takes a district's code or an area grouping's).

Made from the staff database (marked "internal — not for publication" on every page) or, with
``--release``, from the published release (disclosure-controlled, and saying so), so documents can be
produced on a schedule. The format follows the file's extension: ``.pdf`` or ``.html``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from observatory.present import documents
from observatory.store import Store

LANGS = ("en", "pt", "fr")


def add_parser(sub: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``report`` and its sub-commands."""
    top = sub.add_parser("report", parents=list(parents), help="write a council document (PDF or HTML)")
    group = top.add_subparsers(dest="report_command", required=True)
    for kind, words in (
        ("district", "briefing of one district or area grouping (1-2 pages)"),
        ("city", "briefing of the city (2-4 pages)"),
        ("evaluation", "yearly evaluation of the strategy"),
        ("diagnosis", "security diagnosis (CLSPD shape)"),
    ):
        one = group.add_parser(kind, parents=list(parents), help=words)
        if kind == "district":
            one.add_argument("district", help="district code, or an area grouping's code")
        if kind != "city":
            one.add_argument("--year", type=int, help="year (default: the latest with data)")
        one.add_argument("--lang", choices=LANGS, default="en", help="language of the document")
        one.add_argument("--out", required=True, help="file to write: .pdf or .html")
        one.add_argument(
            "--release",
            nargs="?",
            const="",
            default=None,
            help="make it from the published release (default file: the settings' snapshot_path)",
        )


def run(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    """Write the document; 0 when written, 2 when the request cannot be met (said in words)."""
    target = Path(args.out)
    kind = args.report_command
    try:
        fmt = documents.format_of(target.name)
        request = documents.Request(
            kind, area=getattr(args, "district", None), year=getattr(args, "year", None), lang=args.lang
        )
        data = documents.write(store, request, fmt)
    except documents.DocumentError as exc:
        out.write(f"error: {exc}\n")
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    out.write(f"{kind} document written: {target} ({len(data):,} bytes)\n")
    return 0
