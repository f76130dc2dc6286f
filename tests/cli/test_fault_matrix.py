"""Every write command under every fault: one line on stderr, exit 1, nothing changed.

Promise (issue 17, item 7): on a locked, read-only or full database, every command that writes
says what happened in one line and leaves the database byte-for-byte as it was. The matrix is
derived from the Typer app: a command that is neither in ``WRITE_COMMANDS`` nor in
``NOT_WRITING`` fails ``test_every_write_command_under_every_fault``, so a new command cannot
slip past it.

The faults are real, and each command runs as a process of its own (forked from a launcher
that has imported pfpp once; see ``Launcher``):

- **locked**: another process holds ``BEGIN EXCLUSIVE`` on the database for the whole run;
  ``PFPP_BUSY_TIMEOUT_MS`` makes pfpp's wait short. A command that only *reads* the database
  (backup, exports, reports to a file) reads through the lock, as WAL allows, and must succeed.
- **read-only**: the database, its ``-wal``/``-shm`` and its folder are readable but not
  writable by the user running the command. Root ignores permission bits, so as root (CI) the
  command drops to ``nobody`` first (as ``setpriv --reuid=nobody --regid=nogroup
  --clear-groups`` would); skipped, saying why, when ``nobody`` cannot run pfpp here. The
  owner keeps the database open (as when a colleague has the app open), so the command gets
  past opening and meets the fault when it writes.
- **read-only-unused**: the same, with nobody having the database open (no ``-wal``/``-shm``
  beside it), so pfpp opens it read-only from the start and must refuse before writing.
- **disk full**: the database's folder is a small tmpfs (as ``tests/cli/test_disk_full.py``
  mounts; root only, skipped elsewhere) that a filler file fills to the last byte after the
  owner has opened the database.

Outputs a command writes (backups, exports, reports, new databases) go into the faulty folder,
so read-only and disk full hit them too. Each run checks: exit 1 (0 for a read through a
lock), exactly one line on stderr naming the fault in words, no traceback on stdout or stderr,
every file in the folder byte-for-byte unchanged (``-shm``, shared memory, aside), and no new
file but pfpp's deliberate ``.bak`` safety copies.
"""

from __future__ import annotations

import functools
import grp
import hashlib
import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main

from pfpp_tui.cli.main import app
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.db.migrate import run_downgrade
from tests.conftest import REPO_ROOT, SAMPLE_DB

FAULTS = ("locked", "read-only", "read-only-unused", "disk-full")
BUSY_TIMEOUT_MS = 300
# What the one line must say, in words, for each fault.
FAULT_WORDS = {
    "locked": ("locked", "others have the database open"),
    "read-only": ("read-only",),
    "read-only-unused": ("read-only",),
    "disk-full": ("disk full",),
}


@dataclass(frozen=True, slots=True)
class WriteCase:
    """How to run one write command; ``{dir}`` is the faulty folder, ``{in}`` the inputs."""

    argv: tuple[str, ...]
    # Only reads the database (writes a file elsewhere): under a lock it reads through.
    reads_database: bool = False
    # "seeded" (the sample data), "empty" (at head, no rows) or "old" (one revision behind).
    database: str = "seeded"
    # Files (copies of the database) put beside it first, for the command to work on.
    beside: tuple[str, ...] = ()
    # Faults under which the command rightly succeeds (the database itself still unchanged).
    succeeds_under: tuple[str, ...] = ()


WRITE_COMMANDS: dict[str, WriteCase] = {
    "log meeting": WriteCase(
        ("log", "meeting", "--pilot", "Birmingham", "--kind", "pilot_check_in",
         "--notes-file", "{in}/notes.md")
    ),
    "barrier triage": WriteCase(("barrier", "triage", "3", "--severity", "high")),
    "principles set": WriteCase(("principles", "set", "barrier", "3", "trust")),
    "person erase": WriteCase(("person", "erase", "1", "--yes")),
    "purge": WriteCase(("purge", "--older-than", "1d", "--yes")),
    "import contacts": WriteCase(("import", "contacts", "{in}/contacts.csv")),
    "import funding": WriteCase(("import", "funding", "{in}/funding.csv")),
    "import assessments": WriteCase(("import", "assessments", "{in}/assessments.csv")),
    "db upgrade": WriteCase(("db", "upgrade"), database="old"),
    "db compact": WriteCase(("db", "compact")),
    "db restore": WriteCase(("db", "restore", "{in}/backup.db", "--yes")),
    "db copy": WriteCase(("db", "copy", "--from", "{in}/source.db"), database="empty"),
    # Deleting a file frees space: on a full disk it rightly works (the register is unchanged).
    "db copies": WriteCase(
        ("db", "copies", "--delete", "--yes"),
        beside=("p.db.before-0003-20260101T000000Z.bak",), succeeds_under=("disk-full",),
    ),
    "db backup": WriteCase(("db", "backup", "{dir}/copy.db"), reads_database=True),
    "sample": WriteCase(("sample", "{dir}/new.db"), reads_database=True),
    "demo": WriteCase(("demo", "--copy-to", "{dir}/demo.db", "--no-tui"), reads_database=True),
    "export": WriteCase(
        ("export", "contacts", "--format", "csv", "-o", "{dir}/out.csv"), reads_database=True
    ),
    "digest": WriteCase(("digest", "-o", "{dir}/digest.md"), reads_database=True),
    "report pilot": WriteCase(
        ("report", "pilot", "Birmingham", "-o", "{dir}/r.md"), reads_database=True
    ),
    "report coverage": WriteCase(("report", "coverage", "-o", "{dir}/r.md"), reads_database=True),
    "report patterns": WriteCase(("report", "patterns", "-o", "{dir}/r.md"), reads_database=True),
    "report funding": WriteCase(("report", "funding", "-o", "{dir}/r.md"), reads_database=True),
    "report agreement": WriteCase(
        ("report", "agreement", "Birmingham", "-o", "{dir}/r.md"), reads_database=True
    ),
    "report principles": WriteCase(
        ("report", "principles", "-o", "{dir}/r.md"), reads_database=True
    ),
}  # fmt: skip

NOT_WRITING: dict[str, str] = {
    "tui": "interactive; the app's saves have their own tests (tests/tui)",
    "barrier queue": "prints to stdout only",
    "agreement show": "prints to stdout only",
    "principles list": "prints to stdout only",
    "principles show": "prints to stdout only",
    "db check": "reads only and prints",
    "history": "prints to stdout only",
    "person show": "prints to stdout only",
}


def leaf_commands() -> list[str]:
    """Every command of the ``pfpp`` app, as typed: ``db backup``, ``export``..."""
    found: list[str] = []

    def walk(command: object, prefix: tuple[str, ...]) -> None:
        children = getattr(command, "commands", None)
        if children is None:
            found.append(" ".join(prefix))
            return
        for name, child in children.items():
            walk(child, (*prefix, name))

    walk(typer.main.get_command(app), ())
    return sorted(found)


def test_the_matrix_names_only_real_commands() -> None:
    """A renamed or removed command must leave the matrix too."""
    commands = set(leaf_commands())
    assert set(WRITE_COMMANDS) - commands == set()
    assert set(NOT_WRITING) - commands == set()
    assert set(WRITE_COMMANDS) & set(NOT_WRITING) == set()


# --- the databases and inputs ------------------------------------------------------------------


def _shared_dir(prefix: str) -> Path:
    """A folder in the system temp dir that ``nobody`` can enter (pytest's are 0700)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


def _settled(path: Path) -> Path:
    """Fold the WAL into the file so a copy of ``path`` alone is the whole database."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


def _to_wal(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    finally:
        conn.close()


@pytest.fixture(scope="module")
def inputs() -> Iterator[Path]:
    """World-readable inputs: notes, import files, a backup and a source database."""
    folder = _shared_dir("pfpp-fault-inputs-")
    seeded = folder / "seeded.db"
    shutil.copyfile(SAMPLE_DB, seeded)
    open_database(seeded).dispose()  # at head
    _to_wal(seeded)  # as any database pfpp has written to
    _settled(seeded)
    old = folder / "old.db"
    shutil.copyfile(seeded, old)
    db = open_database(old)
    try:
        run_downgrade(db, "-1")
    finally:
        db.dispose()
    _settled(old)
    _to_wal(old)
    empty = folder / "empty.db"
    open_database(empty).dispose()
    _to_wal(empty)
    _settled(empty)
    shutil.copyfile(seeded, folder / "backup.db")
    shutil.copyfile(seeded, folder / "source.db")
    (folder / "notes.md").write_text("Met the team.\n- [ ] send the map @richards\n")
    shutil.copyfile(REPO_ROOT / "tests/data/import/outlook.csv", folder / "contacts.csv")
    shutil.copyfile(REPO_ROOT / "tests/data/funding/flows.csv", folder / "funding.csv")
    (folder / "assessments.csv").write_text(
        "pilot,assessed_on,assessor_email,assessor_name,history_rating,history_note,"
        "attitudes_rating,attitudes_note,vcs_rating,vcs_note,capacity_rating,capacity_note\n"
        "Birmingham,2026-01-15,,A. Assessor,3,h,3,a,3,v,3,c\n"
    )
    home = folder / "home"
    home.mkdir(mode=0o777)
    home.chmod(0o777)
    for path in folder.iterdir():
        if path.is_file():
            path.chmod(0o644)
    # The inputs are not under test: nobody may open them (SQLite needs to write -shm beside a
    # WAL database even to read it), so `db copy --from` and `db restore` meet the fault where
    # they write, at the database under test.
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# --- running pfpp as someone else ----------------------------------------------------------------

# Each command runs in a process of its own, forked from this launcher, which has imported pfpp
# once: a fresh interpreter per run costs seconds on a busy machine (70 runs). The child is what
# the ``pfpp`` script would be: its own pid, its own locks, ``run()`` with the command line,
# stdin closed, stdout and stderr to files, the exit code and any traceback exactly as the
# interpreter would give them. For read-only it drops to ``nobody`` (setgroups/setgid/setuid:
# what ``setpriv --reuid=nobody --regid=nogroup --clear-groups`` does) before running.
_LAUNCHER = r"""
import gc, json, os, sys, time, traceback
import importlib, pkgutil
import pfpp_tui, pfpp_tui.cli.main as main

# What commands import lazily, imported now: after dropping to nobody, a Python installed in a
# folder nobody cannot read (e.g. under /root) could not load them any more.
for module in pkgutil.walk_packages(pfpp_tui.__path__, "pfpp_tui."):
    if not module.name.startswith(("pfpp_tui.tui", "pfpp_tui.cli.__main__")):
        importlib.import_module(module.name)
import encodings.utf_8_sig, encodings.latin_1, encodings.cp1252, unicodedata  # noqa

for line in sys.stdin:
    job = json.loads(line)
    out = os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.chdir(job["cwd"])
        if job["uid"] is not None:
            os.setgroups([])
            os.setgid(job["gid"])
            os.setuid(job["uid"])
        sys.argv = ["pfpp", *job["argv"]]
        try:
            main.run()
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException:
            traceback.print_exc()
            code = 1
        gc.collect()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    os.close(out)
    os.close(err)
    deadline = time.monotonic() + job["timeout"]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            print(json.dumps({"code": os.waitstatus_to_exitcode(status)}), flush=True)
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            print(json.dumps({"code": None}), flush=True)
            break
        time.sleep(0.02)
"""


@dataclass(frozen=True, slots=True)
class Done:
    returncode: int
    stdout: str
    stderr: str


class Launcher:
    """Runs ``pfpp`` command lines in forked processes (see ``_LAUNCHER``)."""

    def __init__(self, inputs: Path) -> None:
        self.inputs = inputs
        home = inputs / "home"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(REPO_ROOT),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "PFPP_CONFIG": str(home / "config.toml"),
            "PFPP_USER": "tester",
            "PFPP_BUSY_TIMEOUT_MS": str(BUSY_TIMEOUT_MS),
            "LANG": "C.UTF-8",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER], cwd=inputs, env=self.env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def run(self, argv: list[str], *, as_nobody: bool = False) -> Done:
        assert self.process.stdin is not None and self.process.stdout is not None
        uid = gid = None
        if as_nobody and os.geteuid() == 0:
            uid, gid = pwd.getpwnam("nobody").pw_uid, _nobody_group()
        out, err = self.inputs / "home" / "stdout", self.inputs / "home" / "stderr"
        job = {"argv": argv, "cwd": str(self.inputs), "uid": uid, "gid": gid,
               "stdout": str(out), "stderr": str(err), "timeout": 120}  # fmt: skip
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline())
        if reply["code"] is None:
            pytest.fail(f"pfpp {' '.join(argv)} hung (2 minutes) instead of giving up")
        return Done(reply["code"], out.read_text(errors="replace"), err.read_text(errors="replace"))

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def _nobody_group() -> int:
    try:
        return grp.getgrnam("nogroup").gr_gid
    except KeyError:
        return pwd.getpwnam("nobody").pw_gid


@pytest.fixture(scope="module")
def launcher(inputs: Path) -> Iterator[Launcher]:
    started = Launcher(inputs)
    yield started
    started.close()


@functools.cache
def _nobody_can_run_pfpp(launcher: Launcher) -> str | None:
    """Why ``nobody`` cannot run pfpp here (None when it can)."""
    if os.geteuid() != 0:
        return None  # permission bits bite for this user already
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return "running as root and there is no user nobody to run the command as"
    done = launcher.run(["--db", str(launcher.inputs / "seeded.db"), "principles", "list"],
                        as_nobody=True)  # fmt: skip
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"user nobody cannot run pfpp from {REPO_ROOT} here: {last}"
    return None


# --- the faults ----------------------------------------------------------------------------------


@dataclass
class Fault:
    """A faulty folder holding the database, and what to undo afterwards."""

    folder: Path
    db: Path
    holder: subprocess.Popen[str] | None
    mounted: bool = False


# The owner's process: opens the database (so its -wal/-shm stay in place while the test
# runs), takes BEGIN EXCLUSIVE when asked, says "ready" and waits for stdin to close. It must
# be another process: POSIX drops a process's locks on a file when that process closes *any*
# descriptor of it, as reading the file for a snapshot does.
_OWNER = """
import sys, sqlite3
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
if sys.argv[2] == "lock":
    conn.execute("BEGIN EXCLUSIVE")
print("ready", flush=True)
sys.stdin.read()
"""


def _owner_opens(db: Path, *, lock: bool) -> subprocess.Popen[str]:
    owner = subprocess.Popen(
        [sys.executable, "-c", _OWNER, str(db), "lock" if lock else "open"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert owner.stdout is not None
    assert owner.stdout.readline().strip() == "ready"
    return owner


TMPFS_BYTES = 4 * 1024 * 1024


def _fill(folder: Path) -> None:
    """Write a filler file until the small tmpfs refuses another byte.

    Never on anything but that tmpfs: if the mount is not (or no longer) there, filling the
    folder would fill the real disk under every other program on the machine.
    """
    stats = os.statvfs(folder)
    size = stats.f_blocks * stats.f_frsize
    if not os.path.ismount(folder) or size > TMPFS_BYTES:
        pytest.fail(f"{folder} is not the {TMPFS_BYTES} byte tmpfs ({size} bytes): not filling")
    budget = stats.f_bavail * stats.f_frsize + 65536  # a bound, whatever happens meanwhile
    chunk = b"\0" * 65536
    with (folder / "filler").open("wb", buffering=0) as handle:
        for step in (65536, 4096, 1):
            while budget > 0:
                try:
                    budget -= handle.write(chunk[:step])
                except OSError:
                    break


def make_fault(
    fault: str, database: Path, launcher: Launcher, *, beside: tuple[str, ...] = ()
) -> Fault:
    if fault == "disk-full" and (os.geteuid() != 0 or shutil.which("mount") is None):
        pytest.skip("disk full needs a tmpfs mount, which needs root (CI runs as root)")
    if fault.startswith("read-only"):
        reason = _nobody_can_run_pfpp(launcher)
        if reason:
            pytest.skip(reason)
    folder = _shared_dir("pfpp-fault-")
    mounted = False
    if fault == "disk-full":
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES},mode=0755", "tmpfs", str(folder)],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            pytest.skip(f"mount not permitted here: {done.stderr.strip()}")
        mounted = True
    made = Fault(folder, folder / "p.db", None, mounted)
    try:  # a setup that fails half-way leaves no mount, folder or owner process behind
        for name in (made.db.name, *beside):
            shutil.copyfile(database, folder / name)
            (folder / name).chmod(0o644)
        if fault != "read-only-unused":
            made.holder = _owner_opens(made.db, lock=fault == "locked")
        if fault.startswith("read-only"):
            for path in folder.iterdir():
                path.chmod(0o444)
            folder.chmod(0o555)
        elif fault == "disk-full":
            _fill(folder)
    except BaseException:
        undo_fault(made)
        raise
    return made


def undo_fault(fault: Fault) -> None:
    if fault.holder is not None:
        assert fault.holder.stdin is not None
        fault.holder.stdin.close()
        fault.holder.wait(timeout=60)
    fault.folder.chmod(0o755)
    if fault.mounted:
        subprocess.run(["umount", str(fault.folder)], capture_output=True, timeout=30, check=False)
    shutil.rmtree(fault.folder, ignore_errors=True)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file's SHA-256 (``-shm`` is shared memory: present, not compared)."""
    result: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if path.name.endswith("-shm"):
            result[path.name] = "(shared memory)"
        elif path.name == "filler":
            result[path.name] = f"{path.stat().st_size} bytes"
        else:
            result[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


# --- the matrix ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("command", [c for c in leaf_commands() if c not in NOT_WRITING])
def test_every_write_command_under_every_fault(
    command: str, fault: str, inputs: Path, launcher: Launcher
) -> None:
    case = WRITE_COMMANDS.get(command)
    if case is None:
        pytest.fail(
            f"`pfpp {command}` is not in the fault matrix: add it to WRITE_COMMANDS (how to run "
            "it so that it writes) or to NOT_WRITING (why it never writes)"
        )
    made = make_fault(fault, inputs / f"{case.database}.db", launcher, beside=case.beside)
    try:
        before = snapshot(made.folder)
        argv = [
            a.replace("{dir}", str(made.folder)).replace("{in}", str(inputs)) for a in case.argv
        ]
        done = launcher.run(["--db", str(made.db), *argv], as_nobody=fault.startswith("read-only"))
        after = snapshot(made.folder)
    finally:
        undo_fault(made)
    shown = f"pfpp {' '.join(argv)} under {fault}:\nstdout: {done.stdout}\nstderr: {done.stderr}"
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, shown
    if (fault == "locked" and case.reads_database) or fault in case.succeeds_under:
        assert done.returncode == 0, shown
        database = ("p.db", "p.db-wal", "p.db-shm")
        assert {k: after.get(k) for k in database} == {k: before.get(k) for k in database}, shown
        return
    assert done.returncode == 1, shown
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, shown
    assert any(word in lines[0] for word in FAULT_WORDS[fault]), shown
    assert ".part" not in lines[0] and ".pfpp-" not in lines[0], f"a temporary name: {shown}"
    kept_copies = {k for k in set(after) - set(before) if k.endswith(".bak")}
    assert {k: v for k, v in after.items() if k not in kept_copies} == before, shown
