"""Secrets are capabilities, not values: where a secret may be used.

A kind declares its *credential sinks* — the config fields that send a credential and do
nothing else with it (HTTP headers, a provider's API key, a connection string) — as
``CREDENTIAL_SINKS`` on its config model: paths of keys, ``*`` standing for any key or
index. A secret may appear only there, placed as it is (``"Bearer {{ secrets.TOKEN }}"``):
the runner substitutes the value at the sink after all templating, so it never enters a
filter, a transform, an output or an artifact as plain text. Any other use is refused when
the definition is stored (``workflow._secret_checks``), and, should one reach a runner
anyway, the runner refuses to run it (``outside_sinks``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from raikoo_common.secrets.refs import REFERENCE

SinkPath = tuple[str, ...]
"""Keys from the config's top, ``*`` for any one key or index: ``("headers", "*")``."""

WILDCARD = "*"


def credential_sinks(model: Any) -> tuple[SinkPath, ...]:
    """The sinks a kind's config model declares (none unless it says so)."""
    sinks: tuple[SinkPath, ...] = getattr(model, "CREDENTIAL_SINKS", ())
    return sinks


def in_sink(path: Sequence[str | int], sinks: Sequence[SinkPath]) -> bool:
    """Whether ``path`` (within a config) lies inside one of ``sinks``."""
    return any(
        len(path) >= len(sink)
        and all(part == WILDCARD or str(key) == part for part, key in zip(sink, path, strict=False))
        for sink in sinks
    )


def describe(sinks: Sequence[SinkPath]) -> str:
    return ", ".join(".".join(sink) for sink in sinks) if sinks else "none"


def outside_sinks(value: Any, sinks: Sequence[SinkPath]) -> list[tuple[str | int, ...]]:
    """Where in a rendered config a secret reference sits outside the sinks."""
    return [path for path in _references(value, ()) if not in_sink(path, sinks)]


def _references(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        if REFERENCE.search(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _references(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _references(item, (*path, index))
