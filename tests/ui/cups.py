"""A private CUPS scheduler with a cups-pdf queue, for tests that print for real.

The scheduler gets its own configuration, spool, cache, state and log
folders under a temporary folder and listens on a free port on 127.0.0.1; it
never touches the machine's own print system. The cups-pdf backend reads its
settings from /etc/cups/cups-pdf-QUEUE.conf (a fixed place), so that one file
is written there for the queue and removed again afterwards.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")
CUPS_PDF_CONF_DIR = Path("/etc/cups")
START_TIMEOUT_S = 15.0

_CUPSD_CONF = """\
Listen 127.0.0.1:{port}
LogLevel info
Browsing No
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow 127.0.0.1
</Location>
<Location /admin>
  Order allow,deny
  Allow 127.0.0.1
</Location>
<Policy default>
  <Limit All>
    Order allow,deny
    Allow 127.0.0.1
  </Limit>
</Policy>
"""

_FILES_CONF = """\
ServerRoot {root}/server
RequestRoot {root}/spool
TempDir {root}/tmp
CacheDir {root}/cache
StateDir {root}/state
AccessLog {root}/log/access_log
ErrorLog {root}/log/error_log
PageLog {root}/log/page_log
"""


def missing() -> str | None:
    """Why a private scheduler cannot be started here, or None when it can."""
    for tool in ("cupsd", "lpadmin", "lpstat"):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            return f"{tool} is not installed (apt-get install cups cups-pdf)"
    if not CUPS_PDF_BACKEND.exists() or not CUPS_PDF_PPD.exists():
        return "the cups-pdf backend is not installed (apt-get install cups-pdf)"
    if not os.access(CUPS_PDF_CONF_DIR, os.W_OK):
        return f"{CUPS_PDF_CONF_DIR} is not writable, so no cups-pdf queue can be set up"
    return None


def _tool(name: str) -> str:
    return shutil.which(name) or str(Path("/usr/sbin", name))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PrivateCups:
    """One private scheduler with one cups-pdf queue.

    Attributes:
        queue: the queue's name (a printer name for QPrinterInfo).
        output: the folder where the queue's PDFs land.
        server: host:port for CUPS_SERVER.
    """

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="consult-aid-cups-"))
        self.queue = f"consult-aid-test-{uuid.uuid4().hex[:8]}"
        self.output = self.root / "out"
        self.server = f"127.0.0.1:{_free_port()}"
        self._conf = CUPS_PDF_CONF_DIR / f"cups-pdf-{self.queue}.conf"
        self._process: subprocess.Popen[bytes] | None = None
        self._saved_env = os.environ.get("CUPS_SERVER")

    def start(self) -> None:
        """Start the scheduler, point libcups at it and add the queue."""
        # The scheduler's filters run as the unprivileged "lp" user, so its folders
        # must be reachable by others (a temporary folder is private by default).
        self.root.chmod(0o755)
        for name in ("server", "spool", "cache", "state", "log", "out", "cups-pdf-spool"):
            (self.root / name).mkdir(mode=0o755)
        (self.root / "tmp").mkdir()
        (self.root / "tmp").chmod(0o1777)
        (self.root / "cups-pdf-spool").chmod(0o1777)
        self.output.chmod(0o777)
        port = self.server.rsplit(":", 1)[1]
        conf = self.root / "cupsd.conf"
        conf.write_text(_CUPSD_CONF.format(port=port), encoding="utf-8")
        files = self.root / "cups-files.conf"
        files.write_text(_FILES_CONF.format(root=self.root), encoding="utf-8")
        self._conf.write_text(
            f"Out {self.output}\nSpool {self.root}/cups-pdf-spool\n"
            f"Log {self.root}/log\nAnonDirName {self.output}\nLabel 1\n",
            encoding="utf-8",
        )
        self._process = subprocess.Popen(
            [_tool("cupsd"), "-f", "-c", str(conf), "-s", str(files)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.environ["CUPS_SERVER"] = self.server
        _libcups_server(self.server)
        self._wait_running()
        self._run("lpadmin", "-p", self.queue, "-E", "-v", f"cups-pdf:/{self.queue}")
        self._run("lpadmin", "-p", self.queue, "-P", str(CUPS_PDF_PPD))
        self._run("cupsenable", self.queue)
        self._run("cupsaccept", self.queue)

    def log(self) -> str:
        """The scheduler's error log (for a failing test's message)."""
        path = self.root / "log" / "error_log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def pdfs(self) -> list[Path]:
        """The PDFs the queue has written so far."""
        return sorted(self.output.rglob("*.pdf"))

    def stop(self) -> None:
        """Stop the scheduler by its PID; remove the queue's settings and the folders."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
        self._conf.unlink(missing_ok=True)
        if self._saved_env is None:
            os.environ.pop("CUPS_SERVER", None)
        else:
            os.environ["CUPS_SERVER"] = self._saved_env
        _libcups_server(self._saved_env)
        shutil.rmtree(self.root, ignore_errors=True)

    def _wait_running(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"cupsd exited at start:\n{self.log()}")
            # lpstat -r exits 0 even when nothing answers: only its words tell.
            done = subprocess.run(
                [_tool("lpstat"), "-h", self.server, "-r"],
                capture_output=True,
                text=True,
                check=False,
                env=self._env(),
            )
            if "is running" in done.stdout and "not running" not in done.stdout:
                return
            time.sleep(0.1)
        raise RuntimeError(f"cupsd did not start within {START_TIMEOUT_S} s:\n{self.log()}")

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            [_tool(tool), "-h", self.server, *args],
            capture_output=True,
            text=True,
            check=False,
            env=self._env(),
        )
        if done.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)} failed: {done.stderr}\n{self.log()}")

    def _env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": self.server}


def _libcups_server(server: str | None) -> None:
    """Tell the libcups in this process (which Qt's print plugin uses) which server to ask.

    libcups reads CUPS_SERVER once and keeps it, so a test run that asked for
    printers earlier would otherwise go on asking the machine's own scheduler.
    """
    name = ctypes.util.find_library("cups")
    if name is None:
        return
    library = ctypes.CDLL(name)
    library.cupsSetServer.argtypes = [ctypes.c_char_p]
    library.cupsSetServer.restype = None
    library.cupsSetServer(server.encode() if server else None)
