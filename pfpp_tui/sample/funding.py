"""Funding flows from central government into the pilot places, as Grant Thornton mapped them.

Pot names are real central programmes of the period; which place got which pot, and every
amount, is invented for the sample. The mix follows the published finding: one PfPP grant per
place (£150k to £350k over two years) beside a high number of small grants under £100,000.
No I/O here.
"""

from __future__ import annotations

from typing import NamedTuple


class FlowSpec(NamedTuple):
    pilot: str
    source: str  # organisation key
    pot: str
    amount_gbp: int
    financial_year: str
    outcome: str


PFPP_POT = "Partnerships for People and Place pilot grant"

# Per place: (amount, financial year the grant was paid in).
PFPP_GRANTS: dict[str, tuple[int, str]] = {
    "birmingham": (340_000, "2021-22"),
    "bradford": (350_000, "2021-22"),
    "cornwall": (220_000, "2022-23"),
    "durham": (275_000, "2021-22"),
    "east_sussex": (300_000, "2021-22"),
    "hackney": (180_000, "2021-22"),
    "liverpool": (250_000, "2022-23"),
    "luton": (320_000, "2021-22"),
    "newcastle": (150_000, "2022-23"),
    "northumberland": (200_000, "2022-23"),
    "southwark": (230_000, "2021-22"),
    "sunderland": (260_000, "2021-22"),
    "wakefield": (165_000, "2022-23"),
}

SMALL_GRANTS: tuple[FlowSpec, ...] = (
    FlowSpec(
        "east_sussex",
        "desnz",
        "Green Homes Grant Local Authority Delivery",
        96_000,
        "2021-22",
        "Insulation for low-income private rented homes",
    ),
    FlowSpec(
        "east_sussex",
        "desnz",
        "Home Upgrade Grant",
        84_500,
        "2023-24",
        "Off-gas heating upgrades in the three wards",
    ),
    FlowSpec(
        "east_sussex",
        "dwp",
        "Household Support Fund",
        45_000,
        "2022-23",
        "Emergency heating and energy top-ups",
    ),
    FlowSpec(
        "luton",
        "mhclg",
        "Rough Sleeping Initiative",
        98_000,
        "2022-23",
        "Night shelter places and street outreach",
    ),
    FlowSpec(
        "luton", "ho", "Safer Streets Fund", 72_500, "2021-22", "Town-centre CCTV and lighting"
    ),
    FlowSpec(
        "durham",
        "ho",
        "Safer Streets Fund",
        88_000,
        "2022-23",
        "Alley gates and target hardening in Horden",
    ),
    FlowSpec(
        "durham",
        "mhclg",
        "UK Shared Prosperity Fund",
        55_000,
        "2023-24",
        "Community safety hub in Horden",
    ),
    FlowSpec(
        "birmingham",
        "dcms",
        "Youth Investment Fund",
        95_000,
        "2022-23",
        "Fit-out of the East Birmingham youth hub",
    ),
    FlowSpec(
        "birmingham",
        "dfe",
        "Careers Hub",
        38_000,
        "2021-22",
        "Careers leaders in East Birmingham schools",
    ),
    FlowSpec(
        "bradford",
        "mhclg",
        "Rough Sleeping Initiative",
        76_000,
        "2023-24",
        "Housing workers in the multiple-disadvantage hubs",
    ),
    FlowSpec(
        "bradford",
        "nhse",
        "Community mental health transformation",
        90_000,
        "2022-23",
        "Mental health practitioners in the hubs",
    ),
    FlowSpec(
        "cornwall",
        "dfe",
        "Skills Bootcamps",
        67_000,
        "2022-23",
        "Construction and care bootcamp places for Bodmin residents",
    ),
    FlowSpec("cornwall", "dfe", "Multiply", 28_000, "2023-24", "Adult numeracy courses"),
    FlowSpec(
        "cornwall",
        "dwp",
        "Flexible Support Fund",
        15_000,
        "2022-23",
        "Travel costs for jobseekers reaching the business park",
    ),
    FlowSpec(
        "northumberland",
        "dft",
        "Bus Service Improvement Plan",
        99_000,
        "2022-23",
        "Demand-responsive bus trial",
    ),
    FlowSpec(
        "southwark",
        "dwp",
        "Household Support Fund",
        60_000,
        "2022-23",
        "Community fridges and food vouchers",
    ),
    FlowSpec(
        "wakefield",
        "dwp",
        "Household Support Fund",
        92_000,
        "2022-23",
        "Warm spaces and energy vouchers",
    ),
    FlowSpec(
        "wakefield",
        "dwp",
        "Household Support Fund",
        58_000,
        "2023-24",
        "Warm spaces for a second winter",
    ),
    FlowSpec(
        "newcastle",
        "dcms",
        "Digital Lifeline",
        12_500,
        "2022-23",
        "Devices and data for residents in the West End",
    ),
    FlowSpec(
        "liverpool",
        "dfe",
        "Holiday Activities and Food programme",
        54_000,
        "2022-23",
        "Holiday clubs linked to the attendance work",
    ),
)
