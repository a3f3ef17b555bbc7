"""A signed-in resident's own help requests: where each stands and who helps."""

from datetime import timedelta

from django.utils import timezone

from tests.conftest import Cast
from veerkracht.help import selectors, services


def test_a_resident_sees_their_requests_and_who_helps(cast: Cast, client, neighbour, helper):
    me = neighbour(user=cast.resident)
    someone_else = neighbour()
    last_day = timezone.localdate() + timedelta(days=5)
    mine = services.help_request_create(by=cast.resident, resident_id=None, kind="groceries", last_day=last_day)
    services.help_request_create(by=cast.coordinator, resident_id=someone_else.pk, kind="meal", last_day=last_day)
    offer = helper(kinds=("groceries",))
    offer.helper.first_name = "Henk"
    offer.helper.save()
    match = services.helper_propose(by=cast.coordinator, request_id=mine.pk, offer_id=offer.pk)
    client.force_login(cast.resident)
    assert "Nog geen helper" in client.get("/mijn-hulpvragen/").content.decode()  # proposed, not yet accepted

    services.match_accept(by=offer.helper, match_id=match.pk)
    html = client.get("/mijn-hulpvragen/").content.decode()
    assert f'href="/burenhulp/hulpvragen/{mine.pk}/"' in html
    assert "Hulp van Henk" in html
    assert "Maaltijd" not in html  # another resident's request
    assert [own.request for own in selectors.own_help_requests(cast.resident)] == [mine]
    assert me.pk == mine.resident_id


def test_only_residents_who_may_ask_have_a_list_of_own_requests(cast: Cast, client):
    assert selectors.own_help_requests(cast.volunteer) == []
    client.force_login(cast.volunteer)
    assert client.get("/mijn-hulpvragen/").status_code == 404
