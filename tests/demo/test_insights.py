"""On the demo city the dashboards show the lockdown shift, the pulse, the survey and bridging."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from veerkracht.core.models import User
from veerkracht.demo.city.config import LOCKDOWN_DAYS_AGO
from veerkracht.insights import selectors
from veerkracht.insights.periods import month_end


@pytest.mark.django_db
def test_the_demo_dashboards_show_what_the_2021_figures_describe():
    call_command("demo", "--residents=3000", "--seed=4", stdout=StringIO())
    coordinator = User.objects.get(username="coordinator")
    scope = selectors.scope_of(coordinator)
    today = timezone.localdate()
    lockdown = (today - timedelta(days=LOCKDOWN_DAYS_AGO)).replace(day=1)
    first = (today - timedelta(days=700)).replace(day=1)
    mix = selectors.channel_mix(scope, first, month_end(today), lockdown)
    face_before, face_after = mix.minutes_before_after["face_to_face"]
    assert face_before is not None
    assert face_after is not None
    assert face_before > 2 * face_after
    # Video calls: about 0.5% of contact time before, about a fifth after (2021 figures).
    video_before, video_after = mix.minutes_before_after["video_call"]
    assert video_before is not None
    assert video_after is not None
    assert video_before < 0.03 < 0.1 < video_after
    pulse = selectors.pulse(coordinator, scope, (today - timedelta(days=300)).replace(day=1), month_end(today))
    yes, answers = pulse.protected.column_totals[0].count, pulse.protected.total.count
    assert yes is not None
    assert answers is not None
    assert 0.7 < yes / answers < 0.92
    survey = selectors.surveys_of(coordinator).get()
    by_age = selectors.survey_results(survey, scope)[0]
    improved = [line[0].share for line in by_age.protected.cells]
    younger = [share for share in improved[:-1] if share is not None]
    assert improved[-1] is not None
    assert younger
    assert improved[-1] > max(younger)  # older people most
    kinds, activities = selectors.bridging(scope, (today - timedelta(days=100)).replace(day=1), month_end(today))
    assert {"language_cafe", "coffee_morning", "plantsoenbingo"} <= set(kinds.rows)
    assert any(mix.connects for mix in activities)
