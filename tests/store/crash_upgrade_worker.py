"""Run ``pfpp db upgrade`` in its own process so a test can ``kill -9`` it mid-way.

``python -m tests.store.crash_upgrade_worker DB``: imports the CLI, prints ``ready``, runs the
real command (``pfpp --db DB db upgrade``: pre-migration backup, then every revision from the
database's to head) and prints ``done``.
"""

from __future__ import annotations

import sys

from pfpp_tui.cli.main import app


def main() -> None:
    location = sys.argv[1]
    print("ready", flush=True)
    app(["--db", location, "db", "upgrade"], standalone_mode=False)
    print("done", flush=True)


if __name__ == "__main__":
    main()
