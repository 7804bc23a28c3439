import type { ProblemError } from "./api";

export interface PinnedProblems {
  /** Problems by operation key (``operations.<key>…``), with the field path inside it. */
  byOperation: Map<string, { field: string; message: string }[]>;
  /** Problems of the definition as a whole (name, inputs, outputs…). */
  general: ProblemError[];
}

const OPERATION_PATH = /^operations\.([A-Za-z_][A-Za-z0-9_-]*)(?:[.[](.*))?$/;

export function pinProblems(errors: ProblemError[], keys: ReadonlySet<string>): PinnedProblems {
  const byOperation = new Map<string, { field: string; message: string }[]>();
  const general: ProblemError[] = [];
  for (const error of errors) {
    const match = OPERATION_PATH.exec(error.path);
    const key = match?.[1];
    if (key !== undefined && keys.has(key)) {
      const field = match?.[2] ?? "";
      byOperation.set(key, [...(byOperation.get(key) ?? []), { field, message: error.message }]);
    } else {
      general.push(error);
    }
  }
  return { byOperation, general };
}
