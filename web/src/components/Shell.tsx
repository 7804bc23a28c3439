"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useEffect } from "react";

import { api, ApiProblem, ApiUnreachable, unwrap } from "@/lib/api";
import { project, setApiKey, setProject } from "@/lib/auth";

const LINKS = [
  ["/", "Workflows"],
  ["/runs/", "Runs"],
  ["/operations/", "Operations"],
  ["/schedules/", "Schedules"],
  ["/hooks/", "Hooks"],
  ["/webhooks/", "Webhooks"],
  ["/secrets/", "Secrets"],
  ["/providers/", "AI providers"],
  ["/personas/", "Personas"],
  ["/tools/", "Tools"],
  ["/chat/", "Chat"],
  ["/keys/", "API keys"],
  ["/embed-tokens/", "Embed tokens"],
  ["/members/", "Members"],
  ["/organization/", "Organization"],
] as const;

export function useMe() {
  return useQuery({ queryKey: ["me"], queryFn: () => unwrap(api.GET("/v1/me")) });
}

/** The console's frame; the run widget's page (/embed/…) is framed by other sites and
 * authenticates with its embed token only, so it gets none of it. */
export function Shell({ children }: { children: ReactNode }) {
  const path = usePathname();
  if (path.startsWith("/embed/")) {
    return (
      <main id="main" className="embed">
        {children}
      </main>
    );
  }
  return <ConsoleShell>{children}</ConsoleShell>;
}

function ConsoleShell({ children }: { children: ReactNode }) {
  const path = usePathname();
  const router = useRouter();
  const signingIn = path.startsWith("/signin");
  const me = useMe();
  const unauthenticated = me.error instanceof ApiProblem && me.error.status === 401;
  useEffect(() => {
    if (unauthenticated && !signingIn) router.replace(`/signin/?next=${encodeURIComponent(path)}`);
  }, [unauthenticated, signingIn, path, router]);

  async function signOut() {
    setApiKey(null);
    await api.POST("/v1/auth/logout").catch(() => undefined);
    window.location.assign("/signin/");
  }

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Raikoo</span>
        {!signingIn && (
          <nav aria-label="Main">
            <ul>
              {LINKS.map(([href, label]) => (
                <li key={href}>
                  <Link href={href} aria-current={isCurrent(path, href) ? "page" : undefined}>
                    {label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {me.data && (
          <div className="who">
            {!me.data.project_bound && <ProjectPicker current={me.data.project} />}
            <span>
              {me.data.name} · {me.data.role}
            </span>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main">{signingIn || me.data ? children : <Status query={me} />}</main>
    </>
  );
}

/** The project the console acts in (sent as Raikoo-Project), for a caller not bound to one. */
function ProjectPicker({ current }: { current: string }) {
  const client = useQueryClient();
  const projects = useQuery({
    queryKey: ["projects"],
    queryFn: () => unwrap(api.GET("/v1/projects", { params: { query: { limit: 500 } } })),
  });
  const items = projects.data?.items ?? [];
  if (items.length < 2) return null;
  const selected = project() ?? items.find((item) => item.id === current)?.slug ?? "";
  return (
    <label className="inline">
      Project
      <select
        value={selected}
        onChange={(event) => {
          setProject(event.target.value);
          void client.invalidateQueries();
        }}
      >
        {items.map((item) => (
          <option key={item.id} value={item.slug}>
            {item.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function Status({ query }: { query: { isPending: boolean; error: unknown } }) {
  if (query.isPending) return <p role="status">Loading…</p>;
  if (query.error instanceof ApiProblem && query.error.status === 401) return <p role="status">Signing in…</p>;
  return <ErrorNote error={query.error} />;
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error : null;
  return (
    <div role="alert" className="error">
      <strong>
        {problem ? `${problem.status} ${problem.title}` : error instanceof ApiUnreachable ? "Cannot reach the API" : "Error"}
      </strong>
      <p>{problem ? problem.detail : error instanceof Error ? error.message : String(error)}</p>
      {problem && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((item, index) => (
            <li key={index}>
              <code>{item.path}</code>: {item.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function isCurrent(path: string, href: string): boolean {
  if (href === "/") return path === "/" || path.startsWith("/designer");
  return path.startsWith(href);
}
