"""Deterministic sample data for ``sample.db`` and ``pfpp demo``: the 13 PfPP pilot places.

Reference data (organisations, teams, places, wording) lives in plain modules; ``generate``
turns it into rows. Nothing here opens a database or reads the clock.
"""

from __future__ import annotations

from pfpp_tui.sample.generate import SAMPLE_ANCHOR, SAMPLE_SEED, build_sample

__all__ = ["SAMPLE_ANCHOR", "SAMPLE_SEED", "build_sample"]
