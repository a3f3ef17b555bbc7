"""Who a message goes to: residents chosen one by one or a segment, and each one's channel.

Only residents in the sender's scope are ever chosen. Each gets the first channel of the writer's
order (their preferred channel first) that they consented to and can be reached by; the others are
left out with the reason: the rule of every sender, people/reach.py.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.activities.models import Activity, RegistrationStatus
from veerkracht.core.access import within_organisation
from veerkracht.core.models import User
from veerkracht.messaging.models import SendChannel
from veerkracht.people.models import Resident
from veerkracht.people.reach import reach_for
from veerkracht.people.selectors import residents_visible_to
from veerkracht.people.vocabulary import MARKERS, marker_filter


@dataclass(frozen=True)
class Segment:
    """A part of the residents in scope; the criteria given are all applied (AND)."""

    neighbourhood_id: int | None = None
    building_id: int | None = None
    entrance_id: int | None = None
    marker: str = ""
    activity_id: int | None = None  # the activity's registrants

    def is_empty(self) -> bool:
        return not any((self.neighbourhood_id, self.building_id, self.entrance_id, self.marker, self.activity_id))

    def as_json(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if value}


def _segment_filter(user: User, segment: Segment) -> Q:
    criteria = Q()
    if segment.neighbourhood_id:
        criteria &= Q(neighbourhood_id=segment.neighbourhood_id)
    if segment.building_id:
        criteria &= Q(household__building_id=segment.building_id)
    if segment.entrance_id:
        criteria &= Q(household__entrance_id=segment.entrance_id)
    if segment.marker:
        if segment.marker not in MARKERS:
            raise ValidationError({"segment": _("Choose a target group from the list.")})
        criteria &= marker_filter(segment.marker, this_year=timezone.localdate().year)
    if segment.activity_id:
        if not within_organisation(Activity.objects.filter(pk=segment.activity_id), user).exists():
            raise ValidationError({"segment": _("Choose an activity of your own organisation.")})
        criteria &= Q(
            registrations__activity_id=segment.activity_id,
            registrations__status__in=(RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED),
        )
    return criteria


def audience(user: User, *, resident_ids: list[int] | None = None, segment: Segment | None = None) -> list[Resident]:
    """The residents a message goes to; a ValidationError for residents outside scope or an empty choice."""
    residents: QuerySet[Resident] = residents_visible_to(user).select_related("household")
    if resident_ids:
        chosen = list(residents.filter(pk__in=set(resident_ids)))
        if len(chosen) != len(set(resident_ids)):
            raise ValidationError(
                {"resident_ids": _("One or more residents are unknown or outside your neighbourhoods.")}
            )
        return sorted(chosen, key=lambda resident: resident.pk)
    if segment is None or segment.is_empty():
        raise ValidationError({"segment": _("Choose residents or a segment (neighbourhood, building, group).")})
    chosen = list(residents.filter(_segment_filter(user, segment)).distinct().order_by("last_name", "pk"))
    if not chosen:
        raise ValidationError({"segment": _("Nobody in your neighbourhoods fits this segment.")})
    return chosen


@dataclass(frozen=True)
class Planned:
    resident: Resident
    channel: str  # a SendChannel, or "" when left out
    reason: str = ""  # a LeftOutReason when left out


def channel_for(resident: Resident, channels: list[str]) -> Planned:
    """The first of ``channels`` (the resident's preferred first) they consented to and can be reached by.

    The rule every sender follows (people/reach.py): SMS, WhatsApp and e-mail each by their own
    consent and address, a letter by the consent to contact; else the reason they are left out.
    """
    reach = reach_for(resident, channels)
    return Planned(resident, reach.channel, reach.reason)


@dataclass
class Plan:
    """What the preview shows: how many by which channel, and who is left out and why."""

    planned: list[Planned]
    by_channel: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.by_channel = Counter(p.channel for p in self.planned if p.channel)

    @property
    def left_out(self) -> list[Planned]:
        return [p for p in self.planned if not p.channel]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(channel, how many) in the channels' fixed order, for templates (a Counter answers 0 to 'items')."""
        return [(channel, self.by_channel[channel]) for channel in SendChannel.values if self.by_channel[channel]]

    @property
    def reached(self) -> int:
        return sum(self.by_channel.values())


def channels_check(channels: list[str]) -> list[str]:
    """The channels in the writer's order, without repeats; at least one, each known."""
    ordered = list(dict.fromkeys(channels))
    if not ordered or not set(ordered) <= set(SendChannel.values):
        raise ValidationError({"channels": _("Choose one or more of SMS, WhatsApp, e-mail and letter.")})
    return ordered


def message_plan(residents: list[Resident], channels: list[str]) -> Plan:
    """Each resident's channel, or why they are left out."""
    ordered = channels_check(channels)
    return Plan([channel_for(resident, ordered) for resident in residents])
