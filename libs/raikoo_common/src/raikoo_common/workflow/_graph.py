"""The dependency graph of a workflow's operations: cycles and what runs before what."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

Graph = Mapping[str, Iterable[str]]
"""Each operation key to the keys it needs; every needed key is itself a node."""


def find_cycles(graph: Graph) -> list[list[str]]:
    """Distinct cycles, each once, as ``[a, b, c, a]`` (a needs b, which needs c, which needs a).

    One cycle per back edge of a depth-first search: every cyclic part of the graph
    shows up, without enumerating exponentially many cycles.
    """
    cycles: dict[tuple[str, ...], list[str]] = {}
    state: dict[str, int] = {}  # 1 while on the search path, 2 once finished
    for root in sorted(graph):
        if root in state:
            continue
        path: list[str] = [root]
        pending = [iter(sorted(graph[root]))]
        state[root] = 1
        while pending:
            following = next(pending[-1], None)
            if following is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(following) == 1:
                cycle = path[path.index(following) :]
                start = cycle.index(min(cycle))
                canonical = (*cycle[start:], *cycle[:start])
                cycles.setdefault(canonical, [*canonical, canonical[0]])
            elif following not in state:
                state[following] = 1
                path.append(following)
                pending.append(iter(sorted(graph[following])))
    return list(cycles.values())


def upstream(graph: Graph, key: str) -> set[str]:
    """Every operation ``key`` needs, directly or through others."""
    seen: set[str] = set()
    pending = list(graph[key])
    while pending:
        node = pending.pop()
        if node not in seen:
            seen.add(node)
            pending.extend(graph[node])
    return seen
