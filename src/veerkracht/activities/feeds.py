"""Public posters (PDF) and calendar feeds (iCalendar) of activities.

Only public fields of activities and places appear here: never registrations or anything about residents.
"""

from datetime import UTC, datetime, timedelta

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from veerkracht.activities.models import TRANSLATED_LANGUAGES, Activity
from veerkracht.activities.poster import activity_poster, address_lines, kind_label
from veerkracht.activities.selectors import public_activities
from veerkracht.core.models import Neighbourhood, Organisation
from veerkracht.places.models import Place

PRODID = "-//Veerkracht//Activiteitenagenda//NL"
FEED_PAST = timedelta(days=30)  # feeds keep the last month, so a calendar does not lose what just happened
FEED_LIMIT = 1000
FEED_MAX_AGE = 15 * 60  # seconds calendar clients and proxies may keep a feed


def registration_url(request: HttpRequest, activity: Activity) -> str:
    """The absolute URL of the activity's public page, where residents register."""
    return request.build_absolute_uri(reverse("activities:public_detail", args=[activity.pk]))


@require_safe
def poster_pdf(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The printable poster of any activity that is not cancelled; ``?taal=en|tr|ar`` adds the title in
    that language when the activity has it (poster.py)."""
    activity = get_object_or_404(
        Activity.objects.select_related("place", "organisation"), pk=activity_id, cancelled_at__isnull=True
    )
    language = request.GET.get("taal", "")
    language = language if language in TRANSLATED_LANGUAGES else "nl"
    pdf = activity_poster(activity, registration_url(request, activity), language=language)
    response = HttpResponse(pdf, "application/pdf")
    suffix = f"-{language}" if language != "nl" else ""
    response["Content-Disposition"] = f'inline; filename="poster-{activity.pk}{suffix}.pdf"'
    return response


@require_safe
@cache_control(public=True, max_age=FEED_MAX_AGE)
def organisation_feed(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The calendar of all of an organisation's activities."""
    organisation = get_object_or_404(Organisation, slug=org_slug)
    activities = feed_activities().filter(organisation=organisation)
    return _calendar_response(request, f"Activiteiten van {organisation.name}", activities)


@require_safe
@cache_control(public=True, max_age=FEED_MAX_AGE)
def neighbourhood_feed(request: HttpRequest, neighbourhood_code: str) -> HttpResponse:
    """The calendar of a neighbourhood's activities; ``?organisatie=<slug>`` picks the organisation,
    as a CBS code is only unique within one organisation."""
    neighbourhoods = Neighbourhood.objects.filter(code=neighbourhood_code)
    if slug := request.GET.get("organisatie"):
        neighbourhoods = neighbourhoods.filter(organisation__slug=slug)
    names = sorted(set(neighbourhoods.values_list("name", flat=True)))
    if not names:
        raise Http404
    activities = feed_activities().filter(place__neighbourhood__in=neighbourhoods)
    return _calendar_response(request, f"Activiteiten in {', '.join(names)}", activities)


@require_safe
@cache_control(public=True, max_age=FEED_MAX_AGE)
def place_feed(request: HttpRequest, place_id: int) -> HttpResponse:
    """The calendar of the activities at one meeting place."""
    place = get_object_or_404(Place, pk=place_id)
    return _calendar_response(request, f"Activiteiten bij {place.name}", feed_activities().filter(place=place))


def feed_activities() -> QuerySet[Activity]:
    """Activities a feed shows: not cancelled, upcoming or started in the last 30 days."""
    return public_activities(starts_from=timezone.now() - FEED_PAST)


def activity_calendar(request: HttpRequest, name: str, activities: QuerySet[Activity]) -> Calendar:
    """A VCALENDAR with one VEVENT per activity, times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", timedelta(seconds=FEED_MAX_AGE))
    stamp = timezone.now().astimezone(UTC)
    for activity in activities[:FEED_LIMIT]:
        calendar.add_component(activity_event(activity, registration_url(request, activity), stamp=stamp))
    return calendar


def activity_event(activity: Activity, url: str, *, stamp: datetime) -> Event:
    """The VEVENT of one activity: public fields only."""
    event = Event()
    event.add("uid", f"activity-{activity.pk}@veerkracht")
    event.add("dtstamp", stamp)
    event.add("dtstart", activity.starts_at.astimezone(UTC))
    event.add("dtend", activity.ends_at.astimezone(UTC))
    event.add("summary", activity.title)
    event.add("description", event_description(activity, url))
    event.add("location", event_location(activity))
    event.add("url", url)
    event.add("categories", [kind_label(activity.kind)])
    return event


def event_description(activity: Activity, url: str) -> str:
    """The description, then how to register (or that it is walk-in) with the link.

    Never the online link, dial-in number or PIN: a feed is public, and those go only to the people
    registered for the online part (activities/online.py).
    """
    parts = [activity.description.strip()] if activity.description.strip() else []
    if activity.place is not None and (activity.online_link or activity.dial_in):
        parts.append("Ook online te volgen; de link krijgt u na aanmelding.")
    parts.append(f"Aanmelden: {url}" if activity.registration_required else f"Vrije inloop. Meer informatie: {url}")
    return "\n\n".join(parts)


def event_location(activity: Activity) -> str:
    """The place with its address, or "Online" (never the link: see ``event_description``)."""
    if activity.place is None:
        return "Online"
    return ", ".join([activity.place.name, *address_lines(activity.place, activity.organisation.city)])


def _calendar_response(request: HttpRequest, name: str, activities: QuerySet[Activity]) -> HttpResponse:
    calendar = activity_calendar(request, name, activities)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
