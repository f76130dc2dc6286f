"""Field-level cleaning shared by every importer: e-mails, phones, names, record checks.

Owns the rules that decide whether one record is acceptable, so CSV, XLSX and vCard refuse the
same things with the same words. Must stay fast: a 100,000-row import calls these per row.

E-mail: a conservative regular expression accepts the ordinary ASCII addresses that make up
nearly every real file (a few hundred nanoseconds); only what it does not accept goes to
``email-validator`` (syntax only, no DNS), whose verdict is cached. The fast pattern is a strict
subset of what ``email-validator`` accepts -- a property test holds it to that.

Phone: kept as written; ``phone_e164`` is added when ``phonenumbers`` (region GB) parses it as a
possible number. UK numbers written the usual ways take a fast path proven equal to the slow one.
An unparseable phone never refuses a record.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pfpp_tui.importers.base import ContactRecord, RowError

# Maximum lengths of the contact columns; longer values are refused, not silently cut.
MAX_NAME = 120
MAX_EMAIL = 320
MAX_PHONE = 60
MAX_ORG = 200

_FAST_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_SPECIAL_USE_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


def _fast_email_ok(address: str) -> bool:
    if len(address) > 254 or _FAST_EMAIL.fullmatch(address) is None:
        return False
    local, _, domain = address.rpartition("@")
    if len(local) > 64 or "--" in domain:
        return False
    return domain.rsplit(".", 1)[1].lower() not in _SPECIAL_USE_TLDS


@lru_cache(maxsize=4096)
def _slow_email_problem(address: str) -> str | None:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def email_problem(address: str) -> str | None:
    """None when ``address`` (already trimmed) is a valid e-mail, else why it is not."""
    if _fast_email_ok(address):
        return None
    if len(address) > MAX_EMAIL:
        return f"longer than {MAX_EMAIL} characters"
    return _slow_email_problem(address)


_PHONE_NOISE = str.maketrans("", "", " -().\u00a0")
_UK_NATIONAL = re.compile(r"0[1-9][0-9]{9}")
_UK_INTERNATIONAL = re.compile(r"\+44[1-9][0-9]{9}")


@lru_cache(maxsize=8192)
def _slow_e164(phone: str) -> str | None:
    import phonenumbers

    try:
        number = phonenumbers.parse(phone, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    result: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return result


def phone_e164(phone: str) -> str | None:
    """``phone`` in E.164 (GB default region) when it parses as a possible number."""
    compact = phone.translate(_PHONE_NOISE)
    if _UK_NATIONAL.fullmatch(compact):
        return "+44" + compact[1:]
    if _UK_INTERNATIONAL.fullmatch(compact):
        return compact
    if len(phone) > MAX_PHONE or not any(ch.isdigit() for ch in phone):
        return None
    return _slow_e164(phone)


def split_full_name(full: str) -> tuple[str, str]:
    """Split one name cell into (first, last): "Surname, Forename" or "Forename ... Surname"."""
    full = " ".join(full.split())
    if not full:
        return "", ""
    if "," in full:
        last, _, first = full.partition(",")
        return first.strip(), last.strip()
    first, _, last = full.rpartition(" ")
    return (first, last) if first else (last, "")


def split_list(value: str, separators: tuple[str, ...]) -> list[str]:
    """Split ``value`` on the first separator it contains; trimmed, empties dropped."""
    for sep in separators:
        if sep in value:
            return [part.strip() for part in value.split(sep) if part.strip()]
    value = value.strip()
    return [value] if value else []


def build_record(
    file: str,
    line: int,
    *,
    first_name: str,
    last_name: str,
    emails: list[str],
    phones: list[str],
    organisation: str = "",
    team: str = "",
    role: str = "",
    notes: str = "",
    tags: list[str] | None = None,
) -> ContactRecord | list[RowError]:
    """Check one record's fields and build it, or say every reason it is refused.

    ``emails`` and ``phones`` are in priority order (the first non-empty is primary); values
    are expected trimmed already. Every e-mail must be valid: one bad address refuses the row,
    because silently dropping it is exactly the "nothing lost" failure users hate.
    """
    errors: list[RowError] = []
    if len(first_name) > MAX_NAME:
        errors.append(RowError(file, line, "first_name", f"longer than {MAX_NAME} characters"))
    if len(last_name) > MAX_NAME:
        errors.append(RowError(file, line, "last_name", f"longer than {MAX_NAME} characters"))
    for label, value in (("organisation", organisation), ("team", team)):
        if len(value) > MAX_ORG:
            errors.append(RowError(file, line, label, f"longer than {MAX_ORG} characters"))
    primary: str | None = None
    extra_emails: list[str] = []
    seen: set[str] = set()
    for address in emails:
        if not address:
            continue
        problem = email_problem(address)
        if problem is not None:
            errors.append(RowError(file, line, "email", f"{address!r} is not valid: {problem}"))
            continue
        key = address.lower()
        if key in seen:
            continue
        seen.add(key)
        if primary is None:
            primary = address
        else:
            extra_emails.append(address)
    if not errors and primary is None and not first_name and not last_name:
        errors.append(RowError(file, line, "name", "neither a name nor an e-mail address"))
    if errors:
        return errors
    phone: str | None = None
    e164: str | None = None
    extra_phones: list[str] = []
    for number in phones:
        if not number or number in extra_phones or number == phone:
            continue
        if phone is None and len(number) <= MAX_PHONE:
            phone = number
            e164 = phone_e164(number)
        else:
            extra_phones.append(number)
    return ContactRecord(
        line=line,
        first_name=first_name,
        last_name=last_name,
        email=primary,
        extra_emails=tuple(extra_emails),
        phone=phone,
        phone_e164=e164,
        extra_phones=tuple(extra_phones),
        organisation=organisation or None,
        team=team or None,
        role=role,
        notes=notes,
        tags=tuple(tags or ()),
    )
