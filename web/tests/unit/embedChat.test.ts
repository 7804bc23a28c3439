import { describe, expect, it } from "vitest";

import { chatInputs, isChatWorkflow } from "@/lib/embed";

describe("a chat workflow in the widget", () => {
  it("is one that takes a message and gives an answer", () => {
    expect(isChatWorkflow({ inputs: { message: { type: "string" } }, outputs: ["answer"] })).toBe(true);
    expect(isChatWorkflow({ inputs: { message: { type: "string" }, history: { type: "array" } }, outputs: ["answer", "x"] })).toBe(true);
    expect(isChatWorkflow({ inputs: { message: { type: "integer" } }, outputs: ["answer"] })).toBe(false);
    expect(isChatWorkflow({ inputs: { who: { type: "string" } }, outputs: ["answer"] })).toBe(false);
    expect(isChatWorkflow({ inputs: { message: { type: "string" } }, outputs: ["text"] })).toBe(false);
  });

  it("sends the turns so far as history only when the workflow takes one", () => {
    const turns = [
      { role: "user" as const, content: "hi" },
      { role: "assistant" as const, content: "hello" },
    ];
    expect(chatInputs({ inputs: { message: {}, history: {} } }, turns, "again")).toEqual({ message: "again", history: turns });
    expect(chatInputs({ inputs: { message: {} } }, turns, "again")).toEqual({ message: "again" });
  });
});
