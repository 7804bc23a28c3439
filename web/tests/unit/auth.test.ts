import { describe, expect, it } from "vitest";

import { csrfToken } from "@/lib/auth";
import { applyEvent, statesFromRuns } from "@/lib/runState";

describe("cookie sign-in", () => {
  it("reads the CSRF token the gateway set beside the session cookie", () => {
    expect(csrfToken("theme=dark; raikoo_csrf=abc%3D%3D; other=1")).toBe("abc==");
    expect(csrfToken("raikoo_csrf=x=y")).toBe("x=y");
    expect(csrfToken("raikoo_session=s")).toBeNull();
  });
});

describe("live run state", () => {
  it("starts from the listed operation runs, loop items aside, and moves on with events", () => {
    const states = statesFromRuns([
      { key: "fetch", state: "succeeded" },
      { key: "each", state: "running" },
      { key: "each", state: "succeeded", item_index: 0 },
    ]);
    expect(Object.fromEntries(states)).toEqual({ fetch: "succeeded", each: "running" });
    expect(applyEvent(states, { op_key: "each", state: "succeeded", item_index: 3 })).toBe(false);
    expect(applyEvent(states, { op_key: "each", state: "running" })).toBe(false);
    expect(applyEvent(states, { op_key: "each", state: "succeeded" })).toBe(true);
    expect(applyEvent(states, { op_key: "next", state: "ready" })).toBe(true);
    expect(Object.fromEntries(states)).toEqual({ fetch: "succeeded", each: "succeeded", next: "ready" });
  });
});
