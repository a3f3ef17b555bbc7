"""The residents import in batches: the day's reach counts follow, a batch the database refuses is saved
row by row, likely duplicates within one file, and the query count per batch stays flat."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.core.models import AuditEvent
from veerkracht.insights import selectors
from veerkracht.insights.models import ReachDaily
from veerkracht.insights.reach import reach_count, reach_forget
from veerkracht.onboarding import residents_batch
from veerkracht.onboarding.residents_import import COLUMNS, residents_import
from veerkracht.onboarding.tabular import read_table
from veerkracht.people.models import Resident
from veerkracht.people.retention import retention_apply

HEADER = ";".join(COLUMNS) + "\n"


def _row(extern_id: str, first: str, number: int = 12, suffix: str = "") -> str:
    return f"{extern_id};{first};Jansen;03-04-1941;1091AB;{number};{suffix};;;;;woont alleen;nee;nee\n"


def _import(cast: Cast, text: str, dry_run: bool = False):
    return residents_import(
        by=cast.coordinator,
        organisation=cast.organisation,
        table=read_table(text.encode()),
        file_name="bewoners.csv",
        dry_run=dry_run,
    )


def _kept(cast: Cast) -> dict[tuple[object, ...], tuple[int, int]]:
    rows = ReachDaily.objects.filter(organisation=cast.organisation).values_list(
        "neighbourhood_id", "day", "window", "group", "residents", "reached"
    )
    return {row[:4]: row[4:] for row in rows if row[4:] != (0, 0)}


def test_the_days_reach_counts_follow_residents_imported_in_bulk(register: Cast):
    selectors.reach(selectors.scope_of(register.coordinator), 30)  # the day's first read counts
    _import(register, HEADER + _row("A-1", "Anna") + _row("A-2", "Bert", 16))
    kept = _kept(register)
    reach_forget(register.organisation.pk)
    reach_count(register.organisation, timezone.localdate())
    assert _kept(register) == kept
    assert kept[(register.south.pk, timezone.localdate(), 30, "lives_alone")][0] == 2


def test_a_batch_the_database_refuses_is_saved_row_by_row(register: Cast, monkeypatch):
    _import(register, HEADER + _row("A-1", "Anna"))
    # The import's own map of known extern_ids misses A-1, as a concurrent import would: the
    # database's unique constraint refuses the batch, then only that row.
    real = residents_batch.Context.__init__

    def forgetful(self, *args, **kwargs):
        real(self, *args, **kwargs)
        self.by_extern.clear()

    monkeypatch.setattr(residents_batch.Context, "__init__", forgetful)
    report = _import(register, HEADER + _row("A-1", "Anna") + _row("A-3", "Cor", 16))
    assert report.created == 1
    assert [(p.row, p.column) for p in report.problems] == [(2, "extern_id")]
    assert Resident.objects.filter(extern_id="A-3").exists()
    assert Resident.objects.filter(extern_id="A-1").count() == 1


def test_a_second_row_without_extern_id_like_the_first_is_a_likely_duplicate(register: Cast):
    for dry_run in (True, False):
        report = _import(register, HEADER + _row("", "Anna") + _row("", "anna"), dry_run=dry_run)
        assert (report.created, [p.row for p in report.duplicates]) == (1, [3])


def test_queries_per_batch_do_not_grow_with_its_rows(register: Cast):
    def queries(rows: int) -> int:
        text = HEADER + "".join(_row(f"Q{rows}-{i}", "Anna", 12 + 4 * (i % 2)) for i in range(rows))
        with CaptureQueriesContext(connection) as captured:
            _import(register, text)
        return len(captured)

    queries(2)  # the houses and households of the two addresses are made once
    # Within one INSERT's share of parameters (SQLite's 999: about 30 residents) the count is flat.
    assert queries(25) == queries(4)
    assert AuditEvent.objects.filter(object_type="people.resident").count() == 31


def test_uploads_are_deleted_after_their_retention_term(register: Cast, client):
    from veerkracht.onboarding.models import ImportUpload
    from veerkracht.onboarding.uploads import import_upload_create

    upload = import_upload_create(
        by=register.coordinator, kind="residents", file_name="b.csv", content=(HEADER + _row("A-1", "Anna")).encode()
    )
    retention_apply(organisation=register.organisation, now=timezone.now() + timedelta(hours=23), dry_run=False)
    assert ImportUpload.objects.filter(pk=upload.pk).exists()
    retention_apply(organisation=register.organisation, now=timezone.now() + timedelta(hours=25), dry_run=False)
    assert not ImportUpload.objects.filter(pk=upload.pk).exists()


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_unknown_extern_id_twice_in_a_file_is_refused_once(register: Cast, dry_run: bool):
    report = _import(register, HEADER + _row("A-1", "Anna") + _row("A-1", "Anna", 16), dry_run=dry_run)
    assert (report.created, [p.row for p in report.problems]) == (1, [3])
