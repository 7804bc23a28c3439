"""Cursor pagination for every list that can grow: a page of items and an opaque cursor
to the next page (the position after its last item), stable while items are added."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from raikoo_gateway.problems import Problem

T = TypeVar("T")


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
            raise Problem(
                422,
                "Invalid request",
                "the cursor is not one this API gave: pass next_cursor of the previous page",
                "invalid-request",
                errors=[{"path": "cursor", "message": "not a cursor of this API"}],
            ) from None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next: Cursor | None


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last page"
    )

    @classmethod
    def of(cls, page: Page[Any]) -> PageOut[T]:
        return cls(items=page.items, next_cursor=page.next.encode() if page.next else None)
