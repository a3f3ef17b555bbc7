"""``veerkracht serve`` starts its worker again when it dies, and leaves no process behind when stopped."""

import re
import signal
import socket
from pathlib import Path

import pytest

from tests.conftest import Cast
from tests.processes import Process, alive, kill_hard, wait_for
from veerkracht.core.models import TaskRun, TaskStatus
from veerkracht.help.services import match_run_start

pytestmark = [pytest.mark.real_clock, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


STARTED = re.compile(r"background worker started \(pid (\d+)\)")


def _worker_pids(serve: Process) -> list[int]:
    return [int(m.group(1)) for line in serve.lines if (m := STARTED.search(line))]


def _children(pid: int) -> set[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in children.read_text().split()} if children.exists() else set()


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT])
def test_serve_restarts_a_killed_worker_and_stops_everything_with_itself(
    cast: Cast, settings, stop_with, tmp_path: Path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Its own counters' folder: serve empties it at start, and another test's serve may run at the same time.
    metrics = str(tmp_path / "metrics")
    serve = Process(
        "serve", "--port", str(_free_port()), "--workers", "1", "--threads", "1", PROMETHEUS_MULTIPROC_DIR=metrics
    )
    try:
        first = wait_for(lambda: _worker_pids(serve), what="the first worker")[0]
        kill_hard(first)
        second = wait_for(lambda: _worker_pids(serve)[1:], what="the worker started again")[0]
        assert second != first
        assert not alive(first)

        run = match_run_start(by=cast.coordinator)  # the new worker takes the queue
        wait_for(lambda: TaskRun.objects.get(pk=run.pk).status == TaskStatus.DONE, what="the job")

        children = _children(serve.pid)
        assert second in children
        assert len(children) == 2  # the worker and gunicorn
        serve.popen.send_signal(stop_with)
        serve.popen.wait(timeout=60)
        wait_for(lambda: not any(alive(child) for child in children), timeout_s=10, what="the children to end")
    finally:
        serve.stop()
        for pid in _worker_pids(serve):
            if alive(pid):
                kill_hard(pid)
