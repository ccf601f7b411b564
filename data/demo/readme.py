"""The demo folder's README.md, written by the generator so its figures always match the files."""

from __future__ import annotations

from citydata import (
    CITY_NAME,
    DISTRICTS,
    DIVERGENT_DISTRICT,
    DRUG_RISE_DISTRICTS,
    RIVER_NAME,
    STRATEGY_DISTRICTS,
)
from series import CityData, Row
from strategy import progress, resolved

PROFILE = {
    "centre": "old centre, many visitors",
    "inner": "inner city, mixed",
    "residential": "residential",
    "affluent": "residential, well-off",
    "deprived": "deprived, strategy priority",
    "small": "small (few residents)",
}

INTRO = f"""# Demo city: {CITY_NAME}

*This file is written by `generate.py`; edit the generator, not this file.*

{CITY_NAME} is a fictional Portuguese-style city on the north bank of the {RIVER_NAME}, about
12 km across, drawn around lon -8.6, lat 41.15. Its area code is `000`; its 20 districts have
codes `01` to `20` (the leading zero is part of the code). The app loads these files on first
run through the same import code staff use, so every file follows the staff CSV contracts:
UTF-8 without BOM, comma-delimited, `.` decimal, a header row, codes as text, `\\n` line ends.

## What to look for

- **Sé (01)** is the old centre: few residents, many visitors, so crime per resident is high.
- Burglary falls from 2023 where the strategy acts ({", ".join(STRATEGY_DISTRICTS)}); violence
  rises a little everywhere; drug offences rise in {" and ".join(DRUG_RISE_DISTRICTS)}.
- In **{DIVERGENT_DISTRICT}** recorded burglary falls while the share of residents who feel
  unsafe rises: recorded crime and felt insecurity diverge.
- The two small districts (07, 20) have small monthly counts, intra-family violence most of all.
- Burglary peaks in winter, vandalism in summer; the 2020-21 lockdowns dent most series.
- Ten activity months are withheld (`status` = `not_published`, blank value).
- Result counts have no city rows: the city total is the sum of the districts.
"""

FILES = {
    "city.json": "the city's own code and name (area `000`)",
    "districts.geojson": "20 district polygons (EPSG:4326, 6 decimals), properties `code`, `name`",
    "indicators.csv": "indicator definitions (kind, unit, polarity, denominator, threshold)",
    "denominators.csv": "residents and dwellings per district and city, 2016-2025",
    "observations.csv": "monthly counts 2016-2025, yearly survey and context, activity from 2019",
    "axes.csv": "strategy axes",
    "partners.csv": "partners of the local safety partnership, by sector",
    "objectives.csv": "quantified objectives, baseline 2022",
    "actions.csv": "actions tied to objectives, lead partner and partners",
}


def _district_table(data: CityData, areas: list[float]) -> list[str]:
    lines = [
        "| Code | Name | Profile | Residents 2025 | Dwellings 2025 | Area km² |",
        "|---|---|---|---:|---:|---:|",
    ]
    for i, d in enumerate(DISTRICTS):
        lines.append(
            f"| {d.code} | {d.name} | {PROFILE[d.kind]} | {data.residents[i, -1]} | "
            f"{data.dwellings[i, -1]} | {areas[i]:.2f} |"
        )
    residents, dwellings = data.residents[:, -1].sum(), data.dwellings[:, -1].sum()
    lines.append(f"| 000 | {CITY_NAME} | city | {residents} | {dwellings} | {sum(areas):.2f} |")
    return lines


def _objective_table(data: CityData, objectives: list[Row]) -> list[str]:
    lines = [
        "| Objective | Indicator | Area | Baseline 2022 | 2025 | Target | By | Reading |",
        "|---|---|---|---:|---:|---:|---|---|",
    ]
    for spec, row in zip(resolved(data.rows), objectives, strict=True):
        latest, ratio, status = progress(data.rows, spec, float(row[7]))
        shown = f"{latest:.1f}" if "." in row[6] else f"{latest:.0f}"
        lines.append(
            f"| {spec.code} {row[2]} | {spec.indicator} | {spec.area} | {row[6]} | {shown} | {row[7]} | "
            f"{spec.target_year} | {status} (R = {ratio:.2f}) |"
        )
    return lines


def readme_text(counts: dict[str, int], data: CityData, areas: list[float], objectives: list[Row]) -> str:
    """Assemble the README from the generated figures."""
    files = ["| File | Rows | Content |", "|---|---:|---|"]
    files += [f"| `{name}` | {counts[name]} | {text} |" for name, text in FILES.items()]
    parts = [
        INTRO,
        "## Districts\n",
        *_district_table(data, areas),
        "\n## Files\n",
        *files,
        "\n## Objectives\n",
        "Readings use yearly values, the CAGR ratio R of observed to required progress, and give",
        "a status only when the 2022-2025 change is beyond chance (rate-ratio CI for counts,",
        "two-proportion test for the survey); otherwise *too early to tell*.\n",
        *_objective_table(data, objectives),
        "\n## Regenerate\n",
        "```",
        ".venv/bin/python data/demo/generate.py            # rewrites this folder",
        ".venv/bin/python data/demo/generate.py /tmp/demo  # writes elsewhere",
        "```\n",
        "Every draw comes from `numpy.random.default_rng(42)`; a rerun gives byte-identical files.",
        "`tests/demo/test_demo_files.py` checks the files' invariants and the byte-for-byte rerun.",
    ]
    return "\n".join(parts) + "\n"
