"""The pages' Jinja2 environment prints values as Django's engine did (core/jinja.py)."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template, engines
from django.utils import timezone, translation


def jinja(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(source).render(context)


def django(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_values_are_localised_as_django_prints_them(language):
    moment = datetime(2026, 3, 3, 13, 5, tzinfo=UTC)
    values = {"moment": moment, "ratio": 2.5, "amount": Decimal("1.25"), "count": 1200, "flag": True, "none": None}
    source = "{{ moment }}|{{ ratio }}|{{ amount }}|{{ count }}|{{ flag }}|{{ none }}"
    with translation.override(language), timezone.override(ZoneInfo("Europe/Amsterdam")):
        assert jinja(source, **values) == django(source, **values)
        assert jinja("{{ moment|date('H:i') }}", moment=moment) == "14:05"  # the active zone, as Django's filter


def test_django_filters_keep_their_meaning():
    assert jinja("{{ value|default('none') }}", value="") == "none"  # Jinja2's own only replaces undefined
    assert jinja("{{ value|default_if_none('-') }}", value=None) == "-"
    assert jinja("{{ items|slice(':2')|join(',') }}", items=[1, 2, 3]) == "1,2"
    assert jinja("{{ labels|get_item('a') }}/{{ labels|get_item('b') }}", labels={"a": "A"}) == "A/b"


def test_text_is_escaped_and_translations_are_dutch():
    assert jinja("{{ note }}", note="<script>") == "&lt;script&gt;"
    with translation.override("nl"):
        assert jinja('{{ _("Sign in") }}') == "Inloggen"
        assert jinja("{% trans number=2, total=3 %}Page {{ number }} of {{ total }}{% endtrans %}") == "Pagina 2 van 3"


def test_translations_are_trusted_as_in_django_values_escaped_and_localised():
    # Django marks a template's own text safe, and its translation with it; a value is escaped.
    assert jinja('{{ _("a < b") }}') == django('{% load i18n %}{% translate "a < b" %}') == "a < b"
    assert jinja('{{ _("%(who)s said", who="<b>") }}') == "&lt;b&gt; said"
    with translation.override("nl"):
        sentence = "{% trans hours=hours|localize %}{{ hours }} hours{% endtrans %}"
        assert jinja(sentence, hours=Decimal("7.50")) == "7,50 hours"


def test_a_missing_value_prints_nothing_however_deep():
    assert jinja("[{{ user.organisation.name }}]") == "[]"


def test_a_page_draws_one_csrf_token_for_all_its_forms(db, client):
    html = client.get("/inloggen/").content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(re.findall(r'name="csrfmiddlewaretoken"', html)) >= 2  # the sign-in form and the language switch
    tokens |= set(re.findall(r'"X-CSRFToken": "([^"]+)"', html))  # the shell's, for htmx
    assert len(tokens) == 1


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_page_translates_with_its_languages_catalogue_as_django_does(rf, language):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    source = '{{ _("Out of sight") }}|{% trans days=3 %}last {{ days }} days{% endtrans %}|{{ _("50%% <b>") }}'
    with translation.override(language):
        drawn = engines["jinja2"].from_string(source).render({}, request)  # with page_gettext's catalogue
        assert drawn == f"{translation.gettext('Out of sight')}|last 3 days|50% <b>"
        assert drawn == jinja(source)  # Django's own gettext, without a request


def test_static_addresses_are_djangos(settings):
    from django.templatetags.static import static

    assert jinja("{{ static('veerkracht/site.css') }}") == static("veerkracht/site.css")
    settings.STATIC_URL = "/elders/"  # a changed setting is not answered from the remembered addresses
    assert jinja("{{ static('veerkracht/site.css') }}") == static("veerkracht/site.css")
    assert static("veerkracht/site.css").startswith("/elders/")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_display_gives_what_get_display_gives(language):
    from veerkracht.contacts.models import Contact
    from veerkracht.core.channels import Channel

    with translation.override(language):
        for value in [*Channel.values, "not-a-channel"]:
            contact = Contact(channel=value)
            assert jinja('{{ contact|display("channel") }}', contact=contact) == contact.get_channel_display()
