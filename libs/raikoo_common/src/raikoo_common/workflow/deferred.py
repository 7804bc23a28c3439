"""Config fields the scheduler leaves unrendered, because they are templates rendered later.

``template.render`` renders its ``template`` inside the runner with its own ``values``;
``ai.prompt`` its ``response`` processing (a template over the answer, JMESPath, a regex);
``while``/``until`` evaluate their ``condition`` again before or after every iteration.
Validation still checks these fields' syntax, but not their names: their scope is not
the workflow's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFERRED_FIELDS: Mapping[str, frozenset[str]] = {
    "template.render": frozenset({"template"}),
    "ai.prompt": frozenset({"response"}),
    "while": frozenset({"condition"}),
    "until": frozenset({"condition"}),
}


def deferred_fields(kind: str) -> frozenset[str]:
    return DEFERRED_FIELDS.get(kind, frozenset())


def split_deferred(kind: str, config: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(rendered now, left as written)`` parts of an operation's ``with``."""
    deferred = deferred_fields(kind)
    if not deferred:
        return dict(config), {}
    now = {k: v for k, v in config.items() if k not in deferred}
    later = {k: v for k, v in config.items() if k in deferred}
    return now, later
