"""An activity's title and description in English, Turkish and Arabic besides Dutch: entered by the
coordinator, shown on the public pages in the visitor's language (else Dutch) with ``lang`` and ``dir``,
printed on the poster in a chosen language, named in messages in the message's language, and through the API."""

import re
from datetime import timedelta
from typing import get_args

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.activities.conftest import soon
from tests.activities.test_api import _activity_body
from tests.conftest import Cast
from tests.pdfcheck import assert_prints
from veerkracht.activities.api import TranslatedLanguage
from veerkracht.activities.changes import activity_cancel, activity_update
from veerkracht.activities.forms import ActivityForm
from veerkracht.activities.models import TRANSLATED_LANGUAGES, Activity, ActivityText
from veerkracht.activities.online import notice_texts
from veerkracht.activities.poster import activity_poster
from veerkracht.activities.services import ActivityPlan, Translation, registration_create
from veerkracht.core.models import AuditEvent, OutboundMessage, User
from veerkracht.core.public_languages import site_languages
from veerkracht.places.models import Place

ARABIC_TITLE = "بينغو في الحديقة"
ARABIC_DESCRIPTION = "تعال والعب معنا"
TRANSLATIONS = {
    "en": Translation("Bingo in the park", "Come and play with us."),
    "tr": Translation("Parkta tombala", ""),
    "ar": Translation(ARABIC_TITLE, ARABIC_DESCRIPTION),
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_reset():
    """The middleware leaves the request's language active on the thread; later tests expect the default."""
    yield
    translation.deactivate()


@pytest.fixture
def bingo(park, plan_at) -> Activity:
    return plan_at(park, description="Kom gezellig meespelen.", translations=TRANSLATIONS)


def _texts(activity: Activity) -> dict[str, tuple[str, str]]:
    return {text.language: (text.title, text.description) for text in ActivityText.objects.filter(activity=activity)}


def _plan_of(activity: Activity, **changes) -> ActivityPlan:
    fields = {
        "title": activity.title,
        "kind": activity.kind,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "place_id": activity.place_id,
        "description": activity.description,
        "max_participants": activity.max_participants,
    }
    return ActivityPlan(**{**fields, **changes})


# The model and the services


def test_the_translated_languages_are_the_sites_others():
    assert set(TRANSLATED_LANGUAGES) == set(site_languages()) - {settings.LANGUAGE_CODE}
    assert get_args(TranslatedLanguage) == TRANSLATED_LANGUAGES  # the API's schema names them too


def test_planning_keeps_each_translation_once_dutch_stays_on_the_activity(bingo):
    assert bingo.title == "Plantsoenbingo"
    assert _texts(bingo) == {
        "en": ("Bingo in the park", "Come and play with us."),
        "tr": ("Parkta tombala", ""),
        "ar": (ARABIC_TITLE, ARABIC_DESCRIPTION),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityText.objects.create(activity=bingo, language="en", title="Twice")


def test_the_text_in_a_language_falls_back_to_dutch(bingo):
    english = bingo.text_in("en")
    assert (english.title, english.title_language, english.description_language) == ("Bingo in the park", "en", "en")
    turkish = bingo.text_in("tr")  # a title alone: the Dutch description, marked Dutch
    assert (turkish.title, turkish.description, turkish.description_language) == (
        "Parkta tombala",
        "Kom gezellig meespelen.",
        "nl",
    )
    arabic = bingo.text_in("ar")
    assert (arabic.title_dir, arabic.description_dir) == ("rtl", "rtl")
    assert bingo.text_in("nl").title == bingo.text_in("pl").title == "Plantsoenbingo"
    assert bingo.text_in("nl").title_dir == "ltr"


def test_a_weekly_series_has_the_translations_on_every_date(cast: Cast, park, plan_at):
    made = Activity.objects.filter(series__isnull=False)
    plan_at(park, translations={"en": Translation("Weekly bingo")}, weekly_until=(soon() + timedelta(weeks=2)).date())
    assert made.count() == 3
    assert all(_texts(activity) == {"en": ("Weekly bingo", "")} for activity in made)


@pytest.mark.parametrize(
    ("translations", "field"),
    [
        ({"en": Translation("x" * 151)}, "title_en"),
        ({"ar": Translation("عنوان", "x" * 3001)}, "description_ar"),
        ({"tr": Translation("   ", "Sadece açıklama")}, "title_tr"),  # only spaces is no title
        ({"pl": Translation("Bingo")}, "translations"),
    ],
)
def test_bad_translations_are_refused_naming_the_field(cast: Cast, park, plan_at, translations, field):
    with pytest.raises(ValidationError) as refused:
        plan_at(park, translations=translations)
    assert field in refused.value.message_dict
    assert not Activity.objects.exists()


def test_an_empty_translation_is_none(park, plan_at):
    activity = plan_at(park, translations={"en": Translation("  ", "  ")})
    assert _texts(activity) == {}


def test_changing_replaces_the_translations_and_is_audited(cast: Cast, bingo):
    before = AuditEvent.objects.filter(object_type="activities.activity", object_id=str(bingo.pk)).count()
    changed = {"en": Translation("Bingo!", ""), "ar": TRANSLATIONS["ar"]}  # Turkish removed
    activity_update(by=cast.coordinator, activity_id=bingo.pk, plan=_plan_of(bingo, translations=changed))
    assert _texts(bingo) == {"en": ("Bingo!", ""), "ar": (ARABIC_TITLE, ARABIC_DESCRIPTION)}
    events = AuditEvent.objects.filter(object_type="activities.activity", object_id=str(bingo.pk))
    assert events.count() == before + 1
    assert events.latest("pk").action == "update"
    assert events.latest("pk").actor_id == cast.coordinator.pk
    assert not OutboundMessage.objects.exists()  # a new title needs no message


# The coordinator's form


def _form_data(park: Place, **fields) -> dict[str, object]:
    starts = soon()
    return {
        "title": "Plantsoenbingo",
        "kind": "plantsoenbingo",
        "place": park.pk,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "registration_required": "on",
        **fields,
    }


def _form(cast: Cast, data: dict[str, object]) -> ActivityForm:
    return ActivityForm(data, places=Place.objects.filter(organisation=cast.organisation), helpers=User.objects.none())


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title_en": "x" * 151}, "title_en", "niet meer dan 150 tekens"),  # as for the Dutch title
        ({"description_tr": "x" * 3001}, "description_tr", "niet meer dan 3000 tekens"),
        ({"title_ar": "   ", "description_ar": ARABIC_DESCRIPTION}, "title_ar", "Vul ook de titel in deze taal in"),
    ],
)
def test_the_form_refuses_bad_translations_in_dutch(cast: Cast, park, fields, field, message):
    with translation.override("nl"):
        form = _form(cast, _form_data(park, **fields))
        assert not form.is_valid()
        assert message in " ".join(str(error) for error in form.errors[field])


def test_the_form_plans_the_translations_it_was_given(cast: Cast, park):
    form = _form(cast, _form_data(park, title_en=" Bingo in the park ", title_ar=ARABIC_TITLE, title_tr="   "))
    assert form.is_valid(), form.errors
    assert form.plan().translations == {"en": Translation("Bingo in the park", ""), "ar": Translation(ARABIC_TITLE, "")}


def test_the_planning_page_has_a_fieldset_per_language_typed_in_it(cast: Cast, client):
    client.force_login(cast.coordinator)
    html = client.get("/activiteiten/nieuw/").content.decode()
    for legend in ("In het Engels", "In het Turks", "In het Arabisch"):
        assert legend in html
    assert {'lang="ar"', 'dir="rtl"', 'class="utrecht-textbox utrecht-textbox--html-input"'} <= _tag(html, "title_ar")
    assert {'lang="ar"', 'dir="rtl"', 'class="utrecht-textarea utrecht-textarea--html-textarea"'} <= _tag(
        html, "description_ar"
    )
    assert {'lang="tr"', 'dir="ltr"', 'maxlength="150"'} <= _tag(html, "title_tr")


def _tag(html: str, name: str) -> set[str]:
    """The attributes of the form control named ``name``, as written."""
    start = html.index(f'name="{name}"')
    return set(re.findall(r'[a-z-]+="[^"]*"', html[html.rindex("<", 0, start) : html.index(">", start)]))


def test_the_coordinator_enters_and_changes_a_translation_on_the_pages(cast: Cast, client, park):
    client.force_login(cast.coordinator)
    response = client.post("/activiteiten/nieuw/", _form_data(park, title_en="Bingo in the park"))
    activity = Activity.objects.get()
    assert response["Location"] == f"/activiteiten/{activity.pk}/beheer/"
    assert _texts(activity) == {"en": ("Bingo in the park", "")}
    edit = client.get(f"/activiteiten/{activity.pk}/wijzigen/").content.decode()
    assert 'value="Bingo in the park"' in edit
    data = _form_data(park, title_en="", title_ar=ARABIC_TITLE, description_ar=ARABIC_DESCRIPTION)
    data["starts_at"] = edit.split('name="starts_at" value="')[1].split('"')[0]
    data["ends_at"] = edit.split('name="ends_at" value="')[1].split('"')[0]
    client.post(f"/activiteiten/{activity.pk}/wijzigen/", data)
    assert _texts(activity) == {"ar": (ARABIC_TITLE, ARABIC_DESCRIPTION)}
    manage = client.get(f"/activiteiten/{activity.pk}/beheer/").content.decode()
    assert f"/activiteiten/{activity.pk}/poster.pdf?taal=ar" in manage
    assert "Poster (pdf) met de titel ook in het Arabisch" in manage


# The public pages


def test_the_activity_page_in_english_shows_the_english_words_marked_english(client, bingo):
    html = client.get(f"/activiteiten/{bingo.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<h1 class="utrecht-heading-1" lang="en" dir="ltr">Bingo in the park</h1>' in html
    assert 'lang="en" dir="ltr">Come and play with us.</p>' in html
    assert "<title>Bingo in the park · Veerkracht</title>" in html
    assert "Plantsoenbingo</h1>" not in html
    assert f"/activiteiten/{bingo.pk}/poster.pdf?taal=en" in html


def test_the_activity_page_in_arabic_marks_the_arabic_right_to_left(client, bingo):
    html = client.get(f"/activiteiten/{bingo.pk}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert f'<h1 class="utrecht-heading-1" lang="ar" dir="rtl">{ARABIC_TITLE}</h1>' in html
    assert f'lang="ar" dir="rtl">{ARABIC_DESCRIPTION}</p>' in html


def test_without_a_translation_the_dutch_is_shown_marked_dutch(client, park, plan_at):
    activity = plan_at(park, description="Kom gezellig.", translations={"tr": Translation("Parkta tombala")})
    arabic = client.get(f"/activiteiten/{activity.pk}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in arabic
    assert '<h1 class="utrecht-heading-1" lang="nl" dir="ltr">Plantsoenbingo</h1>' in arabic
    assert 'lang="nl" dir="ltr">Kom gezellig.</p>' in arabic
    turkish = client.get(f"/activiteiten/{activity.pk}/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert 'lang="tr" dir="ltr">Parkta tombala</h1>' in turkish
    assert 'lang="nl" dir="ltr">Kom gezellig.</p>' in turkish  # no Turkish description: the Dutch one
    dutch = client.get(f"/activiteiten/{activity.pk}/").content.decode()
    assert 'lang="nl" dir="ltr">Plantsoenbingo</h1>' in dutch


def test_the_programme_in_english_asks_once_for_all_translations(client, park, plan_at):
    for number in range(3):
        plan_at(park, title=f"Bingo {number}", translations={"en": Translation(f"Park bingo {number}")})
    plan_at(park, title="Wandeling")
    client.get("/activiteiten/", HTTP_ACCEPT_LANGUAGE="en")  # warm the caches
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/activiteiten/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert sum("activities_activitytext" in query["sql"] for query in queries.captured_queries) == 1
    assert 'lang="en" dir="ltr">Park bingo 2</a>' in html
    assert 'lang="nl" dir="ltr">Wandeling</a>' in html


def test_the_place_page_and_the_registration_page_show_the_visitors_language(client, park, bingo):
    place = client.get(f"/plekken/{park.pk}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert f'lang="ar" dir="rtl">{ARABIC_TITLE}</a>' in place
    response = client.post(
        f"/activiteiten/{bingo.pk}/",
        {"name": "Ayşe", "phone": "0611111111", "consent": "on", "mode": "onsite"},
        HTTP_ACCEPT_LANGUAGE="tr",
    )
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert '<h2 class="utrecht-heading-2" lang="tr" dir="ltr">Parkta tombala</h2>' in page


def test_a_residents_own_registrations_in_arabic(cast: Cast, client, bingo):
    cast.resident_north.user = cast.resident
    cast.resident_north.save()
    registration = registration_create(
        activity_id=bingo.pk, by=cast.resident, resident_id=cast.resident_north.pk, mode="onsite"
    )
    client.force_login(cast.resident)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    listed = client.get("/mijn-aanmeldingen/").content.decode()
    assert f'lang="ar" dir="rtl">{ARABIC_TITLE}</a>' in listed
    asked = client.get(f"/mijn-aanmeldingen/{registration.pk}/annuleren/").content.decode()
    assert f'<span lang="ar" dir="rtl">{ARABIC_TITLE}</span>' in asked


# The poster


def test_the_poster_in_arabic_prints_the_arabic_title_under_the_dutch(client, bingo):
    pdf = activity_poster(bingo, "http://testserver/activiteiten/1/", language="ar")
    assert_prints(pdf, "Plantsoenbingo", ARABIC_TITLE, "Aanmelden")
    response = client.get(f"/activiteiten/{bingo.pk}/poster.pdf?taal=ar")
    assert response["Content-Disposition"] == f'inline; filename="poster-{bingo.pk}-ar.pdf"'
    assert_prints(response.content, ARABIC_TITLE)


def test_the_poster_without_a_translation_in_the_language_is_dutch(client, park, plan_at):
    activity = plan_at(park, translations={"en": Translation("Bingo in the park")})
    assert (
        client.get(f"/activiteiten/{activity.pk}/poster.pdf?taal=ar").content
        == client.get(f"/activiteiten/{activity.pk}/poster.pdf").content
    )
    assert client.get(f"/activiteiten/{activity.pk}/poster.pdf?taal=xx")["Content-Disposition"].endswith(
        f'poster-{activity.pk}.pdf"'
    )


# Messages


def test_the_online_link_to_a_turkish_registrant_names_the_turkish_title(plan_at):
    webinar = plan_at(
        None,
        title="Webinar veilig thuis",
        kind="webinar",
        max_participants=None,
        online_link="https://meet.example.org/x",
        max_online=5,
        translations={"tr": Translation("Evde güvenli semineri"), "ar": Translation("ندوة")},
    )
    with translation.override("tr"):
        registration = registration_create(
            activity_id=webinar.pk, name="Ayşe", phone="0655555555", consent=True, mode="online"
        )
    (sms,) = OutboundMessage.objects.filter(to="0655555555")
    assert sms.text.startswith("Merhaba Ayşe")
    assert "Evde güvenli semineri" in sms.text
    assert "Webinar veilig thuis" not in sms.text
    registration.language = "nl"
    assert "Webinar veilig thuis" in notice_texts(registration, "online_reminder")[1]  # a Dutch text: the Dutch title


def test_a_cancellation_by_sms_names_the_title_in_the_registrants_language(cast: Cast, bingo):
    with translation.override("ar"):
        registration_create(activity_id=bingo.pk, name="Fatima", phone="0666666666", consent=True)
    registration_create(activity_id=bingo.pk, name="Kees", phone="0677777777", consent=True)
    activity_cancel(by=cast.coordinator, activity_id=bingo.pk)
    texts = dict(OutboundMessage.objects.values_list("to", "text"))
    assert ARABIC_TITLE in texts["0666666666"]
    assert "Plantsoenbingo" in texts["0677777777"]


# The API


def test_the_api_takes_and_gives_the_translations(cast: Cast, api_as, client, park):
    body = _activity_body(
        park,
        translations={
            "en": {"title": " Bingo in the park ", "description": "Come and play."},
            "ar": {"title": ARABIC_TITLE},
        },
    )
    created = api_as("coordinator").post("/activities", body)
    assert created.status_code == 201, created.json()
    expected = {
        "en": {"title": "Bingo in the park", "description": "Come and play."},
        "ar": {"title": ARABIC_TITLE, "description": ""},
    }
    assert created.json()["translations"] == expected
    (item,) = client.get("/api/v1/activities").json()["items"]
    assert item["translations"] == expected
    assert item["title"] == "Plantsoenbingo"


@pytest.mark.parametrize(
    ("translations", "loc"),
    [
        ({"en": {"title": "x" * 151}}, ["body", "translations", "en", "title"]),
        ({"en": {"title": "   "}}, ["body", "translations", "en", "title"]),
        ({"ar": {"title": "عنوان", "description": "x" * 3001}}, ["body", "translations", "ar", "description"]),
        ({"ar": {"description": "بدون عنوان"}}, ["body", "translations", "ar", "title"]),
        ({"pl": {"title": "Bingo"}}, ["body", "translations", "pl", "[key]"]),
    ],
)
def test_bad_translations_through_the_api_answer_422_with_the_field(cast: Cast, api_as, park, translations, loc):
    response = api_as("coordinator").post("/activities", _activity_body(park, translations=translations))
    assert response.status_code == 422
    assert loc in [error["loc"] for error in response.json()["detail"]]
    assert not Activity.objects.exists()


def test_a_service_refusal_of_a_translation_names_the_apis_field(cast: Cast, api_as, park):
    """The service names the form's field (title_en); the API answers with the nesting the client sent."""
    from veerkracht.api import FIELD_ALIASES

    assert FIELD_ALIASES["title_en"] == "translations.en.title"
    assert FIELD_ALIASES["description_ar"] == "translations.ar.description"
