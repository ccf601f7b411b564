"""Settings, declared as data and built once from the environment and .streamlit/secrets.toml.

Each setting is one :class:`SettingSpec` in :data:`SETTINGS`; docs/settings.md documents every one
(a test checks that). Precedence: explicit overrides > environment variable > secrets.toml
``[observatory]`` table > default.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from observatory.domain import DEFAULT_CITY_CODE

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _to_bool(text: str) -> bool:
    return str(text).strip().lower() in {"1", "true", "yes", "on"}


def _to_pairs(value: str | Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """``a@x.org=editor, b@x.org=admin`` (or a TOML table) → sorted (key, value) pairs, keys lower-cased."""
    if isinstance(value, Mapping):
        items = [(str(k), str(v)) for k, v in value.items()]
    else:
        items = [(k, v) for k, _, v in (part.partition("=") for part in str(value).split(",")) if v]
    return tuple(sorted((k.strip().lower(), v.strip()) for k, v in items))


def _to_list(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """``a, b`` (or a TOML list) → ("a", "b"), checked to be IP addresses or networks."""
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    found = tuple(item.strip() for item in items if item.strip())
    for item in found:
        ipaddress.ip_network(item, strict=False)  # ValueError names the bad entry
    return found


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """One setting: its name, environment variable, default, parser and meaning."""

    name: str
    env: str
    default: Any
    parse: Callable[[Any], Any]
    doc: str


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "db_path",
        "OBSERVATORY_DB",
        str(PROJECT_ROOT / "data" / "observatory.duckdb"),
        str,
        "Path of the DuckDB file the staff app writes.",
    ),
    SettingSpec(
        "mode",
        "OBSERVATORY_MODE",
        "site",
        str,
        "`site` (staff and public in one app) or `public` (read-only published snapshot).",
    ),
    SettingSpec(
        "snapshot_path",
        "OBSERVATORY_SNAPSHOT",
        str(PROJECT_ROOT / "data" / "snapshots" / "public.duckdb"),
        str,
        "Path of the published public snapshot file.",
    ),
    SettingSpec(
        "demo_dir",
        "OBSERVATORY_DEMO_DIR",
        str(PROJECT_ROOT / "data" / "demo"),
        str,
        "Folder of the demo city files.",
    ),
    SettingSpec(
        "load_demo",
        "OBSERVATORY_LOAD_DEMO",
        True,
        _to_bool,
        "Load the demo city into an empty database on first start.",
    ),
    SettingSpec(
        "city_code",
        "OBSERVATORY_CITY_CODE",
        DEFAULT_CITY_CODE,
        str,
        "Area code of the city as a whole (level 0), the parent of the districts.",
    ),
    SettingSpec(
        "city_name",
        "OBSERVATORY_CITY_NAME",
        "City",
        str,
        "Name of the city as a whole, used when boundaries are imported.",
    ),
    SettingSpec(
        "sso_role_claim",
        "OBSERVATORY_SSO_ROLE_CLAIM",
        "",
        str,
        "Single sign-on: the identity token claim that holds the role (viewer, editor or admin), if any.",
    ),
    SettingSpec(
        "sso_roles",
        "OBSERVATORY_SSO_ROLES",
        (),
        _to_pairs,
        "Single sign-on: e-mail → role, as `a@city.org=editor,b@city.org=admin` or a "
        "`[observatory.sso_roles]` table; people in neither this nor the claim get the public view.",
    ),
    SettingSpec(
        "session_idle_minutes",
        "OBSERVATORY_SESSION_IDLE_MINUTES",
        30,
        int,
        "A signed-in session ends after this many minutes without use.",
    ),
    SettingSpec(
        "session_max_hours",
        "OBSERVATORY_SESSION_MAX_HOURS",
        8,
        int,
        "A signed-in session ends this many hours after sign-in, used or not.",
    ),
    SettingSpec(
        "trusted_proxies",
        "OBSERVATORY_TRUSTED_PROXIES",
        (),
        _to_list,
        "Sign-in: addresses or networks (`10.0.0.5, 192.168.0.0/24`) of the reverse proxies in front of "
        "the app. Only from these is `X-Forwarded-For` read for the per-client sign-in limit; empty: the "
        "header is never believed (a request carrying it from elsewhere has no address).",
    ),
    SettingSpec(
        "default_locale",
        "OBSERVATORY_LOCALE",
        "en",
        str,
        "Language shown first: en, pt or fr; also the language of the indicators' original texts "
        "(readers of another language see them marked where no version of theirs is given).",
    ),
    SettingSpec(
        "memory_limit",
        "OBSERVATORY_MEMORY_LIMIT",
        "2GB",
        str,
        "DuckDB memory limit for the app's connection.",
    ),
    SettingSpec("threads", "OBSERVATORY_THREADS", 2, int, "DuckDB worker threads."),
    SettingSpec(
        "cache_ttl_seconds",
        "OBSERVATORY_CACHE_TTL",
        3600,
        int,
        "Lifetime of cached page data, in seconds (imports and edits clear the caches at once).",
    ),
    SettingSpec(
        "upload_max_file_mb",
        "OBSERVATORY_UPLOAD_MAX_FILE_MB",
        50,
        int,
        "Largest file the upload page reads, in MB; a larger one is refused before it is read. Reading "
        "takes about 14 times a file's size at its peak (50 MB: about 0.7 GB). Streamlit's own "
        "`server.maxUploadSize` in .streamlit/config.toml must not be smaller.",
    ),
    SettingSpec(
        "upload_max_request_mb",
        "OBSERVATORY_UPLOAD_MAX_REQUEST_MB",
        100,
        int,
        "Largest total of the files of one upload (police.uk months chosen together), in MB.",
    ),
    SettingSpec(
        "upload_max_header_kib",
        "OBSERVATORY_UPLOAD_MAX_HEADER_KIB",
        64,
        int,
        "Longest header line a CSV file may have, in KiB; a longer one is refused with the line's length.",
    ),
    SettingSpec(
        "upload_max_columns",
        "OBSERVATORY_UPLOAD_MAX_COLUMNS",
        1000,
        int,
        "Most columns a CSV file may have; a wider one is refused before its rows are read.",
    ),
    SettingSpec(
        "geometry_read_seconds",
        "OBSERVATORY_GEOMETRY_READ_SECONDS",
        60.0,
        float,
        "Time limit of every read of a boundary file, in seconds: the read runs in a child process "
        "that is stopped at the limit, and the file is refused.",
    ),
    SettingSpec(
        "cache_max_entries",
        "OBSERVATORY_CACHE_ENTRIES",
        256,
        int,
        "Bound on the number of cached results per cached function.",
    ),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """The observatory's settings; see :data:`SETTINGS` for each field's meaning."""

    db_path: str
    mode: str
    snapshot_path: str
    demo_dir: str
    load_demo: bool
    city_code: str
    city_name: str
    sso_role_claim: str
    sso_roles: tuple[tuple[str, str], ...]
    session_idle_minutes: int
    session_max_hours: int
    trusted_proxies: tuple[str, ...]
    default_locale: str
    memory_limit: str
    threads: int
    cache_ttl_seconds: int
    upload_max_file_mb: int
    upload_max_request_mb: int
    upload_max_header_kib: int
    upload_max_columns: int
    geometry_read_seconds: float
    cache_max_entries: int

    @property
    def public_mode(self) -> bool:
        """True when the app serves only the published snapshot."""
        return self.mode == "public"


def _secrets_table(path: Path) -> Mapping[str, Any]:
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        table = tomllib.load(handle).get("observatory", {})
    return table if isinstance(table, dict) else {}


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    secrets_path: Path | None = None,
) -> Settings:
    """Build the settings from overrides, the environment, secrets.toml and defaults.

    Raises:
        ValueError: If a value cannot be parsed or the mode is unknown.
    """
    env = os.environ if environ is None else environ
    secrets = _secrets_table(secrets_path or PROJECT_ROOT / ".streamlit" / "secrets.toml")
    given = dict(overrides or {})
    values: dict[str, Any] = {}
    for spec in SETTINGS:
        if spec.name in given and given[spec.name] is not None:
            values[spec.name] = given[spec.name]
        elif spec.env in env:
            values[spec.name] = spec.parse(env[spec.env])
        elif spec.name in secrets:
            raw = secrets[spec.name]
            values[spec.name] = spec.parse(raw if isinstance(raw, Mapping | list) else str(raw))
        else:
            values[spec.name] = spec.default
    if values["mode"] not in {"site", "public"}:
        raise ValueError(f"{'OBSERVATORY_MODE'}: expected 'site' or 'public', got {values['mode']!r}")
    return Settings(**values)


def setting_names() -> list[str]:
    """Names of all settings, in declaration order."""
    return [f.name for f in fields(Settings)]
