"use client";

// Personas of the project (docs/ai.md "Platform objects"): instructions, a provider
// connection, model and sampling defaults, default tools and alignment. Each change is a
// new version; workflow versions keep the version they pinned. Editors write them.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";

import { ObjectVersions, VersionedRowActions } from "@/components/ObjectVersions";
import { ErrorNote, useMe } from "@/components/Shell";
import { EMPTY_PERSONA, type PersonaForm, personaForm, personaSpec } from "@/lib/aiObjects";
import { api, type Schemas, unwrap } from "@/lib/api";
import { atLeast } from "@/lib/roles";

type Persona = Schemas["Persona"];

/** The names of the provider connections a persona of this project can name. */
function useProviderNames(): string[] {
  const providers = useQuery({
    queryKey: ["providers", "names"],
    queryFn: async () => {
      const [organization, project] = await Promise.all(
        (["organization", "project"] as const).map((scope) =>
          unwrap(api.GET("/v1/providers", { params: { query: { scope, limit: 500 } } })),
        ),
      );
      return [...new Set([...(organization?.items ?? []), ...(project?.items ?? [])].map((item) => item.name))].sort();
    },
  });
  return providers.data ?? [];
}

export default function PersonasPage() {
  const client = useQueryClient();
  const canWrite = atLeast(useMe().data?.role, "editor");
  const [editing, setEditing] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [form, setForm] = useState<PersonaForm>(EMPTY_PERSONA);
  const [history, setHistory] = useState<string | null>(null);
  const [saved, setSaved] = useState<Persona | null>(null);
  const providers = useProviderNames();
  const personas = useQuery({
    queryKey: ["personas"],
    queryFn: () => unwrap(api.GET("/v1/personas", { params: { query: { limit: 500 } } })),
  });
  const tools = useQuery({
    queryKey: ["tools"],
    queryFn: () => unwrap(api.GET("/v1/tools", { params: { query: { limit: 500 } } })),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["personas"] });
  const save = useMutation({
    mutationFn: async () => {
      const body = personaSpec(form);
      return unwrap(api.PUT("/v1/personas/{name}", { params: { path: { name } }, body }));
    },
    onSuccess: (persona) => {
      setSaved(persona);
      reset();
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (persona: string) => unwrap(api.DELETE("/v1/personas/{name}", { params: { path: { name: persona } } })),
    onSuccess: (_, persona) => {
      if (history === persona) setHistory(null);
      void refresh();
    },
  });

  function reset() {
    setEditing(null);
    setName("");
    setForm(EMPTY_PERSONA);
    save.reset();
  }
  function edit(persona: Persona) {
    setSaved(null);
    setEditing(persona.name);
    setName(persona.name);
    setForm(personaForm({ ...persona.spec, description: persona.description }));
  }
  const set = (field: keyof PersonaForm) => (event: { target: { value: string } }) =>
    setForm({ ...form, [field]: event.target.value });
  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    save.mutate();
  }
  const toolNames = (tools.data?.items ?? []).map((tool) => tool.name);

  return (
    <section>
      <h1>Personas</h1>
      <p>
        A persona is what an <code>ai.prompt</code> (or a <Link href="/chat/">chat</Link>) talks as: its instructions,
        provider connection, model and sampling defaults, default tools and alignment.
      </p>
      {!canWrite && <p className="hint">Viewers read personas; editors change them.</p>}
      <ErrorNote error={personas.error ?? remove.error} />
      {personas.data && personas.data.items.length > 0 && (
        <table aria-label="Personas">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Instructions</th>
              <th scope="col">Provider · model</th>
              <th scope="col">Tools</th>
              <th scope="col">Version</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {personas.data.items.map((persona) => (
              <tr key={persona.name}>
                <td>
                  <code>{persona.name}</code>
                  {persona.description && <div className="hint">{persona.description}</div>}
                </td>
                <td>{truncate(persona.spec.instructions ?? "", 120)}</td>
                <td>
                  {persona.spec.provider ?? "default"} · {persona.spec.model ?? "default"}
                </td>
                <td>{(persona.spec.tools ?? []).map((tool) => (typeof tool === "string" ? tool : tool.name)).join(", ")}</td>
                <td>v{persona.version}</td>
                <td>
                  <VersionedRowActions
                    what="persona"
                    name={persona.name}
                    canWrite={canWrite}
                    deleting={remove.isPending}
                    onEdit={() => edit(persona)}
                    onVersions={() => setHistory(persona.name)}
                    onDelete={() => remove.mutate(persona.name)}
                  >
                    <Link className="button" href={`/chat/?persona=${encodeURIComponent(persona.name)}`} aria-label={`Chat with persona ${persona.name}`}>
                      Chat
                    </Link>
                  </VersionedRowActions>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {personas.data?.items.length === 0 && <p>No personas in this project.</p>}
      {saved && (
        <p role="status" className="notice">
          Saved persona <code>{saved.name}</code> as version {saved.version}.
        </p>
      )}

      <h2>{editing ? `Edit persona ${editing}` : "New persona"}</h2>
      <form onSubmit={submit} className="stack narrow" aria-label={editing ? `Edit persona ${editing}` : "New persona"}>
        <label htmlFor="persona-name">Name</label>
        <input id="persona-name" required value={name} disabled={!canWrite || editing !== null} onChange={(event) => setName(event.target.value)} />
        <label htmlFor="persona-description">Description (optional)</label>
        <input id="persona-description" value={form.description} disabled={!canWrite} onChange={set("description")} />
        <label htmlFor="persona-instructions">Instructions (the system prompt)</label>
        <textarea id="persona-instructions" rows={5} value={form.instructions} disabled={!canWrite} onChange={set("instructions")} />
        <label htmlFor="persona-provider">Provider connection</label>
        <select id="persona-provider" value={form.provider} disabled={!canWrite} onChange={set("provider")}>
          <option value="">the default provider</option>
          {[...new Set([...providers, ...(form.provider ? [form.provider] : [])])].map((provider) => (
            <option key={provider} value={provider}>
              {provider}
            </option>
          ))}
        </select>
        <label htmlFor="persona-model">Model (optional)</label>
        <input id="persona-model" value={form.model} disabled={!canWrite} onChange={set("model")} />
        <div className="row">
          <label className="inline">
            Temperature
            <input inputMode="decimal" size={5} value={form.temperature} disabled={!canWrite} onChange={set("temperature")} />
          </label>
          <label className="inline">
            Top p
            <input inputMode="decimal" size={5} value={form.topP} disabled={!canWrite} onChange={set("topP")} />
          </label>
          <label className="inline">
            Max tokens
            <input inputMode="numeric" size={7} value={form.maxTokens} disabled={!canWrite} onChange={set("maxTokens")} />
          </label>
        </div>
        <label htmlFor="persona-tools">Default tools (names one per line, or a JSON list)</label>
        <textarea id="persona-tools" rows={3} value={form.tools} disabled={!canWrite} onChange={set("tools")} aria-describedby="persona-tools-hint" />
        <p id="persona-tools-hint" className="hint">
          {toolNames.length ? `Tools of this project: ${toolNames.join(", ")}.` : "This project has no tools yet."}
        </p>
        <label htmlFor="persona-alignment">Alignment (JSON, optional)</label>
        <textarea
          id="persona-alignment"
          className="mono"
          rows={4}
          value={form.alignment}
          disabled={!canWrite}
          onChange={set("alignment")}
          placeholder='{"moderation": {}, "on_violation": "fail"}'
        />
        <div className="row">
          <button type="submit" className="primary" disabled={!canWrite || save.isPending}>
            {editing ? "Save new version" : "Create persona"}
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
          what="persona"
          name={history}
          queryKey={["personas"]}
          load={() => unwrap(api.GET("/v1/personas/{name}/versions", { params: { path: { name: history }, query: { limit: 100 } } }))}
        />
      )}
    </section>
  );
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
