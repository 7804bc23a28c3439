"use client";

import { useQueryClient } from "@tanstack/react-query";
import {
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  ReactFlow,
  useReactFlow,
} from "@xyflow/react";
import { useRouter } from "next/navigation";
import { type DragEvent, useCallback, useEffect, useMemo, useState } from "react";

import { ConfigForm } from "@/components/ConfigForm";
import { type FlowNode, minimapColor, NODE_TYPES } from "@/components/OpNode";
import { Palette } from "@/components/Palette";
import { RunDialog } from "@/components/RunDialog";
import { ErrorNote } from "@/components/Shell";
import { VersionHistory } from "@/components/VersionHistory";
import { api, ApiProblem, type ProblemError, problemOf, unwrap } from "@/lib/api";
import { type Definition, NAME_PATTERN } from "@/lib/definition";
import {
  addOperation,
  connect,
  disconnect,
  duplicateOperations,
  moveOperation,
  removeOperations,
  renameOperation,
  updateSpec,
} from "@/lib/edit";
import { flowEdges, flowNodes } from "@/lib/flow";
import { autoLayout, definitionToGraph, type Graph, graphToDefinition } from "@/lib/graph";
import { record, redo, replace, start, undo } from "@/lib/history";
import { KIND_MIME, type Kind } from "@/lib/kinds";
import { isBodyNodeId } from "@/lib/loops";
import { pinProblems } from "@/lib/problems";
import { parseDefinition, toYaml } from "@/lib/yaml";


type Validation = { state: "idle" | "checking" | "valid" } | { state: "invalid"; errors: ProblemError[] } | { state: "error"; error: unknown };

export function Editor({ initial, kinds, version }: { initial: Definition; kinds: Kind[]; version: number | null }) {
  const router = useRouter();
  const client = useQueryClient();
  const flow = useReactFlow();
  const known = useMemo(() => new Set(kinds.map((kind) => kind.name)), [kinds]);
  const [history, setHistory] = useState(() => start(definitionToGraph(initial)));
  const graph = history.present;
  const initialProblems = useMemo(() => parseDefinition(toYaml(initial), known).problems, [initial, known]);
  const [tab, setTab] = useState<"graph" | "yaml">(initialProblems.length ? "yaml" : "graph");
  const [yamlText, setYamlText] = useState(() => toYaml(initial));
  const [yamlProblems, setYamlProblems] = useState<string[]>(initialProblems);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [validation, setValidation] = useState<Validation>({ state: "idle" });
  const [saved, setSaved] = useState<string | null>(version ? `version ${version}` : null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const [storedName, setStoredName] = useState<string | null>(version ? initial.name : null);
  const [showHistory, setShowHistory] = useState(false);

  const commit = useCallback((next: Graph, key: string | null = null) => setHistory((h) => record(h, next, key)), []);
  const definition = useMemo(() => graphToDefinition(graph), [graph]);
  const keys = useMemo(() => new Set(graph.nodes.map((node) => node.key)), [graph]);
  const pinned = useMemo(
    () => pinProblems(validation.state === "invalid" ? validation.errors : [], keys),
    [validation, keys],
  );

  // Live validation: the gateway checks the definition as storing it would.
  const body = tab === "yaml" ? yamlText : JSON.stringify(definition);
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setValidation({ state: "checking" });
      try {
        const { response, error } = await api.POST("/v1/workflows/validate", {
          body: body as never,
          bodySerializer: (value: unknown) => value as string,
          headers: { "Content-Type": tab === "yaml" ? "application/yaml" : "application/json" },
          signal: controller.signal,
        });
        if (response.ok) setValidation({ state: "valid" });
        else {
          const problem = await problemOf(response, error);
          setValidation(problem.status === 422 ? { state: "invalid", errors: problem.errors.length ? problem.errors : [{ path: "", message: problem.detail }] } : { state: "error", error: problem });
        }
      } catch (error) {
        if (!controller.signal.aborted) setValidation({ state: "error", error });
      }
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [body, tab]);

  const nodes: FlowNode[] = useMemo(
    () =>
      flowNodes(graph, (key) => ({
        problems: (pinned.byOperation.get(key) ?? []).map((item) => (item.field ? `${item.field}: ` : "") + item.message),
      })).map((node) => ({ ...node, selected: selected.has(node.id) })),
    [graph, pinned, selected],
  );
  const edges = useMemo(() => flowEdges(graph), [graph]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      let next = graph;
      const removed = new Set<string>();
      let selection: Set<string> | null = null;
      let moved: string | null = null;
      for (const change of changes) {
        // A loop's body is drawn from its config: it moves and goes with the loop.
        if ("id" in change && isBodyNodeId(change.id)) continue;
        if (change.type === "position" && change.position) {
          next = moveOperation(next, change.id, change.position);
          moved = change.id;
        } else if (change.type === "remove") removed.add(change.id);
        else if (change.type === "select") {
          selection ??= new Set(selected);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (removed.size) next = removeOperations(next, removed);
      if (next !== graph) commit(next, removed.size ? null : moved ? `move:${moved}` : null);
      if (selection) setSelected(selection);
    },
    [graph, selected, commit],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let next = graph;
      for (const change of changes) {
        if (change.type !== "remove" || !change.id.startsWith("needs:")) continue;
        const [source, target] = change.id.slice("needs:".length).split("->");
        if (source && target) next = disconnect(next, source, target);
      }
      if (next !== graph) commit(next);
    },
    [graph, commit],
  );

  const onConnect = useCallback(
    (connection: Connection) => commit(connect(graph, connection.source, connection.target)),
    [graph, commit],
  );

  function add(kind: string, position?: { x: number; y: number }) {
    const below = Math.max(0, ...graph.nodes.map((node) => node.position.y + 100));
    const [next, key] = addOperation(graph, kind, position ?? { x: 40, y: graph.nodes.length ? below : 40 });
    commit(next);
    setSelected(new Set([key]));
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    const kind = event.dataTransfer.getData(KIND_MIME);
    if (!kind) return;
    add(kind, flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  }

  function switchTab(next: "graph" | "yaml") {
    if (next === tab) return;
    if (next === "yaml") {
      setYamlText(toYaml(definition));
      setYamlProblems([]);
      setTab("yaml");
      return;
    }
    const parsed = parseDefinition(yamlText, known);
    setYamlProblems(parsed.problems);
    if (parsed.definition) {
      commit(definitionToGraph(parsed.definition));
      setTab("graph");
    }
  }

  function currentDefinition(): Definition | null {
    if (tab === "graph") return definition;
    const parsed = parseDefinition(yamlText, known);
    setYamlProblems(parsed.problems);
    return parsed.definition;
  }

  async function save(): Promise<Definition | null> {
    setSaveError(null);
    const toSave = currentDefinition();
    if (!toSave) return null;
    if (!NAME_PATTERN.test(toSave.name ?? "")) {
      setSaveError(new ApiProblem(422, "Name the workflow", "a name is lower case letters, digits, '.', '_' or '-'"));
      return null;
    }
    try {
      const stored = await unwrap(
        api.PUT("/v1/workflows/{name}", { params: { path: { name: toSave.name } }, body: toSave as never }),
      );
      setSaved(stored.created ? `saved as version ${stored.version}` : `unchanged: version ${stored.version}`);
      void client.invalidateQueries({ queryKey: ["workflows"] });
      void client.invalidateQueries({ queryKey: ["versions", toSave.name] });
      setStoredName(toSave.name);
      if (tab === "yaml") commit(definitionToGraph(toSave));
      window.history.replaceState(null, "", `/designer/?name=${encodeURIComponent(toSave.name)}`);
      return toSave;
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 422) setValidation({ state: "invalid", errors: error.errors });
      setSaveError(error);
      return null;
    }
  }

  const single = selected.size === 1 ? graph.nodes.find((node) => selected.has(node.key)) : undefined;
  const kindOf = (name: string) => kinds.find((kind) => kind.name === name);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (target && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
      const mod = event.ctrlKey || event.metaKey;
      if (mod && event.key.toLowerCase() === "z") {
        event.preventDefault();
        setHistory((h) => (event.shiftKey ? redo(h) : undo(h)));
      } else if (mod && event.key.toLowerCase() === "y") {
        event.preventDefault();
        setHistory((h) => redo(h));
      } else if (mod && event.key.toLowerCase() === "d" && selected.size) {
        event.preventDefault();
        const [next, copies] = duplicateOperations(graph, selected);
        commit(next);
        setSelected(new Set(copies));
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [graph, selected, commit]);

  const suggestions = useMemo(() => templateSuggestions(definition, single?.key), [definition, single?.key]);

  return (
    <section className="designer" aria-label="Workflow designer">
      <div className="toolbar" role="toolbar" aria-label="Designer">
        <label className="inline">
          Name
          <input
            value={graph.header.name}
            onChange={(event) => commit({ ...graph, header: { ...graph.header, name: event.target.value } }, "name")}
            disabled={tab === "yaml"}
            placeholder="my-workflow"
            aria-invalid={!NAME_PATTERN.test(graph.header.name) || undefined}
          />
        </label>
        <div role="tablist" aria-label="View">
          <button type="button" role="tab" aria-selected={tab === "graph"} onClick={() => switchTab("graph")}>
            Graph
          </button>
          <button type="button" role="tab" aria-selected={tab === "yaml"} onClick={() => switchTab("yaml")}>
            YAML
          </button>
        </div>
        <button type="button" onClick={() => setHistory(undo)} disabled={!history.past.length || tab === "yaml"}>
          Undo
        </button>
        <button type="button" onClick={() => setHistory(redo)} disabled={!history.future.length || tab === "yaml"}>
          Redo
        </button>
        <button
          type="button"
          disabled={tab === "yaml" || !graph.nodes.length}
          onClick={() => {
            commit({ ...graph, nodes: autoLayout(graph) });
            setTimeout(() => void flow.fitView(), 0);
          }}
        >
          Auto-layout
        </button>
        <button
          type="button"
          disabled={!selected.size || tab === "yaml"}
          onClick={() => {
            const [next, copies] = duplicateOperations(graph, selected);
            commit(next);
            setSelected(new Set(copies));
          }}
        >
          Duplicate
        </button>
        <button
          type="button"
          disabled={!selected.size || tab === "yaml"}
          onClick={() => {
            commit(removeOperations(graph, selected));
            setSelected(new Set());
          }}
        >
          Delete
        </button>
        <span role="status" className={`validation validation-${validation.state}`}>
          {validation.state === "valid"
            ? "valid"
            : validation.state === "invalid"
              ? `${validation.errors.length} problem${validation.errors.length > 1 ? "s" : ""}`
              : validation.state === "checking"
                ? "checking…"
                : validation.state === "error"
                  ? "could not validate"
                  : ""}
        </span>
        <button type="button" className="primary" onClick={() => void save()}>
          Save
        </button>
        <button
          type="button"
          onClick={async () => {
            if (await save()) setRunning(true);
          }}
        >
          Run…
        </button>
        <button type="button" aria-pressed={showHistory} disabled={!storedName} onClick={() => setShowHistory(!showHistory)}>
          History
        </button>
        {saved && <span className="hint">{saved}</span>}
      </div>
      <ErrorNote error={saveError} />
      <div className={`designer-body${showHistory && storedName ? " wide-panel" : ""}`}>
        <Palette kinds={kinds} onAdd={(kind) => add(kind)} disabled={tab === "yaml"} />
        {tab === "graph" ? (
          <div className="canvas" onDragOver={(event) => event.preventDefault()} onDrop={onDrop} aria-label="Canvas">
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={NODE_TYPES}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              deleteKeyCode={["Backspace", "Delete"]}
              multiSelectionKeyCode={["Shift", "Meta", "Control"]}
              fitView
              fitViewOptions={{ maxZoom: 1 }}
              minZoom={0.05}
            >
              <Background />
              <Controls />
              <MiniMap pannable zoomable nodeColor={minimapColor} ariaLabel="Minimap" />
            </ReactFlow>
          </div>
        ) : (
          <div className="yaml-pane">
            <label htmlFor="yaml-text">Definition (YAML)</label>
            <textarea
              id="yaml-text"
              className="mono"
              spellCheck={false}
              value={yamlText}
              onChange={(event) => setYamlText(event.target.value)}
            />
            {yamlProblems.length > 0 && (
              <div role="alert" className="error">
                <strong>The graph cannot draw this definition</strong>
                <ul>
                  {yamlProblems.map((problem, index) => (
                    <li key={index}>{problem}</li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
        <aside className="panel" aria-label="Operation">
          {showHistory && storedName ? (
            <VersionHistory
              name={storedName}
              onOpen={(opened, number) => {
                commit(definitionToGraph(opened));
                setYamlText(toYaml(opened));
                setSelected(new Set());
                setSaved(`editing from version ${number}`);
                setShowHistory(false);
              }}
            />
          ) : single && tab === "graph" ? (
            <OperationPanel
              key={single.key}
              opKey={single.key}
              kind={kindOf(single.spec.uses)}
              spec={single.spec}
              problems={pinned.byOperation.get(single.key) ?? []}
              suggestions={suggestions}
              onRename={(to) => {
                const next = renameOperation(graph, single.key, to);
                if (next !== graph) {
                  commit(next);
                  setSelected(new Set([to]));
                }
              }}
              onChange={(spec, field) => commit(updateSpec(graph, single.key, spec), `${single.key}:${field}`)}
            />
          ) : (
            <WorkflowProblems validation={validation} general={pinned.general} selected={selected.size} />
          )}
        </aside>
      </div>
      {running && (
        <RunDialog
          definition={definition}
          onClose={() => setRunning(false)}
          onStarted={(runId) => router.push(`/runs/view/?id=${runId}`)}
        />
      )}
    </section>
  );
}

function OperationPanel({
  opKey,
  kind,
  spec,
  problems,
  suggestions,
  onRename,
  onChange,
}: {
  opKey: string;
  kind: Kind | undefined;
  spec: Graph["nodes"][number]["spec"];
  problems: { field: string; message: string }[];
  suggestions: string[];
  onRename: (to: string) => void;
  onChange: (spec: Graph["nodes"][number]["spec"], field: string) => void;
}) {
  const [key, setKey] = useState(opKey);
  return (
    <div>
      <h2>{opKey}</h2>
      <p className="hint">
        <code>{spec.uses}</code> {kind?.summary}
      </p>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          onRename(key);
        }}
      >
        <label className="inline">
          Key
          <input value={key} onChange={(event) => setKey(event.target.value)} pattern="[A-Za-z_][A-Za-z0-9_\-]{0,63}" />
        </label>
        <button type="submit" disabled={key === opKey}>
          Rename
        </button>
      </form>
      {problems.length > 0 && (
        <div role="alert" className="error" aria-label={`Problems of ${opKey}`}>
          <ul>
            {problems.map((problem, index) => (
              <li key={index}>
                {problem.field && <code>{problem.field}</code>} {problem.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ConfigForm spec={spec} schema={kind?.config_schema ?? null} problems={problems} suggestions={suggestions} onChange={onChange} />
    </div>
  );
}

function WorkflowProblems({ validation, general, selected }: { validation: Validation; general: ProblemError[]; selected: number }) {
  return (
    <div>
      <h2>Workflow</h2>
      <p className="hint">
        {selected > 1 ? `${selected} operations selected.` : "Select an operation to edit its config."} Drag a kind from
        the palette (or press its Add button), connect an operation&apos;s lower handle to another&apos;s upper one to make
        the second need the first.
      </p>
      {validation.state === "error" && <ErrorNote error={validation.error} />}
      {general.length > 0 && (
        <div role="alert" className="error">
          <strong>Problems</strong>
          <ul>
            {general.map((problem, index) => (
              <li key={index}>
                {problem.path && <code>{problem.path}</code>} {problem.message}
                {problem.line ? ` (line ${problem.line})` : ""}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** What a template of operation ``key`` may name: inputs, upstream outputs, secrets. */
function templateSuggestions(definition: Definition, key: string | undefined): string[] {
  const inputs = Object.keys(definition.inputs ?? {}).map((name) => `{{ inputs.${name} }}`);
  const upstream = new Set<string>();
  const stack = [...(key ? (definition.operations[key]?.needs ?? []) : [])];
  while (stack.length) {
    const next = stack.pop() as string;
    if (upstream.has(next)) continue;
    upstream.add(next);
    stack.push(...(definition.operations[next]?.needs ?? []));
  }
  return [...inputs, ...[...upstream].map((name) => `{{ ops.${name}.output }}`), "{{ secrets.NAME }}"];
}
