"""The Nu HTML Checker (vnu) as a local service, started before the gate needs it.

vnu's command line starts a Java virtual machine for each run: for the one page
an edit changes, ~1.1 s and ~1.4 s of CPU, spent after the build, when Pagefind
indexes the site beside the gate and the CPU is most wanted. vnu also serves
the same checker over HTTP (`nu.validator.servlet.Main`, documented by vnu):
a publish starts it as the site builds, at the lowest priority (nice 19, on the
CPU the build leaves), warms it on a page of the live release, and the gate
then posts each page to check (~0.03 s a page once warm).

It pays on a large site only (`FROM_PAGES`): there the build lasts longer than
the service takes to start, and Pagefind then takes the CPU for seconds. On a
small one, the command line's ~1.4 s of CPU cost less than the service's ~3.5.
Only a few pages go to it (`FEW_PAGES`), and only once it answers: the gate
never waits for it. A service still starting (a machine
too busy to give it CPU), or failing, hands the pages back to the command
line: the gate never checks less.
"""

import http.client
import json
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from transfo_common import background

# Started for a live release of at least this many HTML pages (the bench's 2,000 articles: 3,577).
FROM_PAGES = 1000
# Up to this many pages, a warm service answers sooner: ~30 ms a page, against a new vnu
# process's ~2 s (~3 s of CPU) to start, then ~13 ms a page.
FEW_PAGES = 100
# One garbage collector thread: a service ready and warm holds ~410 MB instead of ~600 MB.
SERVICE_JAVA_OPTIONS = ("-XX:+UseSerialGC",)
START_TIMEOUT_S = 120  # a vnu that does not answer by then is stopped at the publish's end anyway
REQUEST_TIMEOUT_S = 60
# vnu's command line keeps these with --errors-only; "info" (warnings included) is dropped.
ERROR_TYPES = ("error", "non-document-error")

Findings = dict[Path, list[tuple[str, str]]]
# The service is on this machine: a proxy named by http_proxy must not stand in between.
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# What a request to a service that failed, or was stopped, may raise.
UNANSWERED = (OSError, http.client.HTTPException)


def free_port() -> int:
    """A TCP port nothing listens on now, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def error_findings(answer: bytes) -> list[tuple[str, str]]:
    """(line, message) of each error in one vnu JSON answer, as the command line reports them."""
    messages = json.loads(answer)["messages"]
    return [(str(message.get("lastLine", "?")), str(message.get("message", "")).strip())
            for message in messages if message.get("type") in ERROR_TYPES]


class HtmlChecker:
    """A vnu service on 127.0.0.1, starting in the background from `command` (java and its options)."""

    def __init__(self, command: list[str], jar: Path, warm_with: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/?out=json"
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._closed = False
        self._answering = threading.Event()
        # vnu's process inherits the lowered priority of the thread that starts it.
        background.in_thread(lambda: self._start(command, jar, warm_with), "vnu-service", nice=19)

    def _start(self, command: list[str], jar: Path, warm_with: Path | None) -> None:
        with self._lock:
            if self._closed:
                return
            self._process = process = subprocess.Popen(
                [*command, *SERVICE_JAVA_OPTIONS, "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", str(jar),
                 "nu.validator.servlet.Main", str(self.port)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._closed and process.poll() is None and time.monotonic() < deadline:
            try:
                with _LOCAL.open(f"http://127.0.0.1:{self.port}/", timeout=5):
                    self._answering.set()
                    break
            except UNANSWERED:
                time.sleep(0.05)
        if self._answering.is_set() and warm_with is not None:
            try:  # its first page loads the checker's classes: ~0.7 s
                self._post(warm_with.read_bytes())
            except UNANSWERED:
                pass  # closed meanwhile, or failing: `findings` will find out

    def _post(self, page: bytes) -> bytes:
        request = urllib.request.Request(self.url, data=page, headers={"Content-Type": "text/html; charset=utf-8"})
        with _LOCAL.open(request, timeout=REQUEST_TIMEOUT_S) as answer:
            return bytes(answer.read())

    @property
    def answering(self) -> bool:
        """Whether the service has started and answers (it may still be warming up)."""
        return self._answering.is_set() and not self._closed

    def findings(self, pages: list[Path]) -> Findings | None:
        """{page: [(line, message)]} for every page, errors only, as `checks.vnu_findings`; None when
        the service does not answer yet, or failed: the caller runs vnu's command line."""
        if not self.answering:
            return None
        try:
            return {page: error_findings(self._post(Path(page).read_bytes())) for page in pages}
        except (*UNANSWERED, ValueError, KeyError):
            return None

    def close(self) -> None:
        """Stop the service, or its start."""
        with self._lock:
            self._closed = True
            process = self._process
        if process is not None:
            background.stop_process(process)
