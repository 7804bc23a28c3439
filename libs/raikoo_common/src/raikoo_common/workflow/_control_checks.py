"""Checks of control flow: branches (``then``/``else``/``cases``), loop bodies, triggers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from raikoo_common.workflow._model_problems import suggest
from raikoo_common.workflow.problems import Loc
from raikoo_common.workflow.schema import BRANCHING_KINDS, LOOP_KINDS

_BRANCH_FIELDS = {"if": ("then", "else"), "switch": ("cases", "default")}


@dataclass
class Operation:
    """What can be read of one operation, however malformed the rest of it is."""

    key: str
    """Its key within its group: the workflow's operations or one loop's body."""
    uses: str | None
    config: Any
    loc: Loc
    group: str | None
    """The loop whose body it belongs to; None for the workflow's own operations."""
    spec: Mapping[str, Any]
    needs: list[tuple[int, str]] = field(default_factory=list)

    @classmethod
    def read(cls, key: str, spec: Mapping[str, Any], loc: Loc, group: str | None) -> Operation:
        uses, needs = spec.get("uses"), spec.get("needs")
        return cls(
            key=key,
            uses=uses if isinstance(uses, str) and uses else None,
            config=spec.get("with", {}),
            loc=loc,
            group=group,
            spec=spec,
            needs=list(_strings(needs) if isinstance(needs, list) else ()),
        )

    @property
    def when(self) -> Any:
        return self.spec.get("when")

    def known_needs(self, group: Mapping[str, Operation]) -> set[str]:
        return {need for _, need in self.needs if need in group} - {self.key}

    def branch_targets(self) -> Iterator[tuple[Loc, list[tuple[int, str]]]]:
        """Each branch list of this operation with where it is written."""
        for name in ("then", "else", "default"):
            targets = self.spec.get(name)
            if isinstance(targets, list):
                yield (*self.loc, name), list(_strings(targets))
        cases = self.spec.get("cases")
        if isinstance(cases, Mapping):
            for case, targets in cases.items():
                if isinstance(targets, list):
                    yield (*self.loc, "cases", case), list(_strings(targets))


def control_problems(
    operations: list[Operation], groups: Mapping[str | None, Mapping[str, Operation]]
) -> Iterator[tuple[Loc, str]]:
    top = groups[None]
    for op in operations:
        yield from _misplaced_fields(op)
        yield from _branch_problems(op, groups.get(op.group, {}))
        if op.group is not None:
            if op.uses in LOOP_KINDS:
                yield (
                    (*op.loc, "uses"),
                    (
                        "a loop body cannot contain another loop yet: move the inner loop into "
                        "its own workflow"
                    ),
                )
            if op.key in top and op.key:
                yield (
                    op.loc,
                    (
                        f"{op.key!r} is also an operation of the workflow: give body operations "
                        "names of their own, so `ops.<name>` means one thing"
                    ),
                )
        elif op.uses in LOOP_KINDS and not isinstance(op.spec.get("do"), Mapping):
            yield op.loc, f"a {op.uses} operation needs a `do` body: one operation or a group"


def _misplaced_fields(op: Operation) -> Iterator[tuple[Loc, str]]:
    if op.uses is None:
        return
    allowed = _BRANCH_FIELDS.get(op.uses, ())
    for name in ("then", "else", "cases", "default"):
        if op.spec.get(name) and name not in allowed:
            yield (*op.loc, name), f"`{name}` applies only to {_owner(name)} operations"
    if op.spec.get("do") is not None and op.uses not in LOOP_KINDS:
        loops = ", ".join(sorted(LOOP_KINDS))
        yield (*op.loc, "do"), f"`do` applies only to loops ({loops})"


def _owner(field_name: str) -> str:
    return "`if`" if field_name in ("then", "else") else "`switch`"


def _branch_problems(op: Operation, group: Mapping[str, Operation]) -> Iterator[tuple[Loc, str]]:
    if op.uses not in BRANCHING_KINDS:
        return
    seen: dict[str, Loc] = {}
    for loc, targets in op.branch_targets():
        for index, target in targets:
            at: Loc = (*loc, index)
            if target == op.key:
                yield at, "an operation cannot be its own branch"
            elif target not in group:
                yield at, f"unknown operation {target!r}{suggest(target, group)}"
            elif target in seen:
                where = ".".join(str(part) for part in seen[target][2:])
                yield at, f"{target!r} is already a target at {where}: one outcome per operation"
            seen.setdefault(target, at)


def _strings(items: list[Any]) -> Iterator[tuple[int, str]]:
    return ((index, item) for index, item in enumerate(items) if isinstance(item, str))
