"""One API request described as data: what to send and how to read the answer. The
resources build calls; the sync and the async client send them, so each endpoint is
written once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter

from raikoo.sdk._errors import error_from

T = TypeVar("T")

_REPEATABLE_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str
    read: Callable[[httpx.Response], T]
    params: Mapping[str, Any] = field(default_factory=dict)
    json: Any = None
    content: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    idempotent: bool = False
    """Sending it twice does what sending it once does (beyond the methods that say so)."""

    @property
    def repeatable(self) -> bool:
        """Safe to send again when the first try's fate is unknown."""
        return (
            self.idempotent
            or self.method in _REPEATABLE_METHODS
            or "Idempotency-Key" in self.headers
        )

    def request(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        params = {name: value for name, value in self.params.items() if value is not None}
        return http.build_request(
            self.method,
            self.path,
            params=params,
            json=self.json,
            content=self.content,
            headers=dict(self.headers),
        )

    def answer(self, response: httpx.Response) -> T:
        if response.status_code >= 400:
            raise error_from(response)
        return self.read(response)


def segment(value: object) -> str:
    """A value as one path segment (a workflow name may hold anything)."""
    return quote(str(value), safe="")


def model(kind: type[T] | Any) -> Callable[[httpx.Response], T]:
    """Read the answer's JSON as ``kind`` (a model, or a type such as ``list[Model]``)."""
    adapter: TypeAdapter[T] = TypeAdapter(kind)
    return lambda response: adapter.validate_json(response.content)


def nothing(_: httpx.Response) -> None:
    return None


def text(response: httpx.Response) -> str:
    return response.text


def get(path: str, kind: type[T] | Any, **params: Any) -> Call[T]:
    return Call("GET", path, model(kind), params=params)
