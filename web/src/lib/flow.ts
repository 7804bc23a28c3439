// The graph as React Flow draws it: operations as nodes, `needs` as solid edges, the
// outcomes of an `if`/`switch` as dashed labelled edges (not editable: they are config).
import type { Edge } from "@xyflow/react";

import type { OpFlowNode } from "@/components/OpNode";

import { branches, type Graph, NODE_HEIGHT, NODE_WIDTH } from "./graph";

export const needsEdgeId = (source: string, target: string) => `needs:${source}->${target}`;

export function flowNodes(graph: Graph, extra: (key: string) => Partial<OpFlowNode["data"]> = () => ({})): OpFlowNode[] {
  return graph.nodes.map((node) => ({
    id: node.key,
    type: "op",
    position: node.position,
    // Sized up front: drawn at once, without waiting to be measured (the graph is
    // rebuilt as states change, and 500 nodes need no layout pass each).
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    data: { key: node.key, kind: node.spec.uses, ...extra(node.key) },
  }));
}

export function flowEdges(graph: Graph): Edge[] {
  const keys = new Set(graph.nodes.map((node) => node.key));
  const edges: Edge[] = graph.edges
    .filter((edge) => keys.has(edge.source) && keys.has(edge.target))
    .map((edge) => ({ id: needsEdgeId(edge.source, edge.target), source: edge.source, target: edge.target }));
  for (const node of graph.nodes) {
    for (const [outcome, targets] of Object.entries(branches(node.spec))) {
      for (const target of targets) {
        if (!keys.has(target)) continue;
        edges.push({
          id: `branch:${node.key}:${outcome}->${target}`,
          source: node.key,
          target,
          label: outcome,
          className: "branch-edge",
          deletable: false,
          selectable: false,
        });
      }
    }
  }
  return edges;
}
