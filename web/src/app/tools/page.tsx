"use client";

// Tools of the project (docs/ai.md "Platform objects"): an HTTP endpoint, a workflow of the
// project run as a child, or an MCP server, that AI operations and personas name in their
// `tools`. Each change is a new version. Editors write them.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { ObjectVersions, VersionedRowActions } from "@/components/ObjectVersions";
import { ErrorNote, useMe } from "@/components/Shell";
import { EMPTY_TOOL, type ToolForm, toolForm, type ToolSpec, toolSpec, type ToolType } from "@/lib/aiObjects";
import { api, type Schemas, unwrap } from "@/lib/api";
import { atLeast } from "@/lib/roles";

type Tool = Schemas["ProjectTool"];

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export default function ToolsPage() {
  const client = useQueryClient();
  const canWrite = atLeast(useMe().data?.role, "editor");
  const [editing, setEditing] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [form, setForm] = useState<ToolForm>(EMPTY_TOOL);
  const [history, setHistory] = useState<string | null>(null);
  const [saved, setSaved] = useState<Tool | null>(null);
  const tools = useQuery({
    queryKey: ["tools"],
    queryFn: () => unwrap(api.GET("/v1/tools", { params: { query: { limit: 500 } } })),
  });
  const workflows = useQuery({
    queryKey: ["workflows", "names"],
    queryFn: () => unwrap(api.GET("/v1/workflows", { params: { query: { limit: 500 } } })),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["tools"] });
  const save = useMutation({
    mutationFn: async () => {
      const body = toolSpec(name, form);
      return unwrap(api.PUT("/v1/tools/{name}", { params: { path: { name } }, body }));
    },
    onSuccess: (tool) => {
      setSaved(tool);
      reset();
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (tool: string) => unwrap(api.DELETE("/v1/tools/{name}", { params: { path: { name: tool } } })),
    onSuccess: (_, tool) => {
      if (history === tool) setHistory(null);
      void refresh();
    },
  });

  function reset() {
    setEditing(null);
    setName("");
    setForm(EMPTY_TOOL);
    save.reset();
  }
  function edit(tool: Tool) {
    setSaved(null);
    setEditing(tool.name);
    setName(tool.name);
    setForm(toolForm(tool.spec));
  }
  const set = (field: keyof ToolForm) => (event: { target: { value: string } }) =>
    setForm({ ...form, [field]: event.target.value });
  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    save.mutate();
  }

  return (
    <section>
      <h1>Tools</h1>
      <p>
        Tools a model may call: an HTTP endpoint, a workflow of this project (run as a child), or the tools of an MCP
        server. AI operations and personas name them in their <code>tools</code>.
      </p>
      {!canWrite && <p className="hint">Viewers read tools; editors change them.</p>}
      <ErrorNote error={tools.error ?? remove.error} />
      {tools.data && tools.data.items.length > 0 && (
        <table aria-label="Tools">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Calls</th>
              <th scope="col">Version</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tools.data.items.map((tool) => (
              <tr key={tool.name}>
                <td>
                  <code>{tool.name}</code>
                  {tool.description && <div className="hint">{tool.description}</div>}
                </td>
                <td>{tool.spec.type}</td>
                <td>
                  <code>{target(tool.spec)}</code>
                </td>
                <td>v{tool.version}</td>
                <td>
                  <VersionedRowActions
                    what="tool"
                    name={tool.name}
                    canWrite={canWrite}
                    deleting={remove.isPending}
                    onEdit={() => edit(tool)}
                    onVersions={() => setHistory(tool.name)}
                    onDelete={() => remove.mutate(tool.name)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tools.data?.items.length === 0 && <p>No tools in this project.</p>}
      {saved && (
        <p role="status" className="notice">
          Saved tool <code>{saved.name}</code> as version {saved.version}.
        </p>
      )}

      <h2>{editing ? `Edit tool ${editing}` : "New tool"}</h2>
      <form onSubmit={submit} className="stack narrow" aria-label={editing ? `Edit tool ${editing}` : "New tool"}>
        <label htmlFor="tool-name">Name (what the model calls)</label>
        <input id="tool-name" required value={name} disabled={!canWrite || editing !== null} onChange={(event) => setName(event.target.value)} />
        <label htmlFor="tool-type">Type</label>
        <select
          id="tool-type"
          value={form.type}
          disabled={!canWrite}
          onChange={(event) => setForm({ ...form, type: event.target.value as ToolType })}
        >
          <option value="http">HTTP endpoint</option>
          <option value="workflow">workflow</option>
          <option value="mcp">MCP server</option>
        </select>
        {form.type !== "mcp" && (
          <>
            <label htmlFor="tool-description">Description (told to the model)</label>
            <textarea id="tool-description" rows={2} value={form.description} disabled={!canWrite} onChange={set("description")} />
          </>
        )}
        {form.type === "http" && (
          <>
            <label htmlFor="tool-url">URL (a template: {"{{ args.NAME }}"})</label>
            <input id="tool-url" value={form.url} disabled={!canWrite} onChange={set("url")} />
            <label htmlFor="tool-method">Method</label>
            <select id="tool-method" value={form.method} disabled={!canWrite} onChange={set("method")}>
              {METHODS.map((method) => (
                <option key={method}>{method}</option>
              ))}
            </select>
            <label htmlFor="tool-body">Body template (optional)</label>
            <textarea id="tool-body" className="mono" rows={3} value={form.body} disabled={!canWrite} onChange={set("body")} />
          </>
        )}
        {form.type === "workflow" && (
          <>
            <label htmlFor="tool-workflow">Workflow</label>
            <select id="tool-workflow" value={form.workflow} disabled={!canWrite} onChange={set("workflow")}>
              <option value="">choose one</option>
              {[...new Set([...(workflows.data?.items ?? []).map((item) => item.name), ...(form.workflow ? [form.workflow] : [])])].map(
                (workflow) => (
                  <option key={workflow}>{workflow}</option>
                ),
              )}
            </select>
            <label htmlFor="tool-workflow-version">Version (optional; default: the latest)</label>
            <input id="tool-workflow-version" inputMode="numeric" value={form.workflowVersion} disabled={!canWrite} onChange={set("workflowVersion")} />
          </>
        )}
        {form.type === "mcp" && (
          <>
            <label htmlFor="tool-mcp-url">Server URL</label>
            <input id="tool-mcp-url" value={form.url} disabled={!canWrite} onChange={set("url")} />
            <label htmlFor="tool-mcp-server">or a stdio server the operator configured (by name)</label>
            <input id="tool-mcp-server" value={form.server} disabled={!canWrite} onChange={set("server")} />
            <label htmlFor="tool-mcp-allow">Allowed tools of the server (one per line; empty: all)</label>
            <textarea id="tool-mcp-allow" rows={3} value={form.allow} disabled={!canWrite} onChange={set("allow")} />
          </>
        )}
        {form.type !== "mcp" && (
          <>
            <label htmlFor="tool-parameters">Parameters (JSON Schema of the arguments, optional)</label>
            <textarea
              id="tool-parameters"
              className="mono"
              rows={5}
              value={form.parameters}
              disabled={!canWrite}
              onChange={set("parameters")}
              placeholder='{"type": "object", "properties": {"city": {"type": "string"}}}'
            />
          </>
        )}
        {form.type !== "workflow" && (
          <>
            <label htmlFor="tool-headers">Headers (JSON object, optional; secrets as {"{{ secrets.NAME }}"})</label>
            <textarea id="tool-headers" className="mono" rows={3} value={form.headers} disabled={!canWrite} onChange={set("headers")} />
          </>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={!canWrite || save.isPending}>
            {editing ? "Save new version" : "Create tool"}
          </button>
          {editing && (
            <button type="button" onClick={reset}>
              Cancel
            </button>
          )}
        </div>
        <ErrorNote error={save.error} />
      </form>

      {history && (
        <ObjectVersions
          what="tool"
          name={history}
          queryKey={["tools"]}
          load={() => unwrap(api.GET("/v1/tools/{name}/versions", { params: { path: { name: history }, query: { limit: 100 } } }))}
        />
      )}
    </section>
  );
}

function target(spec: ToolSpec): string {
  if (spec.type === "http") return `${spec.method ?? "GET"} ${spec.url}`;
  if (spec.type === "workflow") return `${spec.workflow}${spec.version ? ` v${spec.version}` : ""}`;
  return spec.url ?? spec.server ?? "";
}
