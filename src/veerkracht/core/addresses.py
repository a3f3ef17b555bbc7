"""Addresses of pages, each looked up once per process.

``reverse`` matches the name against the URL patterns every time: drawing a list of fifty
residents with a link each spent more time on it than on anything else in the template. An
address depends only on its name and arguments, the URL configuration and the script prefix, so
those are the key.
"""

from collections.abc import Hashable
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


def address(name: str, *args: Hashable, **kwargs: Hashable) -> str:
    """``reverse(name, args=args, kwargs=kwargs)``, remembered."""
    try:
        return _reversed(name, args, tuple(sorted(kwargs.items())), get_script_prefix(), get_urlconf())
    except TypeError:  # an argument that cannot be a key (a list): look it up every time
        return reverse(name, args=args or None, kwargs=kwargs or None)


@lru_cache(maxsize=16384)
def _reversed(
    name: str,
    args: tuple[Hashable, ...],
    kwargs: tuple[tuple[str, Hashable], ...],
    script_prefix: str,
    urlconf: str | None,
) -> str:
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None, urlconf=urlconf)


@receiver(setting_changed)
def _urls_changed(*, setting: str, **kwargs: object) -> None:
    """A test's own URL configuration (``ROOT_URLCONF``) replaces the addresses, as Django's own caches."""
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
