"""Hardening headers: a strict Content-Security-Policy, and no-store on answers with personal data."""

import re
from pathlib import Path

import pytest

from tests.conftest import Cast

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "src" / "veerkracht").glob("**/jinja2/**/*.html"))
# Inline code the Content-Security-Policy would block: <style>, style="", on*="" handlers, and
# <script> without src (JSON data blocks are not executed and stay allowed).
INLINE = re.compile(r"<style|\sstyle=|\son[a-z]+=|<script(?![^>]*\b(src|type=\"application/json\")\b)[^>]*>", re.I)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 30


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_template_has_inline_script_or_style(template: Path):
    assert INLINE.findall(template.read_text()) == []


def test_pages_carry_a_strict_content_security_policy(db, client):
    response = client.get("/inloggen/")
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_pages_carry_the_other_hardening_headers(db, client):
    response = client.get("/inloggen/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_htmx_is_told_not_to_add_its_inline_style(db, client):
    html = client.get("/inloggen/").content.decode()
    assert '"includeIndicatorStyles": false' in html


def test_a_resident_page_is_not_stored_by_the_browser(cast: Cast, client):
    client.force_login(cast.professional)
    response = client.get(f"/bewoners/{cast.resident_north.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_api_answers_to_a_token_are_not_stored(cast: Cast, api_as):
    response = api_as("professional").get(f"/residents/{cast.resident_north.pk}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_public_pages_without_personal_data_may_be_cached(db, client):
    response = client.get("/activiteiten/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_production_sends_hsts_for_a_year_with_subdomains():
    from tests.test_settings import PRODUCTION, _run

    script = "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    result = _run("shell", "--no-imports", "-c", script, **PRODUCTION)
    assert result.stdout.split() == ["31536000", "True"], result.stderr
