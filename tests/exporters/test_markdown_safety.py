"""HTML and links in user text never survive into Markdown (issue 17.6).

Every Markdown writer -- ``export --format md``, ``report pilot``, ``digest``, ``report
agreement``, ``report principles``, ``report coverage``, ``report patterns``, ``report funding``
-- is run on a database whose user text holds ``<img src=x onerror=...>``, ``[c](javascript:...)``
and ``<javascript:...>``. The document is then parsed by a CommonMark parser with raw HTML
enabled (as wikis and mail clients render it): no HTML but pfpp's own ``<br>`` in table cells,
and no link or image other than http(s)/mailto.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.exporters.markdown_text import Markdown, cell, line, md
from tests.hostile_db import build_hostile_db

runner = CliRunner()

WRITERS = {
    "export md": ["export", "all", "--format", "md"],
    "report pilot": ["report", "pilot", "luton"],
    "digest": ["digest"],
    "report agreement": ["report", "agreement", "luton"],
    "report principles": ["report", "principles"],
    "report coverage": ["report", "coverage"],
    "report patterns": ["report", "patterns"],
    "report funding": ["report", "funding"],
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile_db(tmp_path_factory.mktemp("hostile") / "hostile.db")


def _tokens(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _tokens(token.children)


def html_and_links(document: str) -> tuple[list[str], list[str]]:
    """Raw HTML other than ``<br>``, and every link or image target, as a renderer sees them."""
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    html: list[str] = []
    targets: list[str] = []
    for token in _tokens(parser.parse(document)):
        if token.type in ("html_block", "html_inline") and token.content != "<br>":
            html.append(token.content)
        if token.type == "link_open":
            targets.append(str(token.attrs.get("href", "")))
        if token.type == "image":
            targets.append(str(token.attrs.get("src", "")))
    return html, targets


def _write(database: Path, args: list[str], target: Path) -> str:
    result = runner.invoke(app, ["--db", str(database), *args, "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_no_html_and_no_unsafe_link_in_any_markdown_writer(
    writer: str, hostile: Path, tmp_path: Path
) -> None:
    document = _write(hostile, WRITERS[writer], tmp_path / "out.md")
    assert "&lt;img src=x onerror=alert(1)&gt;" in document  # the user's text is kept, as text
    assert "<img" not in document
    html, targets = html_and_links(document)
    assert html == []
    assert [t for t in targets if not t.startswith(("http://", "https://", "mailto:"))] == []


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_user_text_cannot_break_a_heading_or_a_table_row(
    writer: str, hostile: Path, tmp_path: Path
) -> None:
    """The payload's CR would end a heading or a table row early; the javascript: link text
    then shows up as its own paragraph. Every payload line stays on its line."""
    document = _write(hostile, WRITERS[writer], tmp_path / "out.md")
    for text in document.split("\n"):
        if text.startswith(("#", "|", "- ")):
            assert "\r" not in text


def test_the_helper_escapes_html_links_and_inline_markup() -> None:
    text = "<img src=x onerror=alert(1)> [c](javascript:alert(1)) *b* _i_ `c` a|b &lt; A & B \\"
    assert md(text) == (
        "&lt;img src=x onerror=alert(1)&gt; \\[c\\](javascript:alert(1)) \\*b\\* \\_i\\_ "
        "\\`c\\` a\\|b &amp;lt; A & B \\\\"
    )
    html, targets = html_and_links(md(text))
    assert (html, targets) == ([], [])


def test_line_and_cell_keep_user_text_on_one_line() -> None:
    assert line("one\r\ntwo\rthree\nfour") == "one two three four"
    assert cell(" one\r\ntwo\r<b> ") == "one<br>two<br>&lt;b&gt;"


def test_pfpp_own_markdown_passes_through() -> None:
    bold = Markdown("**overdue 3 d**")
    assert md(bold) == cell(bold) == "**overdue 3 d**"


def test_http_and_mailto_autolinks_are_the_only_links_left() -> None:
    text = "see https://gov.example/x and ann@x.example and javascript:alert(1)"
    html, targets = html_and_links(md(text))
    assert html == [] and targets == []  # CommonMark itself makes no link of bare text
    html, targets = html_and_links(md("<https://gov.example> <mailto:a@x.example> <javascript:x>"))
    assert html == [] and targets == []
