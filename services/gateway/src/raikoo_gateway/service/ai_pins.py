"""Resolving the provider connections, personas and tools a workflow's AI operations name,
when it is stored: each is looked up (a persona's own connection and tools too), its version
pinned in the workflow version, and every unknown name or model outside a connection's
allowed list reported with where it is written (422), before anything is stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.workflow.ai_objects import (
    AI_KINDS,
    GROUPS,
    ObjectNotPinned,
    Reference,
    ai_operations,
    check_model,
    config_references,
    literal_model,
    persona_reference,
    pin_key,
    references,
)
from raikoo_common.workflow.problems import DefinitionInvalid, Loc, Problem, SourceMap, problem_at
from raikoo_common.workflow.project_ops import used_operations
from raikoo_gateway.service import ai_objects
from raikoo_gateway.service.ai_objects import StoredObject, Where
from raikoo_gateway.service.tenancy import Tenant

_LISTED = {"provider": "/v1/providers", "persona": "/v1/personas", "tool": "/v1/tools"}


class _Resolver:
    def __init__(self, conn: AsyncConnection, tenant: Tenant, source_map: SourceMap | None):
        self.conn, self.tenant, self.source_map = conn, tenant, source_map
        self.pins: dict[str, dict[str, Any]] = {group: {} for group in GROUPS.values()}
        self.problems: list[Problem] = []
        self.checked: set[tuple[str, str]] = set()
        self.found: dict[tuple[str, str], StoredObject | None] = {}

    def problem(self, loc: Loc, message: str) -> None:
        self.problems.append(problem_at(loc, message, self.source_map))

    async def lookup(self, ref: Reference) -> StoredObject | None:
        if (ref.kind, ref.key) in self.found:
            return self.found[(ref.kind, ref.key)]
        org, project = self.tenant.org_id, self.tenant.project_id
        if ref.version is None:
            found = await ai_objects.effective(self.conn, ref.kind, org, project, ref.name)
        else:
            where = Where(ref.kind, org, project)
            found = await ai_objects.find_version(self.conn, where, ref.name, ref.version)
        self.found[(ref.kind, ref.key)] = found
        if found is not None:
            self.pins[GROUPS[ref.kind]][ref.key] = found.pin()
        return found

    async def resolve(self, ref: Reference, via: str = "") -> StoredObject | None:
        found = await self.lookup(ref)
        if found is None:
            version = f" version {ref.version}" if ref.version is not None else ""
            self.problem(
                ref.loc,
                f"{via}unknown {ref.kind} {ref.name!r}{version} (see GET {_LISTED[ref.kind]})",
            )
            return None
        if ref.kind == "persona":
            label = pin_key(ref.name, ref.version)
            seen = (ref.kind, ref.key) in self.checked
            self.checked.add((ref.kind, ref.key))
            for inner in [] if seen else config_references(found.spec, ref.loc):
                # Reported where the persona is named: its own fields are not in the text.
                named = Reference(inner.kind, inner.name, inner.version, ref.loc)
                await self.resolve(named, via=f"persona {label!r} names an ")
        return found


async def pin_ai_objects(
    conn: AsyncConnection,
    tenant: Tenant,
    document: Mapping[str, Any],
    source_map: SourceMap | None = None,
    operations: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``{"providers"|"personas"|"tools": {key: {"version", "scope", "spec"}}}`` for the
    names the document gives, and the AI project operations it uses (``operations``: their
    snapshots by name), empty groups left out; or ``DefinitionInvalid``."""
    refs = references(document) + _operation_references(document, operations or {})
    if not refs:
        return {}
    resolver = _Resolver(conn, tenant, source_map)
    for ref in refs:
        await resolver.resolve(ref)
    if not resolver.problems:
        _check_models(resolver, document)
    if resolver.problems:
        raise DefinitionInvalid(resolver.problems, source_map.source if source_map else None)
    return {group: pins for group, pins in resolver.pins.items() if pins}


def _operation_references(
    document: Mapping[str, Any], operations: Mapping[str, Any]
) -> list[Reference]:
    """Names in the config of an AI project operation, reported where the workflow uses it."""
    found: list[Reference] = []
    for name, locs in used_operations(document).items():
        snapshot = operations.get(name) or {}
        if snapshot.get("kind") in AI_KINDS and isinstance(snapshot.get("config"), Mapping):
            for ref in config_references(snapshot["config"], ()):
                found += [Reference(ref.kind, ref.name, ref.version, loc) for loc in locs]
    return found


def _check_models(resolver: _Resolver, document: Mapping[str, Any]) -> None:
    """A model an operation (or its persona) names literally must be one its named
    connection allows; a templated model is checked when the operation is dispatched."""
    pins = resolver.pins
    for loc, kind, config in ai_operations(document):
        if kind != "ai.prompt":  # a connection's default and allowed models are chat models
            continue
        persona_ref = persona_reference(config.get("persona"))
        persona = pins["personas"][pin_key(*persona_ref)]["spec"] if persona_ref else {}
        connection_name = config.get("provider")
        if connection_name is None and isinstance(persona.get("provider"), str):
            connection_name = persona["provider"]
        if not isinstance(connection_name, str):
            continue
        connection = {**pins["providers"][connection_name]["spec"], "name": connection_name}
        model = literal_model(config) if "model" in config else persona.get("model")
        where: Loc = (*loc, "model") if "model" in config else (*loc, "persona")
        try:
            check_model(model or connection.get("default_model"), connection)
        except ObjectNotPinned as exc:
            resolver.problem(where, str(exc))
