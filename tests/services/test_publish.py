"""Publishing the demo city: disclosure control, an attack on the published margins, releases, CLI."""

import argparse
import io
import shutil
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from observatory import cli_publish
from observatory.domain import Actor, PermissionDenied, Role
from observatory.services import publish
from observatory.store import connect, snapshot

ADMIN = Actor("ana", Role.ADMIN)
EDITOR = Actor("rita", Role.EDITOR)
WHEN = datetime(2026, 1, 5, 9, 30)
KEY = ["indicator_code", "area_code", "granularity", "period_start"]


@pytest.fixture(scope="module")
def released(demo_file, tmp_path_factory):
    """The demo city published once: (staff store, release, snapshot store)."""
    folder = tmp_path_factory.mktemp("publish")
    staff = connect(shutil.copy(demo_file, folder / "staff.duckdb"))
    release = publish.publish(staff, actor=ADMIN, snapshot_path=folder / "public.duckdb", now=WHEN)
    public = connect(release.path, read_only=True)
    yield staff, release, public
    public.close()
    staff.close()


@pytest.fixture
def staff(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    yield opened
    opened.close()


# What the public release publishes, computed from the staff store independently of the code under
# test: each district's complete calendar years of a count, and the city's months as the sum of its
# districts (no row at all when a district is missing or withheld at source: the total is unknown), or its
# own rows where it has them.
_TRUE_CELLS = """
WITH counts AS (
    SELECT o.*, a.level, a.parent_code, i.disclosure_threshold AS k
    FROM observations o JOIN areas a ON a.code = o.area_code JOIN indicators i ON i.code = o.indicator_code
    WHERE i.unit = 'count'
), district_years AS (
    SELECT indicator_code, area_code, 'year' AS granularity,
           date_trunc('year', period_start)::DATE AS period_start,
           CASE WHEN count(value) = count(*) THEN sum(value) END AS true_value, parent_code AS parent, k
    FROM counts WHERE level = 1 AND granularity = 'month' GROUP BY ALL HAVING count(*) = 12
), city_months AS (
    SELECT indicator_code, (SELECT code FROM areas WHERE level = 0) AS area_code, granularity, period_start,
           sum(value) AS true_value, NULL AS parent, k
    FROM counts WHERE level = 1
      AND indicator_code NOT IN (SELECT indicator_code FROM counts WHERE level = 0) GROUP BY ALL
    HAVING count(value) = count(*) AND count(*) = (SELECT count(*) FROM areas WHERE level = 1)
), city_own AS (
    SELECT indicator_code, area_code, granularity, period_start, value AS true_value, NULL AS parent, k
    FROM counts WHERE level = 0
)
SELECT * FROM district_years UNION ALL SELECT * FROM city_months UNION ALL SELECT * FROM city_own
"""


def _cells(released) -> pd.DataFrame:
    """True and published value of every published count cell, with its margins' keys."""
    staff, _, public = released
    true = staff.frame(_TRUE_CELLS)
    shown = public.frame(
        "SELECT o.indicator_code, o.area_code, o.granularity, o.period_start, o.value, o.status, o.display "
        "FROM observations o JOIN indicators i ON i.code = o.indicator_code WHERE i.unit = 'count'"
    )
    cells = true.merge(shown, on=KEY, how="outer", validate="one_to_one", indicator=True)
    assert (cells["_merge"] == "both").all(), cells[cells["_merge"] != "both"].head()
    cells = cells.drop(columns="_merge")
    return cells.assign(year=cells["period_start"].dt.year)


def _equations(block: pd.DataFrame, unknown: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Sum constraints an outsider can write: withheld cells of a group = derivable total − published."""
    rows, rhs = [], []
    for cols in (["period_start", "parent"], ["area_code", "year"]):
        for key, group in block.groupby(cols, dropna=False):
            if cols[1] == "parent" and pd.isna(key[1]):
                continue  # the city itself: no total above it
            hidden = group.index.intersection(unknown)
            if hidden.empty or group["true_value"].isna().any():
                continue  # nothing to recover, or no derivable total (a cell not published at source)
            if len(group) == 1:
                continue  # a lone cell is its own total (a district's year): nothing else publishes it
            row = np.zeros(len(unknown))
            row[unknown.get_indexer(hidden)] = 1.0
            rows.append(row)
            rhs.append(group["true_value"].sum() - group["value"].sum())
    return np.array(rows), np.array(rhs)


def _recoverable(block: pd.DataFrame, rng: np.random.Generator) -> tuple[int, int]:
    """(withheld cells checked, cells whose min and max over the published margins coincide).

    Method: linear programming (HiGHS). A cell is recoverable exactly when min x_i = max x_i over
    the sum constraints and what the page says of each cell: a cell shown "< k" lies in [1, k−1], any
    other withheld cell is ≥ 0. A feasible point from a random objective where x_i differs from the
    true value already proves min < max, so only the cells no such point moves get their own min
    and max LP.
    """
    unknown = block.index[block["value"].isna() & block["true_value"].notna()]
    if unknown.empty:
        return 0, 0
    a_eq, b_eq = _equations(block, unknown)
    if not len(a_eq):
        return len(unknown), 0
    bound = a_eq.sum(axis=0) > 0  # a cell in no equation at all is free: not recoverable
    a_eq = a_eq[:, bound]
    truth = block.loc[unknown[bound], "true_value"].to_numpy()
    small = block.loc[unknown[bound], "display"].fillna("").str.startswith("<").to_numpy()
    k = block.loc[unknown[bound], "k"].to_numpy()
    limits = [(1, kk - 1) if s else (0, None) for s, kk in zip(small, k, strict=True)]
    assert np.allclose(a_eq @ truth, b_eq)  # the true values satisfy what the outsider knows
    moved = np.zeros(len(truth), dtype=bool)
    for _ in range(3):
        c = rng.normal(size=len(truth))
        for sign in (1, -1):
            found = linprog(sign * c, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs")
            assert found.status == 0, found.message
            moved |= np.abs(found.x - truth) > 1e-6
    exact = 0
    for i in np.flatnonzero(~moved):
        goal = np.zeros(len(truth))
        goal[i] = 1.0
        low = linprog(goal, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs").fun
        high = -linprog(-goal, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs").fun
        exact += int(abs(high - low) < 1e-6)
    return len(unknown), exact


def test_no_published_count_between_one_and_threshold(released):
    cells = _cells(released)
    small = cells[(cells["value"] >= 1) & (cells["value"] < cells["k"])]
    assert small.empty, small.head()
    assert len(cells) > 3_000


def test_small_counts_shown_as_below_threshold(released):
    _, _, public = released
    rows = public.frame(
        "SELECT o.value, o.status, o.display, i.disclosure_threshold AS k FROM observations o "
        "JOIN indicators i ON i.code = o.indicator_code WHERE o.display LIKE '<%'"
    )
    assert len(rows) == released[1].suppressed_primary
    assert rows["value"].isna().all()
    assert (rows["status"] == publish.SUPPRESSED).all()
    assert (rows["display"] == "< " + rows["k"].astype(str)).all()


def test_zero_counts_published(released):
    cells = _cells(released)
    zeros = cells[cells["true_value"] == 0]
    assert len(zeros) > 0
    assert (zeros["value"].fillna(-1) == 0).mean() > 0.9


def test_not_published_at_source_stays_withheld(released):
    cells = _cells(released)
    hidden = cells[cells["true_value"].isna()]
    # 10 district years withheld at source; the city's months they fall in get no row (unknown total).
    assert len(hidden) == released[1].not_published == 10
    assert hidden["value"].isna().all()
    assert (hidden["status"] == "not_published").all()


def test_non_count_indicators_published_unchanged(released):
    staff, _, public = released
    query = (
        "SELECT o.indicator_code, o.area_code, o.period_start, o.value FROM observations o "
        "JOIN indicators i ON i.code = o.indicator_code WHERE i.unit <> 'count' ORDER BY 1, 2, 3"
    )
    pd.testing.assert_frame_equal(staff.frame(query), public.frame(query))


def test_no_withheld_cell_recoverable_from_published_margins(released):
    cells = _cells(released)
    rng = np.random.default_rng(42)
    checked = exact = 0
    for _, block in cells.groupby(["indicator_code", "granularity", "year"]):
        found = _recoverable(block, rng)
        checked += found[0]
        exact += found[1]
    print(f"\ncells {len(cells)}, withheld checked {checked}, recoverable {exact}")
    assert checked == released[1].suppressed_primary + released[1].suppressed_secondary
    assert exact == 0


def test_release_table_records_counts(released):
    _, release, public = released
    row = public.frame("SELECT * FROM release").iloc[0]
    assert row["published_at"] == pd.Timestamp(WHEN)
    assert row["observations"] == release.observations == public.scalar("SELECT count(*) FROM observations")
    assert row["published"] == public.scalar("SELECT count(value) FROM observations")
    assert release.suppressed_secondary > 0
    assert row["suppressed_secondary"] == release.suppressed_secondary


def test_staff_only_tables_absent(released):
    _, _, public = released
    tables = set(public.frame("SELECT table_name FROM information_schema.tables")["table_name"])
    assert tables == set(snapshot.SNAPSHOT_TABLES)
    assert not tables & {"users", "batches", "audit_log", "schema_version", "observations_history"}
    assert "batch_id" not in public.frame("SELECT * FROM observations LIMIT 1").columns


def test_only_display_geometry_published(released):
    staff, _, public = released
    shown = public.frame("SELECT code, geometry, display_geometry FROM areas ORDER BY code")
    source = staff.frame("SELECT code, display_geometry FROM areas ORDER BY code")
    assert shown["geometry"].equals(shown["display_geometry"])
    assert shown["display_geometry"].equals(source["display_geometry"])


def test_publish_recorded_in_audit_log(released):
    staff, _, _ = released
    logged = staff.frame("SELECT actor, detail FROM audit_log WHERE action = 'publish'")
    assert logged["actor"].tolist() == ["ana"]
    assert "public.duckdb" in logged["detail"].iloc[0]


def test_non_admin_refused(staff, tmp_path):
    with pytest.raises(PermissionDenied):
        publish.publish(staff, actor=EDITOR, snapshot_path=tmp_path / "public.duckdb", now=WHEN)
    assert not (tmp_path / "public.duckdb").exists()


def test_previous_release_kept(staff, tmp_path):
    target = tmp_path / "public.duckdb"
    first = publish.publish(staff, actor=ADMIN, snapshot_path=target, now=WHEN)
    second = publish.publish(staff, actor=ADMIN, snapshot_path=target, now=datetime(2026, 2, 1))
    assert first.previous is None
    assert second.previous == tmp_path / "public.previous.duckdb"
    kept = connect(second.previous, read_only=True)
    assert kept.scalar("SELECT published_at FROM release") == WHEN
    kept.close()


def test_crash_while_writing_leaves_old_snapshot(staff, tmp_path, monkeypatch):
    target = tmp_path / "public.duckdb"
    publish.publish(staff, actor=ADMIN, snapshot_path=target, now=WHEN)
    before = target.read_bytes()

    def crash(file, tables):
        file.write_bytes(b"half a database")
        raise OSError("disk full")

    monkeypatch.setattr(snapshot, "_write_tables", crash)
    with pytest.raises(OSError, match="disk full"):
        publish.publish(staff, actor=ADMIN, snapshot_path=target, now=datetime(2026, 2, 1))
    assert target.read_bytes() == before
    # The first release's open-data package stays beside it, untouched.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "public.duckdb",
        "public.open-data.zip",
        "staff.duckdb",
    ]
    assert staff.scalar("SELECT count(*) FROM audit_log WHERE action = 'publish'") == 1


def test_secondary_suppression_protects_a_lone_small_count():
    observations = pd.DataFrame(
        {
            "indicator_code": "c",
            "area_code": ["01", "02", "03"],
            "granularity": "year",
            "period_start": pd.Timestamp("2024-01-01"),
            "value": [3.0, 12.0, 40.0],
            "sample_size": None,
            "status": "ok",
        }
    )
    indicators = pd.DataFrame({"code": ["c"], "unit": ["count"], "disclosure_threshold": [5]})
    areas = pd.DataFrame({"code": ["000", "01", "02", "03"], "parent_code": [None, "000", "000", "000"]})
    done, reasons = publish.disclose_observations(observations, indicators, areas)
    assert done["value"].tolist()[2] == 40.0
    assert done["value"].iloc[:2].isna().all()
    assert done["display"].tolist()[:2] == ["< 5", "c"]
    assert reasons.tolist() == ["primary", "secondary", ""]


def test_cli_publish_subcommand(staff, tmp_path):
    parser = argparse.ArgumentParser()
    cli_publish.add_parser(parser.add_subparsers(dest="command", required=True))
    target = tmp_path / "out" / "public.duckdb"
    args = parser.parse_args(["publish", "--db", str(staff.path), "--snapshot", str(target)])
    out = io.StringIO()
    assert cli_publish.run(staff, args, out) == 0
    assert target.exists()
    assert "first release" in out.getvalue()
    assert staff.scalar("SELECT actor FROM audit_log WHERE action = 'publish'") == "cli"


def test_cli_publish_default_snapshot_from_settings(staff, tmp_path, monkeypatch):
    target = tmp_path / "settings" / "public.duckdb"
    monkeypatch.setenv("OBSERVATORY_SNAPSHOT", str(target))
    parser = argparse.ArgumentParser()
    cli_publish.add_parser(parser.add_subparsers(dest="command", required=True))
    assert cli_publish.run(staff, parser.parse_args(["publish"]), io.StringIO()) == 0
    assert target.exists()


def _frames(values, *, granularity="month", status=None):
    """Observations of one count over two districts, with the indicator and area tables."""
    rows = pd.DataFrame(values, columns=["area_code", "period_start", "value"])
    rows = rows.assign(
        indicator_code="c",
        granularity=granularity,
        sample_size=np.nan,
        status=status or "ok",
        period_start=pd.to_datetime(rows["period_start"]).dt.date,
    )[snapshot.columns("observations")[:-1]]
    indicators = pd.DataFrame({"code": ["c"], "unit": ["count"], "disclosure_threshold": [5]})
    areas = pd.DataFrame(
        {"code": ["000", "01", "02"], "level": [0, 1, 1], "parent_code": [None, "000", "000"]}
    )
    return rows, indicators, areas


def test_city_total_is_the_sum_of_its_districts():
    rows, indicators, areas = _frames([("01", "2024-01-01", 3), ("02", "2024-01-01", 40)])
    city = publish.city_totals(rows, indicators, areas)
    assert city[["area_code", "value", "status"]].values.tolist() == [["000", 43.0, "ok"]]


def test_city_total_withheld_when_a_district_is_missing_or_withheld():
    rows, indicators, areas = _frames(
        [("01", "2024-01-01", 3), ("01", "2024-02-01", 3), ("02", "2024-02-01", np.nan)]
    )
    city = publish.city_totals(rows, indicators, areas)
    assert city["value"].isna().all()
    assert (city["status"] == "not_published").all()


def test_city_own_rows_are_not_recomputed():
    rows, indicators, areas = _frames([("01", "2024-01-01", 3), ("000", "2024-01-01", 50)])
    assert publish.city_totals(rows, indicators, areas).empty


def test_district_months_become_complete_years_only():
    months = [("01", f"2024-{m:02d}-01", 2) for m in range(1, 13)] + [("01", "2025-01-01", 9)]
    rows, indicators, areas = _frames(months)
    public = publish.district_years(rows, indicators, areas)
    assert public[["area_code", "granularity", "value"]].values.tolist() == [["01", "year", 24.0]]
    assert public["period_start"].iloc[0] == pd.Timestamp("2024-01-01").date()


def test_district_year_with_a_month_withheld_at_source_is_withheld():
    months = [("01", f"2024-{m:02d}-01", np.nan if m == 5 else 2) for m in range(1, 13)]
    rows, indicators, areas = _frames(months)
    public = publish.district_years(rows, indicators, areas)
    assert public["value"].isna().all()
    assert public["status"].tolist() == ["not_published"]


def test_district_year_with_a_provisional_month_is_provisional():
    months = [("01", f"2024-{m:02d}-01", 2) for m in range(1, 13)]
    rows, indicators, areas = _frames(months)
    rows.loc[rows.index[3], "status"] = "provisional"
    public = publish.district_years(rows, indicators, areas)
    assert public[["value", "status"]].values.tolist() == [[24.0, "provisional"]]


def test_district_year_sample_sizes_are_summed_and_stay_empty_when_none_given():
    months = [("01", f"2024-{m:02d}-01", 2) for m in range(1, 13)] + [
        ("02", f"2024-{m:02d}-01", 1) for m in range(1, 13)
    ]
    rows, indicators, areas = _frames(months)
    rows.loc[rows["area_code"] == "01", "sample_size"] = 10.0
    public = publish.district_years(rows, indicators, areas).sort_values("area_code")
    assert public["sample_size"].iloc[0] == 120.0
    assert np.isnan(public["sample_size"].iloc[1])


def test_publishing_in_batches_of_indicators_equals_publishing_all_at_once(staff, monkeypatch):
    # The release is computed a batch of indicators at a time to bound memory; every step works
    # within an indicator, so the whole-table computation must give the same rows, reasons included.
    monkeypatch.setattr(publish, "BATCH_ROWS", 2_000)  # the demo's indicators: one batch each
    counts = snapshot.source_observation_counts(staff)
    assert len(publish._batches(counts)) > 10
    tables = snapshot.read_public_sources(staff)
    indicators, areas = tables["indicators"], tables["areas"]
    rows = snapshot.read_source_observations(staff, list(counts))
    with_city = pd.concat([rows, publish.city_totals(rows, indicators, areas)], ignore_index=True)
    whole, reasons = publish.disclose_observations(
        publish.district_years(with_city, indicators, areas), indicators, areas
    )

    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        # Periods arrive as timestamps from the store and as dates from the yearly sums.
        dated = frame.assign(period_start=pd.to_datetime(frame["period_start"]))
        return dated.sort_values(KEY).reset_index(drop=True)

    expected = ordered(whole.assign(reason=reasons))
    chunked, figures = publish._public_tables(staff)
    found = ordered(chunked["observations"])
    pd.testing.assert_frame_equal(found, expected.drop(columns="reason"), check_dtype=False)
    assert figures.suppressed_primary == int((expected["reason"] == "primary").sum()) > 0
    assert figures.suppressed_secondary == int((expected["reason"] == "secondary").sum()) > 0


def test_batches_keep_whole_indicators_in_order_up_to_the_limit():
    counts = {"a": 400, "b": 500, "c": 200, "d": 1_500, "e": 10}
    assert publish._batches(counts, limit=1_000) == [["a", "b"], ["c"], ["d"], ["e"]]
    assert publish._batches(counts, limit=10_000) == [["a", "b", "c", "d", "e"]]
    assert publish._batches({}, limit=1_000) == []
