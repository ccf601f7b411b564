"""Zip safety: unsafe paths, too many members, zip bombs, and the temporary directory."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest

from observatory import geo
from observatory.geo import archive as archive_module
from observatory.geo.archive import MAX_MEMBERS, extract_members, safe_member_path
from observatory.geo.errors import SourceError
from tests.geo.builders import file_bytes, squares_3763


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name), content)
    return buffer.getvalue()


def _read_zip(data: bytes) -> geo.Boundaries:
    return geo.read_boundaries(data, "districts.zip", code_field="code", name_field="name")


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the temporary directory at an empty folder we can inspect afterwards."""
    folder = tmp_path / "system-tmp" / "inner"
    folder.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_parent_path_member_is_refused_and_nothing_written_outside(tmp_path: Path, private_tmp: Path) -> None:
    data = _zip({"districts.shx": b"x", "../evil.shp": b"evil", "../../evil.dbf": b"evil"})
    result = _read_zip(data)
    assert [issue.code for issue in result.issues] == ["source-error"]
    assert "../evil.shp" in result.issues[0].message
    assert not list(tmp_path.rglob("evil*"))
    assert not list(private_tmp.iterdir())


def test_absolute_path_member_is_refused(private_tmp: Path) -> None:
    for name in ("/etc/evil.shp", "C:/evil.shp", "..\\evil.shp"):
        result = _read_zip(_zip({name: b"evil"}))
        assert [issue.code for issue in result.issues] == ["source-error"], name


def test_safe_member_path_accepts_subfolders() -> None:
    assert str(safe_member_path("export/districts.shp")) == "export/districts.shp"


def test_zip_with_too_many_members_is_refused(private_tmp: Path) -> None:
    data = _zip({f"f{i}.txt": b"" for i in range(MAX_MEMBERS + 1)})
    result = _read_zip(data)
    assert [issue.code for issue in result.issues] == ["source-error"]
    assert f"{MAX_MEMBERS + 1} files" in result.issues[0].message
    assert not list(private_tmp.iterdir())


def test_zip_bomb_is_refused_before_anything_is_extracted(
    tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.zip"
    zeros = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("districts.shp", "w", force_zip64=True) as member,
    ):
        for _ in range(600):  # 600 MB of zeros, streamed: never held in memory
            member.write(zeros)
    extracted: list[str] = []
    real_extract = archive_module.extract_members
    monkeypatch.setattr(
        archive_module, "extract_members", lambda *a, **k: extracted.append("called") or real_extract(*a, **k)
    )
    result = _read_zip(bomb.read_bytes())
    assert [issue.code for issue in result.issues] == ["source-error"]
    assert "600 MB" in result.issues[0].message
    assert extracted == []  # refused from the declared sizes, so the cost is bounded
    assert not list(private_tmp.iterdir())


def test_extraction_stops_past_the_limit_even_if_declared_sizes_pass(tmp_path: Path) -> None:
    data = _zip({"a.shp": bytes(600_000), "b.dbf": bytes(600_000)})
    with zipfile.ZipFile(io.BytesIO(data)) as archive, pytest.raises(SourceError, match="more than"):
        extract_members(archive, archive.infolist(), tmp_path, max_bytes=1_000_000)
    assert (tmp_path / "a.shp").stat().st_size == 600_000
    assert (tmp_path / "b.dbf").stat().st_size < 600_000


def test_repeated_member_name_is_refused(private_tmp: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("districts.shp", b"one")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("districts.shp", b"two")
    result = _read_zip(buffer.getvalue())
    assert [issue.code for issue in result.issues] == ["source-error"]


def test_zip_without_shapefile_is_refused(private_tmp: Path) -> None:
    result = _read_zip(_zip({"readme.txt": b"hello"}))
    assert [issue.code for issue in result.issues] == ["source-error"]
    assert ".shp" in result.issues[0].message


def test_shapefile_in_subfolder_with_macos_junk_is_read(tmp_path: Path) -> None:
    data, _name = file_bytes(squares_3763(), "zip", tmp_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            archive.writestr(f"export/{info.filename}", source.read(info))
            archive.writestr(f"__MACOSX/export/._{info.filename}", b"\x00\x05\x16\x07")
    result = _read_zip(buffer.getvalue())
    assert result.ok, result.issues
    assert len(result.frame) == 4


def test_temporary_directory_is_deleted_after_reading(tmp_path: Path, private_tmp: Path) -> None:
    for kind in ("geojson", "gpkg", "zip"):
        data, name = file_bytes(squares_3763(), kind, tmp_path)
        assert geo.read_boundaries(data, name, code_field="code", name_field="name").ok
        assert geo.list_fields(data, name) == ["code", "name"]
    assert not list(private_tmp.iterdir())
