"""The Publish screen: the release the public reads, what publishing now would hold, and publishing it.

What publishing now would do is computed on every run, without caching: it is the same disclosure
computation as the release itself (services.publish.preview, about 0.3 s for the demo city), and a
cached answer could describe data that an edit has since changed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from observatory.domain import Actor, PermissionDenied
from observatory.i18n import format_datetime, format_number, t
from observatory.services import publish, release_changes
from observatory.services.releases import BadRelease
from observatory.store import StoreError
from observatory.ui import data
from observatory.ui.resources import published, release_problem, settings, store

_DONE = "publish-done"  # the release just published, said once after the rerun
_CONFIRM = "publish-confirm"
_UNCONFIRM = "publish-unconfirm"  # set by a publication: the confirmation starts unticked again
#: The figures shown, in order (names of publish.Figures).
SHOWN = ("observations", "published", "suppressed_primary", "suppressed_secondary", "not_published")


def current() -> publish.Release | None:
    """The release the public reads now (None when nothing is published)."""
    return publish.current_release(published(), settings().snapshot_path)


def preview(actor: Actor) -> publish.Figures:
    """What publishing now would hold (a dry run: nothing is written)."""
    return publish.preview(store(), actor=actor, published=published())


_REVISE = "publish-revise"


def dry_run(actor: Actor) -> tuple[publish.Figures, pd.DataFrame]:
    """What publishing now would hold and change for the public, cell by cell (nothing is written)."""
    figures, found = release_changes.dry_run(store(), published(), actor=actor)
    return figures, found


def changes_table(found: pd.DataFrame) -> None:
    """What publishing now would change for the public, cell by cell, against the current release."""
    st.subheader(t("publish.changes_heading"))
    if found.empty:
        st.caption(t("publish.changes_none"))
        return
    kinds = found["change"].value_counts()
    held = found[found["change"] == release_changes.HELD]
    blocks = held.assign(year=pd.to_datetime(held["period_start"]).dt.year)[["indicator_code", "year"]]
    st.caption(
        t(
            "publish.changes_count",
            changed=format_number(int(kinds.get(release_changes.CHANGED, 0))),
            added=format_number(int(kinds.get(release_changes.ADDED, 0))),
            removed=format_number(int(kinds.get(release_changes.REMOVED, 0))),
            held=format_number(len(held)),
            blocks=format_number(len(blocks.drop_duplicates())),
        )
    )
    # Codes, marks and numbers only: nothing typed by a user is shown here.
    frame = pd.DataFrame(
        {
            t("publish.col_indicator"): found["indicator_code"].astype(str),
            t("publish.col_area"): found["area_code"].astype(str),
            t("publish.col_period"): [f"{p:%Y-%m-%d}" for p in pd.to_datetime(found["period_start"])],
            t("publish.col_before"): found["before"].fillna("–"),
            t("publish.col_after"): found["after"].fillna("–"),
            t("publish.col_change"): [t(f"publish.change.{c}") for c in found["change"]],
        }
    )
    st.dataframe(frame, hide_index=True)


def outcome() -> None:
    """After a publication: the new release's date and figures, and where the one before is kept."""
    release: publish.Release | None = st.session_state.pop(_DONE, None)
    if release is None:
        return
    st.success(
        t(
            "publish.done",
            when=format_datetime(release.published_at),
            published=format_number(release.published),
            primary=format_number(release.suppressed_primary),
            secondary=format_number(release.suppressed_secondary),
            source=format_number(release.not_published),
        )
    )
    if release.previous is None:
        st.caption(t("publish.first_release"))
    else:
        st.caption(t("publish.previous_kept", path=str(release.previous)))


def release_heading(release: publish.Release | None) -> None:
    """When the current release was published, and its file."""
    st.subheader(t("publish.current"))
    problem = release_problem()
    if problem is not None:
        st.warning(t("publish.release_refused", path=problem.path, reason=problem.reason))
    if release is None:
        st.info(t("publish.nothing"))
        return
    st.caption(t("publish.published_at", when=format_datetime(release.published_at), path=str(release.path)))


def figures_table(release: publish.Release | None, now: publish.Figures) -> None:
    """The current release's figures beside those publishing now would give."""
    st.subheader(t("publish.now_heading"))

    def column(figures: publish.Figures | None) -> list[str]:
        return [format_number(getattr(figures, name)) if figures else "–" for name in SHOWN]

    frame = pd.DataFrame(
        {
            t("publish.col_measure"): [t(f"publish.measure.{name}") for name in SHOWN],
            t("publish.col_current"): column(release.figures if release else None),
            t("publish.col_now"): column(now),
        }
    )
    st.dataframe(frame, hide_index=True)
    st.caption(t("publish.now_note"))


def publish_button(actor: Actor) -> None:
    """A confirmation box and the Publish button it unlocks."""
    if st.session_state.pop(_UNCONFIRM, False):
        st.session_state.pop(_CONFIRM, None)
    revise = st.checkbox(t("publish.revise"), key=_REVISE, help=t("publish.revise_help"))
    confirmed = st.checkbox(t("publish.confirm"), key=_CONFIRM)
    if st.button(t("publish.button"), key="publish-button", type="primary", disabled=not confirmed):
        _publish(actor, revise=revise)


def _publish(actor: Actor, *, revise: bool = False) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    try:
        release = publish.publish(
            store(), actor=actor, snapshot_path=settings().snapshot_path, now=now, revise=revise
        )
    except PermissionDenied:
        st.error(t("signin.not_allowed"))
        return
    except BadRelease as exc:
        st.error(t("publish.refused", reason=exc.reason))
        return
    except (StoreError, OSError):
        st.error(t("publish.failed"))
        return
    data.clear()
    st.session_state[_DONE] = release
    st.session_state[_UNCONFIRM] = True
    st.rerun()
