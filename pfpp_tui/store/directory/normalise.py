"""Canonical forms the store keeps beside what the user typed (e-mail key, E.164 phone).

Shared by the forms, the importers and the CLI so that "the same person" means the same thing
everywhere.
"""

from __future__ import annotations

from functools import lru_cache


def email_key(email: str | None) -> str | None:
    """Trimmed, lower-cased e-mail: what makes two contacts the same person."""
    if email is None:
        return None
    key = email.strip().lower()
    return key or None


@lru_cache(maxsize=65536)
def phone_e164(phone: str | None, region: str = "GB") -> str | None:
    """E.164 form when the number parses; None otherwise (never an error)."""
    if not phone or not phone.strip():
        return None
    import phonenumbers  # here, not at start-up: ~25 ms the TUI need not pay until a save

    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def full_name_key(first_name: str, last_name: str) -> str:
    """Case- and space-insensitive full name for matching people without an e-mail."""
    return " ".join(f"{first_name} {last_name}".lower().split())
