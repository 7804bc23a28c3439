"use client";

import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { parse as parseYaml } from "yaml";

import { ErrorNote } from "@/components/Shell";
import { api, unwrap } from "@/lib/api";
import type { Definition, InputSpec } from "@/lib/definition";

/** The run form: one field per input of the workflow, typed by its declared type. */
export function RunDialog({
  definition,
  onClose,
  onStarted,
}: {
  definition: Definition;
  onClose: () => void;
  onStarted: (runId: string) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const inputs = Object.entries(definition.inputs ?? {});
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(inputs));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const given = givenInputs(inputs, values);
      const run = await unwrap(api.POST("/v1/runs", { body: { workflow: definition.name, inputs: given } }));
      onStarted(run.id);
    } catch (problem) {
      setError(problem);
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="run-title" className="dialog">
      <form onSubmit={submit} className="stack">
        <h2 id="run-title">Run {definition.name}</h2>
        {inputs.length === 0 && <p>This workflow takes no inputs.</p>}
        {inputs.map(([name, spec]) => (
          <InputField key={name} name={name} spec={spec} value={values[name] ?? ""} onChange={(value) => setValues({ ...values, [name]: value })} />
        ))}
        <ErrorNote error={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Start run
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** The form's text of each input: its default, or empty. */
export function initialValues(inputs: [string, InputSpec][]): Record<string, string> {
  return Object.fromEntries(inputs.map(([name, spec]) => [name, spec.default === undefined || spec.default === null ? "" : text(spec.default)]));
}

/** The run's inputs from the form's text: typed, an optional one left empty left out. */
export function givenInputs(inputs: [string, InputSpec][], values: Record<string, string>): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const [name, spec] of inputs) {
    const raw = values[name] ?? "";
    if (raw === "" && !spec.required && spec.default !== undefined) continue;
    given[name] = typed(raw, spec);
  }
  return given;
}

/** One labelled field of the run form, typed by the input's declared type. */
export function InputField({ name, spec, value, onChange }: { name: string; spec: InputSpec; value: string; onChange: (value: string) => void }) {
  const id = useId();
  const structured = spec.type === "object" || spec.type === "array" || spec.type === "any";
  return (
    <div className="field">
      <label htmlFor={id}>
        {name} ({spec.type ?? "any"}
        {spec.required === false || spec.default !== undefined ? ", optional" : ""})
      </label>
      {spec.type === "boolean" ? (
        <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">unset</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : structured ? (
        <textarea id={id} className="mono" rows={3} value={value} onChange={(event) => onChange(event.target.value)} aria-describedby={`${id}-help`} />
      ) : (
        <input
          id={id}
          value={value}
          inputMode={spec.type === "number" || spec.type === "integer" ? "decimal" : undefined}
          onChange={(event) => onChange(event.target.value)}
          aria-describedby={`${id}-help`}
        />
      )}
      <small id={`${id}-help`}>{spec.description ?? (structured ? "YAML or JSON" : "")}</small>
    </div>
  );
}

function typed(raw: string, spec: InputSpec): unknown {
  switch (spec.type) {
    case "number":
    case "integer":
      return raw.trim() === "" ? null : Number(raw);
    case "boolean":
      return raw === "" ? null : raw === "true";
    case "string":
      return raw;
    default:
      return raw.trim() === "" ? null : (parseYaml(raw) as unknown);
  }
}

function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
