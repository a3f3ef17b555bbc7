"""What a residents import reads once (``Context``) and how it saves a batch of new residents at once.

The organisation's households, houses and residents with an ``extern_id`` are read once per file,
and new residents go in with one insert per table per batch (``residents_new``), audited in one
insert: a file of 100,000 rows then costs hundreds of queries, not hundreds of thousands.
"""

from typing import Any, NamedTuple

from django.utils import timezone

from veerkracht.core.audit import audit_record_each
from veerkracht.core.bag import AddressSource, FoundAddress
from veerkracht.core.models import AuditAction, Neighbourhood, Organisation, User
from veerkracht.onboarding import cells
from veerkracht.onboarding.locator import Locator
from veerkracht.people.counters import residents_written
from veerkracht.people.models import Building, BuildingKind, Household, Resident
from veerkracht.people.selectors import RESIDENT
from veerkracht.people.vocabulary import LANGUAGES, MARKERS

Address = tuple[str, int, str]  # postcode, house number, suffix
# first name, surname (both case-folded), year of birth, and the address: a likely duplicate.
Likeness = tuple[str, str, int, str, int, str]


class Row(NamedTuple):
    """A checked row: the resident's fields and address; ``found`` once the address is located."""

    number: int
    extern_id: str
    values: dict[str, Any]
    postcode: str
    house_number: int
    suffix: str
    found: FoundAddress | None = None
    neighbourhood: Neighbourhood | None = None

    @property
    def address(self) -> Address:
        return (self.postcode, self.house_number, self.suffix)

    @property
    def likeness(self) -> Likeness:
        first, last = self.values["first_name"].casefold(), self.values["last_name"].casefold()
        return (first, last, self.values["birth_year"], *self.address)


class Context:
    """What every row needs, read once: the locator, the vocabularies and the known residents."""

    def __init__(self, organisation: Organisation, sources: list[AddressSource] | None) -> None:
        self.organisation = organisation
        self.locator = Locator(organisation, sources)
        self.marker_fields = [marker for marker in MARKERS if marker != "aged_75_plus"]  # 75+ follows from birth
        self.languages = cells.dutch_labels(LANGUAGES)
        self.markers = cells.dutch_labels([(name, MARKERS[name]) for name in self.marker_fields])
        # A row's new household or house joins these only once the row is saved (``settle``), so a
        # refused row leaves no stale entry behind.
        self.households = {
            (h.postcode, h.house_number, h.house_number_suffix): h
            for h in Household.objects.filter(organisation=organisation)
        }
        self.buildings = {(b.postcode, b.house_number): b for b in Building.objects.filter(organisation=organisation)}
        self.new_households: dict[Address, Household] = {}
        self.new_buildings: dict[tuple[str, int], Building] = {}
        self.by_extern: dict[str, Resident] = {
            r.extern_id: r
            for r in Resident.objects.filter(organisation=organisation, erased_at=None)
            .exclude(extern_id="")
            .select_related("household")
        }
        self._likenesses: set[Likeness] | None = None  # read at the first row without an extern_id

    def locate(self, row: Row) -> tuple[FoundAddress, Neighbourhood]:
        return self.locator.locate(row.postcode, row.house_number, row.suffix)

    def _known_likenesses(self) -> set[Likeness]:
        if self._likenesses is None:
            rows = (
                Resident.objects.filter(organisation=self.organisation, erased_at=None, household__isnull=False)
                .values_list(
                    "first_name",
                    "last_name",
                    "birth_year",
                    "household__postcode",
                    "household__house_number",
                    "household__house_number_suffix",
                )
                .iterator(chunk_size=5000)
            )
            self._likenesses = {
                (first.casefold(), last.casefold(), year, postcode, number, suffix)
                for first, last, year, postcode, number, suffix in rows
            }
        return self._likenesses

    def is_duplicate(self, row: Row) -> bool:
        return row.likeness in self._known_likenesses()

    def note(self, row: Row) -> None:
        """A new resident of this file: a later row without ``extern_id`` like it is a likely duplicate."""
        self._known_likenesses().add(row.likeness)

    def settle(self, *, saved: bool) -> None:
        if saved:
            self.households.update(self.new_households)
            self.buildings.update(self.new_buildings)
        self.new_households.clear()
        self.new_buildings.clear()


def _building(context: Context, row: Row, found: FoundAddress, neighbourhood: Neighbourhood) -> Building:
    organisation = context.organisation
    return Building(
        organisation=organisation,
        neighbourhood=neighbourhood,
        kind=BuildingKind.HOUSE,
        street=found.street or "?",
        house_number=row.house_number,
        postcode=row.postcode,
        city=found.city or organisation.city,
        x=found.x,
        y=found.y,
    )


def _household(context: Context, row: Row, found: FoundAddress, neighbourhood: Neighbourhood) -> Household:
    organisation = context.organisation
    return Household(
        organisation=organisation,
        neighbourhood=neighbourhood,
        street=found.street or "?",
        house_number=row.house_number,
        house_number_suffix=row.suffix,
        postcode=row.postcode,
        city=found.city or organisation.city,
        x=found.x,
        y=found.y,
    )


def household_for(context: Context, row: Row, found: FoundAddress, neighbourhood: Neighbourhood) -> Household:
    """The household at the row's address, made (with its house, at the register's position) when new."""
    household = context.households.get(row.address) or context.new_households.get(row.address)
    if household is not None:
        return household
    house = row.address[:2]
    building = context.buildings.get(house) or context.new_buildings.get(house)
    if building is None:
        building = _building(context, row, found, neighbourhood)
        building.save()
        context.new_buildings[house] = building
    household = _household(context, row, found, neighbourhood)
    household.building = building
    household.save()
    context.new_households[row.address] = household
    return household


def _homes(context: Context, rows: list[Row]) -> dict[Address, Household]:
    """The households of the rows' addresses; the new ones (and their new houses) inserted together."""
    homes: dict[Address, Household] = {}
    new_homes: dict[Address, Household] = {}
    new_houses: dict[tuple[str, int], Building] = {}
    for row in rows:
        assert row.found is not None  # noqa: S101 - located before
        assert row.neighbourhood is not None  # noqa: S101
        known = context.households.get(row.address)
        if known is not None:
            homes[row.address] = known
        elif row.address not in new_homes:
            house = (row.postcode, row.house_number)
            if house not in context.buildings and house not in new_houses:
                new_houses[house] = _building(context, row, row.found, row.neighbourhood)
            new_homes[row.address] = _household(context, row, row.found, row.neighbourhood)
    Building.objects.bulk_create(new_houses.values())
    for address, household in new_homes.items():
        household.building = context.buildings.get(address[:2]) or new_houses[address[:2]]
    Household.objects.bulk_create(new_homes.values())
    context.new_buildings.update(new_houses)
    context.new_households.update(new_homes)
    return homes | new_homes


def residents_new(by: User | None, context: Context, rows: list[Row]) -> list[Resident]:
    """Insert the rows' residents (and new houses and households) together, and audit each of them.

    Call inside a transaction: the context learns of the new households only once they are in.
    """
    saved = False
    try:
        homes = _homes(context, rows)
        today = timezone.localdate()
        residents = [
            Resident(
                organisation=context.organisation,
                neighbourhood=row.neighbourhood,
                household=homes[row.address],
                extern_id=row.extern_id,
                consent_given_on=today if row.values["consent_sms"] or row.values["consent_email"] else None,
                **row.values,
            )
            for row in rows
        ]
        with residents_written() as written:  # the reach counts follow, in one read (people/counters.py)
            Resident.objects.bulk_create(residents)
            written.extend(resident.pk for resident in residents)
        ids = [resident.pk for resident in residents]
        audit_record_each(
            action=AuditAction.CREATE,
            actor=by,
            organisation=context.organisation,
            object_type=RESIDENT,
            object_ids=ids,
            fields=sorted(rows[0].values),
        )
        saved = True
    finally:
        context.settle(saved=saved)
    context.by_extern.update({r.extern_id: r for r in residents if r.extern_id})
    return residents
