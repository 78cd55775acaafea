"""Suite-wide fixtures: Qt offscreen, and a private data folder for every test.

No test may read or write the real user's data folder, so CONSULT_AID_DATA_DIR
points into the test's own temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give each test its own data folder and no database override."""
    folder = tmp_path / "data"
    monkeypatch.setenv("CONSULT_AID_DATA_DIR", str(folder))
    monkeypatch.delenv("CONSULT_AID_DATABASE_URL", raising=False)
    return folder
