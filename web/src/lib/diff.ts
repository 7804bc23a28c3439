// A unified diff (GET /v1/workflows/{name}/diff) as side-by-side rows: the older version on
// the left, the newer on the right, a changed line's two sides on one row.

export interface DiffCell {
  /** The line's number in its version. */
  line: number;
  text: string;
  change: "same" | "removed" | "added";
}

export type DiffRow =
  | { kind: "hunk"; text: string }
  | { kind: "lines"; left: DiffCell | null; right: DiffCell | null };

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function sideBySide(unified: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let left = 0;
  let right = 0;
  let removed: DiffCell[] = [];
  let added: DiffCell[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i += 1) {
      rows.push({ kind: "lines", left: removed[i] ?? null, right: added[i] ?? null });
    }
    removed = [];
    added = [];
  };
  let inHunk = false;
  for (const line of unified.split("\n")) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      flush();
      left = Number(hunk[1]);
      right = Number(hunk[2]);
      inHunk = true;
      rows.push({ kind: "hunk", text: line });
    } else if (!inHunk || line.startsWith("\\")) {
      continue; // the ---/+++ file header; "\ No newline at end of file"
    } else if (line.startsWith("-")) {
      removed.push({ line: left++, text: line.slice(1), change: "removed" });
    } else if (line.startsWith("+")) {
      added.push({ line: right++, text: line.slice(1), change: "added" });
    } else if (line.startsWith(" ")) {
      flush();
      rows.push({
        kind: "lines",
        left: { line: left++, text: line.slice(1), change: "same" },
        right: { line: right++, text: line.slice(1), change: "same" },
      });
    }
  }
  flush();
  return rows;
}
