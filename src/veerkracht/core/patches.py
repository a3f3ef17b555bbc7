"""Partial updates through the API: a field left out stays as it is, ``null`` only where it may be empty.

A PATCH schema types every field as optional so that it can be left out; without this check an
explicit ``null`` for a field that cannot be empty (``"languages": null``) reached the database
and answered 500. Now it answers 422 naming the field (docs/adr/0019-input-held-at-the-door.md).
"""

from typing import Any, ClassVar

from ninja import Schema
from pydantic import ValidationInfo, field_validator


class PatchSchema(Schema):
    """Fields may be left out; ``nullable`` names those that may be sent as null (to empty them)."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_it_may_be_empty(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError("may not be null: leave the field out to keep it as it is")
        return value
