"""The imports by kind, one code path for the command line and the browser: each reads a ``Table``.

``COLUMNS`` is each kind's documented default column set (a file with these headers needs no
mapping), ``REQUIRED`` the columns without which no row can be read.
"""

from typing import Protocol

from veerkracht.core.models import Organisation, User
from veerkracht.onboarding import address_file, places_import, residents_import, volunteers_import
from veerkracht.onboarding.models import ImportKind
from veerkracht.onboarding.reporting import Progress, Report
from veerkracht.onboarding.tabular import Table


class Importer(Protocol):
    def __call__(
        self,
        *,
        by: User | None,
        organisation: Organisation,
        table: Table,
        file_name: str,
        dry_run: bool = False,
        progress: Progress | None = None,
    ) -> Report: ...


IMPORTERS: dict[str, Importer] = {
    ImportKind.RESIDENTS: residents_import.residents_import,
    ImportKind.VOLUNTEERS: volunteers_import.volunteers_import,
    ImportKind.PLACES: places_import.places_import,
    ImportKind.ADDRESSES: address_file.addresses_load,
}
COLUMNS: dict[str, tuple[str, ...]] = {
    ImportKind.RESIDENTS: residents_import.COLUMNS,
    ImportKind.VOLUNTEERS: volunteers_import.COLUMNS,
    ImportKind.PLACES: places_import.COLUMNS,
    ImportKind.ADDRESSES: address_file.COLUMNS,
}
REQUIRED: dict[str, tuple[str, ...]] = {
    ImportKind.RESIDENTS: residents_import.REQUIRED,
    ImportKind.VOLUNTEERS: volunteers_import.REQUIRED,
    ImportKind.PLACES: places_import.REQUIRED,
    ImportKind.ADDRESSES: address_file.REQUIRED,
}
