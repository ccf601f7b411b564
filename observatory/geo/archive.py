"""Safe extraction of an uploaded zip archive into a directory we own.

A zipped Shapefile comes from outside, so the archive is treated as hostile: member paths may not
leave the target directory, the number of members and the uncompressed total are capped, and the
cap is enforced twice — on the sizes the archive declares (cheap, before anything is written) and
on the bytes actually decompressed (the declared sizes can lie).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from observatory.geo.errors import SourceError

MAX_MEMBERS = 200
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
_CHUNK_BYTES = 1024 * 1024
_DRIVE_RE = re.compile(r"^[A-Za-z]:")


def extract_zip(
    data: bytes,
    dest: Path,
    *,
    max_members: int = MAX_MEMBERS,
    max_bytes: int = MAX_UNCOMPRESSED_BYTES,
) -> list[Path]:
    """Extract every regular member of a zip archive under ``dest``.

    Args:
        data: The archive's bytes.
        dest: An existing, empty directory owned by the caller (it deletes it afterwards).
        max_members: Most entries the archive may hold.
        max_bytes: Most bytes all members may hold once decompressed.

    Returns:
        Paths of the extracted files, in archive order (resource-fork junk skipped).

    Raises:
        SourceError: The archive is unreadable, has an unsafe member path, too many members or
            too much data. Files already extracted stay under ``dest``.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            check_declared(infos, max_members=max_members, max_bytes=max_bytes)
            members = [info for info in infos if not info.is_dir() and not _is_junk(info.filename)]
            return extract_members(archive, members, dest, max_bytes=max_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error) as exc:
        raise SourceError(f"The zip file cannot be read ({exc}).") from exc


def check_declared(infos: list[zipfile.ZipInfo], *, max_members: int, max_bytes: int) -> None:
    """Refuse an archive on what its directory declares, before extracting anything.

    Raises:
        SourceError: Too many members, an unsafe path, or a declared total above ``max_bytes``.
    """
    if len(infos) > max_members:
        raise SourceError(
            f"The zip file holds {len(infos)} files; at most {max_members} are accepted. "
            "Zip only the Shapefile's own files (.shp, .shx, .dbf, .prj)."
        )
    for info in infos:
        safe_member_path(info.filename)
    declared = sum(info.file_size for info in infos)
    if declared > max_bytes:
        raise SourceError(
            f"The zip file would unpack to {declared / 1024**2:,.0f} MB; "
            f"at most {max_bytes / 1024**2:,.0f} MB are accepted."
        )


def safe_member_path(name: str) -> PurePosixPath:
    """Return a member's relative path, refusing absolute paths and ``..`` steps.

    Raises:
        SourceError: The path is absolute, names a drive, or climbs out with ``..``.
    """
    text = name.replace("\\", "/")
    path = PurePosixPath(text)
    if text.startswith("/") or _DRIVE_RE.match(text) or ".." in path.parts:
        raise SourceError(f'The zip file holds a file with an unsafe path ("{name}"), so it was not opened.')
    return path


def extract_members(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], dest: Path, *, max_bytes: int
) -> list[Path]:
    """Stream members to disk, stopping as soon as the decompressed total passes ``max_bytes``.

    Raises:
        SourceError: A path escapes ``dest``, a name repeats, or the data is too large.
    """
    root = dest.resolve()
    written = 0
    paths: list[Path] = []
    for info in members:
        target = (root / safe_member_path(info.filename)).resolve()
        if not target.is_relative_to(root) or target == root:
            raise SourceError(f'The zip file holds a file with an unsafe path ("{info.filename}").')
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            out = target.open("xb")  # exclusive: a repeated name must not overwrite an earlier file
        except FileExistsError as exc:
            raise SourceError(f'The zip file holds "{info.filename}" twice.') from exc
        with out, archive.open(info) as src:
            while chunk := src.read(_CHUNK_BYTES):
                written += len(chunk)
                if written > max_bytes:
                    raise SourceError(
                        f"The zip file unpacks to more than {max_bytes / 1024**2:,.0f} MB; refused."
                    )
                out.write(chunk)
        paths.append(target)
    return paths


def _is_junk(name: str) -> bool:
    """macOS adds ``__MACOSX/`` and ``._name`` resource forks that are not data."""
    path = PurePosixPath(name.replace("\\", "/"))
    return path.parts[:1] == ("__MACOSX",) or path.name.startswith("._")
