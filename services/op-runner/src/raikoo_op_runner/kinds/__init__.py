"""The programmatic operation kinds. Adding one = adding a module here that defines ``KIND``."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from raikoo_common.runner import Catalog


@cache
def catalog() -> Catalog:
    # Imported here, not with the package: a worker process imports conversion modules
    # from this package and never needs the runner's machinery.
    from raikoo_common.runner import discover_kinds

    return discover_kinds(__name__, __path__)
