"""User and file text is shown as text: the Markdown and plotly variants of the one escaping rule."""

from datetime import date

import plotly.graph_objects as go
import pytest
from markdown_it import MarkdownIt

from observatory.i18n import locale_scope
from observatory.present import figures, text

#: Payloads a poisoned file or a hostile editor could put in any name, title, note or source.
PAYLOADS = [
    "[click](http://evil.example/a)",
    "![pixel](http://evil.example/p.png)",
    "<img src=http://evil.example/p.png onerror=alert(1)>",
    '<iframe src="http://evil.example/f"></iframe>',
    "<script>alert(1)</script>",
    "<http://evil.example/auto>",
    "http://evil.example/bare",
    "www.evil.example",
    '<a href="http://evil.example">link</a>',
    "&lt;b&gt;entity&lt;/b&gt; &amp; &#60;img&#62;",
    "<b>bold</b><br>line",
    "**bold** _it_ `code` # heading",
    "| a | b |\n|---|---|\n| c | d |",
    ":red[colour] :material/home: $x^2$",
    "%{customdata[0]}",
    "line one\n- item\n> quote",
]


def _html(markdown: str) -> str:
    # CommonMark with GFM tables (autolink literals such as www.x.org are left to the browser test).
    return MarkdownIt("commonmark").enable("table").render(markdown)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_escape_renders_the_characters_typed_and_no_element(payload):
    rendered = _html(f"**Name:** {text.markdown(payload)}")
    for tag in ("<a ", "<img", "<iframe", "<script", "<code", "<em", "<table", "<h1", "<li", "<blockquote"):
        assert tag not in rendered
    assert rendered.count("<strong>") == 1


def test_the_markdown_check_can_fail():
    assert "<a " in _html("[click](http://evil.example/a)")
    assert "<img" in _html("![pixel](http://evil.example/p.png)")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plotly_escape_leaves_no_tag(payload):
    escaped = text.plotly(payload)
    assert "<" not in escaped and ">" not in escaped and "\n" not in escaped
    # Entities the user typed stay characters to see, not entities plotly would decode.
    if "&" in payload:
        assert "&amp;" in escaped


def test_plotly_template_variant_keeps_placeholders_inert():
    assert text.plotly("%{y}", template=True) == "%%{y}"
    assert text.plotly("%{y}") == "%{y}"


def test_safe_figure_escapes_every_trace_text_once_and_keeps_numbers():
    fig = go.Figure(
        go.Bar(
            x=[1.5, 2.0],
            y=["<a href='x'>A</a>", "B"],
            customdata=[["<b>x</b>", 1], ["ok", 2]],
            name="<img src=x>",
            text=["<br>", "t"],
        )
    )
    fig.add_annotation(x=1, y="<a href='x'>A</a>", text="<b>project text</b>")
    text.safe_figure(fig)
    text.safe_figure(fig)  # a cached figure shown twice is not escaped twice
    trace = fig.data[0]
    assert list(trace.y) == ["&lt;a href='x'&gt;A&lt;/a&gt;", "B"]
    assert [list(row) for row in trace.customdata] == [["&lt;b&gt;x&lt;/b&gt;", 1], ["ok", 2]]
    assert trace.name == "&lt;img src=x&gt;"
    assert list(trace.text) == ["&lt;br&gt;", "t"]
    assert list(trace.x) == [1.5, 2.0]
    assert fig.layout.annotations[0].y == trace.y[0]
    assert fig.layout.annotations[0].text == "<b>project text</b>"


def test_a_chart_carries_its_title_source_and_date_and_its_image_is_named_after_them():
    fig = go.Figure(go.Scatter(x=[1], y=[2]))
    with locale_scope("fr"):
        config = figures.stamped(
            fig, title="Cambriolages <b>x</b>", source="Police <i>", made=date(2026, 12, 6)
        )
    assert fig.layout.title.text == "Cambriolages &lt;b&gt;x&lt;/b&gt;"
    subtitle = fig.layout.title.subtitle.text
    assert subtitle.startswith("Source : Police &lt;i&gt;") and "2026" in subtitle
    assert config["toImageButtonOptions"]["filename"] == "cambriolages-b-x-b-2026-12-06"
    assert config["displaylogo"] is False


def test_a_chart_without_a_source_points_to_the_methodology_page():
    fig = go.Figure()
    with locale_scope("pt"):
        figures.stamped(fig, title="Mapa", source="", made=date(2026, 1, 2))
    assert "Metodologia" in fig.layout.title.subtitle.text
