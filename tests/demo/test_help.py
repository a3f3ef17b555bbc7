"""The demo city has neighbour help to show: offers of its helpers and open requests to match."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from veerkracht.core.models import TaskRun, User
from veerkracht.help.models import HelpOffer, HelpRequest, Match
from veerkracht.help.services import match_run_start


def result(run: TaskRun) -> dict[str, Any]:
    assert run.result is not None
    return run.result


@pytest.mark.django_db
def test_the_coordinator_matches_the_demo_citys_open_requests():
    call_command("demo", "--residents=3000", "--seed=3", stdout=StringIO())
    helpers = User.objects.filter(role__in=("volunteer", "basisbaan"))
    assert HelpOffer.objects.count() == helpers.count() > 0
    assert HelpRequest.objects.filter(status="open").count() == 3000 // 60
    run = match_run_start(by=User.objects.get(username="coordinator"))
    assert run.status == "done"
    assert result(run)["proposed"] >= result(run)["requests"] // 3
    unmatched: dict[str, int] = result(run)["unmatched"]
    assert result(run)["proposed"] + sum(unmatched.values()) == result(run)["requests"]
    assert Match.objects.count() == result(run)["proposed"]
