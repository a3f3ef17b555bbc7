"""The kinds of door visit on a round, the outcomes a walker ticks, and the reasons behind a priority."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from veerkracht.core.channels import Channel
from veerkracht.engines.priority import Reason


class VisitKind(models.TextChoices):
    """The channels of a round, in the order a walker meets them at a block of flats."""

    PORCH_TALK = Channel.PORCH_TALK.value, _("Porch talk")
    INTERCOM = Channel.INTERCOM.value, _("Intercom call")
    HOME_VISIT = Channel.HOME_VISIT.value, _("Home visit")


# Minutes at a door: the time planned for the visit, and the duration of the contact logged.
VISIT_MINUTES = {VisitKind.PORCH_TALK: 10, VisitKind.INTERCOM: 5, VisitKind.HOME_VISIT: 30}
ATTEMPT_MINUTES = 1  # ringing, waiting, a note through the door


class Outcome(models.TextChoices):
    NOT_HOME = "not_home", _("Not home")
    TALKED = "talked", _("Talked")
    REFUSED = "refused", _("Refused")
    CONCERN = "concern", _("Talked, concern raised")


REACHED = frozenset({Outcome.TALKED, Outcome.CONCERN})


def planned_kind(kinds: list[str], *, flat: bool, needs_time: bool) -> str:
    """The visit planned at a door: a home visit for those who need time (when the round makes them),
    a porch talk at a door of one's own or a portiek, the intercom when that is all the round does."""
    if needs_time and VisitKind.HOME_VISIT in kinds:
        return VisitKind.HOME_VISIT
    if VisitKind.PORCH_TALK in kinds:
        return VisitKind.PORCH_TALK
    if flat and VisitKind.INTERCOM in kinds:
        return VisitKind.INTERCOM
    return kinds[0]


def describe(reason: Reason) -> str:
    """One reason of a priority in words: "2 open concerns (+50)"."""
    count = reason.count
    texts = {
        "concerns": ngettext("%(n)d open concern", "%(n)d open concerns", count),
        "overdue": ngettext("%(n)d concern past its due date", "%(n)d concerns past their due date", count),
        "unseen": ngettext("no contact for %(n)d week", "no contact for %(n)d weeks", count),
        "never_reached": _("never reached"),
        "markers": ngettext("%(n)d vulnerability marker", "%(n)d vulnerability markers", count),
        "flag": _("a worker asked for a visit"),
        "not_home": ngettext("not home %(n)d time lately", "not home %(n)d times lately", count),
        "refused": _("refused a talk recently: left alone for now"),
    }
    text = str(texts.get(reason.code, reason.code))
    if "%(n)d" in text:
        text = text % {"n": count}
    return f"{text} (+{reason.points})" if reason.points else text
