"use client";

// The version history of a provider connection, persona or tool: every version newest
// first, each one's spec shown on demand (workflow versions pin one of them).
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";

import { ErrorNote } from "@/components/Shell";

export interface VersionView {
  version: number;
  updated_at: string;
  description: string | null;
  spec: unknown;
}

export function ObjectVersions({
  what,
  name,
  queryKey,
  load,
}: {
  /** "provider connection", "persona", "tool". */
  what: string;
  name: string;
  queryKey: readonly unknown[];
  load: () => Promise<{ items: VersionView[] }>;
}) {
  const [open, setOpen] = useState<number | null>(null);
  const versions = useQuery({ queryKey: [...queryKey, "versions", name], queryFn: load });
  const heading = `Versions of ${what} ${name}`;
  return (
    <section aria-label={heading}>
      <h2>{heading}</h2>
      <ErrorNote error={versions.error} />
      {versions.isPending && <p role="status">Loading…</p>}
      {versions.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Written</th>
              <th scope="col">Description</th>
              <th scope="col">
                <span className="visually-hidden">Spec</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.data.items.map((item) => (
              <tr key={item.version}>
                <td>v{item.version}</td>
                <td>{new Date(item.updated_at).toLocaleString()}</td>
                <td>{item.description ?? ""}</td>
                <td>
                  <button
                    type="button"
                    aria-expanded={open === item.version}
                    onClick={() => setOpen(open === item.version ? null : item.version)}
                    aria-label={`${open === item.version ? "Hide" : "Show"} version ${item.version} of ${name}`}
                  >
                    {open === item.version ? "Hide" : "Show"}
                  </button>
                  {open === item.version && (
                    <pre aria-label={`Version ${item.version} of ${name}`}>{JSON.stringify(item.spec, null, 2)}</pre>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Edit, Versions and Delete for one row of a list of versioned objects (a provider
 * connection, persona or tool); `children` go first (such as a persona's Chat link). */
export function VersionedRowActions({
  what,
  name,
  canWrite,
  deleting,
  onEdit,
  onVersions,
  onDelete,
  children,
}: {
  what: string;
  name: string;
  canWrite: boolean;
  deleting: boolean;
  onEdit: () => void;
  onVersions: () => void;
  onDelete: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="row">
      {children}
      <button type="button" onClick={onEdit} disabled={!canWrite} aria-label={`Edit ${what} ${name}`}>
        Edit
      </button>
      <button type="button" onClick={onVersions} aria-label={`Versions of ${what} ${name}`}>
        Versions
      </button>
      <button type="button" onClick={onDelete} disabled={!canWrite || deleting} aria-label={`Delete ${what} ${name}`}>
        Delete
      </button>
    </div>
  );
}
