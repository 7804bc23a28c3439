// The schedules, inbound hooks and outbound webhooks pages in real Chromium against a running
// Raikoo (tests/browser/test_console_triggers.py starts it and a sink on loopback, and passes
// RAIKOO_URL, RAIKOO_KEY, CHROMIUM, SINK_URL and SINK_RECEIVED, where the sink lists the
// webhook-ids it got). Prints the subscription's secret for the test to verify the
// deliveries with. Exits non-zero, naming the step, when anything the user would see goes wrong.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { chromium } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const base = process.env.RAIKOO_URL;
const key = process.env.RAIKOO_KEY;
const sinkUrl = process.env.SINK_URL;
const sinkReceived = process.env.SINK_RECEIVED;
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TIMEOUT = Number(process.env.STEP_TIMEOUT_MS ?? 30000);
if (!base || !key || !sinkUrl || !sinkReceived) throw new Error("RAIKOO_URL, RAIKOO_KEY, SINK_URL and SINK_RECEIVED must be set");

const name = `trig-${Date.now().toString(36)}`;
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
async function until(check, what) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
/** A Standard Webhooks call: HMAC-SHA256 over id.timestamp.body, keyed by the base64 after whsec_. */
async function signedPost(url, secret, payload) {
  const body = JSON.stringify(payload);
  const id = `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const signature = createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64")).update(`${id}.${timestamp}.${body}`).digest("base64");
  return fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${signature}` },
  });
}
const field = (form, label) => form.getByLabel(label, { exact: true });
const navigate = async (label, path) => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true }).click();
  await page.waitForURL((url) => url.pathname === path);
};

try {
  step = "sign in with the API key";
  await page.goto(`${base}/signin/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  await api("PUT", `/v1/workflows/${name}`, {
    inputs: { who: { type: "string" } },
    operations: { greet: { uses: "set", with: { greeting: "Hello {{ inputs.who }}" } } },
  });

  step = "a bad cron expression and time zone are refused, each problem shown on its field";
  await navigate("Schedules", "/schedules/");
  const form = page.getByRole("form", { name: "New schedule" });
  await field(form, "Workflow").selectOption(name);
  await field(form, "Cron expression").fill("0 6 *");
  await field(form, "Time zone").fill("Mars/Olympus");
  await form.getByRole("button", { name: "Create schedule" }).click();
  await form.getByRole("alert").filter({ hasText: "422 Invalid request" }).waitFor();
  const cron = field(form, "Cron expression");
  if ((await cron.getAttribute("aria-invalid")) !== "true") throw new Error("the cron field is not marked invalid");
  const cronProblem = await page.locator(`[id="${(await cron.getAttribute("aria-describedby")).split(" ").pop()}"]`).innerText();
  if (!/5 fields/.test(cronProblem)) throw new Error(`the cron field says ${JSON.stringify(cronProblem)}`);
  if ((await field(form, "Time zone").getAttribute("aria-invalid")) !== "true") throw new Error("the time zone field is not marked invalid");
  await form.getByText("'Mars/Olympus' is not an IANA time zone name", { exact: false }).first().waitFor();
  await accessibility("the schedules page with problems on its fields");

  step = "create a schedule with inputs from the workflow's input form";
  await cron.fill("0 6 * * 1-5");
  await field(form, "Time zone").fill("Europe/Paris");
  await form.getByLabel("A form of the workflow's inputs").check();
  await field(form, "who (string)").fill("Ada");
  await form.getByRole("button", { name: "Create schedule" }).click();
  await page.getByRole("status").filter({ hasText: `Created the schedule of ${name}` }).waitFor();
  const row = page.locator("tr[data-schedule]").filter({ hasText: name });
  await row.filter({ hasText: "active" }).waitFor();
  const [schedule] = (await api("GET", `/v1/schedules?workflow=${name}`)).items;
  if (JSON.stringify(schedule.inputs) !== '{"who":"Ada"}' || schedule.timezone !== "Europe/Paris" || !schedule.next_fire_at)
    throw new Error(`the schedule stored is ${JSON.stringify(schedule)}`);

  step = "pause and resume the schedule";
  const label = `${name} 0 6 * * 1-5`;
  await page.getByRole("button", { name: `Pause schedule ${label}` }).click();
  await row.getByRole("cell", { name: "paused", exact: true }).first().waitFor();
  if ((await api("GET", `/v1/schedules/${schedule.id}`)).enabled) throw new Error("the paused schedule is enabled");
  await page.getByRole("button", { name: `Resume schedule ${label}` }).click();
  await row.getByRole("cell", { name: "active", exact: true }).waitFor();
  if (!(await api("GET", `/v1/schedules/${schedule.id}`)).next_fire_at) throw new Error("the resumed schedule has no next tick");

  step = "edit the schedule's cron expression";
  await page.getByRole("button", { name: `Edit schedule ${label}` }).click();
  const edit = page.getByRole("form", { name: "Edit schedule" });
  await field(edit, "Cron expression").fill("30 7 * * *");
  await edit.getByRole("button", { name: "Save schedule" }).click();
  await page.locator("tr[data-schedule]").filter({ hasText: "30 7 * * *" }).waitFor();
  await page.getByRole("status").filter({ hasText: `Saved the schedule of ${name}` }).waitFor();
  const edited = await api("GET", `/v1/schedules/${schedule.id}`);
  if (edited.cron !== "30 7 * * *" || edited.inputs.who !== "Ada") throw new Error(`the edited schedule is ${JSON.stringify(edited)}`);
  await accessibility("the schedules page");

  step = "create a hook and see its secret, URL and signing hint once";
  await navigate("Hooks", "/hooks/");
  const hookForm = page.getByRole("form", { name: "New hook" });
  await field(hookForm, "Name").fill(`${name}-hook`);
  await field(hookForm, "Workflow").selectOption(name);
  await field(hookForm, "Mapping (optional)").fill('{"who": "{{ body.user.name }}"}');
  await hookForm.getByRole("button", { name: "Create hook" }).click();
  const secret = (await page.getByLabel("Hook secret").innerText()).trim();
  if (!/^whsec_[A-Za-z0-9+/=]+$/.test(secret)) throw new Error(`the hook's secret shown is ${secret}`);
  const hookUrl = (await page.getByLabel("Hook URL").innerText()).trim();
  if (!hookUrl.startsWith(`${base}/v1/hooks/`)) throw new Error(`the hook's URL shown is ${hookUrl}`);
  const hint = await page.getByLabel("Signed call").innerText();
  if (!hint.includes(secret) || !hint.includes(hookUrl)) throw new Error(`the signing hint is ${hint}`);
  await accessibility("the hooks page with a secret shown");
  await page.reload();
  await page.locator("tr[data-hook]").filter({ hasText: `${name}-hook` }).waitFor();
  if (await page.getByLabel("Hook secret").count()) throw new Error("the secret is shown again after a reload");

  step = "a correctly signed call to the hook starts a run, seen in the runs list";
  const called = await signedPost(hookUrl, secret, { user: { name: "Grace" } });
  if (called.status !== 202) throw new Error(`the hook answered ${called.status} ${await called.text()}`);
  const { run_id: runId } = await called.json();
  await navigate("Runs", "/runs/");
  await page.getByLabel("Workflow").fill(name);
  await page.getByRole("button", { name: "Filter" }).click();
  const runRow = page.getByRole("row").filter({ has: page.getByRole("link", { name: runId.slice(0, 8) }) });
  await runRow.filter({ hasText: "webhook" }).waitFor();
  const run = await until(async () => {
    const found = await api("GET", `/v1/runs/${runId}`);
    return found.state === "succeeded" && found;
  }, "the hook's run to succeed");
  if (run.inputs?.who !== "Grace") throw new Error(`the hook's run got ${JSON.stringify(run.inputs)}`);

  step = "rotate the hook's secret: a new one once, the old one's expiry shown";
  await navigate("Hooks", "/hooks/");
  await page.getByRole("button", { name: `Rotate secret of hook ${name}-hook` }).click();
  const rotated = page.getByLabel("Hook secret");
  await rotated.filter({ hasNotText: secret }).waitFor();
  await page.getByText(/The replaced secret is still accepted until /).waitFor();
  await page.locator("tr[data-hook]").filter({ hasText: "accepted until" }).waitFor();

  step = "disable the hook: a signed call is refused; enable it again";
  await page.getByRole("button", { name: `Disable hook ${name}-hook` }).click();
  await page.locator("tr[data-hook]").filter({ hasText: "disabled" }).waitFor();
  const refused = await signedPost(hookUrl, (await rotated.innerText()).trim(), { user: { name: "Nobody" } });
  if (refused.status !== 404) throw new Error(`a disabled hook answered ${refused.status}`);
  await page.getByRole("button", { name: `Enable hook ${name}-hook` }).click();
  await page.locator("tr[data-hook]").filter({ hasText: "enabled" }).waitFor();

  step = "a subscription to a refused address shows the SSRF guard's 422 on the URL field";
  await navigate("Webhooks", "/webhooks/");
  const subForm = page.getByRole("form", { name: "New subscription" });
  await field(subForm, "Name").fill(`${name}-out`);
  await field(subForm, "Target URL").fill("http://169.254.169.254/latest/meta-data");
  await subForm.getByRole("button", { name: "Create subscription" }).click();
  await subForm.getByRole("alert").filter({ hasText: "422 URL refused" }).waitFor();
  if ((await field(subForm, "Target URL").getAttribute("aria-invalid")) !== "true") throw new Error("the URL field is not marked invalid");

  step = "create a subscription to the sink and see its secret once";
  await field(subForm, "Target URL").fill(sinkUrl);
  await field(subForm, "Event types").fill("run.succeeded");
  await field(subForm, "Workflows").selectOption([name]);
  await subForm.getByRole("button", { name: "Create subscription" }).click();
  const subSecret = (await page.getByLabel("Subscription secret").innerText()).trim();
  if (!subSecret.startsWith("whsec_")) throw new Error(`the subscription's secret shown is ${subSecret}`);
  console.log(`subscription secret: ${subSecret}`);
  await page.locator("tr[data-subscription]").filter({ hasText: "run.succeeded" }).waitFor();

  step = "run the workflow and see its delivery in the log";
  const delivered = await api("POST", "/v1/runs", { workflow: name, inputs: { who: "Lin" } });
  await page.getByRole("button", { name: `Deliveries of ${name}-out` }).click();
  const log = page.getByRole("table", { name: `Delivery log of ${name}-out` });
  const deliveryRow = log.locator('tr[data-state="succeeded"]').filter({ hasText: delivered.id.slice(0, 8) });
  await deliveryRow.filter({ hasText: "200" }).waitFor();
  await deliveryRow.filter({ hasText: /\d+ ms/ }).waitFor();
  await accessibility("the webhooks page with a delivery log");

  step = "redeliver it: the sink gets the same webhook-id again";
  const [delivery] = (await api("GET", `/v1/webhooks/${(await api("GET", "/v1/webhooks")).items.find((s) => s.name === `${name}-out`).id}/deliveries`)).items.filter(
    (item) => item.run_id === delivered.id,
  );
  const count = async () => (await (await fetch(sinkReceived)).json()).filter((id) => id === delivery.webhook_id).length;
  await until(async () => (await count()) >= 1, "the first delivery at the sink");
  await deliveryRow.getByRole("button", { name: /^Redeliver run\.succeeded/ }).click();
  await page.getByRole("status").filter({ hasText: "queued to be sent again" }).waitFor();
  await until(async () => (await count()) >= 2, "the redelivery at the sink");

  step = "a viewer sees the pages with every change disabled, saying who may";
  const viewer = await api("POST", "/v1/keys", { name: `${name}-viewer`, role: "viewer" });
  await page.evaluate((viewerKey) => sessionStorage.setItem("raikoo.apiKey", viewerKey), viewer.key);
  await page.reload();
  await page.getByText("Only an editor of the project can create or change subscriptions.").waitFor();
  for (const button of ["Create subscription", `Rotate secret of subscription ${name}-out`, `Delete subscription ${name}-out`]) {
    if (!(await page.getByRole("button", { name: button }).isDisabled())) throw new Error(`a viewer can press ${button}`);
  }
  await navigate("Schedules", "/schedules/");
  await page.getByText("Only an editor of the project can create or change schedules.").waitFor();
  if (!(await page.getByRole("button", { name: "Create schedule" }).isDisabled())) throw new Error("a viewer can create a schedule");
  if (!(await page.getByRole("button", { name: `Pause schedule ${name} 30 7 * * *` }).isDisabled())) throw new Error("a viewer can pause a schedule");
  await page.evaluate((adminKey) => sessionStorage.setItem("raikoo.apiKey", adminKey), key);
  await page.reload();

  step = "delete the hook and the schedule";
  await navigate("Hooks", "/hooks/");
  await page.getByRole("button", { name: `Delete hook ${name}-hook` }).click();
  await page.getByText("No hooks yet.").waitFor();
  await navigate("Schedules", "/schedules/");
  await page.getByRole("button", { name: `Delete schedule ${name} 30 7 * * *` }).click();
  await page.getByText("No schedules.").waitFor();

  if (violations.length) throw new Error(`the browser reported:\n${violations.join("\n")}`);
  console.log("every step passed");
} catch (error) {
  console.error(`step failed: ${step}\n${error?.stack ?? error}`);
  await page.screenshot({ path: process.env.SCREENSHOT ?? "failure.png", fullPage: true }).catch(() => undefined);
  process.exitCode = 1;
} finally {
  await browser.close();
}
