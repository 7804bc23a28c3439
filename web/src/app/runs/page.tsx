"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, Suspense, useState } from "react";

import { ErrorNote } from "@/components/Shell";
import { StateBadge } from "@/components/StateBadge";
import { api, type Schemas, unwrap } from "@/lib/api";

type RunState = Schemas["RunSummary"]["state"];
const STATES: RunState[] = ["queued", "running", "waiting", "succeeded", "failed", "cancelled"];

export default function RunsPage() {
  return (
    <Suspense>
      <Runs />
    </Suspense>
  );
}

function Runs() {
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const workflow = params.get("workflow") ?? "";
  const state = (params.get("state") ?? "") as RunState | "";
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const [draft, setDraft] = useState(workflow);

  const runs = useQuery({
    queryKey: ["runs", workflow, state, cursor],
    queryFn: () =>
      unwrap(
        api.GET("/v1/runs", {
          params: { query: { limit: 25, cursor, workflow: workflow || undefined, state: state || undefined } },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });

  function filter(next: { workflow?: string; state?: string }) {
    const query = new URLSearchParams();
    const w = next.workflow ?? workflow;
    const s = next.state ?? state;
    if (w) query.set("workflow", w);
    if (s) query.set("state", s);
    setCursors([null]);
    router.replace(`${path}${query.size ? `?${query}` : ""}`);
  }

  return (
    <section>
      <h1>Runs</h1>
      <form
        className="row filters"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          filter({ workflow: draft.trim() });
        }}
      >
        <label>
          Workflow
          <input value={draft} onChange={(event) => setDraft(event.target.value)} placeholder="any" />
        </label>
        <label>
          State
          <select value={state} onChange={(event) => filter({ state: event.target.value })}>
            <option value="">any</option>
            {STATES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorNote error={runs.error} />
      {runs.data && runs.data.items.length === 0 && <p>No runs match.</p>}
      {runs.data && runs.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Workflow</th>
              <th scope="col">State</th>
              <th scope="col">Trigger</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.items.map((run) => (
              <tr key={run.id}>
                <td>
                  <Link href={`/runs/view/?id=${run.id}`}>{run.id.slice(0, 8)}</Link>
                </td>
                <td>
                  {run.workflow.name} v{run.workflow.version}
                </td>
                <td>
                  <StateBadge state={run.state} />
                </td>
                <td>{run.trigger}</td>
                <td>{new Date(run.created_at).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="row" aria-label="Pages of runs">
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={!runs.data?.next_cursor}
          onClick={() => runs.data?.next_cursor && setCursors([...cursors, runs.data.next_cursor])}
        >
          Older
        </button>
      </nav>
    </section>
  );
}
