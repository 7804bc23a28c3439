// The live state of a run's operations, folded from the API's operation list and then
// from the events the run streams.

export const TERMINAL_RUN_STATES = new Set(["succeeded", "failed", "cancelled"]);

export interface OpRunLike {
  key: string;
  state: string;
  item_index?: number | null;
}

export interface RunEventData {
  op_key?: string;
  state?: string;
  item_index?: number | null;
  seq?: number;
}

/** The state of each operation (not of loop body items) from the operation runs listed. */
export function statesFromRuns(runs: OpRunLike[]): Map<string, string> {
  const states = new Map<string, string>();
  for (const run of runs) if (run.item_index === null || run.item_index === undefined) states.set(run.key, run.state);
  return states;
}

/** Applies one `operation.state_changed` event; false when it changes nothing drawn. */
export function applyEvent(states: Map<string, string>, data: RunEventData): boolean {
  if (!data.op_key || !data.state) return false;
  if (data.item_index !== null && data.item_index !== undefined) return false;
  if (states.get(data.op_key) === data.state) return false;
  states.set(data.op_key, data.state);
  return true;
}
