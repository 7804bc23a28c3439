// Definition ↔ graph: what the designer draws and edits, and the definition it writes back.
// Nodes are operations in the definition's order; an edge `a → b` is `b.needs: [a]`.
// Positions live in `metadata.layout`, so they travel with the file kept in git.
import dagre from "@dagrejs/dagre";

import type { Definition, DefinitionHeader, OperationBody, OperationSpec, Position } from "./definition";
import { bodyLayout, loopBody } from "./loops";

export interface GraphNode {
  key: string;
  spec: OperationBody;
  position: Position;
}

export interface GraphEdge {
  source: string;
  target: string;
}

export interface Graph {
  /** Everything of the definition but its operations and their layout. */
  header: DefinitionHeader;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 72;

/** The size an operation is drawn at: a loop with a body is a group around it. */
export function nodeSize(spec: OperationBody): { width: number; height: number } {
  const body = loopBody(spec);
  if (!body) return { width: NODE_WIDTH, height: NODE_HEIGHT };
  const { width, height } = bodyLayout(body);
  return { width: Math.max(NODE_WIDTH, width), height: Math.max(NODE_HEIGHT, height) };
}

export function definitionToGraph(definition: Definition): Graph {
  const { operations, ...header } = definition;
  const layout = header.metadata?.layout ?? {};
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const [key, full] of Object.entries(operations)) {
    const { needs, ...spec } = full;
    nodes.push({ key, spec, position: layout[key] ?? { x: Number.NaN, y: Number.NaN } });
    for (const source of needs ?? []) edges.push({ source, target: key });
  }
  const placed = nodes.some((node) => Number.isNaN(node.position.x))
    ? autoLayout({ header, nodes, edges }, { keep: true })
    : nodes;
  return { header: withoutLayout(header), nodes: placed, edges };
}

export function graphToDefinition(graph: Graph): Definition {
  const operations: Record<string, OperationSpec> = {};
  const layout: Record<string, Position> = {};
  const needsOf = new Map<string, string[]>();
  for (const edge of graph.edges) needsOf.set(edge.target, [...(needsOf.get(edge.target) ?? []), edge.source]);
  for (const node of graph.nodes) {
    const needs = needsOf.get(node.key);
    const { uses, ...rest } = node.spec;
    operations[node.key] = needs ? { uses, needs, ...rest } : { uses, ...rest };
    layout[node.key] = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
  }
  const header: Record<string, unknown> = {
    ...graph.header,
    operations,
    metadata: { ...(graph.header.metadata ?? {}), layout },
  };
  const ordered: Record<string, unknown> = {};
  for (const field of TOP_LEVEL_ORDER) if (field in header) ordered[field] = header[field];
  for (const [field, value] of Object.entries(header)) if (!(field in ordered)) ordered[field] = value;
  return ordered as Definition;
}

const TOP_LEVEL_ORDER = [
  "apiVersion",
  "kind",
  "name",
  "description",
  "inputs",
  "settings",
  "operations",
  "outputs",
  "metadata",
];

/** Above this many operations, layers by longest path instead of dagre (whose crossing
 * reduction takes seconds on hundreds of densely connected operations). */
export const DAGRE_LIMIT = 150;

/** Positions top to bottom; ``keep``: only nodes without a position move. */
export function autoLayout(graph: Graph, options: { keep?: boolean } = {}): GraphNode[] {
  if (graph.nodes.length > DAGRE_LIMIT) return layeredLayout(graph, options);
  const layered = new dagre.graphlib.Graph();
  layered.setGraph({ rankdir: "TB", nodesep: 40, ranksep: 60 });
  layered.setDefaultEdgeLabel(() => ({}));
  const keys = new Set(graph.nodes.map((node) => node.key));
  const sizes = new Map(graph.nodes.map((node) => [node.key, nodeSize(node.spec)]));
  for (const node of graph.nodes) layered.setNode(node.key, sizes.get(node.key));
  for (const edge of graph.edges) {
    if (keys.has(edge.source) && keys.has(edge.target)) layered.setEdge(edge.source, edge.target);
  }
  dagre.layout(layered);
  return graph.nodes.map((node) => {
    if (options.keep && !Number.isNaN(node.position.x)) return node;
    const placed = layered.node(node.key);
    const { width, height } = sizes.get(node.key) ?? { width: NODE_WIDTH, height: NODE_HEIGHT };
    return { ...node, position: { x: Math.round(placed.x - width / 2), y: Math.round(placed.y - height / 2) } };
  });
}

/** Each operation one layer below the deepest operation it needs, in definition order
 * within its layer (a layer as tall as its tallest operation): linear in operations and
 * edges. */
export function layeredLayout(graph: Graph, options: { keep?: boolean } = {}): GraphNode[] {
  const needs = new Map<string, string[]>();
  for (const edge of graph.edges) needs.set(edge.target, [...(needs.get(edge.target) ?? []), edge.source]);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (key: string): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    if (visiting.has(key)) return 0; // a cycle (invalid anyway): draw it, do not loop
    visiting.add(key);
    let deepest = -1;
    for (const source of needs.get(key) ?? []) if (source !== key) deepest = Math.max(deepest, depthOf(source));
    visiting.delete(key);
    depth.set(key, deepest + 1);
    return deepest + 1;
  };
  const layers = graph.nodes.map((node) => depthOf(node.key));
  const sizes = graph.nodes.map((node) => nodeSize(node.spec));
  const tallest: number[] = [];
  layers.forEach((layer, index) => {
    tallest[layer] = Math.max(tallest[layer] ?? 0, sizes[index]?.height ?? NODE_HEIGHT);
  });
  const top: number[] = [];
  for (let layer = 0, y = 0; layer < tallest.length; layer += 1) {
    top[layer] = y;
    y += (tallest[layer] ?? NODE_HEIGHT) + 60;
  }
  const nextX = new Map<number, number>();
  return graph.nodes.map((node, index) => {
    const layer = layers[index] ?? 0;
    const x = nextX.get(layer) ?? 0;
    nextX.set(layer, x + (sizes[index]?.width ?? NODE_WIDTH) + 40);
    if (options.keep && !Number.isNaN(node.position.x)) return node;
    return { ...node, position: { x, y: top[layer] ?? 0 } };
  });
}

/** The operations an ``if``/``switch`` leads to, by outcome. */
export function branches(spec: OperationBody): Record<string, string[]> {
  if (spec.uses === "if") return { then: spec.then ?? [], else: spec.else ?? [] };
  if (spec.uses === "switch") return { ...(spec.cases ?? {}), default: spec.default ?? [] };
  return {};
}

/** A new operation key for ``kind`` that none of ``taken`` uses. */
export function freshKey(kind: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = kind.replace(/^op\//, "").replace(/[^A-Za-z0-9_-]/g, "_").replace(/^[^A-Za-z_]/, "_");
  for (let n = 1; ; n += 1) {
    const key = `${base}_${n}`.slice(0, 64);
    if (!used.has(key)) return key;
  }
}

function withoutLayout(header: DefinitionHeader): DefinitionHeader {
  if (!header.metadata) return header;
  const { layout: _layout, ...rest } = header.metadata;
  return { ...header, metadata: rest };
}
