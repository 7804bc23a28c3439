"use client";

// Embed tokens of the project (docs/embedding.md): each lets pages of the origins it lists
// run one workflow through the run widget. The whole token is shown once, when made.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { ErrorNote } from "@/components/Shell";
import { api, API_URL, type Schemas, unwrap } from "@/lib/api";

export default function EmbedTokensPage() {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [workflow, setWorkflow] = useState("");
  const [origins, setOrigins] = useState("");
  const [expires, setExpires] = useState("");
  const [made, setMade] = useState<Schemas["EmbedTokenCreated"] | null>(null);
  const tokens = useQuery({
    queryKey: ["embed-tokens"],
    queryFn: () => unwrap(api.GET("/v1/embed-tokens", { params: { query: { limit: 500 } } })),
  });
  const workflows = useQuery({
    queryKey: ["workflows", "names"],
    queryFn: () => unwrap(api.GET("/v1/workflows", { params: { query: { limit: 500 } } })),
  });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/v1/embed-tokens", {
          body: {
            name,
            workflow,
            origins: origins.split(/[\s,]+/).filter(Boolean),
            expires_at: expires ? new Date(expires).toISOString() : null,
          },
        }),
      ),
    onSuccess: (token) => {
      setMade(token);
      setName("");
      void client.invalidateQueries({ queryKey: ["embed-tokens"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/v1/embed-tokens/{token_id}", { params: { path: { token_id: id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["embed-tokens"] }),
  });

  return (
    <section>
      <h1>Embed tokens</h1>
      <p>An embed token lets pages of the origins it lists start one workflow with the run widget and follow the runs it started, nothing else.</p>
      <ErrorNote error={tokens.error ?? revoke.error} />
      {tokens.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Workflow</th>
              <th scope="col">Origins</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>
                  <code>{token.prefix}</code>
                </td>
                <td>
                  {token.workflow}
                  {token.version ? ` v${token.version}` : " (latest)"}
                </td>
                <td>{token.origins.join(" ")}</td>
                <td>{token.expires_at ? new Date(token.expires_at).toLocaleString() : "never"}</td>
                <td>{token.revoked_at ? "revoked" : "active"}</td>
                <td>
                  {!token.revoked_at && (
                    <button type="button" onClick={() => revoke.mutate(token.id)} aria-label={`Revoke embed token ${token.name}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>New embed token</h2>
      <form
        className="stack narrow"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <label htmlFor="embed-name">Name</label>
        <input id="embed-name" required value={name} onChange={(event) => setName(event.target.value)} />
        <label htmlFor="embed-workflow">Workflow</label>
        <select id="embed-workflow" required value={workflow} onChange={(event) => setWorkflow(event.target.value)}>
          <option value="">choose one</option>
          {(workflows.data?.items ?? []).map((item) => (
            <option key={item.name}>{item.name}</option>
          ))}
        </select>
        <label htmlFor="embed-origins">Allowed origins (https://host[:port], one per line)</label>
        <textarea id="embed-origins" required rows={3} value={origins} onChange={(event) => setOrigins(event.target.value)} />
        <label htmlFor="embed-expires">Expires (optional)</label>
        <input id="embed-expires" type="datetime-local" value={expires} onChange={(event) => setExpires(event.target.value)} />
        <button type="submit" className="primary" disabled={create.isPending}>
          Create embed token
        </button>
        <ErrorNote error={create.error} />
      </form>
      {made && <Snippet made={made} />}
    </section>
  );
}

function Snippet({ made }: { made: Schemas["EmbedTokenCreated"] }) {
  const gateway = API_URL || window.location.origin;
  const tag = `<script src="${gateway}/embed.js" defer></script>\n<raikoo-run workflow="${made.workflow}" token="${made.token}" gateway="${gateway}"></raikoo-run>`;
  return (
    <div role="status" className="notice">
      <p>
        Embed token <strong>{made.name}</strong> (shown once; copy it now):
      </p>
      <pre aria-label="New embed token">{made.token}</pre>
      <p>Paste this into a page of an allowed origin:</p>
      <pre aria-label="Embed snippet">{tag}</pre>
    </div>
  );
}
