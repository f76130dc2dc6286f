"""Every import format's sample file in ``tests/data/import`` and its exact expected contacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from pfpp_tui.importers.base import ContactRecord, ImportFormat
from pfpp_tui.importers.reader import read_contacts_file

DATA = Path(__file__).resolve().parents[1] / "data" / "import"

EXPECTED: dict[str, tuple[str, str | None, list[ContactRecord]]] = {
    "google_current.csv": (
        "csv",
        "utf-8",
        [
            ContactRecord(
                line=2,
                first_name="Amara",
                last_name="Okafor",
                email="amara.okafor@education.example",
                extra_emails=("amara@home.example",),
                phone="07700 900123",
                phone_e164="+447700900123",
                organisation="Department for Education",
                team="Skills Directorate",
                role="Policy Adviser",
                notes="Leads on NEET prevention",
                tags=("PfPP",),
            ),
            ContactRecord(
                line=3,
                first_name="Gareth Huw",
                last_name="Evans",
                email="g.evans@cornwall.example",
                extra_emails=("gareth.evans@cornwall.example",),
                phone="+44 1872 322000",
                phone_e164="+441872322000",
                organisation="Cornwall Council",
                team="Economic Growth",
                role="Head of Employment",
            ),
            ContactRecord(line=4, email="info@wewalworth.example"),
            ContactRecord(
                line=5,
                first_name="Priya",
                last_name="Shah",
                phone="not known",
                organisation="DLUHC",
            ),
        ],
    ),
    "google_older.csv": (
        "csv",
        "utf-8",
        [
            ContactRecord(
                line=2,
                first_name="Siobhan",
                last_name="Kelly",
                email="siobhan.kelly@homeoffice.example",
                phone="020 7035 4848",
                phone_e164="+442070354848",
                organisation="Home Office",
                team="Crime and Policing",
                role="Senior Policy Officer",
                notes="Horden ASB work",
                tags=("Durham pilot",),
            ),
            ContactRecord(
                line=3,
                first_name="Tom",
                last_name="Baxter",
                email="tom.baxter@luton.example",
                organisation="Luton Borough Council",
            ),
        ],
    ),
    "outlook.csv": (
        "csv",
        "cp1252",
        [
            ContactRecord(
                line=2,
                first_name="Zoë",
                last_name="O\u2019Brien",
                email="zoe.obrien@hastings.example",
                phone="01424 451066",
                phone_e164="+441424451066",
                extra_phones=("07700 900456",),
                organisation="Hastings Borough Council",
                team="Housing",
                role="Private Sector Housing Manager",
                notes=(
                    "Met at the site visit.\nFollow up on the “warm homes” grant \u2013 £25k.\n\n"
                    "Prefers phone."
                ),
                tags=("Fuel poverty", "East Sussex"),
            ),
            ContactRecord(
                line=6,
                first_name="René",
                last_name="Côté",
                email="rene.cote@defra.example",
                extra_emails=("r.cote@defra.example",),
                organisation="Defra",
                role="Analyst",
            ),
        ],
    ),
    "excel_semicolon.csv": (
        "csv",
        "utf-8-sig",
        [
            ContactRecord(
                line=2,
                first_name="Ada",
                last_name="Lovelace",
                email="ADA.LOVELACE@Bradford.example",
                phone="01274 432111",
                phone_e164="+441274432111",
                organisation="City of Bradford Metropolitan District Council",
                team="VCS Alliance",
                notes="Hub lead;\nmental health",
            ),
            ContactRecord(
                line=5,
                first_name="Jürgen",
                last_name="Müller",
                email="jurgen.muller@partner.example",
                phone="+49 30 1234567",
                phone_e164="+49301234567",
                organisation="Bradford VCS Alliance",
            ),
        ],
    ),
    "unicode_text.txt": (
        "csv",
        "utf-16",
        [
            ContactRecord(
                line=2,
                first_name="Ngozi",
                last_name="Adeyemi",
                email="ngozi.adeyemi@southwark.example",
                phone="07700 900789",
                phone_e164="+447700900789",
                organisation="Southwark Council",
                role="Community Engagement Lead",
            ),
            ContactRecord(
                line=3,
                first_name="Łukasz",
                last_name="Nowak",
                email="lukasz.nowak@southwark.example",
                organisation="Southwark Council",
            ),
        ],
    ),
    "title_row.xlsx": (
        "xlsx",
        None,
        [
            ContactRecord(
                line=3,
                first_name="Leanne",
                last_name="Carr",
                email="leanne.carr@sunderland.example",
                phone="1915205555",
                phone_e164="+441915205555",
                organisation="Sunderland City Council",
                team="Regeneration",
                role="Sunniside Board secretary",
            ),
            ContactRecord(
                line=5,
                first_name="Mark",
                last_name="Hughes",
                email="mark.hughes@dwp.example",
                phone="0191 000 0000",
                phone_e164="+441910000000",
                organisation="DWP",
                role="Work coach",
            ),
        ],
    ),
    "vcard21.vcf": (
        "vcard",
        "utf-8",
        [
            ContactRecord(
                line=1,
                first_name="Jürgen",
                last_name="Müller",
                email="jurgen.muller@newcastle.example",
                extra_emails=("j.muller@newcastle.example",),
                phone="07700 900321",
                phone_e164="+447700900321",
                extra_phones=("0191 278 7878",),
                organisation="Newcastle City Council",
                team="Public Health",
                role="Consultant",
                notes="First line\nSecond line that is rather long and so it is soft-broken",
            )
        ],
    ),
    "vcard30.vcf": (
        "vcard",
        "utf-8",
        [
            ContactRecord(
                line=1,
                first_name="Diane",
                last_name="Abbott",
                email="diane.abbott@hackney.example",
                phone="020 8356 3000",
                phone_e164="+442083563000",
                organisation="London Borough of Hackney",
                team="Ageing Well",
                role="Programme Manager",
                notes="Older people's health inequalities, Hackney\nSecond line; with semicolon",
                tags=("PfPP", "Hackney"),
            ),
            ContactRecord(
                line=14, first_name="Kwame", last_name="Mensah", email="kwame.mensah@example.org"
            ),
        ],
    ),
    "vcard40.vcf": (
        "vcard",
        "utf-8",
        [
            ContactRecord(
                line=1,
                first_name="Simone",
                last_name="Perreault",
                email="s.perreault@wakefield.example",
                extra_emails=("simone.perreault@wakefield.example",),
                phone="+44-1924-306090",
                phone_e164="+441924306090",
                organisation="Wakefield Council",
            )
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_file_gives_exactly_the_expected_contacts(name: str) -> None:
    fmt, encoding, records = EXPECTED[name]
    parsed = read_contacts_file(DATA / name)
    assert parsed.errors == []
    assert parsed.format == fmt
    assert parsed.encoding == encoding
    assert parsed.records == records


def test_every_sample_file_has_an_expectation() -> None:
    assert sorted(p.name for p in DATA.iterdir()) == sorted(EXPECTED)


def test_forced_format_and_encoding_are_used() -> None:
    parsed = read_contacts_file(DATA / "outlook.csv", format=ImportFormat.CSV, encoding="cp1252")
    assert [r.first_name for r in parsed.records] == ["Zoë", "René"]
    # Read as UTF-8 the Windows-1252 bytes are refused, naming the line of the first bad byte.
    parsed = read_contacts_file(DATA / "outlook.csv", encoding="utf-8")
    assert parsed.records == []
    assert [(e.line, e.field) for e in parsed.errors] == [(2, "encoding")]


def test_xlsx_sheet_option() -> None:
    parsed = read_contacts_file(DATA / "title_row.xlsx", sheet="Archive")
    assert parsed.records == [
        ContactRecord(
            line=2, first_name="Old", last_name="Person", email="old.person@archive.example"
        )
    ]
    missing = read_contacts_file(DATA / "title_row.xlsx", sheet="Nope")
    assert [str(e) for e in missing.errors] == [
        f"{DATA / 'title_row.xlsx'}:1: sheet: no sheet 'Nope' (sheets: Contacts, Archive)"
    ]
