"""The errors services and selectors raise, free of HTTP: the edge maps them to answers.

Pages (``DomainErrorMiddleware`` in core/errors.py) and the API (veerkracht/api.py) answer
``NotFound`` with 404 and ``Conflict`` with 409; Django's ``ValidationError`` stays the way a
service refuses its input (422 in the API, the form's errors on a page). A record outside the
caller's scope is ``NotFound`` too, never a refusal, so outsiders learn nothing (docs/architecture.md).
"""


class DomainError(Exception):
    """A service or selector refused the work for a reason the caller's HTTP answer names."""


class NotFound(DomainError):  # noqa: N818 - the name the edge's answer says
    """No such record, or none the caller may see: 404 at the edge either way."""


class Conflict(DomainError):  # noqa: N818
    """The record's state does not allow the work now (it changed meanwhile): 409 at the edge."""
