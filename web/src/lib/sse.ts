// Server-sent events over fetch (EventSource cannot send an Authorization header), with
// resumption: after a dropped connection the stream is asked again with Last-Event-ID, so
// no event is lost or seen twice.

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/** An incremental parser of the text/event-stream format (WHATWG HTML §9.2.6). */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private id: string | null = null;
  /** The last id the stream set: where to resume. */
  lastEventId: string | null = null;

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      // A CR last in the chunk may be half of a CRLF the next chunk completes.
      if (end === this.buffer.length - 1 && this.buffer[end] === "\r") break;
      const newline = this.buffer.startsWith("\r\n", end) ? 2 : 1;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + newline);
      const dispatched = this.line(line);
      if (dispatched) events.push(dispatched);
    }
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === "") {
      if (this.id !== null) this.lastEventId = this.id;
      const event =
        this.data.length > 0
          ? { id: this.id, event: this.event || "message", data: this.data.join("\n") }
          : null;
      this.data = [];
      this.event = "";
      this.id = null;
      return event;
    }
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) this.id = value;
    return null;
  }
}

export type StreamState = "connecting" | "live" | "reconnecting" | "ended";

export interface StreamOptions {
  url: string;
  headers: () => Record<string, string>;
  credentials: RequestCredentials;
  onEvent: (event: SseEvent) => void;
  onState: (state: StreamState, detail?: string) => void;
  /** Whether the stream is over after this event (the server then closes it). */
  isFinal: (event: SseEvent) => boolean;
  signal: AbortSignal;
  retryDelays?: number[];
}

/** Follows the stream until ``isFinal`` or ``signal`` aborts, reconnecting after drops. */
export async function followEvents(options: StreamOptions): Promise<void> {
  const delays = options.retryDelays ?? [500, 1000, 2000, 5000];
  let lastEventId: string | null = null;
  let failures = 0;
  while (!options.signal.aborted) {
    options.onState(lastEventId === null && failures === 0 ? "connecting" : "reconnecting");
    const parser = new SseParser();
    try {
      const headers: Record<string, string> = { Accept: "text/event-stream", ...options.headers() };
      if (lastEventId !== null) headers["Last-Event-ID"] = lastEventId;
      const response = await fetch(options.url, {
        headers,
        credentials: options.credentials,
        signal: options.signal,
        cache: "no-store",
      });
      if (!response.ok || !response.body) {
        const text = await response.text().catch(() => "");
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          options.onState("ended", `${response.status}: ${text.slice(0, 300)}`);
          return;
        }
        throw new Error(`the stream answered ${response.status}`);
      }
      options.onState("live");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        failures = 0;
        for (const event of parser.push(value)) {
          if (parser.lastEventId !== null) lastEventId = parser.lastEventId;
          options.onEvent(event);
          if (options.isFinal(event)) {
            options.onState("ended");
            await reader.cancel().catch(() => undefined);
            return;
          }
        }
      }
    } catch (error) {
      if (options.signal.aborted) return;
      options.onState("reconnecting", error instanceof Error ? error.message : String(error));
    }
    const delay = delays[Math.min(failures, delays.length - 1)] ?? 1000;
    failures += 1;
    await sleep(delay, options.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
