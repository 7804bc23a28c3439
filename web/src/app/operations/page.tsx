"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { stringify } from "yaml";

import { ErrorNote } from "@/components/Shell";
import { api, problemOf, unwrap } from "@/lib/api";

interface ProjectOperation {
  name: string;
  uses: string;
  version: number;
  description?: string | null;
  [field: string]: unknown;
}

const EXAMPLE = "name: greeting\nkind: set\nconfig:\n  text: Hello\n";

/** Project operations: a kind with preset config, used in workflows as `op/<name>`. */
export default function OperationsPage() {
  const client = useQueryClient();
  const [text, setText] = useState(EXAMPLE);
  const [open, setOpen] = useState<string | null>(null);
  const operations = useQuery({
    queryKey: ["operations"],
    queryFn: async () =>
      ((await unwrap(api.GET("/v1/operations", { params: { query: { limit: 500 } } }))) as { items: ProjectOperation[] }).items,
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["operations"] });
  const put = useMutation({
    mutationFn: async () => {
      const name = /^name:\s*(\S+)/m.exec(text)?.[1] ?? "";
      const { response, error } = await api.PUT("/v1/operations/{name}", {
        params: { path: { name } },
        body: text as never,
        bodySerializer: (value: unknown) => value as string,
        headers: { "Content-Type": "application/yaml" },
      });
      if (!response.ok) throw await problemOf(response, error);
    },
    onSuccess: () => void refresh(),
  });
  const remove = useMutation({
    mutationFn: (name: string) => unwrap(api.DELETE("/v1/operations/{name}", { params: { path: { name } } })),
    onSuccess: () => void refresh(),
  });

  return (
    <section>
      <h1>Project operations</h1>
      <ErrorNote error={operations.error ?? remove.error} />
      {operations.data?.length === 0 && <p>No project operations yet.</p>}
      {operations.data && operations.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Version</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {operations.data.map((operation) => (
              <tr key={operation.name}>
                <td>
                  <button type="button" className="link" aria-expanded={open === operation.name} onClick={() => setOpen(open === operation.name ? null : operation.name)}>
                    op/{operation.name}
                  </button>
                  {open === operation.name && <pre>{stringify(operation)}</pre>}
                </td>
                <td>{operation.uses}</td>
                <td>{operation.version}</td>
                <td>
                  <button type="button" onClick={() => remove.mutate(operation.name)} aria-label={`Delete operation ${operation.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Create or replace</h2>
      <form
        className="stack"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          put.mutate();
        }}
      >
        <label htmlFor="operation-text">Operation (YAML)</label>
        <textarea id="operation-text" className="mono" rows={8} value={text} onChange={(event) => setText(event.target.value)} />
        <button type="submit" className="primary" disabled={put.isPending}>
          Save operation
        </button>
        <ErrorNote error={put.error} />
      </form>
    </section>
  );
}
