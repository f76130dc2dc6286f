"""Section listings, paging, sorting, filters, counts, detail links and fuzzy look-up."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pfpp_tui.errors import NotFoundError
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.listing.browse import (
    SECTIONS,
    count_rows,
    fetch_page,
    labels_for,
    overview_counts,
    position_of,
    search_records,
)
from pfpp_tui.store.listing.browse_links import record_detail
from pfpp_tui.store.listing.query import QueryError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from seed import TODAY, Seeded, seed_programme  # type: ignore[import-not-found]


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[Database, Seeded]]:
    database = open_database(tmp_path / "t.db")
    yield database, seed_programme(database)
    database.dispose()


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_every_section_lists_and_counts(seeded: tuple[Database, Seeded], section: str) -> None:
    db, _ = seeded
    page = fetch_page(db, section, limit=50)
    assert len(page.rows) == count_rows(db, section) > 0
    assert all(len(r.cells) == len(SECTIONS[section].columns) for r in page.rows)
    for column in SECTIONS[section].columns:
        fetch_page(db, section, sort=column.key, descending=True)


def test_paging_returns_only_the_window(db: Database) -> None:
    for n in range(25):
        create_record(db, table="pilot", values={"name": f"Place {n:02d}"},
                      source=ChangeSource.TUI)  # fmt: skip
    page = fetch_page(db, "pilots", offset=10, limit=5)
    assert [r.cells[0] for r in page.rows] == [f"Place {n:02d}" for n in range(10, 15)]
    back = fetch_page(db, "pilots", offset=0, limit=3, descending=True)
    assert [r.cells[0] for r in back.rows] == ["Place 24", "Place 23", "Place 22"]


DUES = (None, date(2026, 3, 1), None, date(2026, 1, 5), date(2026, 3, 1), None,
        date(2026, 2, 9), None)  # fmt: skip


@pytest.mark.parametrize("descending", [False, True])
def test_blank_due_dates_sort_last_and_page_cleanly(any_db: Database, descending: bool) -> None:
    """Soonest due first, undated at the end (reversed: latest first, undated still last), the
    same on both engines; windows smaller than the listing neither repeat nor skip a row where
    dated rows give way to undated ones, and position_of agrees with the listing."""
    ids = [
        create_record(any_db, table="action", values={"title": f"A{n}", "due_date": due},
                      source=ChangeSource.TUI).id
        for n, due in enumerate(DUES)
    ]  # fmt: skip
    dated = sorted((due, row_id) for row_id, due in zip(ids, DUES, strict=True) if due)
    undated = [row_id for row_id, due in zip(ids, DUES, strict=True) if due is None]
    if descending:
        dated.reverse()
        undated.reverse()
    expected = [row_id for _, row_id in dated] + undated
    listed: list[int] = []
    for offset in range(0, len(ids) + 3, 3):
        page = fetch_page(any_db, "actions", sort="due", descending=descending,
                          offset=offset, limit=3)  # fmt: skip
        listed += [r.id for r in page.rows]
    assert listed == expected
    whole = fetch_page(any_db, "actions", sort="due", descending=descending, limit=100)
    assert [r.cells[3] == "" for r in whole.rows] == [False] * 4 + [True] * 4
    positions = [position_of(any_db, "actions", i, sort="due", descending=descending) for i in ids]
    assert positions == [expected.index(i) for i in ids]


def test_filter_uses_query_language(seeded: tuple[Database, Seeded]) -> None:
    db, s = seeded
    rows = fetch_page(db, "contacts", filter_text="pilot:luton").rows
    assert {r.id for r in rows} == {s.ids["patel"], s.ids["jones"]}
    assert count_rows(db, "contacts", filter_text='org:"business, energy"') == 0
    assert [r.id for r in fetch_page(db, "actions", filter_text="due:overdue").rows] == [
        s.ids["overdue"]
    ]
    assert count_rows(db, "teams", filter_text="town centres") == 1
    with pytest.raises(QueryError):
        fetch_page(db, "contacts", filter_text="severity:high")


def test_directory_finds_who_works_on_topic_in_place(seeded: tuple[Database, Seeded]) -> None:
    db, s = seeded
    rows = fetch_page(db, "contacts", filter_text="anti-social pilot:luton").rows
    assert [r.id for r in rows] == [s.ids["patel"]]
    name, org, team, _role, _email, last_met = rows[0].cells
    assert (name, org, team) == ("Asha Patel", "HO", "Anti-social Behaviour Unit")
    assert last_met.startswith(TODAY.replace(day=1).isoformat()[:4])


def test_overdue_action_is_marked(seeded: tuple[Database, Seeded]) -> None:
    db, s = seeded
    rows = {r.id: r for r in fetch_page(db, "actions").rows}
    assert rows[s.ids["overdue"]].cells[3].startswith("! ")
    assert not rows[s.ids["done"]].cells[3].startswith("!")  # done is never overdue


def test_overview_counts(seeded: tuple[Database, Seeded]) -> None:
    db, _ = seeded
    counts = overview_counts(db)
    assert counts.counts["contacts"] == 3
    assert (counts.open_actions, counts.overdue_actions, counts.open_barriers) == (2, 1, 1)


def test_position_of_in_id_order(seeded: tuple[Database, Seeded]) -> None:
    db, s = seeded
    assert position_of(db, "actions", s.ids["later"]) == 1  # newest first
    assert position_of(db, "pilots", s.ids["luton"]) == 1  # Hackney, Luton
    assert position_of(db, "pilots", s.ids["luton"], descending=True) == 0
    assert position_of(db, "contacts", s.ids["okafor"], sort="name") == 2
    assert position_of(db, "pilots", 999) is None


def test_contact_detail_links(seeded: tuple[Database, Seeded]) -> None:
    db, s = seeded
    detail = record_detail(db, "contact", s.ids["patel"])
    assert detail.title == "Asha Patel"
    groups = {g.title: g for g in detail.groups}
    assert groups["Organisation"].items[0].label == "Home Office"
    assert groups["Team"].items[0].id == s.ids["asb_team"]
    assert groups["Pilots"].items[0].label.startswith("Luton")
    assert groups["Meetings attended"].total == 1
    assert groups["Actions owned"].items[0].label.startswith("! Send")


def test_pilot_detail_orders_overdue_first(seeded: tuple[Database, Seeded]) -> None:
    db, s = seeded
    groups = {g.title: g for g in record_detail(db, "pilot", s.ids["luton"]).groups}
    assert [i.id for i in groups["Open actions"].items] == [s.ids["overdue"], s.ids["later"]]
    assert groups["Partners"].total == 2
    assert groups["Barriers"].items[0].label.startswith("Data sharing: ")
    assert "250000" in groups["Funding"].items[0].label


def test_organisation_detail(seeded: tuple[Database, Seeded]) -> None:
    db, s = seeded
    groups = {g.title: g for g in record_detail(db, "organisation", s.ids["desnz"]).groups}
    assert "Business, Energy" in groups["Former names"].items[0].label
    ho = {g.title: g for g in record_detail(db, "organisation", s.ids["home_office"]).groups}
    assert ho["Barriers escalated here"].items[0].id == s.ids["barrier"]
    assert ho["Teams"].total == ho["People"].total == 1


@pytest.mark.parametrize(
    ("table", "key", "expected"),
    [
        ("team", "asb_team", {"Organisation": ["home_office"], "People": ["patel"]}),
        ("meeting", "board", {"Pilot": ["luton"], "Attendees": ["jones", "patel"]}),
        ("action", "done", {"Owner": ["jones"], "Pilot": ["luton"]}),
        ("barrier", "barrier", {"Pilot": ["luton"], "Escalated to": ["home_office"]}),
    ],
)
def test_other_details(
    seeded: tuple[Database, Seeded], table: str, key: str, expected: dict[str, list[str]]
) -> None:
    """Each kind of record links to the records it names, by id, under the right heading."""
    db, s = seeded
    groups = {g.title: g for g in record_detail(db, table, s.ids[key]).groups}
    for title, keys in expected.items():
        assert sorted(i.id for i in groups[title].items) == sorted(s.ids[k] for k in keys), title
        assert groups[title].total == len(keys), title


def test_detail_of_missing_record(db: Database) -> None:
    with pytest.raises(NotFoundError):
        record_detail(db, "pilot", 999)


def test_fuzzy_search_and_labels(seeded: tuple[Database, Seeded]) -> None:
    db, s = seeded
    found = search_records(db, "contact", "asha patl")
    assert found[0].id == s.ids["patel"]
    assert search_records(db, "organisation", "home")[0].label == "Home Office (HO)"
    assert search_records(db, "team", "")[0].label.endswith("HO")
    assert labels_for(db, "pilot", [s.ids["luton"]]) == {s.ids["luton"]: "Luton"}
    assert search_records(db, "meeting", "board")[0].label.endswith("Luton town-centre board")


def test_go_to_finds_the_best_match_beyond_the_first_candidates(db: Database) -> None:
    """Whole words narrow first: 400 near-namesakes created earlier cannot crowd it out."""
    from pfpp_tui.models import ChangeSource
    from pfpp_tui.store.db.records import insert_row

    with db.write(source=ChangeSource.CLI) as session:
        for i in range(400):
            insert_row(session, "contact", {"first_name": "Alex", "last_name": f"Smith{i}"})
        insert_row(session, "contact", {"first_name": "Alex", "last_name": "Smithson"})
    found = search_records(db, "contact", "alex smithson", candidates=300)
    assert found[0].label.startswith("Alex Smithson")


def test_vocabulary_cells_and_fields_show_labels_but_filter_and_sort_on_stored_values(
    seeded: tuple[Database, Seeded],
) -> None:
    db, s = seeded
    busy = create_record(
        db, table="action", values={"title": "Chase DSA", "status": "in_progress"},
        source=ChangeSource.SAMPLE,
    )  # fmt: skip
    rows = fetch_page(db, "actions", filter_text="status:in_progress").rows
    assert [(r.id, r.cells[-1]) for r in rows] == [(busy.id, "In progress")]
    by_status = [r.cells[-1] for r in fetch_page(db, "actions", sort="status").rows]
    assert by_status == ["Done", "In progress", "Open", "Open"]  # stored order: done < in_p…
    barrier = fetch_page(db, "barriers").rows[0].cells
    assert barrier[1:4] == ("Data sharing", "High", "Escalated")
    assert fetch_page(db, "meetings").rows[0].cells[2] == "Local board"
    assert fetch_page(db, "organisations", filter_text="luton").rows[0].cells[2] == (
        "Local authority"
    )
    fields = dict(record_detail(db, "pilot", s.ids["luton"]).fields)
    assert (fields["RAG"], fields["Stage"]) == ("Green", "Delivery") and "Rag" not in fields
    detail = record_detail(db, "barrier", s.ids["barrier"])
    fields = dict(detail.fields)
    assert fields["Category"] == "Data sharing" and fields["Status"] == "Escalated"
    assert detail.values["category"] == "data_sharing"  # the form edits the stored value
    groups = {g.title: g for g in record_detail(db, "contact", s.ids["jones"]).groups}
    assert groups["Pilots"].items[0].label == "Luton · Lead"
