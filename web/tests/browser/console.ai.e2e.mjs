// The AI pages in real Chromium against a running Raikoo whose only model provider is the
// connection made here, pointed at the fake OpenAI-compatible server
// (tests/browser/test_console_ai_pages.py starts both and passes RAIKOO_URL, RAIKOO_KEY,
// CHROMIUM, MODEL_URL, ANSWER — streamed slowly — and SECOND, the next answer).
// A provider connection, a tool and a persona made through the forms (with the API's 422
// shown for a bad one), then a chat with the persona: the first answer seen as it is
// written, a second one in the same thread, and axe-core on every page.
// Exits non-zero, naming the step, when anything the user would see goes wrong.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { chromium } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const base = process.env.RAIKOO_URL;
const key = process.env.RAIKOO_KEY;
const modelUrl = process.env.MODEL_URL;
const answer = process.env.ANSWER;
const second = process.env.SECOND;
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TIMEOUT = Number(process.env.STEP_TIMEOUT_MS ?? 30000);
if (!base || !key || !modelUrl || !answer || !second) throw new Error("RAIKOO_URL, RAIKOO_KEY, MODEL_URL, ANSWER and SECOND must be set");

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
const alert = (form, text) => page.getByRole("form", { name: form }).getByRole("alert").filter({ hasText: text });

try {
  step = "sign in with the API key";
  await page.goto(`${base}/signin/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));

  step = "a provider connection whose key is a value is refused with the API's problem";
  await api("PUT", "/v1/secrets/FAKE_MODEL_KEY?scope=organization", { value: "sk-fake-model-key" });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "AI providers" }).click();
  await page.getByRole("heading", { name: "AI providers", level: 1 }).waitFor();
  await page.getByText("No provider connections in this scope.").waitFor();
  await page.getByLabel("Name", { exact: true }).fill("fake");
  await page.getByLabel("Kind").selectOption("compatible");
  await page.getByLabel(/^Base URL/).fill(modelUrl);
  await page.getByLabel("API key (a secret reference)").fill("sk-fake-model-key");
  await page.getByLabel("Default model (optional)").fill("fake-model");
  await page.getByRole("button", { name: "Create provider" }).click();
  await alert("New provider connection", "422").filter({ hasText: "body.api_key" }).filter({ hasText: "secret reference" }).waitFor();
  await accessibility("the providers page with a problem shown");

  step = "the provider connection with a secret reference is created";
  await page.getByLabel("API key (a secret reference)").fill("{{ secrets.FAKE_MODEL_KEY }}");
  await page.getByRole("button", { name: "Create provider" }).click();
  await page.getByRole("status").filter({ hasText: "Saved provider fake as version 1" }).waitFor();
  const row = page.getByRole("table", { name: "Provider connections" }).getByRole("row").filter({ hasText: "fake-model" });
  await row.filter({ hasText: "{{ secrets.FAKE_MODEL_KEY }}" }).filter({ hasText: "compatible" }).waitFor();

  step = "editing the connection makes version 2, listed in its history";
  await page.getByRole("button", { name: "Edit provider fake" }).click();
  if ((await page.getByLabel("Base URL").inputValue()) !== modelUrl) throw new Error("the edit form does not hold the stored base URL");
  await page.getByLabel("Description (optional)").fill("The test's model");
  await page.getByRole("button", { name: "Save new version" }).click();
  await page.getByRole("status").filter({ hasText: "Saved provider fake as version 2" }).waitFor();
  await page.getByRole("button", { name: "Edit provider fake" }).click();
  if ((await page.getByLabel("Description (optional)").inputValue()) !== "The test's model") throw new Error("the edit form lost the description");
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: "Versions of provider fake" }).click();
  const versions = page.getByRole("region", { name: "Versions of provider fake" });
  await versions.getByRole("row").filter({ hasText: "v2" }).filter({ hasText: "The test's model" }).waitFor();
  await versions.getByRole("row").filter({ hasText: "v1" }).waitFor();
  await versions.getByRole("button", { name: "Show version 1 of fake" }).click();
  await versions.getByLabel("Version 1 of fake").filter({ hasText: '"default_model": "fake-model"' }).waitFor();
  await accessibility("the providers page");

  step = "a tool is created through the form; JSON that is not JSON is named before it is sent";
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tools" }).click();
  await page.getByRole("heading", { name: "Tools", level: 1 }).waitFor();
  await page.getByLabel("Name (what the model calls)").fill("weather");
  await page.getByLabel("Description (told to the model)").fill("The weather of a city");
  await page.getByLabel(/^URL/).fill("https://weather.example/{{ args.city }}");
  await page.getByLabel(/^Parameters/).fill('{"type": "object", "properties": {"city": {"type": "string"}}');
  await page.getByRole("button", { name: "Create tool" }).click();
  await alert("New tool", "body.parameters: not valid JSON").waitFor();
  await page.getByLabel(/^Parameters/).fill('{"type": "object", "properties": {"city": {"type": "string"}}}');
  await page.getByRole("button", { name: "Create tool" }).click();
  await page.getByRole("status").filter({ hasText: "Saved tool weather as version 1" }).waitFor();
  await page.getByRole("table", { name: "Tools" }).getByRole("row").filter({ hasText: "GET https://weather.example/{{ args.city }}" }).waitFor();
  await accessibility("the tools page");

  step = "a persona with a temperature out of range is refused with the API's problem";
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Personas" }).click();
  await page.getByRole("heading", { name: "Personas", level: 1 }).waitFor();
  await page.getByLabel("Name", { exact: true }).fill("forecaster");
  await page.getByLabel("Instructions (the system prompt)").fill("You forecast the weather, briefly.");
  await page.getByLabel("Provider connection").selectOption("fake");
  await page.getByLabel("Temperature").fill("7");
  await page.getByRole("button", { name: "Create persona" }).click();
  await alert("New persona", "422").filter({ hasText: "body.temperature" }).waitFor();
  await accessibility("the personas page with a problem shown");

  step = "the persona is created and listed";
  await page.getByLabel("Temperature").fill("0.2");
  await page.getByRole("button", { name: "Create persona" }).click();
  await page.getByRole("status").filter({ hasText: "Saved persona forecaster as version 1" }).waitFor();
  await page.getByRole("table", { name: "Personas" }).getByRole("row").filter({ hasText: "fake · default" }).waitFor();
  await page.getByRole("button", { name: "Versions of persona forecaster" }).click();
  await page.getByRole("region", { name: "Versions of persona forecaster" }).getByRole("row").filter({ hasText: "v1" }).waitFor();
  await accessibility("the personas page");

  step = "a chat with the persona streams its answer as it is written";
  await page.getByRole("link", { name: "Chat with persona forecaster" }).click();
  await page.waitForURL((url) => url.pathname.startsWith("/chat"));
  if ((await page.getByLabel("Persona", { exact: true }).inputValue()) !== "forecaster") throw new Error("the persona is not preselected");
  await accessibility("the chat page");
  await page.getByLabel("Title (optional)").fill("Weather talk");
  await page.getByRole("button", { name: "Open chat" }).click();
  await page.waitForURL((url) => url.searchParams.has("id"));
  await page.getByRole("heading", { name: /Weather talk/ }).waitFor();
  await page.getByLabel("Message", { exact: true }).fill("Will it rain tomorrow morning?");
  await page.getByRole("button", { name: "Send" }).click();
  const first = page.getByLabel("Answer to message 1");
  const writing = page.locator('[aria-label="Answer to message 1"][data-live="true"]');
  await writing.filter({ hasText: /\w{3}/ }).waitFor();
  const partial = (await writing.innerText()).trim();
  if (!answer.startsWith(partial.replace(/…$/, "").trim().split(" ")[0])) throw new Error(`the live answer ${JSON.stringify(partial)} is not the answer's start`);
  if (partial.length >= answer.length) throw new Error("the answer was whole when first seen: nothing streamed");
  await page.locator('[aria-label="Answer to message 1"][data-live="false"]').filter({ hasText: answer }).waitFor();
  if ((await first.innerText()).trim() !== answer) throw new Error(`the stored answer is ${JSON.stringify(await first.innerText())}`);

  step = "a second message is answered in the same thread";
  await page.getByLabel("Message", { exact: true }).fill("And in the afternoon?");
  await page.getByLabel("Message", { exact: true }).press("Control+Enter");
  await page.locator('[aria-label="Answer to message 2"][data-live="false"]').filter({ hasText: second }).waitFor();
  await page.getByRole("navigation", { name: "Your chats" }).getByRole("listitem").filter({ hasText: "Weather talk" }).filter({ hasText: "2 messages" }).waitFor();
  await accessibility("the chat page with a thread");

  step = "the thread reads back after a reload, each answer linking its run";
  await page.reload();
  await page.locator('[aria-label="Answer to message 1"]').filter({ hasText: answer }).waitFor();
  await page.locator('[aria-label="Answer to message 2"]').filter({ hasText: second }).waitFor();
  const runLink = page.getByRole("link", { name: "Run of message 2" });
  const href = await runLink.getAttribute("href");
  if (!href?.startsWith("/runs/view/?id=")) throw new Error(`the run link is ${href}`);
  await runLink.click();
  await page.waitForURL((url) => url.pathname.startsWith("/runs/view"));
  await page.locator(".react-flow__node").first().waitFor();
  await page.goBack();

  step = "a message while the previous one is being answered is refused, shown as such";
  const chats = await api("GET", "/v1/chats");
  const chatId = chats.items.find((chat) => chat.title === "Weather talk")?.id;
  if (!chatId) throw new Error("the chat is not listed by the API");
  const pending = await api("POST", `/v1/chats/${chatId}/messages?stream=false`, { content: "A third question" });
  await page.getByLabel("Message", { exact: true }).fill("A fourth question, too soon");
  await page.getByRole("button", { name: "Send" }).click();
  await alert("Send a message", "409").waitFor();
  await page.getByText("Your message is kept above").waitFor();
  if ((await page.getByLabel("Message", { exact: true }).inputValue()) !== "A fourth question, too soon") throw new Error("the refused message was lost");
  await page.locator('[aria-label="Answer to message 3"]').filter({ hasText: "…" }).waitFor();
  if (!pending.run_id) throw new Error("the pending message has no run");

  step = "deleting the thread removes it from the list";
  await page.getByRole("button", { name: "Delete chat Weather talk" }).click();
  await page.getByRole("navigation", { name: "Your chats" }).getByText("No chats yet.").waitFor();

  if (violations.length) throw new Error(`the browser reported:\n${violations.join("\n")}`);
  console.log("every step passed");
} catch (error) {
  console.error(`step failed: ${step}\n${error?.stack ?? error}`);
  await page.screenshot({ path: process.env.SCREENSHOT ?? "failure.png", fullPage: true }).catch(() => undefined);
  process.exitCode = 1;
} finally {
  await browser.close();
}
