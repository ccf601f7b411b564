"""Exceptions of the geo room."""

from __future__ import annotations

from observatory.domain import ImportRejected, Issue, Severity


class SourceError(Exception):
    """An uploaded boundary file cannot be opened; internal, turned into a ``source-error`` Issue."""

    def issue(self) -> Issue:
        """The refusal as the Issue reported to staff."""
        return Issue("source-error", Severity.ERROR, str(self))


class BoundarySourceError(ImportRejected):
    """A boundary file was refused before its features could be read.

    Attributes:
        issue: The ``source-error`` Issue explaining why, for the upload form.
    """

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue

    def __reduce__(self) -> tuple[object, ...]:
        # Raised again in the app when a read ran in a child process (geo.limits).
        return (BoundarySourceError, (self.issue,))
