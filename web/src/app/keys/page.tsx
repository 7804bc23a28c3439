"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { ErrorNote } from "@/components/Shell";
import { api, type Schemas, unwrap } from "@/lib/api";
import { type Role, ROLES } from "@/lib/roles";


export default function KeysPage() {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const [project, setProject] = useState("");
  const [made, setMade] = useState<Schemas["KeyCreated"] | null>(null);
  const keys = useQuery({
    queryKey: ["keys"],
    queryFn: () => unwrap(api.GET("/v1/keys", { params: { query: { limit: 500 } } })),
  });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/v1/keys", { body: { name, role, project: project || null } })),
    onSuccess: (key) => {
      setMade(key);
      setName("");
      void client.invalidateQueries({ queryKey: ["keys"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/v1/keys/{key_id}", { params: { path: { key_id: id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["keys"] }),
  });

  return (
    <section>
      <h1>API keys</h1>
      <ErrorNote error={keys.error ?? revoke.error} />
      {keys.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Role</th>
              <th scope="col">Project</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}</code>
                </td>
                <td>{key.role}</td>
                <td>{key.project ?? "all"}</td>
                <td>{key.last_used_at ? new Date(key.last_used_at).toLocaleString() : "never"}</td>
                <td>{key.revoked_at ? "revoked" : "active"}</td>
                <td>
                  {!key.revoked_at && (
                    <button type="button" onClick={() => revoke.mutate(key.id)} aria-label={`Revoke key ${key.name}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>New key</h2>
      <form
        className="stack narrow"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <label htmlFor="key-name">Name</label>
        <input id="key-name" required value={name} onChange={(event) => setName(event.target.value)} />
        <label htmlFor="key-role">Role</label>
        <select id="key-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {ROLES.map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
        <label htmlFor="key-project">Project (slug; empty: every project)</label>
        <input id="key-project" value={project} onChange={(event) => setProject(event.target.value)} />
        <button type="submit" className="primary" disabled={create.isPending}>
          Create key
        </button>
        <ErrorNote error={create.error} />
      </form>
      {made && (
        <div role="status" className="notice">
          <p>
            Key <strong>{made.name}</strong> (shown once; copy it now):
          </p>
          <pre aria-label="New API key">{made.key}</pre>
        </div>
      )}
    </section>
  );
}
