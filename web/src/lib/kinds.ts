// The operation kinds the gateway offers (GET /v1/operation-kinds), grouped for the palette.

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  $ref?: string;
  additionalProperties?: boolean | JsonSchema;
  $defs?: Record<string, JsonSchema>;
}

export interface Kind {
  name: string;
  family: string;
  summary: string;
  config_schema: JsonSchema;
  output_schema: JsonSchema;
}

export const FAMILIES = ["Logic", "Iteration", "Utilities", "AI", "Waits", "Workflows", "Project operations"] as const;
export type Family = (typeof FAMILIES)[number];

const BY_NAME: Record<string, Family> = {
  if: "Logic",
  switch: "Logic",
  fail: "Logic",
  foreach: "Iteration",
  for: "Iteration",
  while: "Iteration",
  until: "Iteration",
  delay: "Waits",
  sleep: "Waits",
  "workflow.call": "Workflows",
};

export function familyOf(kind: Pick<Kind, "name" | "family">): Family {
  if (kind.name.startsWith("op/")) return "Project operations";
  if (kind.name.startsWith("wait.")) return "Waits";
  if (kind.name.startsWith("ai.") || kind.family === "ai") return "AI";
  return BY_NAME[kind.name] ?? "Utilities";
}

export function groupKinds<K extends Pick<Kind, "name" | "family">>(kinds: K[]): [Family, K[]][] {
  const groups = new Map<Family, K[]>();
  for (const kind of kinds) {
    const family = familyOf(kind);
    groups.set(family, [...(groups.get(family) ?? []), kind]);
  }
  return FAMILIES.filter((family) => groups.has(family)).map((family) => [
    family,
    [...(groups.get(family) ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
  ]);
}

/** The schema a field really has: ``anyOf [X, null]`` is an optional X; ``$ref`` resolved. */
export function fieldSchema(schema: JsonSchema, root: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  let resolved = resolveRef(schema, root);
  let nullable = false;
  if (resolved.anyOf) {
    const others = resolved.anyOf.filter((option) => option.type !== "null");
    nullable = others.length < resolved.anyOf.length;
    if (others.length === 1 && others[0]) resolved = { ...resolveRef(others[0], root), description: resolved.description, title: resolved.title, default: resolved.default };
  }
  return { schema: resolved, nullable };
}

function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (!ref?.startsWith("#/$defs/")) return schema;
  return root.$defs?.[ref.slice("#/$defs/".length)] ?? schema;
}

/** The drag-and-drop payload type of a palette item (its kind name). */
export const KIND_MIME = "application/x-raikoo-kind";
