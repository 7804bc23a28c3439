// What the schedules, hooks and webhooks pages compute without the network: a problem's
// messages about one form field, the JSON and lists users type, a schedule's changed
// fields, and the copy-paste command that signs a call to a hook (docs/webhooks.md).
import { parse as parseYaml } from "yaml";

import { ApiProblem } from "./api";

/** The messages of ``error``'s problems whose path names ``field`` of the request body
 * (``body.cron``, ``body.inputs.region``, ``cron``). */
export function fieldProblems(error: unknown, field: string): string[] {
  if (!(error instanceof ApiProblem)) return [];
  return error.errors
    .filter((item) => {
      const path = item.path.startsWith("body.") ? item.path.slice("body.".length) : item.path;
      return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
    })
    .map((item) => item.message);
}

/** An object typed as JSON (or YAML), or an Error naming what is wrong; empty text: ``empty``. */
export function parseObject<T extends Record<string, unknown> | null>(
  text: string,
  what: string,
  empty: T,
): Record<string, unknown> | T {
  if (text.trim() === "") return empty;
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new Error(`${what} is not valid JSON or YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${what} must be an object ({"name": value, …})`);
  }
  return value as Record<string, unknown>;
}

/** Names typed one per line or separated by commas or blanks. */
export function parseList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** The fields of ``draft`` whose value differs from ``original`` (compared as JSON). */
export function changedFields<T extends Record<string, unknown>>(original: T, draft: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(draft) as (keyof T)[]) {
    if (JSON.stringify(draft[key]) !== JSON.stringify(original[key])) changes[key] = draft[key];
  }
  return changes;
}

/** A hook's URL as a sender calls it: the API answers it relative to its base URL. */
export function absoluteUrl(base: string, url: string): string {
  return new URL(url, base.endsWith("/") ? base : `${base}/`).toString();
}

/** A shell command that signs a JSON body with a hook's secret as Standard Webhooks
 * wants (HMAC-SHA256 over ``id.timestamp.body``, keyed by the base64 after ``whsec_``)
 * and POSTs it: openssl, base64, od and curl only. */
export function signedCurl(url: string, secret: string, body = '{"hello": "world"}'): string {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  return [
    `SECRET=${quote(secret)}`,
    `BODY=${quote(body)}`,
    `ID="msg_$(date +%s%N)"; TS="$(date +%s)"`,
    `KEY="$(printf %s "\${SECRET#whsec_}" | base64 -d | od -An -tx1 | tr -d ' \\n')"`,
    `SIG="$(printf %s "$ID.$TS.$BODY" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" -binary | base64)"`,
    `curl -sS -X POST ${quote(url)} -H 'content-type: application/json' \\`,
    `  -H "webhook-id: $ID" -H "webhook-timestamp: $TS" -H "webhook-signature: v1,$SIG" \\`,
    `  --data-binary "$BODY"`,
  ].join("\n");
}

/** A timestamp as the console shows it, or ``none``. */
export function when(value: string | null | undefined, none = "never"): string {
  return value ? new Date(value).toLocaleString() : none;
}
