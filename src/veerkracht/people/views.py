"""Pages of the resident register: search, view, register, change, export, erase."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from markupsafe import Markup

from veerkracht.core.access import Capability, neighbourhoods_covered_by, request_user, workers_of
from veerkracht.core.decorators import any_capability_required, capability_required
from veerkracht.core.models import AuditAction, User
from veerkracht.core.text_language import is_rtl_language
from veerkracht.people.export import privacy_officer_of, resident_export
from veerkracht.people.forms import InspectionSearchForm, ResidentForm, ResidentSearchForm
from veerkracht.people.own import own_resident, own_workers
from veerkracht.people.panels import resident_panels
from veerkracht.people.selectors import audit_residents_listed, inspection_search, resident_for, resident_search
from veerkracht.people.services import resident_erase, resident_register, resident_update

PAGE_SIZE = 25


def _resident_form(user: User, *args: object, **kwargs: object) -> ResidentForm:
    return ResidentForm(*args, neighbourhoods=neighbourhoods_covered_by(user), workers=workers_of(user), **kwargs)


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@never_cache
def resident_list(request: HttpRequest) -> HttpResponse:
    """Search the register; every resident shown is audited as read."""
    user = request_user(request)
    form = ResidentSearchForm(request.GET or None, neighbourhoods=neighbourhoods_covered_by(user))
    residents = resident_search(user)
    if form.is_valid():
        neighbourhood = form.cleaned_data["neighbourhood"]
        residents = resident_search(
            user,
            q=form.cleaned_data["q"],
            neighbourhood_id=neighbourhood.pk if neighbourhood else None,
            marker=form.cleaned_data["marker"],
        )
    page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_residents_listed(user, list(page.object_list))
    return render(request, "people/resident_list.html", {"form": form, "page": page})


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@never_cache
def address_not_found(request: HttpRequest) -> HttpResponse:
    """The worklist "adres niet gevonden": residents in scope whose address the register lacks."""
    user = request_user(request)
    residents = resident_search(user).filter(household__address_not_found=True)
    page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_residents_listed(user, list(page.object_list))
    return render(request, "people/address_not_found.html", {"page": page})


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@never_cache
def resident_detail(request: HttpRequest, resident_id: int) -> HttpResponse:
    """A resident's page: register data, and the panels of the apps above (the timeline, the quick contact form)."""
    user = request_user(request)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    context = {"resident": resident, **resident_panels.drawn(user, resident)}
    return render(request, "people/resident_detail.html", context)


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@require_http_methods(["GET", "POST"])
def resident_create(request: HttpRequest) -> HttpResponse:
    """Register a new resident."""
    user = request_user(request)
    form = _resident_form(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident = resident_register(
                by=user,
                neighbourhood=form.cleaned_data["neighbourhood"],
                address=form.address(),
                attributes=form.attributes(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The resident has been registered."))
            if resident.household is not None and resident.household.address_not_found:
                messages.warning(request, _("The address was not found in the address register; see the worklist."))
            return redirect("people:detail", resident_id=resident.pk)
    return render(request, "people/resident_form.html", {"form": form, "creating": True})


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@require_http_methods(["GET", "POST"])
@never_cache
def resident_edit(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Change a resident's register data."""
    user = request_user(request)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    form = _resident_form(user, request.POST or None, initial=ResidentForm.initial_for(resident))
    if request.method == "POST" and form.is_valid():
        try:
            resident_update(
                by=user,
                resident=resident,
                changes=form.attributes(),
                neighbourhood=form.cleaned_data["neighbourhood"],
                address=form.address(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:detail", resident_id=resident.pk)
    return render(request, "people/resident_form.html", {"form": form, "resident": resident})


@capability_required(Capability.PRODUCE_INSPECTION)
@never_cache
def inspection_requests(request: HttpRequest) -> HttpResponse:
    """The privacy officer finds the resident who asked for access, then produces the inspection or
    reads who saw their record. Every resident found is audited as read."""
    user = request_user(request)
    form = InspectionSearchForm(request.GET or None)
    residents = list(inspection_search(user, form.cleaned_data["q"])[:PAGE_SIZE]) if form.is_valid() else []
    audit_residents_listed(user, residents)
    return render(request, "people/inspection_requests.html", {"form": form, "residents": residents})


@any_capability_required(Capability.VIEW_RESIDENT_REGISTER, Capability.PRODUCE_INSPECTION)
@never_cache
def resident_export_view(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Everything held on the resident, as a readable page or (``?format=json``) a JSON file.

    The document is in the resident's language where the application has it (``?taal=`` picks
    another), the page around it in the reader's."""
    language = request.GET.get("taal", "")
    document = resident_export(by=request_user(request), resident_id=resident_id, language=language)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="inzage-bewoner-{resident_id}.json"'
        return response
    with translation.override(document["language"]):
        body = render_to_string(
            "people/resident_export_document.html", {"document": document, "resident_id": resident_id}, request
        )
    context = {
        "body": Markup(body),  # noqa: S704 - our own template's output, escaped when it was rendered
        "doc_language": document["language"],
        "doc_direction": "rtl" if is_rtl_language(document["language"]) else "ltr",
        "doc_languages": settings.LANGUAGES,
    }
    return render(request, "people/resident_export.html", context)


@capability_required(Capability.ERASE_RESIDENTS)
@require_http_methods(["GET", "POST"])
@never_cache
def resident_erase_view(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Erase a resident on request, after a confirmation."""
    user = request_user(request)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        resident_erase(by=user, resident=resident)
        messages.success(request, _("The resident's personal data has been erased."))
        return redirect("people:list")
    return render(request, "people/resident_erase.html", {"resident": resident})


@capability_required(Capability.VIEW_OWN_PROFILE)
@never_cache
def own_data(request: HttpRequest) -> HttpResponse:
    """The signed-in resident's own data, whom to reach, and how to ask for everything recorded."""
    user = request_user(request)
    resident = own_resident(user)
    officer = privacy_officer_of(resident.organisation)
    context = {"resident": resident, "workers": own_workers(resident), "officer": officer}
    return render(request, "people/own_data.html", context)
