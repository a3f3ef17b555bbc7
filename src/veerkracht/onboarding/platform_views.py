"""The platform administrator's screen (a Django superuser): the organisations, and a new one.

Every other user, signed in or not, gets 404: the screen's existence is not advertised. The
administrator must have used the second factor in this session where it is required
(``core.account_policy``); the middleware ends such a session anyway, and the screen checks it
itself so that no change of middleware order opens it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from veerkracht.core.access import request_user
from veerkracht.core.account_policy import second_factor_required
from veerkracht.core.models import Organisation, User
from veerkracht.onboarding import services
from veerkracht.onboarding.settings_forms import OrganisationCreateForm


def _administrator(request: HttpRequest) -> User:
    if not (request.user.is_authenticated and request.user.is_active and request.user.is_superuser):
        raise Http404
    user = request_user(request)
    verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
    if second_factor_required(user) and not (verified and verified()):
        raise PermissionDenied
    return user


@never_cache
@require_http_methods(["GET", "POST"])
def organisations(request: HttpRequest) -> HttpResponse:
    """The list of organisations and the form for a new one; its first coordinator's link is shown once."""
    user = _administrator(request)
    form = OrganisationCreateForm(request.POST or None)
    link, created = "", None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.organisation_create(by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            link, created = issued.link(request.build_absolute_uri("/")), issued.invitation.organisation
            form = OrganisationCreateForm()
    listed = Organisation.objects.annotate(
        neighbourhood_count=Count("neighbourhoods", distinct=True),
        member_count=Count("users", distinct=True),
    ).order_by("name")
    context = {"form": form, "organisations": listed, "link": link, "created": created}
    status = 422 if request.method == "POST" and not link else 200
    return render(request, "onboarding/platform.html", context, status=status)
