import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { ApiProblem } from "@/lib/api";
import { absoluteUrl, changedFields, fieldProblems, parseList, parseObject, signedCurl } from "@/lib/triggers";

describe("fieldProblems", () => {
  const problem = new ApiProblem(422, "Invalid request", "3 problem(s) in the request", [
    { path: "body.cron", message: "a cron expression has 5 fields, this one has 2" },
    { path: "body.timezone", message: "'Mars/Olympus' is not an IANA time zone name" },
    { path: "body.inputs.region", message: "not a string" },
    { path: "body.cronicle", message: "another field" },
  ]);

  it("gives the messages about one field of the body, and those of its parts", () => {
    expect(fieldProblems(problem, "cron")).toEqual(["a cron expression has 5 fields, this one has 2"]);
    expect(fieldProblems(problem, "inputs")).toEqual(["not a string"]);
    expect(fieldProblems(problem, "version")).toEqual([]);
  });

  it("knows paths without body. and ignores anything that is not a problem", () => {
    expect(fieldProblems(new ApiProblem(422, "x", "", [{ path: "enabled", message: "may not be null" }]), "enabled")).toEqual(["may not be null"]);
    expect(fieldProblems(new Error("cron"), "cron")).toEqual([]);
    expect(fieldProblems(null, "cron")).toEqual([]);
  });
});

describe("parseObject", () => {
  it("reads JSON or YAML objects, and empty text as the given empty value", () => {
    expect(parseObject('{"region": "eu"}', "Inputs", {})).toEqual({ region: "eu" });
    expect(parseObject("repo: '{{ body.repo }}'", "The mapping", null)).toEqual({ repo: "{{ body.repo }}" });
    expect(parseObject("  ", "The mapping", null)).toBeNull();
  });

  it("names what is wrong: not parseable, or not an object", () => {
    expect(() => parseObject("{", "Inputs", {})).toThrow(/^Inputs is not valid JSON or YAML: /);
    expect(() => parseObject("[1, 2]", "Inputs", {})).toThrow("Inputs must be an object");
    expect(() => parseObject("42", "The mapping", null)).toThrow("The mapping must be an object");
  });
});

describe("lists, changes and URLs", () => {
  it("splits names on blanks and commas", () => {
    expect(parseList(" run.failed, run.succeeded\noperation.*  ")).toEqual(["run.failed", "run.succeeded", "operation.*"]);
    expect(parseList("")).toEqual([]);
  });

  it("keeps only the fields that changed, comparing values as JSON", () => {
    const original = { cron: "0 6 * * *", inputs: { a: 1 }, enabled: true, version: null };
    expect(changedFields(original, { ...original, inputs: { a: 1 } })).toEqual({});
    expect(changedFields(original, { ...original, cron: "0 7 * * *", inputs: { a: 2 } })).toEqual({ cron: "0 7 * * *", inputs: { a: 2 } });
  });

  it("makes a hook's URL absolute against the API's base", () => {
    expect(absoluteUrl("http://127.0.0.1:8000", "/v1/hooks/abc")).toBe("http://127.0.0.1:8000/v1/hooks/abc");
    expect(absoluteUrl("https://api.example.com/raikoo/", "v1/hooks/abc")).toBe("https://api.example.com/raikoo/v1/hooks/abc");
  });
});

describe("signedCurl", () => {
  it("prints a shell command whose signature verifies as Standard Webhooks wants", () => {
    const key = Buffer.from("a secret of thirty-two bytes!!!!");
    const secret = `whsec_${key.toString("base64")}`;
    const body = `{"name": "O'Brien"}`;
    // curl replaced by a function that prints what it would send
    const script = `curl() { for a in "$@"; do printf '%s\\n' "$a"; done; }\n${signedCurl("http://x/v1/hooks/1", secret, body)}`;
    const args = execFileSync("bash", ["-c", script], { encoding: "utf8" }).split("\n");
    const header = (name: string) => args.find((arg) => arg.startsWith(`${name}: `))?.slice(name.length + 2) ?? "";
    const id = header("webhook-id");
    const timestamp = header("webhook-timestamp");
    expect(id).toMatch(/^msg_\d+$/);
    expect(args).toContain(body);
    expect(args).toContain("http://x/v1/hooks/1");
    const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
    expect(header("webhook-signature")).toBe(`v1,${expected}`);
  });
});
