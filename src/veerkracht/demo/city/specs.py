"""The plain records the generator returns: one dataclass per table, linked by list index.

Every ``*_index`` field is a position in the matching list of :class:`City`, so the writer can
map indices to database ids after each bulk insert without any look-ups.
"""

from dataclasses import dataclass, field
from typing import Any

Boundary = dict[str, Any]  # a GeoJSON Polygon


@dataclass(frozen=True, slots=True)
class Rect:
    """An axis-aligned rectangle in metres on the local RD-like grid."""

    x0: float
    y0: float
    x1: float
    y1: float

    def clamp(self, x: float, y: float, margin: float = 1.0) -> tuple[float, float]:
        """The point moved just inside the rectangle, so rounding never puts it outside."""
        return (
            min(max(x, self.x0 + margin), self.x1 - margin),
            min(max(y, self.y0 + margin), self.y1 - margin),
        )

    def as_geojson(self) -> Boundary:
        """The rectangle as a closed GeoJSON polygon ring (counter-clockwise)."""
        ring = [[self.x0, self.y0], [self.x1, self.y0], [self.x1, self.y1], [self.x0, self.y1], [self.x0, self.y0]]
        return {"type": "Polygon", "coordinates": [ring]}


@dataclass(frozen=True, slots=True)
class DistrictSpec:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class NeighbourhoodSpec:
    district_index: int
    code: str
    name: str
    affluence: str  # "low", "middle" or "high"
    rect: Rect
    postcode_digits: int  # the four digits every postcode in the neighbourhood starts with

    @property
    def boundary(self) -> Boundary:
        return self.rect.as_geojson()


@dataclass(frozen=True, slots=True)
class CourtyardSpec:
    neighbourhood_index: int
    name: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class BuildingSpec:
    neighbourhood_index: int
    kind: str  # "flat" or "house"
    street: str
    house_number: int
    postcode: str
    floors: int
    courtyard_index: int | None
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class EntranceSpec:
    building_index: int
    label: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class HouseholdSpec:
    neighbourhood_index: int
    building_index: int
    entrance_index: int | None
    street: str
    house_number: int
    house_number_suffix: str
    postcode: str
    floor: int | None
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class ResidentSpec:
    household_index: int
    neighbourhood_index: int
    first_name: str
    surname_prefix: str
    last_name: str
    birth_year: int
    phone: str
    email: str
    languages: tuple[str, ...]
    migration_background: bool
    lives_alone: bool
    older_migrant: bool
    low_digital_skills: bool
    limited_mobility: bool
    informal_carer: bool
    interpreter_needed: bool
    key_figure_needed: bool
    key_figure: str  # a sleutelpersoon of the resident's own community, if one is known
    preferred_channel: str  # a Channel value or ""
    consent_days_ago: int | None  # when consent was recorded, in days before today; None: never
    consent_sms: bool
    consent_email: bool
    consent_help_exchange: bool
    consent_activities: bool
    assigned_staff_index: int | None = None  # the professional (index into City.staff) of a client


@dataclass(frozen=True, slots=True)
class PlaceSpec:
    neighbourhood_index: int
    name: str
    kind: str  # a PlaceKind value
    street_address: str
    indoor: bool
    area_m2: int
    normal_capacity: int
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class TeamSpec:
    name: str
    neighbourhood_indices: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class StaffSpec:
    """A user account: a demo login (shared published password) or a generated colleague."""

    username: str
    first_name: str
    last_name: str  # with the tussenvoegsel, as Dutch names are shown: "van der Berg"
    email: str
    role: str  # a Role value
    job_title: str  # a JobTitle value, only for professionals
    team_indices: tuple[int, ...]
    is_demo_login: bool
    resident_index: int | None = None  # the Resident this login belongs to (role resident)


@dataclass(slots=True)
class City:
    """Everything the demo needs, as plain data in insertion order."""

    name: str
    municipality_code: str
    seed: int
    reference_year: int
    districts: list[DistrictSpec] = field(default_factory=list)
    neighbourhoods: list[NeighbourhoodSpec] = field(default_factory=list)
    courtyards: list[CourtyardSpec] = field(default_factory=list)
    buildings: list[BuildingSpec] = field(default_factory=list)
    entrances: list[EntranceSpec] = field(default_factory=list)
    households: list[HouseholdSpec] = field(default_factory=list)
    residents: list[ResidentSpec] = field(default_factory=list)
    places: list[PlaceSpec] = field(default_factory=list)
    teams: list[TeamSpec] = field(default_factory=list)
    staff: list[StaffSpec] = field(default_factory=list)
