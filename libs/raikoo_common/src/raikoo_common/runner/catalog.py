"""A runner package's kinds, found by convention: every public module of its ``kinds``
package defines one as ``KIND``. What the gateway and the CLI need (the schemas), without
the executor."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from typing import Any

from raikoo_common.runner.kind import Catalog, Kind


def discover_kinds(package: str, path: Iterable[str]) -> Catalog:
    """Every public module of ``package`` defines one kind as ``KIND``."""
    kinds: dict[str, Kind[Any]] = {}
    for module_info in pkgutil.iter_modules(path):
        if module_info.name.startswith("_"):
            continue
        kind = importlib.import_module(f"{package}.{module_info.name}").KIND
        if kind.name in kinds:
            raise RuntimeError(f"operation kind {kind.name!r} is defined twice in {package}")
        kinds[kind.name] = kind
    return kinds
