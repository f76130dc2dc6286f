"""``python -m pfpp_tui.cli``: the same as the ``pfpp`` command."""

from __future__ import annotations

from pfpp_tui.cli.entry import run

run()
