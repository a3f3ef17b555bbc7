"""API of the dashboards: every figure protected.

Suppressed cells read ``{"count": null, "share": null, "suppressed": true}``.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from veerkracht.core.access import Capability
from veerkracht.core.gate import require_capability
from veerkracht.core.windows import PlannedDate
from veerkracht.insights import selectors
from veerkracht.insights.periods import checked_compare_at, checked_period
from veerkracht.insights.reach import WINDOWS as REACH_WINDOWS

router = Router(tags=["insights"])


class PeriodQuery(Schema):
    from_: PlannedDate | None = Field(None, alias="from", description="the 1st of a month")
    to: PlannedDate | None = Field(None, description="the last day of a month")
    neighbourhood: int | None = None


class ChannelMixQuery(PeriodQuery):
    compare_at: PlannedDate | None = Field(
        None, description="the 1st of a month: months before it against it and after"
    )


class ReachQuery(Schema):
    days: int = Field(30, description="30 or 90: only these windows are published")
    group: str | None = Field(None, description="one target group (a marker or 'everyone'); all without")
    neighbourhood: int | None = None


def _scope(request: HttpRequest, neighbourhood: int | None = None) -> tuple[Any, selectors.Scope]:
    user = require_capability(request, Capability.VIEW_AGGREGATES)
    scope = selectors.scope_of(user, neighbourhood)
    if neighbourhood is not None and not scope.neighbourhood_ids:
        raise Http404
    return user, scope


@router.get("/insights/channel-mix")
def insights_channel_mix(request: HttpRequest, query: Query[ChannelMixQuery]) -> dict[str, Any]:
    """Contacts and the share of contact time per channel per month, and before/after ``compare_at``."""
    _user, scope = _scope(request, query.neighbourhood)
    first, last = checked_period(query.from_, query.to)
    mix = selectors.channel_mix(scope, first, last, checked_compare_at(query.compare_at))
    return {
        "contacts": mix.contacts.as_dict(),
        "time_share": mix.minutes_share,
        "compare": mix.compare.as_dict(),
        "time_share_before_after": {c: {"before": b, "after": a} for c, (b, a) in mix.minutes_before_after.items()},
    }


@router.get("/insights/reach")
def insights_reach(request: HttpRequest, query: Query[ReachQuery]) -> dict[str, Any]:
    """Residents per target group and neighbourhood reached in the last ``days`` days (by any channel)."""
    _user, scope = _scope(request, query.neighbourhood)
    if query.days not in REACH_WINDOWS:  # two windows a day apart would publish one day's reach
        raise ValidationError({"days": _("Choose 30 or 90 days.")})
    if query.group is not None and query.group not in selectors.TARGET_GROUPS:
        raise ValidationError({"group": _("Choose a target group from the list.")})
    tables = selectors.reach(scope, query.days)
    if query.group is not None:
        tables = [t for t in tables if t.name in (f"reach_{query.group}", "out_of_sight")]
    return {"days": query.days, "tables": [t.as_dict() for t in tables]}


@router.get("/insights/bridging")
def insights_bridging(request: HttpRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    """Attendees' mix per kind of activity and per activity, with the diversity index 1 - Σ pᵢ²."""
    _user, scope = _scope(request, query.neighbourhood)
    first, last = checked_period(query.from_, query.to)
    kinds, activities = selectors.bridging(scope, first, last)
    return {"kinds": kinds.as_dict(), "activities": [mix.__dict__ for mix in activities]}


@router.get("/insights/survey/{survey_id}/results")
def insights_survey(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    """A neighbourhood survey's results per age group and per neighbourhood (with its affluence)."""
    user, scope = _scope(request)
    survey = selectors.surveys_of(user).filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    return {"survey": survey.title, "tables": [t.as_dict() for t in selectors.survey_results(survey, scope)]}


@router.get("/insights/pulse")
def insights_pulse(request: HttpRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    """Per month: how many workers' answers said they can carry out their assignment."""
    user, scope = _scope(request)
    first, last = checked_period(query.from_, query.to)
    return selectors.pulse(user, scope, first, last).as_dict()


@router.get("/insights/help")
def insights_help(request: HttpRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    """Help requests per kind (matched or not), median hours to a match, helpers active."""
    user, scope = _scope(request, query.neighbourhood)
    first, last = checked_period(query.from_, query.to)
    figures = selectors.help_exchange(user, scope, first, last)
    return {
        "kinds": figures.kinds.as_dict(),
        "median_hours_to_match": figures.median_hours_to_match,
        "active_helpers": figures.active_helpers,
    }
