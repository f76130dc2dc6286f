"""The full record (``enter``): every field, every link; ``enter`` on a link goes there.

Owns: showing one ``Detail`` and letting the user pick a linked record. It dismisses with the
``LinkItem`` chosen (the app navigates) or ``None``; it loads nothing itself (``h`` opens the
record's history on top, which loads its own).
"""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pfpp_tui.store.listing.browse_links import Detail, LinkItem
from pfpp_tui.text_safety import terminal_safe
from pfpp_tui.tui.screens.history import HistoryScreen
from pfpp_tui.tui.widgets.detail_pane import detail_markup
from pfpp_tui.tui.workspace import workspace


class RecordViewScreen(ModalScreen[LinkItem | None]):
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="view.back"),
        Binding("e", "edit", "Edit", id="view.edit"),
        Binding(
            "h",
            "history",
            "History",
            id="view.history",
            tooltip="Who changed this record, when and why",
        ),
    ]

    def __init__(self, detail: Detail) -> None:
        super().__init__()
        self.detail = detail
        self.links = [item for group in detail.groups for item in group.items]

    def compose(self) -> ComposeResult:
        shown = replace(self.detail, groups=())
        with Vertical(id="record-box"):
            with VerticalScroll(id="record-fields"):
                yield Static(detail_markup(shown, all_fields=True))
            yield Static(
                "[b]Linked records[/b] — enter to go there · e edit · h history · escape back",
                classes="field-hint",
            )
            options = [
                # Content, not a str: a str prompt is markup, and a record's name is not.
                Option(
                    Content(
                        terminal_safe(f"{g.title}: {i.label.removeprefix('! ')}", single_line=True)
                    )
                )
                for g in self.detail.groups
                for i in g.items
            ]
            yield OptionList(*options, id="record-links")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _go(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[event.option_index])

    def action_close(self) -> None:
        workspace(self).close(self)  # the one guarded way out (``tui.navigation``)

    def action_history(self) -> None:
        d = self.detail
        self.app.push_screen(HistoryScreen(workspace(self).db, d.table, d.id, d.title))

    def action_edit(self) -> None:
        self.dismiss(LinkItem(self.detail.table, self.detail.id, "edit"))
