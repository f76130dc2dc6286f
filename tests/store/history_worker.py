"""Make random changes forever, acknowledging each after its commit, until ``kill -9``.

``python -m tests.store.history_worker DB FOLDER ACKS SEED``: opens DB, prints ``ready``, then
loops over ``history_changes.RandomChanges`` steps with a 400-row contact import every tenth
step (a long transaction to be killed inside). After each change commits it appends
``{"rows": N}`` to ACKS (flushed), N being the history rows that change wrote.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from pfpp_tui.store.db.database import open_database
from tests.store.history_changes import RandomChanges

IMPORT_EVERY = 10
IMPORT_ROWS = 400


def main() -> None:
    db_path, folder, acks, seed = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    db = open_database(db_path)
    changes = RandomChanges(db, random.Random(int(seed)), tag=f"w{seed}")
    with open(acks, "a", encoding="utf-8") as out:
        print("ready", flush=True)
        step = 0
        while True:
            step += 1
            if step % IMPORT_EVERY == 0:
                rows = changes.import_contacts(folder, IMPORT_ROWS)
            else:
                rows = changes.step()
            out.write(json.dumps({"rows": rows}) + "\n")
            out.flush()


if __name__ == "__main__":
    main()
