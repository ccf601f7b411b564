"""Impact estimates of the demo city's actions: each verdict on an effect the generator built in (or not)."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest

from observatory.services import impact
from observatory.store import connect


@pytest.fixture(scope="module")
def demo(demo_file, tmp_path_factory):
    store = connect(shutil.copy(demo_file, tmp_path_factory.mktemp("impact") / "demo.duckdb"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def table(demo) -> pd.DataFrame:
    return impact.estimates(demo, lang="en").set_index("action_code")


def test_one_row_per_action_and_result_indicator(table) -> None:
    assert list(table.index) == ["AC01", "AC05", "AC07", "AC09", "AC11", "AC17"]
    assert list(table.reset_index().columns) == impact.COLUMNS


def test_burglary_fall_in_the_strategy_districts_is_found_and_its_size_covered(table) -> None:
    row = table.loc["AC01"]
    assert row["method"] == "did" and row["verdict"] == "beyond_chance"
    # The generator's burglary slope in 01, 05, 12 and 18: -0.25 a year from 2023 (data/demo/series.py);
    # over the action's months (Feb 2023 to Dec 2025) that is on average this rate ratio.
    months = pd.date_range("2023-02-01", "2025-12-01", freq="MS")
    years = months.year + (months.month - 0.5) / 12 - 2023
    truth = math.exp(np.mean(-0.25 * years))
    assert row["low"] < truth < row["high"]
    assert row["text"].startswith("fell by ") and "beyond chance" in row["text"]


def test_drug_offences_rising_in_lameira_since_2020_make_the_comparison_not_credible(table) -> None:
    row = table.loc["AC09"]
    assert row["verdict"] == "not_credible" and row["pretrend_p"] < 0.05 and row["pretrend_ratio"] > 1


def test_city_wide_action_without_a_generated_effect(table) -> None:
    row = table.loc["AC05"]
    assert row["method"] == "its" and row["verdict"] == "no_effect_detected"
    assert row["low"] < 1 < row["high"]
    assert "could only have detected a change of" in row["text"] and 0 < row["mde"] < 0.5


def test_district_action_without_a_generated_effect(table) -> None:
    row = table.loc["AC11"]
    assert row["method"] == "did" and row["verdict"] == "no_effect_detected" and row["low"] < 1 < row["high"]


def test_action_after_the_data_and_action_at_its_start(table) -> None:
    assert table.loc["AC07", "verdict"] == "too_early"
    assert table.loc["AC17", "verdict"] == "not_enough_before" and table.loc["AC17", "n_before"] == 4


def test_words_in_portuguese_and_french(demo) -> None:
    pt = impact.estimates(demo, lang="pt", actions=["AC17"])
    fr = impact.estimates(demo, lang="fr", actions=["AC17"])
    assert pt["text"].item() == "dados insuficientes antes do início para avaliar"
    assert fr["text"].item() == "pas assez de données avant le début pour en juger"


def test_public_release_estimates_from_published_years_only(demo_release) -> None:
    from observatory.store import open_snapshot

    release = open_snapshot(demo_release)
    try:
        table = impact.estimates(release, lang="en").set_index("action_code")
    finally:
        release.close()
    assert table.loc["AC01", "granularity"] == "year"
    assert table.loc["AC01", "verdict"] == "beyond_chance"
