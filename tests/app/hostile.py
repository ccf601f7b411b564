"""A demo city whose every stored text a user or a file can set holds a Markdown/HTML/plotly payload."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from observatory.domain import Actor, Role
from observatory.services import publish
from observatory.store import connect

HOST = "evil.example"


def payload(field: str) -> str:
    """One text holding every shape of injection, tagged with the field it fills."""
    return (
        f"{field} <a href='http://{HOST}/a'>link</a> [md](http://{HOST}/m) ![im](http://{HOST}/i.png) "
        f"<img src='http://{HOST}/p.png'> <iframe src='http://{HOST}/f'></iframe> "
        f"<script>window.__pwned=1</script> <http://{HOST}/auto> http://{HOST}/bare www.{HOST} "
        f"&lt;b&gt; &#60;img&#62; <b>b</b><br>%{{y}} :red[c] $x$"
    )


#: (table, column) → the texts a user or a file sets; ``WHERE`` picks the rows when not all.
FIELDS = [
    ("areas", "name", "level > 0"),
    ("indicators", "name", None),
    ("indicators", "theme", None),
    ("indicators", "source", None),
    ("indicators", "description", None),
    ("axes", "title", None),
    ("axes", "description", None),
    ("objectives", "title", None),
    ("actions", "title", None),
    ("partners", "name", None),
    ("batches", "filename", None),
]


def poison(db: Path) -> Path:
    """Fill every text field of the database at ``db``, publish it beside it; returns the release."""
    store = connect(db)
    with store.transaction() as cur:
        for table, column, where in FIELDS:
            clause = f" WHERE {where}" if where else ""
            cur.execute(
                f"UPDATE {table} SET {column} = ? || ' ' || rowid{clause}", [payload(f"{table}.{column}")]
            )
        cur.execute(
            "INSERT INTO assessments (objective_code, year, text, author, created_at) "
            "SELECT code, 2025, ?, ?, TIMESTAMP '2026-01-10 10:00' FROM objectives",
            [payload("assessment"), payload("author")],
        )
        cur.execute(
            "INSERT INTO series_breaks (indicator_code, break_date, note) "
            "SELECT code, DATE '2020-01-01', ? FROM indicators",
            [payload("break")],
        )
    release = db.parent / "public.duckdb"
    publish.publish(store, actor=Actor("admin", Role.ADMIN), snapshot_path=release, now=datetime(2026, 2, 1))
    store.close()
    return release
