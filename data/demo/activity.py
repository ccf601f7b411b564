"""Activity indicators of the demo city: what the partners did, monthly from 2019.

They follow the four action lines of a city safety contract: young people and outreach,
drugs, help for people in prostitution, and support for victims (with a safe house).
"""

from __future__ import annotations

import calendar

import numpy as np
from citydata import (
    ACTIVITY_FIRST_YEAR,
    CITY_CODE,
    DISTRICTS,
    DRUG_RISE_DISTRICTS,
    STRATEGY_DISTRICTS,
    STRATEGY_YEAR,
)
from series import (
    CODES,
    MONTH_OF,
    MONTHS,
    YEAR_IDX,
    CityData,
    T,
    _add_monthly,
    _ramp,
    draw_counts,
    lockdown_factor,
)

ACTIVITY_INDICATORS = (
    "outreach_contacts",
    "treatment_referrals",
    "help_centre_contacts",
    "victim_support_cases",
    "safe_house_nights",
)
OUTREACH_FACTOR = {
    "centre": 1.5,
    "inner": 1.2,
    "residential": 1.0,
    "affluent": 0.6,
    "deprived": 2.5,
    "small": 1.0,
}
N_WITHHELD = 10
# Baseline and latest year stay complete, so objective values are sums of published months.
WITHHELD_YEARS_EXCLUDED = ("2022", "2025")


def _outreach_expected(youth: np.ndarray, data: CityData) -> np.ndarray:
    """Street educators go where young people are, more so in deprived and strategy districts."""
    growth = np.exp(0.03 * (T - ACTIVITY_FIRST_YEAR)) * lockdown_factor(0.4)
    season = 1 + 0.15 * np.cos(2 * np.pi * (MONTH_OF - 7) / 12)
    out = np.empty((len(DISTRICTS), len(MONTHS)))
    for i, d in enumerate(DISTRICTS):
        young = data.residents[i, YEAR_IDX] * youth[i, YEAR_IDX] / 100
        boost = 1 + 0.8 * _ramp(STRATEGY_YEAR) if d.code in STRATEGY_DISTRICTS else 1.0
        out[i] = young * 0.0035 * OUTREACH_FACTOR[d.kind] * growth * season * boost
    return out


def _referrals_expected(data: CityData) -> np.ndarray:
    """Referrals follow drug offences, with a treatment drive where dealing rises."""
    boost = np.array(
        [1 + 0.6 * _ramp(STRATEGY_YEAR) if c in DRUG_RISE_DISTRICTS else np.ones(len(T)) for c in CODES]
    )
    return (data.expected["drug_offences"] * 0.5 + 0.4) * boost


def _victim_expected(data: CityData) -> np.ndarray:
    """Cases follow recorded violence; the support office widens its reach from 2022."""
    reach = np.exp(0.04 * np.maximum(0, T - 2022))
    return 0.3 * (data.expected["domestic_violence"] + 0.2 * data.expected["violence"]) * reach


def _safe_house_nights(rng: np.random.Generator) -> np.ndarray:
    """Occupied bed-nights: six beds, nine from the 2023 extension, about 80 % occupancy."""
    nights = []
    for y, m in MONTHS:
        beds = 9 if y >= STRATEGY_YEAR else 6
        nights.append(rng.binomial(beds * calendar.monthrange(y, m)[1], 0.8))
    return np.array(nights)


def activity(rng: np.random.Generator, data: CityData, youth: np.ndarray) -> None:
    """Draw the activity rows: three per district, two for the city only."""
    per_district = {
        "outreach_contacts": _outreach_expected(youth, data),
        "treatment_referrals": _referrals_expected(data),
        "victim_support_cases": _victim_expected(data),
    }
    for indicator, expected in per_district.items():
        data.counts[indicator] = draw_counts(rng, expected)
        for code, values in zip(CODES, data.counts[indicator], strict=True):
            _add_monthly(data, indicator, code, values, ACTIVITY_FIRST_YEAR)
    help_centre = 65 * np.exp(0.04 * (T - ACTIVITY_FIRST_YEAR)) * lockdown_factor(0.5)
    _add_monthly(data, "help_centre_contacts", CITY_CODE, draw_counts(rng, help_centre), ACTIVITY_FIRST_YEAR)
    _add_monthly(data, "safe_house_nights", CITY_CODE, _safe_house_nights(rng), ACTIVITY_FIRST_YEAR)


def withhold(rng: np.random.Generator, data: CityData) -> None:
    """Mark a few activity months as not published: blank value, status ``not_published``."""
    candidates = [
        i
        for i, row in enumerate(data.rows)
        if row[0] in ACTIVITY_INDICATORS and row[2][:4] not in WITHHELD_YEARS_EXCLUDED
    ]
    for i in sorted(rng.choice(len(candidates), N_WITHHELD, replace=False)):
        indicator, area, period, _, sample, _ = data.rows[candidates[i]]
        data.rows[candidates[i]] = (indicator, area, period, "", sample, "not_published")
