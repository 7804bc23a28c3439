// What runs inside a loop (`foreach`, `for`, `while`, `until`): its `do` body, one
// operation or a group of operations with their own `needs` (docs/workflows.md). The canvas
// draws the loop as a group with its body inside; the body stays in the loop's spec, so
// drawing it changes nothing of the definition.
import { isRecord } from "./definition";

export const LOOP_KINDS: ReadonlySet<string> = new Set(["foreach", "for", "while", "until"]);

export interface BodyOp {
  /** The key in the group, or `do` for a one-operation body. */
  key: string;
  uses: string;
  needs: string[];
}

export interface LoopBody {
  /** A one-operation body (`do: {uses: …}`) rather than a group. */
  single: boolean;
  ops: BodyOp[];
}

/** The body of a loop operation, or null when ``spec`` is no loop or has no body to draw. */
export function loopBody(spec: { uses: string; do?: unknown }): LoopBody | null {
  if (!LOOP_KINDS.has(spec.uses) || !isRecord(spec.do)) return null;
  const body = spec.do;
  if (typeof body.uses === "string") return { single: true, ops: [{ key: "do", uses: body.uses, needs: [] }] };
  const ops: BodyOp[] = [];
  for (const [key, op] of Object.entries(body)) {
    if (!isRecord(op) || typeof op.uses !== "string") continue; // the gateway's validation names it
    const needs = Array.isArray(op.needs) ? op.needs.filter((need): need is string => typeof need === "string") : [];
    ops.push({ key, uses: op.uses, needs });
  }
  return ops.length ? { single: false, ops } : null;
}

export const BODY_NODE_WIDTH = 170;
export const BODY_NODE_HEIGHT = 44;
/** Room for the loop's own key and kind above its body. */
export const LOOP_HEADER = 56;
const PAD = 14;
const GAP = 20;

export interface BodyLayout {
  /** Positions relative to the loop's group, by body key. */
  positions: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
}

/** The body's operations in layers by their `needs` (longest path), inside the group. */
export function bodyLayout(body: LoopBody): BodyLayout {
  const needs = new Map(body.ops.map((op) => [op.key, op.needs]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (key: string): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    if (visiting.has(key)) return 0; // a cycle (invalid anyway): draw it, do not loop
    visiting.add(key);
    let deepest = -1;
    for (const need of needs.get(key) ?? []) if (needs.has(need) && need !== key) deepest = Math.max(deepest, depthOf(need));
    visiting.delete(key);
    depth.set(key, deepest + 1);
    return deepest + 1;
  };
  const columns = new Map<number, number>();
  const positions = new Map<string, { x: number; y: number }>();
  let widest = 0;
  let deepest = 0;
  for (const op of body.ops) {
    const layer = depthOf(op.key);
    const column = columns.get(layer) ?? 0;
    columns.set(layer, column + 1);
    widest = Math.max(widest, column + 1);
    deepest = Math.max(deepest, layer + 1);
    positions.set(op.key, {
      x: PAD + column * (BODY_NODE_WIDTH + GAP),
      y: LOOP_HEADER + PAD + layer * (BODY_NODE_HEIGHT + GAP),
    });
  }
  return {
    positions,
    width: 2 * PAD + widest * BODY_NODE_WIDTH + (widest - 1) * GAP,
    height: LOOP_HEADER + 2 * PAD + deepest * BODY_NODE_HEIGHT + (deepest - 1) * GAP,
  };
}

/** The canvas id of a body operation: `/` never appears in an operation key, so it cannot
 * be taken for one. */
export const bodyNodeId = (loop: string, key: string) => `${loop}/${key}`;

export function isBodyNodeId(id: string): boolean {
  return id.includes("/");
}
