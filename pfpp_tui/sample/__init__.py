"""Deterministic sample data for ``sample.db`` and ``pfpp demo``: the 13 PfPP pilot places.

Reference data (organisations, teams, places, wording) lives in plain modules; ``generate``
turns it into rows. Nothing here opens a database or reads the clock.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SAMPLE_ANCHOR", "SAMPLE_SEED", "build_sample"]


def __getattr__(name: str) -> Any:
    """Loaded when asked for: ``pfpp demo`` imports ``sample.demo`` without the generator (and
    the ORM it needs) before the app's first frame (issue 19)."""
    if name in __all__:
        from pfpp_tui.sample import generate

        return getattr(generate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
