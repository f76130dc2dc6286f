"""The four partnership variables for one pilot: latest ratings and the change since last time.

Owns ``PartnershipRatings``, a display-only widget for the pilot detail. It renders the
``RatingsSummary`` it is given (``store.insight.partnership_health.pilot_ratings``) and never
touches the database: the screen that hosts it loads the summary in a worker and sets ``summary``
("attributes down"). ``None`` shows "not assessed yet".
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from pfpp_tui.models.partnership import VARIABLE_LABELS, PartnershipVariable
from pfpp_tui.store.insight.partnership_health import RatingsSummary

BAR_WIDTH = 5
# For narrow hosts (the detail pane beside a table): one line per variable at ~40 columns.
SHORT_LABELS: dict[PartnershipVariable, str] = {
    PartnershipVariable.HISTORY: "Cross-sector history",
    PartnershipVariable.ATTITUDES: "Staff attitudes",
    PartnershipVariable.VCS: "VCS relationships",
    PartnershipVariable.CAPACITY: "Capacity",
}


def change_text(change: int | None) -> Text:
    """``▲ +1`` green, ``▼ -2`` red, ``= 0`` dim, blank when there is no earlier assessment."""
    if change is None:
        return Text("")
    if change > 0:
        return Text(f"▲ +{change}", style="green")
    if change < 0:
        return Text(f"▼ {change}", style="red")
    return Text("= 0", style="dim")


def render_ratings(summary: RatingsSummary | None, *, compact: bool = False) -> Text:
    if summary is None:
        return Text("Partnership variables: not assessed yet", style="dim")
    latest = summary.latest
    text = Text()
    text.append("Partnership variables", style="bold")
    text.append(f"  assessed {latest.assessed_on:%d %b %Y}")
    if latest.assessed_by:
        text.append(f" by {latest.assessed_by}")
    if summary.previous is not None:
        text.append(f" · change since {summary.previous.assessed_on:%d %b %Y}", style="dim")
    labels = SHORT_LABELS if compact else VARIABLE_LABELS
    width = max(len(label) for label in labels.values())
    for variable in PartnershipVariable:
        rating = latest.ratings[variable.value]
        text.append("\n")
        text.append(f"{labels[variable]:<{width}}  ")
        text.append("●" * rating, style="bold")
        text.append("○" * (BAR_WIDTH - rating), style="dim")
        text.append(f" {rating}/5  ")
        text.append_text(change_text(summary.change[variable.value]))
    return text


class PartnershipRatings(Static):
    """Latest ratings of the four partnership variables, with the change since the last one."""

    DEFAULT_CSS = """
    PartnershipRatings { height: auto; padding: 0 1; }
    """

    summary: reactive[RatingsSummary | None] = reactive(None, layout=True)

    def __init__(
        self, summary: RatingsSummary | None = None, *, compact: bool = False, id: str | None = None
    ) -> None:
        super().__init__(render_ratings(summary, compact=compact), id=id)
        self.compact = compact
        self.set_reactive(PartnershipRatings.summary, summary)

    def watch_summary(self, summary: RatingsSummary | None) -> None:
        self.update(render_ratings(summary, compact=self.compact))
