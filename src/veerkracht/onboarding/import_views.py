"""Pages of the import in the browser: upload, column mapping with a preview, dry run, import, result.

The coordinator's pages, as the staff pages are (``Capability.MANAGE_TEAMS`` and the role
coordinator, else 404); the work is done by ``uploads`` and, in the background, ``tasks``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from veerkracht.core.access import Capability, request_user
from veerkracht.core.decorators import capability_required
from veerkracht.onboarding import selectors, uploads
from veerkracht.onboarding.import_forms import MappingForm, UploadForm
from veerkracht.onboarding.importers import COLUMNS, REQUIRED
from veerkracht.onboarding.models import ImportUpload, UploadStatus
from veerkracht.onboarding.reporting import Report
from veerkracht.onboarding.tabular import read_table
from veerkracht.onboarding.tasks import mapped

WORKING = (UploadStatus.CHECKING, UploadStatus.IMPORTING)


def _mine(request: HttpRequest, upload_id: int) -> ImportUpload:
    return selectors.import_upload_for(request_user(request), upload_id)


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Upload a file and say what it holds."""
    user = request_user(request)
    if not selectors.may_import(user):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            upload = uploads.import_upload_create(
                by=user, kind=form.cleaned_data["kind"], file_name=upload_file.name, content=upload_file.read()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("onboarding:import_columns", upload_id=upload.pk)
    context = {"form": form, "uploads": selectors.recent_uploads(user), "columns": COLUMNS, "required": REQUIRED}
    return render(request, "onboarding/import_start.html", context)


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
@require_http_methods(["GET", "POST"])
def columns(request: HttpRequest, upload_id: int) -> HttpResponse:
    """Which default column each of the file's columns is, with the first rows as they will be read."""
    upload = _mine(request, upload_id)
    if not uploads.mappable(upload):
        return redirect("onboarding:import_status", upload_id=upload.pk)
    form = MappingForm(request.POST or None, kind=upload.kind, mapping=upload.mapping)
    if request.method == "POST" and form.is_valid():
        try:
            uploads.import_upload_check(by=request_user(request), upload_id=upload.pk, mapping=form.mapping())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("onboarding:import_status", upload_id=upload.pk)
    table = read_table(bytes(upload.content))
    shown = form.mapping() if form.is_bound and form.is_valid() else upload.mapping
    preview = mapped(table, shown)
    context = {
        "upload": upload,
        "form": form,
        "fields": [form[f"column_{index}"] for index in range(len(form.columns))],
        "samples": {column: [cells.get(column, "") for _number, cells in table.rows[:3]] for column in table.header},
        "preview": preview.header,
        "preview_rows": preview.rows[: uploads.PREVIEW_ROWS],
        "unknown": [column for column in table.header if column not in COLUMNS[upload.kind]],
        "required": REQUIRED[upload.kind],
        "rows": len(table.rows),
    }
    return render(request, "onboarding/import_columns.html", context)


def _page(upload: ImportUpload) -> dict[str, object]:
    task = upload.import_task if upload.status == UploadStatus.IMPORTING else upload.check_task
    failed = uploads.failed(upload)
    return {
        "upload": upload,
        "task": task,
        "failed": failed,
        "working": upload.status in WORKING and not failed,
        "checked": Report.from_json(upload.checked) if upload.checked else None,
        "imported": Report.from_json(upload.imported) if upload.imported else None,
    }


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
def status(request: HttpRequest, upload_id: int) -> HttpResponse:
    """The dry run's or the import's progress, then its report."""
    upload = _mine(request, upload_id)
    return render(request, "onboarding/import_status.html", _page(upload))


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
def progress(request: HttpRequest, upload_id: int) -> HttpResponse:
    """The progress bar, polled by htmx every second; once the work is done, the whole page again."""
    upload = _mine(request, upload_id)
    context = _page(upload)
    response = render(request, "onboarding/import_progress.html", context)
    if not context["working"]:
        response["HX-Refresh"] = "true"
    return response


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def run(request: HttpRequest, upload_id: int) -> HttpResponse:
    """Import the checked file (once, however often the button is pressed)."""
    upload = _mine(request, upload_id)
    upload = uploads.import_upload_start(by=request_user(request), upload_id=upload.pk)
    if upload.status == UploadStatus.IMPORTING:
        messages.success(request, _("The import has started. You can follow it on this page."))
    return redirect("onboarding:import_status", upload_id=upload.pk)
