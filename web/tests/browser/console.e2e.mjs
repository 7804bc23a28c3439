// The console driven in real Chromium against a running Raikoo (tests/browser/test_console.py
// starts `raikoo up` and passes RAIKOO_URL, RAIKOO_KEY and CHROMIUM). Exits non-zero, naming
// the step, when anything the user would see goes wrong.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { chromium } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const base = process.env.RAIKOO_URL;
const key = process.env.RAIKOO_KEY;
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TIMEOUT = Number(process.env.STEP_TIMEOUT_MS ?? 30000);
if (!base || !key) throw new Error("RAIKOO_URL and RAIKOO_KEY must be set");

const name = `browser-${Date.now().toString(36)}`;
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
context.setDefaultTimeout(TIMEOUT);
const page = await context.newPage();
const violations = [];
page.on("console", (message) => {
  if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
});
page.on("pageerror", (error) => violations.push(`page error: ${error.message}`));

let step = "start";
async function api(method, path, body, type = "application/json") {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": type },
    body: body === undefined ? undefined : type === "application/json" ? JSON.stringify(body) : body,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}
/** The run's events as the stream gives them, up to the run's `waiting` state. */
async function eventsUntilWaiting(runId) {
  const controller = new AbortController();
  const response = await fetch(`${base}/v1/runs/${runId}/events`, {
    headers: { Authorization: `Bearer ${key}` },
    signal: controller.signal,
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the events of ${runId} ended before it waited:\n${text}`);
    text += value.replaceAll("\r\n", "\n");
    const waiting = text.search(/event: run\.state_changed\ndata: [^\n]*"state":"waiting"[^\n]*\n\n/);
    if (waiting >= 0) {
      controller.abort();
      return text.slice(0, text.indexOf("\n\n", waiting) + 2);
    }
  }
}

/** axe-core's serious and critical violations on the page as it is now. */
async function accessibility(where) {
  const result = await page.evaluate(`${axeSource}\n;axe.run(document, { resultTypes: ["violations"] })`);
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length) {
    const lines = serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
    throw new Error(`accessibility of ${where}:\n${lines.join("\n")}`);
  }
}
const node = (op) => page.locator(`.react-flow__node[data-id="${op}"]`);

async function connect(source, target) {
  const edge = page.locator(`.react-flow__edge[data-id="needs:${source}->${target}"]`);
  for (let attempt = 1; ; attempt += 1) {
    const from = await node(source).locator(".react-flow__handle.source").boundingBox();
    const to = await node(target).locator(".react-flow__handle.target").boundingBox();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 10 });
    await page.mouse.up();
    try {
      await edge.waitFor({ state: "attached", timeout: 3000 });
      return;
    } catch (error) {
      // a drag that missed the handle (the canvas still settling) connects nothing
      if (attempt === 3) throw error;
    }
  }
}

try {
  step = "sign in with the API key";
  await page.goto(`${base}/designer/`);
  await page.waitForURL(/\/signin\//);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/designer\/$/);

  step = "build three operations by drag and drop";
  await page.getByRole("textbox", { name: "Name" }).fill(name);
  const canvas = page.locator(".canvas");
  const box = await canvas.boundingBox();
  for (const [index, y] of [[1, 80], [2, 260], [3, 440]]) {
    await page.locator('.palette-item[data-kind="set"]').dragTo(canvas, { targetPosition: { x: box.width / 2, y } });
    await node(`set_${index}`).waitFor();
  }
  await connect("set_1", "set_2");
  await connect("set_2", "set_3");

  step = "see a validation problem pinned on its node";
  await node("set_2").click();
  const config = page.getByLabel("Config (YAML)");
  await config.fill('greeting: "{{ ops.nowhere.output }}"');
  await page.locator('[data-op="set_2"].op-node.has-problems').waitFor();
  await page.getByRole("alert", { name: "Problems of set_2" }).waitFor();

  step = "fix it and see the definition valid";
  await config.fill('greeting: "Hello, {{ ops.set_1.output.who }}"');
  await page.locator('[data-op="set_2"].op-node:not(.has-problems)').waitFor();
  await page.locator(".validation-valid").waitFor();

  step = "the YAML tab round-trips the graph";
  await page.getByRole("tab", { name: "YAML" }).click();
  const yaml = await page.getByLabel("Definition (YAML)").inputValue();
  for (const fragment of ["  set_1:\n    uses: set\n", "needs:", "- set_1", "layout:", "Hello, {{ ops.set_1.output.who }}"]) {
    if (!yaml.includes(fragment)) throw new Error(`YAML tab lacks ${JSON.stringify(fragment)}:\n${yaml}`);
  }
  const edited = yaml
    .replace(`name: ${name}\n`, `name: ${name}\ninputs:\n  who:\n    type: string\n`)
    .replace("  set_1:\n    uses: set\n", '  set_1:\n    uses: set\n    with:\n      who: "{{ inputs.who }}"\n');
  await page.getByLabel("Definition (YAML)").fill(edited);
  await page.getByRole("tab", { name: "Graph" }).click();
  await node("set_3").waitFor();
  await page.locator(".validation-valid").waitFor();

  step = "the designer has no serious accessibility violations";
  await node("set_2").click();
  await accessibility("the designer");

  step = "save a version";
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("saved as version 1").waitFor();
  const stored = await api("GET", `/v1/workflows/${name}`);
  if (stored.definition.operations.set_3.needs[0] !== "set_2") throw new Error("set_3 does not need set_2");
  if (!stored.definition.metadata?.layout?.set_1) throw new Error("positions were not kept in metadata.layout");

  step = "save a second version and see what changed in the history";
  await node("set_3").click();
  await page.getByLabel("Config (YAML)").fill("done: true");
  await page.locator(".validation-valid").waitFor();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("saved as version 2").waitFor();
  await page.getByRole("button", { name: "History" }).click();
  const sideBySide = page.getByRole("table", { name: "Changes from v1 to v2" });
  await sideBySide.locator('td[data-side="after"][data-change="added"]', { hasText: "done: true" }).first().waitFor();
  await page.getByLabel("Unified diff").check();
  await page.getByLabel("Changes from v1 to v2").filter({ hasText: "+      done: true" }).waitFor();
  await page.getByRole("region", { name: "Version history" }).getByText("changed: set_3").waitFor();
  await page.getByRole("button", { name: "History" }).click();

  step = "run it with inputs and watch every node turn green";
  await page.getByRole("button", { name: "Run…" }).click();
  await page.getByLabel(/^who/).fill("Ada");
  await page.getByRole("button", { name: "Start run" }).click();
  await page.waitForURL(/\/runs\/view\/\?id=/);
  for (const op of ["set_1", "set_2", "set_3"]) await page.locator(`[data-op="${op}"][data-state="succeeded"]`).waitFor();

  step = "open an operation's output";
  await node("set_2").click();
  await page.getByLabel("Output of set_2").filter({ hasText: "Hello, Ada" }).waitFor();

  step = "approve a waiting run, after reloading the page mid-run";
  const approval = `${name}-approval`;
  await api("PUT", `/v1/workflows/${approval}`, {
    operations: {
      first: { uses: "set", with: { v: 1 } },
      review: { uses: "wait.approval", needs: ["first"], with: { message: "Ship it?" } },
      signoff: { uses: "wait.approval", needs: ["review"] },
      last: { uses: "set", needs: ["signoff"] },
    },
  });
  const run = await api("POST", "/v1/runs", { workflow: approval });
  await page.goto(`${base}/runs/view/?id=${run.id}`);
  await page.locator('[data-op="review"][data-state="waiting"]').waitFor();
  await page.reload();
  await page.locator('[data-op="first"][data-state="succeeded"]').waitFor();
  await page.locator('[data-op="review"][data-state="waiting"]').waitFor();
  await page.getByText("Ship it?").waitFor();

  step = "the run page has no serious accessibility violations";
  await accessibility("the run page");

  await page.getByLabel("Comment").fill("looks right");
  await page.getByRole("button", { name: "Approve review" }).click();
  await page.locator('[data-op="review"][data-state="succeeded"]').waitFor();
  await page.locator('[data-op="signoff"][data-state="waiting"]').waitFor();

  step = "approve the second decision";
  await page.getByRole("button", { name: "Approve signoff" }).click();
  await page.locator('[data-op="last"][data-state="succeeded"]').waitFor();

  step = "a dropped connection shows reconnecting, then resumes from Last-Event-ID";
  const dropped = await api("POST", "/v1/runs", { workflow: approval });
  const head = await eventsUntilWaiting(dropped.id);
  const servedUpTo = [...head.matchAll(/^id: (\d+)/gm)].at(-1)?.[1];
  let resumedFrom = null;
  let release;
  const held = new Promise((resolve) => (release = resolve));
  let calls = 0;
  await page.route(`**/v1/runs/${dropped.id}/events`, async (route) => {
    calls += 1;
    if (calls === 1) {
      // the stream so far, then the connection ends as a dropped one would
      await route.fulfill({ status: 200, headers: { "content-type": "text/event-stream" }, body: head });
      return;
    }
    resumedFrom = route.request().headers()["last-event-id"] ?? null;
    await held;
    await route.continue();
  });
  await page.goto(`${base}/runs/view/?id=${dropped.id}`);
  await page.locator('[data-op="review"][data-state="waiting"]').waitFor();
  await page.getByRole("status").filter({ hasText: "reconnecting…" }).waitFor();
  await api("POST", `/v1/runs/${dropped.id}/approvals/review`, { decision: "approve" });
  release();
  await page.getByRole("status").filter({ hasText: "live" }).waitFor();
  await page.locator('[data-op="signoff"][data-state="waiting"]').waitFor();
  if (resumedFrom !== servedUpTo) throw new Error(`resumed with Last-Event-ID ${resumedFrom}, not ${servedUpTo}`);
  await page.unroute(`**/v1/runs/${dropped.id}/events`);

  step = "a loop's items as a group with counts";
  const looped = `${name}-loop`;
  await api("PUT", `/v1/workflows/${looped}`, {
    operations: { each: { uses: "foreach", with: { items: [1, 2, 3] }, do: { uses: "set", with: { v: "{{ item }}" } } } },
  });
  const loopRun = await api("POST", "/v1/runs", { workflow: looped });
  await page.goto(`${base}/runs/view/?id=${loopRun.id}`);
  await page.locator('[data-op="each"][data-state="succeeded"]').waitFor();
  await node("each").click();
  await page.locator(".loop-items summary").filter({ hasText: "3 body runs: 3 succeeded" }).waitFor();

  step = "cancel a run from its page";
  const cancelled = await api("POST", "/v1/runs", { workflow: approval });
  await page.goto(`${base}/runs/view/?id=${cancelled.id}`);
  await page.locator('[data-op="review"][data-state="waiting"]').waitFor();
  await page.getByRole("button", { name: "Cancel run" }).click();
  await page.locator(".badge.state-cancelled").first().waitFor();
  await page.getByRole("button", { name: "Cancel run" }).and(page.locator(":disabled")).waitFor();

  step = "set a secret (its value never shown) and delete it";
  const secret = `E2E_${Date.now().toString(36).toUpperCase()}`;
  await page.goto(`${base}/secrets/`);
  await page.getByLabel("Name").fill(secret);
  await page.getByLabel("Value (write-only)").fill("s3cr3t-value-never-shown");
  await page.getByRole("button", { name: "Save secret" }).click();
  await page.getByRole("cell", { name: secret, exact: true }).waitFor();
  if ((await page.content()).includes("s3cr3t-value-never-shown")) throw new Error("the secret's value is in the page");
  await page.getByRole("button", { name: `Delete secret ${secret}` }).click();
  await page.getByRole("cell", { name: secret, exact: true }).waitFor({ state: "detached" });

  step = "make an API key, shown once";
  await page.goto(`${base}/keys/`);
  await page.getByLabel("Name").fill("e2e viewer");
  await page.getByLabel("Role").selectOption("viewer");
  await page.getByRole("button", { name: "Create key" }).click();
  const made = (await page.getByLabel("New API key").textContent()).trim();
  const who = await fetch(`${base}/v1/me`, { headers: { Authorization: `Bearer ${made}` } });
  if ((await who.json()).role !== "viewer") throw new Error("the key made in the page is not a viewer key");

  step = "the runs list filters by workflow";
  await page.goto(`${base}/runs/?workflow=${approval}`);
  const rows = page.getByRole("cell", { name: `${approval} v1` });
  await rows.nth(1).waitFor();
  if ((await page.getByRole("cell", { name: `${name} v1` }).count()) !== 0) throw new Error("the filter let another workflow's run through");
  await page.getByLabel("State").selectOption("waiting");
  await page.waitForURL(/state=waiting/);
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll("tbody tr")];
    return rows.length === 1 && rows[0].textContent.includes("waiting");
  });

  step = "invite someone, then withdraw the invitation";
  const invitee = `${name}@example.com`;
  await page.goto(`${base}/members/`);
  await page.getByRole("cell", { name: "local admin", exact: true }).waitFor();
  await page.getByLabel("Email").fill(invitee);
  await page.getByRole("button", { name: "Invite" }).click();
  await page.getByLabel("Invitation token").waitFor();
  await page.getByRole("button", { name: `Withdraw the invitation of ${invitee}` }).click();
  await page.getByRole("button", { name: `Withdraw the invitation of ${invitee}` }).waitFor({ state: "detached" });

  step = "switch to another project and back";
  await api("POST", "/v1/projects", { slug: `p-${name}`, name: "Second project" });
  await page.goto(`${base}/`);
  await page.getByRole("link", { name, exact: true }).waitFor();
  await page.getByRole("combobox", { name: "Project" }).selectOption(`p-${name}`);
  await page.getByText("No workflows yet").waitFor();
  await page.getByRole("combobox", { name: "Project" }).selectOption("default");
  await page.getByRole("link", { name, exact: true }).waitFor();

  if (violations.length) throw new Error(`the browser reported:\n${violations.join("\n")}`);
  console.log("console e2e: every step passed");
} catch (error) {
  const shot = process.env.SCREENSHOT ?? "";
  if (shot) await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
  console.error(`console e2e failed at step "${step}": ${error instanceof Error ? error.message : error}`);
  if (violations.length) console.error(`browser errors:\n${violations.join("\n")}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
