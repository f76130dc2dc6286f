"""The public entry point that fills a database with the sample programme.

``pfpp sample PATH`` and ``pfpp demo`` call ``build_sample`` on an empty, migrated database.
The build is deterministic — one ``random.Random(SAMPLE_SEED)``, no clock reads, every
timestamp derived from ``SAMPLE_ANCHOR`` — so the committed ``sample.db`` can be checked
against a fresh build. Historical facts (pilot start/end dates, organisation renames,
financial years) are fixed; every other date is relative to ``SAMPLE_ANCHOR`` and may be
shifted by the demo.

Must not commit or write change history: the caller owns the transaction.
"""

from __future__ import annotations

import random

from sqlmodel import Session

from pfpp_tui.sample.anchor import SAMPLE_ANCHOR, SAMPLE_SEED
from pfpp_tui.sample.directory import add_funding, build_directory
from pfpp_tui.sample.partnership import build_partnership
from pfpp_tui.sample.shared_barriers import add_shared_barriers
from pfpp_tui.sample.work import build_work

__all__ = ["SAMPLE_ANCHOR", "SAMPLE_SEED", "build_sample"]


def build_sample(session: Session) -> None:
    """Fill an empty, migrated database with the sample programme; flushes, never commits."""
    directory = build_directory(session, random.Random(SAMPLE_SEED))
    build_work(session, directory)
    add_funding(session, directory)
    build_partnership(session, directory)
    add_shared_barriers(session, directory)
