// The workflow definition format (docs/workflows.md) as the console reads and writes it.
// Fields the console does not know are kept as they are: it never drops what it cannot draw.

export interface RetrySpec {
  max_attempts?: number;
  backoff?: number | string;
  max_backoff?: number | string;
  jitter?: number;
  on?: string[];
}

/** An operation as the designer edits it: everything but `needs` (the graph's edges). */
export interface OperationBody {
  uses: string;
  with?: Record<string, unknown>;
  when?: string | null;
  retry?: RetrySpec | null;
  timeout?: number | string | null;
  then?: string[];
  else?: string[];
  cases?: Record<string, string[]>;
  default?: string[];
  do?: unknown;
  [field: string]: unknown;
}

export interface OperationSpec extends OperationBody {
  needs?: string[];
}

export interface InputSpec {
  type?: "string" | "number" | "integer" | "boolean" | "object" | "array" | "any";
  default?: unknown;
  required?: boolean | null;
  description?: string | null;
}

export interface Position {
  x: number;
  y: number;
}

export interface Metadata {
  layout?: Record<string, Position>;
  [field: string]: unknown;
}

/** A definition but its operations. */
export interface DefinitionHeader {
  apiVersion?: string;
  kind?: string;
  name: string;
  description?: string | null;
  inputs?: Record<string, InputSpec>;
  settings?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  metadata?: Metadata;
  [field: string]: unknown;
}

export interface Definition extends DefinitionHeader {
  operations: Record<string, OperationSpec>;
}

export const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Why a document cannot be drawn (the YAML tab lists it), or null when it can. */
export function undrawable(document: unknown, knownKinds?: ReadonlySet<string>): string[] {
  if (!isRecord(document)) return ["the definition must be a mapping (name, operations, …)"];
  const problems: string[] = [];
  if (!isRecord(document.operations)) {
    problems.push("operations: must be a mapping of operation keys to operations");
    return problems;
  }
  for (const [key, spec] of Object.entries(document.operations)) {
    if (!isRecord(spec) || typeof spec.uses !== "string") {
      problems.push(`operations.${key}: must be a mapping with \`uses\` (an operation kind)`);
      continue;
    }
    const known = spec.uses.startsWith("op/") || !knownKinds || knownKinds.has(spec.uses);
    if (!known) problems.push(`operations.${key}.uses: unknown operation kind '${spec.uses}'`);
    if (spec.needs !== undefined && !isStringList(spec.needs)) {
      problems.push(`operations.${key}.needs: must be a list of operation keys`);
    }
  }
  return problems;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}
