// The console hosted apart from the gateway, in real Chromium (tests/browser/
// test_console_hosted.py builds it with NEXT_PUBLIC_RAIKOO_API_URL, serves it as static files
// on CONSOLE_URL — an origin the gateway allows — and on FOREIGN_CONSOLE_URL, one it does not,
// and passes RAIKOO_URL, RAIKOO_KEY and CHROMIUM): signing in with a key, the console's
// requests go to the gateway's origin and it lists and opens a run; from the foreign origin
// signing in fails with a message, not a blank page. Exits non-zero naming the step.
import { chromium } from "playwright-core";

const base = process.env.RAIKOO_URL;
const key = process.env.RAIKOO_KEY;
const consoleUrl = process.env.CONSOLE_URL;
const foreignUrl = process.env.FOREIGN_CONSOLE_URL;
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TIMEOUT = Number(process.env.STEP_TIMEOUT_MS ?? 30000);
if (!base || !key || !consoleUrl || !foreignUrl) {
  throw new Error("RAIKOO_URL, RAIKOO_KEY, CONSOLE_URL and FOREIGN_CONSOLE_URL must be set");
}

const name = `hosted-${Date.now().toString(36)}`;
let step = "start";

async function ok(method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function signIn(page, origin) {
  await page.goto(`${origin}/signin/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  step = "a workflow and a finished run to look at";
  await ok("POST", "/v1/workflows", {
    name,
    operations: { greet: { uses: "set", with: { text: "Hello from afar" } } },
    outputs: { text: "{{ ops.greet.output.text }}" },
  });
  const run = await ok("POST", "/v1/runs", { workflow: name });

  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  const apiCalls = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/v1/")) apiCalls.push(new URL(request.url()).origin);
  });

  step = "sign in with an API key on the hosted console";
  await signIn(page, consoleUrl);
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));

  step = "the runs page lists the run, through the gateway on its own origin";
  await page.goto(`${consoleUrl}/runs/`);
  await page.getByRole("cell", { name: `${name} v1` }).waitFor();
  const origins = new Set(apiCalls);
  if (origins.size !== 1 || !origins.has(new URL(base).origin)) {
    throw new Error(`the console called the API on ${[...origins].join(", ")}, not only ${base}`);
  }

  step = "open the run: its operation succeeded";
  await page.getByRole("link", { name: run.id.slice(0, 8) }).click();
  await page.locator(".state-succeeded").first().waitFor();
  if (errors.length) throw new Error(errors.join("\n"));

  step = "from an origin the gateway does not allow, signing in fails with a message";
  const foreign = await context.newPage();
  await signIn(foreign, foreignUrl);
  const alert = foreign.locator(".error[role=alert]");
  await alert.filter({ hasText: "Cannot reach the API" }).waitFor();
  const said = (await alert.innerText()).replace(/\s+/g, " ");
  if (!said.includes("RAIKOO_ALLOWED_ORIGINS") || !said.includes(new URL(foreignUrl).origin)) {
    throw new Error(`the message does not say what to do: ${said}`);
  }
  if (!foreign.url().includes("/signin")) throw new Error(`signed in from a foreign origin: ${foreign.url()}`);
  console.log(`foreign origin: ${said}`);

  console.log("every step passed");
} catch (error) {
  console.error(`step failed: ${step}\n${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
