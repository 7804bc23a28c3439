// How the console authenticates: an API key kept for this tab (sessionStorage), or the
// OIDC session cookie the gateway set at sign-in. Cookie-authenticated writes echo the
// raikoo_csrf cookie in X-CSRF-Token (services/gateway/.../auth/sessions.py).

const KEY_STORAGE = "raikoo.apiKey";
const PROJECT_STORAGE = "raikoo.project";
const CSRF_COOKIE = "raikoo_csrf";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function storage(): Storage | null {
  return typeof window === "undefined" ? null : window.sessionStorage;
}

export function apiKey(): string | null {
  return storage()?.getItem(KEY_STORAGE) ?? null;
}

export function setApiKey(key: string | null): void {
  if (key) storage()?.setItem(KEY_STORAGE, key.trim());
  else storage()?.removeItem(KEY_STORAGE);
}

export function project(): string | null {
  return storage()?.getItem(PROJECT_STORAGE) ?? null;
}

export function setProject(slug: string | null): void {
  if (slug) storage()?.setItem(PROJECT_STORAGE, slug);
  else storage()?.removeItem(PROJECT_STORAGE);
}

export function csrfToken(cookies: string): string | null {
  for (const part of cookies.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join("="));
  }
  return null;
}

/** The headers a request of ``method`` carries to the API. */
export function authHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  else if (!SAFE_METHODS.has(method.toUpperCase()) && typeof document !== "undefined") {
    const token = csrfToken(document.cookie);
    if (token) headers["X-CSRF-Token"] = token;
  }
  const slug = project();
  if (slug) headers["Raikoo-Project"] = slug;
  return headers;
}
