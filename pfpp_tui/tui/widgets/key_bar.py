"""The key hint bar: a screen's keys, most important first, under their current (remapped) keys.

Owns: the hint lists (``SECTION_KEYS``, ``OVERVIEW_KEYS``, ``INSIGHT_KEYS``, ``AGREEMENT_KEYS``,
``TRIAGE_KEYS``, ``REVIEW_KEYS``, ``FORM_KEYS``: which binding ids, in which order of importance,
with which compact label) and laying them out in at most ``MAX_LINES`` lines. It never hides a
key silently: it keeps to one line (with short labels if that is enough), else wraps onto a
second, then folds groups (``1-5/0 category``) and shortens labels, and only then leaves out the
least important hints — never the sections' or the palette's (``^p commands`` reaches every
command) — and ``? Keys`` (the help screen, which lists every binding) always ends the bar.
Keys are read from the screen's active bindings, so a ``[keymap]`` remap shows at once. It
replaces Textual's ``Footer``, which recomposes a widget per binding on every focus change
(measured as most of the time to first paint) and cuts off what does not fit.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.markup import escape
from textual.geometry import Size
from textual.widget import Widget

MAX_LINES = 2
GAP = "  "
HELP = "app.help"  # always last: the full list of keys


@dataclass(frozen=True)
class Hint:
    """One entry of the bar: a binding id, or several shown as one (``1-5/0 category``).

    An id ending in ``*`` stands for every binding whose id starts with the rest, in the
    screen's binding order. ``expand``: with room, a group shows each member with its own
    description (``1 Structure  2 Priorities …``) instead of one folded hint.
    """

    ids: tuple[str, ...]
    label: str = ""  # "": the binding's description
    short: str = ""  # at narrow widths; "": ``label``
    expand: bool = False
    keep: bool = False  # never left out: the palette and the sections, the ways elsewhere


def key(ident: str, label: str = "", short: str = "", *, keep: bool = False) -> Hint:
    return Hint((ident,), label, short, keep=keep)


def group(*ids: str, label: str, expand: bool = False, keep: bool = False) -> Hint:
    return Hint(ids, label, expand=expand, keep=keep)


SECTIONS = group(
    "section.overview", "section.pilots", "section.people", "section.organisations",
    "section.meetings", "section.actions", "section.barriers", label="sections", keep=True,
)  # fmt: skip
PALETTE = key("app.palette", "commands", keep=True)

# The section's own record keys, then the workflows, undo, and the way around.
SECTION_KEYS = (
    key("section.filter"), key("record.open"), key("record.new"), key("record.edit"),
    key("record.delete"), key("record.history"), key("workflow.log-meeting"),
    key("workflow.triage"), key("workflow.review"), key("workflow.agreement"),
    key("section.toggle-teams", short="Teams"), key("app.undo"), key("table.sort"),
    SECTIONS, PALETTE,
)  # fmt: skip

# The overview: at 80 columns its heat map and charts are below the table, a page away.
OVERVIEW_KEYS = (key("overview.page-down", "more below", short="more"), *SECTION_KEYS)

# The insight screens (coverage, barrier patterns): their own keys, then the workflows on the
# pilot under the cursor, undo and the way around.
INSIGHT_KEYS = (
    key("coverage.teams"), key("patterns.escalate", short="Escalate"), key("coverage.refresh"),
    key("patterns.refresh"), key("coverage.back"), key("patterns.back"),
    key("workflow.log-meeting"), key("workflow.review"), key("workflow.agreement"),
    key("record.history"), key("app.undo"), PALETTE,
)  # fmt: skip

# A pilot's agreement: reading and editing it, then the workflows on the same pilot.
AGREEMENT_KEYS = (
    key("agreement.edit"), key("agreement.versions"), key("agreement.save"),
    key("agreement.close"), key("workflow.log-meeting"), key("workflow.triage"),
    key("workflow.review"), key("record.history"), key("app.undo"), PALETTE,
)  # fmt: skip

# Decisions first (the contract keys of issue 7), then undo and close.
TRIAGE_KEYS = (
    group("triage.category-*", label="category", expand=True),
    group("triage.severity-*", label="severity", expand=True),
    key("triage.mark-triaged", short="Triaged"), key("triage.skip"),
    key("triage.assign-owner"), key("triage.escalate"), key("triage.snooze"),
    key("triage.duplicate-of", short="Dup"), key("triage.resolve"), key("triage.accept"),
    key("triage.undo"), key("triage.close"), PALETTE,
)  # fmt: skip

# Decisions on the item, then save and close, then moving through the agenda.
REVIEW_KEYS = (
    key("review.done"), key("review.reassign", short="Owner"), key("review.snooze"),
    key("review.new-due-date", short="Due"), key("review.escalate"), key("review.resolve"),
    key("review.add-decision"), key("review.undo"), key("review.save", short="Save"),
    key("review.close"), group("review.next", "review.previous", label="move"), PALETTE,
)  # fmt: skip


# The record form: save and cancel, then the way elsewhere (in a text field the section keys,
# q and ? are letters, so they show only while focus is on a choice, a tick list or a button).
FORM_KEYS = (
    key("form.save"), key("form.cancel"), SECTIONS, key("app.quit"), PALETTE,
)  # fmt: skip


@dataclass(frozen=True)
class Shown:
    """A hint resolved against the screen's bindings: what to print for it."""

    keys: tuple[str, ...]  # one displayed key per member binding
    label: str
    short: str
    members: tuple[tuple[str, str], ...] = ()  # (key, description) when it can expand
    ids: tuple[str, ...] = ()  # the binding ids behind it (the help screen lists them)
    keep: bool = False  # left out last of all (see ``Hint.keep``)

    def folded(self, *, short: bool) -> tuple[str, str]:
        return fold_keys(self.keys), self.short if short else self.label


def fold_keys(keys: tuple[str, ...]) -> str:
    """``1 2 3 4 5 0`` → ``1-5/0``; runs of three or more consecutive characters fold."""
    parts: list[str] = []
    run: list[str] = []
    for k in (*keys, ""):
        if run and len(k) == 1 and len(run[-1]) == 1 and ord(k) == ord(run[-1]) + 1:
            run.append(k)
            continue
        if run:
            parts.append(f"{run[0]}-{run[-1]}" if len(run) >= 3 else "/".join(run))
        run = [k] if k else []
    return "/".join(parts)


def wrap(items: list[tuple[str, str]], width: int) -> list[list[tuple[str, str]]]:
    """Greedy wrap of ``key label`` items into lines of ``width`` cells, gaps included."""
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0
    for item in items:
        size = cell_len(f"{item[0]} {item[1]}" if item[1] else item[0])
        if lines[-1] and used + len(GAP) + size > width:
            lines.append([])
            used = 0
        used += size + (len(GAP) if lines[-1] else 0)
        lines[-1].append(item)
    return lines


def lay_out(hints: list[Shown], help_item: tuple[str, str] | None, width: int) -> list[str]:
    """The bar's lines: the most detail that fits in ``MAX_LINES``, then the fewest hints."""

    def items(chosen: list[Shown], *, expand: bool, short: bool) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for hint in chosen:
            if expand and hint.members:
                out.extend(hint.members)
            else:
                out.append(hint.folded(short=short))
        return [*out, help_item] if help_item else out

    # Fewer lines first, but a folded group or a left-out key only when two lines are full:
    # short labels say the same, a folded group drops the members' names.
    tries = [
        (items(hints, expand=True, short=False), 1),
        (items(hints, expand=True, short=True), 1),
        (items(hints, expand=True, short=False), MAX_LINES),
        (items(hints, expand=True, short=True), MAX_LINES),
        (items(hints, expand=False, short=False), MAX_LINES),
        (items(hints, expand=False, short=True), MAX_LINES),
    ]
    # Then the least important (the last) go, but never a kept one (the palette).
    droppable = [i for i, hint in enumerate(hints) if not hint.keep]
    for n in range(len(droppable) - 1, -1, -1):
        gone = set(droppable[n:])
        chosen = [hint for i, hint in enumerate(hints) if i not in gone]
        tries.append((items(chosen, expand=False, short=True), MAX_LINES))
    for attempt, most in tries:
        lines = wrap(attempt, width)
        if len(lines) <= most:
            break
    return [GAP.join(marked(k, text) for k, text in line) for line in lines[:MAX_LINES]]


def matching(pattern: str, ids: list[str]) -> list[str]:
    """``pattern`` itself, or for ``prefix*`` every id in ``ids`` that starts with the prefix."""
    if not pattern.endswith("*"):
        return [pattern]
    return [i for i in ids if i.startswith(pattern[:-1])]


def marked(key_text: str, label: str) -> str:
    shown = f"[b]{escape(key_text)}[/b]"
    return f"{shown} {escape(label)}" if label else shown


class KeyBar(Widget):
    """The hints of ``hints`` that are active on its screen, in one or two lines.

    Renders when painted, at its painted width; it asks for a layout pass only when a bindings
    change or a resize changes its number of lines (otherwise it just repaints).
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; width: 1fr; height: auto; max-height: 2; background: $panel;
        color: $text-muted; padding: 0 1;
    }
    """

    def __init__(self, hints: tuple[Hint, ...] = SECTION_KEYS, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hints = hints
        self._state: tuple[object, ...] = ()
        self._lines: list[str] = []  # for ``_state``
        self._shown: list[str] = []  # as last painted

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self.update_keys()

    def update_keys(self) -> None:
        """Re-read the screen's active bindings (after focus moves or a keymap change)."""
        lines = self.lines()
        if lines != self._shown:
            self.refresh(layout=len(lines) != len(self._shown))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width)) if width else 1

    def render(self) -> str:
        self._shown = self.lines()
        return "\n".join(self._shown)

    def markup(self, width: int | None = None) -> str:
        """The bar as markup, lines joined by newlines (at ``width`` cells, else its own)."""
        return "\n".join(self.lines(width))

    def lines(self, width: int | None = None) -> list[str]:
        """The bar's lines for the screen's active bindings, at ``width`` or the current width."""
        room = width if width is not None else self.content_size.width or 10**6
        shown, help_item = self.resolve()
        state = (tuple(shown), help_item, room)
        if state == self._state:  # asked on every focus move, resize and layout: often unchanged
            return self._lines
        self._state = state
        self._lines = lay_out(shown, help_item, room)
        return self._lines

    def resolve(self) -> tuple[list[Shown], tuple[str, str] | None]:
        """Each hint with at least one active, enabled binding, and the help key."""
        found: dict[str, tuple[str, str]] = {}  # id -> (displayed key, description)
        typed: dict[str, str] = {}  # id -> the key shown for it: of ``j,down`` the j
        order: list[str] = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.id or not active.enabled:
                continue
            if binding.id not in found:
                order.append(binding.id)
            elif len(binding.key) >= len(typed[binding.id]):
                continue
            found[binding.id] = (self.app.get_key_display(binding), binding.description)
            typed[binding.id] = binding.key
        shown: list[Shown] = []
        for hint in self.hints:
            ids = [i for pattern in hint.ids for i in matching(pattern, order) if i in found]
            if not ids:
                continue
            label = hint.label or found[ids[0]][1]
            members = tuple(found[i] for i in ids) if hint.expand else ()
            keys = tuple(found[i][0] for i in ids)
            shown.append(
                Shown(keys, label, hint.short or label, members, tuple(ids), keep=hint.keep)
            )
        help_item = (found[HELP][0], found[HELP][1]) if HELP in found else None
        return shown, help_item
