"""A public registration sent with an idempotency key: strangers never share one, a double tap registers once."""

from django.test import Client

from veerkracht.activities.models import Registration


def _register(client: Client, activity_id: int, name: str, phone: str, key: str):
    body = {"name": name, "phone": phone, "consent": True}
    return client.post(
        f"/api/v1/activities/{activity_id}/registrations",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def test_two_strangers_sending_the_same_key_are_each_registered(park, plan_at):
    activity = plan_at(park)
    first = _register(Client(), activity.pk, "Ans", "0611111111", "registratie-1")
    second = _register(Client(), activity.pk, "Bep", "0622222222", "registratie-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in second
    assert sorted(Registration.objects.values_list("name", flat=True)) == ["Ans", "Bep"]
    assert second.json()["id"] != first.json()["id"]


def test_an_anonymous_double_submit_registers_once(park, plan_at):
    activity = plan_at(park)
    first = _register(Client(), activity.pk, "Ans", "0611111111", "tik-1")
    again = _register(Client(), activity.pk, "Ans", "0611111111", "tik-1")
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Registration.objects.count() == 1


def test_a_double_tap_on_the_public_form_registers_once(client, park, plan_at):
    activity = plan_at(park)
    form = {"name": "Ans", "phone": "0611111111", "consent": "on", "mode": "onsite", "idempotency_key": "form-1"}
    first = client.post(f"/activiteiten/{activity.pk}/", form)
    again = Client().post(f"/activiteiten/{activity.pk}/", form)
    assert again["Location"] == first["Location"]
    assert Registration.objects.count() == 1
