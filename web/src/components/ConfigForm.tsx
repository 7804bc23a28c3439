"use client";

// An operation's config form, rendered from its kind's JSON Schema. Every scalar field
// takes text, since any value may be a template (`{{ inputs.rows }}`); numbers and
// booleans typed plainly are stored as such. Objects and lists are edited as YAML.
import { useEffect, useId, useState } from "react";
import { parse as parseYaml, stringify } from "yaml";

import type { OperationBody } from "@/lib/definition";
import { fieldSchema, type JsonSchema } from "@/lib/kinds";
import { LOOP_KINDS } from "@/lib/loops";

type Spec = OperationBody;
const LONG_TEXT = new Set(["template", "prompt", "expression", "condition", "body", "text", "message", "system"]);

export interface FieldProblem {
  field: string;
  message: string;
}

export function ConfigForm({
  spec,
  schema,
  problems,
  suggestions,
  onChange,
}: {
  spec: Spec;
  schema: JsonSchema | null;
  problems: FieldProblem[];
  suggestions: string[];
  onChange: (spec: Spec, field: string) => void;
}) {
  const listId = useId();
  const config = spec.with ?? {};
  const properties = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  const known = new Set(Object.keys(properties));
  const others = Object.fromEntries(Object.entries(config).filter(([name]) => !known.has(name)));
  const open = schema === null || schema.additionalProperties !== false;
  const problemOf = (path: string) =>
    problems.filter((item) => item.field === path || item.field.startsWith(`${path}.`) || item.field.startsWith(`${path}[`));

  function setWith(name: string, value: unknown) {
    const next = { ...config };
    if (value === undefined) delete next[name];
    else next[name] = value;
    const { with: _with, ...rest } = spec;
    onChange(Object.keys(next).length ? { ...spec, with: next } : rest, `with.${name}`);
  }

  function setField(name: keyof Spec & string, value: unknown) {
    const next: Spec = { ...spec };
    if (value === undefined) delete next[name];
    else next[name] = value;
    onChange(next, name);
  }

  return (
    <div className="config-form">
      <datalist id={listId}>
        {suggestions.map((suggestion) => (
          <option key={suggestion} value={suggestion} />
        ))}
      </datalist>
      <fieldset>
        <legend>Config</legend>
        {Object.entries(properties).map(([name, raw]) => {
          const { schema: field } = fieldSchema(raw, schema ?? {});
          return (
            <Field
              key={name}
              name={name}
              label={`${raw.title ?? field.title ?? name}${required.has(name) ? " (required)" : ""}`}
              description={raw.description ?? field.description}
              schema={field}
              value={config[name]}
              problems={problemOf(`with.${name}`)}
              list={listId}
              onChange={(value) => setWith(name, value)}
            />
          );
        })}
        {open && (
          <YamlField
            label={known.size ? "Other config fields (YAML)" : "Config (YAML)"}
            value={Object.keys(others).length ? others : undefined}
            problems={problems.filter((item) => item.field.startsWith("with") && ![...known].some((k) => item.field.startsWith(`with.${k}`)))}
            onChange={(value) => {
              const kept = Object.fromEntries(Object.entries(config).filter(([name]) => known.has(name)));
              const merged = { ...kept, ...((value as Record<string, unknown> | undefined) ?? {}) };
              const { with: _with, ...rest } = spec;
              onChange(Object.keys(merged).length ? { ...spec, with: merged } : rest, "with.*");
            }}
          />
        )}
      </fieldset>
      {LOOP_KINDS.has(spec.uses) && (
        <fieldset>
          <legend>Body</legend>
          <YamlField
            label="do (YAML)"
            description="What runs for each item or iteration: one operation, or a group of operations with their own needs. Drawn inside the loop."
            value={spec.do}
            problems={problemOf("do")}
            onChange={(value) => setField("do", value)}
          />
        </fieldset>
      )}
      <fieldset>
        <legend>Execution</legend>
        <Field
          name="when"
          label="when"
          description="A trigger rule (all_done, none_failed…) or a condition {{ … }}; false skips it"
          schema={{ type: "string" }}
          value={spec.when ?? undefined}
          problems={problemOf("when")}
          list={listId}
          onChange={(value) => setField("when", value)}
        />
        <Field
          name="timeout"
          label="timeout"
          description="Seconds, or a duration such as 30s, 5m"
          schema={{ type: "string" }}
          value={spec.timeout ?? undefined}
          problems={problemOf("timeout")}
          list={undefined}
          onChange={(value) => setField("timeout", value)}
        />
        <Field
          name="retry.max_attempts"
          label="retry: max attempts"
          description="Attempts in all (1: no retry)"
          schema={{ type: "integer" }}
          value={spec.retry?.max_attempts}
          problems={problemOf("retry")}
          list={undefined}
          onChange={(value) => {
            const retry = { ...(spec.retry ?? {}) };
            if (value === undefined) delete retry.max_attempts;
            else retry.max_attempts = value as number;
            setField("retry", Object.keys(retry).length ? retry : undefined);
          }}
        />
      </fieldset>
    </div>
  );
}

function Field({
  name,
  label,
  description,
  schema,
  value,
  problems,
  list,
  onChange,
}: {
  name: string;
  label: string;
  description?: string;
  schema: JsonSchema;
  value: unknown;
  problems: FieldProblem[];
  list: string | undefined;
  onChange: (value: unknown) => void;
}) {
  const id = useId();
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "object" || type === "array" || (type === undefined && !schema.enum)) {
    return <YamlField label={label} description={description} value={value} problems={problems} onChange={onChange} />;
  }
  const invalid = problems.length > 0;
  const describedBy = `${id}-help ${id}-problems`;
  const common = {
    id,
    name,
    "aria-invalid": invalid || undefined,
    "aria-describedby": describedBy,
  };
  let control;
  if (schema.enum) {
    control = (
      <select {...common} value={value === undefined ? "" : String(value)} onChange={(e) => onChange(fromEnum(e.target.value, schema.enum ?? []))}>
        <option value="">{schema.default !== undefined ? `default (${String(schema.default)})` : "unset"}</option>
        {schema.enum.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else if (type === "boolean") {
    control = (
      <select {...common} value={value === undefined ? "" : String(value)} onChange={(e) => onChange(fromText(e.target.value, "boolean"))}>
        <option value="">{schema.default !== undefined ? `default (${String(schema.default)})` : "unset"}</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  } else if (type === "string" && LONG_TEXT.has(name)) {
    control = <textarea {...common} rows={3} value={textOf(value)} onChange={(e) => onChange(fromText(e.target.value, "string"))} />;
  } else {
    control = (
      <input
        {...common}
        list={list}
        inputMode={type === "integer" || type === "number" ? "decimal" : undefined}
        placeholder={schema.default !== undefined && schema.default !== null ? `default: ${JSON.stringify(schema.default)}` : undefined}
        value={textOf(value)}
        onChange={(e) => onChange(fromText(e.target.value, type))}
      />
    );
  }
  return (
    <div className={`field${invalid ? " invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {control}
      <small id={`${id}-help`}>{description}</small>
      <ProblemList id={`${id}-problems`} problems={problems} />
    </div>
  );
}

function YamlField({
  label,
  description,
  value,
  problems,
  onChange,
}: {
  label: string;
  description?: string;
  value: unknown;
  problems: FieldProblem[];
  onChange: (value: unknown) => void;
}) {
  const id = useId();
  const [text, setText] = useState(() => (value === undefined ? "" : stringify(value).trimEnd()));
  const [error, setError] = useState<string | null>(null);
  const serialized = value === undefined ? "" : stringify(value).trimEnd();
  useEffect(() => {
    setText((current) => (sameValue(current, value) ? current : serialized));
  }, [serialized, value]);
  return (
    <div className={`field${problems.length || error ? " invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={3}
        className="mono"
        value={text}
        aria-invalid={problems.length > 0 || error !== null || undefined}
        aria-describedby={`${id}-help ${id}-problems`}
        onChange={(event) => {
          setText(event.target.value);
          try {
            const parsed: unknown = event.target.value.trim() ? parseYaml(event.target.value) : undefined;
            setError(null);
            onChange(parsed === null ? undefined : parsed);
          } catch (problem) {
            setError(problem instanceof Error ? problem.message.split("\n")[0] ?? "not YAML" : "not YAML");
          }
        }}
      />
      <small id={`${id}-help`}>{description}</small>
      <ProblemList id={`${id}-problems`} problems={error ? [...problems, { field: "", message: error }] : problems} />
    </div>
  );
}

function ProblemList({ id, problems }: { id: string; problems: FieldProblem[] }) {
  return (
    <ul id={id} className="field-problems">
      {problems.map((problem, index) => (
        <li key={index}>{problem.message}</li>
      ))}
    </ul>
  );
}

function sameValue(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(text.trim() ? parseYaml(text) : undefined) === JSON.stringify(value);
  } catch {
    return false;
  }
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Typed text as the value it means for a field of ``type``; empty: unset. */
export function fromText(text: string, type: string | undefined): unknown {
  if (text === "") return undefined;
  if (text.includes("{{")) return text;
  if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim())) return Number(text);
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  return text;
}

function fromEnum(text: string, options: unknown[]): unknown {
  if (text === "") return undefined;
  return options.find((option) => String(option) === text) ?? text;
}
