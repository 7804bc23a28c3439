"""Cursor pagination for every list that can grow: a page of items and an opaque cursor
to the next page (the position after its last item), stable while items are added."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
import sqlalchemy as sa
from fastapi import Query
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.api import pages as api_pages
from raikoo_gateway.problems import Problem

T = TypeVar("T")

INT4_MAX = api_pages.INT4_MAX

Limit = Annotated[int, Query(ge=1, le=500, description="At most this many items")]
CursorQuery = Annotated[
    str | None, Query(max_length=512, description="next_cursor of the previous page")
]


@dataclass(frozen=True)
class Cursor:
    after: str
    """Where the previous page ended: the sort key of its last item, as text."""

    def encode(self) -> str:
        return base64.urlsafe_b64encode(json.dumps({"a": self.after}).encode()).decode()

    @classmethod
    def decode(cls, value: str | None) -> Cursor | None:
        if not value:
            return None
        try:
            decoded = json.loads(base64.urlsafe_b64decode(value.encode()))
            return cls(str(decoded["a"]))
        except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise cls.invalid() from None

    @staticmethod
    def invalid() -> Problem:
        return Problem(
            422,
            "Invalid request",
            "the cursor is not one this API gave: pass next_cursor of the previous page",
            "invalid-request",
            errors=[{"path": "cursor", "message": "not a cursor of this API"}],
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next: Cursor | None


PageOut = api_pages.PageOut
"""A page as the API answers it (``raikoo_common.api``: the SDK reads the same model)."""


async def keyset_page(
    conn: AsyncConnection,
    query: sa.Select[Any],
    order: Sequence[sa.ColumnElement[Any]],
    *,
    limit: int,
    cursor: Cursor | None,
    descending: bool = False,
) -> tuple[Sequence[sa.Row[Any]], Cursor | None]:
    """One page of ``query`` in the order of the ``order`` columns (unique together), after
    the position ``cursor`` holds: rows added meanwhile do not shift the pages. Returns the
    page's rows and the cursor to the next page (None on the last)."""
    if cursor is not None:
        position = sa.tuple_(*_bound(order, cursor))
        columns = sa.tuple_(*order)
        query = query.where(columns < position if descending else columns > position)
    query = query.order_by(*(column.desc() if descending else column for column in order))
    # The position is read back from columns of its own (an order column may be an
    # expression the query does not select).
    query = query.add_columns(*(column.label(f"_page_{n}") for n, column in enumerate(order)))
    rows = (await conn.execute(query.limit(limit + 1))).all()
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]._mapping
    values = [_plain(last[f"_page_{n}"]) for n in range(len(order))]
    return rows[:limit], Cursor(orjson.dumps(values).decode())


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _bound(order: Sequence[sa.ColumnElement[Any]], cursor: Cursor) -> list[Any]:
    """The cursor's values as parameters of the order columns' types."""
    try:
        values = orjson.loads(cursor.after)
        if not isinstance(values, list) or len(values) != len(order):
            raise ValueError("not a position of this list")
        return [
            sa.bindparam(None, _typed(column, value), type_=column.type)
            for column, value in zip(order, values, strict=True)
        ]
    except (ValueError, TypeError):
        raise Cursor.invalid() from None


def _typed(column: sa.ColumnElement[Any], value: Any) -> Any:
    kind = column.type.python_type
    if kind is uuid.UUID:
        return uuid.UUID(str(value))
    if kind is datetime:
        return datetime.fromisoformat(str(value))
    if kind is int and not isinstance(value, int):
        raise TypeError("not a number")
    if kind is str and not isinstance(value, str):
        raise TypeError("not a text")
    return value
