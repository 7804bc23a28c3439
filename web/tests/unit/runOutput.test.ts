import { describe, expect, it } from "vitest";

import {
  aiOutput,
  applyDelta,
  artifactFileName,
  artifactUrl,
  describeUsage,
  findArtifacts,
  hasUsage,
  type LiveText,
  shownOutput,
} from "@/lib/runOutput";

const KEY = "0b7c6f57-3f5e-4a83-9a55-5f1c8f7e2d10/5d0f5b8e-8c61-4d3e-b1b4-0f2f4c9a7e31/fetch.1/out put.json";
const REF = { uri: `artifact://${KEY}`, key: KEY, size: 70_012, content_type: "application/json", sha256: "ab".repeat(32), name: "out put.json" };

describe("artifact references", () => {
  it("are found wherever they are in an output, with where", () => {
    const output = { status: 200, body: { $artifact: REF }, parts: [1, { $artifact: { ...REF, name: undefined } }] };
    const found = findArtifacts(JSON.parse(JSON.stringify(output)));
    expect(found.map((item) => item.path)).toEqual(["output.body", "output.parts[1]"]);
    expect(found[0]?.ref.name).toBe("out put.json");
    expect(findArtifacts({ $artifact: REF })).toEqual([{ path: "output", ref: REF }]);
  });

  it("are only objects whose single key is $artifact, with a consistent reference", () => {
    expect(findArtifacts({ $artifact: REF, other: 1 })).toEqual([]);
    expect(findArtifacts({ $artifact: { ...REF, uri: "artifact://elsewhere" } })).toEqual([]);
    expect(findArtifacts({ $artifact: { ...REF, size: "big" } })).toEqual([]);
    expect(findArtifacts({ $artifact: "x" })).toEqual([]);
    expect(findArtifacts(null)).toEqual([]);
  });

  it("are downloaded from the run's artifacts route, each segment encoded", () => {
    expect(artifactUrl("r-1", REF)).toBe(
      "/v1/runs/r-1/artifacts/0b7c6f57-3f5e-4a83-9a55-5f1c8f7e2d10/5d0f5b8e-8c61-4d3e-b1b4-0f2f4c9a7e31/fetch.1/out%20put.json",
    );
    expect(artifactFileName(REF)).toBe("out put.json");
    expect(artifactFileName({ ...REF, name: undefined })).toBe("out put.json");
  });
});

describe("AI outputs", () => {
  const output = {
    text: "It rains.",
    model: "gpt-4o-mini",
    finish_reason: "stop",
    request: { model: "gpt-4o-mini", messages: [] },
    tool_calls: [
      { step: 1, id: "c1", name: "weather", arguments: { city: "Oslo" }, ok: true, result_chars: 12, duration_ms: 40 },
      { step: 1, id: "c2", name: "broken" },
    ],
    steps: 2,
  };

  it("give their answer, model and well-formed tool calls", () => {
    const ai = aiOutput(output);
    expect(ai?.text).toBe("It rains.");
    expect(ai?.toolCalls.map((call) => call.name)).toEqual(["weather"]);
    expect(ai?.finishReason).toBe("stop");
    expect(ai?.steps).toBe(2);
  });

  it("are told apart from other outputs", () => {
    expect(aiOutput({ text: "a set's output", model: "m" })).toBeNull();
    expect(aiOutput("text")).toBeNull();
    expect(aiOutput({ $artifact: REF })).toBeNull();
  });
});

describe("usage", () => {
  it("reads as raikoo run --watch prints it", () => {
    expect(
      describeUsage({ calls: 4, prompt_tokens: 2210, completion_tokens: 318, cached_tokens: 1024, total_tokens: 2528, cost: 0.004526 }),
    ).toBe("4 calls, 2,528 tokens (2,210 prompt of which 1,024 cached, 318 completion), $0.0045");
    expect(describeUsage({ calls: 1, prompt_tokens: 11, completion_tokens: 7, reasoning_tokens: 3, total_tokens: 18, cost: null })).toBe(
      "1 call, 18 tokens (11 prompt, 7 completion of which 3 reasoning), cost unknown (no price)",
    );
  });

  it("is shown only when something was spent", () => {
    expect(hasUsage(null)).toBe(false);
    expect(hasUsage({ calls: 0, total_tokens: 0 })).toBe(false);
    expect(hasUsage({ calls: 1 })).toBe(true);
  });
});

describe("large outputs", () => {
  it("are cut short and kept whole for a download", () => {
    const small = shownOutput({ a: 1 }, 100);
    expect(small).toEqual({ text: '{\n  "a": 1\n}', whole: null });
    const big = shownOutput({ text: "x".repeat(500) }, 100);
    expect(big.text.length).toBe(102);
    expect(JSON.parse(big.whole ?? "")).toEqual({ text: "x".repeat(500) });
  });
});

describe("the answer as it is written", () => {
  const delta = (index: number, text: string, attempt = 1) => ({ op_run_id: "op1", op_key: "ask", attempt, index, text });
  const fold = (...deltas: ReturnType<typeof delta>[]) =>
    deltas.reduce<ReadonlyMap<string, LiveText>>((live, item) => applyDelta(live, item), new Map());

  it("adds deltas in order", () => {
    expect(fold(delta(0, "It "), delta(1, "rains"), delta(2, ".")).get("op1")).toEqual({ opKey: "ask", attempt: 1, text: "It rains.", next: 3, gap: false });
  });

  it("ignores a repeat and marks a gap", () => {
    expect(fold(delta(0, "It "), delta(0, "It ")).get("op1")?.text).toBe("It ");
    expect(fold(delta(0, "It "), delta(2, "."))?.get("op1")).toMatchObject({ text: "It .", gap: true });
    expect(fold(delta(3, "late")).get("op1")).toMatchObject({ text: "late", gap: true });
  });

  it("starts over for a later attempt and ignores an earlier one", () => {
    const live = fold(delta(0, "first try"), delta(0, "again", 2), delta(1, "stale"));
    expect(live.get("op1")).toEqual({ opKey: "ask", attempt: 2, text: "again", next: 1, gap: false });
  });

  it("returns the same map when a delta changes nothing or is malformed", () => {
    const live = fold(delta(0, "x"));
    expect(applyDelta(live, delta(0, "x"))).toBe(live);
    expect(applyDelta(live, { op_run_id: "op1", text: "no index" })).toBe(live);
  });
});
