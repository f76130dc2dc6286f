"""Barrier triage, one barrier at a time, with single keys (the keys are a contract, issue 7).

Owns: the triage screen — the queue's head with its context (pilot, meeting, linked actions,
similar barriers elsewhere), the decision keys, the undo stack of this session, and the header
count. Every database call runs in a thread worker that posts a message back; decisions go
through ``store.work.triage`` (history with reason, stale edits refused), each under its own history
batch that joins the app's ``ctrl+z`` stack (``u`` / ``ctrl+z`` here undo the last decision and
take it off that stack). Bindings are ``priority`` so these keys win over the app's global ones
(section keys ``1``-``6``, ``0``, the workflow keys) while this screen is on top.

Keys act in the order typed, each on the barrier as the keys before it left it: a key that
arrives while a decision is written or the barrier reloaded waits for that (``_in_turn``), so
``5m⏎`` typed at once sets culture, then medium, then moves on — not three writes from the same
stale version, two of them refused as "changed by you".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from pfpp_tui.dates import DateParseError, parse_date
from pfpp_tui.errors import DatabaseBusyError
from pfpp_tui.models import ActionStatus, BarrierCategory, BarrierStatus, ChangeSource, Severity
from pfpp_tui.models.labels import label, label_of
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.history.undo import new_batch
from pfpp_tui.store.work.triage import (
    BarrierContext,
    TriageDecision,
    TriageOutcome,
    apply_triage_in,
    barrier_context,
    triage_queue,
    undo_triage,
)
from pfpp_tui.tui.lock_waits import not_saved, telling_lock_waits
from pfpp_tui.tui.screens.workflow_prompts import (
    EscalationTarget,
    FuzzyPick,
    LinePrompt,
    barrier_search,
    contact_search,
    escalation_search,
)
from pfpp_tui.tui.session_undo import forget, remember
from pfpp_tui.tui.widgets.key_bar import TRIAGE_KEYS, KeyBar
from pfpp_tui.tui.workspace import workspace
from pfpp_tui.words import counted

CATEGORY_KEYS = {
    "1": BarrierCategory.STRUCTURE,
    "2": BarrierCategory.PRIORITIES,
    "3": BarrierCategory.FUNDING,
    "4": BarrierCategory.DATA_SHARING,
    "5": BarrierCategory.CULTURE,
    "0": BarrierCategory.OTHER,
}
SEVERITY_KEYS = {
    "l": Severity.LOW,
    "m": Severity.MEDIUM,
    "h": Severity.HIGH,
    "c": Severity.CRITICAL,
}


def snooze_problem(text: str, today: date | None = None) -> str | None:
    """Why ``text`` is not a usable snooze date, or None."""
    day0 = today or date.today()
    try:
        day = parse_date(text, today=day0)
    except (DateParseError, ValueError, OverflowError) as exc:
        return str(exc)
    return None if day > day0 else f"{day.isoformat()} is not after today"


def decided_words(decision: TriageDecision) -> str:
    """A single-key decision in the words the screen shows (labels, not stored values)."""
    parts = []
    if decision.category is not None:
        parts.append(f"category {label(decision.category)}")
    if decision.severity is not None:
        parts.append(f"severity {label(decision.severity)}")
    if decision.snooze_until is not None:
        parts.append(f"snoozed until {decision.snooze_until:%a %d %b %Y}")
    if decision.duplicate_of_id is not None:
        parts.append(f"duplicate of barrier {decision.duplicate_of_id}")
    if decision.mark_triaged:
        parts.append("triaged")
    return ", ".join(parts) or decision.describe()


def reason_problem(text: str) -> str | None:
    return None if text.strip() else "a reason is needed"


def _bindings() -> list[BindingType]:
    keys = [
        Binding(k, f"category('{k}')", label(c), id=f"triage.category-{c.value}")
        for k, c in CATEGORY_KEYS.items()
    ]
    keys += [
        Binding(k, f"severity('{k}')", label(s), id=f"triage.severity-{s.value}")
        for k, s in SEVERITY_KEYS.items()
    ]
    keys += [
        Binding("a", "assign", "Owner", id="triage.assign-owner"),
        Binding("x", "escalate", "Escalate", id="triage.escalate"),
        Binding("z", "snooze", "Snooze", id="triage.snooze"),
        Binding("D", "duplicate", "Duplicate", id="triage.duplicate-of"),
        Binding("r", "resolve", "Resolve", id="triage.resolve"),
        Binding("A", "accept", "Accept", id="triage.accept"),
        Binding("enter", "triaged", "Triaged & next", id="triage.mark-triaged"),
        Binding("s", "skip", "Skip", id="triage.skip"),
        # ctrl+z too: inside triage the app-wide undo means "the last triage decision".
        Binding("u,ctrl+z", "undo", "Undo", id="triage.undo"),
        Binding("escape", "close", "Close", id="triage.close"),
    ]
    # Priority: inside this screen these keys win over the app's global bindings.
    return [replace(binding, priority=True) for binding in keys]


class BarrierTriageScreen(Screen[None]):
    """The triage queue, oldest first, one barrier at a time."""

    BINDINGS = _bindings()
    # ``key_order``: a key typed while a decision (or undo) is written, or the barrier it leads
    # to loaded, waits for it and acts on what is shown next. In a burst "1 l ⏎" each key
    # decided on the barrier as first loaded: the second was refused as a stale edit —
    # "changed by" the user's own first — and the two writes waited on each other's lock.
    KEYS_WAIT_FOR = ("triage-load", "triage-write")
    DEFAULT_CSS = """
    BarrierTriageScreen #triage-header { background: $accent; color: $text; padding: 0 1; }
    BarrierTriageScreen #triage-body { padding: 0 1; }
    BarrierTriageScreen #triage-error { color: $error; padding: 0 1; height: auto; }
    """

    class Loaded(Message):
        def __init__(
            self, remaining: int, context: BarrierContext | None, skipped: int = 0
        ) -> None:
            super().__init__()
            self.remaining = remaining
            self.context = context
            self.skipped = skipped  # skipped barriers still waiting in the queue

    class Decided(Message):
        def __init__(
            self, outcome: TriageOutcome, leaves_queue: bool, batch: str = "", what: str = ""
        ) -> None:
            super().__init__()
            self.outcome = outcome
            self.leaves_queue = leaves_queue
            self.batch = batch
            self.what = what  # the barrier and the decision, in words

    class Undone(Message):
        def __init__(self, barrier_id: int) -> None:
            super().__init__()
            self.barrier_id = barrier_id

    def __init__(self, db: Database, *, source: ChangeSource = ChangeSource.TUI) -> None:
        super().__init__()
        self.db = db
        self.source = source
        self.context: BarrierContext | None = None
        self.remaining = 0
        self.skipped: set[int] = set()
        self.skipped_waiting = 0  # how many skipped barriers are still in the queue
        self.undoing = False  # an undo worker is running
        self.undo_stack: list[TriageOutcome] = []
        self.batches: list[str] = []  # beside undo_stack: each decision's history batch
        self.busy = True  # loading, or writing then reloading: keys wait their turn
        self.waiting: deque[Callable[[], None]] = deque()  # keys typed meanwhile, in order

    def compose(self) -> ComposeResult:
        yield Static("Barrier triage — loading…", id="triage-header")
        yield Static("", id="triage-error")
        with VerticalScroll():
            yield Static("", id="triage-body")
        yield KeyBar(TRIAGE_KEYS)

    def on_mount(self) -> None:
        self.load()

    # --- loading ---------------------------------------------------------------------------

    def _in_turn(self, act: Callable[[], None]) -> None:
        """Act now, or once the decisions and reloads of the keys before have finished."""
        if self.busy or self.waiting:
            self.waiting.append(act)
        else:
            act()

    def _next_in_turn(self) -> None:
        while self.waiting and not self.busy:
            self.waiting.popleft()()
            if self.app.screen is not self:
                # A prompt opened (or the screen closed): the keys typed after its key were
                # meant for the prompt, not for triage; they are not replayed here.
                self.waiting.clear()

    def load(self, focus_id: int | None = None) -> None:
        self.busy = True
        self._load(focus_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="triage-load")
    def _load(self, focus_id: int | None = None) -> None:
        everything = triage_queue(self.db)
        queue = [q for q in everything if q.id not in self.skipped]
        skipped = sum(1 for q in everything if q.id in self.skipped and q.id != focus_id)
        ids = [q.id for q in queue]
        current = focus_id if focus_id is not None else (ids[0] if ids else None)
        context = barrier_context(self.db, current) if current is not None else None
        remaining = len(ids) + (1 if current is not None and current not in ids else 0)
        self.post_message(self.Loaded(remaining, context, skipped))

    def on_barrier_triage_screen_loaded(self, message: Loaded) -> None:
        self.context = message.context
        self.remaining = message.remaining
        self.skipped_waiting = message.skipped
        self.query_one("#triage-header", Static).update(self._header())
        self.query_one("#triage-body", Static).update(self._body())
        self.busy = False
        self._next_in_turn()

    def _header(self) -> str:
        skipped = (
            f" · {counted(self.skipped_waiting, 'skipped barrier')} (they come round again)"
            if self.skipped_waiting
            else ""
        )
        if self.context is None:
            return f"Barrier triage — nothing left to triage{skipped}"
        return f"Barrier triage — {self.remaining} remaining{skipped} · barrier {self.context.id}"

    def _body(self) -> str:
        c = self.context
        if c is None:
            again = (
                f"{counted(self.skipped_waiting, 'skipped barrier')} still "
                f"{'waits' if self.skipped_waiting == 1 else 'wait'}: [b]s[/b] brings "
                f"{'it' if self.skipped_waiting == 1 else 'them'} round again. "
                if self.skipped_waiting
                else ""
            )
            return (
                f"The queue is empty. {again}[b]u[/b] undoes the last decision, "
                "[b]escape[/b] closes."
            )
        lines = [
            f"[b]{escape(c.title)}[/b]",
            escape(c.detail),
            "",
            f"Pilot: {escape(c.pilot)}    Raised: {c.raised_on.isoformat()}"
            f"    Status: {label(c.status)}",
            f"Meeting: {escape(c.meeting) or '—'}",
            f"Category: {label(c.category)}    Severity: {label(c.severity)}"
            f"    Owner: {escape(c.owner) or '—'}",
        ]
        if c.escalated_to:
            lines.append(escape(f"Escalated to: {c.escalated_to} — {c.escalation_note}"))
        if c.snoozed_until:
            lines.append(f"Snoozed until: {c.snoozed_until.isoformat()}")
        if c.resolution:
            lines.append(escape(f"Resolution: {c.resolution}"))
        lines += ["", "[b]Linked actions[/b]"]
        lines += [
            escape(f"  • {a.title} ({label_of(ActionStatus, a.status)}, {a.owner})")
            for a in c.actions
        ] or ["  none"]
        lines += ["", "[b]Similar barriers in other places[/b]"]
        lines += [
            escape(f"  • #{s.id} {s.title} — {s.pilot} ({label_of(BarrierStatus, s.status)})")
            for s in c.similar
        ] or ["  none"]
        return "\n".join(lines)

    # --- deciding --------------------------------------------------------------------------

    def decide(self, decision: TriageDecision, leaves_queue: bool, said: str = "") -> None:
        self.busy = True  # until the barrier is reloaded with its new version
        self._decide_in_thread(decision, leaves_queue, said)

    @work(thread=True, exit_on_error=False, group="triage-write")
    def _decide_in_thread(self, decision: TriageDecision, leaves_queue: bool, said: str) -> None:
        context = self.context
        assert context is not None
        what = f"barrier {context.id} “{context.title}”: {said or decided_words(decision)}"
        # ``apply_triage`` with a batch we choose, so the app's ctrl+z can undo this decision
        # after the screen has closed (through the history, like any other change).
        batch = new_batch()
        with (
            telling_lock_waits(self.app, self._error),
            self.db.write(source=self.source, batch=batch) as session,
        ):
            outcome = apply_triage_in(
                session, context.id, decision, today=date.today(), expected_version=context.version
            )
        self.post_message(self.Decided(outcome, leaves_queue, batch, what))

    def on_barrier_triage_screen_decided(self, message: Decided) -> None:
        self._error("")
        if message.outcome.changed:
            self.undo_stack.append(message.outcome)
            self.batches.append(message.batch)
            remember(workspace(self), message.batch, f"triage of {message.what}")
            self.notify(message.what[0].upper() + message.what[1:], timeout=3)
        self.load(None if message.leaves_queue else message.outcome.barrier_id)

    def _decide(
        self, decision: TriageDecision, *, leaves_queue: bool = False, said: str = ""
    ) -> None:
        if self.context is None:
            self._error("nothing to triage")
            return
        self.decide(decision, leaves_queue, said)

    def action_category(self, key: str) -> None:
        self._in_turn(lambda: self._decide(TriageDecision(category=CATEGORY_KEYS[key])))

    def action_severity(self, key: str) -> None:
        self._in_turn(lambda: self._decide(TriageDecision(severity=SEVERITY_KEYS[key])))

    def action_triaged(self) -> None:
        self._in_turn(lambda: self._decide(TriageDecision(mark_triaged=True), leaves_queue=True))

    def action_skip(self) -> None:
        """Skip this barrier for now; once the rest are done, ``s`` again brings the skipped
        ones round again (oldest first)."""
        self._in_turn(self._skip)

    def _skip(self) -> None:
        if self.context is not None:
            self.skipped.add(self.context.id)
        elif self.skipped:
            self.skipped.clear()
        self.load()

    def action_assign(self) -> None:
        self._in_turn(self._assign)

    def _assign(self) -> None:
        if self.context is None:
            return

        def chosen(pick: tuple[int, str] | None) -> None:
            if pick is not None:
                decision = TriageDecision(owner_id=pick[0], reason=f"owner → {pick[1]}")
                self._decide(decision, said=f"owner {pick[1].split(' <')[0]}")

        search = contact_search(self.db, prefer_pilot=self.context.pilot_id)  # its people first
        self.app.push_screen(FuzzyPick("Assign owner", search), chosen)

    def action_escalate(self) -> None:
        self._in_turn(self._escalate)

    def _escalate(self) -> None:
        if self.context is None:
            return

        def chosen(pick: tuple[EscalationTarget, str] | None) -> None:
            if pick is None:
                return
            (org_id, team_id), label = pick

            def noted(note: str | None) -> None:
                if note is not None:
                    decision = TriageDecision(
                        escalate_organisation_id=org_id,
                        escalate_team_id=team_id,
                        reason=note.strip() or f"escalated to {label}",
                    )
                    said = f"escalated to {label}" + (f" — {note.strip()}" if note.strip() else "")
                    self._decide(decision, leaves_queue=True, said=said)

            self.app.push_screen(LinePrompt(f"Escalate to {label} — note"), noted)

        self.app.push_screen(
            FuzzyPick("Escalate to organisation / team", escalation_search(self.db)), chosen
        )

    def action_snooze(self) -> None:
        self._in_turn(self._snooze)

    def _snooze(self) -> None:
        if self.context is None:
            return

        def answered(text: str | None) -> None:
            if text is not None:
                day = parse_date(text)
                self._decide(TriageDecision(snooze_until=day), leaves_queue=True)

        prompt = LinePrompt("Snooze until", placeholder="fri, +2w, 1 dec", validate=snooze_problem)
        self.app.push_screen(prompt, answered)

    def action_duplicate(self) -> None:
        self._in_turn(self._duplicate)

    def _duplicate(self) -> None:
        if self.context is None:
            return
        current = self.context.id

        def chosen(target: int | None) -> None:
            if target is not None:
                self._decide(TriageDecision(duplicate_of_id=target), leaves_queue=True)

        self.app.push_screen(
            FuzzyPick("Duplicate of which barrier?", barrier_search(self.db, exclude=current)),
            chosen,
        )

    def _close_with_reason(self, *, resolve: bool) -> None:
        if self.context is None:
            return
        verb = "Resolved" if resolve else "Accepted (work around)"

        def answered(reason: str | None) -> None:
            if reason is not None:
                decision = TriageDecision(resolve=resolve, accept=not resolve, reason=reason)
                said = f"{'resolved' if resolve else 'accepted'} — {reason.strip()}"
                self._decide(decision, leaves_queue=True, said=said)

        self.app.push_screen(LinePrompt(f"{verb} — reason", validate=reason_problem), answered)

    def action_resolve(self) -> None:
        self._in_turn(lambda: self._close_with_reason(resolve=True))

    def action_accept(self) -> None:
        self._in_turn(lambda: self._close_with_reason(resolve=False))

    # --- undo ------------------------------------------------------------------------------

    def undo(self, outcome: TriageOutcome) -> None:
        self.busy = True
        self._undo_in_thread(outcome)

    @work(thread=True, exit_on_error=False, group="triage-write")
    def _undo_in_thread(self, outcome: TriageOutcome) -> None:
        with telling_lock_waits(self.app, self._error):
            undo_triage(self.db, outcome, source=self.source)
        self.post_message(self.Undone(outcome.barrier_id))

    def action_undo(self) -> None:
        self._in_turn(self._undo_last)

    def _undo_last(self) -> None:
        if not self.undo_stack:
            self._error("nothing to undo")
            return
        if self.undoing:
            return  # one undo at a time: the next u undoes the next decision
        # Taken off the stacks only once undone: an undo that fails (the database stayed
        # locked) can be tried again with u.
        self.undoing = True
        self.undo(self.undo_stack[-1])

    def on_barrier_triage_screen_undone(self, message: Undone) -> None:
        self.undoing = False
        self.undo_stack.pop()
        forget(workspace(self), self.batches.pop() if self.batches else None)
        self._error("")
        self.skipped.discard(message.barrier_id)
        self.notify(f"undone: barrier {message.barrier_id}", timeout=3)
        self.load(message.barrier_id)

    def action_close(self) -> None:
        self._in_turn(self._close)  # after the decisions typed before it

    def _close(self) -> None:
        workspace(self).close(self)  # the one guarded way out (``tui.navigation``)

    # --- errors ----------------------------------------------------------------------------

    def _error(self, text: str) -> None:
        self.query_one("#triage-error", Static).update(text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error: Any = event.worker.error
            self.undoing = False
            # Keys typed after a decision that failed were meant for what it would have left.
            self.waiting.clear()
            self.busy = False
            self._error(str(error))
            if isinstance(error, DatabaseBusyError) and self.context is not None:
                # The barrier stays on screen: its key (or u) tries again.
                what = f"triage of barrier {self.context.id}"
                retry = "press the key again to try again"
                self.notify(not_saved(what, error, retry), severity="error", timeout=10)
            else:
                self.notify(str(error), severity="error", timeout=6)
            if event.worker.group == "triage-write" and self.context is not None:
                self.load(self.context.id)
