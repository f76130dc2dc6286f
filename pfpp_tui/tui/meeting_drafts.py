"""A meeting log closed without saving, as kept for the session: ``MeetingDraft``.

Owns: the draft's fields and how it is described when offered back. The workspace keeps the
drafts (``Workspace.meeting_drafts``, by pilot id); ``screens.meeting_draft`` makes and restores
them. Its own module so that ``tui.workspace`` can name the type without importing a screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pfpp_tui.store.directory.workflow_lookup import Named
from pfpp_tui.tui.widgets.attendee_picker import Attendee
from pfpp_tui.words import counted


@dataclass
class MeetingDraft:
    """Everything typed into a meeting log that was closed without saving."""

    pilot: Named | None
    pilot_text: str
    when: str
    kind: str
    title: str
    title_edited: bool
    attendee_text: str
    notes: str
    closed_at: datetime
    attendees: list[Attendee] = field(default_factory=list)

    def describe(self) -> str:
        people = counted(len(self.attendees), "attendee")
        lines = len(self.notes.strip().splitlines())
        notes = f"{counted(lines, 'line')} of notes"
        return f"“{self.title}”: {people}, {notes}, closed at {self.closed_at:%H:%M}"
