// The run widget in real Chromium (tests/browser/test_embed_widget.py starts `raikoo up` and
// passes RAIKOO_URL, RAIKOO_KEY and CHROMIUM): a page of another origin embeds
// <raikoo-run>, runs its workflow through it and sees the outputs; the token cannot start
// another workflow; a page of an origin the token does not list cannot frame the widget.
// Exits non-zero, naming the step, when anything goes wrong.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";

import { chromium } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const base = process.env.RAIKOO_URL;
const key = process.env.RAIKOO_KEY;
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TIMEOUT = Number(process.env.STEP_TIMEOUT_MS ?? 30000);
if (!base || !key) throw new Error("RAIKOO_URL and RAIKOO_KEY must be set");

const suffix = Date.now().toString(36);
const A = `embed-a-${suffix}`;
const B = `embed-b-${suffix}`;
let step = "start";

async function api(method, path, body, token = key) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
async function ok(method, path, body) {
  const answer = await api(method, path, body);
  if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A third-party page on its own origin (a loopback address of its own) embedding the widget. */
function shop(host, page) {
  const html = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script src="${base}/embed.js" defer></script></head>
<body><main><h1>Shop on ${host}</h1>
<raikoo-run workflow="${A}" token="${page.token}" gateway="${base}" title="Run ${A}"></raikoo-run>
</main></body></html>`;
  const server = createServer((request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(html());
  });
  return new Promise((resolve) => server.listen(0, host, () => resolve({ server, url: `http://${host}:${server.address().port}` })));
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
const servers = [];
const logged = [];
try {
  step = "store two workflows";
  await ok("POST", "/v1/workflows", {
    name: A,
    inputs: { who: { type: "string", description: "Whom to greet" } },
    operations: { hello: { uses: "set", with: { text: "Hello, {{ inputs.who }}!" } } },
    outputs: { text: "{{ ops.hello.output.text }}" },
  });
  await ok("POST", "/v1/workflows", { name: B, operations: { b: { uses: "noop" } } });

  step = "serve the embedding pages";
  const embedded = { token: "" };
  const page1 = await shop("127.0.0.2", embedded);
  const foreign = await shop("127.0.0.3", embedded);
  servers.push(page1.server, foreign.server);
  step = "make an embed token for the allowed page's origin";
  const made = await ok("POST", "/v1/embed-tokens", { name: "shop", workflow: A, origins: [page1.url] });
  embedded.token = made.token;

  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("console", (message) => logged.push(message.text()));

  step = "the page of the allowed origin shows the widget's form";
  await page.goto(page1.url);
  const widget = page.frameLocator("raikoo-run iframe");
  await widget.getByRole("heading", { name: A }).waitFor();
  const frame = page.frames().find((f) => f.url().includes("/embed/run/"));
  if (!frame) throw new Error("no widget frame");
  if (frame.url().includes("#token=")) throw new Error(`the token stayed in the frame's address: ${frame.url()}`);

  step = "the widget's frame has no serious accessibility violations";
  const axe = await frame.evaluate(`${axeSource}\n;axe.run(document, { resultTypes: ["violations"] })`);
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length) throw new Error(serious.map((v) => `${v.id}: ${v.help}`).join("\n"));

  step = "run the workflow through the widget and see its outputs";
  await widget.getByLabel(/^who/).fill("Ada");
  await widget.getByRole("button", { name: "Start run" }).click();
  await widget.getByTestId("outputs").filter({ hasText: "Hello, Ada!" }).waitFor();
  await widget.locator("li", { hasText: "hello" }).locator(".state-succeeded").waitFor();

  step = "the token cannot start workflow B, from the page or elsewhere";
  const fromPage = await page.evaluate(
    async ({ base, token, B }) => {
      const tried = {};
      try {
        const r = await fetch(`${base}/v1/runs`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          body: JSON.stringify({ workflow: B }),
        });
        tried.runs = r.status;
      } catch (error) {
        tried.runs = `refused: ${error}`;
      }
      const r = await fetch(`${base}/v1/embed/runs`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ inputs: { who: "B?" } }),
      });
      tried.embedded = { status: r.status, workflow: (await r.json()).workflow?.name };
      return tried;
    },
    { base, token: made.token, B },
  );
  if (!String(fromPage.runs).startsWith("refused")) throw new Error(`POST /v1/runs from the page: ${fromPage.runs}`);
  if (fromPage.embedded.status !== 201 || fromPage.embedded.workflow !== A) {
    throw new Error(`the widget's run is not of ${A}: ${JSON.stringify(fromPage.embedded)}`);
  }
  const direct = await api("POST", "/v1/runs", { workflow: B }, made.token);
  if (direct.status !== 403) throw new Error(`POST /v1/runs with the token: ${direct.status}`);
  const runsOfB = await ok("GET", `/v1/runs?workflow=${B}`);
  if (runsOfB.items.length !== 0) throw new Error(`workflow B has runs: ${JSON.stringify(runsOfB.items)}`);

  step = "a chat workflow embedded is a conversation, each answer knowing the turns before";
  const C = `embed-chat-${suffix}`;
  await ok("POST", "/v1/workflows", {
    name: C,
    inputs: { message: { type: "string" }, history: { type: "array", default: [] } },
    operations: {
      reply: { uses: "set", with: { text: "You said {{ inputs.message }} after {{ inputs.history | length }} turns" } },
    },
    outputs: { answer: "{{ ops.reply.output.text }}" },
  });
  const chatEmbedded = { token: "" };
  const chatShop = await shop("127.0.0.2", chatEmbedded);
  servers.push(chatShop.server);
  chatEmbedded.token = (await ok("POST", "/v1/embed-tokens", { name: "chat", workflow: C, origins: [chatShop.url] })).token;
  const chatPage = await context.newPage();
  await chatPage.goto(chatShop.url);
  const chat = chatPage.frameLocator("raikoo-run iframe");
  await chat.getByRole("heading", { name: C }).waitFor();
  await chat.getByLabel("Message", { exact: true }).fill("hello");
  await chat.getByRole("button", { name: "Send" }).click();
  await chat.getByTestId("conversation").filter({ hasText: "You said hello after 0 turns" }).waitFor();
  await chat.getByLabel("Message", { exact: true }).fill("again");
  await chat.getByRole("button", { name: "Send" }).click();
  await chat.getByTestId("conversation").filter({ hasText: "You said again after 2 turns" }).waitFor();
  const chatFrame = chatPage.frames().find((f) => f.url().includes("/embed/run/"));
  if (!chatFrame) throw new Error("no chat widget frame");
  const chatAxe = await chatFrame.evaluate(`${axeSource}\n;axe.run(document, { resultTypes: ["violations"] })`);
  const chatSerious = chatAxe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (chatSerious.length) throw new Error(chatSerious.map((v) => `${v.id}: ${v.help}`).join("\n"));

  step = "a page of an origin the token does not list cannot frame the widget";
  const other = await context.newPage();
  const blocked = [];
  other.on("console", (message) => {
    if (/frame-ancestors/.test(message.text())) blocked.push(message.text());
  });
  await other.goto(foreign.url);
  await other.locator("raikoo-run iframe").waitFor({ state: "attached" });
  for (let waited = 0; blocked.length === 0 && waited < TIMEOUT; waited += 200) await other.waitForTimeout(200);
  if (blocked.length === 0) throw new Error("the widget was framed by a page of an origin the token does not list");
  const foreignFrame = other.frames().find((f) => f.url().includes("/embed/run/"));
  if (foreignFrame && (await foreignFrame.locator("h1").count()) > 0) throw new Error("the foreign page shows the widget");

  if (errors.length) throw new Error(errors.join("\n"));
  console.log("every step passed");
} catch (error) {
  console.error(`step failed: ${step}\n${error instanceof Error ? error.stack : error}\n${logged.join("\n")}`);
  process.exitCode = 1;
} finally {
  for (const server of servers) server.close();
  await browser.close();
}
