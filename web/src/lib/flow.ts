// The graph as React Flow draws it: operations as nodes, `needs` as solid edges, the
// outcomes of an `if`/`switch` as dashed labelled edges (not editable: they are config), a
// loop as a group with its body's operations inside (sub-flow nodes, drawn from the loop's
// `do`: edited in its config or the YAML tab, never moved or deleted on their own).
import type { Edge } from "@xyflow/react";

import type { BodyFlowNode, FlowNode, OpFlowNode } from "@/components/OpNode";

import { branches, type Graph, nodeSize } from "./graph";
import { BODY_NODE_HEIGHT, BODY_NODE_WIDTH, bodyLayout, bodyNodeId, loopBody } from "./loops";

export const needsEdgeId = (source: string, target: string) => `needs:${source}->${target}`;

export function flowNodes(graph: Graph, extra: (key: string) => Partial<OpFlowNode["data"]> = () => ({})): FlowNode[] {
  const nodes: FlowNode[] = [];
  for (const node of graph.nodes) {
    // Sized up front: drawn at once, without waiting to be measured (the graph is
    // rebuilt as states change, and 500 nodes need no layout pass each). `measured` too:
    // a node given without it is measured again, its handles unknown until then, so its
    // edges would vanish for a moment at every change (or for good, when changes follow
    // each other faster than the measuring).
    const { width, height } = nodeSize(node.spec);
    const body = loopBody(node.spec);
    nodes.push({
      id: node.key,
      type: "op",
      position: node.position,
      width,
      height,
      measured: { width, height },
      data: { key: node.key, kind: node.spec.uses, ...(body ? { body: body.ops.length } : {}), ...extra(node.key) },
    });
    if (!body) continue;
    const layout = bodyLayout(body);
    // A child follows its parent in the list, as React Flow requires.
    for (const op of body.ops) {
      const child: BodyFlowNode = {
        id: bodyNodeId(node.key, op.key),
        type: "body",
        parentId: node.key,
        extent: "parent",
        position: layout.positions.get(op.key) ?? { x: 0, y: 0 },
        width: BODY_NODE_WIDTH,
        height: BODY_NODE_HEIGHT,
        measured: { width: BODY_NODE_WIDTH, height: BODY_NODE_HEIGHT },
        draggable: false,
        selectable: false,
        deletable: false,
        connectable: false,
        data: { loop: node.key, key: body.single ? "" : op.key, kind: op.uses },
      };
      nodes.push(child);
    }
  }
  return nodes;
}

export function flowEdges(graph: Graph): Edge[] {
  const keys = new Set(graph.nodes.map((node) => node.key));
  const edges: Edge[] = graph.edges
    .filter((edge) => keys.has(edge.source) && keys.has(edge.target))
    .map((edge) => ({ id: needsEdgeId(edge.source, edge.target), source: edge.source, target: edge.target }));
  for (const node of graph.nodes) {
    const body = loopBody(node.spec)?.ops ?? [];
    const inBody = new Set(body.map((op) => op.key));
    for (const op of body) {
      for (const need of op.needs.filter((key) => inBody.has(key))) {
        edges.push({
          id: `body:${node.key}:${need}->${op.key}`,
          source: bodyNodeId(node.key, need),
          target: bodyNodeId(node.key, op.key),
          className: "body-edge",
          deletable: false,
          selectable: false,
          focusable: false,
        });
      }
    }
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
