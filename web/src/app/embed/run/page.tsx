"use client";

// The run widget (docs/embedding.md): a third-party page frames it with an embed token; it
// shows the token's workflow's input form, starts a run, follows it live and shows its
// outputs. It authenticates with the token only: never the console's key or session.
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";

import { givenInputs, initialValues, InputField } from "@/components/RunDialog";
import { ErrorNote } from "@/components/Shell";
import { StateBadge } from "@/components/StateBadge";
import { API_URL, type Schemas, unwrap } from "@/lib/api";
import type { InputSpec } from "@/lib/definition";
import { chatInputs, type ChatTurn, credentialsFrom, embedClient, isChatWorkflow } from "@/lib/embed";
import { applyEvent, type RunEventData, TERMINAL_RUN_STATES } from "@/lib/runState";
import { followEvents, type StreamState } from "@/lib/sse";

type Workflow = Schemas["EmbedWorkflow"];
type Run = Schemas["Run"];

export default function EmbeddedRun() {
  const [credentials, setCredentials] = useState<{ token: string } | string | null>(null);
  useEffect(() => {
    const found = credentialsFrom(window.location.hash, window.location.search);
    // The secret leaves the address bar (and the frame's history) once read.
    if (typeof found !== "string") window.history.replaceState(null, "", window.location.pathname + window.location.search);
    setCredentials(found);
  }, []);
  if (credentials === null) return <p role="status">Loading…</p>;
  if (typeof credentials === "string") return <ErrorNote error={new Error(credentials)} />;
  return <Widget token={credentials.token} />;
}

function Widget({ token }: { token: string }) {
  const client = useMemo(() => embedClient(token), [token]);
  const [workflow, setWorkflow] = useState<Workflow | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const started = useCallback((id: string) => {
    setRunId(id);
    setRunning(true);
  }, []);
  const finished = useCallback(() => setRunning(false), []);
  useEffect(() => {
    unwrap(client.GET("/v1/embed/workflow")).then(setWorkflow, setError);
  }, [client]);
  if (error) return <ErrorNote error={error} />;
  if (!workflow) return <p role="status">Loading…</p>;
  if (isChatWorkflow(workflow)) return <ChatWidget workflow={workflow} token={token} client={client} />;
  return (
    <section className="stack" aria-labelledby="widget-title">
      <h1 id="widget-title">{workflow.name}</h1>
      {workflow.description && <p>{workflow.description}</p>}
      <RunForm workflow={workflow} client={client} onStarted={started} busy={running} />
      {runId && <Progress key={runId} runId={runId} token={token} workflow={workflow} client={client} onDone={finished} />}
    </section>
  );
}

type Client = ReturnType<typeof embedClient>;

function RunForm({ workflow, client, onStarted, busy }: { workflow: Workflow; client: Client; onStarted: (id: string) => void; busy: boolean }) {
  const inputs = Object.entries(workflow.inputs) as [string, InputSpec][];
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(inputs));
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setStarting(true);
    setError(null);
    try {
      const run = await unwrap(client.POST("/v1/embed/runs", { body: { inputs: givenInputs(inputs, values) } }));
      onStarted(run.id);
    } catch (problem) {
      setError(problem);
    } finally {
      setStarting(false);
    }
  }

  return (
    <form onSubmit={submit} className="stack" aria-label={`Run ${workflow.name}`}>
      {inputs.length === 0 && <p>This workflow takes no inputs.</p>}
      {inputs.map(([name, spec]) => (
        <InputField key={name} name={name} spec={spec} value={values[name] ?? ""} onChange={(value) => setValues({ ...values, [name]: value })} />
      ))}
      <ErrorNote error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={starting || busy}>
          Start run
        </button>
      </div>
    </form>
  );
}

function Progress({ runId, token, workflow, client, onDone }: { runId: string; token: string; workflow: Workflow; client: Client; onDone: () => void }) {
  const [states, setStates] = useState<Map<string, string>>(() => new Map(workflow.operations.map((op) => [op.key, "pending"])));
  const [stream, setStream] = useState<{ state: StreamState; detail?: string }>({ state: "connecting" });
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    const finish = () =>
      unwrap(client.GET("/v1/embed/runs/{run_id}", { params: { path: { run_id: runId } } })).then((found) => {
        setRun(found);
        if (TERMINAL_RUN_STATES.has(found.state)) onDone();
      }, setError);
    void followEvents({
      url: `${API_URL}/v1/embed/runs/${runId}/events`,
      headers: () => ({ Authorization: `Bearer ${token}` }),
      credentials: "omit",
      signal: controller.signal,
      onState: (state, detail) => {
        setStream({ state, detail });
        if (state === "ended") void finish();
      },
      isFinal: (event) => event.event === "run.state_changed" && TERMINAL_RUN_STATES.has(parse(event.data).state ?? ""),
      onEvent: (event) => {
        if (event.event !== "operation.state_changed") return;
        const data = parse(event.data);
        setStates((current) => {
          const next = new Map(current);
          return applyEvent(next, data) ? next : current;
        });
      },
    });
    return () => controller.abort();
  }, [runId, token, client, onDone]);

  return (
    <section aria-labelledby="progress-title" className="stack">
      <h2 id="progress-title">Run {run ? <StateBadge state={run.state} /> : <span className="badge">{stream.state}</span>}</h2>
      <p role="status" aria-live="polite">
        {stream.state === "reconnecting" ? `Reconnecting… ${stream.detail ?? ""}` : run ? `The run ${run.state}.` : "Running…"}
      </p>
      <ul aria-label="Operations">
        {[...states].map(([key, state]) => (
          <li key={key}>
            <code>{key}</code> <StateBadge state={state} />
          </li>
        ))}
      </ul>
      <ErrorNote error={error} />
      {run?.error && <ErrorNote error={new Error(`${run.error.kind}: ${run.error.message}`)} />}
      {run && run.state === "succeeded" && (
        <>
          <h3 id="outputs-title">Outputs</h3>
          <pre className="mono" aria-labelledby="outputs-title" data-testid="outputs">
            {JSON.stringify(run.outputs ?? {}, null, 2)}
          </pre>
        </>
      )}
    </section>
  );
}

/** A chat workflow embedded: each message is a run of it (with the conversation so far as
 * `history`), its answer streamed as the run writes it. The conversation lives in this
 * frame only: the token reads nothing but the runs it started. */
function ChatWidget({ workflow, token, client }: { workflow: Workflow; token: string; client: Client }) {
  const [turns, setTurns] = useState<ChatTurn[]>([]);
  const [draft, setDraft] = useState("");
  const [writing, setWriting] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The answer's stream stops with the widget (the host page removed it, or navigated).
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  async function send(event: FormEvent) {
    event.preventDefault();
    const message = draft.trim();
    if (!message || writing !== null) return;
    setError(null);
    setWriting("");
    abort.current = new AbortController();
    const { signal } = abort.current;
    try {
      const run = await unwrap(client.POST("/v1/embed/runs", { body: { inputs: chatInputs(workflow, turns, message) } }));
      setDraft("");
      const asked = [...turns, { role: "user" as const, content: message }];
      setTurns(asked);
      await followEvents({
        url: `${API_URL}/v1/embed/runs/${run.id}/events`,
        headers: () => ({ Authorization: `Bearer ${token}` }),
        credentials: "omit",
        signal,
        onState: () => undefined,
        isFinal: (ev) => ev.event === "run.state_changed" && TERMINAL_RUN_STATES.has(parse(ev.data).state ?? ""),
        onEvent: (ev) => {
          if (ev.event !== "operation.output_delta") return;
          const text = (parse(ev.data) as { text?: string }).text ?? "";
          setWriting((current) => (current ?? "") + text);
        },
      });
      if (signal.aborted) return;
      const done = await unwrap(client.GET("/v1/embed/runs/{run_id}", { params: { path: { run_id: run.id } } }));
      const answer = (done.outputs as { answer?: unknown } | null)?.answer;
      if (done.state !== "succeeded" || typeof answer !== "string") {
        throw new Error(done.error ? `${done.error.kind}: ${done.error.message}` : `the run ${done.state} without an answer`);
      }
      setTurns([...asked, { role: "assistant", content: answer }]);
    } catch (problem) {
      if (!signal.aborted) setError(problem);
    } finally {
      setWriting(null);
    }
  }

  return (
    <section className="stack" aria-labelledby="widget-title">
      <h1 id="widget-title">{workflow.name}</h1>
      {workflow.description && <p>{workflow.description}</p>}
      <ol className="stack" aria-label="Conversation" data-testid="conversation">
        {turns.map((turn, index) => (
          <li key={index} className={`turn turn-${turn.role}`}>
            <strong>{turn.role === "user" ? "You" : workflow.name}:</strong> {turn.content}
          </li>
        ))}
        {writing !== null && (
          <li className="turn turn-assistant" aria-live="polite">
            <strong>{workflow.name}:</strong> {writing || "…"}
          </li>
        )}
      </ol>
      <form onSubmit={send} className="stack" aria-label={`Message ${workflow.name}`}>
        <label htmlFor="chat-message">Message</label>
        <textarea id="chat-message" value={draft} onChange={(event) => setDraft(event.target.value)} rows={3} required />
        <ErrorNote error={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={writing !== null}>
            Send
          </button>
        </div>
      </form>
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
