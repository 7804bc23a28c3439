"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { ErrorNote } from "@/components/Shell";
import { api, type Schemas, unwrap } from "@/lib/api";
import { type Role, ROLES } from "@/lib/roles";


/** The organization's members (roles changed, members removed) and its invitations. */
export default function MembersPage() {
  const client = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const [invited, setInvited] = useState<Schemas["InvitationCreated"] | null>(null);
  const members = useQuery({
    queryKey: ["members"],
    queryFn: () => unwrap(api.GET("/v1/members", { params: { query: { limit: 500 } } })),
  });
  const invitations = useQuery({
    queryKey: ["invitations"],
    queryFn: () => unwrap(api.GET("/v1/invitations", { params: { query: { limit: 500 } } })),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["members"] }).then(() => client.invalidateQueries({ queryKey: ["invitations"] }));
  const change = useMutation({
    mutationFn: ({ user, to }: { user: string; to: Role }) =>
      unwrap(api.PATCH("/v1/members/{user_id}", { params: { path: { user_id: user } }, body: { role: to } })),
    onSettled: () => void refresh(),
  });
  const remove = useMutation({
    mutationFn: (user: string) => unwrap(api.DELETE("/v1/members/{user_id}", { params: { path: { user_id: user } } })),
    onSuccess: () => void refresh(),
  });
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST("/v1/invitations", { body: { email, role } })),
    onSuccess: (made) => {
      setInvited(made);
      setEmail("");
      void refresh();
    },
  });
  const withdraw = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/v1/invitations/{invitation_id}", { params: { path: { invitation_id: id } } })),
    onSuccess: () => void refresh(),
  });

  return (
    <section>
      <h1>Members</h1>
      <ErrorNote error={members.error ?? change.error ?? remove.error} />
      {members.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data.items.map((member) => (
              <tr key={member.user_id}>
                <td>{member.name}</td>
                <td>{member.email ?? ""}</td>
                <td>
                  <select
                    aria-label={`Role of ${member.name}`}
                    value={member.role}
                    onChange={(event) => change.mutate({ user: member.user_id, to: event.target.value as Role })}
                  >
                    {ROLES.map((value) => (
                      <option key={value}>{value}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" onClick={() => remove.mutate(member.user_id)} aria-label={`Remove ${member.name}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Invitations</h2>
      <ErrorNote error={invitations.error ?? withdraw.error} />
      {invitations.data && invitations.data.items.length > 0 && (
        <ul>
          {invitations.data.items.map((item) => (
            <li key={item.id}>
              {item.email} as {item.role}
              {item.accepted_at ? " (accepted)" : ` (until ${new Date(item.expires_at).toLocaleDateString()})`}{" "}
              {!item.accepted_at && (
                <button type="button" onClick={() => withdraw.mutate(item.id)} aria-label={`Withdraw the invitation of ${item.email}`}>
                  Withdraw
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        className="stack narrow"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          invite.mutate();
        }}
      >
        <label htmlFor="invite-email">Email</label>
        <input id="invite-email" type="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        <label htmlFor="invite-role">Role</label>
        <select id="invite-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {ROLES.map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
        <button type="submit" className="primary" disabled={invite.isPending}>
          Invite
        </button>
        <ErrorNote error={invite.error} />
      </form>
      {invited && (
        <div role="status" className="notice">
          <p>
            Invitation for <strong>{invited.email}</strong>: they join by signing in with that address (OIDC), or with
            this token (shown once) at <code>POST /v1/auth/invitations/accept</code>:
          </p>
          <pre aria-label="Invitation token">{invited.token}</pre>
        </div>
      )}
    </section>
  );
}
