"""Pages of the shell: sign-in in Dutch, start pages per role, teams and the audit log."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import PASSWORD, ResidentFactory, UserFactory
from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, AuditEvent, AuditResult

ROLES = ["coordinator", "professional", "basisbaan", "volunteer", "resident", "privacy_officer", "funder"]


def test_the_login_page_is_dutch(db, client):
    response = client.get("/inloggen/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl"' in html
    assert "Inloggen" in html
    assert "Gebruikersnaam" in html


def test_a_bad_login_gives_a_dutch_form_error_not_a_500(cast: Cast, client):
    response = client.post("/inloggen/", {"username": "coord", "password": "niet-goed"})
    assert response.status_code == 200
    assert "gebruikersnaam of het wachtwoord is niet juist" in response.content.decode()


def test_an_empty_login_form_names_the_missing_fields_in_dutch(db, client):
    response = client.post("/inloggen/", {})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()


def test_a_good_login_leads_to_the_start_page(cast: Cast, client):
    response = client.post("/inloggen/", {"username": "pro", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Welkom, Sam" in response.content.decode()


def test_anonymous_visitors_get_a_public_start_page_with_the_public_pages(db, client):
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/welkom/", 302)]
    html = response.content.decode()
    assert "Samen in de buurt" in html
    for address in ("/activiteiten/", "/plekken/", "/vrijwilliger-worden/", "/inloggen/"):
        assert f'href="{address}"' in html
    assert "Welkom," not in html  # not the staff start page


def test_the_public_start_page_invites_to_an_open_survey_only(cast: Cast, client):
    from veerkracht.insights.models import Survey

    today = timezone.localdate()
    open_survey = Survey.objects.create(organisation=cast.organisation, title="Buurtpeiling Noord", since=today)
    Survey.objects.create(organisation=cast.organisation, title="Oude peiling", since=today, is_open=False)
    html = client.get("/welkom/").content.decode()
    assert f'href="/peiling/{open_survey.token}/"' in html
    assert "Buurtpeiling Noord" in html
    assert "Oude peiling" not in html


def test_the_public_start_page_follows_the_browser_language_but_staff_start_pages_do_not(cast: Cast, client):
    assert '<html lang="tr"' in client.get("/welkom/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    client.force_login(cast.professional)
    assert '<html lang="nl"' in client.get("/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()


def test_the_login_page_links_to_the_public_pages(db, client):
    html = client.get("/inloggen/").content.decode()
    for address in ("/welkom/", "/activiteiten/", "/plekken/", "/vrijwilliger-worden/"):
        assert f'href="{address}"' in html


@pytest.mark.parametrize("role", ROLES)
def test_every_role_has_a_start_page(cast: Cast, client, role):
    client.force_login(getattr(cast, role))
    response = client.get("/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_professional_sees_their_own_team_and_neighbourhood_counts(cast: Cast, client):
    client.force_login(cast.professional)
    html = client.get("/").content.decode()
    assert cast.team_north.name in html
    assert cast.team_south.name not in html
    assert cast.north.name in html
    assert cast.south.name not in html


def test_the_funder_sees_small_counts_hidden(cast: Cast, client):
    client.force_login(cast.funder)
    html = client.get("/").content.decode()
    assert cast.north.name in html
    assert "&lt; 10" in html  # one resident per neighbourhood: below the threshold


def test_the_funders_start_page_rounds_counts_as_the_dashboards_do(cast: Cast, client):
    ResidentFactory.create_batch(12, household__building__neighbourhood=cast.north)  # 13 with the cast's
    client.force_login(cast.funder)
    html = client.get("/").content.decode()
    row = html.split(cast.north.name)[1].split("</tr>")[0]
    assert ">15<" in row
    assert ">13<" not in row
    assert "afgerond op vijftallen" in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinator", 200), ("professional", 200), ("volunteer", 404), ("resident", 404), ("privacy_officer", 404)],
)
def test_the_teams_page_follows_the_access_policy(cast: Cast, client, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("core:teams")).status_code == status


def test_a_refusal_is_audited(cast: Cast, client):
    client.force_login(cast.volunteer)
    client.get(reverse("core:audit_log"))
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert (event.actor, event.result, event.object_id) == (cast.volunteer, AuditResult.DENIED, "core:audit_log")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("privacy_officer", 200),
        ("coordinator", 200),
        ("professional", 404),
        ("basisbaan", 404),
        ("volunteer", 404),
        ("resident", 404),
        ("funder", 404),
    ],
)
def test_the_audit_log_is_for_the_privacy_officer_and_coordinators(cast: Cast, client, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("core:audit_log")).status_code == status


def test_the_audit_log_shows_only_the_own_organisation(cast: Cast, client):
    audit_record(action=AuditAction.VIEW, actor=cast.professional, object_type="people.resident", object_id=4242)
    audit_record(
        action=AuditAction.VIEW, actor=cast.outsider_coordinator, object_type="people.resident", object_id=9999
    )
    client.force_login(cast.privacy_officer)
    html = client.get(reverse("core:audit_log")).content.decode()
    assert "4242" in html
    assert "9999" not in html


def test_the_audit_log_filters_by_action_and_object(cast: Cast, client, django_assert_max_num_queries):
    for object_id in range(60):
        audit_record(
            action=AuditAction.VIEW, actor=cast.professional, object_type="people.resident", object_id=object_id
        )
    client.force_login(cast.privacy_officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("core:audit_log"), {"action": "view"})
    assert page.context["page"].paginator.count == 60
    single = client.get(reverse("core:audit_log"), {"action": "view", "object_id": "7"})
    assert single.context["page"].paginator.count == 1


def test_english_can_be_chosen(db, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/inloggen/"})
    html = client.get("/inloggen/").content.decode()
    assert '<html lang="en"' in html
    assert "Sign in to Veerkracht" in html


def test_the_health_check_answers(db, client):
    assert client.get("/healthz").content == b"ok"


def test_the_browser_language_does_not_switch_the_site_to_english(db, client):
    html = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="nl"' in html


@pytest.mark.parametrize(
    "path", ["veerkracht/site.css", "vendor/utrecht/component-library.css", "vendor/htmx/htmx.min.js"]
)
def test_the_shell_assets_are_found(path):
    from django.contrib.staticfiles import finders

    assert finders.find(path), f"{path} missing: run `make assets`"


def test_public_pages_follow_the_browser_language_and_arabic_runs_right_to_left(db, client):
    turkish = client.get("/activiteiten/", HTTP_ACCEPT_LANGUAGE="tr-TR,tr;q=0.9").content.decode()
    arabic = client.get("/activiteiten/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="tr" dir="ltr"' in turkish
    assert '<html lang="ar" dir="rtl"' in arabic
    assert 'value="ar"' in arabic  # the switch offers every language on public pages


def test_staff_pages_stay_dutch_or_english_whatever_the_browser(db, client):
    html = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="nl" dir="ltr"' in html
    assert 'value="ar"' not in html


def test_messages_show_on_the_start_page_until_read(cast: Cast, client):
    from veerkracht.core.models import Notification

    Notification.objects.create(user=cast.professional, text="Plantsoenbingo heeft te veel aanmeldingen", link="/")
    client.force_login(cast.professional)
    assert "te veel aanmeldingen" in client.get("/").content.decode()
    client.post(reverse("core:notifications_read"))
    assert "te veel aanmeldingen" not in client.get("/").content.decode()


def test_a_resident_finds_activities_registrations_help_and_their_data_from_menu_and_start_page(cast: Cast, client):
    client.force_login(cast.resident)
    html = client.get("/").content.decode()
    menu = html.split('aria-label="Hoofdmenu"')[1].split("</nav>")[0]
    start = html.split("</nav>")[1]
    for address in (
        "/activiteiten/",
        "/mijn-aanmeldingen/",
        "/burenhulp/hulpvragen/nieuw/",
        "/mijn-hulpvragen/",
        "/bewoners/mijn-gegevens/",
    ):
        assert f'href="{address}"' in menu
        assert f'href="{address}"' in start


def test_a_signed_in_resident_keeps_turkish_and_arabic(cast: Cast, client):
    client.force_login(cast.resident)
    arabic = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in arabic
    client.post("/i18n/setlang/", {"language": "tr", "next": "/"})
    turkish = client.get("/mijn-aanmeldingen/").content.decode()
    assert '<html lang="tr"' in turkish
    assert 'value="tr"' in turkish
    assert 'value="ar"' in turkish  # the switch still offers every language of the public pages
    assert "Kayıtlarım" in turkish  # the menu in Turkish


def test_a_worker_who_chose_turkish_on_a_public_page_gets_dutch_staff_pages(cast: Cast, client):
    client.force_login(cast.professional)
    client.post("/i18n/setlang/", {"language": "tr", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="nl"' in html
    assert 'value="ar"' not in html


def test_a_worker_sees_every_member_of_their_team_counted(cast: Cast, client):
    for _ in range(4):
        cast.team_north.members.add(UserFactory.create(professional=True, organisation=cast.organisation))
    client.force_login(cast.professional)
    assert "5 leden" in client.get("/").content.decode()  # not "1 lid", counted over their own membership
    assert ">5</td>" in client.get("/teams/").content.decode()


def test_the_coordinators_menu_names_the_distancing_rule(cast: Cast, client):
    client.force_login(cast.coordinator)
    html = client.get("/").content.decode()
    assert ">Afstandsregel van de dag</a>" in html
