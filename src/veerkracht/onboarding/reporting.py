"""What an import reports: counts, and each refused row with its line, column and a Dutch reason."""

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, Organisation, User
from veerkracht.onboarding.models import ImportKind, ImportRun


@dataclass(frozen=True)
class RowProblem:
    row: int  # the line in the file; the header is line 1
    column: str
    reason: str

    def __str__(self) -> str:
        return f"rij {self.row}, kolom {self.column}: {self.reason}"


T = TypeVar("T")
Progress = Callable[[int], None]  # told the percentage of the file's rows done


def counted(rows: list[T], progress: Progress | None) -> Iterator[T]:
    """The rows, telling ``progress`` the percentage done at each whole percent."""
    step = max(1, len(rows) // 100)
    for index, row in enumerate(rows, start=1):
        yield row
        if progress is not None and index % step == 0:
            progress(index * 100 // len(rows))


class RowError(Exception):
    """A row is refused: nothing of it is saved."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


def once_in_file(seen: set[str], extern_id: str) -> None:
    """Refuse a row whose ``extern_id`` an earlier row of the same file had."""
    if extern_id and extern_id in seen:
        raise RowError("extern_id", f"extern_id {extern_id} staat twee keer in het bestand")
    seen.add(extern_id)


@dataclass
class Report:
    kind: str
    file_name: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[RowProblem] = field(default_factory=list)
    run_id: int | None = None

    def lacks_columns(self, header: list[str] | tuple[str, ...], required: tuple[str, ...]) -> bool:
        """Note the required columns the header lacks (the whole file is refused then)."""
        missing = [column for column in required if column not in header]
        if missing:
            self.problems.append(RowProblem(1, ", ".join(missing), "kolom ontbreekt in de kopregel"))
        return bool(missing)

    @property
    def refused(self) -> int:
        return len({problem.row for problem in self.problems})

    def as_json(self) -> dict[str, Any]:
        """The report as plain JSON (kept with an upload in the browser; it quotes cell values)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Report":
        problems = [RowProblem(**problem) for problem in data.get("problems", [])]
        duplicates = [RowProblem(**problem) for problem in data.get("duplicates", [])]
        return cls(**{**data, "problems": problems, "duplicates": duplicates})

    def lines(self) -> list[str]:
        """The report in Dutch, as the command line prints it."""
        head = "Proefimport (er is niets opgeslagen)" if self.dry_run else "Import"
        lines = [
            f"{head} van {self.file_name}: {self.rows} rijen; {self.created} nieuw, {self.updated} gewijzigd, "
            f"{self.unchanged} ongewijzigd, {self.refused} geweigerd, {len(self.duplicates)} mogelijk dubbel."
        ]
        lines += [f"Geweigerd: {problem}" for problem in self.problems]
        lines += [f"Mogelijk dubbel: {problem}" for problem in self.duplicates]
        return lines


def report_audit(report: Report, *, organisation: Organisation, by: User | None) -> ImportRun:
    """Record the import (who, when, file name, counts; never contents) and audit it."""
    run = ImportRun.objects.create(
        organisation=organisation,
        kind=ImportKind(report.kind),
        file_name=report.file_name[:200],
        by=by,
        dry_run=report.dry_run,
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        refused=report.refused,
        duplicates=len(report.duplicates),
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        organisation=organisation,
        object_type="onboarding.importrun",
        object_id=run.pk,
        fields=["kind", "file_name", "rows", "created", "updated", "unchanged", "refused"],
    )
    report.run_id = run.pk
    return run
