import { describe, expect, it } from "vitest";

import type { Definition } from "@/lib/definition";
import { flowEdges, flowNodes } from "@/lib/flow";
import { definitionToGraph, graphToDefinition, NODE_HEIGHT, NODE_WIDTH, nodeSize } from "@/lib/graph";
import { BODY_NODE_HEIGHT, BODY_NODE_WIDTH, bodyLayout, isBodyNodeId, LOOP_HEADER, loopBody } from "@/lib/loops";

const enrich: Definition = {
  name: "enrich",
  operations: {
    rows: { uses: "set", with: { items: [1, 2] } },
    enrich: {
      uses: "foreach",
      needs: ["rows"],
      with: { items: "{{ ops.rows.output.items }}" },
      do: {
        lookup: { uses: "http.request", with: { url: "https://example.com/{{ item }}" } },
        score: { uses: "set", with: { n: 1 } },
        merge: { uses: "set", needs: ["lookup", "score"] },
      },
    },
    report: { uses: "set", needs: ["enrich"] },
  },
};

describe("loop bodies", () => {
  it("are read from `do`: a group with its needs, or one operation", () => {
    expect(loopBody(enrich.operations.enrich!)).toEqual({
      single: false,
      ops: [
        { key: "lookup", uses: "http.request", needs: [] },
        { key: "score", uses: "set", needs: [] },
        { key: "merge", uses: "set", needs: ["lookup", "score"] },
      ],
    });
    expect(loopBody({ uses: "until", do: { uses: "http.request", with: {} } })).toEqual({
      single: true,
      ops: [{ key: "do", uses: "http.request", needs: [] }],
    });
  });

  it("are none for other kinds, or a body with nothing to draw", () => {
    expect(loopBody({ uses: "set", do: { uses: "set" } })).toBeNull();
    expect(loopBody({ uses: "foreach" })).toBeNull();
    expect(loopBody({ uses: "foreach", do: "text" })).toBeNull();
    expect(loopBody({ uses: "foreach", do: { broken: 3 } })).toBeNull();
  });

  it("are laid out in layers by their needs, inside the group, below its header", () => {
    const body = loopBody(enrich.operations.enrich!)!;
    const layout = bodyLayout(body);
    const at = (key: string) => layout.positions.get(key)!;
    expect(at("lookup").y).toBe(at("score").y);
    expect(at("merge").y).toBeGreaterThan(at("lookup").y + BODY_NODE_HEIGHT);
    expect(at("lookup").y).toBeGreaterThanOrEqual(LOOP_HEADER);
    for (const position of layout.positions.values()) {
      expect(position.x + BODY_NODE_WIDTH).toBeLessThanOrEqual(layout.width);
      expect(position.y + BODY_NODE_HEIGHT).toBeLessThanOrEqual(layout.height);
    }
    expect(nodeSize(enrich.operations.enrich!)).toEqual({ width: Math.max(NODE_WIDTH, layout.width), height: layout.height });
    expect(nodeSize({ uses: "set" })).toEqual({ width: NODE_WIDTH, height: NODE_HEIGHT });
  });

  it("are drawn as child nodes of the loop's group, with their needs as edges", () => {
    const graph = definitionToGraph(enrich);
    const nodes = flowNodes(graph);
    expect(nodes.map((node) => node.id)).toEqual(["rows", "enrich", "enrich/lookup", "enrich/score", "enrich/merge", "report"]);
    const loop = nodes.find((node) => node.id === "enrich")!;
    expect(loop.data).toMatchObject({ key: "enrich", kind: "foreach", body: 3 });
    for (const child of nodes.filter((node) => node.type === "body")) {
      expect(child).toMatchObject({ parentId: "enrich", extent: "parent", draggable: false, selectable: false, deletable: false });
      expect(child.position.x + BODY_NODE_WIDTH).toBeLessThanOrEqual(loop.width!);
      expect(child.position.y + BODY_NODE_HEIGHT).toBeLessThanOrEqual(loop.height!);
      expect(isBodyNodeId(child.id)).toBe(true);
    }
    const edges = flowEdges(graph).map((edge) => `${edge.source}->${edge.target}`);
    expect(edges).toEqual(["rows->enrich", "enrich->report", "enrich/lookup->enrich/merge", "enrich/score->enrich/merge"]);
  });

  it("leave the definition as it was: drawing them is not editing them", () => {
    const back = graphToDefinition(definitionToGraph(enrich));
    const { metadata, ...rest } = back;
    expect(rest).toEqual(enrich);
    expect(Object.keys(metadata?.layout ?? {})).toEqual(["rows", "enrich", "report"]);
  });

  it("make room: the operation after a loop is laid out below its whole group", () => {
    const graph = definitionToGraph(enrich);
    const at = new Map(graph.nodes.map((node) => [node.key, node.position]));
    expect(at.get("report")!.y).toBeGreaterThanOrEqual(at.get("enrich")!.y + nodeSize(enrich.operations.enrich!).height);
  });
});
