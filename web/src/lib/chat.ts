// Sending a chat message and following its answer as it is written: POST
// /v1/chats/{id}/messages answers with server-sent events — `message` (the message as
// stored), `delta` (answer text as it is written), then `answer` (the message with its
// answer, or its run's error). A POST cannot be resumed, so a dropped stream is not asked
// again: the thread is read back instead (GET /v1/chats/{id}/messages).
import { API_URL, ApiUnreachable, problemOf, type Schemas } from "./api";
import { authHeaders } from "./auth";
import { type SseEvent, SseParser } from "./sse";

export type ChatMessage = Schemas["ChatMessage"];

/** A message of the thread as the page shows it: stored, or being answered now. */
export interface ShownMessage {
  message: ChatMessage;
  /** The answer's text written so far, while it streams. */
  partial: string;
  live: boolean;
}

/** The thread after one event of the answer's stream. */
export function applyChatEvent(thread: ShownMessage[], event: SseEvent): ShownMessage[] {
  if (event.event === "message" || event.event === "answer") {
    const message = JSON.parse(event.data) as ChatMessage;
    const live = event.event === "message";
    const at = thread.findIndex((shown) => shown.message.id === message.id);
    if (at < 0) return [...thread, { message, partial: "", live }];
    return thread.map((shown, index) => (index === at ? { message, partial: live ? shown.partial : "", live } : shown));
  }
  if (event.event === "delta") {
    const { text } = JSON.parse(event.data) as { op_key?: string; text?: string };
    let at = thread.length - 1;
    while (at >= 0 && !thread[at]?.live) at -= 1;
    if (at < 0 || !text) return thread;
    return thread.map((shown, index) => (index === at ? { ...shown, partial: shown.partial + text } : shown));
  }
  return thread;
}

/** The thread as stored, merged under what the page streamed (a stored answer wins). */
export function shownThread(stored: ChatMessage[], streamed: ShownMessage[]): ShownMessage[] {
  const byId = new Map(streamed.map((shown) => [shown.message.id, shown]));
  const thread = stored.map((message) => {
    const shown = byId.get(message.id);
    byId.delete(message.id);
    const settled = message.answer != null || message.error != null;
    if (shown && shown.live && !settled) return shown;
    return { message, partial: "", live: false };
  });
  return [...thread, ...byId.values()];
}

export interface SendOptions {
  chatId: string;
  content: string;
  onEvent: (event: SseEvent) => void;
  signal?: AbortSignal;
}

/** Send ``content`` and follow its answer to the end. A refusal (409 while the previous
 * message is being answered, 422 …) is thrown as its problem. */
export async function sendMessage({ chatId, content, onEvent, signal }: SendOptions): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${API_URL}/v1/chats/${encodeURIComponent(chatId)}/messages`, {
      method: "POST",
      headers: { Accept: "text/event-stream", "Content-Type": "application/json", ...authHeaders("POST") },
      body: JSON.stringify({ content }),
      credentials: API_URL ? "omit" : "same-origin",
      cache: "no-store",
      signal,
    });
  } catch (failure) {
    throw failure instanceof TypeError ? new ApiUnreachable(failure) : failure;
  }
  if (!response.ok || !response.body) throw await problemOf(response);
  const parser = new SseParser();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    for (const event of parser.push(value)) {
      onEvent(event);
      if (event.event === "answer") {
        await reader.cancel().catch(() => undefined);
        return;
      }
    }
  }
}
