"""Help-matching benchmark cities for `veerkracht.engines.matching`.

The distribution below is fixed draw for draw (the order of the random draws is part of it), so a
seed names one city and results from different runs and machines compare:

Density follows a large Dutch city: about 16 open requests per km², clustered around neighbourhood
centres (one per 150 requests); volunteers reach 0.5, 1 or 2 km, take 1-3 tasks, offer 1-4 kinds of
help and speak Dutch plus 0-2 other languages; 30% of requests prefer a language, 10% had a
volunteer before. The area grows with the number of requests, so a 100,000-request instance is a
country of cities, not one impossibly dense city.
"""

import math
import random

from veerkracht.engines.matching import Request, Volunteer, Weights

KINDS = ["groceries", "meal", "company", "walk", "transport", "digital", "odd_jobs"]
LANGUAGES = ["nl", "tr", "ar", "ber", "pap", "pl", "en"]
WEIGHTS = Weights(language_mismatch_m=1500.0, continuity_bonus_m=1000.0)
REQUESTS_PER_KM2 = 16.0
REQUESTS_PER_CENTRE = 150


def city(requests: int, volunteers: int, seed: int) -> tuple[list[Request], list[Volunteer]]:
    """The requests and volunteers of one generated city."""
    rnd = random.Random(seed)  # noqa: S311 - a reproducible city, not a secret
    side = 1000.0 * math.sqrt(requests / REQUESTS_PER_KM2)  # metres
    centres = [(rnd.uniform(0, side), rnd.uniform(0, side)) for _ in range(max(2, requests // REQUESTS_PER_CENTRE))]

    def near(spread: float) -> tuple[float, float]:
        cx, cy = rnd.choice(centres)
        return cx + rnd.gauss(0, spread), cy + rnd.gauss(0, spread)

    request_list = []
    for _ in range(requests):
        x, y = near(900.0)
        language = rnd.choice(LANGUAGES[1:]) if rnd.random() < 0.3 else None
        previous = rnd.randrange(volunteers) if rnd.random() < 0.1 else None
        request_list.append(Request(round(x, 1), round(y, 1), rnd.choice(KINDS), language, previous))
    volunteer_list = []
    for _ in range(volunteers):
        x, y = near(1300.0)
        radius = rnd.choice([500.0, 1000.0, 2000.0])
        capacity = rnd.randint(1, 3)
        kinds = frozenset(rnd.sample(KINDS, rnd.randint(1, 4)))
        languages = frozenset(["nl", *rnd.sample(LANGUAGES[1:], rnd.randint(0, 2))])
        volunteer_list.append(Volunteer(round(x, 1), round(y, 1), radius, capacity, kinds, languages))
    return request_list, volunteer_list
