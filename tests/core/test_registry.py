"""The registries through which a lower layer calls the apps above it refuse a name registered twice
(core/registry.py, docs/layers.md), and the apps' entries reach the code that uses them."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import engines

from veerkracht.activities.counters import attendance_counters
from veerkracht.contacts.counters import contact_counters
from veerkracht.core import daily, jinja, startpage, startup, tasks
from veerkracht.core.outbox import DELIVER
from veerkracht.core.registry import Registry
from veerkracht.people import panels as resident_page
from veerkracht.people import retention
from veerkracht.people.counters import register_counters
from veerkracht.people.reached import reach_counters
from veerkracht.places import panels as place_page


def test_an_entry_is_found_by_its_name_in_the_order_registered():
    registry: Registry[int] = Registry("number")
    registry.register("one", 1)
    registry.registering("two")(2)
    assert list(registry.items()) == [("one", 1), ("two", 2)]
    assert "one" in registry
    assert "three" not in registry


def test_a_second_entry_under_a_taken_name_is_refused_and_the_first_stays():
    registry: Registry[int] = Registry("number")
    registry.register("one", 1)
    with pytest.raises(ImproperlyConfigured, match="number 'one' is registered twice"):
        registry.register("one", 11)
    assert registry["one"] == 1


def test_overriding_for_a_test_leaves_the_registry_as_it_was():
    registry: Registry[int] = Registry("number")
    registry.register("one", 1)
    with registry.overriding({"one": 10, "two": 2}):
        assert dict(registry) == {"one": 10, "two": 2}
    with registry.overriding({"three": 3}, only=True):
        assert dict(registry) == {"three": 3}
    assert dict(registry) == {"one": 1}


# Each registry of the project with a name an app registers in its AppConfig.ready.
APPS_ENTRIES = [
    (tasks.bodies, DELIVER),
    (tasks.bodies, "help.match"),
    (tasks.bodies, "outreach.plan"),
    (daily.jobs, "insights: today's reach"),
    (startpage.sources, "insights: open surveys"),
    (startup.startup_checks, "demo: published logins"),
    (jinja.template_filters, "bingo_lines"),
    (jinja.template_globals, "door_flag"),
    (retention.kinds, "contacts: contact notes"),
    (retention.kinds, "activities: public registrations"),
    (retention.kinds, "team: declined applications"),
    (retention.resident_holds, "contacts: concerns"),
    (resident_page.resident_panels, "contacts: contact log"),
    (resident_page.resident_panels, "activities: register the resident"),
    (place_page.place_panels, "activities: coming activities"),
    (contact_counters, "insights: contacts per day"),
    (attendance_counters, "insights: attendance mix"),
    (reach_counters, "insights: reach"),
    (register_counters, "insights: reach"),
]


@pytest.mark.parametrize(("registry", "name"), APPS_ENTRIES, ids=[name for _registry, name in APPS_ENTRIES])
def test_every_app_registered_its_entry_and_a_second_one_is_refused(registry, name):
    assert name in registry, f"{name!r} is missing from the {registry.kind} registry"
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register(name, registry[name])


def test_a_template_filter_of_an_app_is_drawn_by_the_pages():
    assert engines["jinja2"].from_string("{{ ['row 1']|bingo_lines }}").render({}) == "rij 1"


def test_an_app_s_template_filter_may_not_replace_one_of_the_environment_s_own():
    with (
        jinja.template_filters.overriding({"date": str}),
        pytest.raises(ImproperlyConfigured, match="template filter 'date' would replace"),
    ):
        jinja.environment(autoescape=True)
