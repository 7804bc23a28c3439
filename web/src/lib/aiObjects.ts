// The forms of provider connections, personas and tools (docs/ai.md "Platform objects"):
// what a user typed, as the spec the API takes, and a stored spec back as the form's text.
// The API validates every field; here only text that is not yet a value (a list, a
// number, a JSON document) is read, and an unreadable one is named by its body path.
import type { Schemas } from "./api";

export type ProviderSpec = Schemas["ProviderSpec"];
export type PersonaSpec = Schemas["PersonaSpec"];
export type ToolSpec = Schemas["ProjectTool"]["spec"];

/** Text a form field could not be read from, named the way the API names its problems. */
export class FieldProblem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = "FieldProblem";
  }
}

/** The items of a list typed one per line or comma-separated, blanks dropped. */
export function items(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A number field: undefined when empty. */
export function numberOf(text: string, path: string): number | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) throw new FieldProblem(path, `${JSON.stringify(trimmed)} is not a number`);
  return value;
}

/** A JSON field: undefined when empty. */
export function jsonOf(text: string, path: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FieldProblem(path, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** A JSON object field (headers, parameters …): undefined when empty. */
export function objectOf(text: string, path: string): Record<string, unknown> | undefined {
  const value = jsonOf(text, path);
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FieldProblem(path, "must be a JSON object ({…})");
  }
  return value as Record<string, unknown>;
}

/** The object without its empty fields (undefined, "" and empty lists), so that the API
 * applies its defaults and an unchanged form writes an identical spec. */
export function compact<T extends object>(value: T): Partial<T> {
  const kept: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    if (field === undefined || field === null || field === "") continue;
    if (Array.isArray(field) && field.length === 0) continue;
    kept[name] = field;
  }
  return kept as Partial<T>;
}

const text = (value: unknown): string => (value === undefined || value === null ? "" : String(value));
const json = (value: unknown): string => (value === undefined || value === null ? "" : JSON.stringify(value, null, 2));

// Provider connections ---------------------------------------------------------------

export interface ProviderForm {
  kind: NonNullable<ProviderSpec["kind"]>;
  description: string;
  baseUrl: string;
  azureEndpoint: string;
  apiVersion: string;
  deployment: string;
  apiKey: string;
  defaultModel: string;
  allowedModels: string;
}

export const EMPTY_PROVIDER: ProviderForm = {
  kind: "openai",
  description: "",
  baseUrl: "",
  azureEndpoint: "",
  apiVersion: "",
  deployment: "",
  apiKey: "",
  defaultModel: "",
  allowedModels: "",
};

export function providerSpec(form: ProviderForm): ProviderSpec {
  const azure = form.kind === "azure";
  return compact({
    kind: form.kind,
    description: form.description.trim(),
    base_url: azure ? "" : form.baseUrl.trim(),
    azure_endpoint: azure ? form.azureEndpoint.trim() : "",
    api_version: azure ? form.apiVersion.trim() : "",
    deployment: azure ? form.deployment.trim() : "",
    api_key: form.apiKey.trim(),
    default_model: form.defaultModel.trim(),
    allowed_models: items(form.allowedModels),
  }) as ProviderSpec;
}

export function providerForm(spec: ProviderSpec): ProviderForm {
  return {
    kind: spec.kind ?? "openai",
    description: text(spec.description),
    baseUrl: text(spec.base_url),
    azureEndpoint: text(spec.azure_endpoint),
    apiVersion: text(spec.api_version),
    deployment: text(spec.deployment),
    apiKey: text(spec.api_key),
    defaultModel: text(spec.default_model),
    allowedModels: (spec.allowed_models ?? []).join("\n"),
  };
}

// Personas ---------------------------------------------------------------------------

export interface PersonaForm {
  description: string;
  instructions: string;
  provider: string;
  model: string;
  temperature: string;
  topP: string;
  maxTokens: string;
  /** Tool names one per line, or a JSON list (names and inline tools). */
  tools: string;
  /** The alignment object as JSON. */
  alignment: string;
}

export const EMPTY_PERSONA: PersonaForm = {
  description: "",
  instructions: "",
  provider: "",
  model: "",
  temperature: "",
  topP: "",
  maxTokens: "",
  tools: "",
  alignment: "",
};

export function personaSpec(form: PersonaForm): PersonaSpec {
  const tools = form.tools.trim().startsWith("[") ? jsonOf(form.tools, "body.tools") : items(form.tools);
  if (tools !== undefined && !Array.isArray(tools)) throw new FieldProblem("body.tools", "must be a list");
  return compact({
    description: form.description.trim(),
    instructions: form.instructions.trim(),
    provider: form.provider.trim(),
    model: form.model.trim(),
    temperature: numberOf(form.temperature, "body.temperature"),
    top_p: numberOf(form.topP, "body.top_p"),
    max_tokens: numberOf(form.maxTokens, "body.max_tokens"),
    tools: tools as PersonaSpec["tools"],
    alignment: objectOf(form.alignment, "body.alignment") as PersonaSpec["alignment"],
  }) as PersonaSpec;
}

export function personaForm(spec: PersonaSpec): PersonaForm {
  const tools = spec.tools ?? [];
  return {
    description: text(spec.description),
    instructions: text(spec.instructions),
    provider: text(spec.provider),
    model: text(spec.model),
    temperature: text(spec.temperature),
    topP: text(spec.top_p),
    maxTokens: text(spec.max_tokens),
    tools: tools.every((tool) => typeof tool === "string") ? tools.join("\n") : json(tools),
    alignment: json(spec.alignment),
  };
}

// Tools ------------------------------------------------------------------------------

export type ToolType = ToolSpec["type"];

export interface ToolForm {
  type: ToolType;
  description: string;
  /** http: the endpoint; mcp: the server's URL. */
  url: string;
  method: NonNullable<Schemas["HttpTool"]["method"]>;
  /** http: a body template. */
  body: string;
  workflow: string;
  workflowVersion: string;
  /** mcp: a server of the gateway's configuration, instead of a URL. */
  server: string;
  /** mcp: the server's tools it may call, one per line (empty: all). */
  allow: string;
  /** The JSON Schema of the arguments (http, workflow). */
  parameters: string;
  /** Headers as a JSON object (http, mcp). */
  headers: string;
}

export const EMPTY_TOOL: ToolForm = {
  type: "http",
  description: "",
  url: "",
  method: "GET",
  body: "",
  workflow: "",
  workflowVersion: "",
  server: "",
  allow: "",
  parameters: "",
  headers: "",
};

export function toolSpec(name: string, form: ToolForm): ToolSpec {
  const common = { name, type: form.type, description: form.description.trim() };
  if (form.type === "http") {
    return compact({
      ...common,
      url: form.url.trim(),
      method: form.method,
      body: form.body,
      parameters: objectOf(form.parameters, "body.parameters"),
      headers: objectOf(form.headers, "body.headers"),
    }) as ToolSpec;
  }
  if (form.type === "workflow") {
    return compact({
      ...common,
      workflow: form.workflow.trim(),
      version: numberOf(form.workflowVersion, "body.version"),
      parameters: objectOf(form.parameters, "body.parameters"),
    }) as ToolSpec;
  }
  // An MCP tool's description comes from its server; the API refuses one here.
  return compact({
    name,
    type: form.type,
    url: form.url.trim(),
    server: form.server.trim(),
    allow: items(form.allow),
    headers: objectOf(form.headers, "body.headers"),
  }) as ToolSpec;
}

export function toolForm(spec: ToolSpec): ToolForm {
  const form: ToolForm = { ...EMPTY_TOOL, type: spec.type };
  if (spec.type === "http") {
    return {
      ...form,
      description: text(spec.description),
      url: spec.url,
      method: spec.method ?? "GET",
      body: text(spec.body),
      parameters: json(spec.parameters),
      headers: json(spec.headers && Object.keys(spec.headers).length ? spec.headers : undefined),
    };
  }
  if (spec.type === "workflow") {
    return {
      ...form,
      description: text(spec.description),
      workflow: spec.workflow,
      workflowVersion: text(spec.version),
      parameters: json(spec.parameters),
    };
  }
  return {
    ...form,
    url: text(spec.url),
    server: text(spec.server),
    allow: (spec.allow ?? []).join("\n"),
    headers: json(spec.headers && Object.keys(spec.headers).length ? spec.headers : undefined),
  };
}
