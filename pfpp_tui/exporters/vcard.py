"""vCard 4.0 export of contacts (RFC 6350), written so ``pfpp import contacts`` reads it back.

Owns: mapping a contact row to a card — FN, N, EMAIL, TEL, ORG (``Organisation;Team``), TITLE
(role), NOTE, CATEGORIES (tags), REV, and a UID stable across exports (a UUID derived from the
contact id) so address books update a card instead of duplicating it.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from typing import Any, BinaryIO

from pfpp_tui.exporters.contentline import escape, lines, utc_stamp
from pfpp_tui.shapes.table import Entity, ExportTable, utc_datetime

UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "pfpp-tui.example")


def contact_uid(contact_id: int) -> str:
    return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, f'contact-{contact_id}')}"


def write(tables: Sequence[ExportTable], out: BinaryIO, raw: bool = False) -> None:
    stream = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        for table in tables:
            if table.entity is not Entity.CONTACTS:
                raise ValueError("vCard export holds contacts only")
            keys = table.keys
            for row in table.rows:
                stream.write(card(dict(zip(keys, row, strict=True))))
        stream.flush()
    finally:
        stream.detach()


def card(contact: dict[str, Any]) -> str:
    first, last = contact.get("first_name") or "", contact.get("last_name") or ""
    full = f"{first} {last}".strip() or contact.get("email") or "(no name)"
    organisation, team = contact.get("organisation") or "", contact.get("team") or ""
    org = escape(organisation) + (f";{escape(team)}" if team else "")
    tags = contact.get("tags") or ()
    updated = contact.get("updated_at")
    properties = [
        ("VERSION", "4.0"),
        ("UID", contact_uid(int(contact["id"]))),
        ("FN", escape(full)),
        ("N", f"{escape(last)};{escape(first)};;;"),
        ("EMAIL", escape(contact.get("email") or "")),
        ("TEL", escape(contact.get("phone") or "")),
        ("ORG", org),
        ("TITLE", escape(contact.get("role") or "")),
        ("NOTE", escape(contact.get("notes") or "")),
        ("CATEGORIES", ",".join(escape(tag) for tag in tags)),
        ("REV", utc_stamp(utc_datetime(updated)) if updated else ""),
    ]
    return "BEGIN:VCARD\r\n" + lines(properties) + "END:VCARD\r\n"
