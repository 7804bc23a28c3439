"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { ErrorNote } from "@/components/Shell";
import { api, unwrap } from "@/lib/api";

type Scope = "organization" | "project";

/** Secrets by name: values are written here and never shown (templates use secrets.NAME). */
export default function SecretsPage() {
  const client = useQueryClient();
  const [scope, setScope] = useState<Scope>("organization");
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const secrets = useQuery({
    queryKey: ["secrets", scope],
    queryFn: () => unwrap(api.GET("/v1/secrets", { params: { query: { scope, limit: 500 } } })),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["secrets"] });
  const write = useMutation({
    mutationFn: () =>
      unwrap(api.PUT("/v1/secrets/{name}", { params: { path: { name }, query: { scope } }, body: { value } })),
    onSuccess: () => {
      setName("");
      setValue("");
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (secret: string) =>
      unwrap(api.DELETE("/v1/secrets/{name}", { params: { path: { name: secret }, query: { scope } } })),
    onSuccess: () => void refresh(),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    write.mutate();
  }

  return (
    <section>
      <h1>Secrets</h1>
      <label className="inline">
        Scope
        <select value={scope} onChange={(event) => setScope(event.target.value as Scope)}>
          <option value="organization">organization</option>
          <option value="project">this project</option>
        </select>
      </label>
      <ErrorNote error={secrets.error ?? remove.error} />
      {secrets.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {secrets.data.items.map((secret) => (
              <tr key={secret.name}>
                <td>
                  <code>{secret.name}</code>
                </td>
                <td>{secret.updated_at ? new Date(secret.updated_at).toLocaleString() : ""}</td>
                <td>
                  <button type="button" onClick={() => remove.mutate(secret.name)} aria-label={`Delete secret ${secret.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {secrets.data?.items.length === 0 && <p>No secrets in this scope.</p>}
      <h2>Set a secret</h2>
      <form onSubmit={submit} className="stack narrow">
        <label htmlFor="secret-name">Name</label>
        <input id="secret-name" required value={name} onChange={(event) => setName(event.target.value)} />
        <label htmlFor="secret-value">Value (write-only)</label>
        <input id="secret-value" type="password" autoComplete="off" required value={value} onChange={(event) => setValue(event.target.value)} />
        <button type="submit" className="primary" disabled={write.isPending}>
          Save secret
        </button>
        <ErrorNote error={write.error} />
      </form>
    </section>
  );
}
