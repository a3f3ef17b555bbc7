"""The public start page's invitation to answer a neighbourhood survey while one is open."""

from django.utils.translation import gettext as _

from veerkracht.core.addresses import address
from veerkracht.core.startpage import PublicInvitation
from veerkracht.insights.models import Survey

SHOWN_AT_MOST = 3  # the newest open surveys: an organisation rarely runs more than one at a time


def open_survey_invitations() -> list[PublicInvitation]:
    """A link to each open survey (its public link is meant to be shared), newest first."""
    surveys = Survey.objects.filter(is_open=True).only("title", "token").order_by("-created_at", "-pk")
    return [
        PublicInvitation(
            label=survey.title,
            url=address("insights:survey_public", str(survey.token)),
            text=_("A short, anonymous survey about living in your neighbourhood."),
        )
        for survey in surveys[:SHOWN_AT_MOST]
    ]
