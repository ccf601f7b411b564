"""Generate the demo city of Portelva: boundaries, indicators, observations and strategy.

Run from the project root::

    .venv/bin/python data/demo/generate.py            # writes next to this script
    .venv/bin/python data/demo/generate.py OUT_DIR    # writes into OUT_DIR

Every draw comes from one ``numpy.random.default_rng(42)``, so a rerun gives the same
files byte for byte. The files follow the staff CSV contracts: UTF-8 without BOM, comma
delimiter, ``.`` decimal, header row, codes as text.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from activity import activity, withhold
from boundaries import District, areas_km2, build_districts, write_geojson
from citydata import (
    AXES,
    CITY_CODE,
    CITY_NAME,
    DISTRICTS,
    FIRST_YEAR,
    INDICATOR_HEADER,
    INDICATORS,
    PARTNERS,
)
from readme import readme_text
from series import YEARS, CityData, denominators, result_counts
from strategy import ACTION_HEADER, ACTIONS, OBJECTIVE_HEADER, objective_rows
from yearly import context, feel_unsafe

SEED = 42
OBSERVATION_HEADER = ("indicator", "area", "period", "value", "sample_size", "status")
DENOMINATOR_HEADER = ("area", "year", "residents", "dwellings")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a UTF-8, comma-delimited CSV with a header row and ``\\n`` line ends; return the row count."""
    rows = list(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def denominator_rows(residents: np.ndarray, dwellings: np.ndarray) -> list[tuple[str, ...]]:
    """City row first (the sum of the districts), then each district, per year."""
    rows = []
    for i, year in enumerate(YEARS):
        rows.append((CITY_CODE, str(year), str(residents[:, i].sum()), str(dwellings[:, i].sum())))
        for j, d in enumerate(DISTRICTS):
            rows.append((d.code, str(year), str(residents[j, i]), str(dwellings[j, i])))
    return sorted(rows, key=lambda r: (r[0], r[1]))


def simulate(rng: np.random.Generator) -> CityData:
    """Draw every series in a fixed order (the order is part of the seed's meaning)."""
    residents, dwellings = denominators(rng)
    data = CityData(residents, dwellings)
    result_counts(rng, data)
    feel_unsafe(rng, data)
    youth = context(rng, data)
    activity(rng, data, youth)
    withhold(rng, data)
    order = {row[0]: i for i, row in enumerate(INDICATORS)}
    data.rows.sort(key=lambda r: (order[r[0]], r[1], r[2]))
    return data


def generate(out_dir: Path) -> dict[str, int]:
    """Build the city and write every file into ``out_dir``; return row counts per file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    districts: list[District] = build_districts(rng, [(d.code, d.name) for d in DISTRICTS])
    data = simulate(rng)
    objectives = objective_rows(data.rows)
    write_geojson(districts, out_dir / "districts.geojson")
    # The city itself (level 0) is not a polygon of the boundary file; the loader reads it here.
    city = json.dumps({"code": CITY_CODE, "name": CITY_NAME}, ensure_ascii=False)
    (out_dir / "city.json").write_text(city + "\n", encoding="utf-8", newline="\n")
    counts = {
        "city.json": 1,
        "districts.geojson": len(districts),
        "indicators.csv": write_csv(out_dir / "indicators.csv", INDICATOR_HEADER, INDICATORS),
        "denominators.csv": write_csv(
            out_dir / "denominators.csv", DENOMINATOR_HEADER, denominator_rows(data.residents, data.dwellings)
        ),
        "observations.csv": write_csv(out_dir / "observations.csv", OBSERVATION_HEADER, data.rows),
        "axes.csv": write_csv(out_dir / "axes.csv", ("code", "title", "description"), AXES),
        "partners.csv": write_csv(out_dir / "partners.csv", ("code", "name", "sector"), PARTNERS),
        "objectives.csv": write_csv(out_dir / "objectives.csv", OBJECTIVE_HEADER, objectives),
        "actions.csv": write_csv(out_dir / "actions.csv", ACTION_HEADER, ACTIONS),
    }
    text = readme_text(counts, data, areas_km2(districts), objectives)
    (out_dir / "README.md").write_text(text, encoding="utf-8", newline="\n")
    return counts


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry: optional output directory, default the script's own folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    for name, n in generate(args.out_dir).items():
        print(f"{name}: {n} rows")
    print(f"seed {SEED}, years {FIRST_YEAR}-{YEARS[-1]}, written to {args.out_dir}")


if __name__ == "__main__":
    main()
