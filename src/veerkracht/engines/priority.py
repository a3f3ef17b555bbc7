"""Which doors matter most today: a resident's outreach priority from what the platform knows.

The formula (docs/adr/0011-outreach-rounds.md), in points, each term with its own weight that an
organisation may change:

    priority = concern × Σ severity of the open concerns
             + overdue × the number of open concerns past their due date
             + unseen × whole weeks since the last contact (capped at ``max_weeks``;
                        never reached counts as ``max_weeks``)
             + marker × the number of vulnerability markers
             + flag   when a worker flagged the door ("visit this door")
             + not_home × the attempts nobody answered in the last two weeks (at most 3),
                        so a door not reached comes back the next day a little higher

A resident who refused a talk less than ``refused_rest_days`` ago gets priority 0: they are left
alone for a while. Priority 0 is never visited (the routing engine skips it). Every term that
adds points is returned as a ``Reason``, so the plan can say why each door is on it.
"""

from dataclasses import dataclass

MAX_NOT_HOME_COUNTED = 3  # more unanswered knocks than this say nothing new


@dataclass(frozen=True)
class Weights:
    """Points per unit of each term; all whole numbers of at least 0."""

    concern: int = 10  # per point of severity (1-3) of each open concern
    overdue: int = 10  # per open concern past its due date
    unseen: int = 2  # per whole week without contact
    max_weeks: int = 26
    marker: int = 5  # per vulnerability marker
    flag: int = 40  # a worker asked for a visit
    not_home: int = 3  # per unanswered knock in the last two weeks
    refused_rest_days: int = 30

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"the weight {name} must be a whole number of at least 0, not {value!r}")


@dataclass(frozen=True)
class Facts:
    """What the platform knows about one resident, as plain numbers."""

    concern_severities: tuple[int, ...] = ()  # of the open concerns
    overdue_concerns: int = 0
    days_since_contact: int | None = None  # None: never reached
    markers: int = 0
    flagged: bool = False
    not_home_attempts: int = 0  # in the last two weeks
    refused_days_ago: int | None = None  # the last refusal at the door


@dataclass(frozen=True)
class Reason:
    """One term of the formula: its code, how many of it (concerns, weeks, markers, ...) and its points."""

    code: str  # concerns, overdue, unseen, never_reached, markers, flag, not_home, refused
    count: int
    points: int


@dataclass(frozen=True)
class Priority:
    points: int
    reasons: tuple[Reason, ...]


def priority(facts: Facts, weights: Weights) -> Priority:
    """The resident's priority and the reasons that add up to it (largest first)."""
    if facts.refused_days_ago is not None and facts.refused_days_ago < weights.refused_rest_days:
        return Priority(0, (Reason("refused", facts.refused_days_ago, 0),))
    terms = [
        Reason("concerns", len(facts.concern_severities), weights.concern * sum(facts.concern_severities)),
        Reason("overdue", facts.overdue_concerns, weights.overdue * facts.overdue_concerns),
        _unseen(facts.days_since_contact, weights),
        Reason("markers", facts.markers, weights.marker * facts.markers),
        Reason("flag", int(facts.flagged), weights.flag * int(facts.flagged)),
        _not_home(facts.not_home_attempts, weights),
    ]
    reasons = tuple(sorted((term for term in terms if term.points > 0), key=lambda term: -term.points))
    return Priority(sum(term.points for term in reasons), reasons)


def _unseen(days: int | None, weights: Weights) -> Reason:
    if days is None:
        return Reason("never_reached", weights.max_weeks, weights.unseen * weights.max_weeks)
    weeks = min(max(days, 0) // 7, weights.max_weeks)
    return Reason("unseen", weeks, weights.unseen * weeks)


def _not_home(attempts: int, weights: Weights) -> Reason:
    counted = min(max(attempts, 0), MAX_NOT_HOME_COUNTED)
    return Reason("not_home", counted, weights.not_home * counted)
