// The run page's AI answers, usage and artifact downloads, the organization page and a loop
// drawn as a group, in real Chromium against a running Raikoo whose AI provider is the fake
// OpenAI-compatible server (tests/browser/test_console_runs.py starts both and passes
// RAIKOO_URL, RAIKOO_KEY, CHROMIUM and ANSWER, the text the fake model streams slowly).
// Exits non-zero, naming the step, when anything the user would see goes wrong.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { chromium } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const base = process.env.RAIKOO_URL;
const key = process.env.RAIKOO_KEY;
const answer = process.env.ANSWER;
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TIMEOUT = Number(process.env.STEP_TIMEOUT_MS ?? 30000);
if (!base || !key || !answer) throw new Error("RAIKOO_URL, RAIKOO_KEY and ANSWER must be set");

const name = `runs-${Date.now().toString(36)}`;
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
context.setDefaultTimeout(TIMEOUT);
const page = await context.newPage();
const violations = [];
page.on("console", (message) => {
  if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
});
page.on("pageerror", (error) => violations.push(`page error: ${error.message}`));

let step = "start";
async function api(method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}
async function accessibility(where) {
  const result = await page.evaluate(`${axeSource}\n;axe.run(document, { resultTypes: ["violations"] })`);
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length) {
    const lines = serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
    throw new Error(`accessibility of ${where}:\n${lines.join("\n")}`);
  }
}
const node = (id) => page.locator(`.react-flow__node[data-id="${id}"]`);

try {
  step = "sign in with the API key";
  await page.goto(`${base}/signin/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));

  step = "see an AI operation's answer as it is written";
  await api("PUT", `/v1/workflows/${name}-ai`, {
    operations: { ask: { uses: "ai.prompt", with: { prompt: "Tell me about the weather." } } },
  });
  const aiRun = await api("POST", "/v1/runs", { workflow: `${name}-ai` });
  await page.goto(`${base}/runs/view/?id=${aiRun.id}`);
  await node("ask").click();
  const writing = page.locator('[aria-label="Answer of ask"][data-live="true"]');
  await writing.filter({ hasText: /\w{3}/ }).waitFor();
  const partial = (await writing.innerText()).replace(/^…/, "");
  if (!answer.includes(partial.trim().split(" ")[0])) throw new Error(`the live answer ${JSON.stringify(partial)} is not part of the answer`);
  if (partial.length >= answer.length) throw new Error("the answer was whole when first seen: nothing streamed");

  step = "see the stored answer and the usage once the operation is done";
  await page.locator('[data-op="ask"][data-state="succeeded"]').waitFor();
  await page.locator('[aria-label="Answer of ask"][data-live="false"]').filter({ hasText: answer }).waitFor();
  await page.getByLabel("Usage of ask").filter({ hasText: "1 call, 18 tokens (11 prompt, 7 completion)" }).waitFor();
  await page.locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
  await page.getByLabel("Run usage").filter({ hasText: "18 tokens" }).waitFor();

  step = "the run page with an AI answer has no serious accessibility violations";
  await node("ask").click();
  await accessibility("the run page with an AI answer");

  step = "download an output stored as an artifact";
  await api("PUT", `/v1/workflows/${name}-big`, {
    inputs: { big: { type: "string" } },
    operations: { hold: { uses: "set", with: { v: "{{ inputs.big }}" } } },
  });
  const big = "0123456789".repeat(7000); // over the 64 KiB an output may be inline
  const bigRun = await api("POST", "/v1/runs", { workflow: `${name}-big`, inputs: { big } });
  await page.goto(`${base}/runs/view/?id=${bigRun.id}`);
  await page.locator('[data-op="hold"][data-state="succeeded"]').waitFor();
  await node("hold").click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: /^Download output-[0-9a-f]+\.json$/ }).click(),
  ]);
  const saved = JSON.parse(readFileSync(await download.path(), "utf8"));
  if (saved.v !== big) throw new Error(`the downloaded artifact is not the output: ${JSON.stringify(saved).slice(0, 200)}`);
  if (!/^output-[0-9a-f]+\.json$/.test(download.suggestedFilename())) throw new Error(`downloaded as ${download.suggestedFilename()}`);

  step = "rename the organization on its settings page";
  await page.getByRole("link", { name: "Organization" }).click();
  await page.waitForURL(/\/organization\/$/);
  const renamed = `Renamed ${name}`;
  await page.getByLabel("Name", { exact: true }).fill(renamed);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  const organization = await api("GET", "/v1/organization");
  if (organization.name !== renamed) throw new Error(`the organization is named ${organization.name}`);
  await accessibility("the organization page");

  step = "the organization page says what a viewer may not change";
  const viewer = await api("POST", "/v1/keys", { name: `${name}-viewer`, role: "viewer" });
  await page.evaluate((viewerKey) => sessionStorage.setItem("raikoo.apiKey", viewerKey), viewer.key);
  await page.reload();
  await page.getByText("Only an owner of the organization can rename it.").waitFor();
  if (!(await page.getByLabel("Name", { exact: true }).isDisabled())) throw new Error("a viewer can edit the name");
  if (!(await page.getByRole("button", { name: "Set budget" }).isDisabled())) throw new Error("a viewer can set a budget");
  await page.evaluate((adminKey) => sessionStorage.setItem("raikoo.apiKey", adminKey), key);

  step = "a foreach body is drawn as a group around its operations";
  await api("PUT", `/v1/workflows/${name}-loop`, {
    operations: {
      rows: { uses: "set", with: { items: [1, 2] } },
      enrich: {
        uses: "foreach",
        needs: ["rows"],
        with: { items: "{{ ops.rows.output.items }}" },
        do: {
          lookup: { uses: "set", with: { n: "{{ item }}" } },
          merge: { uses: "set", needs: ["lookup"], with: { m: "{{ ops.lookup.output.n }}" } },
        },
      },
    },
  });
  await page.goto(`${base}/designer/?name=${name}-loop`);
  const group = await node("enrich").boundingBox();
  for (const child of ["enrich/lookup", "enrich/merge"]) {
    const box = await node(child).boundingBox();
    const inside = box.x >= group.x && box.y >= group.y && box.x + box.width <= group.x + group.width && box.y + box.height <= group.y + group.height;
    if (!inside) throw new Error(`${child} ${JSON.stringify(box)} is not inside its loop ${JSON.stringify(group)}`);
  }
  await page.locator('.react-flow__edge[data-id="body:enrich:lookup->merge"]').waitFor({ state: "attached" });
  await page.locator(".validation-valid").waitFor();
  await accessibility("the designer with a loop group");

  step = "drawing the group changed nothing but positions: the body is saved as it was";
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("saved as version 2").waitFor(); // version 1 had no metadata.layout
  const diff = await api("GET", `/v1/workflows/${name}-loop/diff?from=1&to=2`);
  const touched = [...diff.added_operations, ...diff.removed_operations, ...diff.changed_operations];
  if (touched.length || diff.changed_fields.join() !== "metadata") throw new Error(`saving changed more than the layout: ${JSON.stringify(diff)}`);

  step = "edit the loop's body in its config and see the group drawn again";
  await node("enrich").click({ position: { x: 30, y: 14 } });
  await page.getByLabel("do (YAML)").fill("lookup:\n  uses: set\n  with: {n: '{{ item }}'}\ntag:\n  uses: noop\n  needs: [lookup]\n");
  await node("enrich/tag").waitFor();
  for (const edge of ["body:enrich:lookup->tag", "needs:rows->enrich"]) {
    await page.locator(`.react-flow__edge[data-id="${edge}"]`).waitFor({ state: "attached" });
  }
  if (await node("enrich/merge").count()) throw new Error("the body operation taken out is still drawn");
  await page.locator(".validation-valid").waitFor();

  step = "the run page draws the group too, and a body operation opens its loop";
  const loopRun = await api("POST", "/v1/runs", { workflow: `${name}-loop` });
  await page.goto(`${base}/runs/view/?id=${loopRun.id}`);
  await page.locator('[data-op="enrich"][data-state="succeeded"]').waitFor();
  await node("enrich/merge").click();
  await page.getByRole("heading", { name: "enrich", exact: true }).waitFor();
  await page.locator(".loop-items summary").filter({ hasText: "4 body runs" }).waitFor();

  if (violations.length) throw new Error(`the browser reported:\n${violations.join("\n")}`);
  console.log("every step passed");
} catch (error) {
  console.error(`step failed: ${step}\n${error?.stack ?? error}`);
  await page.screenshot({ path: process.env.SCREENSHOT ?? "failure.png", fullPage: true }).catch(() => undefined);
  process.exitCode = 1;
} finally {
  await browser.close();
}
