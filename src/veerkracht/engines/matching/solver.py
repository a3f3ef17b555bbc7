"""The exact optimum: the most requests matched, then the least total cost.

A maximum matching leaves some requests unmatched only where requests outnumber the room of the
volunteers they can reach. Dulmage and Mendelsohn's decomposition splits the graph there:

* the *overloaded* part: the requests that some maximum matching leaves unmatched, and the
  volunteers they can reach. Every maximum matching fills these volunteers to capacity with these
  requests, and their requests reach no one else;
* the rest: requests that every maximum matching serves, only by volunteers outside that part.

``cardinality.overloaded`` finds the overloaded part (a maximum matching, then one search). The
two parts are independent and each is solved exactly by ``assign``: in the rest every request
must be served, so requests are served one by one; in the overloaded part every volunteer must be
filled, so it is solved from the volunteers' side, choosing which requests. There is no big-M
constant weighing a match against cost, so costs stay small integers, and no search ever
explores a region in vain looking for room that is not there.
"""

import numpy as np

from veerkracht.engines.matching._compiled import Bools, Ints
from veerkracht.engines.matching.assignment import assign
from veerkracht.engines.matching.candidates import Candidates
from veerkracht.engines.matching.cardinality import overloaded


def _rows(owner: Ints, owners: int) -> Ints:
    """Row starts for edges sorted by ``owner``."""
    start = np.zeros(owners + 1, np.int64)
    np.cumsum(np.bincount(owner, minlength=owners), out=start[1:])
    return start


def _exact(start: Ints, right_of: Ints, cost: Ints, demand: Ints, capacity: Ints) -> Bools:
    """The optimal assignment of a part in which all demand can be served, as a mask over its edges."""
    assigned, complete = assign(start, right_of, cost, demand, capacity)
    if not complete:
        raise RuntimeError("demand that a maximum matching serves was not served: a bug in the matching engine")
    return assigned


def _rest(candidates: Candidates, dead: Bools, capacity: Ints) -> Ints:
    """The optimal pairs outside the overloaded part (edge indices); requests on the left."""
    requests = len(candidates.start) - 1
    request, volunteer, cost = candidates.request(), candidates.volunteer, candidates.cost
    dead_request, dead_volunteer = dead[:requests], dead[requests:]
    if not dead_volunteer.any():  # the usual case: the only unmatched requests are those without a pair
        demand = (candidates.start[1:] > candidates.start[:-1]).astype(np.int64)
        return np.flatnonzero(_exact(candidates.start, volunteer, cost, demand, capacity))
    rest = np.flatnonzero(~dead_request[request] & ~dead_volunteer[volunteer])
    demand = (~dead_request).astype(np.int64)
    room = np.where(dead_volunteer, 0, capacity)
    served = _exact(_rows(request[rest], requests), volunteer[rest], cost[rest], demand, room)
    return rest[served]


def _overloaded(candidates: Candidates, dead: Bools, capacity: Ints) -> Ints:
    """The optimal pairs inside the overloaded part (edge indices); volunteers on the left, all filled."""
    requests, volunteers = len(candidates.start) - 1, len(capacity)
    request, volunteer = candidates.request(), candidates.volunteer
    dead_request, dead_volunteer = dead[:requests], dead[requests:]
    inside = np.flatnonzero(dead_request[request] & dead_volunteer[volunteer])
    inside = inside[np.argsort(volunteer[inside], kind="stable")]
    fill = np.where(dead_volunteer, capacity, 0)
    room = dead_request.astype(np.int64)
    start = _rows(volunteer[inside], volunteers)
    return inside[_exact(start, request[inside], candidates.cost[inside], fill, room)]


def optimal_pairs(candidates: Candidates, capacity: Ints) -> tuple[Ints, Ints]:
    """The optimal pairs as (request, volunteer) arrays, sorted by request."""
    dead = overloaded(candidates.start, candidates.volunteer, capacity)
    chosen = _rest(candidates, dead, capacity)
    if dead[len(candidates.start) - 1 :].any():
        chosen = np.sort(np.concatenate([chosen, _overloaded(candidates, dead, capacity)]))
    return candidates.request()[chosen], candidates.volunteer[chosen]
