"""Long work in the background: queue a run, report progress, survive a killed worker.

Every kind of long work is a plain function ``body(run, report) -> result`` registered under a
name. One django-tasks task, ``execute``, runs any of them by the run's id, so the queue holds
ids only (no personal data) and the reaper can re-queue any run. Bodies must be idempotent: a
run whose worker died is started again from the beginning.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from veerkracht.core.models import Organisation, TaskRun, TaskStatus, User
from veerkracht.core.tenancy import organisation_context
from veerkracht.core.unavailable import OUTAGE_ERRORS

logger = logging.getLogger(__name__)

Report = Callable[[int], None]  # progress in percent
Body = Callable[[TaskRun, Report], dict[str, Any]]
MAX_ATTEMPTS = 3  # a run that kills its worker three times is failed, not retried for ever

_BODIES: dict[str, Body] = {}


def register(kind: str) -> Callable[[Body], Body]:
    """Decorator: ``body`` does the work of runs of ``kind``."""

    def decorate(body: Body) -> Body:
        _BODIES[kind] = body
        return body

    return decorate


def task_run_queue(*, kind: str, organisation: Organisation, by: User | None, params: dict[str, Any]) -> TaskRun:
    """Record a run and queue it, in one transaction: a run is never queued without its record."""
    if kind not in _BODIES:
        raise ValueError(f"no task registered as {kind!r}")
    with transaction.atomic():
        run = TaskRun.objects.create(organisation=organisation, requested_by=by, kind=kind, params=params)
        execute.enqueue(str(run.pk))
    run.refresh_from_db()  # an immediate backend (tests) has run it already
    return run


@task()
def execute(run_id: str) -> None:
    """Run the body of ``run_id``; a finished run is left alone, so a duplicate in the queue is harmless."""
    with transaction.atomic():
        run = TaskRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in (TaskStatus.DONE, TaskStatus.FAILED):
            return
        now = timezone.now()
        run.status, run.attempts, run.progress = TaskStatus.RUNNING, run.attempts + 1, 0
        run.started_at = run.heartbeat_at = now
        run.save(update_fields=["status", "attempts", "progress", "started_at", "heartbeat_at"])
    try:
        with organisation_context(run.organisation_id):  # row-level security: the run's organisation
            result = _BODIES[run.kind](run, _reporter(run))
    except OUTAGE_ERRORS:
        # The database went away mid-run: not the run's fault. It stays "running", and the reaper
        # queues it again once its heartbeat is stale (bodies are idempotent).
        raise
    except Exception as error:
        # The class name only: messages may quote data. The traceback goes to the worker's log.
        logger.exception("task %s (%s) failed", run.pk, run.kind)
        _finish(run, TaskStatus.FAILED, error=type(error).__name__)
        return
    _finish(run, TaskStatus.DONE, result=result)


def _reporter(run: TaskRun) -> Report:
    def report(percent: int) -> None:
        percent = max(0, min(100, int(percent)))
        TaskRun.objects.filter(pk=run.pk).update(progress=percent, heartbeat_at=timezone.now())

    return report


def _finish(run: TaskRun, status: str, *, result: dict[str, Any] | None = None, error: str = "") -> None:
    TaskRun.objects.filter(pk=run.pk).update(
        status=status,
        progress=100 if status == TaskStatus.DONE else run.progress,
        result=result,
        error=error,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


def task_runs_reap(now: Any = None) -> int:
    """Re-queue runs whose worker stopped reporting (killed, machine restarted); returns how many.

    A run that already had ``MAX_ATTEMPTS`` attempts is marked failed instead.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.TASK_STALE_AFTER_SECONDS)
    requeued = 0
    for run in TaskRun.objects.filter(status=TaskStatus.RUNNING, heartbeat_at__lt=stale):
        if run.attempts >= MAX_ATTEMPTS:
            _finish(run, TaskStatus.FAILED, error="WorkerLost")
            continue
        with transaction.atomic():
            if TaskRun.objects.filter(pk=run.pk, status=TaskStatus.RUNNING).update(status=TaskStatus.QUEUED):
                execute.enqueue(str(run.pk))
                requeued += 1
    return requeued
