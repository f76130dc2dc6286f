"""A one-line key hint bar: the few keys a new user needs, with their current (remapped) keys.

Owns: showing ``key label`` pairs for a fixed list of binding ids, dropping the least needed
(``DROP_FIRST``) when the terminal is too narrow for all of them. It replaces Textual's
``Footer``, which recomposes a widget per binding on every focus change — measured as most of
the time to first paint. ``?`` still lists every binding of the screen.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.markup import escape
from textual.widget import Widget

SHOWN = (
    "section.filter", "record.open", "record.new", "record.edit", "record.delete",
    "section.toggle-teams", "record.history", "workflow.log-meeting", "workflow.triage",
    "workflow.review", "workflow.agreement", "app.undo", "app.help",
)  # fmt: skip
# Dropped in this order when the bar is wider than the terminal; the rest stay in ``?``.
DROP_FIRST = (
    "workflow.agreement", "record.delete", "workflow.review", "record.open", "app.help",
    "section.toggle-teams", "workflow.triage", "record.history",
)  # fmt: skip
PALETTE = "app.palette"  # shown at the end with the sections, under its current key


class KeyBar(Widget):
    """Renders its line when painted, at its painted width: a bindings change or a resize
    only repaints the one line (no layout pass, no extra frame after the first)."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; width: 1fr; height: 1; background: $panel; color: $text-muted;
        padding: 0 1;
    }
    """

    def __init__(self, ids: tuple[str, ...] = SHOWN, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ids = ids
        self._state: tuple[object, ...] = ()
        self._markup = ""  # for ``_state``
        self._shown = ""  # as last painted

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self.update_keys()

    def update_keys(self) -> None:
        """Re-read the screen's active bindings (after focus moves or a keymap change)."""
        if self.markup() != self._shown:
            self.refresh()

    def render(self) -> str:
        self._shown = self.markup()
        return self._shown

    def markup(self) -> str:
        """The bar for the screen's active bindings at the current width."""
        found: dict[str, tuple[str, str]] = {}
        palette = "^p"
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.id == PALETTE:
                palette = self.app.get_key_display(binding)
            if binding.id in self.ids and binding.id not in found and active.enabled:
                found[binding.id] = (self.app.get_key_display(binding), binding.description)
        room = self.size.width - 2 if self.size.width else 10**6
        state = (tuple(found.items()), room, palette)
        if state == self._state:  # asked on every focus move and resize: often unchanged
            return self._markup
        self._state = state
        shown = [i for i in self.ids if i in found]
        tail_text = ("0-6 sections", f"{palette} commands")
        tail = sum(cell_len(t) + 2 for t in tail_text)  # the markup-free width, with gaps
        widths = {
            i: cell_len(f"{key} {description}") + 2 for i, (key, description) in found.items()
        }
        for ident in DROP_FIRST:
            if sum(widths[i] for i in shown) + tail - 2 <= room:
                break
            if ident in shown:
                shown.remove(ident)
        marked = [f"[b]{escape(found[i][0])}[/b] {escape(found[i][1])}" for i in shown]
        tail_marked = ("[b]0-6[/b] sections", f"[b]{escape(palette)}[/b] commands")
        self._markup = "  ".join([*marked, *tail_marked])
        return self._markup
