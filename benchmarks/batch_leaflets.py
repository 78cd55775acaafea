"""Time ``consult-aid leaflets`` on a 100-patient clinic list, start-up included.

    python benchmarks/batch_leaflets.py [--patients N] [--large-print] [--runs R]

Each run gets a fresh data folder holding only a clinician profile (made
before the clock starts), a generated clinic list (synthetic 999-range NHS
numbers, names with diacritics) and an empty output folder. The command runs
as a subprocess; this script watches the output folder for the first PDF and
samples the memory of the whole process tree (the command and its workers,
summed) from /proc. Targets (issue 4): at least 30 leaflets a second, the
first PDF within 0.6 s, peak memory under 200 MB.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from consult_aid.demo import SAMPLE_CLINICIAN, synthetic_nhs_numbers  # noqa: E402

NAMES = (
    "Zoë Łukasiewicz",
    "Nguyễn Thị Minh Khai",
    "Siobhán O'Connor",
    "Dvořák Jiří",
    "Margaret Ellis",
    "Αλεξάνδρα Παπαδοπούλου",
    "Анна Кузнецова",
    "John Smith",
)


def write_clinic_list(path: Path, count: int) -> None:
    """A clinic list of ``count`` patients, every row valid, one clinic date."""
    clinic = date.today() + timedelta(days=7)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Name", "Date of birth", "NHS number", "Hospital number", "Clinic date", "Surgeon"]
        )
        for index, nhs in enumerate(synthetic_nhs_numbers(count)):
            born = date(1930 + index % 40, 1 + index % 12, 1 + index % 28)
            writer.writerow(
                [
                    NAMES[index % len(NAMES)],
                    f"{born:%d/%m/%Y}",
                    f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}",
                    f"RX{index:05d}",
                    f"{clinic:%d/%m/%Y}",
                    SAMPLE_CLINICIAN.name,
                ]
            )


USER = "bench"
PASSWORD = "benchmark plateau vertebra lantern 42"  # noqa: S105 - a throwaway store's


def seed_profile(data_dir: Path) -> None:
    """Make the account the saves are recorded against, with every role (not timed)."""
    code = (
        "from consult_aid import paths\n"
        "from consult_aid.demo import SAMPLE_CLINICIAN\n"
        "from consult_aid.domain.access import Role\n"
        "from consult_aid.services.bundle import open_services\n"
        "s = open_services(paths.database_url(), paths.procedures_dir())\n"
        f"s.accounts.create_first_administrator(SAMPLE_CLINICIAN, {USER!r}, {PASSWORD!r}, Role)\n"
        "s.close()\n"
    )
    env = {**os.environ, "CONSULT_AID_DATA_DIR": str(data_dir)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)


def descendants(root: int) -> list[int]:
    """``root`` and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("PPid:"):
                children.setdefault(int(line.split()[1]), []).append(int(entry.name))
                break
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def memory_kb(pids: list[int]) -> tuple[int, int]:
    """RSS and PSS of these processes, each summed, in KiB.

    Summed RSS counts the pages a forked worker shares with its parent once
    per process, so it overstates; PSS shares each page out among its users.
    """
    rss = pss = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1])
            elif line.startswith("Pss:"):
                pss += int(line.split()[1])
    return rss, pss


def run_once(count: int, large_print: bool) -> dict[str, float]:
    """One timed run in a fresh folder; the figures measured."""
    with tempfile.TemporaryDirectory(prefix="consult-aid-batch-") as folder:
        base = Path(folder)
        data, out, clinic_list = base / "data", base / "out", base / "clinic.csv"
        seed_profile(data)
        write_clinic_list(clinic_list, count)
        out.mkdir()
        command = [
            sys.executable,
            "-m",
            "consult_aid",
            "leaflets",
            "--user",
            USER,
            "--clinic-list",
            str(clinic_list),
            "--out",
            str(out),
        ]
        if large_print:
            command.append("--large-print")
        env = {**os.environ, "CONSULT_AID_DATA_DIR": str(data), "CONSULT_AID_PASSWORD": PASSWORD}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=ROOT)
        first_pdf: float | None = None
        peak_rss_kb = peak_pss_kb = 0
        tree = [process.pid]
        ticks = 0
        while process.poll() is None:
            if first_pdf is None and any(out.glob("*.pdf")):
                first_pdf = time.perf_counter() - started
            # Finding the workers means reading all of /proc: only now and then,
            # so that watching costs the measured command little CPU.
            if ticks % 20 == 0:
                tree = descendants(process.pid)
            rss, pss = memory_kb(tree)
            peak_rss_kb, peak_pss_kb = max(peak_rss_kb, rss), max(peak_pss_kb, pss)
            ticks += 1
            time.sleep(0.005)
        total = time.perf_counter() - started
        if process.returncode != 0:
            raise SystemExit(f"the command failed with exit code {process.returncode}")
        written = len(list(out.glob("*.pdf")))
        if written != count:
            raise SystemExit(f"expected {count} PDFs, found {written}")
        if first_pdf is None:
            first_pdf = total
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage.ru_utime + usage.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "cpu_s": cpu,
        "total_s": total,
        "per_second": count / total,
        "first_pdf_s": first_pdf,
        "peak_rss_mb": peak_rss_kb / 1024,
        "peak_pss_mb": peak_pss_kb / 1024,
        "largest_process_mb": usage.ru_maxrss / 1024,
    }


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100)
    parser.add_argument("--large-print", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for run in range(1, args.runs + 1):
        figures = run_once(args.patients, args.large_print)
        print(
            f"run {run}: {args.patients} leaflets in {figures['total_s']:.2f} s "
            f"= {figures['per_second']:.1f} leaflets/s; first PDF after "
            f"{figures['first_pdf_s']:.3f} s; peak memory of the process tree: "
            f"PSS {figures['peak_pss_mb']:.0f} MB, RSS summed {figures['peak_rss_mb']:.0f} MB "
            f"(largest single process {figures['largest_process_mb']:.0f} MB); "
            f"CPU time {figures['cpu_s']:.2f} s"
        )
    print("targets: >= 30 leaflets/s, first PDF <= 0.6 s, peak memory < 200 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
