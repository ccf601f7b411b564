"""Hostile boundary files, built deterministically: bombs, escaping paths, crowds, bad shapes, bad CRSs."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Polygon

from tests.geo.builders import file_bytes, squares_3763

TWO_GB = 2 * 1024**3


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name), content)
    return buffer.getvalue()


def zip_bomb(path: Path, megabytes: int = 600) -> None:
    """A real bomb: ``megabytes`` of zeros deflated to well under 1 MB, streamed (never in memory)."""
    zeros = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("districts.shp", "w", force_zip64=True) as member,
    ):
        for _ in range(megabytes):
            member.write(zeros)


def declared_two_gb(tmp: Path) -> bytes:
    """A valid zipped Shapefile whose directory declares a 2 GB .shp (the sizes patched in place)."""
    data = bytearray(file_bytes(squares_3763(), "zip", tmp)[0])
    directory = data.find(b"PK\x01\x02")
    while directory != -1:
        name_length = struct.unpack_from("<H", data, directory + 28)[0]
        if data[directory + 46 : directory + 46 + name_length].endswith(b".shp"):
            struct.pack_into("<I", data, directory + 24, TWO_GB)
        directory = data.find(b"PK\x01\x02", directory + 4)
    return bytes(data)


def escaping_paths() -> bytes:
    """Members that climb out of the extraction folder."""
    return _zip({"districts.shp": b"x", "../evil.shp": b"evil", "../../tmp/evil.dbf": b"evil"})


def many_members(count: int = 10_000) -> bytes:
    """A zip of ``count`` empty files."""
    return _zip({f"f{i:05d}.txt": b"" for i in range(count)})


def _geojson(frame: gpd.GeoDataFrame) -> bytes:
    return frame.to_json().encode("utf-8")


def bowties(count: int = 2_000) -> bytes:
    """GeoJSON of self-intersecting 'bow tie' polygons, each with many crossing zig-zag vertices."""
    polygons = []
    for i in range(count):
        x = -8.6 + (i % 50) * 0.002
        y = 41.1 + (i // 50) * 0.002
        polygons.append(Polygon([(x, y), (x + 0.001, y + 0.001), (x + 0.001, y), (x, y + 0.001)]))
    codes = [f"{i:04d}" for i in range(count)]
    frame = gpd.GeoDataFrame({"code": codes, "name": codes}, geometry=polygons, crs="EPSG:4326")
    return _geojson(frame)


def metres_declared_as_degrees() -> bytes:
    """Portuguese metre coordinates in a GeoJSON (whose CRS is WGS84 degrees by definition)."""
    frame = squares_3763().set_crs("EPSG:4326", allow_override=True)
    return _geojson(frame)


def metres_with_prj_saying_degrees(tmp: Path) -> bytes:
    """A zipped Shapefile of metre coordinates whose .prj says EPSG:4326."""
    frame = squares_3763().set_crs("EPSG:4326", allow_override=True)
    return file_bytes(frame, "zip", tmp)[0]


def without_crs(tmp: Path) -> bytes:
    """A zipped Shapefile without .prj (the uploader must name a CRS)."""
    return file_bytes(squares_3763(), "zip", tmp, keep_prj=False)[0]


def huge_coordinates() -> bytes:
    """GeoJSON whose coordinates are 1e300 (nothing can project or draw them)."""
    feature = {
        "type": "Feature",
        "properties": {"code": "01", "name": "Far"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1e300, 0], [1e300, 1e300], [0, 0]]]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode("utf-8")
