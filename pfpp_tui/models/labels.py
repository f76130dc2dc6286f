"""The vocabularies' labels, kept importable from here: they live in ``pfpp_tui.labels`` (light,
no ORM: the first frame labels its rows before SQLAlchemy loads)."""

from __future__ import annotations

from pfpp_tui.labels import *  # noqa: F403
from pfpp_tui.labels import __all__ as __all__
