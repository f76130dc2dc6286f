"""The new/edit modal: typed fields, inline validation, saved in a worker, stale edits caught.

Owns: building inputs from ``tui.forms`` specs, checking every field as it is typed (natural
dates show what they mean), and saving through ``store.history.undo.save_in_batch`` only when every
field is valid. A barrier's or action's principle tags (a ``tags`` field: a ``SelectionList``)
are loaded in a worker when editing and saved with the record in one transaction and history
batch (``store.insight.principle_tags.save_tagged_in_batch``); until they have loaded the list is
disabled and a save leaves the stored tags alone. A ``StaleEditError`` (someone else saved
first) is shown with a Reload button; nothing is ever overwritten silently. Dismisses with a
``Saved`` (record + history batch, so the app can offer ``ctrl+z``) or ``None`` when cancelled;
cancelling a form whose fields differ from what it opened with asks first (``navigate``).
Saving an edit that changes nothing writes nothing, says "No changes to save" and dismisses
with ``None``, so no empty change is ever offered to ``ctrl+z``.

What is saved is what is shown: a choice the store would default (a barrier's category,
severity and status) is selected from the start and cannot be blanked. A link with ``within``
(a contact's team) suggests only records of the chosen parent (that organisation's teams); a
chosen one from elsewhere is marked, and choosing it with no parent fills the parent in. The
store's refusals (``store.db.record_rules``: a bad e-mail, an escalated barrier with nowhere it
went) come back as ``field: message`` and are shown beside their fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, SelectionList, Static
from textual.widgets.input import Selection

from pfpp_tui.errors import (
    DatabaseBusyError,
    PfppError,
    StaleEditError,
    ValidationFailedError,
    describe_failure,
)
from pfpp_tui.models.partnership import Principle
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import Record, get_record
from pfpp_tui.store.history.undo import batch_written, new_batch, save_in_batch
from pfpp_tui.store.insight.principle_tags import principles_of, save_tagged_in_batch
from pfpp_tui.store.listing.browse import labels_for
from pfpp_tui.tui.app_keys import ModalWithAppKeys
from pfpp_tui.tui.forms import (
    DEFAULTS,
    FORMS,
    FieldError,
    FieldSpec,
    choice_options,
    enum_options,
    field_advice,
    model_default,
    parse_field,
    shown_value,
)
from pfpp_tui.tui.lock_waits import not_saved, telling_lock_waits
from pfpp_tui.tui.screens.unsaved_work import while_open
from pfpp_tui.tui.widgets.key_bar import FORM_KEYS, KeyBar
from pfpp_tui.tui.widgets.link_input import LinkInput
from pfpp_tui.tui.workspace import workspace


class FieldInput(Input):
    """An Input that opens with the cursor at the end of its text and nothing selected.

    Focus selected the whole value before, so the first key typed into an edit form replaced
    a barrier's title instead of adding to it. Now typing goes on where the text ends (as in
    any editor); ``ctrl+u``/``ctrl+shift+a`` clear or select it on purpose.
    """

    def __init__(self, value: str = "", **kwargs: Any) -> None:
        super().__init__(value, select_on_focus=False, **kwargs)

    def on_focus(self, event: events.Focus) -> None:
        if not event.from_app_focus:
            self.selection = Selection.cursor(len(self.value))


# Records with a name ("Added pilot Wakefield"); a person is named alone ("Added Emma Nowak"),
# and a title is quoted after its noun ("Saved action “Send the draft”").
NAMED = frozenset({"pilot", "organisation", "team"})


@dataclass(frozen=True, slots=True)
class Saved:
    record: Record
    batch: str
    created: bool
    tags: tuple[str, ...] | None = None  # the principle tags as stored (tags forms only)
    label: str = ""  # the record's name as lists show it ("Emma Nowak"), for the toast

    def described(self, noun: str) -> str:
        """``Added Emma Nowak`` / ``Saved action “Send the draft”``: what a toast says."""
        verb = "Added" if self.created else "Saved"
        name = self.label or f"{noun} {self.record.id}"
        if not self.label:
            return f"{verb} {name}"
        if noun in ("person", "contact"):
            return f"{verb} {name}"  # a person's name says what it is
        if noun in NAMED:
            return f"{verb} {noun} {name}"
        return f"{verb} {noun} “{name}”"  # a title, quoted


class RecordFormScreen(ModalWithAppKeys[Saved | None]):
    """Create (``record`` None) or edit one record of ``table``.

    The section keys, ``q`` and ``?`` work here as on every screen (``ModalWithAppKeys``),
    asking first when the form holds work; its own key bar shows what works in front.
    """

    # What to do once a save asked for by the unsaved-work question has succeeded.
    _when_saved: Callable[[], object] | None = None

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    class Loaded(Message):
        def __init__(self, record: Record, labels: dict[str, str]) -> None:
            self.record, self.labels = record, labels
            super().__init__()

    class Failed(Message):
        def __init__(self, error: PfppError) -> None:
            self.error = error
            super().__init__()

    class TagsLoaded(Message):
        def __init__(self, row_id: int, tags: list[str]) -> None:
            self.row_id, self.tags = row_id, tags
            super().__init__()

    class TagsFailed(Message):
        def __init__(self, error: PfppError) -> None:
            self.error = error
            super().__init__()

    class Done(Message):
        def __init__(self, saved: Saved) -> None:
            self.saved = saved
            super().__init__()

    class NothingChanged(Message):
        """The save wrote nothing: every value was already as stored."""

    class ParentFound(Message):
        """Where a ``within`` link's chosen record belongs (``parent_id``), for ``spec``."""

        def __init__(
            self, spec: FieldSpec, child_id: int, parent_id: int | None, parent_label: str,
            fill: bool,
        ) -> None:  # fmt: skip
            self.spec, self.child_id, self.fill = spec, child_id, fill
            self.parent_id, self.parent_label = parent_id, parent_label
            super().__init__()

    def __init__(
        self, db: Database, table: str, record: Record | None = None,
        labels: dict[str, str] | None = None, preset: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        self.db, self.table, self.record = db, table, record
        self.labels = labels or {}
        self.preset = preset or {}
        self.specs = FORMS[table]
        self.tag_spec = next((s for s in self.specs if s.kind == "tags"), None)
        # The tags the list showed once loaded: saving applies only the user's changes to them.
        self.tags_before: list[str] | None = None
        # What every field held when the form opened (or reloaded): cancelling asks only if
        # something differs from it.
        self.opened_with: dict[str, object] = {}
        # A ``within`` link whose chosen record belongs elsewhere: field name -> the problem.
        self.link_errors: dict[str, str] = {}
        self.saving = False  # a save worker is running (perhaps waiting on the lock)

    def compose(self) -> ComposeResult:
        verb = "Edit" if self.record else "New"
        with Vertical(id="form-box"):
            yield Static(f"[b]{verb} {self.table.replace('_', ' ')}[/b]", id="form-title")
            with VerticalScroll(id="form-fields"):
                for spec in self.specs:
                    yield from self._row(spec)
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Reload", id="reload", classes="hidden")
                yield Button("Cancel (esc)", id="cancel")
        yield KeyBar(FORM_KEYS)

    def _row(self, spec: FieldSpec) -> list[Horizontal | Static]:
        """Label and input on one line, the hint (error or parsed date) under them."""
        label = Label(spec.label + (" *" if spec.required else ""), classes="field-label")
        row = Horizontal(label, self._widget(spec), id=f"row-{spec.name}", classes="field-row")
        return [row, Static("", id=f"hint-{spec.name}", classes="field-hint")]

    def _value(self, spec: FieldSpec) -> Any:
        if spec.name in self.preset:
            return self.preset[spec.name]
        if self.record is not None:
            return self.record.values.get(spec.name)
        return None

    def _widget(self, spec: FieldSpec) -> Input | Select[str] | LinkInput | SelectionList[str]:
        value = self._value(spec)
        wid = f"field-{spec.name}"
        if spec.kind == "tags":
            # Editing: ticked once the stored tags arrive (``_load_tags``); new: the preset.
            chosen = set(value or ()) if self.record is None else set()
            ticks = [(text, key, key in chosen) for text, key in choice_options(spec)]
            return SelectionList[str](
                *ticks, id=wid, compact=True, disabled=self.record is not None
            )
        if spec.kind == "link":
            assert spec.link is not None
            label = self.labels.get(spec.name, "")
            return LinkInput(self.db, spec.link, chosen_id=value, label=label, id=wid)
        if spec.kind == "enum":
            # A choice the store defaults is shown selected and cannot be blanked: what the
            # form shows is what is saved (a blank would silently become the default).
            fallback = model_default(self.table, spec)
            shown = value if value is not None else fallback
            default = shown_value(spec, shown) if shown is not None else None
            return Select(
                enum_options(spec), value=default or Select.NULL, id=wid,
                allow_blank=fallback is None, compact=True,
            )  # fmt: skip
        text = shown_value(spec, value)
        if not text and self.record is None:
            text = DEFAULTS.get(self.table, {}).get(spec.name, "")
        return FieldInput(text, placeholder=spec.placeholder, id=wid, compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#field-{self.specs[0].name}").focus()
        self.opened_with = self.field_state()
        self._start_tag_load()
        self._follow_all()

    # --- unsaved changes -----------------------------------------------------------------

    def field_state(self) -> dict[str, object]:
        """What each field shows now, as typed (not parsed), to compare with ``opened_with``."""
        state: dict[str, object] = {}
        for spec in self.specs:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, LinkInput):
                state[spec.name] = (widget.chosen_id, widget.text)
            elif isinstance(widget, Select):
                state[spec.name] = widget.value
            elif isinstance(widget, SelectionList):
                # Editing, not loaded yet: nothing the user could have changed.
                loaded = self.record is None or self.tags_before is not None
                state[spec.name] = tuple(sorted(widget.selected)) if loaded else None
            else:
                assert isinstance(widget, Input)
                state[spec.name] = widget.value
        return state

    @property
    def changed(self) -> bool:
        return self.field_state() != self.opened_with

    def unsaved_work(self) -> str | None:
        """``screens.unsaved_work.HoldsUnsavedWork``: asked before any move that closes it."""
        if not self.changed:
            return None
        noun = self.table.replace("_", " ")
        return f"edit of {self.named()}" if self.record else f"a new {noun}"

    def named(self) -> str:
        """The record being edited as it was stored, as a toast names it ("action “Send the
        draft”", "pilot Luton", "Emma Nowak"); by its id only when it has no name or title."""
        assert self.record is not None
        noun, values = self.table.replace("_", " "), self.record.values
        person = " ".join(str(values.get(k) or "") for k in ("first_name", "last_name")).strip()
        if person and noun in ("person", "contact"):
            return person
        name, title = values.get("name"), values.get("title")
        if name:
            return f"{noun} {name}"
        if title:
            return f"{noun} “{title}”"
        return f"{noun} {self.record.id}"

    def discard_unsaved_work(self) -> None:
        self.opened_with = self.field_state()

    def save_unsaved_work(self, then: Callable[[], object]) -> None:
        self._when_saved = then
        self.action_save()

    def _saved(self, saved: Saved | None) -> None:
        self.dismiss(saved)
        then, self._when_saved = self._when_saved, None
        if then is not None:
            then()

    # --- principle tags ------------------------------------------------------------------

    def _start_tag_load(self) -> None:
        self.tags_before = None
        if self.tag_spec is not None and self.record is not None:
            self._hint(self.tag_spec, "loading the current tags…")
            self._load_tags(self.record.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-tags")
    def _load_tags(self, row_id: int) -> None:
        try:
            tags = principles_of(self.db, kind=self.table, row_id=row_id)
        except PfppError as exc:
            self.post_message(self.TagsFailed(exc))
            return
        self.post_message(self.TagsLoaded(row_id, [t.value for t in tags]))

    def on_record_form_screen_tags_loaded(self, message: TagsLoaded) -> None:
        if self.tag_spec is None or self.record is None or message.row_id != self.record.id:
            return
        tags = self.query_one(f"#field-{self.tag_spec.name}", SelectionList)
        tags.deselect_all()
        for key in message.tags:
            tags.select(key)
        tags.disabled = False
        self.tags_before = list(message.tags)
        self.opened_with[self.tag_spec.name] = tuple(sorted(message.tags))
        self._hint(self.tag_spec, "")

    # --- links that follow another (a contact's team follows its organisation) -----------

    def _follow_all(self) -> None:
        for spec in self.specs:
            if spec.kind == "link" and spec.within is not None:
                self._follow(spec)
        self._prefer_pilot()

    def _prefer_pilot(self) -> None:
        """The form's pilot (if it has one chosen): its people and records are suggested first."""
        pilot_spec = next((s for s in self.specs if s.kind == "link" and s.link == "pilot"), None)
        if pilot_spec is None:
            return
        pilot_id = self.query_one(f"#field-{pilot_spec.name}", LinkInput).chosen_id
        for spec in self.specs:
            if spec.kind == "link" and spec is not pilot_spec:
                self.query_one(f"#field-{spec.name}", LinkInput).prefer_pilot = pilot_id

    def _follow(self, spec: FieldSpec, *, fill: bool = False) -> None:
        """Scope ``spec``'s suggestions to the chosen parent; check a chosen record belongs.

        ``fill``: the user has just chosen ``spec``'s record, so an empty parent is filled in
        with the one it belongs to (a parent cleared on purpose is not filled back).
        """
        assert spec.within is not None
        parent = self.query_one(f"#field-{spec.within}", LinkInput)
        child = self.query_one(f"#field-{spec.name}", LinkInput)
        child.within = (spec.within, parent.chosen_id) if parent.chosen_id is not None else None
        self.link_errors.pop(spec.name, None)
        self._hint(spec, "")
        if child.chosen_id is not None:
            self._find_parent(spec, child.chosen_id, fill)

    @work(thread=True, exit_on_error=False, group="form-within")
    def _find_parent(self, spec: FieldSpec, child_id: int, fill: bool) -> None:
        assert spec.link is not None and spec.within is not None
        parent_spec = next(s for s in self.specs if s.name == spec.within)
        assert parent_spec.link is not None
        try:
            found = get_record(self.db, table=spec.link, row_id=child_id).values.get(spec.within)
            parent_id = None if found is None else int(found)
            label = (
                labels_for(self.db, parent_spec.link, [parent_id]).get(parent_id, "")
                if parent_id is not None
                else ""
            )
        except PfppError:
            return  # the store says what is wrong on save
        self.post_message(self.ParentFound(spec, child_id, parent_id, label, fill))

    def on_record_form_screen_parent_found(self, message: ParentFound) -> None:
        spec = message.spec
        assert spec.within is not None
        parent = self.query_one(f"#field-{spec.within}", LinkInput)
        child = self.query_one(f"#field-{spec.name}", LinkInput)
        if child.chosen_id != message.child_id or message.parent_id is None:
            return  # chosen again since, or a record that belongs nowhere
        if parent.chosen_id == message.parent_id:
            return
        if parent.chosen_id is None and message.fill and not parent.text.strip():
            parent.choose(message.parent_id, message.parent_label)  # posts Chosen: re-follows
            return
        parent_noun = spec.within.removesuffix("_id").replace("_", " ")
        what, where = child.chosen_label, message.parent_label
        self.link_errors[spec.name] = (
            f"{what} belongs to {where}: choose {where} as the {parent_noun}, or clear this"
            if parent.chosen_id is None
            else f"{what} belongs to {where}, not to the chosen {parent_noun}: choose again "
            f"(only its {spec.label.lower()}s are suggested) or clear this"
        )
        self._check(spec)

    def on_link_input_chosen(self, message: LinkInput.Chosen) -> None:
        name = (message.link.id or "").removeprefix("field-")
        if message.link.table == "pilot":
            self._prefer_pilot()
        for spec in self.specs:
            if spec.kind == "link" and spec.within is not None and name in (spec.name, spec.within):
                self._follow(spec, fill=name == spec.name)

    def on_record_form_screen_tags_failed(self, message: TagsFailed) -> None:
        if self.tag_spec is not None:
            self._hint(self.tag_spec, f"tags not loaded ({message.error}); saving keeps them", True)

    # --- validation ----------------------------------------------------------------------

    def _hint(self, spec: FieldSpec, text: str, error: bool = False) -> None:
        hint = self.query_one(f"#hint-{spec.name}", Static)
        hint.update(text)
        hint.set_class(error, "-error")
        hint.set_class(bool(text), "-shown")

    def _check(self, spec: FieldSpec) -> tuple[bool, Any]:
        widget = self.query_one(f"#field-{spec.name}")
        if isinstance(widget, LinkInput):
            if widget.unresolved:
                self._hint(spec, "choose a match from the list (↓ then enter)", True)
                return False, None
            if spec.required and widget.chosen_id is None:
                self._hint(spec, f"{spec.label} is required", True)
                return False, None
            if spec.name in self.link_errors:
                self._hint(spec, self.link_errors[spec.name], True)
                return False, None
            self._hint(spec, "")
            return True, widget.chosen_id
        if isinstance(widget, Select):
            value = widget.value
            return True, None if value is Select.NULL else value
        if isinstance(widget, SelectionList):
            # Not loaded yet (editing): None, so saving leaves the stored tags as they are.
            loaded = self.record is None or self.tags_before is not None
            return True, list(widget.selected) if loaded else None
        assert isinstance(widget, Input)
        try:
            value = parse_field(spec, widget.value)
        except FieldError as exc:
            self._hint(spec, str(exc), True)
            return False, None
        shown = field_advice(spec, value)
        if spec.kind in ("date", "datetime") and value is not None:
            shown = f"→ {value:%a %d %b %Y}" + (
                f" {value:%H:%M}" if spec.kind == "datetime" else ""
            )
        self._hint(spec, shown)
        return True, value

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        for spec in self.specs:
            if spec.name == name:
                self._check(spec)

    def collect(self) -> dict[str, Any] | None:
        """Every field's value, or None after marking each invalid field."""
        values: dict[str, Any] = {}
        ok = True
        for spec in self.specs:
            good, value = self._check(spec)
            ok = ok and good
            if good and not (value is None and spec.kind in ("enum", "tags")):
                values[spec.name] = value
        if not ok:
            self.query_one("#form-error", Static).update("Fix the marked fields to save.")
            self._show_first_error()
        return values if ok else None

    def _show_first_error(self) -> None:
        """Focus the first marked field and scroll its row and hint into view.

        On a short terminal the only error can sit below the visible fields; without this
        ``ctrl+s`` seemed to do nothing.
        """
        for spec in self.specs:
            hint = self.query_one(f"#hint-{spec.name}", Static)
            if hint.has_class("-error"):
                widget = self.query_one(f"#field-{spec.name}")
                target = widget.query_one(Input) if isinstance(widget, LinkInput) else widget
                target.focus(scroll_visible=False)
                # After the refresh that lays out the newly shown hint.
                self.call_after_refresh(self._scroll_into_view, spec.name)
                return

    def _scroll_into_view(self, name: str) -> None:
        row = self.query_one(f"#row-{name}")
        hint = self.query_one(f"#hint-{name}")
        region = row.virtual_region.union(hint.virtual_region)
        self.query_one("#form-fields", VerticalScroll).scroll_to_region(
            region, animate=False, immediate=True
        )

    # --- saving --------------------------------------------------------------------------

    def action_save(self) -> None:
        values = self.collect()
        if values is None:
            self._when_saved = None  # not saved: the move waits for the user, not for this
            return
        if self.record is not None and not self.changed:
            self._nothing_to_save()
            return
        if self.saving:  # one save at a time: a second would write the record twice
            self.app.notify("Still saving: wait for the database or press ctrl+s when it fails")
            return
        self.saving = True
        self.query_one("#form-error", Static).update("Saving…")
        self._save(values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form")
    def _save(self, values: dict[str, Any]) -> None:
        batch = new_batch()
        row_id = self.record.id if self.record else None
        version = self.record.version if self.record else None
        try:
            with telling_lock_waits(self.app, self._status):
                if self.tag_spec is None:
                    record = save_in_batch(
                        self.db, table=self.table, values=values, batch=batch,
                        row_id=row_id, expected_version=version,
                    )  # fmt: skip
                    saved = Saved(record, batch, self.record is None)
                else:
                    saved = self._save_tagged(values, batch, row_id, version)
                wrote = row_id is None or batch_written(self.db, batch)
            if wrote:
                label = labels_for(self.db, self.table, [saved.record.id]).get(saved.record.id)
                saved = replace(saved, label=label or "")
        except PfppError as exc:
            self.post_message(self.Failed(exc))
            return
        except Exception as exc:  # a save must report, never leave "Saving…" up for good
            self.post_message(self.Failed(PfppError(describe_failure(exc))))
            return
        self.post_message(self.Done(saved) if wrote else self.NothingChanged())

    def _save_tagged(
        self, values: dict[str, Any], batch: str, row_id: int | None, version: int | None
    ) -> Saved:
        """The record and its tags in one transaction (runs in the save worker)."""
        assert self.tag_spec is not None
        keys = values.pop(self.tag_spec.name, None)
        before = self.tags_before
        record, tags = save_tagged_in_batch(
            self.db, table=self.table, values=values, batch=batch,
            principles=None if keys is None else [Principle(k) for k in keys],
            before=None if before is None else [Principle(k) for k in before],
            row_id=row_id, expected_version=version,
        )  # fmt: skip
        return Saved(record, batch, self.record is None, tuple(t.value for t in tags))

    def on_record_form_screen_done(self, message: Done) -> None:
        self.saving = False
        self._saved(message.saved)

    def on_record_form_screen_nothing_changed(self, message: NothingChanged) -> None:
        self.saving = False
        self._nothing_to_save()

    def _nothing_to_save(self) -> None:
        """An edit that changes nothing: say so, write nothing, offer nothing to ``ctrl+z``."""
        self.app.notify("No changes to save")
        self._saved(None)

    def _status(self, text: str) -> None:
        self.query_one("#form-error", Static).update(text)

    def on_record_form_screen_failed(self, message: Failed) -> None:
        self.saving = False
        self._when_saved = None
        error = message.error
        box = self.query_one("#form-error", Static)
        if isinstance(error, DatabaseBusyError):
            # The form stays open with every value; ctrl+s tries again.
            what = self.unsaved_work() or f"this {self.table.replace('_', ' ')}"
            box.update(f"Not saved: {error}. Ctrl+s tries again.")
            self.app.notify(not_saved(what, error), severity="error", timeout=10)
            return
        if isinstance(error, StaleEditError):
            box.update(f"{error} Press Reload to see their version (your typing is lost).")
            self.query_one("#reload").remove_class("hidden")
            return
        if isinstance(error, ValidationFailedError):
            parts = str(error).split("; ")
            marked = 0
            for part in parts:
                field, _, text = part.partition(": ")
                if any(s.name == field for s in self.specs) and text:
                    self._hint(next(s for s in self.specs if s.name == field), text, True)
                    marked += 1
            if marked:
                self._show_first_error()
            if marked == len(parts):  # every problem is beside its field, in words
                box.update("Not saved: fix the marked fields.")
                return
        box.update(str(error))

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        workspace(self).navigate(self._close, leaving=while_open(self))

    def _close(self) -> None:
        if self.app.screen is self:  # not when a save asked for on the way closed it already
            self.dismiss(None)

    @on(Button.Pressed, "#reload")
    def _reload_pressed(self) -> None:
        if self.record is not None:
            self._reload(self.record.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form")
    def _reload(self, row_id: int) -> None:
        try:
            record = get_record(self.db, table=self.table, row_id=row_id)
            labels = link_labels(self.db, self.table, record.values)
        except PfppError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Loaded(record, labels))

    async def on_record_form_screen_loaded(self, message: Loaded) -> None:
        self.record, self.labels = message.record, message.labels
        self.query_one("#reload").add_class("hidden")
        self.query_one("#form-error", Static).update("Reloaded their version; edit and save.")
        fields = self.query_one("#form-fields")
        await fields.remove_children()
        for spec in self.specs:
            await fields.mount_all(self._row(spec))
        self.opened_with = self.field_state()
        self._start_tag_load()
        self._follow_all()


def link_labels(db: Database, table: str, values: dict[str, Any]) -> dict[str, str]:
    """Labels for the linked records an edit form shows (runs in a worker)."""
    labels: dict[str, str] = {}
    for spec in FORMS[table]:
        linked = values.get(spec.name)
        if spec.kind == "link" and spec.link and linked is not None:
            labels[spec.name] = labels_for(db, spec.link, [int(linked)]).get(int(linked), "")
    return labels
