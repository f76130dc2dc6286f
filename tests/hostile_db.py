"""A programme database whose user text carries terminal escapes, bidi overrides and HTML.

Built like ``tests.exporters.programme_db`` (through the store), then the payloads are written
straight into the text columns with ``sqlite3``: the way data written before the import checks,
or by another tool (psql, a restored backup), reaches pfpp. Every output path must escape it.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from pfpp_tui.models import ChangeSource
from pfpp_tui.shapes.partnership import Agreement, PartnerEntry
from pfpp_tui.store.work.partnership import save_agreement
from tests.exporters.programme_db import build_programme_db

# Clear screen, OSC 52 (write the clipboard), C1 CSI, a right-to-left override, a lone CR,
# DEL and a bidi isolate.
CONTROL = "\x1b[2J\x1b]52;c;cHduZWQ=\x07 \x9b31m \u202eevil\r\x7f\u2066"
HTML = "<img src=x onerror=alert(1)> [c](javascript:alert(1)) <javascript:alert(2)> ![i](x)"
PAYLOAD = f" {CONTROL} {HTML}"

# What must never reach a terminal: C0 controls but tab and line feed, DEL, C1, bidi controls.
FORBIDDEN = {chr(c) for c in range(0x20) if chr(c) not in "\t\n"} | {chr(0x7F)}
FORBIDDEN |= {chr(c) for c in range(0x80, 0xA0)}
FORBIDDEN |= {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}

HOSTILE_COLUMNS = {
    "organisation": ("name",),
    "team": ("name",),
    "pilot": ("name", "project_name", "local_challenge", "notes"),
    "contact": ("first_name", "last_name", "role", "notes"),
    "contact_pilot": ("role",),
    "meeting": ("title", "notes"),
    "barrier": ("title", "detail", "escalation_note"),
    "action": ("title", "detail"),
    "funding_flow": ("pot", "outcome"),
    "partnership_agreement": (
        "purpose",
        "governance_board",
        "governance_chair",
        "meeting_frequency",
        "data_sharing",
        "escalation_route",
    ),
    "agreement_partner": ("role", "commitments"),
}


_BARRIER_COPY = (
    "created_at, updated_at, version, category, title, detail, severity, status, owner_id, "
    "escalated_to_organisation_id, escalated_to_team_id, escalation_note, raised_on, resolution"
)


def forbidden_in(text: str) -> list[str]:
    """The forbidden characters found in ``text``, as ``U+XXXX`` (empty when it is safe)."""
    return sorted({f"U+{ord(ch):04X}" for ch in text if ch in FORBIDDEN})


def build_hostile_db(path: Path) -> Path:
    db = build_programme_db(path)
    try:
        save_agreement(
            db,
            Agreement(
                pilot_id=1,
                pilot="",
                purpose="Purpose",
                governance_board="Board",
                governance_chair="Chair",
                meeting_frequency="Monthly",
                data_sharing="Share",
                escalation_route="Escalate",
                review_date=date(2020, 1, 1),
                partners=(PartnerEntry(organisation_id=1, role="Role", commitments="Commit"),),
            ),
            source=ChangeSource.CLI,
        )
    finally:
        db.dispose()
    with sqlite3.connect(path) as conn:
        # A copy of each barrier in the other pilot, so "Same barrier, many places" has groups.
        conn.execute(
            f"INSERT INTO barrier ({_BARRIER_COPY}, pilot_id) "
            f"SELECT {_BARRIER_COPY}, 3 - pilot_id FROM barrier"
        )
        for table, columns in HOSTILE_COLUMNS.items():
            sets = ", ".join(f"{c} = COALESCE({c}, '') || ?" for c in columns)
            conn.execute(f"UPDATE {table} SET {sets}", [PAYLOAD] * len(columns))
        conn.execute("UPDATE meeting SET decisions = ?", ["Decided" + PAYLOAD])
        conn.execute("UPDATE change SET reason = ?", ["Reason" + PAYLOAD])
        conn.execute(
            "INSERT INTO barrier_principle (barrier_id, principle, created_at, updated_at, version)"
            " SELECT id, 'trust', '2024-01-01 00:00:00', '2024-01-01 00:00:00', 1 FROM barrier"
        )
    return path
