// The run page following a run that streams many events: starts the run, opens its page at
// once, and reports how many events the run made, how fast, and whether the page saw them
// all (its last event id against the stream's). Driven by bench/console_events.py.
import { chromium } from "playwright-core";

const { RAIKOO_URL: base, RAIKOO_KEY: key, WORKFLOW: workflow } = process.env;
const headers = { Authorization: `Bearer ${key}`, "Content-Type": "application/json" };
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
context.setDefaultTimeout(300_000);
await context.addInitScript((value) => window.sessionStorage.setItem("raikoo.apiKey", value), key);
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send("Performance.enable");
await page.goto(`${base}/runs/`);
await page.getByRole("heading", { name: "Runs" }).waitFor();

const run = await (await fetch(`${base}/v1/runs`, { method: "POST", headers, body: JSON.stringify({ workflow }) })).json();
const opened = Date.now();
await page.goto(`${base}/runs/view/?id=${run.id}`);
await page.getByRole("status").filter({ hasText: "stream ended" }).waitFor();
const caughtUp = Date.now() - opened;
const seen = Number(await page.locator("[data-last-event]").getAttribute("data-last-event"));
const { metrics } = await cdp.send("Performance.getMetrics");
const scripting = metrics.find((metric) => metric.name === "ScriptDuration").value;

const finished = await (await fetch(`${base}/v1/runs/${run.id}`, { headers })).json();
const stream = await (await fetch(`${base}/v1/runs/${run.id}/events`, { headers })).text();
const ids = [...stream.matchAll(/^id: (\d+)/gm)].map((match) => Number(match[1]));
const seconds = (new Date(finished.finished_at) - new Date(finished.started_at)) / 1000;
await browser.close();
console.log(
  JSON.stringify({
    state: finished.state,
    events: ids.length,
    last_id: ids.at(-1),
    run_seconds: seconds,
    events_per_second: Math.round(ids.length / seconds),
    page_last_id: seen,
    page_caught_up_ms: caughtUp,
    page_scripting_ms: Math.round(scripting * 1000),
  }),
);
