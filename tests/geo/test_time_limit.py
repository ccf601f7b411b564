"""Every geometry read can be stopped: an endless GeoPackage view is refused before it is read, and a
read past its time limit is killed in its child process and refused in words."""

import os
import time
from pathlib import Path

import pyogrio
import pytest

from observatory import geo
from observatory.domain import Actor, Role
from observatory.geo import limits
from observatory.services import imports
from observatory.store import connect
from tests.geo.builders import geojson_bytes, squares_3763
from tests.geo.hostile import endless_geopackage

#: Stated bound for refusing the endless view (it took 0.04–0.3 s; the machine is shared).
REFUSED_WITHIN_S = 10


@pytest.fixture
def endless(tmp_path):
    return endless_geopackage(tmp_path / "endless.gpkg")


def test_the_endless_view_is_a_layer_gdal_would_read(endless):
    assert "districts" in [str(name) for name, _ in pyogrio.list_layers(endless)]


def test_a_geopackage_layer_that_is_a_view_is_refused_at_once(endless):
    started = time.monotonic()
    found = geo.read_boundaries(endless.read_bytes(), "endless.gpkg", code_field="code", name_field="name")
    assert time.monotonic() - started < REFUSED_WITHIN_S
    assert [i.code for i in found.issues] == ["source-error"]
    assert "holds views (districts)" in found.issues[0].message
    assert found.issues[0].file == "endless.gpkg"


def test_the_endless_view_through_the_import_service(endless, demo_file, tmp_path):
    import shutil

    store = connect(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    try:
        with pytest.raises(geo.BoundarySourceError, match="holds views"):
            imports.describe_boundaries(endless.read_bytes(), "endless.gpkg")
        report = imports.import_boundaries(
            store,
            endless.read_bytes(),
            "endless.gpkg",
            code_field="code",
            name_field="name",
            actor=Actor("t", Role.ADMIN),
            dry_run=True,
        )
    finally:
        store.close()
    assert not report.ok and "holds views" in report.issues[0].message


def test_a_read_past_its_limit_is_stopped_and_its_process_killed(endless):
    started = time.monotonic()
    with pytest.raises(limits.ReadTimedOut, match="longer than 2 seconds"):
        limits.run_limited(2, pyogrio.read_info, str(endless), layer="districts")
    assert time.monotonic() - started < 2 + REFUSED_WITHIN_S
    # Only the pool's idle workers (kept for the next read) may still run; the stopped one is gone.
    idle = {worker.process.pid for worker in limits._POOL._idle}
    assert set(_workers_running()) <= idle


def _workers_running() -> list[int]:
    """Process ids of this test process's live geo workers (a killed one is gone, not a zombie).

    Other test processes run their own workers at the same time, so only this process's children count.
    """
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        state, parent = stat[0], int(stat[1])
        if b"observatory.geo.worker" in cmdline and state != "Z" and parent == os.getpid():
            found.append(int(proc.name))
    return found


def test_a_stopped_read_is_a_source_error_for_the_upload(monkeypatch):
    data = geojson_bytes(squares_3763())
    monkeypatch.setattr(limits, "run_limited", _always_late)
    found = geo.read_boundaries(data, "slow.geojson", code_field="code", name_field="name", time_limit=1)
    assert [i.code for i in found.issues] == ["source-error"]
    assert "longer than 1 seconds and was stopped" in found.issues[0].message


def _always_late(seconds, func, *args, **kwargs):
    raise limits.ReadTimedOut(seconds)


def test_a_good_file_reads_the_same_with_and_without_the_child_process():
    data = geojson_bytes(squares_3763())
    here = geo.read_boundaries(data, "ok.geojson", code_field="code", name_field="name")
    child = geo.read_boundaries(data, "ok.geojson", code_field="code", name_field="name", time_limit=60)
    assert here.ok and child.ok
    assert here.frame.to_json() == child.frame.to_json()
    assert geo.describe(data, "ok.geojson", time_limit=60) == geo.describe(data, "ok.geojson")


def test_an_error_in_the_child_is_raised_again_with_its_issue():
    with pytest.raises(geo.BoundarySourceError) as raised:
        geo.describe(b"not a geopackage", "bad.gpkg", time_limit=60)
    assert raised.value.issue.code == "source-error" and raised.value.issue.file == "bad.gpkg"


def test_a_child_that_dies_is_a_source_error():
    with pytest.raises(limits.ReadFailed, match="ended without an answer"):
        limits.run_limited(30, os._exit, 3)
