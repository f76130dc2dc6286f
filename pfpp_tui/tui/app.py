"""The TUI application: wiring only — sections as modes, global keys, settings, undo stack.

Owns: opening the database (in a worker, never at import), the mode per section, the global
bindings (``0`` to ``6``, ``q``, ``?``, ``ctrl+z``, and the workflow keys ``m`` ``t`` ``R`` ``a``
``h``), applying the keymap and theme from ``pfpp_tui.config``, the session's undo stack, and
being the screens' ``Workspace`` (``tui.workspace``). Every move goes through the one guarded
``tui.navigation.navigate``. Feature logic lives in ``screens/``, ``widgets/``,
``workflows.py`` and ``commands.py``; data access in ``pfpp_tui.store``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.widgets import Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from pfpp_tui.config import Settings, load_settings, save_settings
from pfpp_tui.errors import DatabaseBusyError, PfppError
from pfpp_tui.store.listing.first_rows import FirstRows, read_first
from pfpp_tui.store.listing.sections import SECTIONS, Page
from pfpp_tui.tui.app_keys import HELP, PALETTE, QUIT, SECTION_BINDINGS, ModalWithAppKeys
from pfpp_tui.tui.key_order import KeysInOrderApp
from pfpp_tui.tui.read_only import read_only_notice
from pfpp_tui.tui.safe_screen import install as install_safe_screen
from pfpp_tui.tui.screens.overview import OverviewScreen
from pfpp_tui.tui.widgets.record_table import WINDOW
from pfpp_tui.tui.workspace import Leaving, MeetingDrafts, provide

if TYPE_CHECKING:  # loaded when first needed, after the first frame (issue 19)
    from textual.widget import AwaitMount

    from pfpp_tui.store.db.database import Database
    from pfpp_tui.tui.meeting_drafts import MeetingDraft
    from pfpp_tui.tui.screens.coverage import CoverageScreen
    from pfpp_tui.tui.screens.patterns import PatternsScreen
    from pfpp_tui.tui.screens.section import SectionScreen
    from pfpp_tui.tui.widgets.overview import OverviewPanel

# Keys that act at once even while the database is still opening; every other key typed then
# waits and is handled, in order, once it is open (``PfppApp.on_event``).
KEYS_NEVER_HELD = frozenset({"ctrl+q", "ctrl+c"})

HIGH_CONTRAST = Theme(
    name="pfpp-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ff00ff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    success="#00ff00",
    warning="#ffff00",
    error="#ff5555",
    dark=True,
    variables={"block-cursor-background": "#ffff00", "block-cursor-foreground": "#000000"},
)

# How long the first section waits for the database before it composes without its rows.
OPEN_WAIT_S = 0.25


S = TypeVar("S", bound=Screen[None])


def _styled(screen: S) -> S:
    """A screen made now is styled by the stylesheet as it is now: mark it up to date.

    Textual re-parses every stylesheet (twice) when a mode's new screen is "behind" the app's
    CSS, and a new screen always is; its widgets get the current styles as they mount anyway.
    A later theme change still refreshes it.

    The one place that touches Textual's private ``_css_update_count``: Textual 8.2 offers no
    public way to say a new screen is up to date (``App._init_mode`` compares the counts and
    calls ``refresh_css``). If an upgrade renames it, only this function and ``MODES`` change.
    """
    screen._css_update_count = screen.app._css_update_count
    return screen


def _section_screen(key: str, alternate: str | None = None) -> SectionScreen:
    from pfpp_tui.tui.screens.section import SectionScreen

    return _styled(SectionScreen(key, alternate=alternate))


def _pfpp_commands() -> type[Provider]:
    """The palette's commands, loaded when the palette first opens, not before the first frame."""
    from pfpp_tui.tui.commands import PfppCommands

    return PfppCommands


class StartScreen(Screen[None]):
    """Shown while the database opens for the overview, and whenever it cannot be opened."""

    def __init__(self, message: str = "Opening the database…") -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(self.message, id="start-message")


class PfppApp(KeysInOrderApp):
    TITLE = "pfpp-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {_pfpp_commands}
    MODES = {
        "overview": lambda: _styled(OverviewScreen()),
        "pilots": lambda: _section_screen("pilots"),
        "contacts": lambda: _section_screen("contacts"),
        "organisations": lambda: _section_screen("organisations", alternate="teams"),
        "teams": lambda: _section_screen("teams", alternate="organisations"),
        "meetings": lambda: _section_screen("meetings"),
        "actions": lambda: _section_screen("actions"),
        "barriers": lambda: _section_screen("barriers"),
    }
    BINDINGS = [
        *SECTION_BINDINGS,  # 0 to 6, shared with forms (``app_keys``)
        Binding(
            "m",
            "workflow('meeting_log')",
            "Meeting",
            id="workflow.log-meeting",
            tooltip="Log a meeting, prefilled with the pilot you are looking at",
        ),
        Binding(
            "t",
            "workflow('triage')",
            "Triage",
            id="workflow.triage",
            tooltip="Triage new barriers one at a time",
        ),
        Binding(
            "R",
            "workflow('review')",
            "Review",
            id="workflow.review",
            tooltip="Review agenda for the highlighted pilot or organisation",
        ),
        Binding(
            "a",
            "workflow('agreement')",
            "Agreement",
            id="workflow.agreement",
            tooltip="The highlighted pilot's pre-partnership agreement",
        ),
        Binding(
            "h",
            "workflow('history')",
            "History",
            id="record.history",
            tooltip="Who changed the highlighted record, when and why",
        ),
        Binding("ctrl+z", "undo", "Undo", id="app.undo"),
        HELP,
        QUIT,
        # Textual's own ctrl+q and ctrl+p bindings, the same keys, re-declared with ids so a
        # ``[keymap]`` can remap them like every other key (``App.BINDINGS`` has ctrl+q
        # without an id; ``COMMAND_PALETTE_BINDING`` is added without one unless bound here).
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            priority=True,
            id="app.quit-ctrl",
            tooltip="Quit the app and return to the command prompt.",
        ),
        PALETTE,
    ]

    class DatabaseOpened(Message):
        def __init__(self, db: Database | None, error: str = "") -> None:
            self.db, self.error = db, error
            super().__init__()

    class Undone(Message):
        def __init__(self, text: str, ok: bool) -> None:
            self.text, self.ok = text, ok
            super().__init__()

    def __init__(
        self,
        location: str | Path | None = None,
        *,
        settings_path: Path | None = None,
        section: str = "overview",
    ) -> None:
        first = section if section in self.MODES else "overview"
        # The first screen's rows read with plain sqlite3 (``store.first_rows``, a few ms): the
        # first frame shows them, and the ORM loads and opens the database after it (issue 19:
        # loading SQLAlchemy, SQLModel and pydantic was four fifths of a start). None: a
        # server, a schema to move, an unfinished import…: the database opens first, as before.
        # The overview only, for now: a section's screen module still loads the ORM as it is
        # imported, so reading its rows first would gain nothing yet.
        self._first: FirstRows | None = (
            read_first(location, first, limit=WINDOW) if first == "overview" else None
        )
        if self._first is not None and self._first.pilots is not None:
            # The overview is the first screen, composed with those pilots.
            pilots = self._first.pilots
            first_overview = {"overview": lambda: _styled(OverviewScreen(pilots))}
            self.MODES = {**self.MODES, **first_overview}  # type: ignore[misc]
            self.DEFAULT_MODE = first  # type: ignore[misc]
        if first in SECTIONS:
            # The app starts in that section's mode: its screen is the first screen, shown
            # with "Loading…" and filled when the database opens. (``switch_mode`` later
            # would hold every frame back 50 ms — ``delay_update`` — and draw a start screen
            # first.) The overview needs the database (or its first pilots) to compose: it
            # waits behind ``StartScreen``.
            self.DEFAULT_MODE = first  # type: ignore[misc]
        install_safe_screen()
        super().__init__()
        self.location = location
        self.first_section = first
        self.settings_path = settings_path
        self.settings: Settings = load_settings(settings_path)
        self._db: Database | None = None
        self.undo_stack: list[tuple[str, str]] = []
        # Bumped by every change this session makes (saves, workflows, undo, imports): a
        # section shown again after a dialog reloads when it has not seen the latest one.
        self.change_count = 0
        self.open_failed = False  # the database could not be opened: quitting exits 1
        # Meeting logs closed without saving, by pilot id: ``m`` offers each back (Workspace).
        self._meeting_drafts: dict[int | None, MeetingDraft] = {}
        # The first section's first window, fetched by the opening worker while the screen
        # composes (see ``first_window``).
        self._first_window: Page | Exception | None = None
        self._opened: PfppApp.DatabaseOpened | None = None
        # Keys typed before the database is open wait here, in order (``on_event``).
        self._held_keys: list[events.Key] | None = []
        # Modes whose screen is composed (see ``switch_mode``); set while switching to one.
        self._composed_modes: set[str] = {self.DEFAULT_MODE}
        self._switching_to_composed = False
        self.register_theme(HIGH_CONTRAST)
        provide(self, self)  # the app is its screens' ``Workspace``

    @property
    def db(self) -> Database:
        if self._db is None:
            raise PfppError("the database is not open yet")
        return self._db

    @property
    def is_open(self) -> bool:
        return self._db is not None

    @property
    def meeting_drafts(self) -> MeetingDrafts:
        return self._meeting_drafts

    async def on_load(self) -> None:
        # The database opens (and the first window loads) in a thread from the start. Wait
        # for it briefly before the first screen composes: composing beside it starves the
        # thread of the GIL (it took ~5x longer), and a section composed after it shows its
        # first rows in its very first frame. A slow database (a server, a busy disk) does
        # not keep the screen blank: after ``OPEN_WAIT_S`` the section composes anyway with
        # "Loading…", and fills in when the database is open.
        if self._first is not None:
            self._first_window = self._first.window
            return  # the first frame shows the rows read already; ``on_mount`` opens after it
        worker = self.run_worker(self._open, thread=True, exclusive=True, exit_on_error=False)
        if self.first_section in SECTIONS:
            with contextlib.suppress(TimeoutError, WorkerFailed, WorkerCancelled):
                await asyncio.wait_for(asyncio.shield(worker.wait()), OPEN_WAIT_S)
            opened = self._opened
            if opened is not None and opened.db is not None:
                self._db = opened.db  # so the section's first compose has its rows

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self.settings.problem:
            self.notify(self.settings.problem, severity="warning")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._first is not None:
            # After the first frame: loading the ORM beside it would slow it (the GIL).
            self.call_after_refresh(
                lambda: self.run_worker(self._open_beside(), group="open", exit_on_error=False)
            )
        elif self.first_section not in SECTIONS:
            self.push_screen(StartScreen())

    async def on_event(self, event: events.Event) -> None:
        """Keys typed while the database opens wait, and are handled in order once it is open
        (or could not be): a fast "2j" right after the first frame is never lost."""
        held = self._held_keys
        if (
            held is not None
            and isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key not in KEYS_NEVER_HELD
        ):
            held.append(event)
            return
        await super().on_event(event)

    async def _release_held_keys(self) -> None:
        held, self._held_keys = self._held_keys, None
        for key in held or ():
            await super().on_event(key)

    async def _open_beside(self) -> None:
        """``_open`` in a daemon thread, awaited by this (async) worker: quitting never waits
        for it (a thread worker's pool thread is joined at exit: ``process_exit``), and
        whoever waits for the app's workers waits for the database to open."""
        loop = asyncio.get_running_loop()
        opened: asyncio.Future[None] = loop.create_future()

        def settle() -> None:
            if not opened.done():
                opened.set_result(None)

        def run() -> None:
            try:
                self._open()
            finally:
                with contextlib.suppress(RuntimeError):  # the app has quit: nobody waits
                    loop.call_soon_threadsafe(settle)

        threading.Thread(target=run, name="pfpp-open", daemon=True).start()
        await opened

    def _announce(self, message: DatabaseOpened) -> None:
        self._opened = message  # read by on_load once the worker is done
        self.post_message(message)

    def _open(self) -> None:
        from pfpp_tui.store.db.database import open_database

        try:
            db = open_database(self.location)
        except PfppError as exc:
            self._announce(self.DatabaseOpened(None, str(exc)))
            return
        except Exception as exc:  # in a plain thread (first-frame path): told, never lost
            if self._first is None:
                raise
            self._announce(self.DatabaseOpened(None, f"{type(exc).__name__}: {exc}"))
            return
        section = SECTIONS.get(self.first_section)
        if section is None or self._first is not None:
            self._announce(self.DatabaseOpened(db))
            return
        # The section's first window, unfiltered in its default order, fetched here and now,
        # while the main thread has nothing to do (fetched beside the screen's composing, the
        # two fight over the GIL): the rows are there when the table first paints.
        from pfpp_tui.store.listing.browse import fetch_page

        sort, descending = section.default_sort, section.default_descending
        try:
            first: Page | Exception = fetch_page(
                db, section.key, sort=sort, descending=descending, limit=WINDOW
            )
        except Exception as exc:  # handed to the screen, which reports it as usual
            first = exc
        self._first_window = first
        self._announce(self.DatabaseOpened(db))

    def first_window(self, key: str, sort: str, descending: bool) -> Page | Exception | None:
        """The prefetched first window (or why it failed), once, if it is the one asked for."""
        first = self._first_window
        section = SECTIONS.get(self.first_section)
        if first is None or section is None or section.key != key:
            return None
        self._first_window = None
        if (sort, descending) != (section.default_sort, section.default_descending):
            return None
        return first

    async def on_pfpp_app_database_opened(self, message: DatabaseOpened) -> None:
        try:
            self._database_opened(message)
        finally:
            await self._release_held_keys()

    def _database_opened(self, message: DatabaseOpened) -> None:
        if message.db is None:
            self.open_failed = True
            error = f"[red]Cannot open the database:[/red] {message.error}\n\nPress q to quit."
            if isinstance(self.screen, StartScreen):
                self.screen.query_one("#start-message", Static).update(error)
            else:  # over the section that was waiting for it
                self.push_screen(StartScreen(error))
            return
        if message.db.read_only:
            self.notify(read_only_notice(message.db), severity="warning", timeout=10)
        # The workflow keys (m t R a h) work from now on: a key bar painted while the database
        # opened (the overview's, from the first frame) offers them now.
        self.call_later(self.refresh_bindings)
        if self._db is message.db:
            return  # taken up by on_load: the first screen composed with it
        self._db = message.db
        from pfpp_tui.tui.screens.section import SectionScreen

        screen = self.screen
        overview = self.screen_stack[0] if self.current_mode == "overview" else None
        if isinstance(screen, SectionScreen) and self.current_mode == self.first_section:
            if screen.is_mounted:  # else its on_mount loads, now that the database is open
                screen.reload()  # shows the prefetched first window at once
        elif isinstance(overview, OverviewScreen):
            overview.database_opened(message.db)  # shown from the first frame's pilots
        else:
            self.switch_section(self.first_section)

    def on_unmount(self) -> None:
        if self._db is not None:
            self._db.dispose()

    # --- navigation ----------------------------------------------------------------------

    def switch_mode(self, mode: str) -> AwaitMount:
        """Switch mode; to a section already shown, its frame comes at once.

        Textual's ``switch_mode`` holds every frame back 50 ms (``delay_update``) to hide a new
        screen composing. A mode shown before is composed and laid out: nothing to hide, and
        the hold alone was most of a section switch's time (issue 19: ≤ 50 ms key→frame).
        A mode's first switch keeps the hold.
        """
        self._switching_to_composed = mode in self._composed_modes
        try:
            return super().switch_mode(mode)
        finally:
            self._switching_to_composed = False
            self._composed_modes.add(mode)

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._switching_to_composed:  # see ``switch_mode``
            super().delay_update(delay)

    def switch_section(self, mode: str) -> None:
        if self._db is not None and self.current_mode != mode:
            self.switch_mode(mode)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("section", "workflow"):
            # On a section, the overview or a workflow screen (a text field keeps its letters);
            # leaving a screen that holds work asks first. Over a record form too: it binds the
            # section keys itself (``ModalWithAppKeys``: Textual keeps the app's keys from a
            # modal screen). Not over a dialog or a picker, whose key bar must not offer them.
            screen = self.screen
            if isinstance(screen, StartScreen):
                return False
            if isinstance(screen, ModalScreen) and not isinstance(screen, ModalWithAppKeys):
                return False
            return action == "section" or self._db is not None
        return True

    def action_section(self, mode: str) -> None:
        self.show_section(mode)

    def action_workflow(self, name: str) -> None:
        """``m`` ``t`` ``R`` ``a`` ``h``: open that workflow on what the user is looking at."""
        from pfpp_tui.tui import workflows

        getattr(workflows, f"open_{name}")(self)

    # ``Workspace``: every move below goes through the one guard, ``navigation.navigate``.

    def show_section(self, mode: str) -> None:
        from pfpp_tui.tui import navigation

        navigation.show_section(self, mode, ready=self._db is not None)

    def go_to(self, table: str, row_id: int) -> None:
        """Open a record in its section (from a link, the palette or an insight screen)."""
        from pfpp_tui.tui import navigation

        navigation.go_to(self, table, row_id, ready=self._db is not None)

    def navigate(self, then: Callable[[], object], *, leaving: Leaving) -> None:
        from pfpp_tui.tui import navigation

        navigation.navigate(self, then, leaving=leaving)

    def close(self, screen: Screen[Any], result: object = None) -> None:
        from pfpp_tui.tui import navigation

        navigation.close(self, screen, result)

    async def action_quit(self) -> None:
        """``q``, ``ctrl+q`` and the palette's Quit: at once, unless that would lose work.

        Any screen on any mode's stack holding unsaved work (a changed form, a meeting being
        logged, review decisions) is named in the one question first; keeping on editing is
        the default, ``ctrl+s`` saves the one on show and then quits (or asks about the next).
        Before the database is open no screen can hold work: quit at once (the guard and the
        screens it knows would load the ORM first).
        """
        if self._db is None:
            self._exit_now()
            return
        from pfpp_tui.tui import navigation

        self.navigate(self._exit_now, leaving=navigation.everywhere(self))

    def _exit_now(self) -> None:
        # README: a problem the user can fix (a database that cannot be opened) exits 1.
        self.exit(return_code=1 if self.open_failed else 0)

    def changed(self) -> None:
        """Data changed in this session: sections reload when next shown (see SectionScreen)."""
        self.change_count += 1

    def action_help(self) -> None:
        from pfpp_tui.tui.screens.help import HelpScreen, binding_rows

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(binding_rows(self.screen)))

    # --- undo ----------------------------------------------------------------------------

    def remember(self, batch: str, description: str) -> None:
        """A change made in this session, newest last, for ``ctrl+z``."""
        self.undo_stack.append((batch, description))
        self.changed()

    def forget(self, batch: str) -> None:
        """A change already undone another way (triage's ``u``) leaves the ``ctrl+z`` stack."""
        self.undo_stack = [entry for entry in self.undo_stack if entry[0] != batch]
        self.changed()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo in this session.")
            return
        batch, description = self.undo_stack[-1]
        db = self.db
        from pfpp_tui.store.history.undo import undo_batch
        from pfpp_tui.tui.lock_waits import telling_lock_waits

        def job() -> None:
            try:
                with telling_lock_waits(self):
                    result = undo_batch(db, batch)
            except DatabaseBusyError as exc:
                text = f"Not undone: {description} — {exc}. Ctrl+z tries again."
                self.post_message(self.Undone(text, False))
                return
            except PfppError as exc:
                self.post_message(self.Undone(f"Cannot undo {description}: {exc}", False))
                return
            self.post_message(self.Undone(undid(description, result.summary), True))

        self.run_worker(job, thread=True, group="undo", exclusive=True, exit_on_error=False)

    def on_pfpp_app_undone(self, message: Undone) -> None:
        if message.ok:
            self.undo_stack.pop()
            self.changed()
        self.notify(message.text, severity="information" if message.ok else "error")
        # The screen on show reloads now; every other section reloads when shown again
        # (``SectionScreen.on_screen_resume``), the one holding the undone record included.
        from pfpp_tui.tui.screens.section import SectionScreen
        from pfpp_tui.tui.session_undo import ShowsStoredData

        screen = self.screen
        if isinstance(screen, SectionScreen):
            screen.reload(keep_cursor=True)
        elif isinstance(screen, OverviewScreen):
            screen.refresh_all()
        elif isinstance(screen, ShowsStoredData):  # patterns, history, an agreement…
            screen.reload_after_change()

    def on_overview_panel_pilot_chosen(self, message: OverviewPanel.PilotChosen) -> None:
        self.go_to("pilot", message.pilot_id)

    def on_coverage_screen_record_chosen(self, message: CoverageScreen.RecordChosen) -> None:
        self.go_to(message.table, message.row_id)

    def on_patterns_screen_group_escalated(self, message: PatternsScreen.GroupEscalated) -> None:
        if message.outcome is not None:
            self.remember(message.batch, message.description)

    # --- settings and errors -------------------------------------------------------------

    def save_settings(self) -> None:
        try:
            save_settings(self.settings, self.settings_path)
        except OSError as exc:
            self.notify(f"Could not save settings: {exc}", severity="error")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from pfpp_tui.tui.commands import without_textual_theme

        return without_textual_theme(super().get_system_commands(screen))

    def _theme_changed(self, theme: Theme) -> None:
        if self.settings.theme != theme.name:
            self.settings.theme = theme.name
            self.save_settings()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(str(event.worker.error), title="Unexpected error", severity="error")


IMPORT_UNDONE = "Undid the import: "


def undid(description: str, summary: str) -> str:
    """The undo toast, in the words the change was remembered by ("Undid: review meeting with
    Luton, 1 decision"), not the store's rows ("creation of meeting 61 and 5 more changes");
    an import keeps the store's count of what it had added, by kind."""
    text = f"Undid: {description}"
    if summary.startswith(IMPORT_UNDONE):
        text += f" — {summary.removeprefix(IMPORT_UNDONE)}"
    return text


def run_app(location: str | None, section: str = "overview") -> int:
    """Open the workspace on the database at ``location`` (default location when None).

    Returns the exit code: 1 when the database could not be opened, else 0.
    """
    app = PfppApp(location, section=section)
    app.run()
    return app.return_code or 0
