"""What the demo city is calibrated on: every share in one place, with where it comes from.

The figures are rounded national figures for the Netherlands, not those of any real city:
CBS = Statistics Netherlands (StatLine tables), SCP = the Netherlands Institute for Social
Research. They are defaults; a caller may pass a :class:`CityConfig` with other values.
"""

from dataclasses import dataclass, field

# Household composition (CBS StatLine "Huishoudens; samenstelling, grootte", 2023-2024): about
# 39% of households are one person; of the others roughly 29% couples without children, 24%
# couples with children, 7% single parents and 1% other (house shares and the like).
HOUSEHOLD_TYPE_SHARES: dict[str, float] = {
    "single": 0.39,
    "couple": 0.29,
    "family": 0.24,
    "single_parent": 0.07,
    "shared": 0.01,
}

# Children per family (CBS: a family with children has on average 1.8 children).
CHILDREN_WEIGHTS_FAMILY: dict[int, float] = {1: 0.40, 2: 0.42, 3: 0.14, 4: 0.04}
CHILDREN_WEIGHTS_SINGLE_PARENT: dict[int, float] = {1: 0.58, 2: 0.32, 3: 0.10}

# Of the people 65+, about a third live alone and most others as a couple (CBS "Ouderen",
# 2023). These two shares are relative: they are scaled so that SHARE_65_PLUS comes out.
OLDER_WEIGHT_SINGLES = 0.42
OLDER_WEIGHT_COUPLES = 0.45

# Age structure (CBS StatLine "Bevolking; kerncijfers", 2024): about 20% of residents are 65+.
SHARE_65_PLUS = 0.20

# Migration background (CBS "Bevolking; migratieachtergrond", 2022-2023: about 25-26%).
SHARE_MIGRATION_BACKGROUND = 0.25

# Informal carers (SCP "Informele hulp in Nederland", 2022: about a third of adults help someone
# at some time; about one in ten residents gives long or intensive care): target ~10%.
SHARE_INFORMAL_CARERS = 0.10

# Affluence mix of the neighbourhoods: a mid-sized Dutch city has about a third of its
# neighbourhoods with low incomes (CBS "Kerncijfers wijken en buurten", income quintiles).
AFFLUENCE_SHARES: dict[str, float] = {"low": 0.30, "middle": 0.45, "high": 0.25}

# Share of households living in a flat (meergezinswoning) by affluence: nationally about 35-40%
# (CBS "Woningvoorraad naar woningtype"), far higher in the post-war districts of low income.
FLAT_SHARE_BY_AFFLUENCE: dict[str, float] = {"low": 0.80, "middle": 0.42, "high": 0.15}

# Relative likelihood of a migration background by affluence (lower-income neighbourhoods of the
# big cities have far more residents with a migration background; CBS "Kerncijfers wijken en
# buurten"). Scaled so that SHARE_MIGRATION_BACKGROUND holds for the city as a whole.
MIGRATION_FACTOR_BY_AFFLUENCE: dict[str, float] = {"low": 1.8, "middle": 0.85, "high": 0.45}
# Residents 65+ less often have a migration background (about 14% of 65+ against 25% overall).
MIGRATION_FACTOR_OLDER_HOUSEHOLD = 0.6

# Low digital skills by age (CBS "Digitale vaardigheden", 2023: lacking basic skills rises
# steeply with age; roughly half of those 75+).
LOW_DIGITAL_SKILLS_BY_AGE: tuple[tuple[int, float], ...] = ((16, 0.0), (45, 0.05), (65, 0.14), (75, 0.33), (200, 0.58))
# Limited mobility by age (CBS Gezondheidsenquête: mobility limitations mostly from 75 on).
LIMITED_MOBILITY_BY_AGE: tuple[tuple[int, float], ...] = ((65, 0.03), (75, 0.10), (85, 0.26), (200, 0.50))
# Relative chance of giving informal care by age (SCP: most carers are 45-64).
INFORMAL_CARE_WEIGHT_BY_AGE: tuple[tuple[int, float], ...] = ((18, 0.0), (45, 0.8), (65, 1.4), (75, 1.0), (200, 0.45))

# Contact details known to the welfare organisation, for adults.
PHONE_SHARE_ADULTS = 0.70
EMAIL_SHARE_ADULTS = 0.40

# City shape: a dense Dutch urban area has about 6,000 residents per km²; a CBS buurt in a city
# has one to a few thousand residents, and a wijk groups a few buurten.
RESIDENTS_PER_NEIGHBOURHOOD = 2000
NEIGHBOURHOODS_PER_DISTRICT = 3
DENSITY_PER_KM2 = 6000
GRID_ORIGIN = (120_000.0, 480_000.0)  # bottom-left corner, metres on an RD-like grid

# Workers: a few professionals per team, volunteers about 1 per 160 residents and basisbaan
# workers about 1 per 1,600, so together about 1 per 150 residents.
PROFESSIONALS_PER_TEAM = (3, 5)
RESIDENTS_PER_VOLUNTEER = 160
RESIDENTS_PER_BASISBAAN = 1600

# Contact history: two years ending today, with the channel mix shifting at a lockdown date
# (default half a year ago, so the dashboards' default twelve months compare six months before it
# with six after), as the 2021 Movisie publication "Hoopvol en kwetsbaar" describes.
HISTORY_DAYS = 730
LOCKDOWN_DAYS_AGO = 182


@dataclass(frozen=True)
class CityConfig:
    """The knobs of one generated city; the defaults are the calibration above."""

    residents: int
    seed: int
    reference_year: int
    city_name: str = "Veerstad"
    municipality_code: str = "0999"  # four digits, as in CBS codes GM0999 / WK099901 / BU09990101
    share_65_plus: float = SHARE_65_PLUS
    share_migration_background: float = SHARE_MIGRATION_BACKGROUND
    share_informal_carers: float = SHARE_INFORMAL_CARERS
    household_type_shares: dict[str, float] = field(default_factory=lambda: dict(HOUSEHOLD_TYPE_SHARES))
    affluence_shares: dict[str, float] = field(default_factory=lambda: dict(AFFLUENCE_SHARES))
    flat_share_by_affluence: dict[str, float] = field(default_factory=lambda: dict(FLAT_SHARE_BY_AFFLUENCE))
    residents_per_neighbourhood: int = RESIDENTS_PER_NEIGHBOURHOOD
    history_days: int = HISTORY_DAYS
    lockdown_days_ago: int = LOCKDOWN_DAYS_AGO

    def __post_init__(self) -> None:
        if self.residents < 1:
            raise ValueError("a city needs at least one resident")
        if not (len(self.municipality_code) == 4 and self.municipality_code.isdigit()):
            raise ValueError("the municipality code is four digits")
        for name in ("share_65_plus", "share_migration_background", "share_informal_carers"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must lie between 0 and 1")
        if not 0 <= self.lockdown_days_ago <= self.history_days:
            raise ValueError("the lockdown date must lie within the contact history")


def bracket(table: tuple[tuple[int, float], ...], age: int) -> float:
    """The value for ``age`` in a table of (exclusive upper age, value) rows."""
    for upper, value in table:
        if age < upper:
            return value
    return table[-1][1]
