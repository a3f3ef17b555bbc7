"""Long work in the background: queue a run, report progress, survive a killed worker.

Every kind of long work is a plain function ``body(run, report) -> result`` registered under a
name. One django-tasks task, ``execute``, runs any of them by the run's id, so the queue holds
ids only (no personal data) and the reaper can re-queue any run.

A run that lost its worker (``kill -9``, a restarted machine, a database that went away) is
started again from the beginning, so bodies must be idempotent (docs/adr/0020):

- While a body runs, a heartbeat thread marks the run alive every ``beat_s()`` seconds, however
  long the body computes without reporting progress.
- A reaper in every worker (``task_reaper_start``) queues runs whose heartbeat is older than
  ``TASK_STALE_AFTER_SECONDS`` again; after ``TASK_MAX_ATTEMPTS`` attempts it fails them with a
  message the user sees (``TaskRun.failure_message``).
- Each attempt holds the run by its number. A body applies its effects inside
  ``effects_of(run)``: one transaction that goes ahead only while this attempt still holds the
  run, so an attempt the reaper gave up on cannot apply them beside its successor.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from veerkracht.core.models import WORKER_LOST, Organisation, TaskRun, TaskStatus, User
from veerkracht.core.origin import no_origin
from veerkracht.core.registry import Registry
from veerkracht.core.tenancy import organisation_context
from veerkracht.core.unavailable import OUTAGE_ERRORS

logger = logging.getLogger(__name__)

Report = Callable[[int], None]  # progress in percent
Body = Callable[[TaskRun, Report], dict[str, Any]]

# The apps' bodies by kind, registered when their modules are imported from ``AppConfig.ready``.
bodies: Registry[Body] = Registry("background task")


class SupersededError(Exception):
    """This attempt no longer holds its run: the reaper queued it again, or another attempt finished it."""


def register(kind: str) -> Callable[[Body], Body]:
    """Decorator: ``body`` does the work of runs of ``kind`` (a kind registered twice is refused)."""
    return bodies.registering(kind)


def beat_s() -> float:
    """How often a running run beats and the reaper looks: several times within the stale limit."""
    return max(0.2, settings.TASK_STALE_AFTER_SECONDS / 4)


def task_run_queue(*, kind: str, organisation: Organisation, by: User | None, params: dict[str, Any]) -> TaskRun:
    """Record a run and queue it, in one transaction: a run is never queued without its record."""
    if kind not in bodies:
        raise ValueError(f"no task registered as {kind!r}")
    with transaction.atomic():
        run = TaskRun.objects.create(organisation=organisation, requested_by=by, kind=kind, params=params)
        execute.enqueue(str(run.pk))
    run.refresh_from_db()  # an immediate backend (tests) has run it already
    return run


def _held(run: TaskRun) -> Any:
    """The run's row while this attempt holds it (a queryset: empty once it does not)."""
    return TaskRun.objects.filter(pk=run.pk, status=TaskStatus.RUNNING, attempts=run.attempts)


@contextmanager
def effects_of(run: TaskRun) -> Iterator[None]:
    """The transaction in which a body applies its effects, only while this attempt holds the run.

    The run's row stays locked until the block commits, so the reaper cannot hand the run to
    another attempt half-way; an attempt that lost the run raises ``SupersededError`` and
    changes nothing.
    """
    with transaction.atomic():
        if not _held(run).select_for_update().exists():
            raise SupersededError(str(run.pk))
        yield


@task()
def execute(run_id: str) -> None:
    """Run the body of ``run_id``; only a queued run is started, so a duplicate in the queue is harmless."""
    with transaction.atomic():
        run = TaskRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != TaskStatus.QUEUED:
            return
        now = timezone.now()
        run.status, run.attempts, run.progress = TaskStatus.RUNNING, run.attempts + 1, 0
        run.started_at = run.heartbeat_at = now
        run.save(update_fields=["status", "attempts", "progress", "started_at", "heartbeat_at"])
    stop_beating = _heartbeat_start(run)
    try:
        # Row-level security: the run's organisation. No origin: a run is background work, also
        # when the test settings execute it inside the request that queued it.
        with organisation_context(run.organisation_id), no_origin():
            result = bodies[run.kind](run, _reporter(run))
    except SupersededError:
        logger.warning("task %s (%s) was taken over by a later attempt", run.pk, run.kind)
        return
    except OUTAGE_ERRORS:
        # The database went away mid-run: not the run's fault. It stays "running", and the reaper
        # queues it again once its heartbeat is stale (bodies are idempotent).
        raise
    except (SystemExit, KeyboardInterrupt):
        # The worker is being stopped (a second SIGTERM or Ctrl+C): hand the run back to the queue
        # at once instead of leaving it for the reaper. The interruption is not the run's fault.
        _requeue(run, count_attempt=False)
        raise
    except Exception as error:
        # The class name only: messages may quote data. The traceback goes to the worker's log.
        logger.exception("task %s (%s) failed", run.pk, run.kind)
        _finish(run, TaskStatus.FAILED, error=type(error).__name__)
        return
    finally:
        stop_beating()
    _finish(run, TaskStatus.DONE, result=result)


def _heartbeat_start(run: TaskRun) -> Callable[[], None]:
    """Mark the run alive every ``beat_s()`` in a thread of its own, until the returned stop is called."""
    stopped = threading.Event()

    def beat() -> None:
        try:
            while not stopped.wait(beat_s()):
                try:
                    with organisation_context(run.organisation_id):
                        _held(run).update(heartbeat_at=timezone.now())
                except OUTAGE_ERRORS:
                    connections.close_all()  # this thread's connection; the next beat opens a fresh one
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"heartbeat-{run.pk}", daemon=True)
    thread.start()

    def stop() -> None:
        stopped.set()
        thread.join(timeout=5)

    return stop


def _reporter(run: TaskRun) -> Report:
    def report(percent: int) -> None:
        percent = max(0, min(100, int(percent)))
        _held(run).update(progress=percent, heartbeat_at=timezone.now())

    return report


def _finish(run: TaskRun, status: str, *, result: dict[str, Any] | None = None, error: str = "") -> None:
    """Record the outcome of this attempt, unless a later attempt holds the run by now."""
    _held(run).update(
        status=status,
        progress=100 if status == TaskStatus.DONE else run.progress,
        result=result,
        error=error,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


def _requeue(run: TaskRun, *, count_attempt: bool) -> bool:
    """Put the run back in the queue (status and queue entry in one transaction); False if it was not held."""
    with transaction.atomic():
        changes: dict[str, Any] = {"status": TaskStatus.QUEUED, "heartbeat_at": timezone.now()}
        if not count_attempt:
            changes["attempts"] = max(0, run.attempts - 1)
        if not _held(run).update(**changes):
            return False
        execute.enqueue(str(run.pk))
    return True


def _queue_entries(run: TaskRun) -> Any:
    """django-tasks-db's entries for this run (the queue holds the run's id as the only argument)."""
    return DBTaskResult.objects.filter(args_kwargs__args__0=str(run.pk))


def task_runs_reap(now: datetime | None = None) -> int:
    """Re-queue runs whose worker stopped beating (killed, machine restarted); returns how many.

    A run that already had ``TASK_MAX_ATTEMPTS`` attempts is failed instead, with ``WORKER_LOST``.
    A run still "queued" whose queue entry is gone (its worker died between taking the entry and
    starting the run) is queued again too.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.TASK_STALE_AFTER_SECONDS)
    requeued = 0
    for run in TaskRun.objects.filter(status=TaskStatus.RUNNING, heartbeat_at__lt=stale):
        if run.attempts >= settings.TASK_MAX_ATTEMPTS:
            logger.warning("task %s (%s) lost its worker %s times: failed", run.pk, run.kind, run.attempts)
            _finish(run, TaskStatus.FAILED, error=WORKER_LOST)
        elif _requeue(run, count_attempt=True):
            logger.warning("task %s (%s) lost its worker: queued again", run.pk, run.kind)
            requeued += 1
        # The lost attempt's queue entry would stay "running" in django-tasks-db's table for ever.
        _queue_entries(run).filter(status=TaskResultStatus.RUNNING, started_at__lt=stale).update(
            status=TaskResultStatus.FAILED, finished_at=now
        )
    waiting = Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, created_at__lt=stale)
    for run in TaskRun.objects.filter(waiting, status=TaskStatus.QUEUED):
        entry_alive = Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING, started_at__gte=stale)
        if _queue_entries(run).filter(entry_alive).exists():
            continue  # waiting its turn, or just taken
        with transaction.atomic():
            if TaskRun.objects.filter(pk=run.pk, status=TaskStatus.QUEUED).update(heartbeat_at=now):
                execute.enqueue(str(run.pk))
                logger.warning("task %s (%s) lost its queue entry: queued again", run.pk, run.kind)
                requeued += 1
    return requeued


def task_reaper_start() -> threading.Thread:
    """Reap every ``beat_s()`` in a daemon thread, so a run is queued again within the stale limit.

    Only a reaper that runs all the time does that: one at the worker's start misses a run whose
    heartbeat was still fresh when the worker started again.
    """

    def loop() -> None:
        while True:
            try:
                task_runs_reap()
            except OUTAGE_ERRORS as error:
                logger.warning("reaper: database unavailable (%s)", type(error).__name__)
            finally:
                connections.close_all()  # this thread's own connection
            threading.Event().wait(beat_s())

    thread = threading.Thread(target=loop, name="task-reaper", daemon=True)
    thread.start()
    return thread
