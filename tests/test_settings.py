"""Start-up errors are one clear line, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from veerkracht.envconfig import database_from_url, env_bool, env_choice, env_int, env_list

VEERKRACHT = str(Path(sys.executable).with_name("veerkracht"))
PRODUCTION = {
    "SECRET_KEY": "a-production-secret",
    "ALLOWED_HOSTS": "veerkracht.example.nl",
    "OTP_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1vdHAta2V5LWZvci10aGUtdGVzdHM=",
}
WHATSAPP_TWILIO = {
    "SMS_PROVIDER": "twilio",
    "SMS_PROVIDER_KEY": "a-token",
    "SMS_TWILIO_ACCOUNT_SID": "AC0",
    "WHATSAPP_SENDER": "+31970102030",
    "WHATSAPP_TEMPLATE": "HX0",
}


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    test_only = {
        "DEBUG",
        "VEERKRACHT_TESTING",
        "SECRET_KEY",
        "DEMO_MODE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "OTP_ENCRYPTION_KEYS",
    }
    clean = {k: v for k, v in os.environ.items() if k not in test_only}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [VEERKRACHT, *args], env={**clean, **env}, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY must be set"),
        ({**PRODUCTION, "DEBUG": "maybe"}, "DEBUG='maybe' is not a yes/no value"),
        ({**PRODUCTION, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name the host"),
        ({**PRODUCTION, "DATABASE_URL": "mysql://db/veerkracht"}, "DATABASE_URL must point at PostgreSQL"),
        ({**PRODUCTION, "DATABASE_URL": "nonsense://x"}, "DATABASE_URL is not usable"),
        ({**PRODUCTION, "API_TOKEN_LIFETIME_HOURS": "soon"}, "API_TOKEN_LIFETIME_HOURS='soon' is not a whole number"),
        ({**PRODUCTION, "OTP_ENCRYPTION_KEYS": ""}, "OTP_ENCRYPTION_KEYS must be set"),
        ({**PRODUCTION, "OTP_ENCRYPTION_KEYS": "too-short"}, "OTP_ENCRYPTION_KEYS: key 1 is not a Fernet key"),
        ({**PRODUCTION, "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "EMAIL_USE_TLS (STARTTLS, port 587) and"),
        ({**PRODUCTION, "EMAIL_BOUNCE_MAILBOX": "pop3://u:p@mail.example.nl"}, "EMAIL_BOUNCE_MAILBOX must be pop3s://"),
        ({**PRODUCTION, **WHATSAPP_TWILIO, "WHATSAPP_TEMPLATE_LANGUAGES": "tr"}, "names each language's ContentSid"),
        ({**PRODUCTION, **WHATSAPP_TWILIO, "WHATSAPP_TEMPLATE_LANGUAGES": "pl=HX1"}, "'pl' is not one of the site's"),
    ],
)
def test_a_bad_setting_stops_the_start_with_one_line(env, message):
    result = _run("check", **env)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_is_one_line():
    result = _run("migrate", **PRODUCTION, DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert result.returncode != 0
    assert result.stderr.startswith("veerkracht: database unavailable:")
    assert result.stderr.strip().count("\n") == 0, result.stderr


def test_serve_refuses_an_unreachable_database_with_one_line():
    result = _run("serve", **PRODUCTION, DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert result.returncode != 0
    assert "database unavailable" in result.stderr
    assert "Traceback" not in result.stderr


def test_env_bool_reads_yes_and_no(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", default=False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


def test_env_int_enforces_its_minimum(monkeypatch):
    monkeypatch.setenv("SIZE", "-1")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("SIZE", default=1, minimum=0)


def test_env_list_and_choice(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.nl, ,b.nl ")
    assert env_list("HOSTS", default=[]) == ["a.nl", "b.nl"]
    monkeypatch.setenv("MODE", "fast")
    with pytest.raises(ImproperlyConfigured, match="not one of"):
        env_choice("MODE", choices=("slow", "safe"), default="safe")


def test_production_settings_pass_the_deployment_check():
    strong = {**PRODUCTION, "SECRET_KEY": "".join(chr(65 + i % 50) for i in range(64))}
    result = _run("check", "--deploy", "--fail-level", "WARNING", **strong)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_in_production_without_an_sms_provider_nothing_is_sent_and_messages_stay_queued(monkeypatch):
    """No SMS_PROVIDER (nor the older SMS_BACKEND) in production: the backend "none", never a file of numbers.

    What "none" does is tested in tests/messaging/test_segments.py: SMS stay queued and the page says why."""
    monkeypatch.delenv("SMS_PROVIDER", raising=False)
    monkeypatch.delenv("SMS_BACKEND", raising=False)
    monkeypatch.delenv("WHATSAPP_SENDER", raising=False)
    script = (
        "from django.conf import settings; "
        "from veerkracht.messaging.backends import sms_configured, whatsapp_configured; "
        "print(settings.SMS_BACKEND, sms_configured(), whatsapp_configured())"
    )
    result = _run("shell", "--no-imports", "-c", script, **PRODUCTION)
    assert result.stdout.split() == ["none", "False", "False"], result.stderr


def test_the_demo_derives_a_key_for_the_second_factor_from_its_secret_key():
    script = "from django.conf import settings; print(len(settings.OTP_ENCRYPTION_KEYS))"
    result = _run("shell", "--no-imports", "-c", script, DEMO_MODE="1", SECRET_KEY="a-demo-secret")
    assert result.stdout.split() == ["1"], result.stderr


def test_postgresql_prepares_what_a_connection_repeats_unless_a_pooler_needs_otherwise(monkeypatch):
    url = "postgres://veerkracht:secret@db.example.org:5432/veerkracht?sslmode=verify-full&connect_timeout=5"
    monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS", raising=False)
    prepared = {"server_side_binding": True, "prepare_threshold": 5, "sslmode": "verify-full", "connect_timeout": 5}
    assert database_from_url(url)["OPTIONS"] == prepared  # the URL's own options kept
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "0")
    assert database_from_url(url)["OPTIONS"] == {"sslmode": "verify-full", "connect_timeout": 5}
    assert "prepare_threshold" not in database_from_url("sqlite:///var/veerkracht.sqlite3")["OPTIONS"]
