"""Terminal charts for programme insight: the category heat map and the per-month charts.

Owns: turning ``store.insight.overview`` values into something a terminal shows — a Rich table
shaded by count for barriers by category and pilot, and ``MonthChart``: a textual-plotext bar chart
when that package is installed, else Rich bars drawn with block characters (same numbers, no extra
dependency). Renders what it is given; never reads the database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from pfpp_tui.labels import label_of
from pfpp_tui.vocabulary import BarrierCategory

if TYPE_CHECKING:  # the overview's first frame shows before the ORM loads (issue 19)
    from pfpp_tui.store.insight.overview import CategoryMatrix

try:  # an optional extra: the fallback below draws the same numbers with Rich
    from textual_plotext import PlotextPlot

    HAVE_PLOTEXT = True
except ImportError:  # pragma: no cover - exercised only without the extra
    HAVE_PLOTEXT = False

CATEGORY_SHORT = {
    "structure": "Struct",
    "priorities": "Prio",
    "funding": "Fund",
    "data_sharing": "Data",
    "culture": "Cult",
    "other": "Other",
}
HEAT = ("grey23", "dark_orange3", "orange3", "orange1", "red3", "red1")
BLOCKS = " ▁▂▃▄▅▆▇█"
MONTH_TICKS = 6  # month labels under a chart, at most


def heat_style(count: int, largest: int) -> str:
    if count <= 0 or largest <= 0:
        return "dim"
    step = 1 + round((len(HEAT) - 2) * (count - 1) / max(largest - 1, 1))
    return f"bold white on {HEAT[min(step, len(HEAT) - 1)]}"


def heat_map(matrix: CategoryMatrix) -> Table:
    """Pilots down, the PfPP barrier categories across, cells shaded by how many barriers."""
    # The legend says what each short header stands for ("Struct: structure · Prio: …").
    legend = " · ".join(
        f"{short}: {words.lower()}"
        for c in matrix.categories
        if (short := CATEGORY_SHORT.get(c, c)) != (words := label_of(BarrierCategory, c))
    )
    table = Table(
        title="Barriers by category and pilot", box=None, padding=(0, 1), title_justify="left",
        caption=legend or None, caption_justify="left", caption_style="dim",
    )  # fmt: skip
    table.add_column("Pilot", no_wrap=True)
    for category in matrix.categories:
        table.add_column(CATEGORY_SHORT.get(category, category), justify="center")
    largest = matrix.largest
    for pilot_id, name in matrix.pilots:
        cells = [
            Text(f" {n} " if n else " · ", style=heat_style(n, largest))
            for n in (matrix.count(pilot_id, c) for c in matrix.categories)
        ]
        table.add_row(name, *cells)
    table.add_row(
        Text("All", style="bold"),
        *(Text(str(matrix.category_total(c)), style="bold") for c in matrix.categories),
    )
    return table


def month_label(month: date) -> str:
    return month.strftime("%b %y")


def text_bars(
    title: str, months: Sequence[date], series: Sequence[tuple[str, Sequence[int], str]]
) -> RenderableType:
    """One line per series: a sparkline of block characters scaled to the largest value."""
    largest = max((v for _, values, _ in series for v in values), default=0)
    out = Text(title + "\n", style="bold")
    for name, values, colour in series:
        spark = "".join(
            BLOCKS[round((len(BLOCKS) - 1) * v / largest)] if largest else " " for v in values
        )
        out.append(f"{name:<9}", style=colour)
        out.append(spark, style=colour)
        out.append(f"  total {sum(values)}\n")
    if months:
        out.append(f"{'':<9}{month_label(months[0])} … {month_label(months[-1])}", style="dim")
    return out


class MonthChart(Widget):
    """Bars per month for one or more series (plotext when installed, else Rich)."""

    DEFAULT_CSS = """
    MonthChart { height: 12; }
    MonthChart > Static { height: auto; }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.months: tuple[date, ...] = ()
        self.series: tuple[tuple[str, tuple[int, ...], str], ...] = ()

    @property
    def uses_plotext(self) -> bool:
        return HAVE_PLOTEXT

    def compose(self) -> ComposeResult:
        if HAVE_PLOTEXT:
            yield PlotextPlot()
        else:
            yield Static("")

    def show(
        self, months: Sequence[date], series: Sequence[tuple[str, Sequence[int], str]]
    ) -> None:
        self.months = tuple(months)
        self.series = tuple((name, tuple(values), colour) for name, values, colour in series)
        if not HAVE_PLOTEXT:
            self.query_one(Static).update(text_bars(self.title, self.months, self.series))
            return
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(self.title)
        labels = [month_label(m) for m in self.months]
        if len(self.series) == 1:
            name, values, colour = self.series[0]
            plt.bar(labels, list(values), label=name, color=colour)
        elif self.series:
            # The package's stub names the keyword ``label``; plotext itself takes ``labels``.
            cast(Any, plt).multiple_bar(
                labels,
                [list(values) for _, values, _ in self.series],
                labels=[name for name, _, _ in self.series],
                color=[colour for _, _, colour in self.series],
            )
        # Ticks chosen here, every few months from the first: plotext's own choice varied from
        # run to run with the same data and size (the snapshots caught it).
        step = max(1, math.ceil(len(labels) / MONTH_TICKS))
        plt.xticks([float(x) for x in range(1, len(labels) + 1)][::step], labels[::step])
        plot.refresh()
