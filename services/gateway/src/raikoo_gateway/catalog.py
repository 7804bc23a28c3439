"""Every operation kind the runners offer: one source for validation and discovery."""

from typing import Any

from raikoo_ai_runner.kinds import catalog as ai_catalog
from raikoo_common.runner import Catalog, Kind
from raikoo_common.workflow.control import CONTROL_KINDS
from raikoo_op_runner.kinds import catalog as programmatic_catalog


def full_catalog() -> Catalog:
    kinds: dict[str, Kind[Any]] = {**CONTROL_KINDS, **programmatic_catalog(), **ai_catalog()}
    return kinds
