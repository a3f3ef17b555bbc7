"""Two years of contact history and concerns, with the channel mix of the 2021 figures.

Before the lockdown face-to-face is 55% of contacts and video calls 0.5% of contact time; after
it face-to-face falls to 12% of contacts and video calls rise to 20% of contact time (Movisie,
"Hoopvol en kwetsbaar", 2021). The weights of those two channels are solved from the targets, so
the generated history meets them in expectation whatever the other channels do.
"""

import math
import random
from dataclasses import dataclass, field

from veerkracht.demo.city.config import CityConfig
from veerkracht.demo.city.specs import City, ResidentSpec

# Typical duration in minutes per channel (a visit takes longer than a text message).
DURATION = {
    "face_to_face": 30,
    "home_visit": 45,
    "porch_talk": 15,
    "intercom": 8,
    "walk": 40,
    "balcony": 15,
    "phone": 15,
    "video_call": 30,
    "messaging": 5,
    "email": 5,
    "webinar": 60,
    "activity": 60,
}
# Relative weights of the other channels, before and after the lockdown.
OTHERS_BEFORE = {
    "phone": 0.22,
    "home_visit": 0.08,
    "activity": 0.06,
    "messaging": 0.04,
    "email": 0.03,
    "walk": 0.01,
    "porch_talk": 0.005,
    "intercom": 0.003,
    "balcony": 0.002,
    "webinar": 0.001,
}
OTHERS_AFTER = {
    "phone": 0.35,
    "messaging": 0.15,
    "walk": 0.06,
    "porch_talk": 0.06,
    "intercom": 0.05,
    "email": 0.05,
    "balcony": 0.04,
    "home_visit": 0.03,
    "webinar": 0.02,
    "activity": 0.02,
}
TARGETS_BEFORE = (0.55, 0.005)  # face-to-face share of contacts, video-call share of contact time
TARGETS_AFTER = (0.12, 0.20)
# Contacts per month by how many vulnerability markers a resident has (0, 1, 2, 3+), and for clients.
RATE_BY_MARKERS = (0.01, 0.08, 0.2, 0.3)
RATE_CLIENT = 1.0
NOT_REACHED = {"phone": 0.2, "intercom": 0.3, "porch_talk": 0.25, "home_visit": 0.1}
DEFAULT_NOT_REACHED = 0.03
TOPIC_CODES = (
    "loneliness",
    "money",
    "health",
    "housing",
    "safety",
    "food",
    "digital",
    "care",
    "activities",
    "neighbours",
)
NOTES = (
    "Gaat redelijk, belt zelf als er iets is.",
    "Boodschappenhulp besproken.",
    "Voelt zich eenzaam sinds de buurvrouw verhuisde.",
    "Wil graag meedoen met de koffieochtend.",
    "Hulp nodig bij het aanvragen van toeslagen.",
    "Zoon komt minder langs.",
    "Uitleg gegeven over beeldbellen met de tablet.",
    "Afspraak gemaakt voor een wandeling volgende week.",
    "",
    "Maakt zich zorgen over de huur.",
    "Heeft een doorverwijzing naar de huisarts gekregen.",
    "",
    "",
)
CONCERN_CATEGORIES = (
    ("loneliness", 0.3),
    ("money", 0.15),
    ("health", 0.15),
    ("housing", 0.1),
    ("digital_exclusion", 0.08),
    ("food", 0.07),
    ("care_for_others", 0.05),
    ("safety", 0.05),
    ("other", 0.05),
)
REFERRALS = (
    "",
    "huisarts",
    "wijkteam",
    "schuldhulpverlening",
    "woningcorporatie",
    "voedselbank",
    "mantelzorgsteunpunt",
)
CONCERN_CHANCE_BY_MARKERS = (0.0, 0.03, 0.06, 0.1)
CONCERN_CHANCE_CLIENT = 0.4


@dataclass(frozen=True, slots=True)
class ContactSpec:
    resident_indices: tuple[int, ...]
    staff_index: int
    days_ago: int
    minute_of_day: int
    duration_minutes: int
    channel: str
    reached: bool
    language: str
    interpreter: bool
    initiative: str
    topics: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class ConcernSpec:
    resident_index: int
    staff_index: int
    category: str
    severity: int
    days_ago: int
    due_days_ago: int  # negative: due in the future
    steps: tuple[tuple[int, str], ...]  # (days ago, status) after being raised, oldest first
    referral_target: str
    description: str


@dataclass(slots=True)
class History:
    contacts: list[ContactSpec] = field(default_factory=list)
    concerns: list[ConcernSpec] = field(default_factory=list)
    # resident index -> (days ago, minute of day) of the last contact that reached them
    last_reached: dict[int, tuple[int, int]] = field(default_factory=dict)


def _expected_minutes(channel: str) -> float:
    """Mean duration including attempts, which take about a minute."""
    missed = NOT_REACHED.get(channel, DEFAULT_NOT_REACHED)
    return (1 - missed) * DURATION[channel] + missed * 1.0


def calibrated_mix(others: dict[str, float], face_share: float, video_time_share: float) -> dict[str, float]:
    """Channel weights in which face-to-face and video calls meet their targets exactly.

    With the other channels fixed, the two unknown weights solve a 2x2 linear system:
    f = p (f + v + R) and v d_v = t (f d_f + v d_v + Q), where R and Q are the other channels'
    total weight and weighted duration.
    """
    rest, rest_time = sum(others.values()), sum(w * _expected_minutes(c) for c, w in others.items())
    d_face, d_video = _expected_minutes("face_to_face"), _expected_minutes("video_call")
    # a11 f + a12 v = b1 ; a21 f + a22 v = b2
    a11, a12, b1 = 1 - face_share, -face_share, face_share * rest
    a21, a22, b2 = -video_time_share * d_face, d_video * (1 - video_time_share), video_time_share * rest_time
    determinant = a11 * a22 - a12 * a21
    face = (b1 * a22 - a12 * b2) / determinant
    video = (a11 * b2 - a21 * b1) / determinant
    return {"face_to_face": face, "video_call": video, **others}


def _markers(resident: ResidentSpec, reference_year: int) -> int:
    flags = (
        resident.lives_alone,
        resident.older_migrant,
        resident.low_digital_skills,
        resident.limited_mobility,
        resident.informal_carer,
        resident.birth_year <= reference_year - 75,
    )
    return sum(flags)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; the means here are small."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


class HistoryPlanner:
    """Draws every resident's contacts and concerns over the history window."""

    def __init__(self, rng: random.Random, city: City, config: CityConfig) -> None:
        self._rng, self._city, self._config = rng, city, config
        self._before = calibrated_mix(OTHERS_BEFORE, *TARGETS_BEFORE)
        self._after = calibrated_mix(OTHERS_AFTER, *TARGETS_AFTER)
        self._workers = self._professionals_by_neighbourhood()
        self._housemates: dict[int, list[int]] = {}
        for index, resident in enumerate(city.residents):
            self._housemates.setdefault(resident.household_index, []).append(index)

    def _professionals_by_neighbourhood(self) -> dict[int, list[int]]:
        by_team: dict[int, list[int]] = {}
        for index, member in enumerate(self._city.staff):
            if member.role == "professional":
                for team_index in member.team_indices:
                    by_team.setdefault(team_index, []).append(index)
        workers: dict[int, list[int]] = {}
        for team_index, team_spec in enumerate(self._city.teams):
            for neighbourhood in team_spec.neighbourhood_indices:
                workers[neighbourhood] = by_team.get(team_index, [])
        return workers

    def plan(self) -> History:
        history = History()
        for index, resident in enumerate(self._city.residents):
            workers = self._workers.get(resident.neighbourhood_index) or []
            if not workers:
                continue
            markers = min(_markers(resident, self._config.reference_year), 3)
            client = resident.assigned_staff_index is not None
            rate = RATE_CLIENT if client else RATE_BY_MARKERS[markers]
            for _ in range(_poisson(self._rng, rate * self._config.history_days / 30.4)):
                self._contact(history, index, resident, workers)
            concern_chance = CONCERN_CHANCE_CLIENT if client else CONCERN_CHANCE_BY_MARKERS[markers]
            if self._rng.random() < concern_chance:
                history.concerns.append(self._concern(index, resident, workers))
        return history

    def _worker(self, resident: ResidentSpec, workers: list[int]) -> int:
        if resident.assigned_staff_index is not None and self._rng.random() < 0.7:
            return resident.assigned_staff_index
        return self._rng.choice(workers)

    def _channel(self, days_ago: int) -> str:
        mix = self._after if days_ago <= self._config.lockdown_days_ago else self._before
        return self._rng.choices(list(mix), weights=list(mix.values()))[0]

    def _contact(self, history: History, index: int, resident: ResidentSpec, workers: list[int]) -> None:
        rng = self._rng
        days_ago = rng.randrange(self._config.history_days)
        minute = rng.randrange(9 * 60, 17 * 60 + 30)
        channel = self._channel(days_ago)
        reached = rng.random() >= NOT_REACHED.get(channel, DEFAULT_NOT_REACHED)
        mean = DURATION[channel]
        duration = max(1, round(rng.gauss(mean, mean / 4))) if reached else rng.choice((0, 1, 2))
        others = [mate for mate in self._housemates[resident.household_index] if mate != index]
        together = (
            (index, others[0])
            if others and channel in ("home_visit", "porch_talk") and rng.random() < 0.3
            else (index,)
        )
        own_language = next((code for code in resident.languages if code != "nl"), "")
        interpreter = resident.interpreter_needed and rng.random() < 0.6
        corona = days_ago <= self._config.lockdown_days_ago and rng.random() < 0.15
        topics = tuple(
            sorted({rng.choice(TOPIC_CODES) for _ in range(rng.randint(1, 2))} | ({"corona"} if corona else set()))
        )
        history.contacts.append(
            ContactSpec(
                resident_indices=together,
                staff_index=self._worker(resident, workers),
                days_ago=days_ago,
                minute_of_day=minute,
                duration_minutes=duration,
                channel=channel,
                reached=reached,
                language=own_language if interpreter else "nl" if "nl" in resident.languages else own_language,
                interpreter=interpreter,
                initiative="resident" if rng.random() < 0.25 else "worker",
                topics=topics,
                note=rng.choice(NOTES) if reached else "",
            )
        )
        if reached:
            for member in together:
                if (days_ago, -minute) < _recency(history.last_reached.get(member)):
                    history.last_reached[member] = (days_ago, minute)

    def _concern(self, index: int, resident: ResidentSpec, workers: list[int]) -> ConcernSpec:
        rng = self._rng
        days_ago = rng.randrange(self._config.history_days)
        category = rng.choices([c for c, _w in CONCERN_CATEGORIES], weights=[w for _c, w in CONCERN_CATEGORIES])[0]
        referral = rng.choice(REFERRALS)
        return ConcernSpec(
            resident_index=index,
            staff_index=self._worker(resident, workers),
            category=category,
            severity=rng.choices((1, 2, 3), weights=(0.4, 0.4, 0.2))[0],
            days_ago=days_ago,
            due_days_ago=days_ago - rng.randint(14, 42),
            steps=self._steps(days_ago, referral),
            referral_target=referral,
            description="",
        )

    def _steps(self, days_ago: int, referral: str) -> tuple[tuple[int, str], ...]:
        """The status changes after raising: older concerns are mostly closed."""
        rng = self._rng
        final = rng.choices(
            ("open", "in_progress", "referred", "closed"),
            weights=((0.05, 0.1, 0.1, 0.75) if days_ago > 60 else (0.4, 0.4, 0.2, 0.0)),
        )[0]
        path = {
            "open": (),
            "in_progress": ("in_progress",),
            "referred": ("in_progress", "referred"),
            "closed": ("in_progress", "referred", "closed") if referral else ("in_progress", "closed"),
        }[final]
        steps, moment = [], days_ago
        for status in path:
            moment = max(0, moment - rng.randint(1, 20))
            steps.append((moment, status))
        return tuple(steps)


def _recency(last: tuple[int, int] | None) -> tuple[int, int]:
    """Sort key: fewer days ago, then a later minute, is more recent."""
    return (10**9, 0) if last is None else (last[0], -last[1])


def plan_history(rng: random.Random, city: City, config: CityConfig) -> History:
    """The contact history and concerns of ``city``'s residents."""
    return HistoryPlanner(rng, city, config).plan()
