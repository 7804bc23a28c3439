"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Background, Controls, MiniMap, ReactFlow } from "@xyflow/react";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";

import { minimapColor, NODE_TYPES } from "@/components/OpNode";
import { Artifacts, JsonValue, OperationOutput } from "@/components/OperationOutput";
import { ErrorNote } from "@/components/Shell";
import { StateBadge } from "@/components/StateBadge";
import { api, API_URL, type Schemas, unwrap } from "@/lib/api";
import { authHeaders } from "@/lib/auth";
import type { Definition } from "@/lib/definition";
import { flowEdges, flowNodes } from "@/lib/flow";
import { definitionToGraph } from "@/lib/graph";
import { applyDelta, describeUsage, hasUsage, type LiveText, type OutputDelta } from "@/lib/runOutput";
import { applyEvent, type RunEventData, statesFromRuns, TERMINAL_RUN_STATES } from "@/lib/runState";
import { followEvents, type StreamState } from "@/lib/sse";

type OperationRun = Schemas["OperationRun"];
/** An operation waiting for a decision (GET /v1/runs/{id}/approvals). */
interface Approval {
  op_key: string;
  message?: string;
  status?: string;
}

export function RunView({ runId }: { runId: string }) {
  const client = useQueryClient();
  const run = useQuery({
    queryKey: ["run", runId],
    queryFn: () => unwrap(api.GET("/v1/runs/{run_id}", { params: { path: { run_id: runId } } })),
  });
  const workflow = run.data?.workflow;
  const version = useQuery({
    queryKey: ["version", workflow?.name, workflow?.version],
    enabled: !!workflow,
    staleTime: Infinity,
    queryFn: () =>
      unwrap(
        api.GET("/v1/workflows/{name}/versions/{version}", {
          params: { path: { name: workflow?.name ?? "", version: workflow?.version ?? 1 } },
        }),
      ),
  });
  const operations = useQuery({
    queryKey: ["run-operations", runId],
    queryFn: () =>
      unwrap(
        api.GET("/v1/runs/{run_id}/operations", { params: { path: { run_id: runId }, query: { limit: 10000 } } }),
      ),
  });
  const approvals = useQuery({
    queryKey: ["approvals", runId],
    enabled: run.data?.state === "waiting",
    queryFn: async () => {
      const found = await unwrap(api.GET("/v1/runs/{run_id}/approvals", { params: { path: { run_id: runId } } }));
      return (found as { items?: Approval[] }).items ?? [];
    },
  });

  const [states, setStates] = useState<Map<string, string>>(new Map());
  const [stream, setStream] = useState<{ state: StreamState; detail?: string }>({ state: "connecting" });
  const [selected, setSelected] = useState<string | null>(null);
  const [lastSeq, setLastSeq] = useState(0);
  // AI answers as they are written, by operation run (deltas are not replayed: after a
  // reconnect or a reload the stored output is the record).
  const [live, setLive] = useState<ReadonlyMap<string, LiveText>>(new Map());
  const refresh = useThrottled(() => {
    void client.invalidateQueries({ queryKey: ["run-operations", runId] });
    void client.invalidateQueries({ queryKey: ["run", runId] });
    void client.invalidateQueries({ queryKey: ["approvals", runId] });
  }, 400);

  // Listed operation runs are the base; events streamed since then move states on.
  const eventStates = useRef(new Map<string, string>());
  useEffect(() => {
    if (!operations.data) return;
    const merged = statesFromRuns(operations.data.items);
    for (const [key, state] of eventStates.current) if (!merged.has(key)) merged.set(key, state);
    setStates(merged);
  }, [operations.data]);

  useEffect(() => {
    const controller = new AbortController();
    void followEvents({
      url: `${API_URL}/v1/runs/${runId}/events`,
      headers: () => authHeaders("GET"),
      credentials: API_URL ? "omit" : "same-origin",
      signal: controller.signal,
      onState: (state, detail) => setStream({ state, detail }),
      isFinal: (event) => event.event === "run.state_changed" && TERMINAL_RUN_STATES.has(parse(event.data).state ?? ""),
      onEvent: (event) => {
        if (event.event === "operation.output_delta") {
          const delta = parse(event.data) as OutputDelta;
          setLive((current) => applyDelta(current, delta));
          return;
        }
        const data = parse(event.data);
        if (event.id !== null) setLastSeq(Number(event.id));
        if (event.event === "operation.state_changed") {
          applyEvent(eventStates.current, data);
          setStates((current) => {
            const next = new Map(current);
            return applyEvent(next, data) ? next : current;
          });
        }
        refresh();
      },
    });
    return () => controller.abort();
  }, [runId, refresh]);

  const graph = useMemo(
    () => (version.data ? definitionToGraph(version.data.definition as unknown as Definition) : null),
    [version.data],
  );
  const loops = useMemo(() => new Map((run.data?.loops ?? []).map((loop) => [loop.key, loop])), [run.data]);
  const writing = useMemo(() => {
    const finished = new Set((operations.data?.items ?? []).filter((item) => item.output != null).map((item) => item.id));
    return new Set([...live].filter(([id]) => !finished.has(id)).map(([, text]) => text.opKey));
  }, [live, operations.data]);
  const nodes = useMemo(
    () =>
      graph
        ? flowNodes(graph, (key) => {
            const loop = loops.get(key);
            return {
              state: states.get(key) ?? "pending",
              detail: loop
                ? `${loop.done}/${loop.total ?? "?"} items${loop.failed ? `, ${loop.failed} failed` : ""}`
                : writing.has(key)
                  ? "writing…"
                  : undefined,
            };
          }).map((node) => ({ ...node, selected: node.id === selected }))
        : [],
    [graph, states, loops, selected, writing],
  );
  const edges = useMemo(() => (graph ? flowEdges(graph) : []), [graph]);

  const cancel = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/v1/runs/{run_id}/cancel", { params: { path: { run_id: runId } }, body: { reason: "cancelled in the console" } })),
    onSuccess: refresh,
  });

  if (run.error) return <ErrorNote error={run.error} />;
  if (!run.data) return <p role="status">Loading run…</p>;
  const finished = TERMINAL_RUN_STATES.has(run.data.state);
  return (
    <section className="run-page">
      <div className="row spread">
        <h1>
          Run <code>{runId.slice(0, 8)}</code> of{" "}
          <Link href={`/designer/?name=${encodeURIComponent(run.data.workflow.name)}`}>{run.data.workflow.name}</Link> v
          {run.data.workflow.version}
        </h1>
        <div className="row">
          <StateBadge state={run.data.state} />
          <span className="hint" data-last-event={lastSeq}>
            {lastSeq} events
          </span>
          <span role="status" className={`stream stream-${stream.state}`} title={stream.detail}>
            {stream.state === "live" ? "live" : stream.state === "ended" ? "stream ended" : stream.state === "connecting" ? "connecting…" : "reconnecting…"}
          </span>
          <button type="button" onClick={() => cancel.mutate()} disabled={finished || cancel.isPending}>
            Cancel run
          </button>
        </div>
      </div>
      <ErrorNote error={cancel.error ?? version.error ?? operations.error} />
      {run.data.error && (
        <div role="alert" className="error">
          <strong>{run.data.error.kind}</strong>: {run.data.error.message}
          {run.data.error.where ? ` (${run.data.error.where})` : ""}
        </div>
      )}
      {approvals.data && approvals.data.length > 0 && (
        <Approvals runId={runId} items={approvals.data} onDecided={refresh} />
      )}
      <div className="split">
        <div className="canvas" aria-label="Run graph">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            nodesDraggable={false}
            nodesConnectable={false}
            onNodeClick={(_, node) => setSelected(node.type === "body" ? node.data.loop : node.id)}
            onPaneClick={() => setSelected(null)}
            fitView
            fitViewOptions={{ maxZoom: 1 }}
            minZoom={0.05}
          >
            <Background />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable nodeColor={minimapColor} ariaLabel="Minimap" />
          </ReactFlow>
        </div>
        <aside className="panel" aria-label="Operation details" tabIndex={0}>
          {selected ? (
            <>
              <OperationDetails
                runId={runId}
                opKey={selected}
                runs={(operations.data?.items ?? []).filter((item) => item.key === selected)}
                live={live}
              />
              {loops.has(selected) && <LoopItems runId={runId} loopKey={selected} version={operations.dataUpdatedAt} />}
            </>
          ) : (
            <>
              <h2>Run</h2>
              <dl>
                <dt>Inputs</dt>
                <dd>
                  <pre>{JSON.stringify(run.data.inputs, null, 2)}</pre>
                </dd>
                {hasUsage(run.data.usage) && (
                  <>
                    <dt>Usage</dt>
                    <dd aria-label="Run usage">{describeUsage(run.data.usage)}</dd>
                  </>
                )}
              </dl>
              {run.data.outputs && (
                <>
                  <Artifacts runId={runId} value={run.data.outputs} label="Artifacts of the run's outputs" />
                  <JsonValue label="Run outputs" value={run.data.outputs} fileName="run.outputs.json" title="Outputs" />
                </>
              )}
              <p className="hint">Select an operation to see its attempts, output and error; click the canvas to come back here.</p>
            </>
          )}
        </aside>
      </div>
    </section>
  );
}

function OperationDetails({
  runId,
  opKey,
  runs,
  live,
}: {
  runId: string;
  opKey: string;
  runs: OperationRun[];
  live: ReadonlyMap<string, LiveText>;
}) {
  return (
    <div>
      <h2>{opKey}</h2>
      {runs.length === 0 && <p>Not started.</p>}
      {runs.map((item) => (
        <article key={item.id} className="attempt">
          <h3>
            {item.item_index !== null && item.item_index !== undefined ? `item ${item.item_index}, ` : ""}attempt {item.attempt}{" "}
            <StateBadge state={item.state} />
          </h3>
          <dl>
            <dt>Kind</dt>
            <dd>{item.kind}</dd>
            <dt>Started</dt>
            <dd>{item.started_at ? new Date(item.started_at).toLocaleTimeString() : "—"}</dd>
            <dt>Finished</dt>
            <dd>{item.finished_at ? new Date(item.finished_at).toLocaleTimeString() : "—"}</dd>
            <dt>Duration</dt>
            <dd>{duration(item.started_at, item.finished_at)}</dd>
          </dl>
          {item.error && (
            <div role="alert" className="error">
              <strong>{item.error.kind}</strong>: {item.error.message}
            </div>
          )}
          <OperationOutput runId={runId} opKey={opKey} output={item.output} usage={item.usage} live={live.get(item.id)} />
        </article>
      ))}
    </div>
  );
}

/** A loop's body runs, by item, in a collapsible group with counts by state. */
function LoopItems({ runId, loopKey, version }: { runId: string; loopKey: string; version: number }) {
  const items = useQuery({
    queryKey: ["loop-items", runId, loopKey, version],
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET("/v1/runs/{run_id}/operations", {
          params: { path: { run_id: runId }, query: { loop: loopKey, limit: 10000 } },
        }),
      ),
  });
  const runs = items.data?.items ?? [];
  const counts = new Map<string, number>();
  for (const item of runs) counts.set(item.state, (counts.get(item.state) ?? 0) + 1);
  return (
    <details className="loop-items" open={runs.length <= 20}>
      <summary>
        {runs.length} body run{runs.length === 1 ? "" : "s"}:{" "}
        {[...counts].map(([state, count]) => `${count} ${state}`).join(", ") || "none yet"}
      </summary>
      <ErrorNote error={items.error} />
      <ul>
        {runs.map((item) => (
          <li key={item.id}>
            <code>{item.key}</code> <StateBadge state={item.state} />
            {item.error ? ` ${item.error.kind}: ${item.error.message}` : ""}
            {item.output !== null && item.output !== undefined && (
              <details>
                <summary>output</summary>
                <pre>{JSON.stringify(item.output, null, 2)}</pre>
              </details>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}

function Approvals({
  runId,
  items,
  onDecided,
}: {
  runId: string;
  items: Approval[];
  onDecided: () => void;
}) {
  const [comment, setComment] = useState("");
  const decide = useMutation({
    mutationFn: ({ op, decision }: { op: string; decision: "approve" | "reject" }) =>
      unwrap(
        api.POST("/v1/runs/{run_id}/approvals/{op_key}", {
          params: { path: { run_id: runId, op_key: op } },
          body: { decision, comment: comment || null },
        }),
      ),
    onSuccess: onDecided,
  });
  return (
    <section className="approvals" aria-label="Waiting for a decision">
      {items.map((item) => (
        <div key={item.op_key} className="approval">
          <p>
            <strong>{item.op_key}</strong> waits for a decision{item.message ? `: ${item.message}` : ""}
          </p>
          <label htmlFor={`comment-${item.op_key}`}>Comment</label>
          <input id={`comment-${item.op_key}`} value={comment} onChange={(event) => setComment(event.target.value)} />
          <button type="button" className="primary" onClick={() => decide.mutate({ op: item.op_key, decision: "approve" })}>
            Approve {item.op_key}
          </button>
          <button type="button" onClick={() => decide.mutate({ op: item.op_key, decision: "reject" })}>
            Reject {item.op_key}
          </button>
        </div>
      ))}
      <ErrorNote error={decide.error} />
    </section>
  );
}

function parse(data: string): RunEventData {
  try {
    return JSON.parse(data) as RunEventData;
  } catch {
    return {};
  }
}

function duration(start?: string | null, end?: string | null): string {
  if (!start || !end) return "—";
  const ms = new Date(end).getTime() - new Date(start).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  return useMemo(
    () => () => {
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        latest.current();
      }, ms);
    },
    [ms],
  );
}
