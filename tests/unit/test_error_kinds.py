"""Every error kind the code fails an operation or a run with is listed in ERROR_KINDS, so
``retry.on`` validation and the docs cannot fall behind the code."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from raikoo_common.error_kinds import ERROR_KINDS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "libs" / "raikoo_common" / "src", *(ROOT / "services").glob("*/src")]
_FAILING = frozenset({"_failed", "_failure", "_fail"})
"""Helpers that take the error kind as their first text argument."""


def _texts(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):  # kind="timeout" if timed_out else "lost"
        yield from _texts(node.body)
        yield from _texts(node.orelse)


def _kinds_written(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in ("kind", "error_kind"):
                    yield from _texts(keyword.value)
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in _FAILING:
                first = next(
                    (arg for arg in node.args if isinstance(arg, ast.Constant | ast.IfExp)), None
                )
                if first is not None:
                    yield from _texts(first)
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "kind" for target in node.targets
        ):
            yield from _texts(node.value)
        elif isinstance(node, ast.Dict):
            keys = {key.value for key in node.keys if isinstance(key, ast.Constant)}
            if "message" not in keys:
                continue  # not an error record ({"kind": "openai"} is a provider's kind)
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "kind":
                    yield from _texts(value)


def kinds_in_code() -> dict[str, str]:
    found: dict[str, str] = {}
    for source in SOURCES:
        for path in source.rglob("*.py"):
            for kind in _kinds_written(ast.parse(path.read_text(encoding="utf-8"))):
                found.setdefault(kind, str(path.relative_to(ROOT)))
    return found


def test_every_error_kind_in_the_code_is_listed() -> None:
    found = kinds_in_code()
    assert {"timeout", "lost", "http_status", "not_found", "item_failed"} <= set(found), (
        "the scan finds the kinds where they are written"
    )
    missing = {kind: where for kind, where in found.items() if kind not in ERROR_KINDS}
    assert not missing, f"add these to raikoo_common.error_kinds.ERROR_KINDS: {missing}"


def test_each_kind_says_what_it_means() -> None:
    assert all(meaning.strip() for meaning in ERROR_KINDS.values())


def test_the_docs_list_every_kind() -> None:
    text = (ROOT / "docs" / "workflows.md").read_text(encoding="utf-8")
    section = text[text.index("### Error kinds") :]
    assert [kind for kind in ERROR_KINDS if f"`{kind}`" not in section] == []
