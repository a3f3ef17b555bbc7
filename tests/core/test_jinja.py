"""The pages' Jinja2 environment prints values as Django's engine did (core/jinja.py)."""

import re
from datetime import UTC, date, datetime, time, timedelta
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


def test_local_time_shows_an_aware_moment_in_the_active_zone():
    from veerkracht.core.jinja import local_time

    moment = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 in winter time, the night clocks go forward
    with timezone.override(ZoneInfo("Europe/Amsterdam")):
        assert local_time(moment) == moment
        assert local_time(moment).isoformat() == "2026-03-29T01:30:00+01:00"
        assert local_time(moment + timedelta(hours=1)).isoformat() == "2026-03-29T03:30:00+02:00"


def test_local_time_leaves_naive_moments_dates_and_other_values_alone():
    from veerkracht.core.jinja import local_time

    naive = datetime(2026, 3, 3, 13, 5)  # noqa: DTZ001 - a naive moment on purpose
    with timezone.override(ZoneInfo("Europe/Amsterdam")):
        for value in (naive, date(2026, 3, 3), time(13, 5), 3, "13:05", None):
            assert local_time(value) is value


def test_local_time_keeps_the_moment_as_it_is_without_use_tz(settings):
    from veerkracht.core.jinja import local_time

    settings.USE_TZ = False
    moment = datetime(2026, 3, 3, 13, 5, tzinfo=UTC)
    with timezone.override(ZoneInfo("Europe/Amsterdam")):
        assert local_time(moment) is moment
        assert jinja("{{ moment|date('H:i') }}", moment=moment) == "13:05"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_dates_print_as_in_djangos_template_language(language):
    moment = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # the night clocks go back: 02:30 winter time
    source = "{{ moment|date('D j b H:i T') }}|{{ moment|time('H:i') }}|{{ moment|date }}"
    django_source = '{{ moment|date:"D j b H:i T" }}|{{ moment|time:"H:i" }}|{{ moment|date }}'
    with translation.override(language), timezone.override(ZoneInfo("Europe/Amsterdam")):
        assert jinja(source, moment=moment) == django(django_source, moment=moment)
        assert jinja("{{ moment|date_once('H:i') }}", moment=moment) == "02:30"


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


def test_plurals_contexts_and_loops_translate_as_jinja2s_new_style_does():
    plural = "{% trans count=n %}{{ count }} day{% pluralize %}{{ count }} days{% endtrans %}"
    source = f"{{% for n in [1, 2] %}}{plural};{{% endfor %}}" + '{{ pgettext("alt. month", "May") }}'
    unescaped = '{% autoescape false %}{{ _("%(who)s said", who="<b>") }}{% endautoescape %}'
    with translation.override("nl"):
        assert jinja(source) == "1 day;2 days;mei"  # no Dutch text for these; the plural chosen all the same
        assert jinja(unescaped) == "<b> said"


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
        drawn = engines["jinja2"].from_string(source).render({}, request)  # with the pages' context processors
        assert drawn == f"{translation.gettext('Out of sight')}|last 3 days|50% <b>"
        assert drawn == jinja(source)  # the same without a request


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
