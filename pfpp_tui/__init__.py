"""pfpp-tui: a keyboard-first terminal app for a place-based partnership programme."""

from __future__ import annotations

__version__ = "0.1.0"
