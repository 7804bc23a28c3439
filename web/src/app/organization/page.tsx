"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";

import { ErrorNote, useMe } from "@/components/Shell";
import { api, type Schemas, unwrap } from "@/lib/api";
import { atLeast } from "@/lib/roles";

type Budget = Schemas["Budget"];

/** The organization's settings: its name (owners rename it, PATCH /v1/organization) and
 * its organization-wide AI budgets (admins set and remove them, PUT/DELETE /v1/budgets). */
export default function OrganizationPage() {
  const me = useMe();
  const role = me.data?.role;
  return (
    <section>
      <h1>Organization</h1>
      <NameForm canRename={atLeast(role, "owner")} />
      <Budgets canEdit={atLeast(role, "admin")} />
    </section>
  );
}

function NameForm({ canRename }: { canRename: boolean }) {
  const client = useQueryClient();
  const organization = useQuery({ queryKey: ["organization"], queryFn: () => unwrap(api.GET("/v1/organization")) });
  const [name, setName] = useState("");
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (organization.data) setName(organization.data.name);
  }, [organization.data]);
  const rename = useMutation({
    mutationFn: () => unwrap(api.PATCH("/v1/organization", { body: { name } })),
    onSuccess: (renamed) => {
      client.setQueryData(["organization"], renamed);
      void client.invalidateQueries({ queryKey: ["me"] });
      setSaved(true);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    rename.mutate();
  }
  const data = organization.data;
  return (
    <>
      <ErrorNote error={organization.error} />
      {data && (
        <form className="stack narrow" onSubmit={submit} aria-label="Organization settings">
          <dl>
            <dt>Slug</dt>
            <dd>
              <code>{data.slug}</code>
            </dd>
            <dt>Id</dt>
            <dd>
              <code>{data.id}</code>
            </dd>
            <dt>Created</dt>
            <dd>{new Date(data.created_at).toLocaleString()}</dd>
          </dl>
          <label htmlFor="org-name">Name</label>
          <input
            id="org-name"
            value={name}
            maxLength={200}
            disabled={!canRename || rename.isPending}
            aria-describedby={canRename ? undefined : "org-name-why"}
            onChange={(event) => {
              setName(event.target.value);
              setSaved(false);
            }}
          />
          {!canRename && (
            <p id="org-name-why" className="hint">
              Only an owner of the organization can rename it.
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={!canRename || rename.isPending || name === data.name}>
              Save
            </button>
            {saved && (
              <span role="status" className="hint">
                Saved.
              </span>
            )}
          </div>
          <ErrorNote error={rename.error} />
        </form>
      )}
    </>
  );
}

function Budgets({ canEdit }: { canEdit: boolean }) {
  const client = useQueryClient();
  const budgets = useQuery({
    queryKey: ["budgets", "organization"],
    queryFn: () => unwrap(api.GET("/v1/budgets")),
  });
  const [period, setPeriod] = useState<Budget["period"]>("month");
  const [unit, setUnit] = useState<Budget["unit"]>("usd");
  const [limit, setLimit] = useState("");
  const refresh = () => client.invalidateQueries({ queryKey: ["budgets"] });
  const put = useMutation({
    mutationFn: () => unwrap(api.PUT("/v1/budgets", { body: { scope: "organization", period, unit, limit: Number(limit) } })),
    onSuccess: () => {
      setLimit("");
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (budget: Budget) =>
      unwrap(
        api.DELETE("/v1/budgets", { params: { query: { scope: "organization", period: budget.period, unit: budget.unit } } }),
      ),
    onSuccess: () => void refresh(),
  });
  const items = (budgets.data?.items ?? []).filter((budget) => budget.scope === "organization");
  return (
    <section aria-label="Organization budgets">
      <h2>AI budgets of the organization</h2>
      <p className="hint">
        Limits on what all projects&apos; AI operations spend together (tokens, or US dollars from the price table).
        {canEdit ? "" : " Only an admin or owner can change them."}
      </p>
      <ErrorNote error={budgets.error ?? remove.error} />
      {budgets.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Unit</th>
              <th scope="col">Limit</th>
              <th scope="col">Used</th>
              <th scope="col">Reserved</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 && (
              <tr>
                <td colSpan={6}>No organization-wide budget.</td>
              </tr>
            )}
            {items.map((budget) => (
              <tr key={`${budget.period}-${budget.unit}`}>
                <td>{budget.period === "run" ? "each run" : "per month"}</td>
                <td>{budget.unit}</td>
                <td>{budget.limit}</td>
                <td>{budget.used ?? "—"}</td>
                <td>{budget.reserved ?? "—"}</td>
                <td>
                  <button
                    type="button"
                    disabled={!canEdit || remove.isPending}
                    onClick={() => remove.mutate(budget)}
                    aria-label={`Remove the ${budget.period} ${budget.unit} budget`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="row"
        aria-label="Set a budget"
        onSubmit={(event) => {
          event.preventDefault();
          put.mutate();
        }}
      >
        <label className="inline">
          Period
          <select value={period} disabled={!canEdit} onChange={(event) => setPeriod(event.target.value as Budget["period"])}>
            <option value="month">per month</option>
            <option value="run">each run</option>
          </select>
        </label>
        <label className="inline">
          Unit
          <select value={unit} disabled={!canEdit} onChange={(event) => setUnit(event.target.value as Budget["unit"])}>
            <option value="usd">usd</option>
            <option value="tokens">tokens</option>
          </select>
        </label>
        <label className="inline">
          Limit
          <input
            type="number"
            min="0"
            step="any"
            required
            value={limit}
            disabled={!canEdit}
            onChange={(event) => setLimit(event.target.value)}
          />
        </label>
        <button type="submit" disabled={!canEdit || put.isPending || limit === ""}>
          Set budget
        </button>
      </form>
      <ErrorNote error={put.error} />
    </section>
  );
}
