"""``?``: every key binding active on the screen underneath, with its id for remapping.

Owns: listing bindings (key, what it does, binding id) so a user can copy an id into the
``[keymap]`` table of config.toml.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from pfpp_tui.tui.workspace import workspace


def binding_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(key, description, id) for each active binding of ``screen``, sorted by description."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        label = binding.description or binding.action
        keys = grouped.setdefault((label, binding.id or ""), [])
        shown = screen.app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
    rows = [(", ".join(keys), label, ident) for (label, ident), keys in grouped.items()]
    return sorted(rows, key=lambda r: (r[1].lower(), r[0]))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(
                "[b]Keys on this screen[/b] — remap any by its id in config.toml, "
                'e.g. \\[keymap] "record.new" = "ctrl+n"'
            )
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def action_close(self) -> None:
        workspace(self).close(self)  # the one guarded way out (``tui.navigation``)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does", "Id")
        for row in self.rows:
            table.add_row(*row)
        table.focus()
