import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { Definition, OperationSpec } from "@/lib/definition";
import { definitionToGraph, graphToDefinition } from "@/lib/graph";
import { parseDefinition, toYaml } from "@/lib/yaml";

/** What a definition means: `needs: []` is no `needs`, and the layout is not meaning. */
function meaning(definition: Definition): unknown {
  const operations = Object.fromEntries(
    Object.entries(definition.operations).map(([key, spec]) => {
      const { needs, ...rest } = spec;
      return [key, needs && needs.length ? { ...rest, needs } : rest];
    }),
  );
  const { layout: _layout, ...metadata } = definition.metadata ?? {};
  const { metadata: _metadata, ...header } = definition;
  return { ...header, operations, ...(Object.keys(metadata).length ? { metadata } : {}) };
}

const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,12}$/);
const text = fc.string({ unit: "binary", maxLength: 20 });
const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)));
const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 3 }),
  ),
})).value;

const definitions: fc.Arbitrary<Definition> = fc
  .uniqueArray(key, { minLength: 1, maxLength: 8 })
  .chain((keys) =>
    fc.record({
      name: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/),
      description: fc.option(text, { nil: undefined }),
      inputs: fc.option(fc.dictionary(key, fc.record({ type: fc.constantFrom("string", "number", "any" as const), default: scalar }), { maxKeys: 3 }), { nil: undefined }),
      outputs: fc.option(fc.dictionary(key, text, { maxKeys: 3 }), { nil: undefined }),
      metadata: fc.option(fc.record({ owner: text }), { nil: undefined }),
      operations: fc.tuple(
        ...keys.map((k, index) =>
          fc.record(
            {
              uses: fc.constantFrom("set", "noop", "http.request", "if", "foreach", "op/shared"),
              with: fc.dictionary(key, value, { maxKeys: 4 }),
              needs: fc.subarray(keys.slice(0, index)),
              when: fc.constantFrom("all_done", "{{ inputs.x }}"),
              retry: fc.record({ max_attempts: fc.integer({ min: 1, max: 5 }) }),
              timeout: fc.constantFrom("30s", 5),
              then: fc.subarray(keys.slice(index + 1)),
              do: fc.oneof(
                fc.record({ uses: fc.constant("set"), with: fc.dictionary(key, scalar, { maxKeys: 2 }) }),
                // a group body: operations with their own needs
                fc.uniqueArray(key, { minLength: 1, maxLength: 3 }).map((inner) =>
                  Object.fromEntries(inner.map((k, i) => [k, { uses: "set", ...(i ? { needs: [inner[i - 1]] } : {}) }])),
                ),
              ),
            },
            { requiredKeys: ["uses"] },
          ).map((spec) => [k, spec as OperationSpec] as const),
        ),
      ).map((entries) => Object.fromEntries(entries)),
    }),
  )
  .map((record) => JSON.parse(JSON.stringify(record)) as Definition);

describe("definition ↔ graph", () => {
  it("draws needs as edges and writes them back in order", () => {
    const definition: Definition = {
      name: "chain",
      operations: {
        a: { uses: "set" },
        b: { uses: "set", needs: ["a"] },
        c: { uses: "merge", needs: ["b", "a"], with: { mode: "deep" } },
      },
    };
    const graph = definitionToGraph(definition);
    expect(graph.nodes.map((node) => node.key)).toEqual(["a", "b", "c"]);
    expect(graph.edges).toEqual([
      { source: "a", target: "b" },
      { source: "b", target: "c" },
      { source: "a", target: "c" },
    ]);
    const back = graphToDefinition(graph);
    expect(back.operations.c).toEqual({ uses: "merge", needs: ["b", "a"], with: { mode: "deep" } });
    expect(Object.keys(back)).toEqual(["name", "operations", "metadata"]);
  });

  it("keeps positions in metadata.layout and lays out operations that have none", () => {
    const definition: Definition = {
      name: "placed",
      operations: { a: { uses: "set" }, b: { uses: "set", needs: ["a"] } },
      metadata: { layout: { a: { x: 10, y: 20 } }, owner: "team" },
    };
    const graph = definitionToGraph(definition);
    expect(graph.nodes[0]?.position).toEqual({ x: 10, y: 20 });
    expect(Number.isFinite(graph.nodes[1]?.position.x)).toBe(true);
    const back = graphToDefinition(graph);
    expect(back.metadata?.layout?.a).toEqual({ x: 10, y: 20 });
    expect(back.metadata?.owner).toBe("team");
    expect(Object.keys(back.metadata?.layout ?? {})).toEqual(["a", "b"]);
  });

  it("lays out a large graph in layers: every operation below all it needs", () => {
    const operations: Definition["operations"] = {};
    for (let i = 0; i < 400; i += 1) {
      operations[`op_${i}`] = { uses: "set", needs: i ? [`op_${Math.floor((i - 1) / 3)}`, `op_${i - 1}`] : [] };
    }
    const graph = definitionToGraph({ name: "large", operations });
    const at = new Map(graph.nodes.map((node) => [node.key, node.position]));
    for (const edge of graph.edges) expect(at.get(edge.source)!.y).toBeLessThan(at.get(edge.target)!.y);
    const spots = new Set(graph.nodes.map((node) => `${node.position.x},${node.position.y}`));
    expect(spots.size).toBe(400);
  });

  it("survives YAML → graph → YAML unchanged in meaning, for any valid definition", () => {
    fc.assert(
      fc.property(definitions, (definition) => {
        const parsed = parseDefinition(toYaml(definition));
        expect(parsed.problems).toEqual([]);
        const drawn = graphToDefinition(definitionToGraph(parsed.definition as Definition));
        const again = parseDefinition(toYaml(drawn));
        expect(meaning(again.definition as Definition)).toEqual(meaning(definition));
        // and a second trip changes nothing at all, positions included
        expect(graphToDefinition(definitionToGraph(again.definition as Definition))).toEqual(again.definition);
      }),
      { numRuns: 100 },
    );
  });
});

describe("YAML the graph cannot draw", () => {
  it("names what is wrong instead of drawing nothing", () => {
    const kinds = new Set(["set"]);
    expect(parseDefinition("name: x\noperations:\n  a: {uses: teleport}\n", kinds).problems).toEqual([
      "operations.a.uses: unknown operation kind 'teleport'",
    ]);
    expect(parseDefinition("name: x\noperations: [a]\n", kinds).problems[0]).toMatch(/^operations: must be a mapping/);
    expect(parseDefinition("- just\n- a list\n", kinds).problems).toEqual(["the definition must be a mapping (name, operations, …)"]);
    expect(parseDefinition("name: x\n  bad: indent: here\n", kinds).problems[0]).toMatch(/^line \d+: /);
    expect(parseDefinition("name: x\noperations:\n  a: {uses: op/shared, needs: b}\n", kinds).problems).toEqual([
      "operations.a.needs: must be a list of operation keys",
    ]);
  });
});
