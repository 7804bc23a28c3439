"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, Suspense, useState } from "react";

import { ErrorNote } from "@/components/Shell";
import { api, API_URL, unwrap } from "@/lib/api";
import { setApiKey } from "@/lib/auth";

export default function SignInPage() {
  return (
    <Suspense>
      <SignIn />
    </Suspense>
  );
}

function SignIn() {
  const router = useRouter();
  const params = useSearchParams();
  const client = useQueryClient();
  const next = safeNext(params.get("next"));
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const config = useQuery({ queryKey: ["auth-config"], queryFn: () => unwrap(api.GET("/v1/auth/config")) });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setApiKey(key);
    try {
      await unwrap(api.GET("/v1/me"));
      await client.invalidateQueries();
      router.replace(next);
    } catch (problem) {
      setApiKey(null);
      setError(problem);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <form onSubmit={submit} className="stack">
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          required
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-describedby="api-key-help"
        />
        <p id="api-key-help" className="hint">
          <code>raikoo up</code> prints the local admin key when it makes it and keeps it in{" "}
          <code>~/.raikoo/local-admin.key</code>. The key stays in this tab only.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {config.data?.oidc && config.data.login_url && (
        <p>
          <a className="button" href={`${API_URL}${config.data.login_url}?next=${encodeURIComponent(next)}`}>
            Sign in with your organization (OIDC)
          </a>
        </p>
      )}
      <ErrorNote error={error} />
    </section>
  );
}

function safeNext(value: string | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/signin") ? value : "/";
}
