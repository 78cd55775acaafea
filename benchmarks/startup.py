"""Cold start to a shown window: Consult Aid against a bare PySide6 window, in one run.

Each sample is a new Python process, timed from just before it is spawned to
the moment it reports that its window is on screen (the first turn of the
event loop after ``show()``, so the window has been laid out and painted).
Both programs are measured the same way, alternately, so the machine's state
affects both alike.

Usage: python benchmarks/startup.py [--runs N]
Targets: the app under 1 s, and no more than 3 times the bare window.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs in the child: wrap QApplication.exec so that, once the event loop has
# had one turn after the window was shown, the child prints and leaves.
_PROBE = """
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

def _report():
    sys.stdout.write("shown\\n"); sys.stdout.flush()
    os._exit(0)

_exec = QApplication.exec
def _exec_then_report(*_args):
    QTimer.singleShot(0, _report)
    return _exec()
QApplication.exec = _exec_then_report
"""

_BARE = (
    _PROBE
    + """
from PySide6.QtWidgets import QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1200, 800)
window.show()
app.exec()
"""
)

_APP = (
    _PROBE
    + """
from consult_aid.cli import main
main([])
"""
)


def _sample(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    _, err = child.communicate(timeout=30)
    if line.strip() != b"shown":
        raise RuntimeError(f"the child did not show its window: {err.decode(errors='replace')}")
    return elapsed


def main() -> int:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="samples of each (default 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="consult-aid-bench-") as folder:
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["CONSULT_AID_DATA_DIR"] = str(Path(folder) / "data")
        env.pop("CONSULT_AID_DATABASE_URL", None)
        # One unmeasured run of each: the first ever start compiles bytecode.
        _sample(_BARE, env)
        _sample(_APP, env)
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(_sample(_BARE, env))
            app.append(_sample(_APP, env))
    bare_median, app_median = statistics.median(bare), statistics.median(app)
    ratio = app_median / bare_median
    print(f"platform: {env['QT_QPA_PLATFORM']}, runs: {args.runs}, cores: {os.cpu_count()}")
    print(f"bare PySide6 window: median {bare_median * 1000:.0f} ms (min {min(bare) * 1000:.0f})")
    print(f"Consult Aid window:  median {app_median * 1000:.0f} ms (min {min(app) * 1000:.0f})")
    print(f"ratio: {ratio:.2f}x  (targets: app < 1000 ms, ratio <= 3.00x)")
    ok = app_median < 1.0 and ratio <= 3.0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
