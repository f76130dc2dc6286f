"""Review mode: step through a pilot's or an organisation's agenda with single keys, then save.

Owns: the review screen — the agenda (``store.work.agenda.build_agenda`` in a worker), a cursor
over its items, the decisions taken so far (kept in memory, ``u`` drops the last one) and
``ctrl+s``, which hands them all to ``store.work.agenda.save_review`` in a worker: applied and
recorded as a meeting of kind ``review`` in one transaction, or not at all (and offered to the
app's ``ctrl+z`` as one change). Nothing is written before ``ctrl+s``, so the header says the
decisions are unsaved and ``escape`` with decisions taken asks first (``navigate``).
Keys mirror triage where they mean the same (``a`` owner, ``z`` snooze, ``x`` escalate,
``r`` resolve, ``u`` undo).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date, datetime

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from pfpp_tui.dates import DateParseError, parse_date
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.work.agenda import (
    Agenda,
    AgendaItem,
    ReviewDecision,
    ReviewOp,
    build_agenda,
    save_review,
)
from pfpp_tui.tui.lock_waits import not_saved, telling_lock_waits
from pfpp_tui.tui.screens.triage import reason_problem, snooze_problem
from pfpp_tui.tui.screens.unsaved_work import while_open
from pfpp_tui.tui.screens.workflow_prompts import (
    EscalationTarget,
    FuzzyPick,
    LinePrompt,
    contact_search,
    escalation_search,
)
from pfpp_tui.tui.session_undo import batch_of, remember
from pfpp_tui.tui.widgets.key_bar import REVIEW_KEYS, KeyBar
from pfpp_tui.tui.workspace import workspace
from pfpp_tui.words import counted


def due_problem(text: str) -> str | None:
    try:
        day = parse_date(text)
    except (DateParseError, ValueError, OverflowError) as exc:
        return str(exc)
    return None if day >= date.today() else f"{day.isoformat()} is in the past"


class ReviewScreen(Screen[int | None]):
    """The agenda for one pilot or organisation; dismisses with the review meeting's id."""

    # ``key_order``: keys typed before the first load is shown wait for it (``d`` typed as
    # the screen opens acts on the first item, not on nothing).
    KEYS_WAIT_FOR = ("review-load",)
    BINDINGS = [
        Binding("j,down", "move(1)", "Next", priority=True, id="review.next"),
        Binding("k,up", "move(-1)", "Previous", priority=True, id="review.previous"),
        Binding("d", "done", "Done", priority=True, id="review.done"),
        Binding("a", "reassign", "Reassign", priority=True, id="review.reassign"),
        Binding("z", "snooze", "Snooze", priority=True, id="review.snooze"),
        Binding("n", "new_due", "New due date", priority=True, id="review.new-due-date"),
        Binding("x", "escalate", "Escalate", priority=True, id="review.escalate"),
        Binding("r", "resolve", "Resolve", priority=True, id="review.resolve"),
        Binding("equals_sign", "note", "Decision", priority=True, id="review.add-decision"),
        Binding("u", "undo", "Undo", priority=True, id="review.undo"),
        Binding("ctrl+s", "save", "Save review", priority=True, id="review.save"),
        Binding("escape", "close", "Close", id="review.close"),
    ]
    DEFAULT_CSS = """
    ReviewScreen #review-header { background: $accent; color: $text; padding: 0 1; }
    ReviewScreen #review-error { color: $error; padding: 0 1; height: auto; }
    ReviewScreen #review-body { padding: 0 1; }
    """

    # What to do once a save asked for by the unsaved-work question has succeeded.
    _when_saved: Callable[[], object] | None = None

    class Loaded(Message):
        def __init__(self, agenda: Agenda) -> None:
            super().__init__()
            self.agenda = agenda

    class Saved(Message):
        def __init__(self, meeting_id: int, batch: str | None = None) -> None:
            super().__init__()
            self.meeting_id = meeting_id
            self.batch = batch

    def __init__(
        self,
        db: Database,
        *,
        pilot_id: int | None = None,
        organisation_id: int | None = None,
        source: ChangeSource = ChangeSource.TUI,
    ) -> None:
        super().__init__()
        self.db = db
        self.pilot_id = pilot_id
        self.organisation_id = organisation_id
        self.source = source
        self.agenda: Agenda | None = None
        self.cursor = 0
        self.decisions: list[ReviewDecision] = []
        self.saving = False  # a save worker is running (perhaps waiting on the lock)

    def compose(self) -> ComposeResult:
        yield Static("Review — loading…", id="review-header")
        yield Static("", id="review-error", markup=False)
        with VerticalScroll():
            yield Static("", id="review-body")
        yield KeyBar(REVIEW_KEYS)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-load")
    def load(self) -> None:
        agenda = build_agenda(self.db, pilot_id=self.pilot_id, organisation_id=self.organisation_id)
        self.post_message(self.Loaded(agenda))

    def on_review_screen_loaded(self, message: Loaded) -> None:
        self.agenda = message.agenda
        self.cursor = 0
        self._show()

    @property
    def current(self) -> AgendaItem | None:
        if self.agenda is None or not self.agenda.items:
            return None
        return self.agenda.items[self.cursor]

    def _show(self) -> None:
        agenda = self.agenda
        if agenda is None:
            return
        total = len(agenda.items)
        position = f"item {self.cursor + 1}/{total}" if total else "nothing on the agenda"
        count = len(self.decisions)
        unsaved = " (not saved yet: ctrl+s saves them)" if count else ""
        self.query_one("#review-header", Static).update(
            escape(f"{agenda.review_title} · {position} · {counted(count, 'decision')}{unsaved}")
        )
        # Items are wrapped here, continuation lines indented under the text, so a long item
        # reads as one and the cursor's line number is exact on any width.
        body = self.query_one("#review-body", Static)
        scroll = self.query_one(VerticalScroll)
        # Less the padding and the scrollbar, whether or not it shows yet.
        room = scroll.size.width or self.app.size.width
        width = max(room - 2 - scroll.styles.scrollbar_size_vertical, 20)
        lines: list[str] = []
        section = None
        cursor_line, cursor_height = 0, 1
        for index, item in enumerate(agenda.items):
            if item.section is not section:
                section = item.section
                lines += ["", f"[b]{section.value}[/b]"]
            marker = "▶" if index == self.cursor else " "
            taken = [d.op.value for d in self.decisions if self._about(d, item)]
            suffix = f"  [{', '.join(taken)}]" if taken else ""
            wrapped = _wrap(f"{marker} {item.label} — {item.detail}{suffix}", width, "    ")
            if index == self.cursor:
                # The text is stripped of its first blank line.
                cursor_line, cursor_height = len(lines) - 1, len(wrapped)
            lines += [escape(line) for line in wrapped]
        if self.decisions:
            lines += ["", "[b]Decisions taken[/b]"]
            for d in self.decisions:
                lines += [escape(line) for line in _wrap(f"  • {d.describe()}", width, "    ")]
        body.update("\n".join(lines).strip())
        # The agenda is taller than most terminals: keep the cursor's item on screen.
        self.call_after_refresh(self._scroll_to_line, cursor_line, cursor_height)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show)  # wrapped for the width it now has

    def _scroll_to_line(self, line: int, height: int = 1) -> None:
        self.query_one(VerticalScroll).scroll_to_region(
            Region(0, max(0, line - 1), 1, height + 2), animate=False
        )

    @staticmethod
    def _about(decision: ReviewDecision, item: AgendaItem) -> bool:
        return decision.table == item.table and decision.row_id == item.id

    def action_move(self, step: int) -> None:
        if self.agenda and self.agenda.items:
            self.cursor = max(0, min(len(self.agenda.items) - 1, self.cursor + step))
            self._show()

    # --- decisions -------------------------------------------------------------------------

    def _target(self, *tables: str) -> AgendaItem | None:
        item = self.current
        if item is None or item.table not in tables:
            kinds = " or ".join(tables)
            self._error(f"that key works on {kinds} items")
            return None
        self._error("")
        return item

    def _take(self, decision: ReviewDecision) -> None:
        self.decisions.append(decision)
        self._show()

    def _decision(self, op: ReviewOp, item: AgendaItem, **values: object) -> ReviewDecision:
        return ReviewDecision(op, item.table, item.id, item.label, **values)  # type: ignore[arg-type]

    def action_done(self) -> None:
        if item := self._target("action"):
            self._take(self._decision(ReviewOp.DONE, item))

    def action_reassign(self) -> None:
        item = self._target("action", "barrier")
        if item is None:
            return

        def chosen(pick: tuple[int, str] | None) -> None:
            if pick is not None:
                decision = self._decision(
                    ReviewOp.REASSIGN, item, owner_id=pick[0], owner_label=pick[1]
                )
                self._take(decision)

        pilot_id = self.agenda.pilot_id if self.agenda else None
        search = contact_search(self.db, prefer_pilot=pilot_id)  # the pilot's people first
        self.app.push_screen(FuzzyPick("Reassign to", search), chosen)

    def _ask_date(self, op: ReviewOp, item: AgendaItem, title: str) -> None:
        check = snooze_problem if item.table == "barrier" else due_problem

        def answered(text: str | None) -> None:
            if text is not None:
                self._take(self._decision(op, item, new_date=parse_date(text)))

        self.app.push_screen(LinePrompt(title, placeholder="fri, +2w", validate=check), answered)

    def action_snooze(self) -> None:
        if item := self._target("action", "barrier"):
            self._ask_date(ReviewOp.SNOOZE, item, "Snooze until")

    def action_new_due(self) -> None:
        if item := self._target("action"):
            self._ask_date(ReviewOp.NEW_DUE, item, "New due date")

    def action_escalate(self) -> None:
        item = self._target("barrier")
        if item is None:
            return

        def chosen(pick: tuple[EscalationTarget, str] | None) -> None:
            if pick is None:
                return
            (org_id, team_id), label = pick

            def noted(note: str | None) -> None:
                if note is not None:
                    decision = self._decision(
                        ReviewOp.ESCALATE,
                        item,
                        organisation_id=org_id,
                        team_id=team_id,
                        target_label=label,
                        text=note.strip(),
                    )
                    self._take(decision)

            self.app.push_screen(LinePrompt(f"Escalate to {label} — note"), noted)

        self.app.push_screen(FuzzyPick("Escalate to", escalation_search(self.db)), chosen)

    def action_resolve(self) -> None:
        item = self._target("barrier")
        if item is None:
            return

        def answered(reason: str | None) -> None:
            if reason is not None:
                self._take(self._decision(ReviewOp.RESOLVE, item, text=reason.strip()))

        self.app.push_screen(LinePrompt("Resolved — reason", validate=reason_problem), answered)

    def action_note(self) -> None:
        def answered(text: str | None) -> None:
            if text is not None:
                self._take(ReviewDecision(ReviewOp.NOTE, "", None, "", text=text.strip()))

        self.app.push_screen(LinePrompt("Decision", validate=reason_problem), answered)

    def action_undo(self) -> None:
        if not self.decisions:
            self._error("nothing to undo")
            return
        self.decisions.pop()
        self._error("")
        self._show()

    # --- saving ----------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.agenda is None:
            return
        if self.saving:  # one save at a time: a second would record the review twice
            self._error("saving… (waiting for the first save to finish or fail)")
            return
        self.saving = True
        self._error("saving…")
        self.save(self.agenda, list(self.decisions))

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-save")
    def save(self, agenda: Agenda, decisions: list[ReviewDecision]) -> None:
        with telling_lock_waits(self.app, self._error):
            meeting_id = save_review(
                self.db,
                agenda=agenda,
                held_at=datetime.now().replace(second=0, microsecond=0),
                decisions=decisions,
                source=self.source,
            )
        self.post_message(self.Saved(meeting_id, batch_of(self.db, "meeting", meeting_id)))

    def on_review_screen_saved(self, message: Saved) -> None:
        self.saving = False
        self.notify(f"Review saved with {counted(len(self.decisions), 'decision')}", timeout=4)
        scope = f" with {self.agenda.scope}" if self.agenda else ""
        decisions = counted(len(self.decisions), "decision")
        remember(workspace(self), message.batch, f"review meeting{scope}, {decisions}")
        self.dismiss(message.meeting_id)
        then, self._when_saved = self._when_saved, None
        if then is not None:
            then()

    def unsaved_work(self) -> str | None:
        """``screens.unsaved_work.HoldsUnsavedWork``: asked before any move that closes it."""
        taken = len(self.decisions)
        if not taken:
            return None
        of = f" of {self.agenda.scope}" if self.agenda else ""
        return f"{counted(taken, 'decision')} taken in the review{of}"

    def discard_unsaved_work(self) -> None:
        self.decisions.clear()

    def save_unsaved_work(self, then: Callable[[], object]) -> None:
        self._when_saved = then
        self.action_save()

    def action_close(self) -> None:
        workspace(self).navigate(self._close, leaving=while_open(self))

    def _close(self) -> None:
        if self.app.screen is self:  # not when a save asked for on the way closed it already
            self.dismiss(None)

    def _error(self, text: str) -> None:
        self.query_one("#review-error", Static).update(text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self._when_saved = None
            error = event.worker.error
            if event.worker.group == "review-save":
                # The decisions stay on screen; ctrl+s tries again.
                self.saving = False
                what = self.unsaved_work() or "the review"
                self._error(f"Not saved: {error}. Ctrl+s tries again.")
                self.notify(not_saved(what, error), severity="error", timeout=10)
                return
            self._error(str(error))
            self.notify(str(error), severity="error", timeout=6)


def _wrap(text: str, width: int, indent: str) -> list[str]:
    """``text`` in lines of at most ``width``, every line after the first indented."""
    return textwrap.wrap(
        text, width, subsequent_indent=indent, break_on_hyphens=False, drop_whitespace=True
    ) or [""]
