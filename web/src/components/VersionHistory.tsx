"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { ErrorNote } from "@/components/Shell";
import { api, unwrap } from "@/lib/api";
import type { Definition } from "@/lib/definition";
import { type DiffCell, sideBySide } from "@/lib/diff";

/** The workflow's versions, what changed between two of them, and opening an older one. */
export function VersionHistory({ name, onOpen }: { name: string; onOpen: (definition: Definition, version: number) => void }) {
  const versions = useQuery({
    queryKey: ["versions", name],
    queryFn: () => unwrap(api.GET("/v1/workflows/{name}/versions", { params: { path: { name }, query: { limit: 500 } } })),
  });
  const items = versions.data?.items ?? [];
  const newest = items[0]?.version ?? 1;
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const older = from ?? Math.max(1, newest - 1);
  const newer = to ?? newest;
  const diff = useQuery({
    queryKey: ["diff", name, older, newer],
    enabled: items.length > 1,
    queryFn: () =>
      unwrap(api.GET("/v1/workflows/{name}/diff", { params: { path: { name }, query: { from: older, to: newer } } })),
  });
  const [opening, setOpening] = useState<unknown>(null);
  const [unified, setUnified] = useState(false);

  async function open(version: number) {
    setOpening(null);
    try {
      const definition = (await unwrap(
        api.GET("/v1/workflows/{name}/export", {
          params: { path: { name }, query: { version } },
          headers: { Accept: "application/json" },
          parseAs: "json",
        }),
      )) as unknown as Definition;
      onOpen(definition, version);
    } catch (error) {
      setOpening(error);
    }
  }

  return (
    <section aria-label="Version history">
      <h2>Versions of {name}</h2>
      <ErrorNote error={versions.error ?? opening} />
      <ul className="versions">
        {items.map((item) => (
          <li key={item.version}>
            v{item.version} · {new Date(item.created_at).toLocaleString()}{" "}
            <button type="button" onClick={() => void open(item.version)} aria-label={`Open version ${item.version}`}>
              Open
            </button>
          </li>
        ))}
      </ul>
      {items.length > 1 && (
        <>
          <div className="row">
            <label className="inline">
              From
              <select value={older} onChange={(event) => setFrom(Number(event.target.value))}>
                {items.map((item) => (
                  <option key={item.version} value={item.version}>
                    v{item.version}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline">
              To
              <select value={newer} onChange={(event) => setTo(Number(event.target.value))}>
                {items.map((item) => (
                  <option key={item.version} value={item.version}>
                    v{item.version}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <ErrorNote error={diff.error} />
          {diff.data && (
            <div>
              {diff.data.identical ? (
                <p>No difference.</p>
              ) : (
                <ul>
                  {diff.data.added_operations.length > 0 && <li>added: {diff.data.added_operations.join(", ")}</li>}
                  {diff.data.removed_operations.length > 0 && <li>removed: {diff.data.removed_operations.join(", ")}</li>}
                  {diff.data.changed_operations.length > 0 && <li>changed: {diff.data.changed_operations.join(", ")}</li>}
                  {diff.data.changed_fields.length > 0 && <li>other fields: {diff.data.changed_fields.join(", ")}</li>}
                </ul>
              )}
              {!diff.data.identical && (
                <label className="inline">
                  <input type="checkbox" checked={unified} onChange={(event) => setUnified(event.target.checked)} />
                  Unified diff
                </label>
              )}
              {unified ? (
                <pre aria-label={`Changes from v${older} to v${newer}`} className="diff">
                  {diff.data.unified.split("\n").map((line, index) => (
                    <span key={index} className={line.startsWith("+") ? "added" : line.startsWith("-") ? "removed" : undefined}>
                      {line}
                      {"\n"}
                    </span>
                  ))}
                </pre>
              ) : (
                !diff.data.identical && <SideBySide unified={diff.data.unified} older={older} newer={newer} />
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** The two versions side by side: the older on the left, the newer on the right. */
function SideBySide({ unified, older, newer }: { unified: string; older: number; newer: number }) {
  const rows = sideBySide(unified);
  return (
    <div className="diff-scroll">
      <table className="diff side-by-side" aria-label={`Changes from v${older} to v${newer}`}>
        <thead>
          <tr>
            <th scope="col" colSpan={2}>
              v{older}
            </th>
            <th scope="col" colSpan={2}>
              v{newer}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) =>
            row.kind === "hunk" ? (
              <tr key={index} className="hunk">
                <td colSpan={4}>{row.text}</td>
              </tr>
            ) : (
              <tr key={index}>
                <Cell cell={row.left} side="before" />
                <Cell cell={row.right} side="after" />
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ cell, side }: { cell: DiffCell | null; side: "before" | "after" }) {
  if (!cell) {
    return (
      <>
        <td className="line-no" />
        <td className="empty" />
      </>
    );
  }
  const change = cell.change === "same" ? undefined : cell.change;
  return (
    <>
      <td className="line-no">{cell.line}</td>
      <td className={change} data-side={side} data-change={cell.change}>
        {change && <span className="visually-hidden">{change === "added" ? "added: " : "removed: "}</span>}
        {cell.text}
      </td>
    </>
  );
}
