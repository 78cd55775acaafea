"""Logging to a rotating file in the data folder.

Log lines carry record ids, never patient names, NHS numbers or notes: a log
file is not a place patient data may leak to.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType

_FORMAT = "%(asctime)sZ %(levelname)s %(name)s: %(message)s"


def configure(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send the app's log to ``log_dir/consult-aid.log`` (rotated, UTC times)."""
    path = log_dir / "consult-aid.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    if os.name == "posix":
        path.chmod(0o600)  # owner-only, like the folder it is in, whatever the umask
    formatter = logging.Formatter(_FORMAT)
    formatter.converter = time.gmtime  # one clock for every workstation: UTC
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    sys.excepthook = _log_uncaught
    return path


def _log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    # The exception type and where it happened, but not its message: a message
    # may quote what a user typed.
    frames = "".join(traceback.format_tb(trace))
    logging.getLogger("consult_aid").critical("Uncaught %s\n%s", kind.__name__, frames)
    # Nor on the console, which a launcher may keep as a crash report: type and place only.
    sys.stderr.write(f"Consult Aid stopped: {kind.__name__} (details in the log)\n{frames}")
