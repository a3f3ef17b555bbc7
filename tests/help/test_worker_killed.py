"""A matching run whose worker dies half-way is queued again by the reaper and proposes nothing twice.

The worker is "killed" by an exception that is not an ``Exception`` (as ``SystemExit`` on a
signal): the run's body stops after some proposals were committed, and the run is left
``running`` with a heartbeat that goes stale, exactly what a ``kill -9`` leaves behind.
"""

from collections import Counter
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.core import tasks as core_tasks
from veerkracht.core.models import Notification, TaskRun, TaskStatus
from veerkracht.core.tasks import task_runs_reap
from veerkracht.help import selectors, services, tasks
from veerkracht.help.models import HelpRequest, Match, MatchStatus, RequestEvent, RequestStatus

REQUESTS = 6
KILLED_AFTER = 3  # proposals committed before the worker dies


class WorkerKilled(BaseException):
    """Not an Exception: the run's own error handling does not see it, as with a killed process."""


def _dying_after(proposals: int) -> Any:
    real, made = services.propose, list[Any]()

    def propose(**kwargs: Any) -> Any:
        if len(made) == proposals:
            raise WorkerKilled
        match = real(**kwargs)
        made.append(match)
        return match

    return propose


@pytest.fixture
def queued_run(cast: Cast, settings, neighbour, helper, ask) -> TaskRun:
    """Six open requests, room for all of them with three helpers, and a run waiting in the real queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for i in range(REQUESTS):
        ask(neighbour(dx=10 * i))
    for i in range(3):
        helper(dx=100 + 10 * i, max_open_tasks=2)
    return services.match_run_start(by=cast.coordinator)


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_midway_is_requeued_and_finishes_without_duplicates(queued_run: TaskRun):
    with mock.patch("veerkracht.help.tasks.propose", _dying_after(KILLED_AFTER)):
        call_command("worker", "--batch", verbosity=0)
    queued_run.refresh_from_db()
    assert queued_run.status == TaskStatus.RUNNING  # left behind by the dead worker
    assert Match.objects.count() == KILLED_AFTER

    later = timezone.now() + timedelta(hours=1)  # the heartbeat has gone stale
    assert task_runs_reap(now=later) == 1
    call_command("worker", "--batch", verbosity=0)

    queued_run.refresh_from_db()
    assert (queued_run.status, queued_run.attempts) == (TaskStatus.DONE, 2)
    assert queued_run.result is not None
    assert queued_run.result["proposed"] == REQUESTS - KILLED_AFTER
    _assert_each_request_proposed_once()


def _assert_each_request_proposed_once() -> None:
    per_request = Counter(Match.objects.filter(status=MatchStatus.PROPOSED).values_list("request_id", flat=True))
    assert sorted(per_request.values()) == [1] * REQUESTS
    assert not HelpRequest.objects.filter(status=RequestStatus.OPEN).exists()
    events = Counter(RequestEvent.objects.filter(status=RequestStatus.PROPOSED).values_list("request_id", flat=True))
    assert sorted(events.values()) == [1] * REQUESTS
    links = [reverse("help:task", args=[pk]) for pk in Match.objects.values_list("pk", flat=True)]
    assert Notification.objects.filter(link__in=links).count() == REQUESTS  # each helper told once per match


@pytest.mark.django_db(transaction=True)
def test_a_run_queued_twice_by_mistake_runs_its_body_once(queued_run: TaskRun):
    tasks_executed = Counter[str]()
    real_body = tasks.match_run

    def counting(run: TaskRun, report: Any) -> dict[str, Any]:
        tasks_executed[str(run.pk)] += 1
        return real_body(run, report)

    with core_tasks.bodies.overriding({selectors.MATCH_RUN: counting}):
        core_tasks.execute.enqueue(str(queued_run.pk))  # a duplicate in the queue
        call_command("worker", "--batch", verbosity=0)
    assert tasks_executed == {str(queued_run.pk): 1}
    _assert_each_request_proposed_once()


def _outage_after(proposals: int) -> Any:
    real, made = services.propose, list[Any]()

    def propose(**kwargs: Any) -> Any:
        if len(made) == proposals:
            raise OperationalError("terminating connection due to administrator command")
        made.append(real(**kwargs))
        return made[-1]

    return propose


@pytest.mark.django_db(transaction=True)
def test_a_run_cut_off_by_a_database_outage_is_retried_not_failed(queued_run: TaskRun):
    with mock.patch("veerkracht.help.tasks.propose", _outage_after(KILLED_AFTER)):
        call_command("worker", "--batch", verbosity=0)
    queued_run.refresh_from_db()
    assert queued_run.status == TaskStatus.RUNNING  # not the run's fault: left for the reaper
    assert task_runs_reap(now=timezone.now() + timedelta(hours=1)) == 1
    call_command("worker", "--batch", verbosity=0)
    queued_run.refresh_from_db()
    assert queued_run.status == TaskStatus.DONE
    _assert_each_request_proposed_once()


def test_a_run_given_up_after_its_worker_died_says_so_in_dutch(cast: Cast, client):
    run = TaskRun.objects.create(
        organisation=cast.organisation,
        requested_by=cast.coordinator,
        kind=selectors.MATCH_RUN,
        status=TaskStatus.RUNNING,
        attempts=3,
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    assert task_runs_reap() == 0
    client.force_login(cast.coordinator)
    page = client.get(reverse("help:run", args=[run.pk]), headers={"accept-language": "nl"})
    assert page.status_code == 200
    assert "Het werk is 3 keer afgebroken" in page.content.decode()
