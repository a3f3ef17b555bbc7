"""Panels that apps above a page's own app add to it (a resident's contact log, a place's coming activities).

A page of a lower layer may not import the apps above it (docs/layers.md). Each such app
registers a :class:`Panel` from its ``AppConfig.ready``: the template the page includes and a
function giving what that template reads. The page includes the panels in the order the apps
registered them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec

from veerkracht.core.registry import Registry

P = ParamSpec("P")


@dataclass(frozen=True)
class Panel(Generic[P]):
    """A template included in a page, and the context it reads."""

    template: str
    context: Callable[P, dict[str, Any]]


class Panels(Registry[Panel[P]]):
    """The panels of one page; ``drawn`` gives its context for them."""

    def drawn(self, *args: P.args, **kwargs: P.kwargs) -> dict[str, Any]:
        """The templates to include, in order (``panels``), and what each of them reads."""
        context: dict[str, Any] = {"panels": [panel.template for panel in self.values()]}
        for panel in self.values():
            context.update(panel.context(*args, **kwargs))
        return context
