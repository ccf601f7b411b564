"""AppTest of area groupings beside districts: the trends page, the "what changed, where" grid."""

import pytest

from tests.app.helpers import figures, official, start


def _line_names(figure):
    return [trace["name"] for trace in figure["data"] if trace.get("mode") == "lines+markers"]


@pytest.mark.parametrize("audience", ["official", "public"])
def test_a_grouping_is_a_series_on_the_trends_page(grouped_app, audience):
    query = {"indicator": "burglary", "view": "year", "measure": "rate", "groups": "centre"}
    at = (
        official("pages/trends.py", query=query)
        if audience == "official"
        else start("pages/trends.py", query=query)
    )
    assert not at.exception
    # The grouping's name is user text: drawn as typed, never as markup.
    assert sorted(_line_names(figures(at)[0])) == ["City centre &lt;b&gt;", "Portelva"]
    [verdicts] = [d.value for d in at.dataframe if "Trend" in d.value.columns]
    assert list(verdicts.iloc[:, 0]) == ["Portelva", "City centre <b>"]
    assert verdicts["Trend"].iloc[1] != ""


def test_the_groups_picker_is_absent_without_groupings(demo_app):
    at = official("pages/trends.py", query={"indicator": "burglary"})
    assert not at.exception
    assert not [m for m in at.multiselect if m.key == "groups"]
