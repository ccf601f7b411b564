"""How long the impact estimates take at the reference scale (100 districts, 60 indicators, 240 months).

The reference city (benchmarks.generate) gets a small strategy: four actions in five districts each on
one indicator (difference in differences on 100 districts x 240 months) and one city-wide action
(interrupted time series). ``PYTHONPATH=. python -m benchmarks.impact_times`` appends one record to
benchmarks/results/impact_times.jsonl: seconds for all estimates (median of the runs) and per estimate.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine
from benchmarks.generate import ACTOR, CITY_CODE, SCALES, city, district_codes
from observatory.domain import ImportKind
from observatory.services import impact, imports
from observatory.store import connect

RESULTS = Path(__file__).parent / "results" / "impact_times.jsonl"


def _strategy(codes: list[str]) -> dict[ImportKind, bytes]:
    actions = ["code,objective,title,lead_partner,start,end,areas,indicators"]
    for i in range(4):
        areas = "|".join(codes[i * 5 : i * 5 + 5])
        actions.append(f"AC{i},OB1,Action {i},P1,2021-01-01,,{areas},ind{i:02d}")
    actions.append(f"AC9,OB1,City-wide action,P1,2021-01-01,,{CITY_CODE},ind09")
    return {
        ImportKind.AXES: b"code,title\nAX1,Axis\n",
        ImportKind.PARTNERS: b"code,name,sector\nP1,City,public\n",
        ImportKind.OBJECTIVES: (
            b"code,axis,title,indicator,area,baseline_period,baseline_value,target_value,target_period\n"
            + f"OB1,AX1,Objective,ind00,{CITY_CODE},2020,1,1,2027\n".encode()
        ),
        ImportKind.ACTIONS: ("\n".join(actions) + "\n").encode(),
    }


def run(scale_name: str = "reference", repeats: int = 3, label: str = "") -> dict[str, object]:
    """Time :func:`observatory.services.impact.estimates` on a copy of the scale's city with a strategy."""
    scale = SCALES[scale_name]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(shutil.copy(city(scale), Path(folder) / "city.duckdb"))
        store = connect(path)
        try:
            for kind, data in _strategy(district_codes(scale.districts)).items():
                report = imports.import_table(store, kind, data, f"{kind}.csv", actor=ACTOR)
                if not report.ok:
                    raise SystemExit(report.to_text())
            times, table, loads = [], None, [list(os.getloadavg())]
            for _ in range(repeats):
                forget = getattr(impact, "forget", None)
                if forget is not None:  # estimates kept from the last run would be read, not computed
                    forget()
                began = time.perf_counter()
                table = impact.estimates(store, lang="en")
                times.append(time.perf_counter() - began)
                loads.append(list(os.getloadavg()))
        finally:
            store.close()
    assert table is not None
    record = {
        "benchmark": "impact_times",
        "code": label,
        "machine": machine(),
        "load_average_before_and_after_each_run": loads,
        "scale": scale_name,
        "estimates": len(table),
        "seconds_all_median": statistics.median(times),
        "seconds_per_estimate": statistics.median(times) / max(len(table), 1),
        "runs": times,
        "verdicts": dict(zip(table["action_code"], table["verdict"], strict=True)),
        # The figures themselves, to check that a faster estimator gives the same answers.
        "figures": table.drop(columns=["text"]).to_dict(orient="records"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    return record


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1] if len(sys.argv) > 1 else "reference", label=" ".join(sys.argv[2:]))))
