"""A pilot's pre-partnership agreement: read it, edit it in a form, look back at earlier versions.

Owns ``AgreementScreen(db, pilot_id)``: the agreement rendered as the same Markdown document
``pfpp report agreement`` writes, a list of saved versions (newest first; picking one shows it,
read-only), and an edit form (``e``; ``ctrl+s`` saves, ``escape`` cancels — asking first when
the form differs from the agreement it opened with). Every database call
runs in a thread worker that reports back only by posting a message; worker errors are handled
in one place (``on_worker_state_changed``): shown under the form and as a notification, the
form stays open and nothing is saved. Saving goes through ``store.work.partnership.save_agreement``
with the version the form was loaded from, so a stale edit is refused, never merged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, Markdown, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from pfpp_tui.dates import DateParseError, parse_date
from pfpp_tui.errors import DatabaseBusyError, ValidationFailedError
from pfpp_tui.exporters.agreement_markdown import render_agreement
from pfpp_tui.models import ChangeSource, utcnow
from pfpp_tui.models.partnership import AGREEMENT_STATUS_LABELS, AgreementStatus
from pfpp_tui.shapes.partnership import Agreement
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.history.agreement_history import AgreementVersion, agreement_versions
from pfpp_tui.store.work.partnership import (
    PARTNER_LINE_HELP,
    contact_id_by_email,
    get_agreement,
    partner_lines,
    partners_from_lines,
    save_agreement,
)
from pfpp_tui.tui.lock_waits import not_saved, telling_lock_waits
from pfpp_tui.tui.screens.unsaved_work import while_open
from pfpp_tui.tui.session_undo import batch_since, remember
from pfpp_tui.tui.widgets.key_bar import AGREEMENT_KEYS, KeyBar
from pfpp_tui.tui.widgets.lists import MovingOptionList
from pfpp_tui.tui.workspace import workspace

TEXT_FIELDS = ("purpose", "data_sharing", "escalation_route")
LINE_FIELDS = ("governance_board", "governance_chair", "meeting_frequency")
LABELS = {
    "purpose": "Purpose",
    "data_sharing": "Data sharing (what, under which agreement)",
    "escalation_route": "Escalating disagreements",
    "governance_board": "Board",
    "governance_chair": "Chair",
    "meeting_frequency": "Meets",
    "review_date": "Review date",
    "status": "Status",
    "agreed_by": "Agreed by (e-mail)",
    "agreed_on": "Agreed on",
    "partners": f"Partners — {PARTNER_LINE_HELP}",
}


def _date_or_none(text: str, field: str, today: date) -> date | None:
    if not text.strip():
        return None
    try:
        return parse_date(text, today=today)
    except (DateParseError, ValueError, OverflowError) as exc:
        raise ValidationFailedError(f"{LABELS[field].lower()}: {exc}") from None


class AgreementScreen(Screen[None]):
    """View, edit and look back through one pilot's agreement."""

    # ``key_order``: keys typed before the first load is shown wait for it (``e`` typed as
    # the screen opens edits the agreement, not nothing).
    KEYS_WAIT_FOR = ("agreement-load",)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="agreement.edit", tooltip="Edit the agreement"),
        Binding(
            "v",
            "versions",
            "Versions",
            id="agreement.versions",
            tooltip="Focus the list of earlier versions",
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="agreement.save",
            priority=True,
            tooltip="Save the edited agreement as a new version",
        ),
        Binding(
            "escape",
            "close",
            "Back",
            id="agreement.close",
            tooltip="Cancel the edit, or leave the agreement",
        ),
    ]

    DEFAULT_CSS = """
    AgreementScreen {
        #agreement-title { height: 1; padding: 0 1; text-style: bold; }
        #agreement-body { height: 1fr; }
        #agreement-view { width: 3fr; padding: 0 1; }
        #agreement-versions { width: 1fr; min-width: 28; border-left: solid $primary; }
        #agreement-form { display: none; padding: 0 1; }
        #agreement-form TextArea { height: 5; }
        #agreement-form #field-partners { height: 8; }
        #agreement-error { color: $error; height: auto; }
        &.-editing #agreement-form { display: block; }
        &.-editing #agreement-body { display: none; }
    }
    """

    # What to do once a save asked for by the unsaved-work question has succeeded.
    _when_saved: Callable[[], object] | None = None

    class Loaded(Message):
        def __init__(self, agreement: Agreement, versions: list[AgreementVersion]) -> None:
            super().__init__()
            self.agreement = agreement
            self.versions = versions

    class Saved(Message):
        def __init__(self, agreement: Agreement, batch: str | None = None) -> None:
            super().__init__()
            self.agreement = agreement
            self.batch = batch

    def __init__(self, db: Database, pilot_id: int, *, today: date | None = None) -> None:
        super().__init__()
        self.db = db
        self.pilot_id = pilot_id
        self.today = today or date.today()
        self.agreement: Agreement | None = None
        self.versions: list[AgreementVersion] = []
        self.showing: int | None = None  # version number shown, None for today's
        self.opened_with: dict[str, Any] = {}  # the form as ``e`` filled it in
        self.saving = False  # a save worker is running (perhaps waiting on the lock)

    def compose(self) -> ComposeResult:
        yield Static("Loading agreement…", id="agreement-title", markup=False)
        with Horizontal(id="agreement-body"):
            with VerticalScroll(id="agreement-view"):
                yield Markdown("", id="agreement-markdown")
            yield MovingOptionList(id="agreement-versions")
        with VerticalScroll(id="agreement-form"):
            for name in TEXT_FIELDS[:1]:
                yield Label(LABELS[name])
                yield TextArea(id=f"field-{name}")
            for name in LINE_FIELDS:
                yield Label(LABELS[name])
                yield Input(id=f"field-{name}")
            for name in TEXT_FIELDS[1:]:
                yield Label(LABELS[name])
                yield TextArea(id=f"field-{name}")
            yield Label(LABELS["status"])
            options = [(label, status.value) for status, label in AGREEMENT_STATUS_LABELS.items()]
            yield Select(options, allow_blank=False, id="field-status")
            for name in ("agreed_by", "agreed_on", "review_date"):
                yield Label(LABELS[name])
                yield Input(
                    id=f"field-{name}", placeholder="YYYY-MM-DD" if name != "agreed_by" else ""
                )
            yield Label(LABELS["partners"])
            yield TextArea(id="field-partners")
            yield Static("", id="agreement-error", markup=False)
        yield KeyBar(AGREEMENT_KEYS)

    def on_mount(self) -> None:
        self.load()

    # --- loading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="agreement-load")
    def load(self) -> None:
        agreement = get_agreement(self.db, self.pilot_id)
        versions = agreement_versions(self.db, self.pilot_id)
        self.post_message(self.Loaded(agreement, versions))

    def on_agreement_screen_loaded(self, message: Loaded) -> None:
        self.agreement = message.agreement
        self.versions = message.versions
        versions = self.query_one("#agreement-versions", OptionList)
        versions.clear_options()
        for v in message.versions:
            when = f"{v.saved_at:%Y-%m-%d} {v.saved_by}" if v.saved_at else "first recorded"
            versions.add_option(Option(f"v{v.number}  {when}", id=f"v{v.number}"))
        self.show(None)

    def show(self, number: int | None) -> None:
        """Show today's agreement (None) or an earlier version, read-only."""
        assert self.agreement is not None
        chosen = self.agreement
        if number is not None:
            chosen = next(v.agreement for v in self.versions if v.number == number)
        self.showing = number
        a = self.agreement
        label = AGREEMENT_STATUS_LABELS[a.status]
        if a.id is None:
            title = f"{a.pilot} — no agreement yet (e to write one)"
        elif number is None or number == self.versions[0].number:
            title = f"{a.pilot} — agreement v{a.version} · {label}"
        else:
            title = f"{a.pilot} — earlier version v{number} (today's is v{self.versions[0].number})"
        self.query_one("#agreement-title", Static).update(title)
        self.query_one("#agreement-markdown", Markdown).update(
            render_agreement(chosen, today=self.today)
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and self.agreement is not None:
            self.show(int(event.option.id.removeprefix("v")))

    # --- editing -------------------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        return self.has_class("-editing")

    def action_versions(self) -> None:
        if not self.editing:
            self.query_one("#agreement-versions", OptionList).focus()

    def action_edit(self) -> None:
        if self.agreement is None or self.editing:
            return
        a = self.agreement
        for name in TEXT_FIELDS:
            self.query_one(f"#field-{name}", TextArea).text = getattr(a, name)
        for name in LINE_FIELDS:
            self.query_one(f"#field-{name}", Input).value = getattr(a, name)
        self.query_one("#field-status", Select).value = a.status.value
        email = a.agreed_by.rsplit("<", 1)[-1].rstrip(">") if "<" in a.agreed_by else ""
        self.query_one("#field-agreed_by", Input).value = email
        self.query_one("#field-agreed_on", Input).value = (
            a.agreed_on.isoformat() if a.agreed_on else ""
        )
        self.query_one("#field-review_date", Input).value = (
            a.review_date.isoformat() if a.review_date else ""
        )
        self.query_one("#field-partners", TextArea).text = partner_lines(a)
        self.query_one("#agreement-error", Static).update("")
        self.opened_with = self._form()
        self.add_class("-editing")
        self.query_one("#field-purpose", TextArea).focus()

    @property
    def changed(self) -> bool:
        return self.editing and self._form() != self.opened_with

    def discard_unsaved_work(self) -> None:
        self._leave_form()

    def save_unsaved_work(self, then: Callable[[], object]) -> None:
        self._when_saved = then
        self.action_save()

    def unsaved_work(self) -> str | None:
        """``screens.unsaved_work.HoldsUnsavedWork``: asked before any move that closes it."""
        if not self.changed:
            return None
        pilot = self.agreement.pilot if self.agreement else f"pilot {self.pilot_id}"
        return f"edit of the {pilot} agreement"

    def reload_after_change(self) -> None:
        """``session_undo.ShowsStoredData``: ctrl+z undid a saved version; an open edit
        is left alone (its save would be refused as stale, never overwrite)."""
        if not self.editing:
            self.load()

    def _leave_form(self) -> None:
        self.remove_class("-editing")
        # Focus left on a hidden field would swallow the next keys (``e`` typed into it).
        self.query_one("#agreement-view").focus()

    def action_close(self) -> None:
        if not self.editing:
            workspace(self).close(self)  # the one guarded way out (``tui.navigation``)
        else:  # leaving the form: asked first if it holds changes
            workspace(self).navigate(self._leave_form, leaving=while_open(self))

    def _form(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in TEXT_FIELDS:
            values[name] = self.query_one(f"#field-{name}", TextArea).text.strip()
        for name in LINE_FIELDS:
            values[name] = self.query_one(f"#field-{name}", Input).value.strip()
        values["status"] = AgreementStatus(str(self.query_one("#field-status", Select).value))
        for name in ("agreed_by", "agreed_on", "review_date", "partners"):
            widget: Any = self.query_one(f"#field-{name}")
            values[name] = widget.text if isinstance(widget, TextArea) else widget.value
        return values

    def action_save(self) -> None:
        if not self.editing or self.agreement is None:
            return
        if self.saving:  # one save at a time: the second would be refused as stale
            return
        self.saving = True
        self.query_one("#agreement-error", Static).update("Saving…")
        self.save(self.agreement, self._form())

    def _status(self, text: str) -> None:
        self.query_one("#agreement-error", Static).update(text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agreement-save")
    def save(self, loaded: Agreement, form: dict[str, Any]) -> None:
        started = utcnow()
        partners = partners_from_lines(self.db, form.pop("partners"))
        agreed_by_id = contact_id_by_email(self.db, form.pop("agreed_by"))
        agreed_on = _date_or_none(form.pop("agreed_on"), "agreed_on", self.today)
        review_date = _date_or_none(form.pop("review_date"), "review_date", self.today)
        edited = replace(
            loaded,
            **form,
            partners=partners,
            agreed_by_id=agreed_by_id,
            agreed_on=agreed_on,
            review_date=review_date,
        )
        with telling_lock_waits(self.app, self._status):
            saved = save_agreement(
                self.db, edited, source=ChangeSource.TUI, expected_version=loaded.version
            )
        batch = batch_since(
            self.db, started, ("partnership_agreement", saved.id), ("agreement_partner", None)
        )
        self.post_message(self.Saved(saved, batch))

    def on_agreement_screen_saved(self, message: Saved) -> None:
        self.saving = False
        self._leave_form()
        a = message.agreement
        self.notify(f"Saved the {a.pilot} agreement (v{a.version}) — ctrl+z undoes")
        remember(workspace(self), message.batch, f"edit of the {a.pilot} agreement (v{a.version})")
        self.load()
        then, self._when_saved = self._when_saved, None
        if then is not None:
            then()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self._when_saved = None
            text = str(event.worker.error)
            if event.worker.group == "agreement-save":
                # The form stays open with its values; ctrl+s tries again.
                self.saving = False
                if isinstance(event.worker.error, DatabaseBusyError):
                    pilot = self.agreement.pilot if self.agreement else "this pilot"
                    what = f"the edit of the {pilot} agreement"
                    self._status(f"Not saved: {text}. Ctrl+s tries again.")
                    self.notify(not_saved(what, event.worker.error), severity="error", timeout=10)
                    return
            self.query_one("#agreement-error", Static).update(text)
            self.notify(text, severity="error", timeout=6)
