// Undo/redo over immutable snapshots; consecutive changes with the same coalescing key
// (typing in one field, dragging one node) are one step.

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  lastKey: string | null;
}

export const LIMIT = 200;

export function start<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null };
}

export function record<T>(history: History<T>, next: T, key: string | null = null): History<T> {
  if (next === history.present) return history;
  if (key !== null && key === history.lastKey) return { ...history, present: next, future: [] };
  return { past: [...history.past, history.present].slice(-LIMIT), present: next, future: [], lastKey: key };
}

/** Replaces the present without a step of its own (selection, live drag positions). */
export function replace<T>(history: History<T>, next: T): History<T> {
  return { ...history, present: next };
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past[history.past.length - 1];
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future], lastKey: null };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest, lastKey: null };
}
