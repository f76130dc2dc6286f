"""The palette (``ctrl+p``): Go to, New …, Export, Import: contacts, Insight:, Theme:, View:.

Owns: turning what the user types into palette hits (ranked by ``title_rank``: an exact title,
then titles starting with what was typed, then fuzzy matches; records shown with their kind,
"Pilot · Durham"), and which of Textual's own system
commands (Quit, Keys, Screenshot…) stay beside them (``without_textual_theme``). "Go to"
searches every kind of record by fuzzy name through ``store.listing.browse.search_records`` off the
event loop (``asyncio.to_thread``); the other commands are a fixed list matched with
Textual's fuzzy matcher. Each command calls back into the workspace or the current section
screen, and every one that opens a screen goes through ``navigation`` (guarded: work on show is
asked about first); nothing here touches the database directly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

from pfpp_tui.errors import PfppError
from pfpp_tui.exporters.base import ExportFormat
from pfpp_tui.shapes.table import Entity
from pfpp_tui.store.listing.browse import SECTIONS, Choice, search_records
from pfpp_tui.tui import workflows
from pfpp_tui.tui.navigation import cover
from pfpp_tui.tui.screens.dialogs import PromptScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen, Saved
from pfpp_tui.tui.screens.section import SectionScreen, record_saved
from pfpp_tui.tui.workspace import Workspace, workspace

GO_TO_TABLES = ("pilot", "contact", "organisation", "team", "meeting", "action", "barrier")
NOUNS = {s.table: s.noun for s in SECTIONS.values()}
THEMES = {"dark": "textual-dark", "light": "textual-light", "high contrast": "pfpp-high-contrast"}
TEXTUAL_THEME_COMMAND = "Theme"  # Textual's system command that opens its own theme picker


def without_textual_theme(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's system commands less its "Theme" picker (``PfppApp.get_system_commands``).

    The palette listed two ways to change the theme. Ours stay: "Theme: dark", "Theme: light"
    and "Theme: high contrast" are the themes ``app.tcss`` is made for, named as the README
    names them, one keystroke each; Textual's picker offered every built-in theme by its
    internal name ("textual-ansi", "pfpp-high-contrast"). Both were remembered alike.
    """
    return (command for command in commands if command.title != TEXTUAL_THEME_COMMAND)


def article(noun: str) -> str:
    """``noun`` with "a" or "an": "an organisation", "an action", "a person"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


class PfppCommands(Provider):
    @property
    def workspace(self) -> Workspace:
        return workspace(self.app)

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        commands: list[tuple[str, Callable[[], object], str]] = []
        for table in GO_TO_TABLES:
            commands.append((f"New {NOUNS[table]}", partial(self._new, table),
                             f"Add {article(NOUNS[table])} in a form"))  # fmt: skip
        for label, name in THEMES.items():
            commands.append((f"Theme: {label}", partial(setattr, app, "theme", name),
                             "Switch colours (remembered)"))  # fmt: skip
        commands.append(("Import: contacts from file…", self._import,
                         "CSV, XLSX or vCard: a dry run first, then confirm"))  # fmt: skip
        commands.append(("Insight: coverage", partial(workflows.open_coverage, app),
                         "Pilots by departments: who has not met a place lately"))  # fmt: skip
        commands.append(("Insight: barrier patterns", partial(workflows.open_patterns, app),
                         "The same barrier in many places: escalate a group at once"))  # fmt: skip
        commands.append(("Workflow: log a meeting", partial(workflows.open_meeting_log, app),
                         "The quick meeting log (m)"))  # fmt: skip
        commands.append(("Workflow: triage barriers", partial(workflows.open_triage, app),
                         "New barriers one at a time (t)"))  # fmt: skip
        # The export and import machinery (formats, the contact import) loads with the palette,
        # not with the app: the first frame needs none of it.
        from pfpp_tui.tui.transfer import ENTITY_LABELS, SECTION_ENTITIES, formats_for

        section = self._section()
        current = SECTION_ENTITIES.get(section.section.key) if section else None
        for entity in ENTITY_LABELS:
            for fmt in formats_for(entity):
                about = "Asks for a path; " + (
                    "with the current filter" if entity is current else "all records"
                )
                title = f"Export: {ENTITY_LABELS[entity]} as {fmt.value.upper()}"
                commands.append((title, partial(self._export, entity, fmt), about))
        if section is not None:
            key = section.section.key
            about = f"Save the current filter of {section.section.title} by name"
            commands.append(("View: save", self._save_view, about))
            for name, text in sorted(self.workspace.settings.views.get(key, {}).items()):
                commands.append((f"View: open {name}", partial(section.apply_filter, text),
                                 f"Filter: {text}"))  # fmt: skip
                commands.append((f"View: delete {name}", partial(self._delete_view, key, name),
                                 "Forget this saved view"))  # fmt: skip
        return commands

    def _section(self) -> SectionScreen | None:
        """The section the palette was opened over (``self.screen``), if any."""
        screen = self.screen
        return screen if isinstance(screen, SectionScreen) else None

    def _new(self, table: str) -> None:
        app = self.app

        def saved(record: Saved | None) -> None:
            if record is not None:  # the section on show reloads as it is shown again
                record_saved(app, NOUNS[table], record)

        db = self.workspace.db
        cover(app, lambda: RecordFormScreen(db, table), saved)

    def _save_view(self) -> None:
        app, ws = self.app, self.workspace
        section = self._section()
        if section is None:
            return
        key, text = section.section.key, section.filter_text

        def save(name: str | None) -> None:
            if name:
                ws.settings.save_view(key, name, text)
                ws.save_settings()
                app.notify(f"Saved view “{name}”: {text or '(no filter)'}")

        cover(app, lambda: PromptScreen(f"Name this view ({text or 'no filter'}):"), save)

    def _export(self, entity: Entity, fmt: ExportFormat) -> None:
        from pfpp_tui.tui.transfer import (
            ENTITY_LABELS,
            SECTION_ENTITIES,
            default_export_path,
            export_entity,
        )

        app: App[Any] = self.app
        section = self._section()
        current = SECTION_ENTITIES.get(section.section.key) if section else None
        text = section.filter_text if section is not None and current is entity else ""
        db = self.workspace.db

        def chosen(path: str | None) -> None:
            if not path:
                return

            def job() -> None:
                try:
                    count = export_entity(db, entity, fmt, Path(path), filter_text=text)
                except (PfppError, OSError) as exc:
                    app.call_from_thread(app.notify, f"Export failed: {exc}", severity="error")
                    return
                app.call_from_thread(app.notify, f"Exported {count} {ENTITY_LABELS[entity]} "
                                     f"to {path}")  # fmt: skip

            app.run_worker(job, thread=True, group="export", exclusive=True, exit_on_error=False)

        question = f"Export {ENTITY_LABELS[entity]} as {fmt.value.upper()} to:"
        if text:
            question += f" (filter: {text})"
        cover(app, lambda: PromptScreen(question, default_export_path(entity, fmt)), chosen)

    def _import(self) -> None:
        app = self.app

        def chosen(path: str | None) -> None:
            if path:  # the import joins ctrl+z: the section on show reloads as it is shown again
                from pfpp_tui.tui.screens.import_flow import ImportScreen

                app.push_screen(ImportScreen(Path(path)))

        cover(app, lambda: PromptScreen("Import contacts from file (CSV, XLSX, vCard):"), chosen)

    def _delete_view(self, key: str, name: str) -> None:
        self.workspace.settings.delete_view(key, name)
        self.workspace.save_settings()

    async def discover(self) -> Hits:
        for title, command, help_text in self._commands():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                rank = title_rank(query, title, score)
                yield Hit(rank, matcher.highlight(title), command, help=help_text)
        text = query.lower().removeprefix("go to").strip()
        if len(text) < 2:
            return
        for choice in await asyncio.to_thread(self._find, text):
            title = record_title(choice)
            yield Hit(
                title_rank(text, choice.label, choice.score / 100),
                title,
                partial(self.workspace.go_to, choice.table, choice.id),
                text=title,
                help=f"Go to this {NOUNS[choice.table]}",
            )

    def _find(self, text: str) -> list[Choice]:
        db = self.workspace.db
        found: list[Choice] = []
        for table in GO_TO_TABLES:
            found.extend(search_records(db, table, text, limit=4, candidates=100))
        return sorted(found, key=lambda c: -title_rank(text, c.label, c.score / 100))[:12]


EXACT, PREFIX, FUZZY_CEILING = 1.0, 0.98, 0.9


def title_rank(typed: str, title: str, fuzzy: float) -> float:
    """A palette hit's place: the title typed exactly first, then titles that start with what
    was typed (the shorter first), then fuzzy matches (``fuzzy`` from 0 to 1), which never outrank
    either — a record called "Durham" comes before "Durham Road meeting" and "Dunham"."""
    typed, title = " ".join(typed.casefold().split()), " ".join(title.casefold().split())
    if typed and title == typed:
        return EXACT
    if typed and title.startswith(typed):
        return PREFIX - 0.001 * min(len(title) - len(typed), 50)
    return min(max(fuzzy, 0.0), 1.0) * FUZZY_CEILING


def record_title(choice: Choice) -> str:
    """A record as the palette lists it, its kind first: "Pilot · Durham"."""
    return f"{NOUNS[choice.table].capitalize()} · {choice.label}"
