"""The demo city has team work to show: basisbaan hours to approve and export, volunteers in intake."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from veerkracht.core.models import User
from veerkracht.team.models import SheetStatus, TimeSheet, VolunteerApplication
from veerkracht.team.selectors import awaiting_approval, month_overview


@pytest.mark.django_db
def test_the_coordinator_finds_hours_to_approve_and_volunteers_in_intake():
    call_command("demo", "--residents=1000", "--seed=5", stdout=StringIO())
    coordinator = User.objects.get(username="coordinator")
    basisbaan = User.objects.get(username="basisbaan")
    assert awaiting_approval(coordinator).filter(worker=basisbaan).exists()
    assert TimeSheet.objects.filter(worker=basisbaan, status=SheetStatus.APPROVED).exists()
    rows = {row.worker.username: row for row in month_overview(coordinator, timezone.localdate().replace(day=1))}
    assert rows["basisbaan"].contract_hours_per_week == 24
    assert sorted(VolunteerApplication.objects.values_list("status", flat=True)) == ["intake", "new"]
