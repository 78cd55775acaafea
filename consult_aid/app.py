"""Composition root: paths, logging, the database and services, then the window.

The only module (with cli.py) that wires the layers together. The services are
opened by a factory that the window runs off the GUI thread, so the window is
on screen before SQLAlchemy, the migrations and the content pack have loaded.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from consult_aid import paths
from consult_aid.logging_setup import configure

if TYPE_CHECKING:
    from consult_aid.services.bundle import Services

log = logging.getLogger(__name__)


def services_factory(url: str | None, *, demo: bool = False) -> Callable[[], Services]:
    """Return a callable that opens the services (and seeds them in demo mode).

    ``url`` None opens the configured database, its URL read on the worker
    thread: with encryption at rest the key may come from the OS keyring,
    which can be slow or ask the user.
    """

    def open_them() -> Services:
        # Imported here, on the worker thread: these modules are the slow part of start-up.
        from consult_aid.services.bundle import open_services
        from consult_aid.services.database_key import keyed_database_url

        try:
            target = keyed_database_url(paths.database_url(), os.environ) if url is None else url
            # A demo signs its throwaway trail with a throwaway key, not the real one.
            key = secrets.token_bytes(32) if demo else None
            services = open_services(target, paths.procedures_dir(), audit_key=key)
        except Exception as error:
            # The store's message names the database (password hidden), never a patient.
            log.error("could not open the record store: %s", error)
            raise
        if demo:
            from consult_aid.demo import seed

            seed(services)
        return services

    return open_them


def run_window(*, demo: bool = False) -> int:
    """Open the main window on the configured database (or a demo one); return the exit code."""
    from consult_aid.ui.application import run_gui

    if not demo:
        configure(paths.logs_dir())
        log.info("starting")
        return run_gui(services_factory(None), paths.settings_file())
    # A demo never touches the real data folder: everything lives in a folder
    # that is removed when the window closes.
    folder = Path(tempfile.mkdtemp(prefix="consult-aid-demo-"))
    try:
        url = f"sqlite:///{(folder / 'demo.sqlite3').as_posix()}"
        settings = folder / "settings.ini"
        from consult_aid.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

        names = ", ".join(name for name, _role, _profile in DEMO_ACCOUNTS)
        hint = f"Demo accounts, one per role: {names}. The password of each: {DEMO_PASSWORD}"
        return run_gui(services_factory(url, demo=True), settings, demo=True, sign_in_hint=hint)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
