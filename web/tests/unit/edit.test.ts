import { describe, expect, it } from "vitest";

import { addOperation, connect, duplicateOperations, removeOperations, renameOperation } from "@/lib/edit";
import { definitionToGraph, graphToDefinition } from "@/lib/graph";
import { record, redo, start, undo } from "@/lib/history";
import { groupKinds } from "@/lib/kinds";
import { pinProblems } from "@/lib/problems";

const graph = definitionToGraph({
  name: "branches",
  operations: {
    check: { uses: "if", with: { condition: "{{ true }}" }, then: ["yes"], else: ["no"] },
    yes: { uses: "set", needs: ["check"] },
    no: { uses: "set", needs: ["check"] },
  },
});

describe("designer edits", () => {
  it("connects to set needs, refusing cycles, self-loops and duplicates", () => {
    const connected = connect(graph, "yes", "no");
    expect(graphToDefinition(connected).operations.no?.needs).toEqual(["check", "yes"]);
    expect(connect(connected, "no", "yes")).toBe(connected);
    expect(connect(connected, "no", "check")).toBe(connected);
    expect(connect(connected, "yes", "yes")).toBe(connected);
    expect(connect(connected, "yes", "no")).toBe(connected);
  });

  it("deletes operations with their edges and the branches that named them", () => {
    const removed = graphToDefinition(removeOperations(graph, new Set(["no"])));
    expect(Object.keys(removed.operations)).toEqual(["check", "yes"]);
    expect(removed.operations.check).toMatchObject({ then: ["yes"], else: [] });
  });

  it("renames an operation everywhere the graph names it", () => {
    const renamed = graphToDefinition(renameOperation(graph, "yes", "approved"));
    expect(renamed.operations.check?.then).toEqual(["approved"]);
    expect(renamed.operations.approved?.needs).toEqual(["check"]);
    expect(renameOperation(graph, "yes", "no")).toBe(graph);
  });

  it("adds and duplicates with fresh keys", () => {
    const [added, key] = addOperation(graph, "http.request", { x: 0, y: 0 });
    expect(key).toBe("http_request_1");
    const [copied, keys] = duplicateOperations(added, new Set(["check", "yes"]));
    expect(keys).toEqual(["check_1", "yes_1"]);
    expect(graphToDefinition(copied).operations.yes_1?.needs).toEqual(["check_1"]);
  });

  it("undoes and redoes, typing in one field being one step", () => {
    let history = start(1);
    history = record(history, 2, "name");
    history = record(history, 3, "name");
    history = record(history, 4);
    expect(undo(history).present).toBe(3);
    expect(undo(undo(history)).present).toBe(1);
    expect(redo(undo(undo(history))).present).toBe(3);
  });
});

describe("problems and kinds", () => {
  it("pins each problem on the operation and field its path names", () => {
    const pinned = pinProblems(
      [
        { path: "operations.yes.with.url", message: "required field is missing" },
        { path: "operations.no.needs[0]", message: "unknown operation 'x'" },
        { path: "operations.gone.uses", message: "unknown" },
        { path: "name", message: "bad name" },
      ],
      new Set(["yes", "no"]),
    );
    expect(pinned.byOperation.get("yes")).toEqual([{ field: "with.url", message: "required field is missing" }]);
    expect(pinned.byOperation.get("no")).toEqual([{ field: "needs[0]", message: "unknown operation 'x'" }]);
    expect(pinned.general.map((problem) => problem.path)).toEqual(["operations.gone.uses", "name"]);
  });

  it("groups the palette by family", () => {
    const groups = groupKinds([
      { name: "if", family: "control" },
      { name: "foreach", family: "control" },
      { name: "ai.prompt", family: "ai" },
      { name: "wait.approval", family: "control" },
      { name: "http.request", family: "programmatic" },
      { name: "op/greeting", family: "project" },
    ]);
    expect(groups.map(([family, kinds]) => [family, kinds.map((kind) => kind.name)])).toEqual([
      ["Logic", ["if"]],
      ["Iteration", ["foreach"]],
      ["Utilities", ["http.request"]],
      ["AI", ["ai.prompt"]],
      ["Waits", ["wait.approval"]],
      ["Project operations", ["op/greeting"]],
    ]);
  });
});
