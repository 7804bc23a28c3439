"""Route modules declare their routes on a ``Routes``, which adds them to the app: each route is
built once, by the app.

FastAPI builds a route — its dependency tree, its parameter and response models — where it
is declared, and an ``APIRouter`` included in an app builds every route a second time for
the app (its effective route, with the app's dependencies in front). With ~120 routes that
second build was ~0.2 s of the gateway's start-up CPU (docs/benchmarks.md, "Start-up").
A ``Routes`` only records what its decorators are given; ``add_to`` adds each route to the
app as if it had been declared there, with the router's prefix, tags and dependencies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from fastapi import APIRouter, FastAPI, params
from fastapi.routing import APIRoute

from raikoo_gateway.db_retry import RetryingRoute


@dataclass(frozen=True)
class _Declared:
    path: str
    endpoint: Callable[..., Any]
    options: dict[str, Any]


class Routes(APIRouter):
    """``@routes.get(…)`` and the other decorators of ``APIRouter``, recorded for ``add_to``.

    Only the router settings the gateway uses are accepted, so none is dropped silently.
    """

    def __init__(
        self,
        *,
        prefix: str = "",
        tags: list[str | Enum] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        include_in_schema: bool = True,
        route_class: type[APIRoute] = RetryingRoute,
    ) -> None:
        super().__init__(
            prefix=prefix,
            tags=tags,
            dependencies=dependencies,
            include_in_schema=include_in_schema,
            route_class=route_class,
        )
        self.declared: list[_Declared] = []

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        self.declared.append(_Declared(path, endpoint, options))

    def add_to(self, app: FastAPI) -> None:
        """Add every recorded route to ``app``, in declaration order (the order routes are
        matched in)."""
        for route in self.declared:
            options = dict(route.options)
            options["tags"] = [*self.tags, *(options.get("tags") or [])]
            options["dependencies"] = [*self.dependencies, *(options.get("dependencies") or [])]
            options["include_in_schema"] = self.include_in_schema and options.get(
                "include_in_schema", True
            )
            options["route_class_override"] = options.get("route_class_override") or (
                self.route_class
            )
            app.router.add_api_route(self.prefix + route.path, route.endpoint, **options)
