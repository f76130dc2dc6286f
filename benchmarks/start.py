"""How fast pfpp starts, as the user sees it: whole processes, timed from outside, in paired rounds.

Issue 19 asks for these ratios, each against a reference spawned the same way in the same run
(the machine is shared and noisy, so only ratios of medians from alternating rounds mean much):

- **first frame**: ``pfpp --db sample.db`` in a pseudo-terminal, from exec until the first frame
  that shows real rows, against a bare Textual app that reads the same kind of rows with
  ``sqlite3`` into one ``Static`` (goal <= 1.5x); the same on 100,000 contacts, People section;
- **quit**: ``ctrl+q`` after that frame until the process is gone, against a one-``Static``
  Textual app (goal <= 1.5x);
- **commands**: ``pfpp --version`` and ``--help`` (goal <= 1.5x) and ``export actions --format
  json``, ``digest`` and a 5-row import (goal <= 2x), against a minimal Typer app that prints a
  version.

A "frame with rows" is detected in the bytes the process writes to its terminal: escape
sequences are dropped and the text searched for a value only the database holds.

    python benchmarks/start.py              # sample.db, 7 paired rounds
    python benchmarks/start.py --rounds 11 --big 100000
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from fcntl import ioctl
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample.db"
BIN = Path(sys.executable).parent
PFPP = str(BIN / "pfpp") if (BIN / "pfpp").exists() else "pfpp"
COLUMNS, LINES = 120, 40
TIMEOUT_S = 60.0
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")

# The bare reference: the least a Textual app can do to show rows from the same SQLite file.
BARE_APP = """
import sqlite3, sys
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        conn = sqlite3.connect(sys.argv[1])
        rows = conn.execute(sys.argv[2]).fetchall()
        conn.close()
        yield Static("\\n".join("  ".join(str(v) for v in row) for row in rows))

Bare().run()
"""

# For scale: the same bare app started from a Typer command, as ``pfpp`` starts its app — the
# least a first frame reached through a Typer CLI can cost.
BARE_TYPER_APP = """
import sqlite3, sys
import typer
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        conn = sqlite3.connect(sys.argv[1])
        rows = conn.execute(sys.argv[2]).fetchall()
        conn.close()
        yield Static("\\n".join("  ".join(str(v) for v in row) for row in rows))

cli = typer.Typer()

@cli.command()
def main(db: str, sql: str) -> None:
    Bare().run()

cli()
"""

# The quit reference: one Static, nothing read.
MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("minimal ready")

Minimal().run()
"""

# The command reference: a Typer app with one option, as small as a CLI can be.
MINIMAL_TYPER = """
import typer

app = typer.Typer()

@app.command()
def main(version: bool = typer.Option(False, "--version")) -> None:
    typer.echo("minimal 1.0")

app()
"""

# The least a command that reads the database through pfpp's models can cost: the same Typer app
# that first imports the models (SQLAlchemy, SQLModel, pydantic) and opens the file with SQLite.
MODELS_TYPER = """
import sys
import typer
import pfpp_tui.models
import sqlite3

app = typer.Typer()

@app.command()
def main(db: str) -> None:
    sqlite3.connect(db).execute("SELECT count(*) FROM pilot").fetchone()
    typer.echo("minimal 1.0")

app()
"""


class Spawned:
    """A process on a pseudo-terminal of a fixed size, whose output is read as it comes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes the program
            os.execvpe(argv[0], argv, env)
        ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.seen = b""

    def wait_for(self, marker: bytes) -> float:
        """Seconds from exec until ``marker`` appears in the screen's text."""
        deadline = self.started + TIMEOUT_S
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                self.seen += chunk
                if marker in ANSI.sub(b"", self.seen):
                    return time.perf_counter() - self.started
        raise RuntimeError(f"{marker!r} never appeared; last output: {self.seen[-400:]!r}")

    def quit(self, keys: bytes = b"\x11") -> float:
        """Seconds from sending ``keys`` (ctrl+q) until the process has exited."""
        sent = time.perf_counter()
        os.write(self.fd, keys)
        while True:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    if not os.read(self.fd, 65536):
                        break
                except OSError:
                    break
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return time.perf_counter() - sent
            if time.perf_counter() - sent > TIMEOUT_S:
                raise RuntimeError("the process did not quit")
        os.waitpid(self.pid, 0)
        return time.perf_counter() - sent

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def terminal_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TERM="xterm-256color",
        COLUMNS=str(COLUMNS),
        LINES=str(LINES),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        PFPP_CONFIG=str(home / "config.toml"),
    )
    env.pop("TEXTUAL", None)
    return env


def first_frame(argv: list[str], marker: bytes, env: dict[str, str]) -> tuple[float, float]:
    """(seconds to the first frame with ``marker``, seconds to quit after it)."""
    proc = Spawned(argv, env)
    try:
        shown = proc.wait_for(marker)
        gone = proc.quit()
        return shown, gone
    finally:
        proc.kill()


def command(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed: {done.stderr.decode()[-400:]}")
    return took


def paired(rounds: int, subject: Callable[[], float], reference: Callable[[], float]) -> str:
    """Alternate the two ``rounds`` times (after one warm-up each); the ratio of the medians."""
    subject(), reference()
    ours, theirs = [], []
    for _ in range(rounds):
        ours.append(subject())
        theirs.append(reference())
    a, b = statistics.median(ours), statistics.median(theirs)
    return f"{a * 1000:7.0f} ms vs {b * 1000:6.0f} ms  = {a / b:4.2f}x"


def build_big(path: Path, n: int) -> None:
    """The 100,000-contact workspace ``benchmarks/tui_scale.py`` measures, built the same way."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from tui_scale import build  # type: ignore[import-not-found]

    build(path, n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="paired rounds per figure")
    parser.add_argument("--big", type=int, default=0, help="also measure N contacts (People)")
    parser.add_argument("--skip-commands", action="store_true", help="only the TUI figures")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pfpp-start-"))
    env = terminal_env(work)
    py = sys.executable
    db = work / "sample.db"
    shutil.copyfile(SAMPLE, db)
    apps = (("bare.py", BARE_APP), ("bare_typer.py", BARE_TYPER_APP), ("minimal.py", MINIMAL_APP))
    for name, text in apps:
        (work / name).write_text(text)
    (work / "typer_min.py").write_text(MINIMAL_TYPER)
    (work / "typer_models.py").write_text(MODELS_TYPER)
    # The overview's first frame shows every pilot; the bare app reads the pilots too.
    pilots_sql = "SELECT name, stage, rag FROM pilot ORDER BY name"
    marker = b"Wakefield"  # last in name order: the rows are all there when it shows

    print(f"pfpp start-up, whole process, {args.rounds} paired rounds (medians), "
          f"{COLUMNS}x{LINES} pty")  # fmt: skip
    lines: list[tuple[str, str, str]] = []

    def pfpp_frame() -> float:
        return first_frame([PFPP, "--db", str(db)], marker, env)[0]

    def bare_frame() -> float:
        return first_frame([py, str(work / "bare.py"), str(db), pilots_sql], marker, env)[0]

    lines.append(("first frame, sample.db", paired(args.rounds, pfpp_frame, bare_frame), "1.5x"))

    def bare_typer_frame() -> float:
        argv = [py, str(work / "bare_typer.py"), str(db), pilots_sql]
        return first_frame(argv, marker, env)[0]

    floor = paired(args.rounds, bare_typer_frame, bare_frame)
    lines.append(("(reference) the bare app started by Typer", floor, "-"))

    if args.big:
        big = work / "big.db"
        build_big(big, args.big)
        person = b"person-00"  # every contact's e-mail starts so; any row is a data row
        people_sql = "SELECT first_name, last_name, email FROM contact ORDER BY id DESC LIMIT 40"

        def pfpp_big() -> float:
            argv = [PFPP, "--db", str(big), "tui", "--section", "contacts"]
            return first_frame(argv, person, env)[0]

        def bare_big() -> float:
            return first_frame([py, str(work / "bare.py"), str(big), people_sql], person, env)[0]

        label = f"first frame, {args.big:,} contacts (People)"
        lines.append((label, paired(args.rounds, pfpp_big, bare_big), "1.5x"))

    def pfpp_quit() -> float:
        return first_frame([PFPP, "--db", str(db)], marker, env)[1]

    def minimal_quit() -> float:
        return first_frame([py, str(work / "minimal.py")], b"minimal ready", env)[1]

    lines.append(("quit (ctrl+q to exit)", paired(args.rounds, pfpp_quit, minimal_quit), "1.5x"))

    if not args.skip_commands:
        typer_min = [py, str(work / "typer_min.py"), "--version"]

        def reference() -> float:
            return command(typer_min, env)

        imported = iter(range(1_000_000))

        def five_rows() -> float:
            """A real import of 5 new people each time (never a no-op re-import)."""
            n = next(imported)
            csv = work / f"five-{n}.csv"
            csv.write_text(
                "First name,Last name,E-mail,Organisation\n"
                + "".join(
                    f"Start{i},Probe{n},s{n}-{i}@probe.example,Home Office\n" for i in range(5)
                ),
                encoding="utf-8",
            )
            return command([PFPP, "--db", str(db), "import", "contacts", str(csv)], env)

        everyday: list[tuple[str, list[str], str]] = [
            ("pfpp --version", [PFPP, "--version"], "1.5x"),
            ("pfpp --help", [PFPP, "--help"], "1.5x"),
            ("export actions --format json", [PFPP, "--db", str(db), "export", "actions",
                                              "--format", "json", "-o", str(work / "a.json")],
             "2x"),
            ("digest", [PFPP, "--db", str(db), "digest", "-o", str(work / "d.md")], "2x"),
        ]  # fmt: skip
        for label, argv, goal in everyday:

            def ours(argv: list[str] = argv) -> float:
                return command(argv, env)

            lines.append((label, paired(args.rounds, ours, reference), goal))
        lines.append(("import 5 new rows", paired(args.rounds, five_rows, reference), "2x"))

        # For scale: the floor of any command that loads the ORM and the models, against the
        # same minimal Typer app. The everyday commands cannot go below it on this stack.
        def models_floor() -> float:
            return command([py, str(work / "typer_models.py"), str(db)], env)

        floor = paired(args.rounds, models_floor, reference)
        lines.append(("(reference) Typer + pfpp models", floor, "-"))

    width = max(len(label) for label, _, _ in lines)
    for label, figure, goal in lines:
        print(f"  {label:<{width}}  {figure}   (goal <= {goal})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
