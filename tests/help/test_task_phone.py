"""Accepting a help task: the phone number the confirmation promises is on the page, read and audited;
without one the page says how to reach the resident instead (issue 23)."""

from django.test import Client

from tests.conftest import Cast
from veerkracht.core.models import AuditAction, AuditEvent
from veerkracht.help import services
from veerkracht.help.models import Match


def _proposed(cast: Cast, neighbour, helper, ask, phone: str) -> Match:
    resident = neighbour(first_name="Truus", phone=phone)
    match = services.propose(
        help_request=ask(resident), offer=helper(user=cast.volunteer), run=None, distance_m=100,
        same_language=None, continuity=False, by=None,
    )  # fmt: skip
    assert match is not None
    return match


def test_the_accepted_helper_gets_the_phone_number_below_the_confirmation_and_the_read_is_audited(
    cast: Cast, client: Client, neighbour, helper, ask
):
    match = _proposed(cast, neighbour, helper, ask, phone="0611122233")
    client.force_login(cast.volunteer)
    assert "0611122233" not in client.get(f"/mijn-hulp/{match.pk}/").content.decode()  # not before accepting
    page = client.post(f"/mijn-hulp/{match.pk}/accepteren/", follow=True).content.decode()
    assert "Het adres en telefoonnummer staan hieronder." in page
    assert 'href="tel:0611122233"' in page
    assert page.index("hieronder") < page.index("0611122233")
    read = AuditEvent.objects.filter(actor=cast.volunteer, action=AuditAction.VIEW).order_by("pk").last()
    assert read is not None
    assert read.object_id == str(match.request.resident_id)
    assert "phone" in read.fields


def test_without_a_phone_number_the_confirmation_promises_none_and_the_page_says_how_to_reach_them(
    cast: Cast, client: Client, neighbour, helper, ask
):
    match = _proposed(cast, neighbour, helper, ask, phone="")
    client.force_login(cast.volunteer)
    page = client.post(f"/mijn-hulp/{match.pk}/accepteren/", follow=True).content.decode()
    assert "telefoonnummer staan hieronder" not in page
    assert "Het adres staat hieronder." in page
    assert "Truus heeft ons geen telefoonnummer gegeven" in page
    read = AuditEvent.objects.filter(actor=cast.volunteer, action=AuditAction.VIEW).order_by("pk").last()
    assert read is not None
    assert "phone" not in read.fields


def test_another_helper_learns_nothing_about_the_phone(cast: Cast, client: Client, neighbour, helper, ask):
    match = _proposed(cast, neighbour, helper, ask, phone="0611122233")
    services.match_accept(by=cast.volunteer, match_id=match.pk)
    client.force_login(cast.basisbaan)
    assert client.get(f"/mijn-hulp/{match.pk}/").status_code == 404
    assert client.post(f"/mijn-hulp/{match.pk}/accepteren/").status_code == 404
