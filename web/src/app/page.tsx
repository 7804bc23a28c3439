"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";

import { ErrorNote } from "@/components/Shell";
import { api, unwrap } from "@/lib/api";

export default function WorkflowsPage() {
  const workflows = useInfiniteQuery({
    queryKey: ["workflows"],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/v1/workflows", { params: { query: { limit: 100, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
  const items = workflows.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section>
      <div className="row spread">
        <h1>Workflows</h1>
        <Link className="button primary" href="/designer/">
          New workflow
        </Link>
      </div>
      <ErrorNote error={workflows.error} />
      {workflows.isPending ? (
        <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        <p>No workflows yet: design one, or store files with <code>raikoo apply -f DIR</code>.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Latest version</th>
              <th scope="col">Updated</th>
              <th scope="col">Runs</th>
            </tr>
          </thead>
          <tbody>
            {items.map((workflow) => (
              <tr key={workflow.id}>
                <td>
                  <Link href={`/designer/?name=${encodeURIComponent(workflow.name)}`}>{workflow.name}</Link>
                </td>
                <td>{workflow.description ?? ""}</td>
                <td>{workflow.latest_version}</td>
                <td>{new Date(workflow.updated_at).toLocaleString()}</td>
                <td>
                  <Link href={`/runs/?workflow=${encodeURIComponent(workflow.name)}`}>Runs of {workflow.name}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {workflows.hasNextPage && (
        <button type="button" onClick={() => workflows.fetchNextPage()} disabled={workflows.isFetchingNextPage}>
          More workflows
        </button>
      )}
    </section>
  );
}
