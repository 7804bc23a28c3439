import { describe, expect, it } from "vitest";

import { sideBySide } from "@/lib/diff";

// As Python's difflib.unified_diff writes it (services/gateway/.../service/workflows.py).
const UNIFIED = [
  "--- flow v1",
  "+++ flow v2",
  "@@ -3,5 +3,6 @@",
  "   a:",
  "     uses: set",
  "-  b:",
  "-    uses: noop",
  "+  b:",
  "+    uses: set",
  "+    with: {done: true}",
  " outputs: {}",
  "@@ -20,2 +21,1 @@",
  "-gone: 1",
  " kept: 2",
  "",
].join("\n");

describe("side-by-side diff", () => {
  const rows = sideBySide(UNIFIED);

  it("pairs removed lines with the lines added in their place", () => {
    expect(rows[0]).toEqual({ kind: "hunk", text: "@@ -3,5 +3,6 @@" });
    expect(rows[1]).toEqual({
      kind: "lines",
      left: { line: 3, text: "  a:", change: "same" },
      right: { line: 3, text: "  a:", change: "same" },
    });
    expect(rows[3]).toEqual({
      kind: "lines",
      left: { line: 5, text: "  b:", change: "removed" },
      right: { line: 5, text: "  b:", change: "added" },
    });
    expect(rows[5]).toEqual({ kind: "lines", left: null, right: { line: 7, text: "    with: {done: true}", change: "added" } });
    expect(rows[6]).toMatchObject({ left: { line: 7, text: "outputs: {}" }, right: { line: 8, text: "outputs: {}" } });
  });

  it("numbers each hunk from its header and leaves out the file header", () => {
    expect(rows[7]).toEqual({ kind: "hunk", text: "@@ -20,2 +21,1 @@" });
    expect(rows[8]).toEqual({ kind: "lines", left: { line: 20, text: "gone: 1", change: "removed" }, right: null });
    expect(rows[9]).toMatchObject({ left: { line: 21 }, right: { line: 21 } });
    expect(rows).toHaveLength(10);
    expect(JSON.stringify(rows)).not.toContain("flow v1");
  });

  it("has no rows for identical versions", () => {
    expect(sideBySide("")).toEqual([]);
  });
});
