"""The 17 real vCard exports in ``../shared/corpus/vcard`` (ez-vcard's test resources).

Each must import with the right names and e-mail addresses: vCard 2.1 quoted-printable soft
line breaks (Outlook, Android), iPhone's CR CR LF and photo block, Lotus Notes, groups, escapes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pfpp_tui.importers.reader import read_contacts_file


def _corpus() -> Path:
    """``$PFPP_VCARD_CORPUS``, else ``../shared`` beside the checkout (as CI has it), else
    ``/work/shared``: the tests must find the files wherever the repository was cloned."""
    if "PFPP_VCARD_CORPUS" in os.environ:
        return Path(os.environ["PFPP_VCARD_CORPUS"])
    beside = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "vcard"
    return beside if beside.is_dir() else Path("/work/shared/corpus/vcard")


CORPUS = _corpus()
N4 = "Ñ Ñ Ñ Ñ"

# file -> [(first name, last name, primary e-mail), ...] in card order
EXPECTED: dict[str, list[tuple[str, str, str | None]]] = {
    "John_Doe_ANDROID.vcf": [
        ("", "", "john.doe@company.com"),
        ("", "", "jane.doe@company.com"),
        ("", N4, None),
        ("", " ".join(["Ñ"] * 11), None),
        ("Ñ Ñ Ñ", "Ñ Ñ", "bob@company.com"),
        ("", "ÑÑÑÑ", "henry@company.com"),
    ],
    "John_Doe_BLACK_BERRY.vcf": [("john", "Doe", None)],
    "John_Doe_EVOLUTION.vcf": [("John", "Doe", "john.doe@ibm.com")],
    "John_Doe_GMAIL.vcf": [("John", "Doe", "john.doe@ibm.com")],
    "John_Doe_IPHONE.vcf": [("John", "Doe", "john.doe@ibm.com")],
    "John_Doe_LOTUS_NOTES.vcf": [("John", "Doe", "john.doe@ibm.com")],
    "John_Doe_MAC_ADDRESS_BOOK.vcf": [("John", "Doe", "john.doe@ibm.com")],
    "John_Doe_MS_OUTLOOK.vcf": [("John", "Doe", "john.doe@ibm.cm")],
    "fullcontact.vcf": [("FirstName", "LastName", "home@example.com")],
    "gmail-list.vcf": [
        ("Arnold", "Smith", "asmithk@gmail.com"),
        ("Chris", "Beatle", "chrisy55d@yahoo.com"),
        ("Doug", "White", "dwhite@gmail.com"),
    ],
    "gmail-single.vcf": [("Greg", "Dartmouth", "gdartmouth@hotmail.com")],
    "gmail-single2.vcf": [("VCard", "Test", "email@example.com")],
    "outlook-2003.vcf": [("John", "Doe", "jdoe@hotmail.com")],
    "outlook-2007.vcf": [("Michael", "Angstadt", "mike.angstadt@gmail.com")],
    "rfc2426-example.vcf": [
        ("Frank", "Dawson", "Frank_Dawson@Lotus.com"),
        ("Tim", "Howes", "howes@netscape.com"),
    ],
    "rfc6350-example.vcf": [("Simon", "Perreault", "simon.perreault@viagenie.ca")],
    "thunderbird-MoreFunctionsForAddressBook-extension.vcf": [
        ("John", "Doe", "doe.john@hotmail.com")
    ],
}

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="vCard corpus not present")


def test_the_corpus_is_the_seventeen_files() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.vcf")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_imports_with_right_names_and_emails(name: str) -> None:
    parsed = read_contacts_file(CORPUS / name)
    assert parsed.format == "vcard"
    assert parsed.errors == []
    got = [(r.first_name, r.last_name, r.email) for r in parsed.records]
    assert got == EXPECTED[name]


def test_corpus_details_survive() -> None:
    lotus = read_contacts_file(CORPUS / "John_Doe_LOTUS_NOTES.vcf").records[0]
    assert lotus.extra_emails == ("billy_bob@gmail.com",)
    assert (lotus.organisation, lotus.team, lotus.role) == ("IBM", "SUN", "Generic Accountant")
    outlook = read_contacts_file(CORPUS / "outlook-2003.vcf").records[0]
    assert outlook.organisation == "Company, The"
    assert outlook.notes == "This is the note field!!\nSecond line\n\nThird line is empty"
    rfc = read_contacts_file(CORPUS / "rfc6350-example.vcf").records[0]
    assert rfc.phone == "+1-418-656-9254;ext=102"
    assert rfc.phone_e164 == "+14186569254"
    android = read_contacts_file(CORPUS / "John_Doe_ANDROID.vcf").records[4]
    # An address that is not valid is kept in the notes, never silently dropped.
    assert "Unusable e-mail: " + "Ñ" * 14 in android.notes
