"""Stored granularities read for every indicator at once answer as the one-indicator reads do."""

from observatory.store import connect, queries


def test_every_indicators_granularities_in_one_read_answer_as_one_by_one(demo_file):
    one = connect(demo_file, read_only=True)
    every = connect(demo_file, read_only=True)
    try:
        codes = [*queries.indicators(one)["code"].tolist(), "no_such_indicator"]
        expected = {
            code: (
                queries.granularities_by_level(one, code),
                [queries.granularities(one, code, level=level) for level in (None, 0, 1, 2)],
            )
            for code in codes
        }
        assert every.remembered(("granularities_of_all",)) is None
        queries.granularities_of_all(every)
        assert every.remembered(("granularities_of_all",)) is not None
        got = {
            code: (
                queries.granularities_by_level(every, code),
                [queries.granularities(every, code, level=level) for level in (None, 0, 1, 2)],
            )
            for code in codes
        }
        assert got == expected
        assert any(by_level for by_level, _ in got.values())
    finally:
        one.close()
        every.close()


def test_what_is_remembered_is_forgotten_when_the_data_changes(demo_file):
    store = connect(demo_file, read_only=True)
    try:
        store.memo(("k",), lambda: 1)
        assert store.remembered(("k",)) == 1
        store.changed()
        assert store.remembered(("k",)) is None
    finally:
        store.close()
