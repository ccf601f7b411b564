"""Schema: ordered, idempotent migrations recorded in ``schema_version``, and the data tables as data.

Each importable table is declared once in :data:`TABLES` (key columns, value columns); the generic
merge and rollback in writes.py are built from these declarations, never from user input. Every data
table has a ``<table>_history`` twin holding, per committed batch, the whole previous state of each row
it updated or deleted; the rows it created carry its ``batch_id``. Together they make a rollback exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from observatory.domain import translation_columns
from observatory.store import integrity
from observatory.store.connection import Store

SQL_DIR = Path(__file__).parent / "sql"


@dataclass(frozen=True, slots=True)
class TableSpec:
    """An importable table: its key columns and its value columns (batch_id is implicit).

    ``since`` is the migration that creates its history twin: 2 for the tables of 001, else the
    migration that added the table or last changed its columns (the twin is appended to its SQL).
    """

    name: str
    keys: tuple[str, ...]
    values: tuple[str, ...]
    order_by: tuple[str, ...] = ()
    since: int = 2

    @property
    def columns(self) -> tuple[str, ...]:
        """Key and value columns, in table order."""
        return self.keys + self.values

    @property
    def history(self) -> str:
        """Name of the table keeping previous states for rollback."""
        return f"{self.name}_history"


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "areas", ("code",), ("name", "level", "parent_code", "geometry", "display_geometry", "area_km2")
        ),
        TableSpec(
            "indicators",
            ("code",),
            (
                "name",
                "theme",
                "kind",
                "unit",
                "polarity",
                "denominator_kind",
                "multiplier",
                "disclosure_threshold",
                "description",
                "source",
                *translation_columns(),
            ),
        ),
        TableSpec("denominators", ("area_code", "year", "kind"), ("value",)),
        TableSpec(
            "observations",
            ("indicator_code", "area_code", "granularity", "period_start"),
            ("value", "sample_size", "status"),
            order_by=("indicator_code", "area_code", "period_start"),
        ),
        TableSpec("axes", ("code",), ("title", "description")),
        TableSpec("partners", ("code",), ("name", "sector")),
        TableSpec(
            "objectives",
            ("code",),
            (
                "axis_code",
                "title",
                "indicator_code",
                "area_code",
                "baseline_period",
                "baseline_value",
                "target_value",
                "target_period",
            ),
        ),
        TableSpec(
            "actions",
            ("code",),
            (
                "objective_code",
                "title",
                "lead_partner",
                "status",
                "start_date",
                "end_date",
                "budget",
                # Added by migration 008 (its history twin altered there too).
                "target_areas",
                "result_indicators",
                "comparison_areas",
            ),
        ),
        TableSpec("action_partners", ("action_code", "partner_code"), ()),
        # Which indicator a category of a published format counts towards (NULL: not followed).
        TableSpec("category_mappings", ("source", "category"), ("indicator_code",), since=6),
        # A new version of an assessment is a new row: the time it was written is part of its key.
        TableSpec("assessments", ("objective_code", "year", "created_at"), ("text", "author"), since=5),
        # A derived indicator's components (its figures are their sum), replaced as a set per indicator.
        TableSpec("derived_components", ("indicator_code", "component_code"), (), since=7),
        # A council document's text blocks written by staff; each saved version is a new row.
        TableSpec("document_texts", ("kind", "year", "block", "created_at"), ("text", "author"), since=14),
        # Area groupings staff define, and their member districts (replaced as a set per group).
        TableSpec("area_groups", ("code",), ("name",), since=9),
        TableSpec("area_group_members", ("group_code", "area_code"), (), since=9),
        # Outcome-based contracts, their parties and their cohorts with thresholds and payments.
        TableSpec(
            "contracts",
            ("code",),
            ("title", "indicator_code", "comparison_areas", "baseline_start", "start_date", "end_date"),
            since=8,
        ),
        TableSpec("contract_partners", ("contract_code", "partner_code", "role"), (), since=8),
        TableSpec(
            "contract_cohorts",
            ("contract_code", "cohort"),
            ("areas", "threshold", "payment", "due_date"),
            since=8,
        ),
    )
}


def _history_ddl(version: int) -> str:
    # Same columns as the table, plus which batch changed it and how.
    return "\n".join(
        f"CREATE TABLE {spec.history} AS SELECT 0::INTEGER AS change_batch, ''::VARCHAR AS change, * "
        f"FROM {spec.name} WHERE false;"
        for spec in TABLES.values()
        if spec.since == version
    )


def migrations() -> list[tuple[int, str]]:
    """Ordered (version, SQL) pairs: 001 creates the tables, 002 their history twins, files 003+ follow.

    A table declared with ``since = n`` gets its history twin at the end of migration n.
    """
    files = sorted(SQL_DIR.glob("[0-9][0-9][0-9]_*.sql"))
    steps = [(int(path.name[:3]), path.read_text(encoding="utf-8")) for path in files]
    steps = [(n, f"{sql}\n{_history_ddl(n)}") for n, sql in steps]
    return sorted([*steps, (2, _history_ddl(2))])


def current_version(store: Store) -> int:
    """Highest applied migration, 0 for an empty database."""
    with store.cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"
        )
        found = cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()
    return int(found[0][0])


def _has_version_table(store: Store) -> bool:
    return bool(
        store.scalar(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND table_name = 'schema_version'"
        )
    )


def migrate(store: Store) -> int:
    """Apply the migrations not yet applied, each in its own transaction; return the highest version.

    A migration is skipped when its own number is recorded, not when a higher one is: migrations
    written side by side may land in either order (005 after 006) and still each run once.

    Raises:
        DatabaseDamaged: If the file is shorter than its header declares (nothing is written).
        SchemaTooNew: If the database holds a migration newer than this program's (nothing is written).
    """
    integrity.check_length(store)
    steps = migrations()
    if _has_version_table(store):
        with store.cursor() as cur:
            applied = {int(r[0]) for r in cur.execute("SELECT version FROM schema_version").fetchall()}
        # Before anything is written: a newer program's database is left exactly as it is.
        integrity.check_version(store, applied, (n for n, _ in steps))
    current_version(store)
    with store.cursor() as cur:
        applied = {int(r[0]) for r in cur.execute("SELECT version FROM schema_version").fetchall()}
    for number, sql in steps:
        if number in applied:
            continue
        with store.transaction() as cur:
            cur.execute(sql)
            cur.execute(
                "INSERT INTO schema_version VALUES (?, ?)", [number, datetime.now(UTC).replace(tzinfo=None)]
            )
    return current_version(store)
