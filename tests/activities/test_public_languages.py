"""The public activity and place pages in Turkish and Arabic (right to left), following the browser."""

import pytest
from django.utils import translation

from veerkracht.activities.models import Registration


@pytest.fixture(autouse=True)
def _language_reset():
    """The middleware leaves the request's language active on the thread; later tests expect the default."""
    yield
    translation.deactivate()


def test_the_activity_page_in_turkish(client, park, plan_at):
    activity = plan_at(park)
    html = client.get(f"/activiteiten/{activity.pk}/", HTTP_ACCEPT_LANGUAGE="tr-TR,tr;q=0.9").content.decode()
    assert '<html lang="tr" dir="ltr"' in html
    assert "Kayıt olun" in html  # the heading and the button
    assert "Adınız" in html
    assert "Kuruluşun bu etkinlik için adımı ve telefon numaramı saklamasına izin veriyorum." in html
    assert "Yeşil alanda bingo (plantsoenbingo)" in html  # the kind keeps the Dutch word


def test_the_activity_page_in_arabic_runs_right_to_left(client, park, plan_at):
    activity = plan_at(park)
    html = client.get(f"/activiteiten/{activity.pk}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    assert "التسجيل" in html
    assert "رقم الهاتف" in html
    assert "أوافق على أن تحتفظ المنظمة باسمي ورقم هاتفي من أجل هذا النشاط." in html


def test_a_registration_error_in_arabic_comes_from_our_catalogue(client, park, plan_at):
    activity = plan_at(park)
    response = client.post(
        f"/activiteiten/{activity.pk}/",
        {"name": "Fatima", "phone": "12", "consent": "on", "mode": "onsite"},
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "يُرجى إدخال رقم هاتف من 10 أرقام" in html
    assert not Registration.objects.exists()


def test_the_registrant_page_in_turkish(client, park, plan_at):
    activity = plan_at(park)
    response = client.post(
        f"/activiteiten/{activity.pk}/",
        {"name": "Ayşe", "phone": "0611111111", "consent": "on", "mode": "onsite"},
        HTTP_ACCEPT_LANGUAGE="tr",
    )
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "Kaydınız" in html
    assert "Sizin için bir yer ayrıldı." in html
    assert "Kaydımı iptal et" in html


def test_the_places_list_in_arabic(client, park):
    html = client.get("/plekken/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    assert '<h1 class="utrecht-heading-1">أماكن اللقاء</h1>' in html
    assert "عُثر على مكان لقاء واحد." in html  # one of the six Arabic plural forms


def test_a_promoted_registrant_hears_it_in_their_own_language(client, park, plan_at):
    from veerkracht.activities.models import Registration
    from veerkracht.activities.services import registration_cancel
    from veerkracht.core.models import OutboundMessage

    activity = plan_at(park, max_participants=1)
    url = f"/activiteiten/{activity.pk}/"
    client.post(url, {"name": "Ans", "phone": "0611111111", "consent": "on", "mode": "onsite"})
    client.post(
        url, {"name": "Ayşe", "phone": "0622222222", "consent": "on", "mode": "onsite"}, HTTP_ACCEPT_LANGUAGE="tr"
    )
    registration_cancel(registration_id=Registration.objects.get(name="Ans").pk)
    sms = OutboundMessage.objects.get(to="0622222222").text
    assert "Good news" not in sms
    assert "Goed nieuws" not in sms
