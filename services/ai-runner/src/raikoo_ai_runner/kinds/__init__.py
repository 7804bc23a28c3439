"""AI operation kinds (``ai.*``). Prompting, personas, tools and guardrails arrive in a later
issue; the runner, its queue and its wiring are in place so they only add modules here."""

from functools import cache

from raikoo_common.runner import Catalog, discover_kinds


@cache
def catalog() -> Catalog:
    return discover_kinds(__name__, __path__)
