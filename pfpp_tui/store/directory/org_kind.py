"""What kind of organisation a bare name most likely is, for organisations an import creates.

An import knows only a name ("Luton Borough Council", "New Charity Ltd"). Filing every new one
as a central department put charities and consultancies into the coverage matrix's department
columns, so an import now guesses from the name and, when nothing in it is a clear sign,
files it as ``unknown`` ("not yet classified") for a person to set in the Organisations
section. The rules are deliberately few and read in order: the first that matches wins.
"""

from __future__ import annotations

import re

from pfpp_tui.models import OrganisationKind

# (kind, words or phrases in the name separated by "|", matched case-insensitively as whole
# words). NHS before voluntary ("NHS Foundation Trust" is not a charity); voluntary before
# private ("Hope Charity Ltd" is a charity that happens to be a company).
_RULES: list[tuple[OrganisationKind, str]] = [
    (
        OrganisationKind.NHS_BODY,
        "nhs|icb|integrated care board|integrated care system|clinical commissioning group|ccg"
        "|health board|hospital|ambulance service",
    ),
    (
        OrganisationKind.CENTRAL_DEPARTMENT,
        "department for|department of|ministry of|hm treasury|home office|cabinet office"
        "|foreign, commonwealth|hm revenue|hmrc|dwp|dfe|dhsc|dluhc|mhclg|desnz|defra|dcms"
        "|dsit|dft|dbt|moj|fcdo|mod",
    ),
    (
        OrganisationKind.LOCAL_AUTHORITY,
        "council|borough|combined authority|greater london authority|metropolitan district"
        "|unitary authority",
    ),
    (
        OrganisationKind.PUBLIC_BODY,
        "police|constabulary|fire and rescue|fire & rescue|probation|jobcentre|job centre",
    ),
    (
        OrganisationKind.RESEARCH_EVALUATION,
        "university|college|institute|research|evaluation|think tank",
    ),
    (
        OrganisationKind.VOLUNTARY_COMMUNITY,
        "charity|charitable|trust|foundation|cic|community|voluntary|cvs|association|hospice"
        "|society|volunteer|volunteers|network|alliance|food bank|foodbank|church|mosque"
        "|gurdwara|temple",
    ),
    (
        OrganisationKind.ARMS_LENGTH_BODY,
        "agency|authority|commission|office for|executive|regulator",
    ),
    (
        OrganisationKind.PRIVATE_PARTNER,
        "ltd|limited|plc|llp|consulting|consultancy|consultants|solutions|group",
    ),
]
_PATTERNS = [
    (kind, re.compile(r"\b(?:" + "|".join(map(re.escape, words.split("|"))) + r")\b", re.I))
    for kind, words in _RULES
]


def guess_kind(name: str) -> OrganisationKind:
    """The kind the name points to, or ``UNKNOWN`` when nothing in it is a clear sign."""
    for kind, pattern in _PATTERNS:
        if pattern.search(name):
            return kind
    return OrganisationKind.UNKNOWN
