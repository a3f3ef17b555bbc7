"""``veerkracht serve`` keeps its web server and its background worker running, and stops them together.

A worker started beside the server and then forgotten would stay dead once it died (later runs
would wait "queued" for good), and a SIGTERM to the server would leave it running as an orphan.
So ``serve`` stays the parent of both:

- a worker that stops is started again, after a pause that doubles while it keeps stopping;
- SIGTERM or SIGINT to ``serve`` is passed on to both; a child that is still there after its
  grace period is killed, and ``serve`` ends only when both have;
- when the web server stops by itself, the worker is stopped too and ``serve`` ends with its code;
- on Linux each child is also told by the kernel (``PR_SET_PDEATHSIG``) when ``serve`` itself is
  killed with ``kill -9``, so not even then is a child left behind.
"""

import ctypes
import ctypes.util
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from types import FrameType

POLL_S = 0.2
RESTART_FIRST_S = 1.0
RESTART_MOST_S = 30.0
HEALTHY_AFTER_S = 60.0  # a worker that ran this long starts again without delay
WEB_GRACE_S = 35.0  # gunicorn's own graceful timeout is 30 s
WORKER_GRACE_S = 10.0  # then a second SIGTERM interrupts the run, which goes back to the queue
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that asks Linux to send SIGTERM to the child when its parent dies."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)

    def arrange() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)

    return arrange


def say(text: str) -> None:
    print(f"veerkracht: {text}", file=sys.stderr, flush=True)


class Supervisor:
    """The parent of the web server and of the worker (``argv`` of each)."""

    def __init__(self, web: list[str], worker: list[str]) -> None:
        self.web_argv, self.worker_argv = web, worker
        self.stopping = False
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.worker_started_at = 0.0
        self.restart_after_s = RESTART_FIRST_S
        self.restart_at: float | None = None

    def _spawn(self, argv: list[str]) -> "subprocess.Popen[bytes]":
        return subprocess.Popen(argv, preexec_fn=_die_with_parent())  # noqa: S603 (our own argv; no threads here)

    def _stop_on(self, signum: int, frame: FrameType | None) -> None:
        if not self.stopping:
            say(f"{signal.Signals(signum).name}: stopping the web server and the background worker")
        self.stopping = True

    def _start_worker(self) -> None:
        self.worker = self._spawn(self.worker_argv)
        self.worker_started_at = time.monotonic()
        say(f"background worker started (pid {self.worker.pid})")

    def _watch_worker(self) -> None:
        """Start the worker again when it stopped, after the current pause."""
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restart_at = None
                self._start_worker()
            return
        if self.worker is None or (code := self.worker.poll()) is None:
            return
        if now - self.worker_started_at >= HEALTHY_AFTER_S:
            self.restart_after_s = RESTART_FIRST_S
        say(f"background worker stopped (exit code {code}); starting it again in {self.restart_after_s:g} s")
        self.restart_at = now + self.restart_after_s
        self.restart_after_s = min(RESTART_MOST_S, self.restart_after_s * 2)

    def run(self) -> int:
        """Supervise until a signal or the web server ends; returns the exit code for ``serve``."""
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self._stop_on)
        self.web = self._spawn(self.web_argv)
        self._start_worker()
        code = 0
        while not self.stopping:
            web_code = self.web.poll()
            if web_code is not None:
                say(f"the web server stopped (exit code {web_code}): stopping the background worker")
                code = web_code or 1
                break
            self._watch_worker()
            time.sleep(POLL_S)
        self._stop(self.worker, WORKER_GRACE_S, twice=True)
        self._stop(self.web, WEB_GRACE_S, twice=False)
        return code

    @staticmethod
    def _stop(child: "subprocess.Popen[bytes] | None", grace_s: float, *, twice: bool) -> None:
        """SIGTERM (and, for the worker, a second one halfway), then SIGKILL after ``grace_s``."""
        if child is None or child.poll() is not None:
            return
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=grace_s)
            return
        except subprocess.TimeoutExpired:
            pass
        if twice:  # django-tasks' worker waits for its run on the first; the second interrupts it
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=5)
                return
            except subprocess.TimeoutExpired:
                pass
        say(f"pid {child.pid} did not stop in time: killed")
        child.kill()
        child.wait()


def supervise(web: list[str], worker: list[str]) -> int:
    return Supervisor(web, worker).run()
