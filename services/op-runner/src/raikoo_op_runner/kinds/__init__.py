"""The programmatic operation kinds. Adding one = adding a module here that defines ``KIND``."""

from functools import cache

from raikoo_common.runner import Catalog, discover_kinds


@cache
def catalog() -> Catalog:
    return discover_kinds(__name__, __path__)
