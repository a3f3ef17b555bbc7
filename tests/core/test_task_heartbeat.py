"""A long run beats while it computes, so the reaper leaves it alone; an attempt that lost its run changes nothing."""

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.conftest import Cast
from veerkracht.core import tasks
from veerkracht.core.models import TaskRun, TaskStatus
from veerkracht.core.tasks import SupersededError, effects_of, task_run_queue, task_runs_reap

LONG = "tests.long"
QUICK = "tests.quick"
tasks.register(QUICK)(lambda run, report: {})


@pytest.fixture
def long_body() -> Iterator[list[int]]:
    """A body that computes for 1.5 stale limits without reporting, and asks the reaper meanwhile."""
    reaped: list[int] = []

    def body(run: TaskRun, report: Any) -> dict[str, Any]:
        time.sleep(1.5 * settings.TASK_STALE_AFTER_SECONDS)
        reaped.append(task_runs_reap())
        return {}

    with tasks.bodies.overriding({LONG: body}):
        yield reaped


@pytest.mark.django_db(transaction=True)  # the heartbeat writes on a connection of its own
def test_a_run_that_computes_longer_than_the_stale_limit_is_not_reaped(cast: Cast, settings, long_body):
    settings.TASK_STALE_AFTER_SECONDS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run = task_run_queue(kind=LONG, organisation=cast.organisation, by=cast.coordinator, params={})
    call_command("worker", "--batch", verbosity=0)
    assert long_body == [0]
    run.refresh_from_db()
    assert (run.status, run.attempts) == (TaskStatus.DONE, 1)


@pytest.mark.django_db
def test_an_attempt_the_reaper_gave_up_on_applies_no_effects(cast: Cast):
    run = TaskRun.objects.create(
        organisation=cast.organisation, kind=LONG, status=TaskStatus.RUNNING, attempts=2, heartbeat_at=timezone.now()
    )
    first_attempt = TaskRun.objects.get(pk=run.pk)
    first_attempt.attempts = 1  # what the first attempt knows of itself
    with pytest.raises(SupersededError), effects_of(first_attempt):
        pytest.fail("the block ran for an attempt that no longer holds the run")
    with effects_of(run):  # the current attempt does
        pass
    TaskRun.objects.filter(pk=run.pk).update(status=TaskStatus.DONE)
    with pytest.raises(SupersededError), effects_of(run):  # nor after the run is finished
        pass


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_queue_entry_died_with_its_worker_is_queued_again(cast: Cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lost, waiting = (task_run_queue(kind=QUICK, organisation=cast.organisation, by=None, params={}) for _ in range(2))
    an_hour_ago = timezone.now() - timedelta(hours=1)
    TaskRun.objects.update(created_at=an_hour_ago)
    # The worker took the lost run's entry and died before it could start the run.
    DBTaskResult.objects.filter(args_kwargs__args__0=str(lost.pk)).update(
        status=TaskResultStatus.RUNNING, started_at=an_hour_ago
    )
    assert task_runs_reap() == 1  # the lost one; the other waits its turn in the queue
    call_command("worker", "--batch", verbosity=0)
    assert set(TaskRun.objects.values_list("status", flat=True)) == {TaskStatus.DONE}
    assert TaskRun.objects.get(pk=waiting.pk).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_interrupted_by_stopping_the_worker_goes_back_to_the_queue_at_once(cast: Cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def stopped(run: TaskRun, report: Any) -> dict[str, Any]:
        raise SystemExit(1)  # what django-tasks' worker raises on a second SIGTERM

    with tasks.bodies.overriding({"tests.stopped": stopped}):
        run = task_run_queue(kind="tests.stopped", organisation=cast.organisation, by=None, params={})
        with pytest.raises(SystemExit):
            tasks.execute.call(str(run.pk))
    run.refresh_from_db()
    assert (run.status, run.attempts) == (TaskStatus.QUEUED, 0)  # not counted against it
    ready = DBTaskResult.objects.filter(args_kwargs__args__0=str(run.pk), status=TaskResultStatus.READY)
    assert ready.count() == 2  # the first entry (taken by nobody here) and the one queued again
