"""The key bar never hides a key silently: each hint is painted, or ``? Keys`` is and lists it.

Drives the real app on a private copy of sample.db at 80x24 and 160x45 (and a cramped 60x24),
reads the text the bar actually paints, and opens the help screen for anything left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import settle  # type: ignore[import-not-found]
from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.help import HelpScreen
from pfpp_tui.tui.screens.review import ReviewScreen
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.screens.triage import BarrierTriageScreen
from pfpp_tui.tui.widgets.key_bar import (
    MAX_LINES,
    REVIEW_KEYS,
    TRIAGE_KEYS,
    Hint,
    KeyBar,
    Shown,
    fold_keys,
    lay_out,
)

SIZES = [(80, 24), (160, 45)]
# The keys that open each screen from the start, and the screen they open.
SCREENS: dict[str, tuple[tuple[str, ...], type[Any]]] = {
    "pilots": (("1",), SectionScreen),
    "organisations": (("3",), SectionScreen),
    "triage": (("6", "t"), BarrierTriageScreen),
    "review": (("1", "R"), ReviewScreen),
}


async def _press(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def painted(bar: KeyBar) -> list[str]:
    """The bar's lines as painted on screen (cropped to its width, as the user sees them)."""
    return ["".join(s.text for s in bar.render_line(y)) for y in range(bar.size.height)]


def on_bar(lines: list[str], item: str) -> bool:
    return any(f" {item} " in f" {line} " for line in lines)


def visible(lines: list[str], hint: Shown) -> bool:
    """The hint as one folded entry, or every member of an expanded group with its own name."""
    if hint.members and all(on_bar(lines, f"{k} {d}") for k, d in hint.members):
        return True
    keys = fold_keys(hint.keys)
    return on_bar(lines, f"{keys} {hint.label}") or on_bar(lines, f"{keys} {hint.short}")


async def help_ids(pilot: Any, app: PfppApp) -> set[str]:
    """The binding ids the help screen lists for the current screen (then closes it)."""
    await _press(pilot, "question_mark")
    assert isinstance(app.screen, HelpScreen)
    table = app.screen.query_one(DataTable)
    ids = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
    await _press(pilot, "escape")
    return ids


async def check_bar(pilot: Any, app: PfppApp) -> list[str]:
    """Every hint painted, or ``? Keys`` painted last and the help listing the hint's keys."""
    bar = app.screen.query_one(KeyBar)
    width, height = app.size
    assert 1 <= bar.size.height <= MAX_LINES
    assert bar.region.bottom == height and bar.region.width == width
    for line in bar.lines():  # nothing cut at the right edge either
        assert cell_len(Text.from_markup(line).plain) <= bar.content_size.width
    lines = painted(bar)
    shown, help_item = bar.resolve()
    assert help_item == ("?", "Keys")
    assert lines[-1].rstrip().endswith("? Keys")
    hidden = [hint for hint in shown if not visible(lines, hint)]
    if hidden:
        listed = await help_ids(pilot, app)
        for hint in hidden:
            assert hint.ids and set(hint.ids) <= listed, (hint, lines)
    return lines


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
async def test_every_key_is_on_the_bar_or_behind_question_mark(
    sample_copy: Path, name: str, size: tuple[int, int]
) -> None:
    keys, screen_type = SCREENS[name]
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await _press(pilot, *keys)
        assert isinstance(app.screen, screen_type)
        lines = await check_bar(pilot, app)
        text = "\n".join(lines)
        if name == "triage":  # the defect: these were never shown
            for item in ("r Resolve", "A Accept", "s Skip", "u Undo", "esc Close"):
                assert on_bar(lines, item), text
            assert on_bar(lines, "⏎ Triaged & next") or on_bar(lines, "⏎ Triaged"), text
        if name == "review":
            for item in ("x Escalate", "r Resolve", "= Decision", "u Undo", "esc Close"):
                assert on_bar(lines, item), text
            assert on_bar(lines, "^s Save review") or on_bar(lines, "^s Save"), text
        if name in ("pilots", "organisations"):
            for item in ("⏎ Open", "d Delete", "h History", "n New", "e Edit"):
                assert on_bar(lines, item), text
        if size == (160, 45) and name != "triage":  # room for all: no short labels, no gaps
            assert all(visible(lines, hint) for hint in app.screen.query_one(KeyBar).resolve()[0])


async def test_a_cramped_terminal_leaves_out_the_least_needed_and_says_where_they_are(
    sample_copy: Path,
) -> None:
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        await _press(pilot, "6", "t")
        lines = await check_bar(pilot, app)
        shown = app.screen.query_one(KeyBar).resolve()[0]
        hidden = [hint for hint in shown if not visible(lines, hint)]
        # From the end only, the palette kept: it is the way to everything left out.
        kept = [hint for hint in shown if hint.keep]
        assert kept and all(visible(lines, hint) for hint in kept)
        rest = [hint for hint in shown if not hint.keep]
        assert hidden and hidden == rest[len(rest) - len(hidden) :]
        assert on_bar(lines, "1-5/0 category") and on_bar(lines, "l/m/h/c severity")


@pytest.mark.parametrize("keys", [(k,) for k in "0123456"] + [("3", "T")], ids=" ".join)
async def test_every_section_keeps_the_palette_sections_and_help_on_the_bar_at_80x24(
    sample_copy: Path, keys: tuple[str, ...]
) -> None:
    """Section 3 (eleven keys and ``T Teams``) dropped ``^p commands`` at 80 columns: the bar
    leaves out other keys first, never the ways elsewhere (the sections and every command)."""
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _press(pilot, *keys)
        lines = await check_bar(pilot, app)
        assert on_bar(lines, "^p commands") and on_bar(lines, "0-6 sections"), lines
        assert lines[-1].rstrip().endswith("? Keys")


async def test_the_bar_follows_the_keymap(sample_copy: Path) -> None:
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.set_keymap({"triage.skip": "k", "review.save": "ctrl+w", "app.palette": "ctrl+k"})
        await _press(pilot, "6", "t")
        lines = await check_bar(pilot, app)
        assert on_bar(lines, "k Skip") and not on_bar(lines, "s Skip")
        assert on_bar(lines, "^k commands")
        await _press(pilot, "escape", "1", "R")
        assert isinstance(app.screen, ReviewScreen)
        lines = await check_bar(pilot, app)
        assert on_bar(lines, "^w Save review") or on_bar(lines, "^w Save")


async def test_the_bar_shrinks_to_one_line_when_the_filter_has_focus(sample_copy: Path) -> None:
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _press(pilot, "1")
        bar = app.screen.query_one(KeyBar)
        assert bar.size.height == 2
        await _press(pilot, "slash")
        assert bar.size.height == 1 and on_bar(painted(bar), "/ Filter")
        await _press(pilot, "escape")
        assert bar.size.height == 2 and on_bar(painted(bar), "⏎ Open")


@pytest.mark.parametrize(
    ("screen", "hints"), [(BarrierTriageScreen, TRIAGE_KEYS), (ReviewScreen, REVIEW_KEYS)]
)
def test_every_key_of_the_workflow_screens_has_a_hint(screen: type[Any], hints: Any) -> None:
    """A key added to triage or review without a place on the bar fails here."""

    def covered(ident: str, hint: Hint) -> bool:
        return any(ident == p or (p.endswith("*") and ident.startswith(p[:-1])) for p in hint.ids)

    ids = [b.id for b in screen.BINDINGS if isinstance(b, Binding) and b.id]
    assert ids and all(any(covered(i, h) for h in hints) for i in ids)


def test_fold_keys() -> None:
    assert fold_keys(("1", "2", "3", "4", "5", "0")) == "1-5/0"
    assert fold_keys(("l", "m", "h", "c")) == "l/m/h/c"
    assert fold_keys(("0", "p", "2", "3", "4", "5", "6")) == "0/p/2-6"
    assert fold_keys(("j", "k")) == "j/k"
    assert fold_keys(("^z",)) == "^z"


def test_lay_out_wraps_folds_shortens_then_leaves_out_from_the_end() -> None:
    hints = [Shown((k,), f"Label{k}", f"L{k}") for k in "abcdefgh"]
    help_item = ("?", "Keys")

    def line(label: str) -> str:
        return "  ".join([*(f"[b]{k}[/b] {label}{k}" for k in "abcdefgh"), "[b]?[/b] Keys"])

    assert lay_out(hints, help_item, 88) == [line("Label")]
    assert lay_out(hints, help_item, 62) == [line("L")]  # short labels: still one line
    two = lay_out(hints, help_item, 50)  # full labels on two lines before short ones
    assert len(two) == 2 and all(f"Label{k}" in "".join(two) for k in "abcdefgh")
    short = lay_out(hints, help_item, 30)
    assert len(short) == 2 and "Label" not in "".join(short) and "[b]h[/b] Lh" in short[1]
    cramped = lay_out(hints, help_item, 12)
    assert len(cramped) == 2 and cramped[-1].endswith("[b]?[/b] Keys")
    assert "[b]a[/b] La" in cramped[0] and "[b]h[/b]" not in "".join(cramped)
