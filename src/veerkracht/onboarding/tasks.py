"""The import in the background: a dry run or the import itself of an uploaded file (``uploads``).

A run that lost its worker starts again from the beginning (core/tasks.py), which an import
survives: a row with an ``extern_id`` already imported changes nothing the second time. Between
batches the run checks that it still holds its turn, so an attempt the reaper gave up on stops.
"""

from typing import Any

from veerkracht.core.models import TaskRun
from veerkracht.core.tasks import Report as ProgressReport
from veerkracht.core.tasks import effects_of, register
from veerkracht.onboarding.importers import IMPORTERS
from veerkracht.onboarding.models import ImportUpload, UploadStatus
from veerkracht.onboarding.tabular import Table, read_table
from veerkracht.onboarding.uploads import IMPORT_TASK


def mapped(table: Table, mapping: dict[str, str]) -> Table:
    """The table with the file's headers renamed to the chosen default columns (unused ones dropped)."""
    header = [mapping[column] for column in table.header if mapping.get(column)]
    rows = [
        (number, {mapping[column]: value for column, value in cells.items() if mapping.get(column)})
        for number, cells in table.rows
    ]
    return Table(header, rows)


@register(IMPORT_TASK)
def import_run(run: TaskRun, report: ProgressReport) -> dict[str, Any]:
    """Check (``dry_run``) or import the upload; the report with its row problems goes on the upload."""
    dry_run = bool(run.params.get("dry_run"))
    upload = ImportUpload.objects.select_related("organisation").get(pk=run.params["upload"])
    table = mapped(read_table(bytes(upload.content)), upload.mapping)

    def progress(percent: int) -> None:
        with effects_of(run):  # raises when a later attempt took the run over
            pass
        report(percent)

    result = IMPORTERS[upload.kind](
        by=run.requested_by,
        organisation=upload.organisation,
        table=table,
        file_name=upload.file_name,
        dry_run=dry_run,
        progress=progress,
    )
    with effects_of(run):
        if dry_run:
            upload.checked, upload.status = result.as_json(), UploadStatus.CHECKED
            upload.save(update_fields=["checked", "status"])
        else:
            # The file is no longer needed: its contents go now, the report at the retention term.
            upload.imported, upload.status, upload.content = result.as_json(), UploadStatus.DONE, b""
            upload.run_id = result.run_id
            upload.save(update_fields=["imported", "status", "content", "run"])
    return {"rows": result.rows, "created": result.created, "refused": result.refused}
