"""Settings file: defaults, round trip, broken files, and that PFPP_CONFIG is honoured."""

from __future__ import annotations

from pathlib import Path

import pytest

from pfpp_tui.config import Settings, load_settings, render_settings, save_settings
from pfpp_tui.paths import config_path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.toml")
    assert (settings.theme, settings.keymap, settings.views, settings.problem) == (
        None, {}, {}, None,
    )  # fmt: skip


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    settings = Settings(theme="textual-light", keymap={"record.new": "a", "app.quit": "ctrl+q"})
    settings.save_view("contacts", 'Luton "people"', 'pilot:luton org:"home office"')
    settings.extra = {"note": "mine", "custom": {"x": 1}}
    save_settings(settings, target)
    again = load_settings(target)
    assert again.theme == "textual-light"
    assert again.keymap == settings.keymap
    assert again.views == {"contacts": {'Luton "people"': 'pilot:luton org:"home office"'}}
    assert again.extra == {"note": "mine", "custom": {"x": 1}}
    again.delete_view("contacts", 'Luton "people"')
    assert "views" not in render_settings(again)


def test_keymap_lists_become_comma_keys(tmp_path: Path) -> None:
    target = tmp_path / "c.toml"
    target.write_text('[keymap]\n"record.new" = ["a", "ctrl+n"]\n', encoding="utf-8")
    assert load_settings(target).keymap == {"record.new": "a,ctrl+n"}


@pytest.mark.parametrize("text", ["theme = [", "\xff\xfe", "[views]\nx = 1\n[views]\n"])
def test_broken_file_reports_problem(tmp_path: Path, text: str) -> None:
    target = tmp_path / "bad.toml"
    target.write_bytes(text.encode("latin-1"))
    settings = load_settings(target)
    if settings.problem is None:  # valid TOML of the wrong shape is tolerated
        assert settings.views == {}
    else:
        assert str(target) in settings.problem


def test_pfpp_config_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PFPP_CONFIG", str(tmp_path / "elsewhere.toml"))
    save_settings(Settings(theme="pfpp-high-contrast"))
    assert config_path() == tmp_path / "elsewhere.toml"
    assert load_settings().theme == "pfpp-high-contrast"
