"""User settings kept in one small TOML file: key remaps, the theme, saved filter views.

Owns: reading ``config.toml`` (``pfpp_tui.paths.config_path()``, honouring ``PFPP_CONFIG``)
with ``tomllib`` and writing it back. Writing is by hand because the file is tiny and flat;
unknown top-level tables are kept on save so a user's own additions survive. A broken file
never stops the app: ``load_settings`` reports the problem in ``Settings.problem`` and
falls back to defaults. No Textual here; the TUI applies the values.

The file looks like::

    theme = "textual-light"

    [keymap]
    "record.new" = "a"            # binding id = key(s), comma-separated for several

    [views.contacts]
    "Luton people" = "pilot:luton"
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pfpp_tui.paths import config_path


@dataclass(slots=True)
class Settings:
    """Everything the app remembers between runs."""

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    # section key (e.g. "contacts") -> view name -> filter text
    views: dict[str, dict[str, str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None

    def save_view(self, section: str, name: str, query: str) -> None:
        self.views.setdefault(section, {})[name] = query

    def delete_view(self, section: str, name: str) -> None:
        self.views.get(section, {}).pop(name, None)


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file gives defaults, a broken one defaults plus ``problem``."""
    target = path or config_path()
    try:
        raw = tomllib.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Settings(problem=f"{target}: {exc} — using default settings")
    settings = Settings()
    theme = raw.pop("theme", None)
    settings.theme = theme if isinstance(theme, str) else None
    keymap = raw.pop("keymap", {})
    if isinstance(keymap, dict):
        settings.keymap = {
            str(k): ",".join(v) if isinstance(v, list) else str(v) for k, v in keymap.items()
        }
    views = raw.pop("views", {})
    if isinstance(views, dict):
        for section, named in views.items():
            if isinstance(named, dict):
                settings.views[str(section)] = {str(k): str(v) for k, v in named.items()}
    settings.extra = raw
    return settings


def _key(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def render_settings(settings: Settings) -> str:
    """The TOML text for ``settings`` (JSON string escapes are valid TOML basic strings)."""
    lines: list[str] = ["# pfpp-tui settings (edited by the app; comments are not kept)"]
    if settings.theme:
        lines.append(f"theme = {_value(settings.theme)}")
    scalars = {k: v for k, v in settings.extra.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in settings.extra.items() if isinstance(v, dict)}
    lines.extend(f"{_key(k)} = {_value(v)}" for k, v in scalars.items())
    if settings.keymap:
        lines += ["", "[keymap]"]
        lines.extend(f"{_key(k)} = {_value(v)}" for k, v in sorted(settings.keymap.items()))
    for section, named in sorted(settings.views.items()):
        if named:
            lines += ["", f"[views.{_key(section)}]"]
            lines.extend(f"{_key(k)} = {_value(v)}" for k, v in sorted(named.items()))
    for name, table in tables.items():
        flat = {k: v for k, v in table.items() if not isinstance(v, dict)}
        lines += ["", f"[{_key(name)}]"]
        lines.extend(f"{_key(k)} = {_value(v)}" for k, v in flat.items())
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write atomically (temp file + rename) so a crash never leaves half a config."""
    target = path or config_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(target.name + ".tmp")
    temp.write_text(render_settings(settings), encoding="utf-8")
    os.replace(temp, target)
    return target
