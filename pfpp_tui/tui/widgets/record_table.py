"""A virtual table: renders only the visible rows and asks its screen for missing windows.

Owns: drawing a header plus the rows on screen (Line API over ``ScrollView``), the cursor,
column widths, and the sort indicator. It holds a sparse cache of ``BrowseRow`` windows keyed
by row index and never needs all rows: when a visible row is missing it posts
``WindowNeeded`` once per window and the screen fetches that window in a worker and hands it
back with ``add_rows``. It must not touch the database (attributes down, messages up).
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pfpp_tui.store.listing.sections import BrowseRow, Column
from pfpp_tui.text_safety import terminal_safe

WINDOW = 100  # rows per fetch: a screenful plus a generous margin


def column_widths(columns: tuple[Column, ...], natural: list[int], width: int) -> list[int]:
    """Each column's width so that, with one space before each cell, they fill ``width``.

    Every column first gets its ``min_width`` (a date or a status stays whole). What is left is
    shared by ``Column.width`` weight, no column beyond its ``natural`` width (its longest label
    or cell seen so far), and whatever is still left goes to the title columns (``grows``), so
    at 160 columns the title is wide and at 80 it takes what the narrow columns leave. When
    even the minimums do not fit, the widest columns give way first; the widths never add up
    to more than the room, so nothing is cut without the "…" a cell draws.
    """
    count = len(columns)
    room = width - count
    if count == 0:
        return []
    widths = [c.min_width for c in columns]
    while sum(widths) > room and max(widths) > 1:
        widths[widths.index(max(widths))] -= 1
    spare = max(room - sum(widths), 0)
    wanting = [i for i in range(count) if widths[i] < natural[i]]
    while spare > 0 and wanting:
        weight = sum(columns[i].width for i in wanting)
        given = 0
        for i in wanting:
            share = max(1, spare * columns[i].width // weight)
            add = min(share, natural[i] - widths[i], spare - given)
            widths[i] += add
            given += add
        spare -= given
        wanting = [i for i in wanting if widths[i] < natural[i]]
    growing = [i for i, c in enumerate(columns) if c.grows] or [0]
    weight = sum(columns[i].width for i in growing)
    given = 0
    for i in growing:
        add = spare * columns[i].width // weight
        widths[i] += add
        given += add
    widths[growing[0]] += max(spare - given, 0)
    return widths


class RecordTable(ScrollView, can_focus=True):
    """Rows of one section, fetched a window at a time."""

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page-up"),
        Binding("home,g", "jump(0)", "First", show=False, id="table.first"),
        Binding("end,G", "jump(-1)", "Last", show=False, id="table.last"),
        Binding("enter", "select", "Open", id="record.open", tooltip="Open the full record"),
        Binding("s", "sort_next", "Sort", id="table.sort", tooltip="Sort by the next column"),
        Binding("S", "sort_reverse", "Reverse", show=False, id="table.sort-reverse"),
    ]

    COMPONENT_CLASSES = {
        "record-table--header",
        "record-table--cursor",
        "record-table--odd",
        "record-table--placeholder",
    }

    DEFAULT_CSS = """
    RecordTable { overflow-x: hidden; }
    RecordTable > .record-table--header { text-style: bold; background: $panel; }
    RecordTable > .record-table--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: bold; }
    RecordTable:blur > .record-table--cursor { background: $block-cursor-blurred-background; }
    RecordTable > .record-table--odd { background: $surface; }
    RecordTable > .record-table--placeholder { color: $text-muted; }
    """

    # Not repainted whole on a move: ``watch_cursor`` redraws the two rows that change.
    cursor = reactive(0, repaint=False)

    class WindowNeeded(Message):
        """Rows from ``offset`` are needed on screen."""

        def __init__(self, offset: int) -> None:
            self.offset = offset
            super().__init__()

    class Highlighted(Message):
        def __init__(self, row_id: int | None) -> None:
            self.row_id = row_id
            super().__init__()

    class Selected(Message):
        def __init__(self, row_id: int) -> None:
            self.row_id = row_id
            super().__init__()

    class SortRequested(Message):
        def __init__(self, column: str, descending: bool) -> None:
            self.column = column
            self.descending = descending
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: tuple[Column, ...] = ()
        self.total = 0
        self.rows: dict[int, BrowseRow] = {}
        self.requested: set[int] = set()
        self.sort_key = ""
        self.descending = False
        self.empty_text = "Loading…"
        self._last_highlight: int | None = None
        self._natural: list[int] = []
        self._width_cache: tuple[int, list[int]] | None = None
        self._stale = False  # rows on show until the next ``add_rows`` replaces them all
        self._announce_due = False  # the highlighted row may have changed: see ``_announce``

    # --- data in -------------------------------------------------------------------------

    def reset(self, columns: tuple[Column, ...], sort_key: str, descending: bool) -> None:
        """Forget every row (new filter or sort); keeps the cursor at the top."""
        self.columns = columns
        self.sort_key, self.descending = sort_key, descending
        # The longest cell of each column seen so far (labels are measured in ``_widths``).
        self._natural = [0 for _ in columns]
        self._width_cache = None
        self.rows.clear()
        self.requested.clear()
        self._stale = False
        self.total = 0
        self.empty_text = "Loading…"
        # Forget what was announced: the same row after a reload may hold changed values, so
        # the screen must hear about it again and reload the detail pane.
        self._last_highlight = None
        self.cursor = 0
        self.scroll_to(y=0, animate=False)
        self._resize()

    def keep_until_replaced(self) -> None:
        """Keep the rows (and cursor) on show while they are fetched again.

        A section shown again paints its rows in its first frame, not "Loading…"; the next
        ``add_rows`` drops every row held and shows the fresh window in their place.
        """
        self._stale = True

    def add_rows(self, offset: int, rows: tuple[BrowseRow, ...], *, exact_total: bool) -> None:
        if self._stale:
            self._stale = False
            self.rows.clear()
            self.requested = {offset}
            # The same row id may hold changed values: the screen hears of it again.
            self._last_highlight = None
        for index, row in enumerate(rows, start=offset):
            self.rows[index] = row
        self._measure(rows)
        end = offset + len(rows)
        if exact_total is False and len(rows) == WINDOW:
            self.total = max(self.total, end + 1)  # at least one more; the count will say
        elif len(rows) < WINDOW:
            self.total = end if offset == 0 or end > self.total else self.total
        if not self.total and not rows:
            self.empty_text = "Nothing here yet — press n to add one, or change the filter."
        self._resize()
        self._announce()

    def set_total(self, total: int) -> None:
        self.total = total
        if not total:
            self.empty_text = "Nothing matches — press n to add one, or change the filter."
        self.cursor = min(self.cursor, max(total - 1, 0))
        self._resize()
        self._announce()

    @property
    def highlighted_id(self) -> int | None:
        row = self.rows.get(self.cursor)
        return row.id if row else None

    # --- layout and drawing --------------------------------------------------------------

    def _resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total + 1)
        self.refresh()

    def on_resize(self, _event: events.Resize) -> None:
        self._resize()

    def _widths(self) -> list[int]:
        width = self.scrollable_content_region.width
        if self._width_cache is None or self._width_cache[0] != width:
            natural = [
                max(seen, cell_len(c.label) + (2 if c.key == self.sort_key else 0))
                for seen, c in zip(self._natural, self.columns, strict=True)
            ]
            self._width_cache = (width, column_widths(self.columns, natural, width))
        return self._width_cache[1]

    def _measure(self, rows: tuple[BrowseRow, ...]) -> None:
        """Widen each column's natural width to the longest cell of ``rows``.

        Only ever widens until the next ``reset``: columns do not jump while scrolling.
        """
        for row in rows:
            for index, text in enumerate(row.cells[: len(self._natural)]):
                self._natural[index] = max(self._natural[index], cell_len(text))
        self._width_cache = None

    def _cells(self, texts: list[str], style: Style) -> Strip:
        segments: list[Segment] = []
        for raw, width, column in zip(texts, self._widths(), self.columns, strict=False):
            # Stored text may hold escape sequences: shown visibly, never sent raw.
            text = terminal_safe(raw, single_line=True)
            cell = text if cell_len(text) <= width else set_cell_size(text, max(width - 1, 0)) + "…"
            cell = set_cell_size(cell, width) if not column.numeric else cell.rjust(width)
            segments.append(Segment(" " + cell, style))
        return Strip(segments)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("record-table--header")
            labels = []
            for column in self.columns:
                arrow = (" ▼" if self.descending else " ▲") if column.key == self.sort_key else ""
                labels.append(column.label + arrow)
            return self._cells(labels, style).extend_cell_length(width, style)
        index = int(self.scroll_offset.y) + y - 1
        if index >= self.total:
            if index == 0:
                style = base + self.get_component_rich_style("record-table--placeholder")
                strip = Strip([Segment(" " + self.empty_text, style)])
                return strip.extend_cell_length(width, style).crop(0, width)
            return Strip.blank(width, base)
        row = self.rows.get(index)
        if index == self.cursor:
            style = base + self.get_component_rich_style("record-table--cursor")
        elif index % 2:
            style = base + self.get_component_rich_style("record-table--odd")
        else:
            style = base
        if row is None:
            self._need(index)
            texts = ["…"] + [""] * (len(self.columns) - 1)
        else:
            texts = list(row.cells)
        return self._cells(texts, style).extend_cell_length(width, style).crop(0, width)

    def _need(self, index: int) -> None:
        offset = (index // WINDOW) * WINDOW
        if offset not in self.requested:
            self.requested.add(offset)
            self.post_message(self.WindowNeeded(offset))

    # --- cursor --------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        visible = max(self.scrollable_content_region.height - 1, 1)
        top = int(self.scroll_offset.y)
        if new < top:
            self.scroll_to(y=new, animate=False)
            self.refresh()
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
            self.refresh()
        else:  # only the two rows change (line 0 is the header): a move redraws just those
            self.refresh_line(old + 1)
            self.refresh_line(new + 1)
        self._announce()

    def _announce(self) -> None:
        """Tell the screen of a new highlighted row, once the table has drawn it.

        The screen starts reads for that row (the detail pane) when told: started before the
        frame that shows the cursor on its row, they slow that frame (the GIL), and it is the
        one the user waits for (issue 19: ≤ 33 ms key→frame). Moves faster than the frames
        are told once, for the row the cursor stopped on.
        """
        self._announce_due = True  # every caller has refreshed what changed

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if self._announce_due:
            self._announce_due = False
            row_id = self.highlighted_id
            if row_id != self._last_highlight:
                self._last_highlight = row_id
                self.post_message(self.Highlighted(row_id))
        return lines

    def action_cursor(self, delta: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(self.scrollable_content_region.height - 2, 1))

    def action_jump(self, where: int) -> None:
        if self.total:
            self.cursor = 0 if where == 0 else self.total - 1

    def action_select(self) -> None:
        row_id = self.highlighted_id
        if row_id is not None:
            self.post_message(self.Selected(row_id))

    def action_sort_next(self) -> None:
        keys = [c.key for c in self.columns]
        position = keys.index(self.sort_key) + 1 if self.sort_key in keys else 0
        self.post_message(self.SortRequested(keys[position % len(keys)], False))

    def action_sort_reverse(self) -> None:
        key = self.sort_key or self.columns[0].key
        self.post_message(self.SortRequested(key, not self.descending))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x
            for column, width in zip(self.columns, self._widths(), strict=False):
                if x <= width:
                    same = column.key == self.sort_key
                    self.post_message(self.SortRequested(column.key, same and not self.descending))
                    return
                x -= width + 1
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if 0 <= index < self.total:
            if index == self.cursor and event.chain == 2:
                self.action_select()
            self.cursor = index
