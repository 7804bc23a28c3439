"""Deny and require patterns and a length limit, checked on text."""

from __future__ import annotations

import re

from raikoo_ai_runner.config.alignment import Guardrails


def violations(rules: Guardrails | None, text: str, stage: str) -> list[tuple[str, str]]:
    """``(rule, why)`` for each rule ``text`` breaks; rules are named ``<stage>.deny:<name>``,
    ``<stage>.require:<name>`` and ``<stage>.max_chars``."""
    if rules is None:
        return []
    found: list[tuple[str, str]] = []
    for pattern in rules.deny:
        flags = re.IGNORECASE if pattern.ignore_case else 0
        if re.search(pattern.regex, text, flags):
            found.append((f"{stage}.deny:{pattern.name}", f"the text matches {pattern.name!r}"))
    for pattern in rules.require:
        flags = re.IGNORECASE if pattern.ignore_case else 0
        if not re.search(pattern.regex, text, flags):
            found.append(
                (f"{stage}.require:{pattern.name}", f"the text does not match {pattern.name!r}")
            )
    if rules.max_chars is not None and len(text) > rules.max_chars:
        found.append(
            (f"{stage}.max_chars", f"the text has {len(text)} characters, over {rules.max_chars}")
        )
    return found
