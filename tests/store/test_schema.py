from observatory.store import connect
from observatory.store.schema import TABLES, current_version, migrate, migrations


def test_migrations_are_ordered_and_unique():
    numbers = [n for n, _ in migrations()]
    assert numbers == sorted(set(numbers))


def test_migrate_is_idempotent(tmp_path):
    store = connect(tmp_path / "a.duckdb")
    version = current_version(store)
    assert migrate(store) == version == migrations()[-1][0]
    store.close()


def test_reopening_keeps_data_and_version(tmp_path):
    store = connect(tmp_path / "a.duckdb")
    store.close()
    again = connect(tmp_path / "a.duckdb")
    assert current_version(again) == migrations()[-1][0]
    again.close()


def test_every_declared_table_and_its_history_exist(tmp_path):
    store = connect(tmp_path / "a.duckdb")
    names = {r[0] for r in store.rows("SELECT table_name FROM information_schema.tables")}
    for spec in TABLES.values():
        assert {spec.name, spec.history} <= names
    store.close()


def test_a_lower_migration_landing_after_a_higher_one_still_runs(tmp_path):
    store = connect(tmp_path / "a.duckdb")
    latest = migrations()[-1][0]
    store.rows("DELETE FROM schema_version WHERE version = 3")
    store.rows("DROP TABLE series_breaks")
    assert migrate(store) == latest
    names = {r[0] for r in store.rows("SELECT table_name FROM information_schema.tables")}
    assert "series_breaks" in names
    store.close()


def test_category_mappings_history_twin_comes_with_its_own_migration():
    sql = dict(migrations())
    assert "category_mappings_history" in sql[6]
    assert "category_mappings" not in sql[2]
