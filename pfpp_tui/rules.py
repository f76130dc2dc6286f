"""Pure rules every floor shares: canonical e-mail and phone, name keys, formula triggers.

Below the importers, the exporters and the store (import-linter holds it there): the canonical
forms the store keeps beside what the user typed, so that "the same person" means the same thing
in the forms, the importers and the CLI; and the characters a spreadsheet reads as a formula,
which the CSV exporter neutralises and the assessment importer strips back. No I/O, no database.
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


# Characters a spreadsheet treats as the start of a formula (or that hide one behind them).
FORMULA_TRIGGERS = "=+-@\t\r\n\x00"
