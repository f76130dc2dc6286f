"""What another program sees while an import writes in steps (README, "Your data is safe").

An import commits in steps so an editor is never kept waiting (issue 17.10); the price is that
a reader between two steps sees part of it. README admits exactly this, and this test holds it
to that, watching from a second connection at every commit of ``pfpp import contacts --pilot``:

- the import's organisations and teams appear first (the step that records the import),
  then its new contacts, a step of at most ``CHUNK`` at a time, in file order;
- every new contact a reader sees has its organisation, its team and its pilot link (they
  commit in the same step), so no reader sees a contact half-written;
- changes to contacts that were already there (merged in) appear only with the last step,
  which marks the import done;
- while any of it is visible and unfinished, the import's record says ``publishing``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from pfpp_tui.importers.base import ContactRecord, ParsedFile
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.imports import contact_import_stage
from pfpp_tui.store.imports.contact_import import import_contacts

CHUNK = 50
NEW = 230


def _seen(path: Path, existing: int) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    try:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "states": [r[0] for r in conn.execute("SELECT state FROM import_batch")],
            "new": one("SELECT count(*) FROM contact WHERE import_batch_id IS NOT NULL"),
            "linked": one(
                "SELECT count(*) FROM contact_pilot JOIN contact ON contact.id = contact_id"
                " WHERE contact.import_batch_id IS NOT NULL"
            ),
            "without_team": one(
                "SELECT count(*) FROM contact WHERE import_batch_id IS NOT NULL"
                " AND (organisation_id IS NULL OR team_id IS NULL)"
            ),
            "orgs": one("SELECT count(*) FROM organisation WHERE name LIKE 'Body %'"),
            "merged": one(f"SELECT role FROM contact WHERE id = {existing}"),
            "order": [
                r[0]
                for r in conn.execute(
                    "SELECT email FROM contact WHERE import_batch_id IS NOT NULL ORDER BY id"
                )
            ],
        }
    finally:
        conn.close()


def test_a_reader_sees_whole_contacts_arrive_in_steps_and_merges_last(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert db.location.path is not None
    monkeypatch.setattr(contact_import_stage, "CHUNK", CHUNK)
    create_record(db, table="pilot", values={"name": "Luton"}, source=ChangeSource.CLI)
    old = create_record(db, table="contact", values={"first_name": "Old", "last_name": "Hand",
                        "email": "old@x.example"}, source=ChangeSource.CLI)  # fmt: skip
    records = [ContactRecord(2, "Old", "Hand", "old@x.example", role="Adviser")]
    records += [
        ContactRecord(n + 3, "New", f"Person{n}", f"n{n:03d}@x.example",
                      organisation=f"Body {n % 3}", team="Policy")
        for n in range(NEW)
    ]  # fmt: skip
    views: list[dict[str, Any]] = []

    def at_commit(_conn: Any) -> None:  # before each COMMIT: what the previous one left
        views.append(_seen(db.location.path, old.id))  # type: ignore[arg-type]

    event.listen(db.engine, "commit", at_commit)
    try:
        import_contacts(db, [ParsedFile(Path("in.csv"), "csv", records)], pilot="Luton")
    finally:
        event.remove(db.engine, "commit", at_commit)
    views.append(_seen(db.location.path, old.id))
    emails = [f"n{n:03d}@x.example" for n in range(NEW)]
    steps = []
    for view in views:
        if view["states"] == []:  # before the import was recorded: none of it
            assert (view["new"], view["orgs"], view["merged"]) == (0, 0, "")
            continue
        if view["states"] == ["publishing"]:
            assert view["orgs"] == 3  # its organisations (and teams) came first
            assert view["merged"] == ""  # a merge into an existing contact waits for the end
        else:
            assert view["states"] == ["done"] and view["merged"] == "Adviser"
        assert view["linked"] == view["new"] and view["without_team"] == 0
        assert view["order"] == emails[: view["new"]]  # in file order, none skipped
        steps.append(view["new"])
    published = sorted(set(steps))
    assert published[-1] == NEW
    assert all(b - a <= CHUNK for a, b in zip([0, *published], published, strict=False))
    assert len([s for s in published if 0 < s < NEW]) >= NEW // CHUNK - 1  # really in steps
