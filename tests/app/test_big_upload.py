"""A 190 MB CSV through the upload page, and a big file through the upload service: time and memory.

Each runs in a fresh Python process whose resident memory is read from /proc (VmRSS, VmHWM), so the
figures are the server's own, not the test runner's. Before the budgets, the 190 MB file took the
server from 457 MB to 3.4 GB and it kept 1.5 GB afterwards.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MB = 1_000_000

PAGE_CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from benchmarks.hostile_uploads import rss, write_observations_csv
from pathlib import Path
from tests.app.helpers import start
path = Path({csv!r})
write_observations_csv(path, 190)
at = start("pages/upload.py", role="editor")
base = rss()[0]
data = path.read_bytes()
started = time.perf_counter()
at.file_uploader(key="upload-file").upload("big.csv", data, "text/csv").run()
seconds = time.perf_counter() - started
now, peak = rss()
print(json.dumps({{"bytes": len(data), "seconds": seconds, "peak_over_base": peak - base,
                  "errors": [e.value for e in at.error], "exception": bool(at.exception)}}))
"""

SERVICE_CHILD = """
import json, sys
sys.path.insert(0, {root!r})
from benchmarks.hostile_uploads import _parse_child, write_observations_csv
from pathlib import Path
path = Path({csv!r})
write_observations_csv(path, 20)
print(json.dumps(_parse_child(str(path), {db!r})))
"""


def _run(code: str, env: dict[str, str] | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_190_mb_csv_is_refused_by_the_page_before_it_is_read(demo_app, tmp_path):
    found = _run(PAGE_CHILD.format(root=str(ROOT), csv=str(tmp_path / "big.csv")))
    assert not found["exception"]
    assert len(found["errors"]) == 1 and "was refused before it was read: it is 190" in found["errors"][0]
    # The bytes themselves are in the process (the uploaded file, the test's copy); nothing parses them.
    assert found["peak_over_base"] < 4 * found["bytes"]
    print(f"190 MB upload refused: +{found['peak_over_base'] / MB:.0f} MB peak, {found['seconds']:.1f} s")


@pytest.mark.slow
def test_a_big_file_parses_in_memory_proportional_to_it_and_gives_it_back(demo_file, tmp_path):
    import shutil

    db = shutil.copy(demo_file, tmp_path / "staff.duckdb")
    found = _run(
        SERVICE_CHILD.format(root=str(ROOT), csv=str(tmp_path / "big.csv"), db=str(db)),
        env={"OBSERVATORY_UPLOAD_MAX_FILE_MB": "1000"},
    )
    assert found["rows"] > 700_000
    # Measured: 20 MB → +280 to +302 MB at the peak (14–15×); +94 MB kept once the report is dropped
    # (4.7×; 154 MB before the memory was given back).
    assert found["peak_over_base"] < 30 * found["file_bytes"]
    assert found["after_over_base"] < 8 * found["file_bytes"]
    print(json.dumps(found))
