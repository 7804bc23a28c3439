"use client";

// Cron schedules of the project's workflows (docs/schedules.md): the list, filtered by
// workflow, with each one's next and last tick; a form that creates or edits one, whose
// inputs are typed as JSON or in a form drawn from the workflow's declared inputs.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";

import { CursorPager, useCursors } from "@/components/CursorPager";
import { FormField as Field, useWorkflowNames } from "@/components/TriggerForms";
import { givenInputs, InputField } from "@/components/RunDialog";
import { ErrorNote, useMe } from "@/components/Shell";
import { api, type Schemas, unwrap } from "@/lib/api";
import type { Definition } from "@/lib/definition";
import { atLeast } from "@/lib/roles";
import { changedFields, fieldProblems, parseObject, when } from "@/lib/triggers";

type Schedule = Schemas["Schedule"];
type Draft = Schemas["ScheduleCreate"];

export default function SchedulesPage() {
  const client = useQueryClient();
  const canEdit = atLeast(useMe().data?.role, "editor");
  const [workflow, setWorkflow] = useState("");
  const [editing, setEditing] = useState<Schedule | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const cursors = useCursors();
  const workflows = useWorkflowNames();
  const schedules = useQuery({
    queryKey: ["schedules", workflow, cursors.cursor],
    queryFn: () =>
      unwrap(api.GET("/v1/schedules", { params: { query: { limit: 25, cursor: cursors.cursor, workflow: workflow || undefined } } })),
    placeholderData: keepPreviousData,
    refetchInterval: 15000,
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["schedules"] });
  const toggle = useMutation({
    mutationFn: (schedule: Schedule) =>
      unwrap(
        schedule.enabled
          ? api.POST("/v1/schedules/{schedule_id}/pause", { params: { path: { schedule_id: schedule.id } } })
          : api.POST("/v1/schedules/{schedule_id}/resume", { params: { path: { schedule_id: schedule.id } } }),
      ),
    onSuccess: () => void refresh(),
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/v1/schedules/{schedule_id}", { params: { path: { schedule_id: id } } })),
    onSuccess: (_, id) => {
      if (editing?.id === id) setEditing(null);
      void refresh();
    },
  });

  return (
    <section>
      <h1>Schedules</h1>
      <label className="inline">
        Workflow
        <select
          value={workflow}
          onChange={(event) => {
            setWorkflow(event.target.value);
            cursors.reset();
          }}
        >
          <option value="">any</option>
          {workflows.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <ErrorNote error={schedules.error ?? toggle.error ?? remove.error} />
      {schedules.data?.items.length === 0 && <p>No schedules{workflow ? ` of ${workflow}` : ""}.</p>}
      {schedules.data && schedules.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Workflow</th>
              <th scope="col">Cron</th>
              <th scope="col">Time zone</th>
              <th scope="col">Missed ticks</th>
              <th scope="col">Next tick</th>
              <th scope="col">Last tick</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {schedules.data.items.map((schedule) => {
              const label = `${schedule.workflow.name} ${schedule.cron}`;
              return (
                <tr key={schedule.id} data-schedule={schedule.id}>
                  <td>
                    {schedule.workflow.name}
                    {schedule.workflow.version ? ` v${schedule.workflow.version}` : " (latest)"}
                    {schedule.description && <div><small>{schedule.description}</small></div>}
                  </td>
                  <td>
                    <code>{schedule.cron}</code>
                  </td>
                  <td>{schedule.timezone}</td>
                  <td>{schedule.missed === "skip" ? "skip" : `catch up (at most ${schedule.max_catch_up})`}</td>
                  <td>{schedule.enabled ? when(schedule.next_fire_at, "none") : "paused"}</td>
                  <td>
                    {when(schedule.last_fired_at)}
                    {schedule.last_run_id && (
                      <>
                        {" "}
                        <Link href={`/runs/view/?id=${schedule.last_run_id}`} aria-label={`Last run of ${label}`}>
                          run
                        </Link>
                      </>
                    )}
                    {schedule.last_error && <div><small>last error: {schedule.last_error}</small></div>}
                  </td>
                  <td>{schedule.enabled ? "active" : "paused"}</td>
                  <td className="row">
                    <button type="button" disabled={!canEdit} onClick={() => setEditing(schedule)} aria-label={`Edit schedule ${label}`}>
                      Edit
                    </button>
                    <button
                      type="button"
                      disabled={!canEdit || toggle.isPending}
                      onClick={() => toggle.mutate(schedule)}
                      aria-label={`${schedule.enabled ? "Pause" : "Resume"} schedule ${label}`}
                    >
                      {schedule.enabled ? "Pause" : "Resume"}
                    </button>
                    <button type="button" disabled={!canEdit} onClick={() => remove.mutate(schedule.id)} aria-label={`Delete schedule ${label}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <CursorPager label="Pages of schedules" cursors={cursors} next={schedules.data?.next_cursor} />
      {!canEdit && <p>Only an editor of the project can create or change schedules.</p>}
      <ScheduleForm
        key={editing?.id ?? "new"}
        editing={editing}
        workflows={workflows}
        canEdit={canEdit}
        onEdit={() => setSaved(null)}
        onDone={(message) => {
          setEditing(null);
          setSaved(message);
          void refresh();
        }}
      />
      {saved && (
        <p role="status" className="notice">
          {saved}
        </p>
      )}
    </section>
  );
}

function draftOf(schedule: Schedule | null): Draft {
  return {
    workflow: schedule?.workflow.name ?? "",
    version: schedule?.workflow.version ?? null,
    cron: schedule?.cron ?? "",
    timezone: schedule?.timezone ?? "UTC",
    inputs: schedule?.inputs ?? {},
    enabled: schedule?.enabled ?? true,
    missed: schedule?.missed ?? "skip",
    max_catch_up: schedule?.max_catch_up ?? 10,
    description: schedule?.description ?? null,
  };
}

function ScheduleForm({
  editing,
  workflows,
  canEdit,
  onEdit,
  onDone,
}: {
  editing: Schedule | null;
  workflows: string[];
  canEdit: boolean;
  onEdit: () => void;
  onDone: (message: string | null) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing));
  const [inputsMode, setInputsMode] = useState<"json" | "form">("json");
  const [inputsText, setInputsText] = useState(() => JSON.stringify(editing?.inputs ?? {}, null, 2));
  const [inputValues, setInputValues] = useState<Record<string, string>>(() => textValues(editing?.inputs ?? {}));
  const definition = useQuery({
    queryKey: ["workflow-export", draft.workflow],
    enabled: draft.workflow !== "",
    queryFn: async () =>
      (await unwrap(
        api.GET("/v1/workflows/{name}/export", {
          params: { path: { name: draft.workflow } },
          headers: { Accept: "application/json" },
          parseAs: "json",
        }),
      )) as unknown as Definition,
  });
  const declared = Object.entries(definition.data?.inputs ?? {});
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });

  const save = useMutation({
    mutationFn: async () => {
      const inputs =
        inputsMode === "form" ? givenInputs(declared, inputValues) : parseObject(inputsText, "Inputs", {} as Record<string, unknown>);
      const body: Draft = { ...draft, inputs, description: draft.description || null };
      if (!editing) return unwrap(api.POST("/v1/schedules", { body }));
      const changes = changedFields(draftOf(editing) as Record<string, unknown>, body as Record<string, unknown>);
      return unwrap(api.PATCH("/v1/schedules/{schedule_id}", { params: { path: { schedule_id: editing.id } }, body: changes }));
    },
    onSuccess: (schedule) => {
      if (!editing) {
        setDraft(draftOf(null));
        setInputsText("{}");
        setInputValues({});
      }
      onDone(`${editing ? "Saved" : "Created"} the schedule of ${schedule.workflow.name}: next tick ${when(schedule.next_fire_at, "none")}.`);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    onEdit();
    save.mutate();
  }

  const problems = (field: string) => fieldProblems(save.error, field);
  return (
    <>
      <h2>{editing ? `Edit the schedule of ${editing.workflow.name}` : "New schedule"}</h2>
      <form className="stack narrow" onSubmit={submit} aria-label={editing ? "Edit schedule" : "New schedule"}>
        <Field label="Workflow" problems={problems("workflow")}>
          {(id, described) => (
            <select id={id} {...described} required disabled={!canEdit} value={draft.workflow} onChange={(event) => set({ workflow: event.target.value })}>
              <option value="">choose one</option>
              {workflows.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Version (empty: the latest at each tick)" problems={problems("version")}>
          {(id, described) => (
            <input
              id={id}
              {...described}
              type="number"
              min={1}
              disabled={!canEdit}
              value={draft.version ?? ""}
              onChange={(event) => set({ version: event.target.value ? Number(event.target.value) : null })}
            />
          )}
        </Field>
        <Field label="Cron expression" help="5 fields: minute hour day-of-month month day-of-week, e.g. 0 6 * * 1-5" problems={problems("cron")}>
          {(id, described) => (
            <input id={id} {...described} required disabled={!canEdit} className="mono" value={draft.cron} onChange={(event) => set({ cron: event.target.value })} />
          )}
        </Field>
        <Field label="Time zone" help="An IANA name such as UTC or Europe/Paris" problems={problems("timezone")}>
          {(id, described) => (
            <>
              <input
                id={id}
                {...described}
                required
                disabled={!canEdit}
                list={`${id}-zones`}
                value={draft.timezone}
                onChange={(event) => set({ timezone: event.target.value })}
              />
              <datalist id={`${id}-zones`}>
                {timeZones().map((zone) => (
                  <option key={zone} value={zone} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <fieldset>
          <legend>Inputs</legend>
          <div className="row" role="radiogroup" aria-label="Inputs typed as">
            <label className="inline">
              <input type="radio" name="inputs-mode" checked={inputsMode === "json"} onChange={() => setInputsMode("json")} disabled={!canEdit} />
              JSON
            </label>
            <label className="inline">
              <input
                type="radio"
                name="inputs-mode"
                checked={inputsMode === "form"}
                onChange={() => setInputsMode("form")}
                disabled={!canEdit || declared.length === 0}
              />
              A form of the workflow&apos;s inputs
            </label>
          </div>
          {inputsMode === "json" ? (
            <Field label="Inputs (JSON object)" problems={problems("inputs")}>
              {(id, described) => (
                <textarea id={id} {...described} className="mono" rows={4} disabled={!canEdit} value={inputsText} onChange={(event) => setInputsText(event.target.value)} />
              )}
            </Field>
          ) : (
            declared.map(([name, spec]) => (
              <InputField key={name} name={name} spec={spec} value={inputValues[name] ?? ""} onChange={(value) => setInputValues({ ...inputValues, [name]: value })} />
            ))
          )}
          {draft.workflow && declared.length === 0 && definition.data && <small>{draft.workflow} declares no inputs.</small>}
        </fieldset>
        <Field label="Missed ticks" help="Ticks that fell while no ticker ran" problems={problems("missed")}>
          {(id, described) => (
            <select id={id} {...described} disabled={!canEdit} value={draft.missed} onChange={(event) => set({ missed: event.target.value as Draft["missed"] })}>
              <option value="skip">skip them</option>
              <option value="catch_up">catch up</option>
            </select>
          )}
        </Field>
        {draft.missed === "catch_up" && (
          <Field label="Catch up at most (ticks)" problems={problems("max_catch_up")}>
            {(id, described) => (
              <input
                id={id}
                {...described}
                type="number"
                min={0}
                max={1000}
                disabled={!canEdit}
                value={draft.max_catch_up ?? 10}
                onChange={(event) => set({ max_catch_up: Number(event.target.value) })}
              />
            )}
          </Field>
        )}
        <Field label="Description (optional)" problems={problems("description")}>
          {(id, described) => (
            <input id={id} {...described} maxLength={500} disabled={!canEdit} value={draft.description ?? ""} onChange={(event) => set({ description: event.target.value })} />
          )}
        </Field>
        <label className="inline">
          <input type="checkbox" disabled={!canEdit} checked={draft.enabled ?? true} onChange={(event) => set({ enabled: event.target.checked })} />
          Enabled
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={!canEdit || save.isPending}>
            {editing ? "Save schedule" : "Create schedule"}
          </button>
          {editing && (
            <button type="button" onClick={() => onDone(null)}>
              Cancel
            </button>
          )}
        </div>
        <ErrorNote error={save.error} />
      </form>
    </>
  );
}

function textValues(inputs: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value)]));
}

function timeZones(): string[] {
  return typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];
}
