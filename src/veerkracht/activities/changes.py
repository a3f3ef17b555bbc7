"""Changing and cancelling a planned activity, and telling the people registered for it.

Registrants who gave a phone number get an SMS in the language they registered in; a worker
who registered a resident, and a resident with an account, get a message in Veerkracht. A
change of title or description is shown on the pages and needs no message; a change of time
or place, or a cancellation, does: people would otherwise come to the wrong place or in vain.
"""

from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from veerkracht.activities.models import Activity, Mode, Registration, RegistrationStatus
from veerkracht.activities.online import notices_send
from veerkracht.activities.selectors import activity_managed
from veerkracht.activities.services import (
    ActivityPlan,
    plan_capacity_check,
    plan_lists_check,
    plan_place,
    plan_times_check,
    plan_translations_check,
    translations_save,
)
from veerkracht.core import text_language
from veerkracht.core.access import Capability, can
from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, Notification, OutboundMessage, User
from veerkracht.core.outbox import outbox_deliver_start
from veerkracht.core.roles import Role

ACTIVITY = "activities.activity"


def may_change(user: User, activity: Activity) -> bool:
    """The organiser or a coordinator changes a future activity that is not cancelled."""
    allowed = can(user, Capability.PLAN_ACTIVITIES) and (
        user.role == Role.COORDINATOR or activity.organiser_id == user.pk
    )
    return allowed and activity.cancelled_at is None and activity.ends_at > timezone.now()


def _changeable(by: User, activity_id: int) -> Activity:
    """The organiser or a coordinator changes a future activity that is not cancelled."""
    activity = activity_managed(by, activity_id)
    if not can(by, Capability.PLAN_ACTIVITIES) or (by.role != Role.COORDINATOR and activity.organiser_id != by.pk):
        raise ValidationError(_("Only the organiser or a coordinator changes this activity."))
    if activity.cancelled_at is not None:
        raise ValidationError(_("This activity has been cancelled."))
    if activity.ends_at <= timezone.now():
        raise ValidationError(_("This activity is over and can no longer be changed."))
    return activity


def _registered(activity: Activity) -> list[Registration]:
    return list(activity.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("resident__user"))


@transaction.atomic
def activity_update(*, by: User, activity_id: int, plan: ActivityPlan) -> Activity:
    """Change an activity; when its time or place changes, everyone registered is told."""
    activity = _changeable(by, activity_id)
    plan = replace(plan, weekly_until=None)  # one date of a series changes, not the series
    place = plan_place(by, plan.place_id)
    plan_times_check(plan, place)
    plan_capacity_check(plan, place)
    helpers = plan_lists_check(by, plan)
    translations = plan_translations_check(plan)
    confirmed = activity.registrations.filter(mode=Mode.ONSITE, status=RegistrationStatus.CONFIRMED).count()
    if plan.max_participants is not None and plan.max_participants < confirmed:
        raise ValidationError(
            {"max_participants": _("%(count)s people are already confirmed: keep at least that many places.")
             % {"count": confirmed}}
        )  # fmt: skip
    moved = (activity.starts_at, activity.ends_at, activity.place_id) != (plan.starts_at, plan.ends_at, plan.place_id)
    new_details = (activity.online_link, activity.dial_in, activity.dial_in_pin) != (
        plan.online_link,
        plan.dial_in,
        plan.dial_in_pin,
    )
    for name in ("title", "kind", "description", "starts_at", "ends_at", "max_participants", "max_online"):
        setattr(
            activity, name, getattr(plan, name).strip() if name in ("title", "description") else getattr(plan, name)
        )
    activity.place = place
    activity.online_link, activity.dial_in, activity.dial_in_pin = plan.online_link, plan.dial_in, plan.dial_in_pin
    activity.registration_required = plan.registration_required
    activity.target_groups, activity.languages = plan.target_groups, plan.languages
    activity.full_clean()
    activity.save()
    activity.helpers.set(helpers)
    translations_save(activity, translations)  # a new title needs no message: the pages show it
    if moved:
        _tell_everyone(activity, cancelled=False)
    if new_details:
        _resend_online_details(activity)
    audit_record(action=AuditAction.UPDATE, actor=by, object_type=ACTIVITY, object_id=activity.pk)
    return activity


def _resend_online_details(activity: Activity) -> None:
    """Who already has the link, dial-in number or PIN gets the new ones (the others get them as usual)."""
    informed = list(
        activity.registrations.filter(
            mode=Mode.ONLINE, status=RegistrationStatus.CONFIRMED, online_sent_at__isnull=False
        ).select_related("activity__organisation", "resident")
    )
    notices_send(informed, "online_link")
    Registration.objects.filter(pk__in=[registration.pk for registration in informed]).update(
        online_sent_at=timezone.now()
    )


@transaction.atomic
def activity_cancel(*, by: User, activity_id: int) -> Activity:
    """Cancel an activity: it leaves the public programme and everyone registered is told."""
    activity = _changeable(by, activity_id)
    activity.cancelled_at = timezone.now()
    activity.save(update_fields=["cancelled_at"])
    _tell_everyone(activity, cancelled=True)
    audit_record(action=AuditAction.UPDATE, actor=by, object_type=ACTIVITY, object_id=activity.pk)
    return activity


def _facts(activity: Activity, language: str) -> dict[str, str]:
    where = activity.place.name if activity.place else _("online")
    return {
        "title": activity.text_in(language).title,
        "when": timezone.localtime(activity.starts_at).strftime("%d-%m-%Y %H:%M"),
        "where": str(where),
    }


CANCELLED_TEXT = gettext_noop("%(title)s on %(when)s has been cancelled. We are sorry.")
CHANGED_TEXT = gettext_noop("%(title)s has changed: now on %(when)s at %(where)s.")


def _text(activity: Activity, *, cancelled: bool, language: str) -> str:
    with translation.override(language):
        facts = _facts(activity, language)
        return _(CANCELLED_TEXT if cancelled else CHANGED_TEXT) % facts


def _sms_language(registration: Registration, *, cancelled: bool) -> str:
    """The registrant's language by the rule of every text to a resident (core/text_language.py)."""
    resident = registration.resident
    languages = text_language.registrant_languages(registration.language, resident.languages if resident else None)
    return text_language.language_for(languages, text_language.has_texts(CANCELLED_TEXT if cancelled else CHANGED_TEXT))


def _tell_everyone(activity: Activity, *, cancelled: bool) -> None:
    """Every registrant by their channel: SMS to a phone, a message to the worker or the resident's account."""
    texts = []
    prefetch_related_objects([activity], "texts")  # each registrant's language reads them
    link = reverse("activities:public_detail", args=[activity.pk])
    for registration in _registered(activity):
        if registration.phone:
            language = _sms_language(registration, cancelled=cancelled)
            texts.append((registration.phone, _text(activity, cancelled=cancelled, language=language), language))
        account = registration.resident.user if registration.resident else None
        for user in {person for person in (registration.registered_by, account) if person is not None}:
            text = _text(activity, cancelled=cancelled, language=settings.LANGUAGE_CODE)
            Notification.objects.create(user=user, link=link, text=f"{registration.name}: {text}")
    if texts:
        messages = OutboundMessage.objects.bulk_create(
            OutboundMessage(organisation=activity.organisation, channel="sms", to=phone, text=text, language=language)
            for phone, text, language in texts
        )
        outbox_deliver_start(organisation=activity.organisation, by=None, outbound_ids=[m.pk for m in messages])
