"use client";

// AI provider connections (docs/ai.md "Platform objects"): the organization's, which every
// project uses, and a project's own, which override one of the same name there. Their API
// key is a secret reference ({{ secrets.NAME }}), never a value. Admins write them.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { ObjectVersions, VersionedRowActions } from "@/components/ObjectVersions";
import { ErrorNote, useMe } from "@/components/Shell";
import { EMPTY_PROVIDER, type ProviderForm, providerForm, providerSpec } from "@/lib/aiObjects";
import { api, type Schemas, unwrap } from "@/lib/api";
import { atLeast } from "@/lib/roles";

type Scope = "organization" | "project";
type Connection = Schemas["ProviderConnection"];

export default function ProvidersPage() {
  const client = useQueryClient();
  const canWrite = atLeast(useMe().data?.role, "admin");
  const [scope, setScope] = useState<Scope>("organization");
  const [editing, setEditing] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [form, setForm] = useState<ProviderForm>(EMPTY_PROVIDER);
  const [history, setHistory] = useState<string | null>(null);
  const [saved, setSaved] = useState<Connection | null>(null);
  const connections = useQuery({
    queryKey: ["providers", scope],
    queryFn: () => unwrap(api.GET("/v1/providers", { params: { query: { scope, limit: 500 } } })),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["providers"] });
  const save = useMutation({
    mutationFn: async () => {
      const body = providerSpec(form);
      return unwrap(api.PUT("/v1/providers/{name}", { params: { path: { name }, query: { scope } }, body }));
    },
    onSuccess: (connection) => {
      setSaved(connection);
      reset();
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (connection: string) =>
      unwrap(api.DELETE("/v1/providers/{name}", { params: { path: { name: connection }, query: { scope } } })),
    onSuccess: (_, connection) => {
      if (history === connection) setHistory(null);
      void refresh();
    },
  });

  function reset() {
    setEditing(null);
    setName("");
    setForm(EMPTY_PROVIDER);
    save.reset();
  }
  function edit(connection: Connection) {
    setSaved(null);
    setEditing(connection.name);
    setName(connection.name);
    setForm(providerForm({ ...connection.spec, description: connection.description }));
  }
  const set = (field: keyof ProviderForm) => (event: { target: { value: string } }) =>
    setForm({ ...form, [field]: event.target.value });
  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    save.mutate();
  }
  const azure = form.kind === "azure";

  return (
    <section>
      <h1>AI providers</h1>
      <p>
        Connections to model providers that AI operations and personas name. A project&apos;s own connection overrides
        the organization&apos;s of the same name there.
      </p>
      <label className="inline">
        Scope
        <select
          value={scope}
          onChange={(event) => {
            setScope(event.target.value as Scope);
            setHistory(null);
            reset();
          }}
        >
          <option value="organization">organization</option>
          <option value="project">this project</option>
        </select>
      </label>
      {!canWrite && <p className="hint">Only admins change provider connections; you can read them.</p>}
      <ErrorNote error={connections.error ?? remove.error} />
      {connections.data && connections.data.items.length > 0 && (
        <table aria-label="Provider connections">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Endpoint</th>
              <th scope="col">Models</th>
              <th scope="col">API key</th>
              <th scope="col">Version</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {connections.data.items.map((connection) => (
              <tr key={connection.name}>
                <td>
                  <code>{connection.name}</code>
                  {connection.description && <div className="hint">{connection.description}</div>}
                </td>
                <td>{connection.spec.kind ?? "openai"}</td>
                <td>{connection.spec.base_url ?? connection.spec.azure_endpoint ?? "default"}</td>
                <td>
                  {connection.spec.default_model ?? ""}
                  {(connection.spec.allowed_models ?? []).length > 0 && (
                    <div className="hint">allowed: {(connection.spec.allowed_models ?? []).join(", ")}</div>
                  )}
                </td>
                <td>{connection.spec.api_key ? <code>{connection.spec.api_key}</code> : "none"}</td>
                <td>v{connection.version}</td>
                <td>
                  <VersionedRowActions
                    what="provider"
                    name={connection.name}
                    canWrite={canWrite}
                    deleting={remove.isPending}
                    onEdit={() => edit(connection)}
                    onVersions={() => setHistory(connection.name)}
                    onDelete={() => remove.mutate(connection.name)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {connections.data?.items.length === 0 && <p>No provider connections in this scope.</p>}
      {saved && (
        <p role="status" className="notice">
          Saved provider <code>{saved.name}</code> as version {saved.version}.
        </p>
      )}

      <h2>{editing ? `Edit provider ${editing}` : "New provider connection"}</h2>
      <form onSubmit={submit} className="stack narrow" aria-label={editing ? `Edit provider ${editing}` : "New provider connection"}>
        <label htmlFor="provider-name">Name</label>
        <input
          id="provider-name"
          required
          value={name}
          disabled={!canWrite || editing !== null}
          onChange={(event) => setName(event.target.value)}
        />
        <label htmlFor="provider-kind">Kind</label>
        <select id="provider-kind" value={form.kind} disabled={!canWrite} onChange={set("kind")}>
          <option value="openai">OpenAI</option>
          <option value="azure">Azure OpenAI</option>
          <option value="compatible">OpenAI-compatible (Ollama, vLLM …)</option>
        </select>
        <label htmlFor="provider-description">Description (optional)</label>
        <input id="provider-description" value={form.description} disabled={!canWrite} onChange={set("description")} />
        {azure ? (
          <>
            <label htmlFor="provider-azure-endpoint">Azure endpoint</label>
            <input id="provider-azure-endpoint" type="url" value={form.azureEndpoint} disabled={!canWrite} onChange={set("azureEndpoint")} />
            <label htmlFor="provider-api-version">API version</label>
            <input id="provider-api-version" value={form.apiVersion} disabled={!canWrite} onChange={set("apiVersion")} />
            <label htmlFor="provider-deployment">Deployment (optional)</label>
            <input id="provider-deployment" value={form.deployment} disabled={!canWrite} onChange={set("deployment")} />
          </>
        ) : (
          <>
            <label htmlFor="provider-base-url">Base URL {form.kind === "openai" && "(optional)"}</label>
            <input id="provider-base-url" value={form.baseUrl} disabled={!canWrite} onChange={set("baseUrl")} placeholder="http://127.0.0.1:11434/v1" />
          </>
        )}
        <label htmlFor="provider-api-key">API key (a secret reference)</label>
        <input
          id="provider-api-key"
          value={form.apiKey}
          disabled={!canWrite}
          onChange={set("apiKey")}
          placeholder="{{ secrets.OPENAI_KEY }}"
          aria-describedby="provider-api-key-hint"
          autoComplete="off"
        />
        <p id="provider-api-key-hint" className="hint">
          Never the key itself: store it on the Secrets page and give <code>{"{{ secrets.NAME }}"}</code> here.
        </p>
        <label htmlFor="provider-default-model">Default model (optional)</label>
        <input id="provider-default-model" value={form.defaultModel} disabled={!canWrite} onChange={set("defaultModel")} />
        <label htmlFor="provider-allowed-models">Allowed models (one per line; empty: any)</label>
        <textarea id="provider-allowed-models" rows={3} value={form.allowedModels} disabled={!canWrite} onChange={set("allowedModels")} />
        <div className="row">
          <button type="submit" className="primary" disabled={!canWrite || save.isPending}>
            {editing ? "Save new version" : "Create provider"}
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
          what="provider"
          name={history}
          queryKey={["providers", scope]}
          load={() =>
            unwrap(
              api.GET("/v1/providers/{name}/versions", { params: { path: { name: history }, query: { scope, limit: 100 } } }),
            )
          }
        />
      )}
    </section>
  );
}
