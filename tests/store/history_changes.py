"""Random changes of every kind, each telling how many history rows it must have written.

Shared by ``test_history_complete.py`` (in process, counted to the row) and
``history_worker.py`` (a process that is ``kill -9``-ed mid-way). Every change goes through the
app's own write paths: ``store.db.records`` (create / update / delete), ``store.history.undo`` (a
TUI gesture and its undo), ``store.imports.contact_import`` (a bulk import) and
``store.work.triage`` (a triage decision, and "duplicate of" -- the one merge the app has: a barrier
folded into another, its actions moved across). A refused change (a unique name taken, a stale link)
must write nothing, so it counts 0.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from pfpp_tui.errors import PfppError
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, delete_record, update_record
from pfpp_tui.store.history.undo import links_to

# table -> a text field an update may change
UPDATABLE = {
    "organisation": "notes",
    "team": "remit",
    "pilot": "notes",
    "contact": "notes",
    "meeting": "notes",
    "barrier": "detail",
    "action": "detail",
    "funding_flow": "outcome",
}
TABLES = (*UPDATABLE, "contact_pilot", "meeting_attendee")


class RandomChanges:
    """One random change per ``step()``; the return value is its number of history rows."""

    def __init__(self, db: Database, rng: random.Random, tag: str = "") -> None:
        self.db = db
        self.rng = rng
        self.tag = tag or f"{rng.randrange(10**9)}"
        self.serial = 0
        self.refused = 0
        self.kinds: dict[str, int] = {}
        self.live: dict[str, list[int]] = {}
        self.reload()

    def reload(self) -> None:
        with self.db.read() as session:
            self.live = {
                t: [int(r[0]) for r in session.execute(text(f"SELECT id FROM {t} ORDER BY id"))]
                for t in TABLES
            }

    def _next(self) -> int:
        self.serial += 1
        return self.serial

    def _pick(self, table: str) -> int | None:
        ids = self.live[table]
        return self.rng.choice(ids) if ids else None

    def _values(self, table: str) -> dict[str, Any] | None:
        n, rng = self._next(), self.rng
        name = f"{self.tag}-{n}"
        if table == "organisation":
            return {"name": f"Org {name}"}
        if table == "team":
            org = self._pick("organisation")
            return None if org is None else {"organisation_id": org, "name": f"Team {name}"}
        if table == "pilot":
            return {"name": f"Pilot {name}", "lead_organisation_id": self._pick("organisation")}
        if table == "contact":
            values: dict[str, Any] = {"first_name": f"Person {name}"}
            if rng.random() < 0.7:
                values["email"] = f"p{name}@example.org"
            values["organisation_id"] = self._pick("organisation")
            return values
        if table == "contact_pilot":
            contact, pilot = self._pick("contact"), self._pick("pilot")
            if contact is None or pilot is None:
                return None
            return {"contact_id": contact, "pilot_id": pilot}
        if table == "meeting":
            held = datetime(2024, 1, 1, 10) + timedelta(days=n % 400)
            return {"title": f"Meeting {name}", "held_at": held, "pilot_id": self._pick("pilot")}
        if table == "meeting_attendee":
            meeting, contact = self._pick("meeting"), self._pick("contact")
            if meeting is None or contact is None:
                return None
            return {"meeting_id": meeting, "contact_id": contact}
        if table == "barrier":
            return {
                "title": f"Barrier {name}",
                "raised_on": date(2024, 1, 1) + timedelta(days=n % 400),
                "owner_id": self._pick("contact"),
                "pilot_id": self._pick("pilot"),
            }
        if table == "action":
            return {
                "title": f"Action {name}",
                "owner_id": self._pick("contact"),
                "barrier_id": self._pick("barrier"),
            }
        pilot = self._pick("pilot")
        if pilot is None:
            return None
        return {
            "pilot_id": pilot,
            "pot": f"Pot {name}",
            "amount_gbp": n,
            "financial_year": "2024-25",
        }

    def _attempt(self, kind: str, change: Callable[[], int]) -> int:
        try:
            written = change()
        except PfppError:
            self.refused += 1
            return 0
        self.kinds[kind] = self.kinds.get(kind, 0) + written
        return written

    def create(self, table: str | None = None) -> int:
        table = table or self.rng.choice(TABLES)
        values = self._values(table)
        if values is None:
            return self.create("organisation")

        def change() -> int:
            record = create_record(self.db, table=table, values=values, source=ChangeSource.CLI)
            self.live[table].append(record.id)
            return 1

        return self._attempt("create", change)

    def update(self) -> int:
        table = self.rng.choice([t for t in UPDATABLE if self.live[t]] or ["organisation"])
        row_id = self._pick(table)
        if row_id is None:
            return self.create(table)
        field = UPDATABLE[table]
        value = f"edit {self.tag}-{self._next()}"

        def change() -> int:
            update_record(
                self.db,
                table=table,
                row_id=row_id,
                changes={field: value},
                source=ChangeSource.TUI,
            )
            return 1

        return self._attempt("update", change)

    def delete(self) -> int:
        """Delete a row nothing links to (one history row; cascades are tested elsewhere)."""
        tables = [t for t in TABLES if self.live[t]]
        if not tables:
            return self.create()
        table = self.rng.choice(tables)
        for row_id in self.rng.sample(self.live[table], min(5, len(self.live[table]))):
            if links_to(self.db, table, row_id):
                continue

            def change(table: str = table, row_id: int = row_id) -> int:
                delete_record(self.db, table=table, row_id=row_id, source=ChangeSource.CLI)
                self.live[table].remove(row_id)
                return 1

            return self._attempt("delete", change)
        return self.update()

    def step(self) -> int:
        roll = self.rng.random()
        if roll < 0.45:
            return self.create()
        if roll < 0.85:
            return self.update()
        return self.delete()

    def import_contacts(self, folder: Path, rows: int, *, org: str | None = None) -> int:
        """Import ``rows`` new contacts (all in one organisation and team when ``org``)."""
        from pfpp_tui.importers.reader import read_contacts_file
        from pfpp_tui.store.imports.contact_import import import_contacts

        n = self._next()
        path = folder / f"import-{self.tag}-{n}.csv"
        lines = ["First Name,Last Name,E-mail 1 - Value,Organization Name,Organization Department"]
        lines += [
            f"Imported,Person {n}-{i},imp{self.tag}-{n}-{i}@example.org,{org or ''},"
            + ("Imports" if org else "")
            for i in range(rows)
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        parsed = read_contacts_file(path)
        assert not parsed.errors, parsed.errors[:3]

        def change() -> int:
            plan = import_contacts(self.db, [parsed])
            self.reload()
            return (
                plan.new_contacts
                + len(plan.updates)
                + len(plan.new_orgs)
                + len(plan.new_teams)
                + len(plan.links)
            )

        return self._attempt("import", change)

    def triage(self) -> int:
        """A triage decision on a new barrier: one history row for the barrier."""
        from pfpp_tui.store.work.triage import TriageDecision, apply_triage

        barrier = self.create("barrier")
        assert barrier == 1
        target = self.live["barrier"][-1]

        def change() -> int:
            outcome = apply_triage(
                self.db,
                target,
                TriageDecision(severity=None, mark_triaged=True, reason="looked at"),
                source=ChangeSource.TUI,
            )
            return 1 if outcome.before else 0

        return barrier + self._attempt("triage", change)

    def merge_duplicate(self) -> int:
        """ "Duplicate of": a barrier with two actions folded into another; actions move."""
        from pfpp_tui.store.work.triage import TriageDecision, apply_triage

        written = self.create("barrier") + self.create("barrier")
        keep, fold = self.live["barrier"][-2], self.live["barrier"][-1]
        for _ in range(2):
            written += self._attempt(
                "create",
                lambda: self._create_action(fold),
            )

        def change() -> int:
            outcome = apply_triage(
                self.db,
                fold,
                TriageDecision(duplicate_of_id=keep, reason="same problem"),
                source=ChangeSource.TUI,
            )
            assert len(outcome.moved_action_ids) == 2
            return (1 if outcome.before else 0) + len(outcome.moved_action_ids)

        return written + self._attempt("merge", change)

    def _create_action(self, barrier: int) -> int:
        record = create_record(
            self.db,
            table="action",
            values={"title": f"Action {self.tag}-{self._next()}", "barrier_id": barrier},
            source=ChangeSource.CLI,
        )
        self.live["action"].append(record.id)
        return 1

    def undo_gesture(self) -> int:
        """A TUI edit in a batch, then ctrl+z: two history rows."""
        from pfpp_tui.store.history.undo import new_batch, save_in_batch, undo_batch

        pilot = self._pick("pilot")
        if pilot is None:
            return self.create("pilot")
        batch = new_batch()
        value = f"gesture {self.tag}-{self._next()}"

        def edit() -> int:
            save_in_batch(self.db, table="pilot", row_id=pilot, values={"notes": value},
                          batch=batch)  # fmt: skip
            return 1

        written = self._attempt("update", edit)
        if written:
            written += self._attempt("undo", lambda: undo_batch(self.db, batch).reverted)
        return written


def history_problems(db: Database) -> list[str]:
    """Rows whose version or existence disagrees with their history; empty when consistent.

    For every (table, id) the history mentions and every live row: the row exists exactly when
    its newest history entry is not a delete, and its version equals the number of history
    entries since (and including) its newest create -- one per committed change. A contact a
    bulk import created has its creation in the import's batch record (issue 19), not a row.
    """
    problems: list[str] = []
    with db.read() as session:
        history: dict[tuple[str, int], list[str]] = {}
        marks: dict[tuple[str, int], int] = {}
        for row_id, mark in session.execute(
            text(
                "SELECT c.id, b.change_mark FROM contact c JOIN import_batch b "
                "ON b.id = c.import_batch_id WHERE b.state = 'done'"
            )
        ):
            history[("contact", int(row_id))] = ["create"]
            marks[("contact", int(row_id))] = int(mark)
        for change_id, table, row_id, op in session.execute(
            text("SELECT id, table_name, row_id, op FROM change ORDER BY id")
        ):
            key = (str(table), int(row_id))
            if change_id > marks.get(key, -1):  # older rows: another record with this id
                history.setdefault(key, []).append(str(op))
        for table in TABLES:
            live = {
                int(r[0]): int(r[1])
                for r in session.execute(text(f"SELECT id, version FROM {table}"))
            }
            for row_id, version in live.items():
                ops = history.get((table, row_id))
                if not ops:
                    problems.append(f"{table} {row_id}: a row with no history")
                    continue
                last_create = len(ops) - 1 - ops[::-1].index("create") if "create" in ops else -1
                since = ops[last_create:] if last_create >= 0 else ops
                if last_create < 0 or ops[-1] == "delete" or len(since) != version:
                    problems.append(f"{table} {row_id}: version {version}, history {ops}")
            for (t, row_id), ops in history.items():
                if t == table and row_id not in live and ops[-1] != "delete":
                    problems.append(f"{table} {row_id}: gone, but its history ends with {ops[-1]}")
    return problems
