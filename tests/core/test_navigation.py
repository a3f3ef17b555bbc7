"""The main menu: grouped by task behind one "Menu" button on a phone, the current page marked, and
save confirmations drawn where the eye is (issue 23)."""

import re

from django.test import Client

from tests.conftest import Cast
from veerkracht.core.navigation import current_item, menu_for, menu_groups


def _phone_menu(html: str) -> str:
    return html.split('<details class="vk-nav__phone">')[1].split("</details>")[0]


def test_the_coordinators_many_items_sit_in_a_few_groups_behind_one_menu_button(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    menu = _phone_menu(client.get("/").content.decode())
    assert re.search(r'<summary class="vk-nav__toggle">Menu', menu)
    groups = re.findall(r'class="vk-nav__group-label"[^>]*>([^<]+)<', menu)
    assert groups == ["Voor mij", "Bewoners", "In de wijk", "Organisatie", "Cijfers en privacy"]
    items = menu_for(cast.coordinator)
    assert len(items) >= 12
    assert sum(len(group.items) for group in menu_groups(items)) == len(items)  # every item in one group


def test_a_page_below_a_menu_item_marks_that_item_and_names_it_on_the_phone_button(cast: Cast, client: Client):
    client.force_login(cast.professional)
    html = client.get(f"/bewoners/{cast.resident_north.pk}/").content.decode()
    assert '<span class="vk-nav__where"> · Bewoners</span>' in html
    marked = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', html.split("</nav>")[0])
    assert marked == ["Bewoners", "Bewoners"]  # the phone's menu and the wide bar, nothing else


def test_the_start_page_is_marked_only_on_itself(cast: Cast):
    items = menu_for(cast.professional)
    assert getattr(current_item(items, "/"), "url_name", None) == "home"
    assert getattr(current_item(items, "/werklijsten/zorgsignalen/"), "url_name", None) == "contacts:concerns"
    assert current_item(items, "/account/beveiliging/") is None


def test_a_save_confirmation_is_first_in_the_main_content_and_taken_into_focus(cast: Cast, client: Client):
    client.force_login(cast.professional)
    page = client.post(
        f"/bewoners/{cast.resident_north.pk}/wijzigen/",
        {**_resident_fields(client, cast), "first_name": "Fatma"},
        follow=True,
    ).content.decode()
    main = page.split('<main id="main"')[1]
    assert main.index('id="messages"') < main.index("<h1")
    found = re.search(r'<div class="vk-messages"[^>]*>', main)
    assert found is not None
    messages = found.group(0)
    assert "autofocus" in messages
    assert 'role="status"' in messages
    assert 'tabindex="-1"' in messages
    assert "De wijzigingen zijn opgeslagen." in main


def _resident_fields(client: Client, cast: Cast) -> dict[str, object]:
    """The edit form's fields as drawn, so the post changes only what the test says."""
    form = client.get(f"/bewoners/{cast.resident_north.pk}/wijzigen/").context["form"]
    fields: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        fields[name] = (
            [getattr(v, "pk", v) for v in value] if isinstance(value, (list, tuple)) else getattr(value, "pk", value)
        )
    return fields
