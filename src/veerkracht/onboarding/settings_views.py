"""The coordinator's organisation settings page, with the upload of the CBS neighbourhood file."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from veerkracht.core.access import Capability, organisation_id_of, request_user
from veerkracht.core.decorators import capability_required
from veerkracht.core.models import Neighbourhood, Organisation, User
from veerkracht.onboarding.geography import geography_import, read_geography
from veerkracht.onboarding.organisation_settings import OrganisationSettings, organisation_settings_change
from veerkracht.onboarding.reporting import Report
from veerkracht.onboarding.settings_forms import GeographyUploadForm, OrganisationSettingsForm


def _organisation(user: User) -> Organisation:
    return Organisation.objects.get(pk=organisation_id_of(user))


def _page(
    request: HttpRequest,
    user: User,
    *,
    form: OrganisationSettingsForm | None = None,
    upload: GeographyUploadForm | None = None,
    report: Report | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = _organisation(user)
    context = {
        "organisation": organisation,
        "form": form or OrganisationSettingsForm(initial=vars(OrganisationSettings.of(organisation))),
        "upload": upload or GeographyUploadForm(),
        "report": report,
        "neighbourhood_count": Neighbourhood.objects.filter(organisation=organisation).count(),
    }
    return render(request, "onboarding/settings.html", context, status=status)


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
@require_http_methods(["GET", "POST"])
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """Name, out-of-sight term, retention terms, SMS sender, privacy officer and public languages."""
    user = request_user(request)
    if request.method != "POST":
        return _page(request, user)
    form = OrganisationSettingsForm(request.POST)
    if form.is_valid():
        try:
            changed = organisation_settings_change(by=user, new=form.settings())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The settings are saved.") if changed else _("Nothing was changed."))
            return redirect("onboarding:settings")
    return _page(request, user, form=form, status=422)


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
@require_POST
def geography_upload(request: HttpRequest) -> HttpResponse:
    """The CBS neighbourhood file, by the same code as ``veerkracht geography import``; the report in Dutch."""
    user = request_user(request)
    upload = GeographyUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _page(request, user, upload=upload, status=422)
    file, organisation = upload.cleaned_data["file"], _organisation(user)
    # On disk, as the command reads it: a GeoPackage is an SQLite database, opened from a file.
    with tempfile.NamedTemporaryFile(prefix="buurten-") as copy:
        for chunk in file.chunks():
            copy.write(chunk)
        copy.flush()
        try:
            collections = read_geography(Path(copy.name), organisation.municipality_code)
        except ValidationError as error:
            upload.add_error("file", error)
            return _page(request, user, upload=upload, status=422)
    report = geography_import(
        by=user,
        organisation=organisation,
        collections=collections,
        file_name=file.name,
        dry_run=upload.cleaned_data["dry_run"],
    )
    return _page(request, user, report=report)
