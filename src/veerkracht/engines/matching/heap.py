"""A binary min-heap on two preallocated arrays, for the solver's Dijkstra searches.

Entries are (key, node). Decreasing a key pushes a second entry; the stale one is skipped when
popped (lazy deletion), which is simpler and, on these sparse graphs, faster than an indexed heap.
"""

from veerkracht.engines.matching._compiled import Ints, compiled


@compiled
def push(keys: Ints, nodes: Ints, size: int, key: int, node: int) -> int:
    """Add (key, node); returns the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= key:
            break
        keys[i] = keys[parent]
        nodes[i] = nodes[parent]
        i = parent
    keys[i] = key
    nodes[i] = node
    return size + 1


@compiled
def pop(keys: Ints, nodes: Ints, size: int) -> tuple[int, int, int]:
    """Remove the smallest entry; returns (key, node, new size). The heap must not be empty."""
    key, node = keys[0], nodes[0]
    size -= 1
    last_key, last_node = keys[size], nodes[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= last_key:
            break
        keys[i] = keys[child]
        nodes[i] = nodes[child]
        i = child
    if size > 0:
        keys[i] = last_key
        nodes[i] = last_node
    return key, node, size
