"""The palette lists an exactly named record first, then names that start with what was typed,
each with its kind ("Pilot · Luton"), before fuzzier matches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.command import CommandList, CommandPalette

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.commands import title_rank


def test_exact_then_prefix_then_fuzzy_whatever_the_fuzzy_score() -> None:
    exact = title_rank("durham", "Durham", 0.5)
    prefix_short = title_rank("durham", "Durham Road", 0.7)
    prefix_long = title_rank("durham", "Durham Road meeting", 1.0)
    fuzzy_best = title_rank("durham", "Dunham", 1.0)
    assert exact > prefix_short > prefix_long > fuzzy_best
    assert title_rank("New pilot", "new  pilot", 0.4) == exact  # case and spaces do not count
    assert title_rank("", "Durham", 0.5) == title_rank("x", "Durham", 0.5)  # nothing typed: fuzzy


async def test_typing_a_name_lists_the_exact_record_first_with_its_kind(
    seeded_path: tuple[Path, Seeded],
) -> None:
    path, _ = seeded_path
    db = open_database(path)
    for name in (
        "North Luton",
        "Luton North",
    ):  # a name holding it, and a longer one starting with it
        create_record(db, table="pilot", values={"name": name}, source=ChangeSource.CLI)
    db.dispose()
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await pilot.press(*"luton")
        options = palette.query_one(CommandList)

        def shown() -> list[str]:
            prompts = (options.get_option_at_index(i).prompt for i in range(options.option_count))
            return [str(prompt).splitlines()[0] for prompt in prompts]  # the title, not the help

        for _ in range(500):  # the record search runs off the event loop: wait for its hits
            if {"Pilot · North Luton", "Pilot · Luton North"} <= set(shown()):
                break
            await pilot.pause()
        await settle(pilot)
        hits: list[Any] = shown()
        assert hits[0] == "Pilot · Luton"
        assert hits.index("Pilot · Luton North") < hits.index("Pilot · North Luton")
        starting = [
            i for i, h in enumerate(hits) if h.split(" · ", 1)[-1].lower().startswith("luton")
        ]
        assert starting == list(range(len(starting)))  # every name starting "luton" before the rest
        assert hits.index("Organisation · Luton Borough Council") < hits.index(
            "Pilot · North Luton"
        )
