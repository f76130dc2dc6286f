"""Nothing the app draws sends a control character to the terminal: the TUI's safety net.

Owns one wrapper round Textual's ``Widget.render_lines``, through which every widget's lines
pass on their way to the screen (Textual's own widgets that override it call it too). A line
whose text holds a control or bidi character (``pfpp_tui.text_safety``) is redrawn with those
characters shown visibly (ESC as ``␛``, U+202E as ``\\u202e``), cropped to the line's width so
the layout does not move. Lines without one -- nearly all -- are passed on untouched.

Screens and widgets need not do anything: stored text written before imports refused escape
sequences (or by another tool) is safe wherever it is shown, forms' inputs included, whose
values stay exactly as stored. The record table, detail pane and record view also escape at
the cell, where the layout can take the wider text into account.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from pfpp_tui.text_safety import needs_escaping, terminal_safe

_RenderLines = Callable[[Widget, Region], list[Strip]]
_installed: list[_RenderLines] = []


def safe_strip(strip: Strip) -> Strip:
    """``strip`` with any control or bidi character in its text shown visibly, same width."""
    if not any(needs_escaping(segment.text) for segment in strip if not segment.control):
        return strip
    width = strip.cell_length
    segments = [
        segment
        if segment.control
        else Segment(terminal_safe(segment.text, single_line=True), segment.style)
        for segment in strip
    ]
    return Strip(segments).crop(0, width).extend_cell_length(width)


def install() -> None:
    """Wrap ``Widget.render_lines`` once per process (idempotent)."""
    if _installed:
        return
    original: _RenderLines = Widget.render_lines

    def render_lines(self: Widget, crop: Region) -> list[Strip]:
        return [safe_strip(strip) for strip in original(self, crop)]

    _installed.append(original)
    setattr(Widget, "render_lines", render_lines)  # noqa: B010 -- a method, not an attribute
