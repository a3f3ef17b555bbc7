"""Named extension points through which a lower layer calls code of the apps above it.

The layers (docs/layers.md, enforced by import-linter) forbid core and people to import the apps
above them. Where they must still run something of theirs (a background task's body, a daily job,
a template filter, a check at start-up), they keep a :class:`Registry`, and the higher app adds
its entries from its ``AppConfig.ready``. As in Open Forms' ``BaseRegistry``, a second entry under
a name already taken is refused: two apps that chose the same name would otherwise silently
replace one another.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Registry(Mapping[str, T]):
    """Entries by name, in the order they were registered; read it as a mapping."""

    def __init__(self, kind: str) -> None:
        self.kind = kind  # what an entry is, for the message on a duplicate ("daily job")
        self._entries: dict[str, T] = {}

    def register(self, name: str, entry: T) -> T:
        """Add ``entry`` under ``name``; a name that is taken already is a configuration error."""
        if name in self._entries:
            raise ImproperlyConfigured(f"{self.kind} {name!r} is registered twice")
        self._entries[name] = entry
        return entry

    def registering(self, name: str) -> Callable[[T], T]:
        """The decorator form: ``@registry.registering("name")`` above a function."""
        return lambda entry: self.register(name, entry)

    @contextmanager
    def overriding(self, entries: Mapping[str, T], *, only: bool = False) -> Iterator[None]:
        """For tests: ``entries`` in place of those of the same names (with ``only``, of all) while
        the block runs; afterwards the registry is as it was."""
        saved = dict(self._entries)
        if only:
            self._entries.clear()
        self._entries.update(entries)
        try:
            yield
        finally:
            self._entries.clear()
            self._entries.update(saved)

    def __getitem__(self, name: str) -> T:
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
