// How long the designer and the run page take to open a large workflow in Chromium:
// wall time from navigation until every node is drawn, and the main thread's scripting
// time in that span (CDP Performance.getMetrics ScriptDuration). Driven by
// bench/console_open.py, which starts raikoo up and makes the workflow and its run.
import { chromium } from "playwright-core";

const { RAIKOO_URL: base, RAIKOO_KEY: key, WORKFLOW: workflow, RUN_ID: runId, OPERATIONS, REPEAT } = process.env;
const operations = Number(OPERATIONS);
const repeat = Number(REPEAT ?? 3);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
context.setDefaultTimeout(120_000);
await context.addInitScript((value) => window.sessionStorage.setItem("raikoo.apiKey", value), key);
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send("Performance.enable");

async function scripting() {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return metrics.find((metric) => metric.name === "ScriptDuration").value;
}

async function measure(url, ready) {
  await page.goto(`${base}/`);
  await page.getByRole("heading", { name: "Workflows" }).waitFor();
  const before = await scripting();
  const started = Date.now();
  await page.goto(url);
  await page.waitForFunction(ready, operations, { polling: 50 });
  const wall = Date.now() - started;
  return { wall_ms: wall, scripting_ms: Math.round(((await scripting()) - before) * 1000) };
}

const results = {};
for (const [name, url, ready] of [
  ["designer", `${base}/designer/?name=${workflow}`, (n) => document.querySelectorAll(".react-flow__node").length === n],
  ["run page", `${base}/runs/view/?id=${runId}`, (n) => document.querySelectorAll('[data-state="succeeded"]').length === n],
]) {
  const samples = [];
  for (let i = 0; i < repeat; i += 1) samples.push(await measure(url, ready));
  results[name] = samples;
}
await browser.close();
console.log(JSON.stringify(results));
