"""Regenerate docs/overview.svg and docs/coverage.svg from a private copy of sample.db.

Usage: python scripts/screenshots.py [--as-of 2023-11-10] [--out docs]
The sample's story ends in November 2023, so the default date keeps the pictures meaningful
(and identical from run to run).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", default="2023-11-10", help="the date the views count from")
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder for the SVG files")
    args = parser.parse_args()
    from pfpp_tui.tui.insight_screenshots import save_insight_screenshots

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "sample.db"
        shutil.copyfile(ROOT / "sample.db", copy)
        for path in save_insight_screenshots(
            copy, Path(args.out), today=date.fromisoformat(args.as_of)
        ):
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
