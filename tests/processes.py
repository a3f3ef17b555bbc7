"""Real background processes for the tests that kill them: a worker or ``veerkracht serve`` on the test database.

The processes run with production settings (not ``VEERKRACHT_TESTING``), so they use the real
database queue, on the test's own database, with a stale limit of a few seconds.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection, transaction

VEERKRACHT = str(Path(sys.executable).with_name("veerkracht"))
STALE_S = 2  # TASK_STALE_AFTER_SECONDS of the processes: a lost run is queued again within seconds


def database_url() -> str:
    """The URL of the database this test runs on (the test database, not the configured one)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user, password = quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    test_only = {"VEERKRACHT_TESTING", "DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(
        SECRET_KEY="a-production-secret-for-the-process-tests",
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="0",
        DATABASE_URL=database_url(),
        DATABASE_CONN_MAX_AGE="0",
        TASK_STALE_AFTER_SECONDS=str(STALE_S),
    )
    env.update(extra)
    return env


class Process:
    """A child process whose output (standard output and error) is collected line by line."""

    def __init__(self, *args: str, **env: str) -> None:
        self.popen = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
            [VEERKRACHT, *args], env=process_env(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.append(line.rstrip())

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait(timeout=10)


@contextmanager
def running(*args: str, **env: str) -> Iterator[Process]:
    process = Process(*args, **env)
    try:
        yield process
    finally:
        process.stop()


def wait_for(condition: Callable[[], Any], timeout_s: float = 60.0, what: str = "the condition") -> Any:
    """Poll ``condition`` until it is truthy; its value."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"waited {timeout_s} s for {what}")


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        try:
            return "\nState:\tZ" not in status.read_text()
        except OSError:
            return False
    return True


def kill_hard(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


@contextmanager
def writes_held(lock_row: Any) -> Iterator[None]:
    """Hold back the worker's writes: SQLite's write lock, or on PostgreSQL a lock on ``lock_row``.

    A worker that reaches a write then waits, mid-run, where the test can kill it.
    """
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:  # IMMEDIATE transactions: this takes the write lock
                cursor.execute("SELECT 1")
        else:
            type(lock_row).objects.select_for_update().filter(pk=lock_row.pk).exists()
        yield
