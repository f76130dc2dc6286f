"""Readable at 80x24: cut cells end in "…", and a form shows its first error after ``ctrl+s``.

Each test drives the real app on a seeded SQLite file at the size a user reported and asserts on
what is painted or where it is: the widths the table hands each column, the painted cells, and
the screen region of the marked field against the form's visible region.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Label, Static, TextArea

from pfpp_tui.store.listing.browse import SECTIONS
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.coverage import CoverageScreen
from pfpp_tui.tui.screens.patterns import PatternsScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.review import ReviewScreen
from pfpp_tui.tui.screens.workflow_prompts import FuzzyPick
from pfpp_tui.tui.widgets.key_bar import KeyBar
from pfpp_tui.tui.widgets.overview import OverviewBody
from pfpp_tui.tui.widgets.record_table import RecordTable, column_widths

SMALL = (80, 24)
LUTON = ("1", *["j"] * 7)  # pilots sorted by name: Luton is the eighth


async def _press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def test_ctrl_s_scrolls_the_form_to_its_only_error_and_focuses_it(
    seeded_path: tuple[Path, Seeded],
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await _press(pilot, "1", "n")
        form = app.screen
        assert isinstance(form, RecordFormScreen)
        form.query_one("#field-name", Input).value = "Sefton"
        form.query_one("#field-end_date", Input).value = "not a date"
        form.query_one("#field-name", Input).focus()
        await settle(pilot)
        fields = form.query_one("#form-fields")
        hint = form.query_one("#hint-end_date", Static)
        assert not fields.region.contains_region(form.query_one("#row-end_date").region)

        await _press(pilot, "ctrl+s")

        assert isinstance(app.screen, RecordFormScreen)  # not saved
        assert hint.has_class("-error")
        assert app.focused is form.query_one("#field-end_date", Input)
        for shown in (form.query_one("#row-end_date"), hint):
            assert shown.region.height > 0
            assert fields.region.contains_region(shown.region), (shown, fields.region)


def _painted(table: RecordTable) -> list[str]:
    return ["".join(s.text for s in table.render_line(y)) for y in range(table.size.height)]


def _starts(header: str, table: RecordTable) -> list[int]:
    """Where each column's label begins on the painted header (labels in column order)."""
    starts, position = [], 0
    for column in table.columns:
        label = column.label
        cut = [" " + label[:k] + "…" for k in range(len(label) - 1, 0, -1)]
        found = next((f for t in [" " + label, *cut] if (f := header.find(t, position)) >= 0), -1)
        assert found >= 0, (label, header)
        starts.append(found)
        position = found + 1
    return starts


def _shown(cell: str, line: str) -> bool:
    """The whole cell is painted, or a prefix of it ending in the ellipsis."""
    if not cell or cell in line:
        return True
    return any(cell[:k] + "…" in line for k in range(len(cell) - 1, -1, -1))


@pytest.mark.parametrize("size", [(80, 24), (110, 30), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_section_cuts_cells_only_with_an_ellipsis(
    sample_copy: Path, size: tuple[int, int]
) -> None:
    """At 80 columns the meetings' people count was cropped off the edge with no mark."""
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in "123456":
            await _press(pilot, key)
            table = app.screen.query_one(RecordTable)
            lines = _painted(table)
            assert len(_starts(lines[0], table)) == len(table.columns)
            top = int(table.scroll_offset.y)
            for y, line in enumerate(lines[1:]):
                row = table.rows.get(top + y)
                if row is None:
                    continue
                for cell in row.cells:
                    assert _shown(cell, line), (key, size, cell, line)


async def test_spare_width_goes_to_the_title_column(sample_copy: Path) -> None:
    """At 160 columns the actions' status and due date get what they need, the title the rest."""
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await _press(pilot, "5")
        table = app.screen.query_one(RecordTable)
        starts = _starts(_painted(table)[0], table)
        widths = [b - a - 1 for a, b in pairwise(starts)]
        widths.append(table.scrollable_content_region.width - starts[-1] - 1)
        rows = list(table.rows.values())
        for index, column in enumerate(table.columns):
            need = max([len(column.label), *(len(r.cells[index]) for r in rows)])
            if column.key == "title":
                assert widths[index] > len(column.label) + 30, (column.key, widths)
            else:
                assert widths[index] == max(need, column.min_width), (column.key, widths)
        # At 80 columns the narrow ones keep their minimum and the title still has room.
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        starts = _starts(_painted(table)[0], table)
        assert starts[1] - starts[0] - 1 >= 20
        titles = [line[starts[0] + 1 : starts[1]] for line in _painted(table)[1:]]
        assert any(title.endswith("…") for title in titles), titles


def test_column_widths_fill_the_room_exactly_keeping_each_minimum_while_it_fits() -> None:
    for section in SECTIONS.values():
        columns = section.columns
        for natural in ([0] * len(columns), [80] * len(columns)):
            for width in range(2 * len(columns), 220):
                widths = column_widths(columns, natural, width)
                assert sum(widths) + len(columns) == width, (section.key, width, widths)
                assert min(widths) >= 1
                if width - len(columns) >= sum(c.min_width for c in columns):
                    assert all(w >= c.min_width for w, c in zip(widths, columns, strict=True))
                    for w, c, n in zip(widths, columns, natural, strict=True):
                        assert c.grows or w <= max(n, c.min_width), (section.key, width, widths)


def _lines(widget: Widget) -> list[str]:
    return ["".join(s.text for s in widget.render_line(y)) for y in range(widget.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_overview_table_and_heat_map_read_whole_at_80_and_160(
    sample_copy: Path, size: tuple[int, int]
) -> None:
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await _press(pilot, "0")
        table = app.screen.query_one("#overview-pilots", DataTable)
        # Every column of the per-pilot table on screen: nothing to scroll sideways to.
        assert table.virtual_size.width <= table.scrollable_content_region.width
        headers = [str(c.label) for c in table.columns.values()]
        legend = _lines(app.screen.query_one("#overview-legend", Static))
        if size[0] < 150:  # short headers, and a legend that says what they mean
            assert headers[4:] == ["C/H/M/L", "Met", "P'ship"]
            assert "C/H/M/L open barriers: critical/high/medium/low" in " ".join(legend)
        heat = app.screen.query_one("#overview-heatmap", Static)
        lines = [line.strip() for line in _lines(heat)]
        assert lines[1].split() == ["Pilot", "Struct", "Prio", "Fund", "Data", "Cult", "Other"]
        assert not any("…" in line for line in lines)
        legend_text = " ".join(line for line in lines if ":" in line)
        for said in ("Struct: structure", "Prio: priorities", "Data: data sharing"):
            assert said in legend_text, lines
        # A barrier too long for one line goes on indented under its text, so every line
        # flush left is a heading: the title or a department.
        for line in _lines(app.screen.query_one("#overview-escalations", Static)):
            if line.strip() and not line.startswith(" "):
                assert line.startswith("Oldest open") or re.match(r"\S+ — \d+ open", line), line
        if size[0] < 110:  # stacked: the heat map below the table, as wide as the screen
            assert heat.region.x < 5 and heat.region.y > table.region.bottom


async def test_meeting_log_shows_its_notes_and_marks_cut_labels_at_80x24(sample_copy: Path) -> None:
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await _press(pilot, "1", "m")
        screen = app.screen
        assert type(screen).__name__ == "MeetingLogScreen"
        notes = screen.query_one("#notes", TextArea)
        # The whole notes box (at least four lines to type in) is on screen above the footer.
        footer = screen.query_one(Footer)
        assert notes.region.height >= 6 and notes.region.bottom <= footer.region.y
        assert screen.region.contains_region(notes.region)
        for label in screen.query(Label):
            painted = _lines(label)[0].rstrip()
            text = str(label.render()).strip()
            assert painted.strip() == text or painted.endswith("…"), (text, painted)


async def test_meeting_log_shows_why_ctrl_s_was_refused_on_screen_at_80x24(
    sample_copy: Path,
) -> None:
    """The refusal line sat under the notes, below the bottom of an 80x24 screen: ``ctrl+s``
    on a name not yet added seemed to do nothing."""
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await _press(pilot, "1", "m")
        screen = app.screen
        assert type(screen).__name__ == "MeetingLogScreen"
        await _press(pilot, *"zzz")
        await _press(pilot, "ctrl+s")
        refusal = screen.query_one("#log-error", Static)
        assert "attendees: not added yet: zzz" in str(refusal.render())
        footer = screen.query_one(Footer)
        assert refusal.region.height >= 1 and refusal.region.bottom <= footer.region.y
        assert "attendees: not added yet" in " ".join(_lines(refusal))
        notes = screen.query_one("#notes", TextArea)  # the notes still in view above it
        assert notes.region.height >= 3 and notes.region.bottom <= refusal.region.y


async def test_review_wraps_items_under_their_text_and_keeps_the_cursor_in_view_at_80x24(
    sample_copy: Path,
) -> None:
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await _press(pilot, "1")
        table = app.screen.query_one(RecordTable)
        while table.rows[table.cursor].cells[0] != "Luton":
            await _press(pilot, "j")
        await _press(pilot, "R")
        body = app.screen.query_one("#review-body", Static)
        scroll = app.screen.query_one(VerticalScroll)
        for step in range(25):
            painted = _lines(body)
            # Every line break is the screen's own: long items go on under their text
            # (indented), never rewrapped flush with the left edge by the widget.
            assert len(painted) == len(str(body.render()).splitlines()), painted
            at = next(i for i, line in enumerate(painted) if "▶" in line)
            top = int(scroll.scroll_offset.y)
            assert top <= at < top + scroll.scrollable_content_region.height, (step, at, top)
            review = app.screen
            assert isinstance(review, ReviewScreen) and review.agenda is not None
            headings = {item.section.value for item in review.agenda.items}
            headings.add("Decisions taken")
            for line in painted:  # headings flush left; items and their go-ons indented
                assert not line.strip() or line[0] in " ▶" or line.strip() in headings, line
            await _press(pilot, "j")


async def test_overview_names_the_database_file_not_its_whole_path(sample_copy: Path) -> None:
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        body = str(app.screen.query_one("#overview-body", Static).render())
        assert sample_copy.name in body and str(sample_copy.parent) not in body


def _bar_text(app: PfppApp) -> str:
    return " ".join(_lines(app.screen.query_one(KeyBar)))


async def test_coverage_names_the_department_under_the_cursor_and_shows_its_keys(
    sample_copy: Path,
) -> None:
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(CoverageScreen(app.db))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CoverageScreen) and screen.matrix is not None
        for _ in range(2):
            await _press(pilot, "right")
            table = screen.query_one("#coverage-table", DataTable)
            key = table.coordinate_to_cell_key(table.cursor_coordinate).column_key.value
            column = next(c for c in screen.matrix.columns if str(c.id) == key)
            assert column.name != column.label  # an acronym in the header
            named = _lines(screen.query_one("#coverage-column", Static))[0].strip()
            assert named == f"{column.label}: {column.name}"
        bar = _bar_text(app)
        for hint in ("t Teams", "esc Back", "h History", "^z Undo", "? Keys"):
            assert hint in bar, bar


async def test_patterns_cut_a_long_barrier_title_with_an_ellipsis_at_80x24(
    sample_copy: Path,
) -> None:
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(PatternsScreen(app.db))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PatternsScreen) and screen.groups
        table = screen.query_one("#patterns-table", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        painted = _lines(table)[1 : 1 + len(screen.groups)]
        for group, line in zip(screen.groups, painted, strict=True):
            assert _shown(group.title, line), (group.title, line)
        assert "esc Back" in _bar_text(app) and "? Keys" in _bar_text(app)


async def test_the_escalate_dialog_shows_its_whole_title_at_80x24(sample_copy: Path) -> None:
    """``x`` on a group: the question names the group, its count and places; at 80 columns it
    was cut mid-sentence with no "…" ("…with the hub” — 3"). It wraps instead."""
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(PatternsScreen(app.db))
        await settle(pilot)
        patterns = app.screen
        assert isinstance(patterns, PatternsScreen) and patterns.groups
        await _press(pilot, "x")
        dialog = app.screen
        assert isinstance(dialog, FuzzyPick)
        title = dialog.query_one(Label)
        expected = " ".join(str(title.render()).split())
        assert expected.startswith("Escalate “") and "places (" in expected
        box = title.parent
        assert isinstance(box, Widget)
        assert box.content_region.contains_region(title.region), (title.region, box.region)
        painted = " ".join(" ".join(line.split()) for line in _lines(title))
        assert painted.strip() == expected
        assert dialog.query_one("#pick-input").region.y >= title.region.bottom


async def test_agreement_shows_every_key_at_80x24(sample_copy: Path) -> None:
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await _press(pilot, *LUTON, "a")
        assert type(app.screen).__name__ == "AgreementScreen"
        bar = _bar_text(app)
        for hint in ("e Edit", "v Versions", "esc Back", "R Review", "^z Undo", "? Keys"):
            assert hint in bar, bar


async def test_overview_scrolls_with_keys_to_its_heat_map_and_charts_at_80x24(
    sample_copy: Path,
) -> None:
    """Stacked at 80 columns, the overview is one scroll inside the screen: from the pilot
    table, ``pagedown`` (or ``j`` past the last pilot) brings the heat map and the charts into
    view, ``end`` the last chart, ``home`` the table again."""
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await _press(pilot, "0")
        screen = app.screen
        body = screen.query_one(OverviewBody)
        bar = screen.query_one(KeyBar)
        table = screen.query_one("#overview-pilots", DataTable)
        heat = screen.query_one("#overview-heatmap", Static)
        last_chart = screen.query_one("#overview-action-chart")
        assert app.focused is table
        # The scroll ends above the key bar: what it holds below is reached by scrolling.
        assert body.region.bottom <= bar.region.y and body.max_scroll_y > 0
        assert "PgDn" in bar.markup() or "pgdn" in bar.markup().lower()

        def shown(widget: Widget) -> bool:
            return bool(widget.region.intersection(body.region))

        assert not shown(heat)
        for _ in range(table.row_count):
            await pilot.press("j")
        await _press(pilot, "j")  # past the last pilot: the page moves on
        assert body.scroll_y > 0
        await _press(pilot, "pagedown", "pagedown")
        assert shown(heat) or body.scroll_y > heat.virtual_region.y
        await _press(pilot, "end")
        assert last_chart.region.bottom <= body.region.bottom and shown(last_chart)
        await _press(pilot, "home")
        assert body.scroll_y == 0 and shown(table)
