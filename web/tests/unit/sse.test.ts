import { describe, expect, it } from "vitest";

import { SseParser } from "@/lib/sse";

const STREAM =
  'id: 1\nevent: run.state_changed\ndata: {"state":"running"}\n\n' +
  ": ping\n\n" +
  'id: 2\r\nevent: operation.state_changed\r\ndata: {"op_key":"a",\r\ndata: "state":"succeeded"}\r\n\r\n' +
  "event: ai.delta\ndata: no id here\n\n";

describe("SseParser", () => {
  it("reads events, ids and multi-line data, skipping comments", () => {
    const parser = new SseParser();
    const events = parser.push(STREAM);
    expect(events).toEqual([
      { id: "1", event: "run.state_changed", data: '{"state":"running"}' },
      { id: "2", event: "operation.state_changed", data: '{"op_key":"a",\n"state":"succeeded"}' },
      { id: null, event: "ai.delta", data: "no id here" },
    ]);
    expect(parser.lastEventId).toBe("2");
  });

  it("gives the same events whatever the chunks the network cut the stream into", () => {
    const whole = new SseParser().push(STREAM);
    for (let size = 1; size < 12; size += 1) {
      const parser = new SseParser();
      const events = [];
      for (let at = 0; at < STREAM.length; at += size) events.push(...parser.push(STREAM.slice(at, at + size)));
      expect(events).toEqual(whole);
    }
  });

  it("resumes from the last complete event: a half-received one is not counted", () => {
    const parser = new SseParser();
    parser.push('id: 7\ndata: {"seq":7}\n\nid: 8\ndata: {"se');
    expect(parser.lastEventId).toBe("7");
  });
});
