"""The Qt binding's miscounted references to True cannot bring the app down."""

from __future__ import annotations

import subprocess
import sys

# Enough emits to free True several times over on an affected binding.
EMITS = 20_000

PROBE = f"""
import sys
import consult_aid.ui  # applies the work-arounds
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Sender(QObject):
    number = Signal(int)
    anything = Signal(object)

app = QCoreApplication([])
sender = Sender()
seen = []
sender.number.connect(seen.append)
sender.anything.connect(seen.append)
for i in range({EMITS}):
    sender.number.emit(i)
    sender.anything.emit(True)
print(len(seen))
"""


def test_many_signal_emits_leave_the_process_healthy() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == str(2 * EMITS)
