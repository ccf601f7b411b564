"""The upload workspace: choose a kind, download its template, upload, check (dry run), review, commit.

A check logs a batch, so it runs once per file and choice, not once per rerun: its report is kept
in the session under a key naming the file, the kind and the boundary options. The commit runs the
whole validation again (the store may have changed since the check) and writes one batch.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import streamlit as st

from observatory.domain import Actor, ObservatoryError
from observatory.i18n import format_number, t
from observatory.present.text import message
from observatory.services import imports, uploads
from observatory.services.uploads import UploadKind, ValidationReport
from observatory.ui import data, upload_boundaries, upload_formats, upload_report, widgets
from observatory.ui.resources import settings, store

AUTO = "auto"
HISTORY_PAGE = "pages/history.py"
_CHECKED = "upload-checked"  # (key, report) of the latest check
_COMMITTED = "upload-committed"  # (key, report) of the latest commit
_SHAPES = "upload-shapes"  # (key, GeoJSON) of the boundaries drawn for the latest check

_log = logging.getLogger(__name__)


class UploadedFile(Protocol):
    """What the page needs of Streamlit's uploaded file."""

    name: str
    file_id: str

    @property
    def size(self) -> int:
        """The file's length in bytes, as the browser sent it."""
        ...

    def getvalue(self) -> bytes:
        """The file's bytes."""
        ...


@dataclass
class Combined:
    """Several uploaded files read as one (police.uk months imported together)."""

    name: str
    file_id: str
    data: bytes

    @property
    def size(self) -> int:
        """Length of the joined bytes."""
        return len(self.data)

    def getvalue(self) -> bytes:
        """The joined bytes."""
        return self.data


def kind_label(name: str) -> str:
    """Words for a registry entry (or for "recognise it")."""
    return t("upload.kind_auto") if name == AUTO else t(uploads.KINDS[name].label)


def kind_choice() -> str:
    """The kind of file, or :data:`AUTO` to recognise it from the file (kept in the URL)."""
    options = [AUTO, *uploads.KINDS]
    return str(widgets.select(t("upload.kind"), options, key="upload-kind", format_func=kind_label))


def template_download(name: str) -> None:
    """The chosen kind's template (a filled-in example to start from)."""
    if name == AUTO:
        st.caption(t("upload.template_pick_kind"))
        return
    kind = uploads.KINDS[name]
    st.download_button(
        t("upload.template"),
        kind.template(),
        file_name=kind.template_name,
        mime="application/geo+json" if kind.boundary else "text/csv",
        help=t("upload.template_help"),
        key="upload-template",
    )


def file_input(chosen: str = AUTO) -> UploadedFile | None:
    """The file uploader (every format some kind accepts); several files for a kind that takes them."""
    if chosen == AUTO or not uploads.KINDS[chosen].multiple:
        found = st.file_uploader(t("upload.file"), type=uploads.accepted_extensions(), key="upload-file")
        return found if found is None or _within_budget([found]) else None
    st.caption(t("upload.several_files"))
    files = st.file_uploader(t("upload.files"), type=["csv"], accept_multiple_files=True, key="upload-files")
    return _combined(files or [])


def _within_budget(files: Sequence[UploadedFile]) -> bool:
    """False (and the refusal in words) when the files exceed the size budgets; nothing is read."""
    conf = settings()
    try:
        uploads.check_sizes(
            [(f.name, f.size) for f in files],
            max_file_bytes=conf.upload_max_file_mb * 1_000_000,
            max_request_bytes=conf.upload_max_request_mb * 1_000_000,
        )
    except uploads.UploadTooLarge as exc:
        size = format_number(exc.size / 1e6, decimals=1)
        if exc.count == 1:
            st.error(t("upload.too_large_file", file=exc.filename, size=size, limit=conf.upload_max_file_mb))
        else:
            st.error(
                t("upload.too_large_request", count=exc.count, size=size, limit=conf.upload_max_request_mb)
            )
        return False
    return True


def _combined(files: Sequence[UploadedFile]) -> UploadedFile | None:
    """The files chosen as one upload (one batch), or None when none is chosen or they do not fit."""
    if not files or not _within_budget(files):
        return None
    try:
        name, content = uploads.combine([(f.name, f.getvalue()) for f in files])
    except ObservatoryError as exc:
        st.error(message("upload.refused", file=files[0].name, reason=str(exc)))
        return None
    return Combined(name, "+".join(f.file_id for f in files), content)


def _guarded(filename: str, call: Callable[[], ValidationReport]) -> ValidationReport | None:
    """Run a service call; a refusal or an unexpected error is shown in words, never as a traceback."""
    try:
        return call()
    except ObservatoryError as exc:
        st.error(message("upload.refused", file=filename, reason=str(exc)))
    except Exception:  # a traceback helps the administrators' log, never the uploader
        _log.exception("upload of %s failed", filename)
        st.error(message("upload.unexpected_error", file=filename))
    return None


def _resolve(chosen: str, content: bytes, filename: str) -> UploadKind | None:
    """The kind chosen (with a warning when the file looks like another), or the one recognised."""
    found = uploads.recognise(content, filename)
    if chosen != AUTO:
        kind = uploads.KINDS[chosen]
        if found is not None and found is not kind:
            st.warning(
                message("upload.kind_mismatch", file=filename, found=t(found.label), chosen=t(kind.label))
            )
        return kind
    if found is None:
        st.error(message("upload.not_recognised", file=filename))
    else:
        st.info(message("upload.recognised", file=filename, kind=t(found.label)))
    return found


def _check(key: str, kind: UploadKind, upload: uploads.Upload) -> ValidationReport | None:
    """The dry run of this file and choice: run once, then read back from the session."""
    stored = st.session_state.get(_CHECKED)
    if stored is not None and stored[0] == key:
        return stored[1]
    report = _guarded(upload.filename, lambda: uploads.run(kind, store(), upload))
    if report is not None:
        st.session_state[_CHECKED] = (key, report)
    return report


def _boundary_upload(
    content: bytes, filename: str, base: uploads.Upload
) -> tuple[uploads.Upload, bool] | None:
    """Boundary options from the form; the bool says whether the check may run now."""
    choice = upload_boundaries.field_choice(content, filename)
    if choice is None:
        return None
    options = {"keep": choice.keep} if choice.keep is not None else {}
    upload = replace(
        base, code_field=choice.code_field, name_field=choice.name_field, crs=choice.crs, options=options
    )
    return upload, st.button(t("upload.check"), key="upload-check")


def _shapes(key: str, upload: uploads.Upload) -> dict:
    stored = st.session_state.get(_SHAPES)
    if stored is not None and stored[0] == key:
        return stored[1]
    shapes = imports.boundary_shapes(
        upload.data,
        upload.filename,
        code_field=upload.code_field,
        name_field=upload.name_field,
        crs=upload.crs,
        store=store(),
        keep=upload.options.get("keep"),
    )
    st.session_state[_SHAPES] = (key, shapes)
    return shapes


def _commit(key: str, kind: UploadKind, upload: uploads.Upload) -> None:
    with st.status(t("upload.committing", file=upload.filename), expanded=False) as status:
        st.write(t("upload.step_check"))
        report = _guarded(upload.filename, lambda: uploads.run(kind, store(), replace(upload, dry_run=False)))
        if report is None or not report.ok:
            status.update(label=t("upload.commit_failed", file=upload.filename), state="error")
        else:
            data.clear()  # cached dashboard reads must see the new rows
            status.update(label=_committed_text(report), state="complete")
    if report is not None:
        st.session_state[_COMMITTED] = (key, report)


def _committed_text(report: ValidationReport) -> str:
    return t(
        "upload.committed",
        file=report.filename,
        batch=report.batch_id,
        created=format_number(report.created),
        updated=format_number(report.updated),
    )


def _committed(key: str) -> ValidationReport | None:
    stored = st.session_state.get(_COMMITTED)
    return stored[1] if stored is not None and stored[0] == key else None


def _commit_button(key: str, kind: UploadKind, upload: uploads.Upload, report: ValidationReport) -> None:
    """The commit button, only under a check without errors; then what the commit did."""
    if not report.ok:
        return
    if st.button(t("upload.commit"), key="upload-commit", type="primary", help=t("upload.commit_help")):
        _commit(key, kind, upload)
        done = _committed(key)
        if done is not None:
            _done_view(done)


def _done_view(done: ValidationReport) -> None:
    """What a commit did: the batch and a link to the history, or why it was refused after all."""
    if done.ok:
        st.success(_committed_text(done))
        st.page_link(HISTORY_PAGE, label=t("upload.to_history"), icon=":material/history:")
    else:
        upload_report.report_view(done)


def _key(file: UploadedFile, kind: UploadKind, upload: uploads.Upload) -> str:
    """What identifies a check: the upload itself, the kind and every option chosen for it."""
    digest = hashlib.sha256(upload.data).hexdigest()
    # The upload's own id too: the same file uploaded again (say after a rollback) is a new upload.
    parts = (
        file.file_id,
        digest,
        upload.filename,
        kind.name,
        upload.code_field,
        upload.name_field,
        upload.crs or "",
        repr(sorted(upload.options.items())),
    )
    return "|".join(parts)


def _options(
    kind: UploadKind, file: UploadedFile, upload: uploads.Upload
) -> tuple[uploads.Upload, bool] | None:
    """The kind's own choices (boundary fields, a format's options); the bool says whether to check now."""
    if kind.boundary:
        return _boundary_upload(upload.data, upload.filename, upload)
    if kind.source is not None:
        found = upload_formats.options(kind, file.file_id, upload.data, upload.filename)
        return replace(upload, options=found), True
    return upload, True


def workspace(actor: Actor, chosen: str, file: UploadedFile) -> None:
    """Everything after a file is chosen: recognise, (options), check, review, commit."""
    content, filename = file.getvalue(), file.name
    kind = _resolve(chosen, content, filename)
    if kind is None:
        return
    conf = settings()
    base = uploads.Upload(content, filename, actor, city_code=conf.city_code, city_name=conf.city_name)
    found = _options(kind, file, base)
    if found is None:
        return
    upload, run_now = found
    key = _key(file, kind, upload)
    done = _committed(key)
    if done is not None:
        _done_view(done)
        return
    stored = st.session_state.get(_CHECKED)
    if not run_now and (stored is None or stored[0] != key):
        return
    report = _check(key, kind, upload)
    if report is None:
        return
    upload_report.report_view(report)
    if kind.boundary:
        upload_boundaries.dropped_view(report)
        upload_boundaries.boundary_map(_shapes(key, upload))
    upload_report.changes_view(report)
    _commit_button(key, kind, upload, report)
