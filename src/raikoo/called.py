"""The workflows a definition calls (``workflow.call``) and the definitions beside a file
that provide them, so ``raikoo run`` can store them and ``raikoo validate`` can check them."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUFFIXES = (".yaml", ".yml", ".json")
_MAX_BYTES = 1 << 20
"""Bigger files beside a workflow are data, not definitions: not read."""


@dataclass(frozen=True)
class Call:
    loc: tuple[str | int, ...]
    """Where the called workflow's name is written."""
    workflow: str
    version: int | None


def calls_in(document: Mapping[str, Any]) -> list[Call]:
    """The ``workflow.call`` operations that name their workflow literally (a template
    name is known only when the run renders it)."""
    operations = document.get("operations")
    if not isinstance(operations, Mapping):
        return []
    return [call for key, spec in operations.items() for call in _calls(spec, ("operations", key))]


def _calls(spec: Any, loc: tuple[str | int, ...]) -> Iterator[Call]:
    if not isinstance(spec, Mapping):
        return
    config = spec.get("with")
    if spec.get("uses") == "workflow.call" and isinstance(config, Mapping):
        name, version = config.get("workflow"), config.get("version")
        if isinstance(name, str) and name and "{{" not in name and "{%" not in name:
            pinned = version if isinstance(version, int) and not isinstance(version, bool) else None
            yield Call((*loc, "with", "workflow"), name, pinned)
    body = spec.get("do")
    if isinstance(body, Mapping):
        if "uses" in body:
            yield from _calls(body, (*loc, "do"))
        else:
            for key, sub in body.items():
                yield from _calls(sub, (*loc, "do", key))


def read_definition(path: Path) -> dict[str, Any] | None:
    """The file's document if it is a workflow definition with a name; None otherwise."""
    try:
        if path.stat().st_size > _MAX_BYTES:
            return None
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else _yaml(text)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("operations"), dict):
        return None
    return data if isinstance(data.get("name"), str) else None


def _yaml(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from None


def definitions_beside(directory: Path) -> dict[str, Path]:
    """Workflow definitions in ``directory`` by name; where two files share a name, the one
    named after it (``export.yaml`` for ``name: export``) or else the first wins."""
    found: dict[str, Path] = {}
    paths = sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())
    for path in paths:
        document = read_definition(path)
        if document is None:
            continue
        name = document["name"]
        if name not in found or (path.stem == name and found[name].stem != name):
            found[name] = path
    return found


def called_beside(file: Path, document: Mapping[str, Any]) -> dict[str, Path]:
    """The workflows ``document`` calls, directly or through the ones it calls, that a file
    beside ``file`` defines: name → file. Calls to itself and names not found are left out."""
    calls = calls_in(document)
    if not calls:
        return {}  # no need to read the directory
    beside = definitions_beside(file.resolve().parent)
    own = document.get("name")
    found: dict[str, Path] = {}
    pending = [call.workflow for call in calls]
    while pending:
        name = pending.pop()
        path = beside.get(name)
        if name == own or name in found or path is None or path.resolve() == file.resolve():
            continue
        found[name] = path
        child = read_definition(path)
        pending += [call.workflow for call in calls_in(child or {})]
    return found
