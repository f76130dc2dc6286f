"""Organisations an import creates get the kind their name points to, or "not yet classified"."""

from __future__ import annotations

import pytest

from pfpp_tui.models import OrganisationKind as K
from pfpp_tui.store.directory.org_kind import guess_kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Department for Education", K.CENTRAL_DEPARTMENT),
        ("DLUHC", K.CENTRAL_DEPARTMENT),
        ("Home Office", K.CENTRAL_DEPARTMENT),
        ("Luton Borough Council", K.LOCAL_AUTHORITY),
        ("West Yorkshire Combined Authority", K.LOCAL_AUTHORITY),
        ("NHS Bedfordshire, Luton and Milton Keynes ICB", K.NHS_BODY),
        ("Luton and Dunstable University Hospital NHS Foundation Trust", K.NHS_BODY),
        ("Bedfordshire Police", K.PUBLIC_BODY),
        ("University of Bedfordshire", K.RESEARCH_EVALUATION),
        ("New Charity Ltd", K.VOLUNTARY_COMMUNITY),
        ("Luton Foodbank", K.VOLUNTARY_COMMUNITY),
        ("Bradford VCS Alliance", K.VOLUNTARY_COMMUNITY),
        ("Environment Agency", K.ARMS_LENGTH_BODY),
        ("Acme Consulting Ltd", K.PRIVATE_PARTNER),
        ("Mind in Luton", K.UNKNOWN),
        ("Department 3", K.UNKNOWN),  # "department" alone is no sign: "for"/"of" is
        ("Councillor Smith's office", K.UNKNOWN),  # whole words only
    ],
)
def test_guess_kind(name: str, kind: K) -> None:
    assert guess_kind(name) is kind
