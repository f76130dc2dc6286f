"""E-mail and phone checks: the fast paths must agree with the slow, authoritative ones."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pfpp_tui.importers.fields import email_problem, phone_e164, split_full_name
from pfpp_tui.rules import phone_e164 as authoritative_e164

_LOCAL = st.text(alphabet="abcAZ09._-+!#$%&'*/=?^`{|}~\"@ é", min_size=0, max_size=70)
_DOMAIN = st.text(alphabet="abcxyz09.-_ é", min_size=0, max_size=70)
_TLD = st.sampled_from(
    ["example", "org", "uk", "test", "local", "localhost", "onion", "invalid", "arpa", "x", "c0m"]
)


def _validator_accepts(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@settings(max_examples=800)
@given(local=_LOCAL, domain=_DOMAIN, tld=_TLD)
@example(local="a", domain="b--c", tld="org")
@example(local="a" * 65, domain="x", tld="org")
@example(local="a..b", domain="x", tld="org")
@example(local="ada", domain="dfe", tld="test")
@example(local="ada", domain="-dfe", tld="org")
def test_email_check_agrees_with_email_validator(local: str, domain: str, tld: str) -> None:
    address = f"{local}@{domain}.{tld}"
    assert (email_problem(address) is None) == _validator_accepts(address)


@given(st.emails())
def test_generated_valid_emails_agree(address: str) -> None:
    assert (email_problem(address) is None) == _validator_accepts(address)


@given(st.text(max_size=40))
def test_any_text_agrees(address: str) -> None:
    assert (email_problem(address) is None) == _validator_accepts(address)


_UK = st.builds(
    lambda prefix, digits, sep: prefix + sep.join([digits[:4], digits[4:7], digits[7:]]),
    st.sampled_from(["0", "+44", "+44 ", "0044"]),
    st.text(alphabet="0123456789", min_size=10, max_size=10),
    st.sampled_from(["", " ", "-", "  "]),
)


@settings(max_examples=500)
@given(_UK)
@example("020 7946 0000")
@example("07700 900123")
@example("+44 (0)20 7946 0000")
def test_phone_fast_path_matches_phonenumbers(phone: str) -> None:
    assert phone_e164(phone) == authoritative_e164(phone)


@given(st.text(max_size=30))
def test_any_phone_text_never_raises_and_matches(phone: str) -> None:
    assert phone_e164(phone) == authoritative_e164(phone)


def test_unparseable_phone_is_none() -> None:
    assert phone_e164("BusinessPhone") is None
    assert phone_e164("not known") is None


def test_split_full_name() -> None:
    assert split_full_name("Lovelace, Ada") == ("Ada", "Lovelace")
    assert split_full_name("  Ada   King  Lovelace ") == ("Ada King", "Lovelace")
    assert split_full_name("Cher") == ("Cher", "")
    assert split_full_name("") == ("", "")
