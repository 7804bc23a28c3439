"use client";

// Inbound hooks (docs/webhooks.md): URLs that start a run of one workflow when a request
// signed with the hook's secret arrives. The secret is shown once, when made or rotated.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { CursorPager, useCursors } from "@/components/CursorPager";
import { ErrorNote, useMe } from "@/components/Shell";
import { FormField as Field, useWorkflowNames } from "@/components/TriggerForms";
import { api, API_URL, type Schemas, unwrap } from "@/lib/api";
import { atLeast } from "@/lib/roles";
import { absoluteUrl, fieldProblems, parseObject, signedCurl, when } from "@/lib/triggers";

type Hook = Schemas["Hook"];
type Shown = { hook: Schemas["HookWithSecret"]; rotated: boolean };

export default function HooksPage() {
  const client = useQueryClient();
  const canEdit = atLeast(useMe().data?.role, "editor");
  const cursors = useCursors();
  const [shown, setShown] = useState<Shown | null>(null);
  const hooks = useQuery({
    queryKey: ["hooks", cursors.cursor],
    queryFn: () => unwrap(api.GET("/v1/hooks", { params: { query: { limit: 50, cursor: cursors.cursor } } })),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["hooks"] });
  const toggle = useMutation({
    mutationFn: (hook: Hook) => unwrap(api.PATCH("/v1/hooks/{hook_id}", { params: { path: { hook_id: hook.id } }, body: { enabled: !hook.enabled } })),
    onSuccess: () => void refresh(),
  });
  const rotate = useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/v1/hooks/{hook_id}/rotate-secret", { params: { path: { hook_id: id } } })),
    onSuccess: (hook) => {
      setShown({ hook, rotated: true });
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/v1/hooks/{hook_id}", { params: { path: { hook_id: id } } })),
    onSuccess: (_, id) => {
      if (shown?.hook.id === id) setShown(null);
      void refresh();
    },
  });

  return (
    <section>
      <h1>Inbound hooks</h1>
      <p>A hook starts a run of its workflow when a request signed with its secret (Standard Webhooks) is posted to its URL.</p>
      <ErrorNote error={hooks.error ?? toggle.error ?? rotate.error ?? remove.error} />
      {hooks.data?.items.length === 0 && <p>No hooks yet.</p>}
      {hooks.data && hooks.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Workflow</th>
              <th scope="col">URL</th>
              <th scope="col">Mapping</th>
              <th scope="col">Previous secret</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {hooks.data.items.map((hook) => (
              <tr key={hook.id} data-hook={hook.name}>
                <td>{hook.name}</td>
                <td>
                  {hook.workflow}
                  {hook.version ? ` v${hook.version}` : " (latest)"}
                </td>
                <td>
                  <code>{hookUrl(hook.url)}</code>
                </td>
                <td>{hook.mapping ? <code>{JSON.stringify(hook.mapping)}</code> : "the JSON body"}</td>
                <td>{hook.previous_secret_expires_at ? `accepted until ${when(hook.previous_secret_expires_at)}` : "none"}</td>
                <td>{hook.enabled ? "enabled" : "disabled"}</td>
                <td className="row">
                  <button type="button" disabled={!canEdit || toggle.isPending} onClick={() => toggle.mutate(hook)} aria-label={`${hook.enabled ? "Disable" : "Enable"} hook ${hook.name}`}>
                    {hook.enabled ? "Disable" : "Enable"}
                  </button>
                  <button type="button" disabled={!canEdit || rotate.isPending} onClick={() => rotate.mutate(hook.id)} aria-label={`Rotate secret of hook ${hook.name}`}>
                    Rotate secret
                  </button>
                  <button type="button" disabled={!canEdit} onClick={() => remove.mutate(hook.id)} aria-label={`Delete hook ${hook.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CursorPager label="Pages of hooks" cursors={cursors} next={hooks.data?.next_cursor} />
      {shown && <SecretShown shown={shown} />}
      {!canEdit && <p>Only an editor of the project can create or change hooks.</p>}
      <HookForm
        canEdit={canEdit}
        onCreated={(hook) => {
          setShown({ hook, rotated: false });
          void refresh();
        }}
      />
    </section>
  );
}

function hookUrl(url: string): string {
  return absoluteUrl(API_URL || window.location.origin, url);
}

function HookForm({ canEdit, onCreated }: { canEdit: boolean; onCreated: (hook: Schemas["HookWithSecret"]) => void }) {
  const workflows = useWorkflowNames();
  const [name, setName] = useState("");
  const [workflow, setWorkflow] = useState("");
  const [version, setVersion] = useState("");
  const [mapping, setMapping] = useState("");
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/v1/hooks", {
          body: { name, workflow, version: version ? Number(version) : null, mapping: parseObject(mapping, "The mapping", null) },
        }),
      ),
    onSuccess: (hook) => {
      setName("");
      setMapping("");
      onCreated(hook);
    },
  });
  const problems = (field: string) => fieldProblems(create.error, field);
  return (
    <>
      <h2>New hook</h2>
      <form
        className="stack narrow"
        aria-label="New hook"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Field label="Name" help="Letters, digits, _ . - (up to 128)" problems={problems("name")}>
          {(id, described) => <input id={id} {...described} required disabled={!canEdit} value={name} onChange={(event) => setName(event.target.value)} />}
        </Field>
        <Field label="Workflow" problems={problems("workflow")}>
          {(id, described) => (
            <select id={id} {...described} required disabled={!canEdit} value={workflow} onChange={(event) => setWorkflow(event.target.value)}>
              <option value="">choose one</option>
              {workflows.map((item) => (
                <option key={item}>{item}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Version (empty: the latest at each call)" problems={problems("version")}>
          {(id, described) => (
            <input id={id} {...described} type="number" min={1} disabled={!canEdit} value={version} onChange={(event) => setVersion(event.target.value)} />
          )}
        </Field>
        <Field
          label="Mapping (optional)"
          help="Run inputs as templates over body, headers and query, as JSON or YAML, e.g. {&quot;repo&quot;: &quot;{{ body.repository.full_name }}&quot;}; empty: the JSON body is the inputs"
          problems={problems("mapping")}
        >
          {(id, described) => (
            <textarea id={id} {...described} className="mono" rows={3} disabled={!canEdit} value={mapping} onChange={(event) => setMapping(event.target.value)} />
          )}
        </Field>
        <button type="submit" className="primary" disabled={!canEdit || create.isPending}>
          Create hook
        </button>
        <ErrorNote error={create.error} />
      </form>
    </>
  );
}

function SecretShown({ shown: { hook, rotated } }: { shown: Shown }) {
  const url = hookUrl(hook.url);
  return (
    <div role="status" className="notice">
      <p>
        {rotated ? "New secret" : "Secret"} of hook <strong>{hook.name}</strong> (shown once; copy it now):
      </p>
      <pre aria-label="Hook secret">{hook.secret}</pre>
      {rotated && hook.previous_secret_expires_at && <p>The replaced secret is still accepted until {when(hook.previous_secret_expires_at)}.</p>}
      <p>
        Senders POST to <code aria-label="Hook URL">{url}</code> with the headers <code>webhook-id</code>, <code>webhook-timestamp</code> and{" "}
        <code>webhook-signature</code>: <code>v1,</code> and the base64 HMAC-SHA256 of <code>id.timestamp.body</code>, keyed by the base64 after{" "}
        <code>whsec_</code>. From a shell:
      </p>
      <pre aria-label="Signed call">{signedCurl(url, hook.secret)}</pre>
    </div>
  );
}
