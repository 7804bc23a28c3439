"use client";

import { useQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";

import { ErrorNote } from "@/components/Shell";
import { api, unwrap } from "@/lib/api";
import type { Definition } from "@/lib/definition";
import type { Kind } from "@/lib/kinds";

import { Editor } from "./Editor";

const NEW_WORKFLOW: Definition = { apiVersion: "raikoo/v1", kind: "Workflow", name: "", operations: {} };

/** Loads what the editor needs: the kinds, the project operations, the workflow. */
export function Designer({ name }: { name: string | null }) {
  const kinds = useQuery({
    queryKey: ["operation-kinds"],
    staleTime: Infinity,
    queryFn: async () => ((await unwrap(api.GET("/v1/operation-kinds"))) as { items: Kind[] }).items,
  });
  const projectOps = useQuery({
    queryKey: ["operations"],
    queryFn: async () => {
      const found = (await unwrap(api.GET("/v1/operations", { params: { query: { limit: 500 } } }))) as {
        items: { name: string; uses: string; description?: string | null }[];
      };
      return found.items;
    },
  });
  const workflow = useQuery({
    queryKey: ["workflow-export", name],
    enabled: name !== null,
    queryFn: async () =>
      (await unwrap(
        api.GET("/v1/workflows/{name}/export", {
          params: { path: { name: name ?? "" } },
          headers: { Accept: "application/json" },
          parseAs: "json",
        }),
      )) as unknown as Definition,
  });
  const latest = useQuery({
    queryKey: ["workflow", name],
    enabled: name !== null,
    queryFn: () => unwrap(api.GET("/v1/workflows/{name}", { params: { path: { name: name ?? "" } } })),
  });
  const error = kinds.error ?? projectOps.error ?? workflow.error;
  if (error) return <ErrorNote error={error} />;
  if (!kinds.data || !projectOps.data || (name !== null && !workflow.data)) return <p role="status">Loading designer…</p>;
  const palette: Kind[] = [
    ...kinds.data,
    ...projectOps.data.map((op) => ({
      name: `op/${op.name}`,
      family: "project",
      summary: op.description ?? `project operation (${op.uses})`,
      config_schema: { type: "object", additionalProperties: true },
      output_schema: {},
    })),
  ];
  return (
    <ReactFlowProvider>
      <Editor initial={workflow.data ?? NEW_WORKFLOW} kinds={palette} version={latest.data?.version ?? null} />
    </ReactFlowProvider>
  );
}
