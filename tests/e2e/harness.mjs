// Shared set-up for the page's end-to-end tests: the web build, the static server, headless
// Chromium through playwright-core (the system browser; nothing is downloaded), the
// conformance corpus, and helpers that drive the page's test hooks.
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { ROOT, WEB_PKG } from "../../scripts/page-assets.mjs";
import { startServer } from "../../scripts/serve.mjs";

export const ARTIFACTS = join(ROOT, "artifacts", "e2e");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Builds the web package when it is missing (a fresh clone running only the e2e tests). */
export function ensureWebBuild() {
  if (existsSync(join(WEB_PKG, "imms_check_bg.wasm")) && existsSync(join(WEB_PKG, "imms_check.js"))) return;
  const result = spawnSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error("npm run build failed");
}

/**
 * Starts the server and a fresh headless Chromium profile. Returns
 * { origin, context, page, requests, errors, close }: `requests` lists every URL the page
 * asked for, `errors` every uncaught page error and console error.
 */
export async function openPage({ colorScheme = "light", viewport = { width: 1440, height: 900 } } = {}) {
  ensureWebBuild();
  const server = await startServer({ port: 0, quiet: true });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = mkdtempSync(join(tmpdir(), "imms-check-e2e-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      colorScheme,
      deviceScaleFactor: 1,
    });
  } catch (error) {
    server.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const requests = [];
  const errors = [];
  context.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  await page.goto(`${origin}/`);
  await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  const close = async () => {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(profile, { recursive: true, force: true });
  };
  return { origin, context, page, requests, errors, close };
}

const NON_FINITE = "\u0000non-finite:";

/**
 * JSON.parse for JSON as Python's json.dumps writes it: bare NaN, Infinity and -Infinity
 * (outside strings) become those numbers.
 */
export function parsePythonJson(text) {
  const marked = text.replace(/("(?:[^"\\]|\\.)*")|(-?Infinity|NaN)/g, (match, string, word) =>
    string ?? JSON.stringify(NON_FINITE + word),
  );
  return JSON.parse(marked, (_key, value) =>
    typeof value === "string" && value.startsWith(NON_FINITE) ? Number(value.slice(NON_FINITE.length)) : value,
  );
}

/** The conformance corpus scenarios, in file order (E2E_CORPUS_FILE names another corpus file). */
export function corpus() {
  const file = process.env.E2E_CORPUS_FILE || join(ROOT, "tests", "conformance", "public.jsonl");
  const text = readFileSync(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => parsePythonJson(line));
}

/**
 * Whether a body can be typed into the page as it is: a textarea turns CR and CR LF into LF,
 * and text reaches the browser as UTF-8, which cannot carry a lone surrogate.
 */
export function typeable(body) {
  return !body.includes("\r") && body.isWellFormed();
}

/** The first scenario satisfying `predicate` whose body a textarea holds unchanged. */
export function firstScenario(scenarios, description, predicate) {
  const found = scenarios.find((s) => typeable(s.request.body) && predicate(s));
  // Another corpus (E2E_CORPUS_FILE) may lack a category: its tests are then skipped.
  if (!found && !process.env.E2E_CORPUS_FILE) throw new Error(`no corpus scenario for: ${description}`);
  return found ?? null;
}

/** Fills every control from a corpus-style request and presses Check. */
export async function fillRequest(page, request) {
  await page.getByTestId("operation").selectOption(request.operation);
  await page.getByTestId("resource-id").fill(request.id ?? "");
  await page.getByTestId("supplier").fill(request.supplierSystem ?? "");
  await page.getByTestId("permissions").selectOption(typeof request.permissions === "string" ? request.permissions : "");
  if (request.operation !== "create") {
    await page.getByTestId("version").fill(request.version === undefined || request.version === null ? "" : String(request.version));
  }
  await page.getByTestId("timestamp").fill(request.timestamp === undefined || request.timestamp === null ? "" : String(request.timestamp));
  await page.getByTestId("payload").fill(request.body);
  await pressCheck(page);
}

/** Presses Check and waits until the results panel shows the new check. */
export async function pressCheck(page) {
  const before = Number(await page.locator("#results").getAttribute("data-checks"));
  await page.getByTestId("check").click();
  await page.waitForFunction(
    (count) => Number(document.getElementById("results").dataset.checks) > count,
    before,
  );
}

/** What the results panel shows: status text, diagnostics, issues, item and delta JSON text. */
export async function readResults(page) {
  return page.evaluate(() => {
    const text = (id) => document.querySelector(`[data-testid="${id}"]`).textContent;
    return {
      status: text("status"),
      diagnostics: text("diagnostics"),
      issues: [...document.querySelector('[data-testid="issues"]').children].map((li) => li.textContent),
      eventItem: text("event-item"),
      eventItemDynamoDb: text("event-item-dynamodb"),
      deltaItem: text("delta-item"),
      operationOutcome: text("operation-outcome"),
      millis: Number(document.getElementById("results").dataset.millis),
    };
  });
}

/** The 1-based line of the editor's selection start, and the selected text. */
export async function editorSelection(page) {
  return page.getByTestId("payload").evaluate((area) => ({
    line: area.value.slice(0, area.selectionStart).split("\n").length,
    selected: area.value.slice(area.selectionStart, area.selectionEnd),
    focused: document.activeElement === area,
  }));
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
