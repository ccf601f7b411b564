"""An import issue's message in the reader's language, built from its catalogue key and parameters."""

from __future__ import annotations

from collections.abc import Mapping

from observatory.i18n import catalogue, get_locale, t


def issue_message(message: str, key: object, params: Mapping[str, object] | None) -> str:
    """The catalogue's ``ingest.<key>`` filled with the issue's parameters (the cell's value, the
    column as written in the file, the check's own: the decimal mark, the allowed values …).

    An issue without a key (a report stored before keys, or a check that has no catalogue message)
    keeps the check's English message. The result is plain text: show it as text.
    """
    if not isinstance(key, str) or not key:
        return message
    name = f"ingest.{key}"
    if name not in catalogue(get_locale()) and name not in catalogue("en"):
        return message
    return t(name, **{str(k): str(v) for k, v in (params or {}).items()})
