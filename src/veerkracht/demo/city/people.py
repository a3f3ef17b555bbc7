"""Who lives where: household compositions, ages, origins, names, languages and markers."""

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from veerkracht.demo.city import config as cal
from veerkracht.demo.city.names import ORIGIN_BY_KEY, ORIGINS, NamePools, ascii_slug
from veerkracht.demo.city.specs import ResidentSpec

# Age bands (lowest, highest, weight) for the people who live in each kind of household.
OLDER_SINGLE_AGES = ((65, 74, 0.40), (75, 84, 0.38), (85, 99, 0.22))
OLDER_COUPLE_AGES = ((65, 74, 0.55), (75, 84, 0.35), (85, 95, 0.10))
YOUNGER_SINGLE_AGES = ((18, 29, 0.35), (30, 44, 0.30), (45, 64, 0.35))
YOUNGER_COUPLE_AGES = ((20, 34, 0.40), (35, 64, 0.60))
WESTERN_ORIGINS = frozenset({"german", "western", "indonesian"})
CONSENT_SHARE = 0.85  # adults in the register who gave consent to be contacted (AVG)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")  # reserved (RFC 2606): never a real inbox


@dataclass(slots=True)
class Member:
    age: int
    female: bool
    first_generation: bool = False


@dataclass(slots=True)
class HouseholdPlan:
    """A household before it has an address."""

    kind: str
    origin: str | None
    members: list[Member] = field(default_factory=list)


class HouseholdPlanner:
    """Draws household compositions calibrated on the shares in :mod:`config`."""

    def __init__(self, rng: random.Random, config: cal.CityConfig, affluence_mix: dict[str, float]) -> None:
        self._rng = rng
        shares = config.household_type_shares
        self._kinds = list(shares)
        self._makers: dict[str, Callable[[], list[Member]]] = {
            "single": self._members_single,
            "couple": self._members_couple,
            "family": self._members_family,
            "single_parent": self._members_single_parent,
            "shared": self._members_shared,
        }
        if unknown := set(self._kinds) - set(self._makers):
            raise ValueError(f"unknown household types: {sorted(unknown)}")
        self._kind_cum = list(itertools.accumulate(shares[kind] for kind in self._kinds))
        self._older_single, self._older_couple = _older_chances(shares, config.share_65_plus)
        # Residents 65+ less often have a migration background; the young make up for it.
        young_factor = (1 - cal.MIGRATION_FACTOR_OLDER_HOUSEHOLD * config.share_65_plus) / max(
            1e-9, 1 - config.share_65_plus
        )
        mean_factor = sum(cal.MIGRATION_FACTOR_BY_AFFLUENCE[level] * share for level, share in affluence_mix.items())
        self._migration = {
            (level, older): config.share_migration_background
            * factor
            / mean_factor
            * (cal.MIGRATION_FACTOR_OLDER_HOUSEHOLD if older else young_factor)
            for level, factor in cal.MIGRATION_FACTOR_BY_AFFLUENCE.items()
            for older in (False, True)
        }
        self._origin_keys = [origin.key for origin in ORIGINS]
        self._origin_cum = {level: list(itertools.accumulate(_origin_weights(level))) for level in affluence_mix}

    def plan(self, affluence: str, residents: int) -> list[HouseholdPlan]:
        """Households for a neighbourhood of exactly ``residents`` people."""
        plans: list[HouseholdPlan] = []
        left = residents
        while left > 0:
            plan = self._household(affluence)
            if len(plan.members) > left:  # the last household takes whoever is left
                del plan.members[left:]
                if len(plan.members) == 1:
                    plan.kind = "single"
            left -= len(plan.members)
            plans.append(plan)
        return plans

    def _household(self, affluence: str) -> HouseholdPlan:
        rng = self._rng
        kind = rng.choices(self._kinds, cum_weights=self._kind_cum)[0]
        members = self._makers[kind]()
        older = members[0].age >= 65
        origin = None
        if rng.random() < self._migration[(affluence, older)]:
            origin = rng.choices(self._origin_keys, cum_weights=self._origin_cum[affluence])[0]
            for member in members:
                member.first_generation = rng.random() < _first_generation_chance(member.age)
        return HouseholdPlan(kind, origin, members)

    def _members_single(self) -> list[Member]:
        older = self._rng.random() < self._older_single
        return [Member(self._age(OLDER_SINGLE_AGES if older else YOUNGER_SINGLE_AGES), self._rng.random() < 0.5)]

    def _members_couple(self) -> list[Member]:
        rng = self._rng
        older = rng.random() < self._older_couple
        head = self._age(OLDER_COUPLE_AGES if older else YOUNGER_COUPLE_AGES)
        low, high = (65, 99) if older else (18, 64)
        partner = min(max(head + rng.randint(-4, 4), low), high)
        return self._pair(head, partner)

    def _members_family(self) -> list[Member]:
        rng = self._rng
        head = rng.randint(25, 55)
        members = self._pair(head, min(max(head + rng.randint(-4, 4), 20), 64))
        children = rng.choices(list(cal.CHILDREN_WEIGHTS_FAMILY), list(cal.CHILDREN_WEIGHTS_FAMILY.values()))[0]
        return members + self._children(min(head, members[1].age), children)

    def _members_single_parent(self) -> list[Member]:
        rng = self._rng
        parent = Member(rng.randint(22, 60), rng.random() < 0.85)
        weights = cal.CHILDREN_WEIGHTS_SINGLE_PARENT
        children = rng.choices(list(weights), list(weights.values()))[0]
        return [parent, *self._children(parent.age, children)]

    def _members_shared(self) -> list[Member]:
        rng = self._rng
        return [Member(rng.randint(18, 30), rng.random() < 0.5) for _ in range(rng.randint(2, 4))]

    def _pair(self, head: int, partner: int) -> list[Member]:
        female = self._rng.random() < 0.5
        same_sex = self._rng.random() < 0.04
        return [Member(head, female), Member(partner, female if same_sex else not female)]

    def _children(self, youngest_parent: int, count: int) -> list[Member]:
        oldest = max(0, min(22, youngest_parent - 20))
        return [Member(self._rng.randint(0, oldest), self._rng.random() < 0.5) for _ in range(count)]

    def _age(self, bands: tuple[tuple[int, int, float], ...]) -> int:
        low, high, _weight = self._rng.choices(bands, [band[2] for band in bands])[0]
        return self._rng.randint(low, high)


def _older_chances(shares: dict[str, float], share_65_plus: float) -> tuple[float, float]:
    """Chances that a single / a couple is 65+, scaled so the city has ``share_65_plus`` of them."""
    mean_family = sum(k * w for k, w in cal.CHILDREN_WEIGHTS_FAMILY.items()) / sum(cal.CHILDREN_WEIGHTS_FAMILY.values())
    weights_sp = cal.CHILDREN_WEIGHTS_SINGLE_PARENT
    mean_single_parent = sum(k * w for k, w in weights_sp.items()) / sum(weights_sp.values())
    sizes = {"single": 1.0, "couple": 2.0, "family": 2 + mean_family, "single_parent": 1 + mean_single_parent}
    mean_size = sum(share * sizes.get(kind, 3.0) for kind, share in shares.items()) / sum(shares.values())
    older_per_household = (
        shares.get("single", 0) * cal.OLDER_WEIGHT_SINGLES + 2 * shares.get("couple", 0) * cal.OLDER_WEIGHT_COUPLES
    ) / sum(shares.values())
    scale = share_65_plus * mean_size / older_per_household if older_per_household else 0.0
    single, couple = scale * cal.OLDER_WEIGHT_SINGLES, scale * cal.OLDER_WEIGHT_COUPLES
    if single > 1 or couple > 1:
        raise ValueError("share_65_plus is too high for the household composition")
    return single, couple


def _origin_weights(affluence: str) -> list[float]:
    # Western origins lean to the better-off neighbourhoods, the others to the less affluent ones.
    boost = {"low": (0.6, 1.3), "middle": (1.0, 1.0), "high": (2.0, 0.6)}[affluence]
    return [origin.weight * boost[0 if origin.key in WESTERN_ORIGINS else 1] for origin in ORIGINS]


def _first_generation_chance(age: int) -> float:
    return 0.85 if age >= 45 else 0.5 if age >= 18 else 0.12


class ResidentMaker:
    """Turns household plans into residents with names, contact details, languages and markers."""

    def __init__(self, rng: random.Random, config: cal.CityConfig, pools: NamePools, plans: list[HouseholdPlan]):
        self._rng = rng
        self._year = config.reference_year
        self._pools = pools
        # Scale the age weights of informal care so the city as a whole hits the target share.
        total_weight = sum(cal.bracket(cal.INFORMAL_CARE_WEIGHT_BY_AGE, m.age) for p in plans for m in p.members)
        people = sum(len(plan.members) for plan in plans)
        self._care_scale = config.share_informal_carers * people / total_weight if total_weight else 0.0

    def residents(self, plan: HouseholdPlan, household_index: int, neighbourhood_index: int) -> list[ResidentSpec]:
        """The residents of one household."""
        rng = self._rng
        family_name = self._pools.surname(rng, plan.origin)
        alone = len(plan.members) == 1
        result = []
        for position, member in enumerate(plan.members):
            # Partners often keep their own surname; children take the head's.
            own = position == 1 and member.age >= 18 and rng.random() < 0.55
            prefix, surname = self._pools.surname(rng, plan.origin) if own else family_name
            result.append(self._resident(plan, member, prefix, surname, alone, household_index, neighbourhood_index))
        return result

    def _resident(
        self, plan: HouseholdPlan, member: Member, prefix: str, surname: str, alone: bool, household: int, nbh: int
    ) -> ResidentSpec:
        rng = self._rng
        age = member.age
        birth_year = self._year - age
        first = self._pools.first_name(rng, plan.origin, member.female, birth_year)
        migrant = plan.origin is not None
        digital_chance = cal.bracket(cal.LOW_DIGITAL_SKILLS_BY_AGE, age) * (1.4 if member.first_generation else 1.0)
        low_digital = rng.random() < digital_chance
        care_chance = cal.bracket(cal.INFORMAL_CARE_WEIGHT_BY_AGE, age) * self._care_scale
        languages = self._languages(plan.origin, member)
        phone = self._phone(age)
        email = self._email(age, low_digital, first, prefix, surname)
        needs_key_figure = "nl" not in languages and age >= 55 and rng.random() < 0.6
        consent = self._consent(age, phone, email)
        return ResidentSpec(
            household_index=household,
            neighbourhood_index=nbh,
            first_name=first,
            surname_prefix=prefix,
            last_name=surname,
            birth_year=birth_year,
            phone=phone,
            email=email,
            languages=languages,
            migration_background=migrant,
            lives_alone=alone,
            older_migrant=migrant and age >= 65,
            low_digital_skills=low_digital,
            limited_mobility=rng.random() < cal.bracket(cal.LIMITED_MOBILITY_BY_AGE, age),
            informal_carer=rng.random() < care_chance,
            interpreter_needed="nl" not in languages,
            key_figure_needed=needs_key_figure,
            key_figure=self._key_figure(plan.origin) if needs_key_figure and rng.random() < 0.5 else "",
            preferred_channel=self._preferred_channel(age, low_digital, phone, email),
            **consent,
        )

    def _key_figure(self, origin: str | None) -> str:
        """A sleutelpersoon from the resident's own community, as a worker would note them."""
        rng = self._rng
        first = self._pools.first_name(rng, origin, rng.random() < 0.6, self._year - rng.randint(35, 65))
        prefix, surname = self._pools.surname(rng, origin)
        name = " ".join(part for part in (first, prefix, surname) if part)
        return f"{name}, 06-{rng.randrange(10_000_000, 100_000_000)}"

    def _preferred_channel(self, age: int, low_digital: bool, phone: str, email: str) -> str:
        """Older and less digital residents prefer a visit or a call; the others an app."""
        rng = self._rng
        if age < 16 or rng.random() < 0.35:  # not asked (yet)
            return ""
        if age >= 75 or low_digital:
            options = {"home_visit": 0.4, "phone": 0.4 if phone else 0.0, "face_to_face": 0.2}
        else:
            options = {"messaging": 0.4 if phone else 0.0, "phone": 0.25 if phone else 0.0, "face_to_face": 0.2}
            options["email"] = 0.15 if email else 0.0
            options["video_call"] = 0.05
        return rng.choices(list(options), list(options.values()))[0]

    def _consent(self, age: int, phone: str, email: str) -> dict[str, Any]:
        """The AVG consents recorded for an adult; children are in the register without them."""
        rng = self._rng
        if age < 16 or rng.random() >= CONSENT_SHARE:
            return {
                "consent_days_ago": None,
                "consent_sms": False,
                "consent_email": False,
                "consent_help_exchange": False,
                "consent_activities": False,
            }
        return {
            "consent_days_ago": rng.randint(0, 3 * 365),
            "consent_sms": bool(phone) and rng.random() < 0.6,
            "consent_email": bool(email) and rng.random() < 0.7,
            "consent_help_exchange": rng.random() < 0.5,
            "consent_activities": rng.random() < 0.7,
        }

    def _phone(self, age: int) -> str:
        if age < 16 or self._rng.random() >= cal.PHONE_SHARE_ADULTS:
            return ""
        return f"06-{self._rng.randrange(10_000_000, 100_000_000)}"

    def _email(self, age: int, low_digital: bool, first: str, prefix: str, surname: str) -> str:
        rng = self._rng
        chance = cal.EMAIL_SHARE_ADULTS * (0.1 if low_digital else 1.0) * (0.5 if age >= 75 else 1.0)
        if age < 16 or rng.random() >= chance:
            return ""
        local = f"{ascii_slug(first)}.{ascii_slug(prefix + surname)}"
        if rng.random() < 0.4:
            local += str(rng.randint(1, 99))
        return f"{local}@{rng.choice(EMAIL_DOMAINS)}"

    def _languages(self, origin_key: str | None, member: Member) -> tuple[str, ...]:
        rng = self._rng
        if origin_key is None:
            # English as a second language among working-age Dutch.
            return ("nl", "en") if 16 <= member.age < 65 and rng.random() < 0.3 else ("nl",)
        origin = ORIGIN_BY_KEY[origin_key]
        first_generation = member.first_generation
        speaks_dutch = rng.random() < (origin.dutch_first_generation if first_generation else 0.98)
        native = tuple(
            code for code, first, second in origin.languages if rng.random() < (first if first_generation else second)
        )
        if not speaks_dutch and not native:
            native = (origin.languages[0][0],)
        if first_generation:  # their mother tongue first
            return native + (("nl",) if speaks_dutch else ())
        return (("nl",) if speaks_dutch else ()) + native
