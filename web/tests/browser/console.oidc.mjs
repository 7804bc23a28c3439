// Signing in to the console with OIDC: the local provider signs the invited person in at
// once; the console then works on the session cookie, its writes carrying the CSRF token.
// Started by tests/browser/test_console_oidc.py.
import { chromium } from "playwright-core";

const base = process.env.RAIKOO_URL;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
context.setDefaultTimeout(Number(process.env.STEP_TIMEOUT_MS ?? 30000));
const page = await context.newPage();
let step = "start";
try {
  step = "sign in through the OIDC provider";
  await page.goto(`${base}/designer/`);
  await page.waitForURL(/\/signin\//);
  await page.getByRole("link", { name: "Sign in with your organization (OIDC)" }).click();
  await page.waitForURL(/\/designer\/$/);
  await page.getByText("Ada Lovelace · editor").waitFor();
  const cookies = await context.cookies();
  if (!cookies.some((cookie) => cookie.name === "raikoo_session" && cookie.httpOnly)) throw new Error("no HttpOnly session cookie");
  const stored = await page.evaluate(() => window.sessionStorage.getItem("raikoo.apiKey"));
  if (stored !== null) throw new Error("an API key was kept though the person signed in with OIDC");

  step = "save a workflow on the session (a write with the CSRF token)";
  await page.getByRole("textbox", { name: "Name" }).fill("signed-in");
  await page.getByRole("button", { name: "Add noop" }).click();
  await page.locator('.react-flow__node[data-id="noop_1"]').waitFor();
  await page.locator(".validation-valid").waitFor();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("saved as version 1").waitFor();

  step = "sign out";
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/signin\//);
  const me = await page.evaluate(async () => (await fetch("/v1/me")).status);
  if (me !== 401) throw new Error(`after signing out /v1/me answers ${me}`);
  console.log("console oidc: every step passed");
} catch (error) {
  console.error(`console oidc failed at step "${step}": ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
