// Edits of the designer's graph, as pure functions (each returns a new graph).
import type { OperationBody } from "./definition";
import { freshKey, type Graph, type GraphNode } from "./graph";

export function addOperation(graph: Graph, kind: string, position: { x: number; y: number }): [Graph, string] {
  const key = freshKey(kind, graph.nodes.map((node) => node.key));
  const node: GraphNode = { key, spec: { uses: kind }, position };
  return [{ ...graph, nodes: [...graph.nodes, node] }, key];
}

export function removeOperations(graph: Graph, keys: ReadonlySet<string>): Graph {
  if (!keys.size) return graph;
  const keep = (list: string[] | undefined) => list?.filter((key) => !keys.has(key));
  return {
    ...graph,
    nodes: graph.nodes
      .filter((node) => !keys.has(node.key))
      .map((node) => ({ ...node, spec: withoutBranchTargets(node.spec, keep) })),
    edges: graph.edges.filter((edge) => !keys.has(edge.source) && !keys.has(edge.target)),
  };
}

export function duplicateOperations(graph: Graph, keys: ReadonlySet<string>): [Graph, string[]] {
  const taken = new Set(graph.nodes.map((node) => node.key));
  const copies: GraphNode[] = [];
  const renamed = new Map<string, string>();
  for (const node of graph.nodes) {
    if (!keys.has(node.key)) continue;
    const key = freshKey(node.key.replace(/_\d+$/, ""), taken);
    taken.add(key);
    renamed.set(node.key, key);
    copies.push({ key, spec: structuredClone(node.spec), position: { x: node.position.x + 40, y: node.position.y + 40 } });
  }
  const edges = graph.edges.flatMap((edge) => {
    const target = renamed.get(edge.target);
    if (!target) return [];
    return [{ source: renamed.get(edge.source) ?? edge.source, target }];
  });
  return [{ ...graph, nodes: [...graph.nodes, ...copies], edges: [...graph.edges, ...edges] }, copies.map((c) => c.key)];
}

/** ``target`` needs ``source``; refused (unchanged) for a loop or a duplicate. */
export function connect(graph: Graph, source: string, target: string): Graph {
  if (source === target) return graph;
  if (graph.edges.some((edge) => edge.source === source && edge.target === target)) return graph;
  if (reaches(graph, target, source)) return graph;
  return { ...graph, edges: [...graph.edges, { source, target }] };
}

export function disconnect(graph: Graph, source: string, target: string): Graph {
  return { ...graph, edges: graph.edges.filter((edge) => !(edge.source === source && edge.target === target)) };
}

export function updateSpec(graph: Graph, key: string, spec: OperationBody): Graph {
  return { ...graph, nodes: graph.nodes.map((node) => (node.key === key ? { ...node, spec } : node)) };
}

export function moveOperation(graph: Graph, key: string, position: { x: number; y: number }): Graph {
  return { ...graph, nodes: graph.nodes.map((node) => (node.key === key ? { ...node, position } : node)) };
}

export function renameOperation(graph: Graph, from: string, to: string): Graph {
  if (from === to || graph.nodes.some((node) => node.key === to)) return graph;
  const swap = (list: string[] | undefined) => list?.map((key) => (key === from ? to : key));
  return {
    ...graph,
    nodes: graph.nodes.map((node) => ({
      ...node,
      key: node.key === from ? to : node.key,
      spec: withoutBranchTargets(node.spec, swap),
    })),
    edges: graph.edges.map((edge) => ({
      source: edge.source === from ? to : edge.source,
      target: edge.target === from ? to : edge.target,
    })),
  };
}

/** Whether ``to`` is reachable from ``from`` along `needs` edges (source → target). */
function reaches(graph: Graph, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const key = stack.pop() as string;
    if (key === to) return true;
    if (seen.has(key)) continue;
    seen.add(key);
    stack.push(...(next.get(key) ?? []));
  }
  return false;
}

function withoutBranchTargets(
  spec: OperationBody,
  change: (list: string[] | undefined) => string[] | undefined,
): OperationBody {
  const next = { ...spec };
  for (const field of ["then", "else", "default"] as const) if (next[field]) next[field] = change(next[field]);
  if (next.cases) {
    next.cases = Object.fromEntries(Object.entries(next.cases).map(([label, list]) => [label, change(list) ?? []]));
  }
  return next;
}
