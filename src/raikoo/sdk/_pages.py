"""Lists that span pages: iterate every item across cursors, or page by page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, TypeVar

from raikoo.sdk._call import Call
from raikoo_common.api.pages import PageOut

T = TypeVar("T")

PageCall = Callable[[str | None], Call[PageOut[T]]]
"""The call for the page after a cursor (None: the first page)."""


class Pager(Generic[T]):
    """``for item in pager`` reads page after page as it goes; ``pages()`` yields the pages;
    ``page(cursor)`` reads one. Nothing is read until it is iterated."""

    def __init__(self, send: Callable[[Call[PageOut[T]]], PageOut[T]], call: PageCall[T]) -> None:
        self._send, self._call = send, call

    def page(self, cursor: str | None = None) -> PageOut[T]:
        return self._send(self._call(cursor))

    def pages(self) -> Iterator[PageOut[T]]:
        cursor: str | None = None
        while True:
            page = self.page(cursor)
            yield page
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def all(self) -> list[T]:
        return list(self)


class AsyncPager(Generic[T]):
    """``async for item in pager`` reads page after page as it goes; ``pages()`` yields the
    pages; ``await page(cursor)`` reads one."""

    def __init__(
        self, send: Callable[[Call[PageOut[T]]], Awaitable[PageOut[T]]], call: PageCall[T]
    ) -> None:
        self._send, self._call = send, call

    async def page(self, cursor: str | None = None) -> PageOut[T]:
        return await self._send(self._call(cursor))

    async def pages(self) -> AsyncIterator[PageOut[T]]:
        cursor: str | None = None
        while True:
            page = await self.page(cursor)
            yield page
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def all(self) -> list[T]:
        return [item async for item in self]
