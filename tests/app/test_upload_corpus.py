"""A sample of the generated bad-file corpus through the upload page: words, never a traceback."""

import re

import pytest

from tests.app.helpers import start
from tests.corpus.generated import cases

PAGE = "pages/upload.py"
#: Every 30th case: each family and kind appears, at a cost of a few seconds a case.
SAMPLE = cases()[::30]


@pytest.mark.parametrize("case", SAMPLE, ids=[c.name for c in SAMPLE])
def test_bad_file_is_refused_in_words_naming_row_and_column(case, demo_app, buttons):
    at = start(PAGE, role="editor")
    at.selectbox(key="upload-kind").select(case.kind.value).run()
    at.file_uploader(key="upload-file").upload(f"{case.name}.csv", case.data, "text/csv").run()
    assert not at.exception
    assert at.error, [e.value for e in (*at.warning, *at.info)]
    # What the reader sees: the Markdown with the escapes that keep file text as text taken out.
    message = re.sub(r"\\(.)", r"\1", at.error[0].value)
    if case.row:
        assert f"row {case.row}" in message, message
    if case.column:
        assert f"column {case.column}" in message, message
    assert not [b for b in at.button if b.key == "upload-commit"]
