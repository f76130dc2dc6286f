"""Contact columns: the ones a bulk import sets, in the order its INSERT and UPDATE use.

Shared by the contact import (``store.imports``) and the change history, which rebuilds an
imported contact's creation from the same list, so the two cannot drift apart.
"""

from __future__ import annotations

# The contact columns an import sets, in the order the bulk INSERT/UPDATE uses.
FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "phone_e164",
    "organisation_id",
    "team_id",
    "role",
    "notes",
    "tags",
)


INSERT_FIELDS = (*FIELDS, "email_key")
