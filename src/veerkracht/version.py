"""The installed release of Veerkracht, read from the package metadata (pyproject.toml's version)."""

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def installed_version() -> str:
    """The version pip installed, e.g. ``0.2.0``; ``0+unknown`` when running from an uninstalled tree."""
    try:
        return version("veerkracht")
    except PackageNotFoundError:
        return "0+unknown"
