"""The notes marker parser: examples of every marker, owner resolution, and properties."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pfpp_tui.models import BarrierCategory
from pfpp_tui.notes_markers import (
    TITLE_MAX,
    ItemKind,
    OwnerCandidate,
    OwnerStatus,
    match_owner,
    parse_notes,
    resolve_owners,
)

# A Wednesday.
TODAY = date(2026, 3, 11)

PEOPLE = [
    OwnerCandidate(1, "Ada", "Okafor", "ada.okafor@ho.example"),
    OwnerCandidate(2, "Ben", "Shah", "ben.shah@luton.example"),
    OwnerCandidate(3, "Bea", "Shah", "bea.shah@dwp.example"),
    OwnerCandidate(4, "Cara", "Jones", "cara@example.org"),
]

NOTES = """Check-in with Luton.
- [ ] Send the data-sharing agreement @okafor due:fri
* [x] Circulate the slides @ben.shah
[ ] Book the next session due:+2w
! No single contact for street culture in Home Office #structure
! Grants are too small
= Agreed to pool the two grants
==========
Plain line with ada@ho.example in it.
"""


def test_every_marker_is_read() -> None:
    preview = parse_notes(NOTES, today=TODAY)
    assert [i.kind for i in preview.items] == [
        ItemKind.ACTION,
        ItemKind.ACTION,
        ItemKind.ACTION,
        ItemKind.BARRIER,
        ItemKind.BARRIER,
        ItemKind.DECISION,
    ]
    first, second, third = preview.actions
    assert first.title == "Send the data-sharing agreement"
    assert first.owner_token == "okafor"
    assert first.due == date(2026, 3, 13)
    assert first.line == 2
    assert second.done and second.owner_token == "ben.shah" and second.due is None
    assert third.due == date(2026, 3, 25) and third.owner_token is None
    structure, other = preview.barriers
    assert structure.category is BarrierCategory.STRUCTURE
    assert structure.title == "No single contact for street culture in Home Office"
    assert other.category is BarrierCategory.OTHER
    assert preview.decisions[0].title == "Agreed to pool the two grants"


def test_category_tags_and_unknown_hashtags() -> None:
    preview = parse_notes("! a #data\n! b #Funding\n! c #NHS is slow #culture\n! d #priorities")
    cats = [b.category for b in preview.barriers]
    assert cats == [
        BarrierCategory.DATA_SHARING,
        BarrierCategory.FUNDING,
        BarrierCategory.CULTURE,
        BarrierCategory.PRIORITIES,
    ]
    assert preview.barriers[2].title == "c #NHS is slow"


def test_owners_resolve_exactly_fuzzily_or_are_flagged() -> None:
    assert match_owner("okafor", PEOPLE).contact_id == 1
    assert match_owner("Ada.Okafor", PEOPLE).contact_id == 1
    assert match_owner("ada.okafor@ho.example", PEOPLE).contact_id == 1
    assert match_owner("okafr", PEOPLE).contact_id == 1  # a typo, still one clear match
    shah = match_owner("shah", PEOPLE)
    assert shah.status is OwnerStatus.AMBIGUOUS
    assert shah.alternatives == ("Bea Shah", "Ben Shah")
    assert match_owner("nobody", PEOPLE).status is OwnerStatus.UNKNOWN


def test_attendees_are_preferred_over_everyone_else() -> None:
    people = [*PEOPLE[:2], OwnerCandidate(3, "Bea", "Shah", preferred=True)]
    assert match_owner("shah", people).contact_id == 3


def test_problems_block_saving_and_name_their_line() -> None:
    text = "- [ ] Chase @shah due:someday\n- [ ] @okafor\n=\n! #funding"
    preview = resolve_owners(parse_notes(text, today=TODAY), PEOPLE)
    problems = preview.problems
    assert "line 1: due:someday is not a date I understand" in problems
    assert any(p.startswith("line 1: @shah is ambiguous") for p in problems)
    assert "line 2: action has no text" in problems
    assert "line 3: decision has no text" in problems
    assert "line 4: barrier has no text" in problems


def test_unresolved_preview_reports_owner_not_checked() -> None:
    preview = parse_notes("- [ ] x @okafor")
    assert preview.problems == ("line 1: owner @okafor not checked yet",)
    resolved = resolve_owners(preview, PEOPLE)
    assert resolved.problems == ()
    assert resolved.owner_id(resolved.actions[0]) == 1
    assert resolved.summary_lines() == ["action: x · owner Ada Okafor"]


def test_long_titles_are_shortened_with_the_full_text_kept() -> None:
    body = "word " * 100
    item = parse_notes(f"- [ ] {body}").actions[0]
    assert len(item.title) == TITLE_MAX and item.title.endswith("…")
    assert item.detail == body.strip()


def test_summary_lines_show_problems_last() -> None:
    preview = resolve_owners(parse_notes(NOTES, today=TODAY), PEOPLE)
    lines = preview.summary_lines()
    assert lines[0] == "action: Send the data-sharing agreement · owner Ada Okafor · due 2026-03-13"
    assert lines[3] == "barrier [structure]: No single contact for street culture in Home Office"
    assert lines[-1] == "decision: Agreed to pool the two grants"


MARKERS = st.sampled_from(["- [ ] ", "[x] ", "! ", "= ", "* ", "", "@", "due:", "#", "#data "])
LINE = st.builds(lambda m, t: m + t, MARKERS, st.text(max_size=60))


@settings(max_examples=300)
@given(st.text(max_size=400))
def test_any_text_gives_a_preview(text: str) -> None:
    preview = resolve_owners(parse_notes(text, today=TODAY), PEOPLE)
    assert len(preview.items) <= len(text.splitlines())
    assert isinstance(preview.summary_lines(), list)


@settings(max_examples=300)
@given(st.lists(LINE, max_size=12), st.dates())
def test_marker_heavy_text_gives_a_preview(lines: list[str], today: date) -> None:
    preview = resolve_owners(parse_notes("\n".join(lines), today=today), PEOPLE)
    for item in preview.items:
        assert len(item.title) <= TITLE_MAX
        assert "\n" not in item.title
        if item.kind is not ItemKind.ACTION:
            assert item.due is None
    for problem in preview.problems:
        assert problem.startswith("line ")


def test_replace_owner_markers_takes_out_only_the_chosen_owners() -> None:
    from pfpp_tui.notes_markers import replace_owner_markers

    notes = (
        "Met @olund in the corridor.\n"
        "- [ ] Send the DSA @Ölund, due:fri\n"
        "- [ ] Book the room @berg\n"
        "! No data map @ölund #data"
    )
    out = replace_owner_markers(notes, lambda token: token.casefold() == "ölund", "[gone]")
    assert out.splitlines() == [
        "Met @olund in the corridor.",  # prose: not a marker, never resolved
        "- [ ] Send the DSA [gone], due:fri",
        "- [ ] Book the room @berg",
        "! No data map [gone] #data",
    ]
