"""The demo city's contact history: calibrated on the 2021 figures, consistent, deterministic."""

import random
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Max
from django.utils import timezone

from veerkracht.contacts.models import Concern, Contact, ContactResident
from veerkracht.demo.city import CityConfig, generate_city
from veerkracht.demo.city.history import (
    DURATION,
    OTHERS_AFTER,
    History,
    _expected_minutes,
    calibrated_mix,
    plan_history,
)
from veerkracht.people.models import Resident


def _history(residents: int = 6000, seed: int = 3) -> tuple[History, CityConfig]:
    config = CityConfig(residents=residents, seed=seed, reference_year=2026)
    return plan_history(random.Random(f"{seed}/history"), generate_city(config), config), config


@pytest.fixture(scope="module")
def history() -> tuple[History, CityConfig]:
    return _history()


def test_the_calibrated_mix_meets_both_targets_exactly():
    mix = calibrated_mix(OTHERS_AFTER, 0.12, 0.20)
    assert mix["face_to_face"] / sum(mix.values()) == pytest.approx(0.12)
    time = {channel: weight * _expected_minutes(channel) for channel, weight in mix.items()}
    assert time["video_call"] / sum(time.values()) == pytest.approx(0.20)


def _shares(history: History, after: bool, lockdown: int) -> tuple[float, float]:
    contacts = [c for c in history.contacts if (c.days_ago <= lockdown) is after]
    minutes = sum(c.duration_minutes for c in contacts)
    face = sum(c.channel == "face_to_face" for c in contacts) / len(contacts)
    video = sum(c.duration_minutes for c in contacts if c.channel == "video_call") / minutes
    return face, video


def test_face_to_face_falls_and_video_calls_rise_at_the_lockdown(history):
    plan, config = history
    face_before, video_before = _shares(plan, after=False, lockdown=config.lockdown_days_ago)
    face_after, video_after = _shares(plan, after=True, lockdown=config.lockdown_days_ago)
    assert face_before == pytest.approx(0.55, abs=0.03)
    assert face_after == pytest.approx(0.12, abs=0.02)
    assert video_before < 0.015
    assert video_after == pytest.approx(0.20, abs=0.03)


def test_vulnerable_residents_and_clients_get_more_contacts(history):
    plan, _config = history
    per_resident: dict[int, int] = {}
    for contact in plan.contacts:
        per_resident[contact.resident_indices[0]] = per_resident.get(contact.resident_indices[0], 0) + 1
    assert len(plan.contacts) > 5000
    assert max(per_resident.values()) > 10


def test_last_reached_is_the_latest_reached_contact(history):
    plan, _config = history
    latest: dict[int, tuple[int, int]] = {}
    for contact in plan.contacts:
        if contact.reached:
            for index in contact.resident_indices:
                if index not in latest or (contact.days_ago, -contact.minute_of_day) < (
                    latest[index][0],
                    -latest[index][1],
                ):
                    latest[index] = (contact.days_ago, contact.minute_of_day)
    assert plan.last_reached == latest


def test_durations_are_plausible(history):
    plan, _config = history
    assert all(0 <= c.duration_minutes <= 24 * 60 for c in plan.contacts)
    assert all(c.duration_minutes <= 2 for c in plan.contacts if not c.reached)
    assert {c.channel for c in plan.contacts} <= set(DURATION)


def test_the_same_seed_gives_the_same_history():
    first, _ = _history(1500, seed=9)
    second, _ = _history(1500, seed=9)
    other, _ = _history(1500, seed=10)
    assert first.contacts == second.contacts
    assert first.contacts != other.contacts


@pytest.mark.django_db
def test_the_written_history_is_consistent():
    call_command("demo", "--residents=800", "--seed=4", stdout=StringIO())
    now = timezone.now()
    assert Contact.objects.count() > 0
    assert not Contact.objects.filter(started_at__gt=now).exists()
    assert not Contact.objects.filter(started_at__lt=now - timedelta(days=731)).exists()
    mismatched = ContactResident.objects.exclude(started_at=F("contact__started_at"))
    assert not mismatched.exists()
    for resident in Resident.objects.exclude(last_reached_at=None)[:200]:
        latest = resident.contact_links.filter(contact__reached=True).aggregate(latest=Max("started_at"))["latest"]
        assert resident.last_reached_at == latest
    assert not Concern.objects.filter(status="closed", closed_at=None).exists()
    assert all(concern.history.exists() for concern in Concern.objects.all()[:50])


@pytest.mark.django_db
def test_a_lockdown_outside_the_history_is_refused():
    with pytest.raises(CommandError, match="lockdown"):
        call_command("demo", "--residents=50", "--lockdown=2000-01-01")
