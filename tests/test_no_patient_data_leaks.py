"""Patient data never reaches log files, crash reports or leftover temporary files.

tests/leak_walk.py takes one patient with an unmistakable name through every
feature, in a process of its own, with logging at DEBUG and a forced uncaught
error at the end; the ``verify``, ``backup`` and ``leaflets`` commands then run
over the same data folder. Afterwards the patient's name (UTF-8, UTF-16-LE,
ASCII-folded, and each word of it), NHS number (both forms), hospital number
and a token from the notes are looked for, case-insensitively and byte by
byte, in every log file, every file (and file name) left in the temporary
folder and the working folder, every other file in the data folder, and
everything the processes printed. Only the database and the output folder the
walk was told to write to may hold them; the database is checked to hold the
name, so that the walk is known to have used it.

The data folder, the logs folder and the audit key are owner-only, and a data
folder that exists already with looser permissions is tightened.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from consult_aid import paths
from tests import leak_walk
from tests.signing_in import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
WALK = Path(__file__).with_name("leak_walk.py")
DATABASE = "consult-aid.sqlite3"
# Settings the developer's shell may hold that would send the run elsewhere.
FOREIGN_SETTINGS = (
    "CONSULT_AID_DATABASE_URL",
    "CONSULT_AID_ENCRYPT_DATABASE",
    "CONSULT_AID_DATABASE_KEY",
    "CONSULT_AID_AUDIT_KEY",
    "CONSULT_AID_PASSWORD",
)
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _folded(text: str) -> str:
    """``text`` without its accents: the form a file name or an ASCII-only log would hold."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _needles() -> dict[str, bytes]:
    """Every form of the patient's data that must not turn up: label -> lower-case bytes."""
    texts = {
        "name": leak_walk.NAME,
        "folded name": _folded(leak_walk.NAME),
        "NHS number": leak_walk.NHS_NUMBER,
        "spaced NHS number": leak_walk.NHS_NUMBER_SPACED,
        "hospital number": leak_walk.HOSPITAL_NUMBER,
        "note word": leak_walk.NOTE_WORD,
    }
    # Each word on its own too: a slug ("quilliam-zephyrine-oxtaby") or a
    # reordered name ("OXTABY, Quilliam") is as much a leak as the whole name.
    for word in leak_walk.NAME_WORDS:
        texts[f"name word {word}"] = word
        texts[f"folded name word {_folded(word)}"] = _folded(word)
    needles: dict[str, bytes] = {}
    for label, text in texts.items():
        needles[label] = text.lower().encode("utf-8")
        needles[f"{label} (UTF-16-LE)"] = text.lower().encode("utf-16-le")
    return needles


NEEDLES = _needles()


def _leaks(data: bytes) -> list[str]:
    """The labels of every patient datum in ``data`` (compared in lower case)."""
    haystack = data.lower()
    return sorted(label for label, needle in NEEDLES.items() if needle in haystack)


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def _leaks_in_folder(folder: Path, *, skip: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Per file (by its path under ``folder``), what it leaks, in its name or its bytes."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.name in skip:
            continue
        leaks = _leaks(relative.encode("utf-8"))
        if path.is_file():
            leaks += _leaks(path.read_bytes())
        if leaks:
            found[relative] = sorted(set(leaks))
    return found


@dataclass(frozen=True)
class Walked:
    """What the walk and the commands left behind.

    Attributes:
        data: CONSULT_AID_DATA_DIR of every process.
        temp: TMPDIR, TEMP and TMP of every process.
        cwd: the working folder of every process.
        out: the folder the walk and the commands were told to write to.
        runs: each process's name and its finished run (output as bytes).
    """

    data: Path
    temp: Path
    cwd: Path
    out: Path
    runs: dict[str, subprocess.CompletedProcess[bytes]]


def _environment(data: Path, temp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_SETTINGS}
    env.update(
        {
            paths.DATA_DIR_ENV: str(data),
            "TMPDIR": str(temp),
            "TEMP": str(temp),
            "TMP": str(temp),
            "PYTHONPATH": str(ROOT),
            "CONSULT_AID_PASSWORD": PASSWORD,
        }
    )
    return env


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    # Output kept as bytes: the check is on exactly what a launcher would keep.
    return subprocess.run(
        [sys.executable, *args], capture_output=True, env=env, cwd=cwd, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Walked:
    """Run the walk, then the commands, once for every check below."""
    base = tmp_path_factory.mktemp("leak-walk")
    data, temp, cwd, out = (base / name for name in ("data", "temp", "cwd", "out"))
    for folder in (temp, cwd, out):
        folder.mkdir()
    env = _environment(data, temp)
    runs = {"walk": _run([str(WALK), str(out)], env, cwd)}
    batch = ["--clinic-list", str(out / "list.csv"), "--out", str(out / "batch")]
    for name, args in (
        ("verify", ["verify", "--user", "auditor", "--deep"]),
        ("backup", ["backup", str(out / "backup.sqlite3")]),
        ("leaflets", ["leaflets", *batch, "--user", "secretary"]),
    ):
        runs[name] = _run(["-m", "consult_aid", *args], env, cwd)
    return Walked(data, temp, cwd, out, runs)


def test_the_walk_used_the_patient_everywhere_and_crashed_as_forced(walked: Walked) -> None:
    walk = walked.runs["walk"]
    stderr = walk.stderr.decode("utf-8", "replace")
    # Exit 1 from the forced uncaught error, reported by the app's hook, and nothing else.
    assert walk.returncode == 1, stderr
    assert "Consult Aid stopped: RuntimeError" in stderr
    log = walked.data / "logs" / "consult-aid.log"
    assert log.is_file()
    assert log.stat().st_size > 0
    text = log.read_text(encoding="utf-8")
    assert leak_walk.FINISHED in text, "the walk stopped before the end"
    assert "Uncaught RuntimeError" in text
    for name in ("verify", "backup", "leaflets"):
        run = walked.runs[name]
        assert run.returncode == 0, (name, run.stderr.decode("utf-8", "replace"))
    assert (walked.out / "backup.sqlite3").is_file()
    assert len(list((walked.out / "batch").glob("*.pdf"))) == 1
    # The database (and only it) holds the patient: proof the walk really used them.
    stored = b"".join(p.read_bytes() for p in sorted(walked.data.glob(DATABASE + "*")))
    assert leak_walk.NAME.encode("utf-8") in stored
    assert leak_walk.NOTE_WORD.encode("utf-8") in stored


def test_no_log_file_holds_patient_data(walked: Walked) -> None:
    logs = walked.data / "logs"
    assert _files(logs), "no log file was written"
    assert _leaks_in_folder(logs) == {}


def test_nothing_is_left_in_the_temporary_or_working_folder(walked: Walked) -> None:
    # Leftovers are listed with what they leak, so a failure says what stayed behind.
    assert _leaks_in_folder(walked.temp) == {}
    assert _leaks_in_folder(walked.cwd) == {}
    assert [p.relative_to(walked.temp).as_posix() for p in walked.temp.rglob("*")] == []
    assert [p.relative_to(walked.cwd).as_posix() for p in walked.cwd.rglob("*")] == []


def test_no_crash_report_or_console_output_holds_patient_data(walked: Walked) -> None:
    found = {
        f"{name} {stream}": _leaks(output)
        for name, run in walked.runs.items()
        for stream, output in (("stdout", run.stdout), ("stderr", run.stderr))
    }
    assert {where: leaks for where, leaks in found.items() if leaks} == {}


def test_the_settings_file_and_every_other_data_file_hold_no_patient_data(
    walked: Walked,
) -> None:
    settings = walked.data / paths.settings_file().name
    if settings.exists():
        assert _leaks(settings.read_bytes()) == []
    # Everything in the data folder but the database itself (and its journal files).
    database = frozenset(DATABASE + suffix for suffix in ("", "-wal", "-shm", "-journal"))
    assert _leaks_in_folder(walked.data, skip=database) == {}


@POSIX_ONLY
def test_the_data_folder_logs_and_audit_key_are_owner_only(walked: Walked) -> None:
    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(walked.data) == 0o700
    assert mode(walked.data / "logs") == 0o700
    assert mode(walked.data / "audit.key") == 0o600


@POSIX_ONLY
def test_an_existing_loose_data_folder_is_made_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "loose"
    (folder / "logs").mkdir(parents=True)
    # Made by hand, or by an older version: mkdir's mode does not touch a folder that exists.
    folder.chmod(0o755)
    (folder / "logs").chmod(0o755)
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    assert paths.data_dir() == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert paths.logs_dir() == folder / "logs"
    assert stat.S_IMODE((folder / "logs").stat().st_mode) == 0o700
