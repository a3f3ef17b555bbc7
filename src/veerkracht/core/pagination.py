"""Pages of API lists: ``?page=&page_size=`` in, ``{"items": [...], "count": N}`` out."""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Field, Schema

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

M = TypeVar("M", bound=Model)


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)  # past that the offset overflows the database: 422, not 500
    # Above the maximum is refused (422 naming page_size), not quietly cut: a client that asked for
    # 500 and got 200 would take the short page for the last one.
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def page_of(queryset: QuerySet[M], query: PageQuery) -> tuple[list[M], int]:
    """The requested page's rows and the total count."""
    size = query.page_size
    start = (query.page - 1) * size
    return list(queryset[start : start + size]), queryset.count()


def listing(items: list[Any], count: int) -> dict[str, Any]:
    return {"items": items, "count": count}
