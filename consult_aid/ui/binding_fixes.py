"""Work-arounds for known faults in the Qt binding, applied once when the ui package loads.

PySide6 6.12.0 returns a reference to ``True`` from every ``Signal.emit()``
without counting it, so each emit made from Python takes one reference from
``True``. After a few thousand emits (a long clinic session) CPython frees
``True`` and aborts ("Fatal Python error: bool_dealloc"). Python 3.12 made
``True`` and ``False`` immortal, which makes such a miscount harmless; on
3.11 the same is done here by giving both a reference count no session can
use up. Over-counting them is harmless: they are never meant to be freed.
"""

from __future__ import annotations

import ctypes
import sys


def immortalise_booleans() -> None:
    """Make ``True`` and ``False`` impossible to free on Python versions before 3.12."""
    if sys.version_info >= (3, 12):
        return  # immortal already (PEP 683)
    bits = ctypes.sizeof(ctypes.c_ssize_t) * 8
    for value in (True, False):
        # ob_refcnt is the first field of every object; id() is its address in CPython.
        count = ctypes.c_ssize_t.from_address(id(value))
        count.value += 1 << (bits - 8)
