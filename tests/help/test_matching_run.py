"""The matching run: the engine's optimum proposed, the reasons for the rest, the queue and its reaper."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.core.models import Notification, TaskRun, TaskStatus
from veerkracht.core.tasks import task_runs_reap
from veerkracht.help import services
from veerkracht.help.models import HelpRequest, Match, MatchStatus, RequestStatus

pytestmark = pytest.mark.django_db


def result(run: TaskRun) -> dict[str, Any]:
    assert run.result is not None
    return run.result


def _run(cast: Cast, **kwargs) -> TaskRun:
    run = services.match_run_start(by=cast.coordinator, **kwargs)
    assert run.status == TaskStatus.DONE, run.error
    return run


def test_a_run_proposes_every_request_it_can_and_says_why_not_for_the_rest(cast: Cast, neighbour, helper, ask):
    near, far = neighbour(), neighbour(dx=5000)
    groceries, far_away, meal = ask(near), ask(far), ask(neighbour(), kind="meal")
    full = [ask(neighbour()) for _ in range(2)]
    offer = helper(max_open_tasks=2)
    run = _run(cast)
    assert run.progress == 100
    assert result(run)["proposed"] == 2
    assert Match.objects.filter(offer=offer, status=MatchStatus.PROPOSED).count() == 2
    reasons = dict(HelpRequest.objects.values_list("pk", "unmatched_reason"))
    assert reasons[far_away.pk] == "out_of_reach"
    assert reasons[meal.pk] == "no_kind"
    assert sorted(reasons[r.pk] for r in [groceries, *full]) == ["", "", "all_full"]
    assert result(run)["unmatched"] == {"out_of_reach": 1, "no_kind": 1, "all_full": 1}
    assert Notification.objects.filter(user=offer.helper).count() == 2


def test_a_run_is_idempotent(cast: Cast, neighbour, helper, ask):
    ask(neighbour())
    helper()
    _run(cast)
    second = _run(cast)
    assert result(second)["proposed"] == 0
    assert Match.objects.count() == 1


def test_a_decline_sends_the_request_to_someone_else_next_time(cast: Cast, neighbour, helper, ask):
    help_request = ask(neighbour())
    nearest, other = helper(dx=50), helper(dx=400)
    _run(cast)
    first = Match.objects.get()
    assert first.offer == nearest
    services.match_decline(by=nearest.helper, match_id=first.pk)
    _run(cast)
    assert Match.objects.get(status=MatchStatus.PROPOSED).offer == other
    services.match_decline(by=other.helper, match_id=Match.objects.get(status=MatchStatus.PROPOSED).pk)
    _run(cast)
    help_request.refresh_from_db()
    assert help_request.unmatched_reason == "declined"


def test_weekly_help_keeps_the_same_helper_and_availability_counts(cast: Cast, neighbour, helper, ask):
    resident = neighbour()
    earlier = ask(resident, kind="company", recurrence="weekly", weekday=0, part_of_day=0)
    usual = helper(dx=600, kinds=("company",))
    helper(dx=100, kinds=("company",), availability=1 << 3)  # closer, but free on Tuesday morning only
    match = services.propose(
        help_request=earlier, offer=usual, run=None, distance_m=600, same_language=None, continuity=False, by=None
    )
    assert match is not None
    services.match_accept(by=usual.helper, match_id=match.pk)
    services.help_request_cancel(by=cast.professional, request_id=earlier.pk)
    again = ask(resident, kind="company", recurrence="weekly", weekday=0, part_of_day=0)
    _run(cast)
    proposal = Match.objects.get(request=again)
    assert proposal.offer == usual  # the closer helper is only free on Tuesday morning
    assert proposal.continuity is True


def test_continuity_wins_over_a_little_distance(cast: Cast, neighbour, helper, ask):
    resident = neighbour()
    usual = helper(dx=900)
    helper(dx=300)  # closer
    old = ask(resident)
    match = services.propose(
        help_request=old, offer=usual, run=None, distance_m=900, same_language=None, continuity=False, by=None
    )
    assert match is not None
    services.match_accept(by=usual.helper, match_id=match.pk)
    services.match_done(by=usual.helper, match_id=match.pk)
    new = ask(resident)
    _run(cast)
    assert Match.objects.get(request=new).offer == usual  # 900 - 1000 m bonus beats 300 m


def test_a_run_for_one_neighbourhood_leaves_the_others_alone(cast: Cast, neighbour, helper, ask):
    from tests.factories import ResidentFactory

    south = ResidentFactory.create(household__building__neighbourhood=cast.south, consent_help_exchange=True)
    ask(neighbour())
    ask(south, by=cast.coordinator)
    helper(radius_m=25000, max_open_tasks=5)
    run = _run(cast, neighbourhood_id=cast.north.pk)
    assert result(run)["requests"] == 1


def test_a_neighbourhood_outside_scope_is_refused(cast: Cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.match_run_start(by=cast.professional, neighbourhood_id=cast.south.pk)


@pytest.mark.django_db(transaction=True)  # the worker opens and closes its own connections
def test_the_queue_and_its_worker(cast: Cast, neighbour, helper, ask, settings):
    """With the database backend the run waits in the queue until the worker takes it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ask(neighbour())
    helper()
    run = services.match_run_start(by=cast.coordinator)
    assert run.status == TaskStatus.QUEUED
    call_command("worker", "--batch", verbosity=0)
    run.refresh_from_db()
    assert run.status == TaskStatus.DONE
    assert Match.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_reaper_requeues_a_run_whose_worker_died(cast: Cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run = services.match_run_start(by=cast.coordinator)
    stale = timezone.now() - timedelta(hours=1)
    TaskRun.objects.filter(pk=run.pk).update(status=TaskStatus.RUNNING, heartbeat_at=stale, attempts=1)
    assert task_runs_reap() == 1
    call_command("worker", "--batch", verbosity=0)
    run.refresh_from_db()
    assert (run.status, run.attempts) == (TaskStatus.DONE, 2)
    TaskRun.objects.filter(pk=run.pk).update(status=TaskStatus.RUNNING, heartbeat_at=stale, attempts=3)
    assert task_runs_reap() == 0
    run.refresh_from_db()
    assert (run.status, run.error) == (TaskStatus.FAILED, "WorkerLost")


def test_expired_requests_are_closed_by_a_run(cast: Cast, neighbour, ask):
    help_request = ask(neighbour())
    yesterday = timezone.localdate() - timedelta(days=1)
    HelpRequest.objects.filter(pk=help_request.pk).update(first_day=yesterday, last_day=yesterday)
    assert result(_run(cast))["expired"] == 1
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.EXPIRED
