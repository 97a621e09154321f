"""A path converter for primary keys: at most 18 digits, so an id too large for the database
(SQLite refuses integers beyond 2**63 with an OverflowError) is simply not found."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(IdConverter, "library_id")
