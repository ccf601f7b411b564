"""The impact fit on real counts: St Louis area county homicides and person-years, 1979-1993 (NCOVR).

Three five-year periods of 78 counties, many with few or no homicides: the two-way fit with the
county effects absorbed must equal statsmodels' GLM with a dummy per county and period, whether it
solves the panel itself or hands it over (a county without any homicide has an effect of −∞).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from observatory.stats import impact
from tests.real.conftest import DATA

TABLE = DATA / "stl_homicide_rates" / "stl_hom.csv"
PERIODS = {"7984": "1979-01-01", "8488": "1984-01-01", "8893": "1988-01-01"}


def _panel() -> pd.DataFrame:
    wide = pd.read_csv(TABLE, dtype={"FIPS": str})
    rows = [
        pd.DataFrame(
            {
                "area": wide["FIPS"],
                "period": pd.Timestamp(start),
                "count": wide[f"HC{suffix}"].astype(float),
                "exposure": wide[f"PO{suffix}"].astype(float),
            }
        )
        for suffix, start in PERIODS.items()
    ]
    return pd.concat(rows, ignore_index=True)


def _reference(frame: pd.DataFrame, terms: dict[str, np.ndarray]) -> object:
    data = frame.assign(area_f=frame["area"], period_f=frame["period"].astype(str), **terms)
    formula = "count ~ C(area_f) + C(period_f) + " + " + ".join(terms)
    family = sm.families.Poisson()
    return smf.glm(formula, data, family=family, offset=np.log(data["exposure"])).fit(scale="X2")


@pytest.mark.parametrize("keep_zero_counties", [False, True])
def test_absorbed_fit_equals_the_dummy_glm_on_real_homicides(keep_zero_counties: bool) -> None:
    frame = _panel()
    silent = frame.groupby("area")["count"].transform("sum") == 0
    assert silent.any()  # the real file has counties without a homicide in fifteen years
    if not keep_zero_counties:
        frame = frame[~silent].reset_index(drop=True)
    areas = sorted(frame["area"].unique())
    last = (frame["period"] == frame["period"].max()).to_numpy()
    treated = (frame["area"].isin(areas[:6]).to_numpy() & last).astype(float)
    spill = (frame["area"].isin(areas[6:12]).to_numpy() & last).astype(float)
    got = impact.did_fit(frame, treated, spill=spill)
    ref = _reference(frame, {"did": treated, "spill": spill})
    for name in ("did", "spill"):
        assert math.log(got.effects[name].ratio) == pytest.approx(ref.params[name], abs=1e-6)
        assert got.effects[name].se == pytest.approx(ref.bse[name], abs=1e-6)
