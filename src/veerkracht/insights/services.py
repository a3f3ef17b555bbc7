"""Writes of insights: a pulse answer, a survey and its answers."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.core.access import organisation_id_of
from veerkracht.core.channels import Channel
from veerkracht.core.models import Neighbourhood, User
from veerkracht.insights.models import AgeGroup, PulseResponse, Relations, Survey, SurveyResponse


def this_week() -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def pulse_answer(
    *, by: User, can_carry_out: bool, worried_about_clients: bool, working_channels: list[str]
) -> PulseResponse:
    """This week's answer; answering again the same week changes it (one answer per worker per week)."""
    if not set(working_channels) <= set(Channel.values):
        raise ValidationError({"working_channels": _("Choose channels from the list.")})
    answer, _created = PulseResponse.objects.update_or_create(
        worker=by,
        week=this_week(),
        defaults={
            "organisation_id": organisation_id_of(by),
            "can_carry_out": can_carry_out,
            "worried_about_clients": worried_about_clients,
            "working_channels": sorted(set(working_channels)),
            "answered_at": timezone.now(),
        },
    )
    return answer


def survey_create(*, by: User, title: str, since: date) -> Survey:
    if since > timezone.localdate():
        raise ValidationError({"since": _("Choose a date in the past.")})
    return Survey.objects.create(organisation_id=organisation_id_of(by), title=title.strip(), since=since)


def survey_answer(
    *, survey: Survey, neighbourhood: Neighbourhood, age_group: str, relations: str, entered_by: User | None = None
) -> SurveyResponse:
    """One answer, from the web (anonymous) or typed over from paper by a worker."""
    if not survey.is_open:
        raise ValidationError({"survey": _("This survey is closed.")})
    if neighbourhood.organisation_id != survey.organisation_id:
        raise ValidationError({"neighbourhood": _("Choose a neighbourhood from the list.")})
    if age_group not in AgeGroup.values or relations not in Relations.values:
        raise ValidationError({"relations": _("Choose an answer.")})
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                survey=survey,
                neighbourhood=neighbourhood,
                age_group=age_group,
                relations=relations,
                on_paper=entered_by is not None,
                entered_by=entered_by,
            )
    except IntegrityError:
        raise ValidationError({"relations": _("Choose an answer.")}) from None
