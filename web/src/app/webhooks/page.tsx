"use client";

// Outbound webhook subscriptions (docs/webhooks.md): where the project's run and operation
// events are sent, signed; each one's delivery log, and a delivery sent again on demand.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";

import { CursorPager, useCursors } from "@/components/CursorPager";
import { ErrorNote, useMe } from "@/components/Shell";
import { FormField as Field, useWorkflowNames } from "@/components/TriggerForms";
import { api, type Schemas, unwrap } from "@/lib/api";
import { atLeast } from "@/lib/roles";
import { fieldProblems, parseList, when } from "@/lib/triggers";

type Subscription = Schemas["Subscription"];
type DeliveryState = NonNullable<Schemas["Delivery"]["state"]>;
const DELIVERY_STATES: DeliveryState[] = ["pending", "succeeded", "failed"];

export default function WebhooksPage() {
  const client = useQueryClient();
  const canEdit = atLeast(useMe().data?.role, "editor");
  const cursors = useCursors();
  const [shown, setShown] = useState<{ subscription: Schemas["SubscriptionWithSecret"]; rotated: boolean } | null>(null);
  const [open, setOpen] = useState<Subscription | null>(null);
  const subscriptions = useQuery({
    queryKey: ["webhooks", cursors.cursor],
    queryFn: () => unwrap(api.GET("/v1/webhooks", { params: { query: { limit: 50, cursor: cursors.cursor } } })),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["webhooks"] });
  const toggle = useMutation({
    mutationFn: (item: Subscription) =>
      unwrap(api.PATCH("/v1/webhooks/{subscription_id}", { params: { path: { subscription_id: item.id } }, body: { enabled: !item.enabled } })),
    onSuccess: () => void refresh(),
  });
  const rotate = useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/v1/webhooks/{subscription_id}/rotate-secret", { params: { path: { subscription_id: id } } })),
    onSuccess: (subscription) => {
      setShown({ subscription, rotated: true });
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/v1/webhooks/{subscription_id}", { params: { path: { subscription_id: id } } })),
    onSuccess: (_, id) => {
      if (open?.id === id) setOpen(null);
      if (shown?.subscription.id === id) setShown(null);
      void refresh();
    },
  });

  return (
    <section>
      <h1>Outbound webhooks</h1>
      <p>A subscription sends the project&apos;s run and operation events to a URL, signed with its secret (Standard Webhooks), at least once.</p>
      <ErrorNote error={subscriptions.error ?? toggle.error ?? rotate.error ?? remove.error} />
      {subscriptions.data?.items.length === 0 && <p>No subscriptions yet.</p>}
      {subscriptions.data && subscriptions.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Workflows</th>
              <th scope="col">Previous secret</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.data.items.map((item) => (
              <tr key={item.id} data-subscription={item.name}>
                <td>{item.name}</td>
                <td>
                  <code>{item.url}</code>
                </td>
                <td>{item.event_types.length ? item.event_types.join(" ") : "every event"}</td>
                <td>{item.workflows.length ? item.workflows.join(" ") : "every workflow"}</td>
                <td>{item.previous_secret_expires_at ? `signed with until ${when(item.previous_secret_expires_at)}` : "none"}</td>
                <td>
                  {item.enabled ? "enabled" : `disabled${item.disabled_reason ? `: ${item.disabled_reason}` : ""}`}
                  {item.failing_since && (
                    <div>
                      <small>failing since {when(item.failing_since)}</small>
                    </div>
                  )}
                </td>
                <td className="row">
                  <button type="button" onClick={() => setOpen(item)} aria-label={`Deliveries of ${item.name}`} aria-pressed={open?.id === item.id}>
                    Deliveries
                  </button>
                  <button type="button" disabled={!canEdit || toggle.isPending} onClick={() => toggle.mutate(item)} aria-label={`${item.enabled ? "Disable" : "Enable"} subscription ${item.name}`}>
                    {item.enabled ? "Disable" : "Enable"}
                  </button>
                  <button type="button" disabled={!canEdit || rotate.isPending} onClick={() => rotate.mutate(item.id)} aria-label={`Rotate secret of subscription ${item.name}`}>
                    Rotate secret
                  </button>
                  <button type="button" disabled={!canEdit} onClick={() => remove.mutate(item.id)} aria-label={`Delete subscription ${item.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CursorPager label="Pages of subscriptions" cursors={cursors} next={subscriptions.data?.next_cursor} />
      {shown && (
        <div role="status" className="notice">
          <p>
            {shown.rotated ? "New secret" : "Secret"} of subscription <strong>{shown.subscription.name}</strong> (shown once; copy it now and verify
            deliveries with it):
          </p>
          <pre aria-label="Subscription secret">{shown.subscription.secret}</pre>
          {shown.rotated && shown.subscription.previous_secret_expires_at && (
            <p>Deliveries also carry a signature with the replaced secret until {when(shown.subscription.previous_secret_expires_at)}.</p>
          )}
        </div>
      )}
      {open && <Deliveries key={open.id} subscription={open} canEdit={canEdit} />}
      {!canEdit && <p>Only an editor of the project can create or change subscriptions.</p>}
      <SubscriptionForm
        canEdit={canEdit}
        onCreated={(subscription) => {
          setShown({ subscription, rotated: false });
          void refresh();
        }}
      />
    </section>
  );
}

function Deliveries({ subscription, canEdit }: { subscription: Subscription; canEdit: boolean }) {
  const client = useQueryClient();
  const cursors = useCursors();
  const [state, setState] = useState<DeliveryState | "">("");
  const deliveries = useQuery({
    queryKey: ["deliveries", subscription.id, state, cursors.cursor],
    queryFn: () =>
      unwrap(
        api.GET("/v1/webhooks/{subscription_id}/deliveries", {
          params: { path: { subscription_id: subscription.id }, query: { limit: 25, cursor: cursors.cursor, state: state || undefined } },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 3000,
  });
  const redeliver = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST("/v1/webhooks/{subscription_id}/deliveries/{delivery_id}/redeliver", {
          params: { path: { subscription_id: subscription.id, delivery_id: id } },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["deliveries", subscription.id] }),
  });
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Deliveries of {subscription.name}</h2>
      <label className="inline">
        State
        <select
          value={state}
          onChange={(event) => {
            setState(event.target.value as DeliveryState | "");
            cursors.reset();
          }}
        >
          <option value="">any</option>
          {DELIVERY_STATES.map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
      </label>
      <ErrorNote error={deliveries.error ?? redeliver.error} />
      {redeliver.isSuccess && (
        <p role="status" className="notice">
          Delivery {redeliver.data.event_type} of run {redeliver.data.run_id.slice(0, 8)} queued to be sent again.
        </p>
      )}
      {deliveries.data?.items.length === 0 && <p>No deliveries{state ? ` in state ${state}` : ""} yet.</p>}
      {deliveries.data && deliveries.data.items.length > 0 && (
        <table aria-label={`Delivery log of ${subscription.name}`}>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Run</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th scope="col">Response</th>
              <th scope="col">Latency</th>
              <th scope="col">Last attempt</th>
              <th scope="col">Next attempt</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.items.map((delivery) => (
              <tr key={delivery.id} data-delivery={delivery.id} data-state={delivery.state}>
                <td>
                  {delivery.event_type}
                  <div>
                    <small>
                      <code>{delivery.webhook_id}</code>
                    </small>
                  </div>
                </td>
                <td>
                  <Link href={`/runs/view/?id=${delivery.run_id}`}>{delivery.run_id.slice(0, 8)}</Link>
                </td>
                <td>{delivery.state}</td>
                <td>{delivery.attempts}</td>
                <td>
                  {delivery.last_status ?? "no answer"}
                  {delivery.last_error && (
                    <div>
                      <small>{delivery.last_error}</small>
                    </div>
                  )}
                </td>
                <td>{delivery.last_latency_ms === null ? "" : `${delivery.last_latency_ms} ms`}</td>
                <td>{when(delivery.last_attempt_at)}</td>
                <td>{when(delivery.next_attempt_at, "none")}</td>
                <td>
                  <button
                    type="button"
                    disabled={!canEdit || redeliver.isPending}
                    onClick={() => redeliver.mutate(delivery.id)}
                    aria-label={`Redeliver ${delivery.event_type} of run ${delivery.run_id.slice(0, 8)}`}
                  >
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CursorPager label="Pages of deliveries" cursors={cursors} next={deliveries.data?.next_cursor} />
    </section>
  );
}

function SubscriptionForm({ canEdit, onCreated }: { canEdit: boolean; onCreated: (made: Schemas["SubscriptionWithSecret"]) => void }) {
  const workflowNames = useWorkflowNames();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [types, setTypes] = useState("");
  const [workflows, setWorkflows] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/v1/webhooks", { body: { name, url, event_types: parseList(types), workflows } })),
    onSuccess: (made) => {
      setName("");
      setUrl("");
      setTypes("");
      setWorkflows([]);
      onCreated(made);
    },
  });
  const problems = (field: string) => fieldProblems(create.error, field);
  return (
    <>
      <h2>New subscription</h2>
      <form
        className="stack narrow"
        aria-label="New subscription"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Field label="Name" help="Letters, digits, _ . - (up to 128)" problems={problems("name")}>
          {(id, described) => <input id={id} {...described} required disabled={!canEdit} value={name} onChange={(event) => setName(event.target.value)} />}
        </Field>
        <Field label="Target URL" help="http(s); private and loopback addresses only where an administrator allows them" problems={problems("url")}>
          {(id, described) => (
            <input id={id} {...described} type="url" required disabled={!canEdit} value={url} onChange={(event) => setUrl(event.target.value)} />
          )}
        </Field>
        <Field
          label="Event types"
          help="Separated by blanks or commas: run.succeeded, run.failed, operation.failed, run.* or operation.*; empty: every event"
          problems={problems("event_types")}
        >
          {(id, described) => <input id={id} {...described} disabled={!canEdit} value={types} onChange={(event) => setTypes(event.target.value)} />}
        </Field>
        <Field label="Workflows" help="None selected: every workflow of the project" problems={problems("workflows")}>
          {(id, described) => (
            <select
              id={id}
              {...described}
              multiple
              disabled={!canEdit}
              value={workflows}
              onChange={(event) => setWorkflows([...event.target.selectedOptions].map((option) => option.value))}
            >
              {workflowNames.map((item) => (
                <option key={item}>{item}</option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="primary" disabled={!canEdit || create.isPending}>
          Create subscription
        </button>
        <ErrorNote error={create.error} />
      </form>
    </>
  );
}
