"""Figures for dashboards: small-cell suppression so no one is identifiable."""

SMALL_CELL_THRESHOLD = 10


def suppress_small_count(count: int, threshold: int = SMALL_CELL_THRESHOLD) -> int | None:
    """The count, or None when it is above zero and below the threshold.

    Zero is not suppressed: "nobody" identifies no one. The threshold of 10 follows common
    practice for published statistics about small groups (CBS uses similar minimum cell sizes).
    """
    if 0 < count < threshold:
        return None
    return count
