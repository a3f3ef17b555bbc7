"""Pure computations on plain data: no Django, no I/O (enforced by ruff's banned-import rule)."""
