// The run widget's side of the API: a client that authenticates with the embed token only
// (never the console's key or session), and how the widget's frame gets that token.
import createClient from "openapi-fetch";

import type { paths } from "@/api/schema";

import { API_URL } from "./api";

const TOKEN = /^(rke_[a-z0-9]{10})_.+$/;

export interface EmbedCredentials {
  token: string;
  prefix: string;
}

/**
 * The token from the frame's URL: `/embed/run/?prefix=rke_…#token=rke_…_…`. The secret is
 * in the fragment, which browsers never send (no server or proxy log holds it); the visible
 * prefix in the query tells the gateway which origins may frame the page. A token whose
 * prefix is not the query's is refused: the page must not run under another token's
 * frame-ancestors.
 */
export function credentialsFrom(hash: string, search: string): EmbedCredentials | string {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token") ?? "";
  const prefix = new URLSearchParams(search).get("prefix") ?? "";
  const match = TOKEN.exec(token);
  if (!match) return "this widget has no embed token: its address must end in #token=rke_…";
  if (match[1] !== prefix) return "the embed token does not match the widget's prefix";
  return { token, prefix };
}

/** A typed client of the API that sends the embed token and nothing else. */
export function embedClient(token: string) {
  const client = createClient<paths>({ baseUrl: API_URL, credentials: "omit" });
  client.use({
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  });
  return client;
}

/** A chat workflow (docs/ai.md, "Chat"): it takes `message` (and may take `history`) and
 * gives `answer`. The widget then shows a conversation rather than a form. */
export function isChatWorkflow(workflow: { inputs: Record<string, { type?: string | null }>; outputs: string[] }): boolean {
  const message = workflow.inputs.message;
  return message !== undefined && (message.type ?? "string") === "string" && workflow.outputs.includes("answer");
}

export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}

/** The inputs of the run that answers `message` after `turns`: the history only when the
 * workflow takes one. */
export function chatInputs(
  workflow: { inputs: Record<string, unknown> },
  turns: ChatTurn[],
  message: string,
): Record<string, unknown> {
  return "history" in workflow.inputs ? { message, history: turns } : { message };
}
