import { describe, expect, it } from "vitest";

import {
  EMPTY_PERSONA,
  EMPTY_PROVIDER,
  EMPTY_TOOL,
  FieldProblem,
  items,
  personaForm,
  personaSpec,
  providerForm,
  providerSpec,
  toolForm,
  toolSpec,
} from "@/lib/aiObjects";

describe("provider connection forms", () => {
  it("write only what was filled, the key as the reference typed", () => {
    const spec = providerSpec({
      ...EMPTY_PROVIDER,
      kind: "compatible",
      baseUrl: " http://127.0.0.1:11434/v1 ",
      apiKey: "{{ secrets.LOCAL_KEY }}",
      defaultModel: "llama3.2",
      allowedModels: "llama3.2, qwen2.5\n\n",
    });
    expect(spec).toEqual({
      kind: "compatible",
      base_url: "http://127.0.0.1:11434/v1",
      api_key: "{{ secrets.LOCAL_KEY }}",
      default_model: "llama3.2",
      allowed_models: ["llama3.2", "qwen2.5"],
    });
  });

  it("keep Azure's fields for Azure only", () => {
    const form = { ...EMPTY_PROVIDER, baseUrl: "https://x.example/v1", azureEndpoint: "https://a.example", deployment: "d" };
    expect(providerSpec(form)).toEqual({ kind: "openai", base_url: "https://x.example/v1" });
    expect(providerSpec({ ...form, kind: "azure" })).toEqual({ kind: "azure", azure_endpoint: "https://a.example", deployment: "d" });
  });

  it("round-trip a stored spec through the form", () => {
    const spec = { kind: "openai" as const, api_key: "{{ secrets.K }}", default_model: "m", allowed_models: ["m", "n"], description: "main" };
    expect(providerSpec(providerForm(spec))).toEqual(spec);
  });
});

describe("persona forms", () => {
  it("read numbers, tool names and alignment", () => {
    const spec = personaSpec({
      ...EMPTY_PERSONA,
      instructions: "Be brief.",
      provider: "local",
      temperature: "0.2",
      maxTokens: "300",
      tools: "weather\nsearch",
      alignment: '{"on_violation": "repair"}',
    });
    expect(spec).toEqual({
      instructions: "Be brief.",
      provider: "local",
      temperature: 0.2,
      max_tokens: 300,
      tools: ["weather", "search"],
      alignment: { on_violation: "repair" },
    });
  });

  it("take inline tools as a JSON list and round-trip them", () => {
    const tools = ["weather", { type: "http" as const, name: "echo", url: "https://e.example/" }];
    const spec = personaSpec({ ...EMPTY_PERSONA, tools: JSON.stringify(tools) });
    expect(spec.tools).toEqual(tools);
    expect(personaSpec(personaForm(spec))).toEqual(spec);
  });

  it("name the field of text that is not a value", () => {
    expect(() => personaSpec({ ...EMPTY_PERSONA, temperature: "warm" })).toThrow(new FieldProblem("body.temperature", '"warm" is not a number'));
    expect(() => personaSpec({ ...EMPTY_PERSONA, alignment: "{on" })).toThrow(/^body\.alignment: not valid JSON/);
    expect(() => personaSpec({ ...EMPTY_PERSONA, alignment: "[1]" })).toThrow("body.alignment: must be a JSON object");
    expect(() => personaSpec({ ...EMPTY_PERSONA, tools: '[{"a": ' })).toThrow(/^body\.tools: not valid JSON/);
  });
});

describe("tool forms", () => {
  it("build each kind with its own fields only", () => {
    const form = {
      ...EMPTY_TOOL,
      description: "Weather by city",
      url: "https://w.example/{{ args.city }}",
      workflow: "ignored",
      parameters: '{"type": "object", "properties": {"city": {"type": "string"}}}',
    };
    expect(toolSpec("weather", form)).toEqual({
      name: "weather",
      type: "http",
      description: "Weather by city",
      url: "https://w.example/{{ args.city }}",
      method: "GET",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    });
    expect(toolSpec("summarise", { ...form, type: "workflow", workflowVersion: "3" })).toEqual({
      name: "summarise",
      type: "workflow",
      description: "Weather by city",
      workflow: "ignored",
      version: 3,
      parameters: { type: "object", properties: { city: { type: "string" } } },
    });
    expect(toolSpec("docs", { ...form, type: "mcp", allow: "search, fetch" })).toEqual({
      name: "docs",
      type: "mcp",
      url: "https://w.example/{{ args.city }}",
      allow: ["search", "fetch"],
    });
  });

  it("round-trip stored tools through the form", () => {
    const specs = [
      { name: "a", type: "http" as const, description: "d", url: "https://x.example/", method: "POST" as const, body: "{}", headers: { "X-A": "1" } },
      { name: "b", type: "workflow" as const, description: "d", workflow: "w", version: 2 },
      { name: "c", type: "mcp" as const, server: "docs", allow: ["search"] },
    ];
    for (const spec of specs) expect(toolSpec(spec.name, toolForm(spec))).toEqual(spec);
  });

  it("refuse headers that are not an object", () => {
    expect(() => toolSpec("a", { ...EMPTY_TOOL, headers: '["x"]' })).toThrow("body.headers: must be a JSON object");
  });
});

describe("items", () => {
  it("splits on lines and commas", () => {
    expect(items(" a,b\n c ,,\n")).toEqual(["a", "b", "c"]);
  });
});
