"""Veerkracht settings: one module, read from the environment.

Production is the default. ``DEBUG=1`` gives a developer's defaults, ``DEMO_MODE=1`` the demo that
``make run`` serves (production settings over plain HTTP on 127.0.0.1, with a banner), and
``VEERKRACHT_TESTING=1`` (set by pytest) fast test settings. A bad value stops the start with a
one-line ``ImproperlyConfigured`` error.
"""

import base64
import hashlib
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from veerkracht.core.channels import sender_valid
from veerkracht.envconfig import database_from_url, env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env_str("VEERKRACHT_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
DEMO_MODE = env_bool("DEMO_MODE", default=False)
TESTING = env_bool("VEERKRACHT_TESTING", default=False)
# Plain HTTP is acceptable only on a developer's machine, in the local demo and in tests.
LOCAL_HTTP = DEBUG or DEMO_MODE or TESTING

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set (or DEBUG=1 for development)")
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

# Signs each link of the audit log's hash chain (core/auditchain.py). Keep it outside the database
# (and its backups): whoever holds it and the table can rewrite the chain unnoticed.
AUDIT_SEAL_KEY = env_str("AUDIT_SEAL_KEY")
if not AUDIT_SEAL_KEY:
    if not (DEBUG or DEMO_MODE or TESTING):
        raise ImproperlyConfigured(
            "AUDIT_SEAL_KEY must be set: at least 32 random characters, kept outside the database"
        )
    AUDIT_SEAL_KEY = "audit-seal-key-of-" + SECRET_KEY  # a developer's machine, the local demo
elif len(AUDIT_SEAL_KEY) < 32 and not (DEBUG or DEMO_MODE or TESTING):
    raise ImproperlyConfigured("AUDIT_SEAL_KEY is too short: use at least 32 random characters")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if LOCAL_HTTP else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) this site is served on")
# A form sent after its security code expired gets a Dutch page with a way back (core/errors.py).
CSRF_FAILURE_VIEW = "veerkracht.core.errors.csrf_failure"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "veerkracht.core",
    "veerkracht.accounts",
    "veerkracht.people",
    "veerkracht.places",
    "veerkracht.contacts",
    "veerkracht.activities",
    "veerkracht.help",
    "veerkracht.insights",
    "veerkracht.bingo",
    "veerkracht.outreach",
    "veerkracht.messaging",
    "veerkracht.team",
    "veerkracht.onboarding",
    "veerkracht.demo",
]

MIDDLEWARE = [
    # /healthz and /readyz for load balancers: before the host check, the HTTPS redirect and sessions.
    "veerkracht.core.probes.HealthProbeMiddleware",
    # One JSON line per request with its id, user, organisation and duration (core/logs.py).
    "veerkracht.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "veerkracht.core.headers.PrivacyHeadersMiddleware",
    # A database outage met by a view answers 503 (outages in the middleware below: handler500).
    "veerkracht.core.unavailable.DatabaseUnavailableMiddleware",
    "veerkracht.core.nul.NulCharacterMiddleware",  # PostgreSQL cannot store NUL: 422 before any view
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "veerkracht.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "veerkracht.accounts.middleware.ResolvedUserMiddleware",  # request.user without the two lazy proxies
    "veerkracht.core.tenancy.TenantMiddleware",
    "veerkracht.core.logs.UserContextMiddleware",
    "veerkracht.core.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "veerkracht.accounts.middleware.SecondFactorMiddleware",
    "veerkracht.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A service's NotFound answers 404 and its Conflict 409 (core/exceptions.py): last, so first to see them.
    "veerkracht.core.errors.DomainErrorMiddleware",
]

ROOT_URLCONF = "veerkracht.urls"
WSGI_APPLICATION = "veerkracht.wsgi.application"

TEMPLATES = [
    # Veerkracht's pages (jinja2/ folders): see core/jinja.py for what the environment adds.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "veerkracht.core.jinja.environment",
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "veerkracht.core.context_processors.shell",
                "veerkracht.core.context_processors.page_csrf",
            ],
        },
    },
    # Django's engine for the pages of the libraries (the API's documentation).
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Form widgets drawn by Jinja2 too, from Django's own widget templates (the same markup): Django's
# template language draws a select option by option, the bulk of a form page's template time
# (docs/adr/0022).
FORM_RENDERER = "django.forms.renderers.Jinja2"

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'veerkracht.sqlite3'}"))}
if TESTING and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not the in-memory default: the concurrency tests need real concurrent connections.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-veerkracht.sqlite3")}
# A streaming replica for reads that may lag (dashboards, exports; core/replica.py), on its own
# login to the standby; without the variable there is no second database and no router.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database_from_url(env_str("DATABASE_REPLICA_URL")) | {"TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["veerkracht.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["veerkracht.accounts.backends.AccountBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests create many users; Argon2 is deliberately slow.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English"), ("tr", "Türkçe"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Developers and tests read static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
# Not compressed when collected: source maps (the API docs' 5 MB; only a developer's tools fetch
# them) and the PDFs' TrueType fonts (read from disk by the server, never asked for by a browser).
# Brotli on these took three quarters of `veerkracht prepare`'s minute.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map", "ttf")

# Long work (matching a city, ...) runs in a worker (`veerkracht worker`, started by `make run`),
# queued in our own database. Tests run each task at once, inside the call that queues it.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend"
    }
}
# A running task's heartbeat beats several times within this; a run silent for longer lost its
# worker and is queued again by the reaper (core/tasks.py), which looks as often as the heartbeat.
TASK_STALE_AFTER_SECONDS = env_int("TASK_STALE_AFTER_SECONDS", default=120, minimum=2)
# A run that lost its worker this many times is failed with a message, not retried for ever.
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", default=3, minimum=1)
# How long the routing engine may search for an outreach round's plan (small rounds finish sooner).
OUTREACH_PLAN_SECONDS = 0.5 if TESTING else float(env_int("OUTREACH_PLAN_SECONDS", default=5, minimum=1))

CACHES: dict[str, dict[str, Any]]
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}}
else:
    # Shared by every server process, so login throttling holds across workers. It holds every
    # signed-in session and user (ADR 27): Django's default of 300 entries would have it delete a
    # third of them on nearly every write once some 150 people are signed in.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "veerkracht_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("DATABASE_CACHE_MAX_ENTRIES", default=50_000, minimum=300)},
        }
    }
# In each process's memory, never shared: drawn fragments that are the same for everyone (a fresh
# form in one language) and pages kept briefly for one session (core/pagecache.py). Tests draw
# every page afresh, so a test that changes data and reloads sees the change.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}
CACHES["pages"] = (
    {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if TESTING
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
)
# The signed-in user and their organisation, kept in the default cache between requests and forgotten
# on every change (core/usercache.py, docs/adr/0027): this long at most when nothing changes.
USER_CACHE_SECONDS = env_int("USER_CACHE_SECONDS", default=600, minimum=1)
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", default=60, minimum=0)

# Retention of personal records besides residents and notes (those are set per organisation):
# after each term, ``veerkracht retention`` deletes or anonymises the record (docs/adr/0018).
RETENTION_PUBLIC_REGISTRATION_DAYS = env_int(
    "RETENTION_PUBLIC_REGISTRATION_DAYS", default=90, minimum=1
)  # after the activity
RETENTION_DECLINED_APPLICATION_DAYS = env_int("RETENTION_DECLINED_APPLICATION_DAYS", default=180, minimum=1)
RETENTION_OUTBOUND_MESSAGE_DAYS = env_int("RETENTION_OUTBOUND_MESSAGE_DAYS", default=90, minimum=1)
RETENTION_TASK_RUN_DAYS = env_int("RETENTION_TASK_RUN_DAYS", default=90, minimum=1)
RETENTION_AUDIT_IP_DAYS = env_int("RETENTION_AUDIT_IP_DAYS", default=180, minimum=1)  # the events stay
RETENTION_IDEMPOTENCY_HOURS = env_int("RETENTION_IDEMPOTENCY_HOURS", default=24, minimum=1)
RETENTION_READ_NOTIFICATION_DAYS = env_int("RETENTION_READ_NOTIFICATION_DAYS", default=90, minimum=1)
# A file uploaded for import (personal data) is emptied when imported; its row goes after this term.
RETENTION_IMPORT_UPLOAD_HOURS = env_int("RETENTION_IMPORT_UPLOAD_HOURS", default=24, minimum=1)
IMPORT_UPLOAD_MAX_BYTES = env_int("IMPORT_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024, minimum=1024)
# The longest terms an organisation may set for residents and notes, and for concerns (docs/adr/0023):
# an organisation may keep for less, never for longer; the retention job applies the shorter of the two.
RETENTION_CONTACT_YEARS_MAX = env_int("RETENTION_CONTACT_YEARS_MAX", default=5, minimum=1)
RETENTION_CONCERN_YEARS_MAX = env_int("RETENTION_CONCERN_YEARS_MAX", default=20, minimum=1)

# Sessions and cookies: secure by default, relaxed only for plain-HTTP local use.
# Messages travel in a signed cookie, never in the session table (which is not held to an organisation).
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
# Django's own sessions: kept in the database, read through the default cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", default=8 * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not LOCAL_HTTP
CSRF_COOKIE_SECURE = not LOCAL_HTTP
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = not LOCAL_HTTP
SECURE_HSTS_SECONDS = 0 if LOCAL_HTTP else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not LOCAL_HTTP
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not LOCAL_HTTP)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere (htmx's own indicator style is switched off in base.html and
# lives in site.css); inline SVG (maps, QR codes) is markup, not style, so it needs nothing here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: for the icons inside the API docs' stylesheet
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Features no page uses are switched off, so injected content cannot use them either.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Two-factor sign-in (TOTP app + recovery codes) for coordinators, professionals and the privacy
# officer: on by default in production; the local demo and the tests may relax it.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=not LOCAL_HTTP)
OTP_TOTP_ISSUER = "Veerkracht"
# The authenticator apps' secrets are encrypted at rest with these keys (Fernet: 32 bytes, URL-safe
# base64, comma-separated; the first encrypts, all decrypt). Production must set them, because a
# second factor is always on offer; the demo and development derive one from SECRET_KEY.
OTP_ENCRYPTION_KEYS = env_list("OTP_ENCRYPTION_KEYS", default=[])
if not OTP_ENCRYPTION_KEYS:
    if not LOCAL_HTTP:
        raise ImproperlyConfigured(
            "OTP_ENCRYPTION_KEYS must be set: it encrypts the second factor's secrets "
            "(make one: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
        )
    OTP_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(b"veerkracht.otp:" + SECRET_KEY.encode()).digest()).decode()
    ]
for _number, _key in enumerate(OTP_ENCRYPTION_KEYS, start=1):
    try:
        _valid = len(base64.urlsafe_b64decode(_key.encode())) == 32
    except ValueError:
        _valid = False
    if not _valid:
        raise ImproperlyConfigured(f"OTP_ENCRYPTION_KEYS: key {_number} is not a Fernet key (32 bytes, base64)")

# Sessions of those roles end after this long without a request.
SESSION_IDLE_TIMEOUT_S = env_int("SESSION_IDLE_TIMEOUT_S", default=30 * 60, minimum=60)
# Changing the e-mail address or the second factor asks for the password again after this long.
REAUTHENTICATE_AFTER_S = env_int("REAUTHENTICATE_AFTER_S", default=5 * 60, minimum=30)

# API tokens and login throttling.
API_TOKEN_LIFETIME_HOURS = env_int("API_TOKEN_LIFETIME_HOURS", default=12, minimum=1)
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5, minimum=1)
LOGIN_FAILURE_WINDOW_S = env_int("LOGIN_FAILURE_WINDOW_S", default=15 * 60, minimum=1)
# Forgotten passwords: links per hour per address and per client, and how long a link works.
PASSWORD_RESETS_PER_HOUR = env_int("PASSWORD_RESETS_PER_HOUR", default=5, minimum=1)
PASSWORD_RESET_LINK_S = env_int("PASSWORD_RESET_LINK_S", default=3600, minimum=300)
# A flood of public registrations from one address is refused (per hour).
PUBLIC_REGISTRATIONS_PER_HOUR = env_int("PUBLIC_REGISTRATIONS_PER_HOUR", default=10, minimum=1)

# Messages to residents: SMS through an HTTP gateway (or a file/the log while developing), e-mail
# through Django's mail system. Sending runs in the task worker, with retries and back-off.
# SMS_PROVIDER (or the older name SMS_BACKEND) chooses the provider. Without one in production nothing
# is sent: SMS stay queued and the coordinator sees why; never a file of names and numbers.
SMS_PROVIDERS = ("cm", "spryng", "bird", "twilio")
SMS_BACKEND = env_choice(
    "SMS_PROVIDER",
    choices=(*SMS_PROVIDERS, "gateway", "file", "console", "memory", "none"),
    default=env_str("SMS_BACKEND") or ("memory" if TESTING else "file" if LOCAL_HTTP else "none"),
)
SMS_SENDER = env_str("SMS_SENDER", "Veerkracht")
if not sender_valid(SMS_SENDER):
    raise ImproperlyConfigured("SMS_SENDER: 1-11 letters, digits or spaces, or a phone number")
SMS_PROVIDER_URL = env_str("SMS_PROVIDER_URL")  # the provider's API base; empty for its documented address
# CM product token, Spryng bearer key, Bird access key or Twilio auth token.
SMS_PROVIDER_KEY = env_str("SMS_PROVIDER_KEY")
SMS_TWILIO_ACCOUNT_SID = env_str("SMS_TWILIO_ACCOUNT_SID")
SMS_BIRD_SIGNING_KEY = env_str("SMS_BIRD_SIGNING_KEY")
SMS_PUBLIC_URL = env_str("SMS_PUBLIC_URL")  # this server's https address, for the providers' callbacks
if SMS_BACKEND in SMS_PROVIDERS and not SMS_PROVIDER_KEY:
    raise ImproperlyConfigured(f"SMS_PROVIDER={SMS_BACKEND} needs SMS_PROVIDER_KEY")
if SMS_BACKEND == "twilio" and not SMS_TWILIO_ACCOUNT_SID:
    raise ImproperlyConfigured("SMS_PROVIDER=twilio needs SMS_TWILIO_ACCOUNT_SID")
# WhatsApp (the channel "app") through the SMS provider's own API, CM.com or Twilio: the WhatsApp
# business number, and the approved template that carries a message outside the 24-hour window (CM:
# its element_name, with WHATSAPP_TEMPLATE_NAMESPACE; Twilio: the Content template's ContentSid "HX...").
# The template has one body variable, {{1}}, that takes the whole text. Without a number, no WhatsApp.
WHATSAPP_SENDER = env_str("WHATSAPP_SENDER")
WHATSAPP_TEMPLATE = env_str("WHATSAPP_TEMPLATE")  # in Dutch: the language every other one falls back to
WHATSAPP_TEMPLATE_NAMESPACE = env_str("WHATSAPP_TEMPLATE_NAMESPACE")
# The other languages the template is approved in, so that a Turkish text goes in the Turkish template
# (messaging/backends, whatsapp_template): CM.com approves one element_name in several languages ("tr,ar";
# "tr=other_name" for another name); Twilio has a Content template, a ContentSid, per language ("tr=HX…,ar=HX…").
WHATSAPP_TEMPLATE_LANGUAGES = env_list("WHATSAPP_TEMPLATE_LANGUAGES", default=[])
for _entry in WHATSAPP_TEMPLATE_LANGUAGES:
    _code, _has_name, _name = _entry.partition("=")
    if _code.strip() not in {code for code, _language in LANGUAGES}:
        raise ImproperlyConfigured(f"WHATSAPP_TEMPLATE_LANGUAGES: {_code.strip()!r} is not one of the site's languages")
    if SMS_BACKEND == "twilio" and not _name.strip():
        raise ImproperlyConfigured("WHATSAPP_TEMPLATE_LANGUAGES with Twilio names each language's ContentSid: tr=HX…")
if WHATSAPP_SENDER and SMS_BACKEND not in ("cm", "twilio"):
    raise ImproperlyConfigured("WHATSAPP_SENDER needs SMS_PROVIDER=cm or twilio (WhatsApp on the same API)")
if WHATSAPP_SENDER and not WHATSAPP_TEMPLATE:
    raise ImproperlyConfigured("WHATSAPP_SENDER needs WHATSAPP_TEMPLATE (messages outside the 24-hour window)")
if WHATSAPP_SENDER and SMS_BACKEND == "cm" and not WHATSAPP_TEMPLATE_NAMESPACE:
    raise ImproperlyConfigured("WhatsApp through CM.com needs WHATSAPP_TEMPLATE_NAMESPACE")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL")
SMS_GATEWAY_KEY = env_str("SMS_GATEWAY_KEY")
SMS_GATEWAY_TIMEOUT_S: float = env_int("SMS_GATEWAY_TIMEOUT_S", default=10, minimum=1)
# The delivery-report secret: HMAC key of the own gateway, and the token in the providers' callback URLs.
SMS_WEBHOOK_SECRET = env_str("SMS_WEBHOOK_SECRET")
if SMS_BACKEND == "gateway" and not (SMS_GATEWAY_URL.startswith(("https://", "http://")) and SMS_GATEWAY_KEY):
    raise ImproperlyConfigured("SMS_BACKEND=gateway needs SMS_GATEWAY_URL (https://…) and SMS_GATEWAY_KEY")
SMS_FILE_PATH = VAR_DIR / "outbox" / "sms.jsonl"
MESSAGE_SEND_ATTEMPTS = env_int("MESSAGE_SEND_ATTEMPTS", default=4, minimum=1)
MESSAGE_RETRY_BACKOFF_MS = env_int("MESSAGE_RETRY_BACKOFF_MS", default=2000, minimum=0)

_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS[
    env_choice("EMAIL_BACKEND", choices=tuple(_EMAIL_BACKENDS), default="file" if LOCAL_HTTP else "smtp")
]
EMAIL_FILE_PATH = VAR_DIR / "outbox" / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)  # STARTTLS, usually on port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)  # implicit TLS from the first byte, port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS (STARTTLS, port 587) and EMAIL_USE_SSL (port 465) exclude each other")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "veerkracht@localhost")
# The envelope sender (Return-Path): where mail servers send bounces. Empty: DEFAULT_FROM_EMAIL.
EMAIL_BOUNCE_ADDRESS = env_str("EMAIL_BOUNCE_ADDRESS")
# The mailbox those bounces land in, read by a periodic job (messaging/bounces.py): pop3s://user:password@host:995.
EMAIL_BOUNCE_MAILBOX = env_str("EMAIL_BOUNCE_MAILBOX")
if EMAIL_BOUNCE_MAILBOX and not EMAIL_BOUNCE_MAILBOX.startswith("pop3s://") and not LOCAL_HTTP:
    raise ImproperlyConfigured("EMAIL_BOUNCE_MAILBOX must be pop3s://user:password@host:995 (the password over TLS)")

# Video calls open rooms on the organisation's own Jitsi Meet; without one, video calls are off.
# PDOK's Locatieserver (https://api.pdok.nl/bzk/locatieserver/search/v3_1) finds addresses the
# organisation's own address file lacks; empty: only the file (a server without internet).
PDOK_LOCATIESERVER_URL = env_str("PDOK_LOCATIESERVER_URL", "")
if PDOK_LOCATIESERVER_URL and not PDOK_LOCATIESERVER_URL.startswith("https://"):
    raise ImproperlyConfigured("PDOK_LOCATIESERVER_URL must start with https://")
PDOK_LOCATIESERVER_TIMEOUT_S = env_int("PDOK_LOCATIESERVER_TIMEOUT_S", default=5, minimum=1)
VIDEO_CALL_BASE_URL = env_str("VIDEO_CALL_BASE_URL", "https://meet.jit.si" if LOCAL_HTTP else "")
if VIDEO_CALL_BASE_URL and not VIDEO_CALL_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("VIDEO_CALL_BASE_URL must start with https://")

# Prometheus scrapes /metrics with `Authorization: Bearer <METRICS_TOKEN>`; unset: no metrics (core/metrics.py).
METRICS_TOKEN = env_str("METRICS_TOKEN")

NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 200

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# JSON lines for a log collector in production (core/logs.py); plain lines on a developer's screen.
LOG_FORMAT = env_choice("LOG_FORMAT", choices=("json", "plain"), default="plain" if LOCAL_HTTP else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "veerkracht.core.logformat.JsonFormatter"},
    },
    "filters": {"no_outage_tracebacks": {"()": "veerkracht.core.unavailable.OutageLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", choices=LOG_LEVELS, default="INFO")},
    # Request bodies and SQL parameters may hold residents' data: never log them.
    "loggers": {
        "django.db.backends": {"level": "WARNING", "propagate": True},
        # A database outage is logged once, as one line (core.unavailable), not as a traceback per request.
        "django.request": {"filters": ["no_outage_tracebacks"]},
    },
}
