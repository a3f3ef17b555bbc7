"""Writes of the import in the browser: upload a file, map its columns, check it, import it.

The same importers as ``veerkracht import`` (``importers.IMPORTERS``) do the work, in the
background (``onboarding.tasks``): first a dry run that lists every row's problems, then, when
the coordinator asks, the import itself. Only a coordinator imports, as only a coordinator
invites colleagues; every step is audited with ids and field names, never the file's contents.
"""

import csv

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from veerkracht.core.access import within_organisation
from veerkracht.core.audit import audit_record
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, TaskStatus, User
from veerkracht.core.tasks import task_run_queue
from veerkracht.onboarding.importers import COLUMNS, IMPORTERS, REQUIRED
from veerkracht.onboarding.models import ImportUpload, UploadStatus
from veerkracht.onboarding.selectors import may_import
from veerkracht.onboarding.tabular import XLSX_MAGIC, Table, read_table

UPLOAD = "onboarding.importupload"
IMPORT_TASK = "onboarding.import"
EXTENSIONS = (".csv", ".txt", ".xlsx")
PREVIEW_ROWS = 5
MAX_COLUMNS = 100  # the mapping form has a field per column; no import has more than 14


def _check_file(file_name: str, content: bytes) -> Table:
    """The file's table, or a Dutch reason why it cannot be read."""
    if not file_name.lower().endswith(EXTENSIONS):
        raise ValidationError({"file": _("Choose a CSV file (.csv) or an Excel file (.xlsx).")})
    if not content.strip():
        raise ValidationError({"file": _("The file is empty.")})
    limit = settings.IMPORT_UPLOAD_MAX_BYTES
    if len(content) > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than %(megabytes)s MB. Split it into smaller files.")
                % {"megabytes": limit // (1024 * 1024) or 1}
            }
        )
    if not content.startswith(XLSX_MAGIC) and b"\x00" in content[:65536]:
        raise ValidationError({"file": _("This is not a CSV or Excel file (it holds binary data).")})
    try:
        table = read_table(content)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    except (csv.Error, ValueError, UnicodeError, OSError, SyntaxError):
        # A CSV cell past the csv module's limit, or a damaged workbook (its XML: ParseError is a SyntaxError).
        raise ValidationError({"file": _("The file could not be read as CSV or Excel.")}) from None
    if not table.rows:
        raise ValidationError({"file": _("The file has no rows below its header.")})
    if len(table.header) > MAX_COLUMNS:
        raise ValidationError(
            {
                "file": _("The file has more than %(columns)s columns; is the first row its header?")
                % {"columns": MAX_COLUMNS}
            }
        )
    return table


def default_mapping(kind: str, header: list[str]) -> dict[str, str]:
    """Each of the file's columns to the default column of the same name; others left unused."""
    return {column: column if column in COLUMNS[kind] else "" for column in header}


@transaction.atomic
def import_upload_create(*, by: User, kind: str, file_name: str, content: bytes) -> ImportUpload:
    """Keep an uploaded file for its import (see ``ImportUpload`` for how long), with the default mapping."""
    if not may_import(by) or by.organisation is None:
        raise ValidationError(_("Only a coordinator imports files."))
    if kind not in IMPORTERS:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    file_name = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    table = _check_file(file_name, content)
    upload = ImportUpload.objects.create(
        organisation=by.organisation,
        by=by,
        kind=kind,
        file_name=file_name,
        content=content,
        size=len(content),
        mapping=default_mapping(kind, table.header),
    )
    _audit(by, upload, AuditAction.CREATE, ["kind", "file_name", "size"])
    return upload


def _audit(by: User, upload: ImportUpload, action: AuditAction, fields: list[str]) -> None:
    audit_record(
        action=action,
        actor=by,
        organisation=by.organisation,
        object_type=UPLOAD,
        object_id=upload.pk,
        fields=fields,
    )


def failed(upload: ImportUpload) -> bool:
    """The dry run or the import stopped with an error (the background run failed): it may be asked again."""
    task = upload.import_task if upload.status == UploadStatus.IMPORTING else upload.check_task
    working = upload.status in (UploadStatus.CHECKING, UploadStatus.IMPORTING)
    return working and task is not None and task.status == TaskStatus.FAILED


def mappable(upload: ImportUpload) -> bool:
    """Its columns may be (re)mapped and checked: not while checking or importing, nor once imported."""
    return upload.status in (UploadStatus.UPLOADED, UploadStatus.CHECKED) or (
        upload.status == UploadStatus.CHECKING and failed(upload)
    )


def _upload_for_update(by: User, upload_id: int) -> ImportUpload:
    if not may_import(by):
        raise NotFound
    found = within_organisation(ImportUpload.objects.select_for_update(of=("self",)), by)
    upload = found.select_related("organisation", "check_task", "import_task").filter(pk=upload_id).first()
    if upload is None:
        raise NotFound
    return upload


def check_mapping(kind: str, header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """The mapping, if each default column is chosen at most once and every required one is."""
    known = set(COLUMNS[kind])
    chosen = [target for column, target in mapping.items() if column in header and target]
    if unknown := sorted(set(chosen) - known):
        raise ValidationError(_("Unknown column: %(columns)s.") % {"columns": ", ".join(unknown)})
    if twice := sorted({target for target in chosen if chosen.count(target) > 1}):
        raise ValidationError(
            _("Each column may be chosen once; chosen more than once: %(columns)s.") % {"columns": ", ".join(twice)}
        )
    if missing := [column for column in REQUIRED[kind] if column not in chosen]:
        raise ValidationError(
            _("These columns are needed; choose which column of the file holds them: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    return {column: mapping.get(column, "") for column in header}


@transaction.atomic
def import_upload_check(*, by: User, upload_id: int, mapping: dict[str, str]) -> ImportUpload:
    """Save the column mapping and start the dry run in the background (again, after a new mapping)."""
    upload = _upload_for_update(by, upload_id)
    if not mappable(upload):
        return upload  # checking or importing already: a second click starts nothing
    upload.mapping = check_mapping(upload.kind, list(upload.mapping), mapping)
    upload.status, upload.checked = UploadStatus.CHECKING, None
    upload.save(update_fields=["mapping", "status", "checked"])
    _audit(by, upload, AuditAction.UPDATE, ["mapping"])
    # Saved before queueing: a worker (or the tests' immediate backend) finds the upload ready.
    upload.check_task = task_run_queue(
        kind=IMPORT_TASK, organisation=upload.organisation, by=by, params={"upload": upload.pk, "dry_run": True}
    )
    upload.save(update_fields=["check_task"])
    upload.refresh_from_db()
    return upload


@transaction.atomic
def import_upload_start(*, by: User, upload_id: int) -> ImportUpload:
    """Import the checked file in the background; once only, however often it is asked."""
    upload = _upload_for_update(by, upload_id)
    if upload.status != UploadStatus.CHECKED and not (upload.status == UploadStatus.IMPORTING and failed(upload)):
        return upload  # importing or imported already: the import runs once
    upload.status = UploadStatus.IMPORTING
    upload.save(update_fields=["status"])
    _audit(by, upload, AuditAction.UPDATE, ["status"])
    upload.import_task = task_run_queue(
        kind=IMPORT_TASK, organisation=upload.organisation, by=by, params={"upload": upload.pk, "dry_run": False}
    )
    upload.save(update_fields=["import_task"])
    upload.refresh_from_db()
    return upload
