"""A page of a list that can grow, and the cursor to the next one."""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")

INT4_MAX = 2**31 - 1
"""The largest number an INTEGER column holds (versions, event sequence numbers): a larger
one in a request is refused (422) rather than failing in the database."""


class _Position(Protocol):
    def encode(self) -> str: ...


class _Page(Protocol):
    @property
    def items(self) -> list[Any]: ...

    @property
    def next(self) -> _Position | None: ...


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last page"
    )

    @classmethod
    def of(cls, page: _Page) -> PageOut[T]:
        return cls(items=page.items, next_cursor=page.next.encode() if page.next else None)
