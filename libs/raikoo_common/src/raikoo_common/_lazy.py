"""Package exports that load on first use (PEP 562).

A package's ``__init__`` that imports every module makes importing any one of them load
them all: a runner reading ``workflow.problems`` loaded Jinja and the YAML reader, the
gateway reading a kind's schema loaded the executor. A package lists its exports and the
module each lives in instead; ``from package import name`` still works, loading that
module only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` serving ``where`` (export name → module within the package)."""

    def __getattr__(name: str) -> Any:  # noqa: N807 - the module hook PEP 562 names
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        globals_of_package = importlib.import_module(package).__dict__
        globals_of_package[name] = value  # the next lookup is a plain attribute
        return value

    return __getattr__
