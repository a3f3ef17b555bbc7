"""URL routes: pages, the language switch and the JSON API."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from veerkracht.accounts.views import SignInView
from veerkracht.api import api
from veerkracht.core import errors, probes
from veerkracht.core import views as core_views

# A database outage met before any view (reading the session or the user) answers 503, not 500.
handler500 = "veerkracht.core.unavailable.server_error"
# Dutch pages in the site's frame instead of Django's plain English ones (core/errors.py).
handler404 = "veerkracht.core.errors.page_not_found"
handler403 = "veerkracht.core.errors.permission_denied"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("welkom/", core_views.public_home, name="public_home"),
    path("favicon.ico", errors.favicon, name="favicon"),
    path("inloggen/", SignInView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    # Answered by core.probes.HealthProbeMiddleware first; named here for reverse() and the access matrix.
    path("healthz", probes.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("veerkracht.core.urls")),
    path("", include("veerkracht.accounts.urls")),
    path("bewoners/", include("veerkracht.people.urls")),
    path("", include("veerkracht.contacts.urls")),
    path("plekken/", include("veerkracht.places.urls")),
    path("", include("veerkracht.activities.urls")),
    path("", include("veerkracht.activities.feed_urls")),
    path("", include("veerkracht.help.urls")),
    path("", include("veerkracht.insights.urls")),
    path("", include("veerkracht.bingo.urls")),
    path("", include("veerkracht.outreach.urls")),
    path("", include("veerkracht.messaging.urls")),
    path("", include("veerkracht.team.urls")),
    path("", include("veerkracht.onboarding.urls")),
    path("api/v1/", api.urls),
]
