"""Words shared by the CLI and the TUI: counted nouns ("1 attendee", "2 attendees").

Owns: ``counted`` and ``noun_for`` — the one plural helper; no "(s)" and no "1 barriers"
anywhere a user reads. Pure: imports nothing of the app, so every floor may use it.
"""

from __future__ import annotations

# Nouns the rules below would get wrong.
_IRREGULAR = {"person": "people", "child": "children", "analysis": "analyses"}


def plural_of(noun: str) -> str:
    """English plural of a (last) word: barrier → barriers, entry → entries, match → matches."""
    head, _, last = noun.rpartition(" ")
    lower = last.lower()
    if lower in _IRREGULAR:
        word = _IRREGULAR[lower]
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        word = last[:-1] + "ies"
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        word = last + "es"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def noun_for(count: int, noun: str, plural: str | None = None) -> str:
    """``noun`` or its plural, as ``count`` needs (the number left to the caller)."""
    return noun if count == 1 else (plural or plural_of(noun))


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """The count and the noun agreeing: ``counted(1, "attendee")`` → "1 attendee",
    ``counted(1200, "row")`` → "1,200 rows". ``plural`` for a phrase the rules miss."""
    return f"{count:,} {noun_for(count, noun, plural)}"


def import_line(
    file: object, added: int, updated: int, unchanged: int, refused: int, *, done: bool
) -> str:
    """One file's import summary, the same in the CLI and the TUI.

    ``done``: it was written ("2 added, 1 updated, …"). Otherwise (a dry run, or an import
    refused as a whole, which writes nothing) it says what would be: "would add 2, update 1, …".
    """
    if done:
        return f"{file}: {added} added, {updated} updated, {unchanged} unchanged, {refused} refused"
    return (
        f"{file}: would add {added}, update {updated}, leave {unchanged} unchanged; "
        f"{refused} refused"
    )
