"""Lists that move with ``j``/``k`` as well as the arrows, as every list in the app does.

Owns: ``MovingOptionList`` (an ``OptionList``). The record tables, the patterns and the history
bind ``j``/``k`` themselves; a list of options uses this.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class MovingOptionList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]
