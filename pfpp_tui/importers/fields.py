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

Control characters: a value holding one (C0, DEL, C1) or a bidi override/isolate is refused at
its line as ``field: contains a control character (U+001B)`` -- never silently stripped, as the
file is then not what the user thinks. One-line fields refuse tabs and line breaks too; notes
may hold tabs and line breaks. The character set is ``pfpp_tui.text_safety``'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pfpp_tui.importers.base import ContactRecord, RowError
from pfpp_tui.rules import phone_e164 as canonical_e164
from pfpp_tui.text_safety import control_character

# Maximum lengths of the contact columns; longer values are refused, not silently cut.
MAX_NAME = 120
MAX_EMAIL = 320
MAX_PHONE = 60
MAX_ORG = 200

# Ordinary ASCII addresses: dot-atom local part of at most 64, labels without "--" of at most
# 63, an alphabetic TLD that is not special-use, at most 254 in all.
_FAST_EMAIL = re.compile(
    r"(?=.{6,254}\Z)(?=[^@]{1,64}@)"
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?!.*--)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\Z"
    r"(?<!\.arpa)(?<!\.test)(?<!\.local)(?<!\.onion)(?<!\.invalid)(?<!\.localhost)",
    re.IGNORECASE,
)
_fast_email_match = fast_email_match = _FAST_EMAIL.match
# The same pattern without IGNORECASE: on *lower-cased ASCII* text it accepts exactly what
# ``fast_email_match`` accepts on the original (every class holds both cases, every literal
# letter is lower case), and is a third faster.
lower_ascii_email_match = re.compile(_FAST_EMAIL.pattern).match


def _fast_email_ok(address: str) -> bool:
    return _fast_email_match(address) is not None


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
_uk_national = uk_national_match = _UK_NATIONAL.fullmatch
_uk_international = _UK_INTERNATIONAL.fullmatch


def _slow_e164(phone: str) -> str | None:
    return canonical_e164(phone)


def phone_e164(phone: str) -> str | None:
    """``phone`` in E.164 (GB default region) when it parses as a possible number."""
    compact = phone.translate(_PHONE_NOISE)
    if _uk_national(compact):
        return "+44" + compact[1:]
    if _uk_international(compact):
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


def build_record(
    file: str,
    line: int,
    first_name: str,
    last_name: str,
    emails: Sequence[str],
    phones: Sequence[str],
    organisation: str = "",
    team: str = "",
    role: str = "",
    notes: str = "",
    tags: Sequence[str] = (),
) -> ContactRecord | list[RowError]:
    """Check one record's fields and build it, or say every reason it is refused.

    ``emails`` and ``phones`` are trimmed values in priority order (the first non-empty is
    primary). Every e-mail must be valid: one bad address refuses the row, because silently
    dropping it is exactly the "nothing lost" failure users hate.
    """
    if control_character(
        first_name + last_name + organisation + team + role + "".join((*emails, *phones, *tags))
    ) or control_character(notes, multi_line=True):
        return _control_errors(
            file, line, first_name, last_name, emails, phones, organisation, team, role, notes, tags
        )
    if (
        len(first_name) > MAX_NAME
        or len(last_name) > MAX_NAME
        or len(organisation) > MAX_ORG
        or len(team) > MAX_ORG
    ):
        return _length_errors(file, line, first_name, last_name, organisation, team)
    primary: str | None = None
    extra_emails: tuple[str, ...] = ()
    if len(emails) == 1 and _fast_email_match(emails[0]) is not None:
        primary = emails[0]
    elif emails:
        checked = _check_emails(file, line, emails)
        if isinstance(checked, list):
            return checked
        primary, extra_emails = checked
    if primary is None and not first_name and not last_name:
        return [RowError(file, line, "name", "neither a name nor an e-mail address")]
    phone: str | None = None
    e164: str | None = None
    extra_phones: tuple[str, ...] = ()
    if phones:
        phone = phones[0]
        if len(phones) > 1 or len(phone) > MAX_PHONE:
            unique = [p for p in dict.fromkeys(phones) if p]
            usable = [p for p in unique if len(p) <= MAX_PHONE]
            phone = usable[0] if usable else None
            extra_phones = tuple(p for p in unique if p != phone)
        e164 = phone_e164(phone) if phone else None
    return ContactRecord(
        line,
        first_name,
        last_name,
        primary,
        extra_emails,
        phone,
        e164,
        extra_phones,
        organisation or None,
        team or None,
        role,
        notes,
        tuple(tags),
    )


def _control_errors(
    file: str,
    line: int,
    first_name: str,
    last_name: str,
    emails: Sequence[str],
    phones: Sequence[str],
    organisation: str,
    team: str,
    role: str,
    notes: str,
    tags: Sequence[str],
) -> list[RowError]:
    errors: list[RowError] = []
    for label, values in (
        ("first_name", (first_name,)),
        ("last_name", (last_name,)),
        ("email", emails),
        ("phone", phones),
        ("organisation", (organisation,)),
        ("team", (team,)),
        ("role", (role,)),
        ("tags", tags),
    ):
        found = next((c for v in values if (c := control_character(v)) is not None), None)
        if found is not None:
            errors.append(RowError(file, line, label, f"contains a control character ({found})"))
    if (found := control_character(notes, multi_line=True)) is not None:
        errors.append(RowError(file, line, "notes", f"contains a control character ({found})"))
    return errors


def _length_errors(
    file: str, line: int, first_name: str, last_name: str, organisation: str, team: str
) -> list[RowError]:
    errors: list[RowError] = []
    for label, value, limit in (
        ("first_name", first_name, MAX_NAME),
        ("last_name", last_name, MAX_NAME),
        ("organisation", organisation, MAX_ORG),
        ("team", team, MAX_ORG),
    ):
        if len(value) > limit:
            errors.append(RowError(file, line, label, f"longer than {limit} characters"))
    return errors


def _check_emails(
    file: str, line: int, emails: Sequence[str]
) -> tuple[str | None, tuple[str, ...]] | list[RowError]:
    """Primary and further addresses, de-duplicated case-insensitively; or the errors."""
    errors: list[RowError] = []
    valid: dict[str, str] = {}
    for address in emails:
        if not address:
            continue
        problem = email_problem(address)
        if problem is not None:
            errors.append(RowError(file, line, "email", f"{address!r} is not valid: {problem}"))
        else:
            valid.setdefault(address.lower(), address)
    if errors:
        return errors
    found = list(valid.values())
    return (found[0] if found else None), tuple(found[1:])
