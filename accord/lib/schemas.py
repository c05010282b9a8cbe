from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import AfterValidator, Field


class ErrorOut(Schema):
    """Every error body: `detail` is a message, or for 422 a list naming each offending field."""

    detail: str | list[dict[str, object]]


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """Document error responses; 401 and 422 apply to every authenticated JSON endpoint."""
    return dict.fromkeys((401, 422, *codes), ErrorOut)


# Input types for API bodies: a value outside what Accord (or its database) can hold is a 422 that
# names the field, never a 404 or a 500 from deeper down.
FIRST_YEAR, LAST_YEAR = 1900, 2200
BIGGEST_ID = 2**63 - 1


def _in_years(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.")


def _moment(value: datetime) -> datetime:
    try:
        _in_years((value.astimezone(UTC) if value.tzinfo else value).year)
    except OverflowError as exc:
        raise ValueError(f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.") from exc
    return value


def _day(value: date) -> date:
    _in_years(value.year)
    return value


Moment = Annotated[datetime, AfterValidator(_moment)]
Day = Annotated[date, AfterValidator(_day)]
Id = Annotated[int, Field(ge=1, le=BIGGEST_ID)]


# Pagination of every list that grows with time (`page: Query[Page]`): out of range is a 422 naming
# `limit` or `offset`. The README's API section states these numbers.
LIMIT_DEFAULT, LIMIT_MAX, OFFSET_MAX = 50, 200, 1_000_000


class Page(Schema):
    limit: int = Field(LIMIT_DEFAULT, ge=1, le=LIMIT_MAX, description=f"At most this many (1–{LIMIT_MAX})")
    offset: int = Field(0, ge=0, le=OFFSET_MAX, description="Skip this many first")

    def of[T](self, items: Sequence[T] | QuerySet[Any, T]) -> Iterable[T]:
        """This page of `items` (a list, or a queryset, sliced in SQL)."""
        return items[self.offset : self.offset + self.limit]
