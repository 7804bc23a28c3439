import { describe, expect, it } from "vitest";

import { applyChatEvent, type ChatMessage, type ShownMessage, shownThread } from "@/lib/chat";
import type { SseEvent } from "@/lib/sse";

const message = (id: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  content: `question ${id}`,
  created_at: "2026-12-07T10:00:00Z",
  run_id: `run-${id}`,
  seq: 1,
  state: "queued",
  ...extra,
});
const event = (name: string, data: unknown): SseEvent => ({ id: null, event: name, data: JSON.stringify(data) });

describe("applyChatEvent", () => {
  it("adds the message, appends deltas, then settles on the answer", () => {
    let thread: ShownMessage[] = [{ message: message("old", { answer: "earlier" }), partial: "", live: false }];
    thread = applyChatEvent(thread, event("message", message("m")));
    thread = applyChatEvent(thread, event("delta", { op_key: "answer", text: "Rain " }));
    thread = applyChatEvent(thread, event("delta", { op_key: "answer", text: "likely" }));
    expect(thread).toHaveLength(2);
    expect(thread[1]).toMatchObject({ partial: "Rain likely", live: true });
    expect(thread[0]?.message.answer).toBe("earlier");
    thread = applyChatEvent(thread, event("answer", message("m", { state: "succeeded", answer: "Rain likely." })));
    expect(thread[1]).toEqual({ message: message("m", { state: "succeeded", answer: "Rain likely." }), partial: "", live: false });
  });

  it("ignores deltas with no message being answered and unknown events", () => {
    const thread: ShownMessage[] = [{ message: message("a"), partial: "", live: false }];
    expect(applyChatEvent(thread, event("delta", { text: "x" }))).toBe(thread);
    expect(applyChatEvent(thread, event("ping", {}))).toBe(thread);
  });
});

describe("shownThread", () => {
  it("keeps the live text of a message the store has not answered yet", () => {
    const live: ShownMessage = { message: message("b"), partial: "half", live: true };
    expect(shownThread([message("a", { answer: "x" }), message("b")], [live])).toEqual([
      { message: message("a", { answer: "x" }), partial: "", live: false },
      live,
    ]);
  });

  it("prefers a stored answer and keeps streamed messages the store does not list yet", () => {
    const streamed: ShownMessage[] = [
      { message: message("a"), partial: "half", live: true },
      { message: message("c"), partial: "", live: true },
    ];
    const shown = shownThread([message("a", { answer: "whole", state: "succeeded" })], streamed);
    expect(shown.map((item) => [item.message.id, item.message.answer ?? item.partial, item.live])).toEqual([
      ["a", "whole", false],
      ["c", "", true],
    ]);
  });
});
