"""The demo city's neighbour help: offers of its volunteers and basisbaan workers, and open requests.

Requests come from residents who consent to neighbour help, mostly older people, people living
alone and people with limited mobility; about one in sixty residents has one open, so the demo of
20,000 has a few hundred for "match now". The demo volunteer login has an offer of its own.
"""

import random
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from veerkracht.core.models import Organisation, User
from veerkracht.core.roles import Role
from veerkracht.help.models import HelpOffer, HelpRequest, Recurrence, RequestEvent
from veerkracht.help.vocabulary import PARTS, moment_bit
from veerkracht.people.models import Household, Resident

RESIDENTS_PER_REQUEST = 60
KIND_WEIGHTS = {"groceries": 30, "company": 20, "digital": 15, "transport": 10, "meal": 10, "walk": 10, "odd_jobs": 5}
DESCRIPTIONS = {
    "groceries": "Boodschappen bij de supermarkt om de hoek.",
    "company": "Een kopje koffie en een praatje.",
    "digital": "Hulp met de telefoon en videobellen met de kleinkinderen.",
    "transport": "Naar de huisarts en weer terug.",
    "meal": "Een warme maaltijd.",
    "walk": "Samen een rondje lopen.",
    "odd_jobs": "Een lamp ophangen.",
}


def _availability(rng: random.Random) -> int:
    """A few weekday parts, as volunteers give them: often afternoons, some evenings and Saturdays."""
    mask = 0
    for _ in range(rng.randint(3, 8)):
        mask |= moment_bit(rng.randrange(6), rng.choice((0, 1, 1, 2)))
    return mask


def _offers(organisation: Organisation, rng: random.Random) -> list[HelpOffer]:
    helpers = User.objects.filter(organisation=organisation, role__in=(Role.VOLUNTEER, Role.BASISBAAN)).order_by("pk")
    homes = list(Household.objects.filter(organisation=organisation).values_list("neighbourhood_id", "x", "y"))
    offers = []
    for helper in helpers:
        neighbourhood_id, x, y = rng.choice(homes)
        kinds = rng.sample(list(KIND_WEIGHTS), rng.randint(1, 3))
        if helper.username == "volunteer":
            kinds = sorted({*kinds, "groceries", "company"})  # the demo login always has work
        offers.append(
            HelpOffer(
                organisation=organisation,
                helper=helper,
                neighbourhood_id=neighbourhood_id,
                kinds=kinds,
                availability=(1 << (7 * PARTS)) - 1 if helper.username == "volunteer" else _availability(rng),
                x=x,
                y=y,
                radius_m=rng.choice((800, 1200, 1500, 2000, 3000)),
                languages=["nl"] + (["tr"] if rng.random() < 0.12 else []) + (["ar"] if rng.random() < 0.08 else []),
                max_open_tasks=rng.randint(1, 3),
            )
        )
    return HelpOffer.objects.bulk_create(offers)


def _requests(organisation: Organisation, rng: random.Random, count: int) -> list[HelpRequest]:
    this_year = timezone.localdate().year
    candidates = list(
        Resident.objects.filter(organisation=organisation, consent_help_exchange=True, household__isnull=False)
        .filter(Q(birth_year__lte=this_year - 75) | Q(lives_alone=True) | Q(limited_mobility=True))
        .values_list("pk", "languages", "neighbourhood_id")
    )
    workers = list(User.objects.filter(organisation=organisation, role=Role.PROFESSIONAL).values_list("pk", flat=True))
    today, now = timezone.localdate(), timezone.now()
    requests = []
    for resident_id, languages, _neighbourhood in rng.sample(candidates, min(count, len(candidates))):
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        weekly = kind in ("company", "walk", "groceries") and rng.random() < 0.4
        first = today - timedelta(days=rng.randint(0, 20))
        requests.append(
            HelpRequest(
                organisation=organisation,
                resident_id=resident_id,
                kind=kind,
                recurrence=Recurrence.WEEKLY if weekly else Recurrence.ONCE,
                first_day=first,
                last_day=None if weekly else today + timedelta(days=rng.randint(2, 14)),
                weekday=rng.randrange(6) if weekly else None,
                part_of_day=rng.choice((None, 0, 1)),
                language=next((code for code in languages if code != "nl"), "") if rng.random() < 0.5 else "",
                description=DESCRIPTIONS[kind],
                created_by_id=rng.choice(workers),
                created_at=now - timedelta(days=(today - first).days, hours=rng.randint(0, 8)),
            )
        )
    created = HelpRequest.objects.bulk_create(requests)
    RequestEvent.objects.bulk_create(
        RequestEvent(request=r, status="open", by_id=r.created_by_id, at=r.created_at) for r in created
    )
    return created


def demo_help_write(organisation: Organisation, seed: int, residents: int) -> dict[str, int]:
    """Write the offers and the open requests; returns the counts."""
    rng = random.Random(f"{seed}/help")
    offers = _offers(organisation, rng)
    requests = _requests(organisation, rng, max(1, residents // RESIDENTS_PER_REQUEST))
    return {"help offers": len(offers), "help requests": len(requests)}
