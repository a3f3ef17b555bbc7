"""Changing and cancelling an activity: what registrants see, and that they are told by their channel."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from tests.activities.conftest import soon
from tests.conftest import Cast
from veerkracht.activities.changes import activity_cancel, activity_update
from veerkracht.activities.models import Activity
from veerkracht.activities.services import ActivityPlan, registration_create
from veerkracht.core.models import Notification, OutboundMessage

pytestmark = pytest.mark.django_db


def _plan_of(activity: Activity, **changes) -> ActivityPlan:
    fields = {
        "title": activity.title,
        "kind": activity.kind,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "place_id": activity.place_id,
        "max_participants": activity.max_participants,
    }
    return ActivityPlan(**{**fields, **changes})


def _registrants(cast: Cast, activity: Activity) -> None:
    registration_create(activity_id=activity.pk, name="Buur", phone="0612345678", consent=True)
    registration_create(activity_id=activity.pk, by=cast.professional, resident_id=cast.resident_north.pk)


def test_a_new_time_is_sent_to_every_registrant_by_their_channel(cast: Cast, park, plan_at):
    activity = plan_at(park)
    _registrants(cast, activity)
    later = soon(days=4)
    activity_update(by=cast.professional, activity_id=activity.pk, plan=_plan_of(activity, starts_at=later,
                    ends_at=later + timedelta(hours=2)))  # fmt: skip
    (sms,) = OutboundMessage.objects.filter(to="0612345678")
    assert "Plantsoenbingo" in sms.text
    assert "gewijzigd" in sms.text  # in the language they registered in
    assert later.strftime("%d-%m-%Y %H:%M") in sms.text
    note = Notification.objects.get(user=cast.professional)
    assert "gewijzigd" in note.text
    activity.refresh_from_db()
    assert activity.starts_at == later


def test_a_new_title_alone_sends_nothing(cast: Cast, park, plan_at):
    activity = plan_at(park)
    _registrants(cast, activity)
    activity_update(by=cast.professional, activity_id=activity.pk, plan=_plan_of(activity, title="Bingo in het park"))
    assert not OutboundMessage.objects.exists()
    assert Activity.objects.get(pk=activity.pk).title == "Bingo in het park"


def test_places_cannot_drop_below_those_already_confirmed(cast: Cast, park, plan_at):
    activity = plan_at(park)
    _registrants(cast, activity)
    with pytest.raises(ValidationError) as error:
        activity_update(by=cast.professional, activity_id=activity.pk, plan=_plan_of(activity, max_participants=1))
    assert "max_participants" in error.value.message_dict


def test_cancelling_tells_everyone_and_takes_it_off_the_programme(cast: Cast, park, plan_at, client):
    activity = plan_at(park)
    _registrants(cast, activity)
    activity_cancel(by=cast.coordinator, activity_id=activity.pk)
    assert "gaat niet door" in OutboundMessage.objects.get(to="0612345678").text
    assert "gaat niet door" in Notification.objects.get(user=cast.professional).text
    assert client.get(f"/activiteiten/{activity.pk}/").status_code == 404
    with pytest.raises(ValidationError):
        activity_cancel(by=cast.coordinator, activity_id=activity.pk)


def test_only_the_organiser_or_a_coordinator_changes_an_activity(cast: Cast, park, plan_at):
    activity = plan_at(park)
    with pytest.raises(ValidationError):
        activity_cancel(by=cast.other_professional, activity_id=activity.pk)  # may manage, did not organise


def test_the_organiser_changes_and_cancels_from_the_activitys_page(cast: Cast, park, plan_at, client):
    activity = plan_at(park)
    _registrants(cast, activity)
    client.force_login(cast.professional)
    manage = client.get(f"/activiteiten/{activity.pk}/beheer/").content.decode()
    assert f'href="/activiteiten/{activity.pk}/wijzigen/"' in manage
    form = client.get(f"/activiteiten/{activity.pk}/wijzigen/").content.decode()
    assert 'value="Plantsoenbingo"' in form
    assert "T14:00" in form  # the start filled in, in the form the browser reads
    confirm = client.get(f"/activiteiten/{activity.pk}/afzeggen/").content.decode()
    assert "2 mensen zijn aangemeld" in confirm
    done = client.post(f"/activiteiten/{activity.pk}/afzeggen/", {"confirm": "yes"}, follow=True)
    assert "is afgezegd" in done.content.decode()
    assert Activity.objects.get(pk=activity.pk).cancelled_at is not None


def test_the_change_form_saves_and_says_so(cast: Cast, park, plan_at, client):
    activity = plan_at(park)
    client.force_login(cast.coordinator)
    starts = timezone.localtime(activity.starts_at)
    form = {
        "title": "Bingo in het park",
        "kind": activity.kind,
        "place": park.pk,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "max_participants": 3,
        "registration_required": "on",
    }
    done = client.post(f"/activiteiten/{activity.pk}/wijzigen/", form, follow=True)
    assert "De activiteit is gewijzigd" in done.content.decode()
    assert Activity.objects.get(pk=activity.pk).title == "Bingo in het park"


def test_a_helper_cannot_open_the_change_pages(cast: Cast, park, plan_at, client):
    activity = plan_at(park)
    activity.helpers.add(cast.basisbaan)
    client.force_login(cast.basisbaan)
    assert client.get(f"/activiteiten/{activity.pk}/wijzigen/").status_code == 404
    assert client.get(f"/activiteiten/{activity.pk}/afzeggen/").status_code == 404


def test_each_registrant_hears_of_a_change_in_the_language_they_registered_in(cast: Cast, park, plan_at):
    activity = plan_at(park)
    with translation.override("tr"):
        registration_create(activity_id=activity.pk, name="Ayşe", phone="0611111111", consent=True)
    with translation.override("ar"):
        registration_create(activity_id=activity.pk, name="Fatima", phone="0622222222", consent=True)
    registration_create(activity_id=activity.pk, name="Buur", phone="0612345678", consent=True)
    later = soon(days=4)
    activity_update(by=cast.professional, activity_id=activity.pk, plan=_plan_of(activity, starts_at=later,
                    ends_at=later + timedelta(hours=2)))  # fmt: skip
    assert "Plantsoenbingo değişti: artık" in OutboundMessage.objects.get(to="0611111111").text
    assert "تم تغيير Plantsoenbingo" in OutboundMessage.objects.get(to="0622222222").text
    assert "gewijzigd" in OutboundMessage.objects.get(to="0612345678").text
    activity_cancel(by=cast.coordinator, activity_id=activity.pk)
    assert OutboundMessage.objects.filter(to="0611111111", text__contains="iptal edildi. Üzgünüz.").exists()
