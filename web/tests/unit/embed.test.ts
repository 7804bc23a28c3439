import { describe, expect, it } from "vitest";

import { credentialsFrom } from "@/lib/embed";

const TOKEN = "rke_abcdefgh12_s3cr3t-part";

describe("the widget's embed token", () => {
  it("comes from the fragment, and must match the prefix the page was served for", () => {
    expect(credentialsFrom(`#token=${TOKEN}`, "?prefix=rke_abcdefgh12")).toEqual({
      token: TOKEN,
      prefix: "rke_abcdefgh12",
    });
  });

  it("is refused, saying why, when missing, malformed or another token's", () => {
    expect(credentialsFrom("", "?prefix=rke_abcdefgh12")).toMatch(/no embed token/);
    expect(credentialsFrom("#token=rk_live_x", "?prefix=rke_abcdefgh12")).toMatch(/no embed token/);
    expect(credentialsFrom(`#token=${TOKEN}`, "?prefix=rke_zzzzzzzzzz")).toMatch(/does not match/);
    expect(credentialsFrom(`#token=${TOKEN}`, "")).toMatch(/does not match/);
  });
});
