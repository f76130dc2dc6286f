"""The sample's organisations, their renames and their teams: fixed reference data.

Departments, councils and public bodies carry their real names and real renames (MHCLG → DLUHC
→ MHCLG, BEIS → DESNZ, DCMS's 2023 change) so that former-name lookups can be demonstrated;
team names and remits are plausible inventions. Every e-mail domain here is reserved
(``*.example``) and every phone prefix is an Ofcom drama range, so no sample record can reach
a real person. No I/O here.
"""

from __future__ import annotations

from datetime import date

from pfpp_tui.models.common import OrganisationKind as K
from pfpp_tui.sample.specs import FormerNameSpec, OrgSpec

LONDON = "020 7946 0"
BIRMINGHAM = "0121 496 0"
LEEDS = "0113 496 0"
TYNESIDE = "0191 498 0"
LIVERPOOL = "0151 496 0"
# Ofcom's drama code with no real area behind it, for places without their own drama range.
NO_AREA = "01632 960"
MOBILE = "07700 900"

NORTH_EAST = ("durham", "newcastle", "northumberland", "sunderland")

ORGANISATIONS: tuple[OrgSpec, ...] = (
    # Central departments invited at the start, under today's names.
    OrgSpec(
        "mhclg",
        "Ministry of Housing, Communities and Local Government",
        "MHCLG",
        K.CENTRAL_DEPARTMENT,
        "mhclg.example",
        LONDON,
        notes="Home of the Partnerships for People and Place (PfPP) programme team.",
        former_names=(
            FormerNameSpec(
                "Department for Communities and Local Government", "DCLG", date(2018, 1, 8)
            ),
            FormerNameSpec(
                "Ministry of Housing, Communities and Local Government",
                "MHCLG",
                date(2021, 9, 19),
            ),
            FormerNameSpec(
                "Department for Levelling Up, Housing and Communities",
                "DLUHC",
                date(2024, 7, 8),
            ),
        ),
    ),
    OrgSpec(
        "hmt",
        "HM Treasury",
        "HMT",
        K.CENTRAL_DEPARTMENT,
        "hmtreasury.example",
        LONDON,
        notes="Funds PfPP through the Shared Outcomes Fund (Feb 2021 to Mar 2023).",
    ),
    OrgSpec("ho", "Home Office", "HO", K.CENTRAL_DEPARTMENT, "homeoffice.example", LONDON),
    OrgSpec("co", "Cabinet Office", "CO", K.CENTRAL_DEPARTMENT, "cabinetoffice.example", LONDON),
    OrgSpec(
        "defra",
        "Department for Environment, Food and Rural Affairs",
        "Defra",
        K.CENTRAL_DEPARTMENT,
        "defra.example",
        LONDON,
    ),
    OrgSpec(
        "dfe",
        "Department for Education",
        "DfE",
        K.CENTRAL_DEPARTMENT,
        "education.example",
        LONDON,
    ),
    OrgSpec("moj", "Ministry of Justice", "MoJ", K.CENTRAL_DEPARTMENT, "justice.example", LONDON),
    OrgSpec(
        "dhsc",
        "Department of Health and Social Care",
        "DHSC",
        K.CENTRAL_DEPARTMENT,
        "dhsc.example",
        LONDON,
        notes="Includes the Office for Health Improvement and Disparities (OHID) since Oct 2021.",
    ),
    OrgSpec(
        "dcms",
        "Department for Culture, Media and Sport",
        "DCMS",
        K.CENTRAL_DEPARTMENT,
        "dcms.example",
        LONDON,
        former_names=(
            FormerNameSpec(
                "Department for Digital, Culture, Media and Sport", "DCMS", date(2023, 2, 7)
            ),
        ),
    ),
    OrgSpec(
        "dwp",
        "Department for Work and Pensions",
        "DWP",
        K.CENTRAL_DEPARTMENT,
        "dwp.example",
        LONDON,
    ),
    OrgSpec("dft", "Department for Transport", "DfT", K.CENTRAL_DEPARTMENT, "dft.example", LONDON),
    OrgSpec(
        "desnz",
        "Department for Energy Security and Net Zero",
        "DESNZ",
        K.CENTRAL_DEPARTMENT,
        "desnz.example",
        LONDON,
        notes="Created when BEIS was split on 7 Feb 2023; energy and fuel poverty came here.",
        former_names=(
            FormerNameSpec(
                "Department for Business, Energy and Industrial Strategy",
                "BEIS",
                date(2023, 2, 7),
            ),
        ),
    ),
    # Arm's-length bodies.
    OrgSpec(
        "phe",
        "Public Health England",
        "PHE",
        K.ARMS_LENGTH_BODY,
        "phe.example",
        LONDON,
        parent="dhsc",
        notes="Closed 1 Oct 2021: health protection moved to UKHSA, health improvement to "
        "OHID in DHSC. Kept so early PfPP records still make sense.",
    ),
    OrgSpec(
        "ukhsa",
        "UK Health Security Agency",
        "UKHSA",
        K.ARMS_LENGTH_BODY,
        "ukhsa.example",
        LONDON,
        parent="dhsc",
        loose_contacts=1,
    ),
    OrgSpec(
        "nhse",
        "NHS England",
        "NHSE",
        K.ARMS_LENGTH_BODY,
        "england-nhs.example",
        LEEDS,
        parent="dhsc",
    ),
    # The 13 lead councils, plus the district council that licenses Hastings landlords.
    OrgSpec(
        "bcc",
        "Birmingham City Council",
        "BCC",
        K.LOCAL_AUTHORITY,
        "birmingham.example",
        BIRMINGHAM,
        pilots=("birmingham",),
    ),
    OrgSpec(
        "cbmdc",
        "City of Bradford Metropolitan District Council",
        "CBMDC",
        K.LOCAL_AUTHORITY,
        "bradford.example",
        LEEDS,
        pilots=("bradford",),
    ),
    OrgSpec(
        "cornwall",
        "Cornwall Council",
        None,
        K.LOCAL_AUTHORITY,
        "cornwall.example",
        NO_AREA,
        pilots=("cornwall",),
    ),
    OrgSpec(
        "dcc",
        "Durham County Council",
        "DCC",
        K.LOCAL_AUTHORITY,
        "durham.example",
        TYNESIDE,
        pilots=("durham",),
    ),
    OrgSpec(
        "escc",
        "East Sussex County Council",
        "ESCC",
        K.LOCAL_AUTHORITY,
        "eastsussex.example",
        NO_AREA,
        pilots=("east_sussex",),
    ),
    OrgSpec(
        "hbc",
        "Hastings Borough Council",
        "HBC",
        K.LOCAL_AUTHORITY,
        "hastings.example",
        NO_AREA,
        pilots=("east_sussex",),
        loose_contacts=2,
    ),
    OrgSpec(
        "hackney",
        "London Borough of Hackney",
        "LBH",
        K.LOCAL_AUTHORITY,
        "hackney.example",
        LONDON,
        pilots=("hackney",),
    ),
    OrgSpec(
        "lcc",
        "Liverpool City Council",
        "LCC",
        K.LOCAL_AUTHORITY,
        "liverpool.example",
        LIVERPOOL,
        pilots=("liverpool",),
    ),
    OrgSpec(
        "lbc",
        "Luton Borough Council",
        "LBC",
        K.LOCAL_AUTHORITY,
        "luton.example",
        NO_AREA,
        pilots=("luton",),
    ),
    OrgSpec(
        "ncc",
        "Newcastle City Council",
        "NCC",
        K.LOCAL_AUTHORITY,
        "newcastle.example",
        TYNESIDE,
        pilots=("newcastle",),
    ),
    OrgSpec(
        "nland",
        "Northumberland County Council",
        None,
        K.LOCAL_AUTHORITY,
        "northumberland.example",
        TYNESIDE,
        pilots=("northumberland",),
    ),
    OrgSpec(
        "southwark",
        "Southwark Council",
        None,
        K.LOCAL_AUTHORITY,
        "southwark.example",
        LONDON,
        pilots=("southwark",),
    ),
    OrgSpec(
        "scc",
        "Sunderland City Council",
        "SCC",
        K.LOCAL_AUTHORITY,
        "sunderland.example",
        TYNESIDE,
        pilots=("sunderland",),
    ),
    OrgSpec(
        "wakefield",
        "Wakefield Council",
        None,
        K.LOCAL_AUTHORITY,
        "wakefield.example",
        LEEDS,
        pilots=("wakefield",),
    ),
    # NHS integrated care boards (in place from 1 Jul 2022).
    OrgSpec(
        "icb_bsol",
        "NHS Birmingham and Solihull ICB",
        "BSol ICB",
        K.NHS_BODY,
        "bsol-icb.example",
        BIRMINGHAM,
        pilots=("birmingham",),
        loose_contacts=1,
    ),
    OrgSpec(
        "icb_wy",
        "NHS West Yorkshire ICB",
        "WY ICB",
        K.NHS_BODY,
        "wy-icb.example",
        LEEDS,
        pilots=("bradford", "wakefield"),
        loose_contacts=2,
    ),
    OrgSpec(
        "icb_nenc",
        "NHS North East and North Cumbria ICB",
        "NENC ICB",
        K.NHS_BODY,
        "nenc-icb.example",
        TYNESIDE,
        pilots=NORTH_EAST,
        loose_contacts=2,
    ),
    OrgSpec(
        "icb_sussex",
        "NHS Sussex ICB",
        None,
        K.NHS_BODY,
        "sussex-icb.example",
        NO_AREA,
        pilots=("east_sussex",),
        loose_contacts=1,
    ),
    OrgSpec(
        "icb_nel",
        "NHS North East London ICB",
        "NEL ICB",
        K.NHS_BODY,
        "nel-icb.example",
        LONDON,
        pilots=("hackney",),
        loose_contacts=1,
    ),
    OrgSpec(
        "icb_blmk",
        "NHS Bedfordshire, Luton and Milton Keynes ICB",
        "BLMK ICB",
        K.NHS_BODY,
        "blmk-icb.example",
        NO_AREA,
        pilots=("luton",),
        loose_contacts=1,
    ),
    # Police.
    OrgSpec(
        "durham_police",
        "Durham Constabulary",
        None,
        K.PUBLIC_BODY,
        "durham-police.example",
        TYNESIDE,
        pilots=("durham",),
    ),
    OrgSpec(
        "beds_police",
        "Bedfordshire Police",
        None,
        K.PUBLIC_BODY,
        "beds-police.example",
        NO_AREA,
        pilots=("luton",),
    ),
    OrgSpec(
        "wy_police",
        "West Yorkshire Police",
        "WYP",
        K.PUBLIC_BODY,
        "wy-police.example",
        LEEDS,
        pilots=("bradford", "wakefield"),
        loose_contacts=2,
    ),
    # Voluntary and community sector.
    OrgSpec(
        "bradford_vcs",
        "Bradford VCS Alliance",
        None,
        K.VOLUNTARY_COMMUNITY,
        "bradfordvcs.example",
        LEEDS,
        pilots=("bradford",),
        loose_contacts=4,
        notes="Co-designs and runs the Bradford multiple-disadvantage hubs with the council.",
    ),
    OrgSpec(
        "hva",
        "Hastings Voluntary Action",
        "HVA",
        K.VOLUNTARY_COMMUNITY,
        "hva.example",
        NO_AREA,
        pilots=("east_sussex",),
        loose_contacts=2,
    ),
    OrgSpec(
        "hackney_cvs",
        "Hackney CVS",
        None,
        K.VOLUNTARY_COMMUNITY,
        "hackneycvs.example",
        LONDON,
        pilots=("hackney",),
        loose_contacts=3,
    ),
    # Research, evaluation and private partners.
    OrgSpec(
        "ipsos",
        "Ipsos UK",
        "Ipsos",
        K.RESEARCH_EVALUATION,
        "ipsos.example",
        LONDON,
        notes="Independent evaluator of the PfPP programme.",
    ),
    OrgSpec(
        "gt",
        "Grant Thornton UK LLP",
        "Grant Thornton",
        K.RESEARCH_EVALUATION,
        "grantthornton.example",
        LONDON,
        notes="Mapped central government funding flows into each pilot place.",
    ),
    OrgSpec(
        "sbid",
        "Sunderland Business Improvement District",
        "Sunderland BID",
        K.PRIVATE_PARTNER,
        "sunderlandbid.example",
        TYNESIDE,
        pilots=("sunderland",),
        loose_contacts=2,
    ),
)
