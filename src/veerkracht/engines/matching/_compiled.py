"""Numba compilation for the engine's inner loops, typed for mypy.

The exact solver runs Dijkstra searches over millions of edges; in Python that takes minutes,
compiled it takes a fraction of a second. ``cache=True`` keeps the machine code beside the module,
so only the first run on a machine pays for compilation (about ten seconds).
"""

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
from numpy.typing import NDArray

F = TypeVar("F", bound=Callable[..., Any])

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]


def compiled(function: F) -> F:
    """``function`` compiled to machine code on its first call (and cached on disk)."""
    return cast(F, numba.njit(cache=True, nogil=True)(function))
