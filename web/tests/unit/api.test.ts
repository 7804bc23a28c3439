import { describe, expect, it } from "vitest";

import { ApiProblem, ApiUnreachable, unwrap } from "@/lib/api";

describe("unwrap", () => {
  it("turns fetch's network failure into a message saying the API gave no answer", async () => {
    const failed = Promise.reject(new TypeError("Failed to fetch"));
    const error = await unwrap(failed).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiUnreachable);
    expect((error as Error).message).toMatch(/^No answer from the Raikoo API at .+: it is down or unreachable/);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it("throws a problem document as an ApiProblem, and passes other failures through", async () => {
    const body = { title: "Not Found", detail: "no workflow 'x'", errors: [] };
    const response = new Response(JSON.stringify(body), { status: 404 });
    const problem = await unwrap(Promise.resolve({ error: body, response })).catch((caught: unknown) => caught);
    expect(problem).toBeInstanceOf(ApiProblem);
    expect((problem as ApiProblem).detail).toBe("no workflow 'x'");
    const other = new RangeError("a bug");
    await expect(unwrap(Promise.reject(other))).rejects.toBe(other);
  });
});
