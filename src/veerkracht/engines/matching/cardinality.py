"""Which requests can go unmatched: a maximum matching by Hopcroft and Karp, then one search.

Only the *number* of matches matters here, not the cost. A greedy pass matches most requests;
Hopcroft-Karp phases then add the rest, each phase a breadth-first search that layers the graph
from all unmatched requests at once and a depth-first search that augments along many shortest
alternating paths in it. A volunteer is a node with ``capacity`` slots, so this is Dinic's
maximum flow specialised to the bipartite graph.

When no alternating path reaches a volunteer with room any more, the last breadth-first search
has reached exactly the *overloaded* part of the graph (Dulmage-Mendelsohn): the requests that
some maximum matching leaves unmatched and the volunteers they reach, all of them full. That
part, not the matching itself, is what the solver needs from here.

Requests are nodes ``0..requests-1``, volunteer ``j`` is node ``requests + j``; ``layer`` holds
the breadth-first distance of each node (UNREACHED when not reached).
"""

import numpy as np

from veerkracht.engines.matching._compiled import Bools, Ints, compiled

UNREACHED = -1
UNMATCHED = -1


@compiled
def _greedy(
    start: Ints, volunteer: Ints, capacity: Ints, matched: Ints, slot_start: Ints, slots: Ints, used: Ints
) -> None:
    """Each request takes the first volunteer in its row that has room: a maximal matching to start from."""
    for request in range(len(start) - 1):
        for edge in range(start[request], start[request + 1]):
            j = volunteer[edge]
            if used[j] < capacity[j]:
                slots[slot_start[j] + used[j]] = edge
                used[j] += 1
                matched[request] = edge
                break


@compiled
def _layers(
    start: Ints,
    volunteer: Ints,
    capacity: Ints,
    matched: Ints,
    slot_start: Ints,
    slots: Ints,
    used: Ints,
    edge_request: Ints,
    layer: Ints,
    queue: Ints,
) -> int:
    """Breadth-first layers from the unmatched requests; the layer of the nearest volunteers with room, or -1."""
    requests = len(start) - 1
    layer[:] = UNREACHED
    tail = 0
    for request in range(requests):
        if matched[request] == UNMATCHED:
            layer[request] = 0
            queue[tail] = request
            tail += 1
    found = -1
    head = 0
    while head < tail:
        request = queue[head]
        head += 1
        if found >= 0 and layer[request] + 1 > found:
            break
        for edge in range(start[request], start[request + 1]):
            j = volunteer[edge]
            node = requests + j
            if edge == matched[request] or layer[node] != UNREACHED:
                continue
            layer[node] = layer[request] + 1
            if used[j] < capacity[j]:
                found = layer[node]
                continue
            for slot in range(slot_start[j], slot_start[j] + used[j]):
                other = edge_request[slots[slot]]
                if layer[other] == UNREACHED:
                    layer[other] = layer[node] + 1
                    queue[tail] = other
                    tail += 1
    return found


@compiled
def _flip(
    path_edge: Ints,
    path_slot: Ints,
    depth: int,
    volunteer: Ints,
    edge_request: Ints,
    matched: Ints,
    slot_start: Ints,
    slots: Ints,
    used: Ints,
) -> None:
    """Augment along the path: the last volunteer gains a slot, every request on it moves one volunteer on."""
    j = volunteer[path_edge[depth]]
    slot = slot_start[j] + used[j]
    used[j] += 1
    for k in range(depth, -1, -1):
        edge = path_edge[k]
        slots[slot] = edge
        matched[edge_request[edge]] = edge
        if k > 0:
            slot = path_slot[k - 1]


@compiled
def _augment_from(
    origin: int,
    found: int,
    start: Ints,
    volunteer: Ints,
    capacity: Ints,
    matched: Ints,
    slot_start: Ints,
    slots: Ints,
    used: Ints,
    edge_request: Ints,
    layer: Ints,
    next_edge: Ints,
    next_slot: Ints,
    path_edge: Ints,
    path_slot: Ints,
) -> bool:
    """Depth-first along the layers from an unmatched request to a volunteer with room (Dinic's blocking flow).

    ``next_edge`` and ``next_slot`` remember where each node's search left off, so every arc is
    tried at most once per phase; a request that leads nowhere leaves the layered graph.
    """
    requests = len(start) - 1
    depth = 0
    request = origin
    while True:
        advanced = False
        while next_edge[request] < start[request + 1]:
            edge = next_edge[request]
            j = volunteer[edge]
            node = requests + j
            if edge != matched[request] and layer[node] == layer[request] + 1:
                if used[j] < capacity[j]:
                    path_edge[depth] = edge
                    _flip(path_edge, path_slot, depth, volunteer, edge_request, matched, slot_start, slots, used)
                    return True
                if layer[node] < found:
                    while next_slot[j] < slot_start[j] + used[j]:
                        other = edge_request[slots[next_slot[j]]]
                        if layer[other] == layer[node] + 1:
                            path_edge[depth] = edge
                            path_slot[depth] = next_slot[j]
                            depth += 1
                            request = other
                            advanced = True
                            break
                        next_slot[j] += 1
                    if advanced:
                        break
            next_edge[request] += 1
        if advanced:
            continue
        layer[request] = UNREACHED  # a dead end for the rest of this phase
        if depth == 0:
            return False
        depth -= 1
        request = edge_request[path_edge[depth]]
        next_slot[volunteer[path_edge[depth]]] += 1


@compiled
def overloaded(start: Ints, volunteer: Ints, capacity: Ints) -> Bools:
    """The overloaded part of the graph: requests first, then volunteers (see the module)."""
    requests, volunteers = len(start) - 1, len(capacity)
    nodes = requests + volunteers
    edge_request = np.empty(len(volunteer), np.int64)
    for request in range(requests):
        edge_request[start[request] : start[request + 1]] = request
    matched = np.full(requests, UNMATCHED, np.int64)
    slot_start = np.zeros(volunteers + 1, np.int64)
    slot_start[1:] = np.cumsum(capacity)
    slots = np.empty(slot_start[-1], np.int64)
    used = np.zeros(volunteers, np.int64)
    layer = np.empty(nodes, np.int64)
    queue = np.empty(requests, np.int64)
    path_edge = np.empty(requests + 1, np.int64)
    path_slot = np.empty(requests + 1, np.int64)
    _greedy(start, volunteer, capacity, matched, slot_start, slots, used)
    while True:
        found = _layers(start, volunteer, capacity, matched, slot_start, slots, used, edge_request, layer, queue)
        if found < 0:
            reached: Bools = layer != UNREACHED
            return reached
        next_edge = start[:-1].copy()
        next_slot = slot_start[:-1].copy()
        for request in range(requests):
            if matched[request] == UNMATCHED and layer[request] == 0:
                _augment_from(
                    request, found, start, volunteer, capacity, matched, slot_start, slots, used, edge_request,
                    layer, next_edge, next_slot, path_edge, path_slot,
                )  # fmt: skip
