"""Min-cost assignment with demands and capacities: successive shortest paths with potentials.

The bipartite graph has *left* nodes, each with a demand (how many edges it must get) and *right*
nodes, each with a capacity (how many edges it may get); every edge can be used once. Left nodes are
served one unit at a time, in order: a Dijkstra search on reduced costs from the left node finds
the cheapest way to give it one more edge, possibly by moving other left nodes to other right nodes
along an alternating path, ending at a right node with room. This is the Hungarian method
(Jonker-Volgenant's shortest augmenting path) extended to capacities. After every step the
assignment is the cheapest one for the demand served so far, and the node potentials prove it:
every residual arc has a non-negative reduced cost, and a right node with room has potential 0.

Every search must succeed: the caller passes a graph in which all demand can be served at once
(``solver.py`` cuts away the overloaded part first, with ``cardinality.py``). A search that fails
anyway is reported, not hidden.

Searches are local: with plenty of room nearby a request's search ends after a handful of nodes.
The arrays are allocated once and reused by every search; ``label_mark`` and ``done_mark`` hold the
number of the search that last touched a node, so nothing is cleared between searches.
"""

import numpy as np

from veerkracht.engines.matching import heap
from veerkracht.engines.matching._compiled import Bools, Ints, compiled

NO_NODE = -1


@compiled
def _edge_left(left_start: Ints) -> Ints:
    """The left node of every edge."""
    result = np.empty(left_start[-1], np.int64)
    for left in range(len(left_start) - 1):
        result[left_start[left] : left_start[left + 1]] = left
    return result


@compiled
def _initial_potentials(left_start: Ints, cost: Ints, nodes: int) -> Ints:
    """Minus each left node's cheapest edge (right nodes 0): every reduced cost starts non-negative."""
    potential = np.zeros(nodes, np.int64)
    for left in range(len(left_start) - 1):
        if left_start[left + 1] > left_start[left]:
            potential[left] = -cost[left_start[left] : left_start[left + 1]].min()
    return potential


@compiled
def _label(
    node: int, distance: int, edge: int, search: int, state: tuple[Ints, Ints, Ints, Ints, Ints], size: int
) -> int:
    """Give ``node`` a shorter tentative distance, reached through ``edge``; returns the heap size."""
    dist, label_mark, pred, heap_keys, heap_nodes = state
    if label_mark[node] == search and distance >= dist[node]:
        return size
    label_mark[node] = search
    dist[node] = distance
    pred[node] = edge
    return heap.push(heap_keys, heap_nodes, size, distance, node)


@compiled
def _search(
    origin: int,
    search: int,
    left_start: Ints,
    right_of: Ints,
    cost: Ints,
    edge_left: Ints,
    capacity: Ints,
    slot_start: Ints,
    slots: Ints,
    used: Ints,
    assigned: Bools,
    potential: Ints,
    dist: Ints,
    label_mark: Ints,
    done_mark: Ints,
    pred: Ints,
    heap_keys: Ints,
    heap_nodes: Ints,
    settled: Ints,
) -> tuple[int, int, int]:
    """Dijkstra from left node ``origin`` to the nearest right node with room.

    Returns (that right node or NO_NODE, its distance, how many nodes were settled into ``settled``).
    Right node ``r`` is node ``lefts + r``. An unassigned edge is an arc left -> right with reduced
    cost ``c + p[left] - p[right]``; an assigned one an arc right -> left with ``-c + p[right] - p[left]``.
    """
    lefts = len(left_start) - 1
    state = (dist, label_mark, pred, heap_keys, heap_nodes)
    size = _label(origin, 0, NO_NODE, search, state, 0)
    count = 0
    while size > 0:
        key, node, size = heap.pop(heap_keys, heap_nodes, size)
        if done_mark[node] == search or key > dist[node]:
            continue  # a stale heap entry
        if node >= lefts and used[node - lefts] < capacity[node - lefts]:
            return node, key, count
        done_mark[node] = search
        settled[count] = node
        count += 1
        if node >= lefts:
            right = node - lefts
            for slot in range(slot_start[right], slot_start[right] + used[right]):
                edge = slots[slot]
                left = edge_left[edge]
                if done_mark[left] != search:
                    size = _label(left, key - cost[edge] + potential[node] - potential[left], edge, search, state, size)
        else:
            for edge in range(left_start[node], left_start[node + 1]):
                target = lefts + right_of[edge]
                if not assigned[edge] and done_mark[target] != search:
                    size = _label(
                        target, key + cost[edge] + potential[node] - potential[target], edge, search, state, size
                    )
    return NO_NODE, 0, count


@compiled
def _reprice(settled: Ints, count: int, dist: Ints, potential: Ints, distance: int) -> None:
    """Move the settled nodes' potentials so that the path just found has reduced cost 0 everywhere."""
    for k in range(count):
        node = settled[k]
        if dist[node] < distance:
            potential[node] += dist[node] - distance


@compiled
def _augment(
    target: int,
    origin: int,
    lefts: int,
    pred: Ints,
    edge_left: Ints,
    right_of: Ints,
    slot_start: Ints,
    slots: Ints,
    position: Ints,
    used: Ints,
    assigned: Bools,
) -> None:
    """Flip the alternating path ending at ``target``: each left node on it moves one right node along."""
    edge = pred[target]
    right = target - lefts
    slot = slot_start[right] + used[right]
    used[right] += 1
    while True:
        slots[slot] = edge
        position[edge] = slot
        assigned[edge] = True
        left = edge_left[edge]
        if left == origin:
            return
        released = pred[left]  # the edge that held ``left`` to the previous right node
        assigned[released] = False
        slot = position[released]
        edge = pred[lefts + right_of[released]]


@compiled
def assign(left_start: Ints, right_of: Ints, cost: Ints, demand: Ints, capacity: Ints) -> tuple[Bools, bool]:
    """Serve every left node's demand, in order, at the least total cost.

    Left node ``l`` has edges ``left_start[l]:left_start[l + 1]`` to right nodes ``right_of[e]`` at
    ``cost[e]``. Returns (assigned edges, whether all demand was served).
    """
    lefts, rights, edges = len(left_start) - 1, len(capacity), len(right_of)
    nodes = lefts + rights
    edge_left = _edge_left(left_start)
    slot_start = np.zeros(rights + 1, np.int64)
    slot_start[1:] = np.cumsum(capacity)
    slots = np.empty(slot_start[-1], np.int64)
    used = np.zeros(rights, np.int64)
    position = np.zeros(edges, np.int64)
    assigned = np.zeros(edges, np.bool_)
    potential = _initial_potentials(left_start, cost, nodes)
    dist = np.zeros(nodes, np.int64)
    label_mark = np.zeros(nodes, np.int64)
    done_mark = np.zeros(nodes, np.int64)
    pred = np.zeros(nodes, np.int64)
    heap_keys = np.empty(edges + nodes + 1, np.int64)
    heap_nodes = np.empty(edges + nodes + 1, np.int64)
    settled = np.empty(nodes, np.int64)
    search = 0
    for origin in range(lefts):
        for _ in range(demand[origin]):
            search += 1
            target, distance, count = _search(
                origin, search, left_start, right_of, cost, edge_left, capacity, slot_start, slots, used, assigned,
                potential, dist, label_mark, done_mark, pred, heap_keys, heap_nodes, settled,
            )  # fmt: skip
            if target == NO_NODE:
                return assigned, False
            _reprice(settled, count, dist, potential, distance)
            _augment(target, origin, lefts, pred, edge_left, right_of, slot_start, slots, position, used, assigned)
    return assigned, True
