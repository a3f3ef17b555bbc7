"""Finding or creating the household at an address, placed where the address register (BAG) says."""

import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from veerkracht.core.bag import FoundAddress, address_find
from veerkracht.core.models import Neighbourhood
from veerkracht.people.models import Building, BuildingKind, Household

POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")


def normalise_postcode(text: str) -> str:
    """'1234ab' → '1234 AB'; a ValidationError for anything that is not a Dutch postcode."""
    match = POSTCODE.match(text or "")
    if not match or match.group(2).upper() in {"SA", "SD", "SS"}:  # letter pairs PostNL never issues
        raise ValidationError({"postcode": _("Enter a Dutch postcode such as 1234 AB.")})
    return f"{match.group(1)} {match.group(2).upper()}"


def neighbourhood_centre(neighbourhood: Neighbourhood) -> tuple[float, float]:
    """The middle of the neighbourhood's outline: a stand-in for an address the register lacks (flagged)."""
    try:
        ring = neighbourhood.boundary["coordinates"][0]
        xs, ys = [point[0] for point in ring], [point[1] for point in ring]
        return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    except (KeyError, IndexError, TypeError):
        return 0.0, 0.0


class Position(NamedTuple):
    street: str
    x: float  # RD New, metres
    y: float


def address_position(organisation_id: int, postcode: str, house_number: int, suffix: str = "") -> Position | None:
    """Where an address is (RD New metres): a household's or building's own position, else the register's.

    Households and buildings come first, as their positions may have been corrected by hand; an
    address that is only in the address file or the Locatieserver (a volunteer's home, a start
    point) is found there. ``None`` when no source knows it: the caller says so, it never guesses.
    """
    where = {"organisation_id": organisation_id, "postcode": postcode, "house_number": house_number}
    household = Household.objects.filter(**where, address_not_found=False).values_list("street", "x", "y").first()
    if household is not None:
        return Position(*household)
    # A building holding only stand-in households sits at a neighbourhood's centre: not a position.
    buildings = Building.objects.filter(**where).exclude(households__address_not_found=True)
    building = buildings.values_list("street", "x", "y").first()
    if building is not None:
        return Position(*building)
    found = address_find(organisation_id, postcode, house_number, suffix)
    return Position(found.street, found.x, found.y) if found is not None else None


def household_at(
    *,
    neighbourhood: Neighbourhood,
    street: str,
    house_number: int,
    house_number_suffix: str,
    postcode: str,
    city: str,
    floor: int | None,
    found: FoundAddress | bool | None = True,
) -> Household:
    """The household living at the address, created (with its building) when there is none yet.

    A new building gets the position of the address register (``found``, or looked up when it is
    True); an address found nowhere is placed at the neighbourhood's centre *and flagged*
    ``address_not_found``, so it shows on the worklist instead of passing as a real position.
    """
    existing = Household.objects.filter(
        organisation_id=neighbourhood.organisation_id,
        postcode=postcode,
        house_number=house_number,
        house_number_suffix=house_number_suffix,
    ).first()
    if existing is not None:
        return existing
    building = Building.objects.filter(
        organisation_id=neighbourhood.organisation_id, postcode=postcode, house_number=house_number
    ).first()
    if found is True:
        found = address_find(neighbourhood.organisation_id, postcode, house_number, house_number_suffix)
    located = found if isinstance(found, FoundAddress) else None
    if building is None:
        x, y = (located.x, located.y) if located is not None else neighbourhood_centre(neighbourhood)
        building = Building.objects.create(
            organisation_id=neighbourhood.organisation_id,
            neighbourhood=neighbourhood,
            kind=BuildingKind.HOUSE,
            street=street,
            house_number=house_number,
            postcode=postcode,
            city=city,
            x=x,
            y=y,
        )
    return Household.objects.create(
        organisation_id=neighbourhood.organisation_id,
        neighbourhood=neighbourhood,
        building=building,
        street=street,
        house_number=house_number,
        house_number_suffix=house_number_suffix,
        postcode=postcode,
        city=city,
        floor=floor,
        x=located.x if located is not None else building.x,
        y=located.y if located is not None else building.y,
        address_not_found=located is None,
    )
