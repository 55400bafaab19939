// End-to-end tests of the static page in headless Chromium: corpus scenarios typed into the
// page give the corpus's status, diagnostics and items; issues lead to their lines; the page
// makes no connection while checking; payload text is never interpreted as HTML.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { check as packageCheck, checkJson as packageCheckJson } from "../../js/node.mjs";
import { memberTexts, reindent } from "../../www/js/json-text.js";
import { ROOT } from "../../scripts/page-assets.mjs";
import {
  openPage,
  corpus,
  firstScenario,
  fillRequest,
  pressCheck,
  readResults,
  editorSelection,
  artifact,
  parsePythonJson,
  typeable,
} from "./harness.mjs";

const scenarios = corpus();
const isValidationErrors = (s) => (s.expect.diagnostics ?? "").startsWith("Validation errors: ");
const SCENARIOS = {
  "accepted create": firstScenario(scenarios, "accepted create", (s) => s.request.operation === "create" && s.expect.status === 201),
  "accepted create of another vaccine": firstScenario(
    scenarios,
    "accepted create of a second vaccine type",
    (s) =>
      s.expect.status === 201 &&
      s.expect.item.PatientSK.split("#")[0] !==
        scenarios.find((t) => t.expect.status === 201).expect.item.PatientSK.split("#")[0],
  ),
  "pre-validation error": firstScenario(
    scenarios,
    "pre-validation error on the patient's gender",
    (s) => isValidationErrors(s) && /\/type:contained\/1\/gender=/.test(s.name),
  ),
  "several pre-validation errors": firstScenario(
    scenarios,
    "pre-validation errors joined with '; '",
    (s) => isValidationErrors(s) && s.expect.diagnostics.split("; ").length >= 3,
  ),
  "pydantic error": firstScenario(scenarios, "pydantic model error", (s) =>
    /^\d+ validation errors? for Immunization\n/.test(s.expect.diagnostics ?? ""),
  ),
  "malformed JSON": firstScenario(scenarios, "malformed JSON", (s) =>
    (s.expect.diagnostics ?? "").startsWith("Request's body contains malformed JSON"),
  ),
  "JSON that is not an object": firstScenario(scenarios, "500 answer", (s) => s.expect.status === 500),
  "duplicate keys (Python keeps the last)": firstScenario(
    scenarios,
    "accepted body with a duplicate key",
    (s) => s.expect.status === 201 && s.name.endsWith("/raw-dup-key"),
  ),
  "accepted update": firstScenario(scenarios, "accepted update", (s) => s.request.operation === "update" && s.expect.status === 200),
  "rejected update": firstScenario(scenarios, "rejected update", (s) => s.request.operation === "update" && s.expect.status === 400),
};

/** DynamoDB attribute-value JSON of an item, written independently of the page's code. */
function attributeValues(item) {
  const av = (v) =>
    typeof v === "string"
      ? { S: v }
      : typeof v === "number"
        ? { N: String(v) }
        : typeof v === "boolean"
          ? { BOOL: v }
          : v === null
            ? { NULL: true }
            : Array.isArray(v)
              ? { L: v.map(av) }
              : { M: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, av(x)])) };
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, av(v)]));
}

let session;
before(async () => {
  session = await openPage();
});
after(async () => {
  await session?.close();
});

test("the page loads only from its own origin, with a CSP that forbids connections", async () => {
  const { page, origin, requests, errors } = session;
  assert.ok(requests.length > 0, "the page's own files were requested");
  const foreign = requests.filter((url) => !url.startsWith(`${origin}/`));
  assert.deepEqual(foreign, [], "no request left the page's origin");
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  // The policy is in force: even a same-origin fetch is refused.
  const fetched = await page.evaluate(() => fetch("/index.html").then(() => "fetched", () => "refused"));
  assert.equal(fetched, "refused");
  assert.deepEqual(errors.filter((e) => !e.includes("Content Security Policy")), []);
});

for (const [category, scenario] of Object.entries(SCENARIOS)) {
  test(`corpus, ${category}: ${scenario?.name}`, { skip: !scenario }, async () => {
    const { page } = session;
    const { request, expect } = scenario;
    await fillRequest(page, request);
    const shown = await readResults(page);
    assert.match(shown.status, new RegExp(`\\b${expect.status}\\b`), "status");
    const accepted = expect.status < 300;
    assert.match(shown.status, accepted ? /^Accepted/ : /^Rejected/);
    if (accepted) {
      assert.equal(shown.diagnostics, "", "no diagnostics when accepted");
      assert.deepEqual(shown.issues, []);
      assert.deepEqual(parsePythonJson(shown.eventItem), expect.item, "event item");
      assert.deepEqual(parsePythonJson(shown.eventItemDynamoDb), attributeValues(expect.item), "DynamoDB JSON view");
      assert.deepEqual(parsePythonJson(shown.deltaItem), expect.delta, "delta item");
      assert.equal(shown.operationOutcome, "");
    } else {
      assert.equal(shown.diagnostics, expect.diagnostics, "diagnostics");
      assert.ok(shown.issues.length >= 1, "at least one issue listed");
      assert.equal(shown.eventItem, "");
      assert.equal(shown.deltaItem, "");
      const outcome = JSON.parse(shown.operationOutcome);
      assert.equal(outcome.resourceType, "OperationOutcome");
      assert.equal(outcome.issue[0].code, expect.code);
      assert.equal(outcome.issue[0].diagnostics, expect.diagnostics);
    }
  });
}

/** Checks a request in the page and compares what it shows with the Node package's answer. */
async function assertSameAsPackage(page, request) {
  await fillRequest(page, request);
  const shown = await readResults(page);
  const expected = packageCheck(request);
  const texts = memberTexts(packageCheckJson(request));
  const laidOut = (text) => (text === undefined || text === "null" ? "" : reindent(text).text);
  assert.match(shown.status, new RegExp(`\\b${expected.status}\\b`), "status");
  assert.equal(shown.diagnostics, expected.status < 300 ? "" : (expected.diagnostics ?? ""), "diagnostics");
  assert.equal(shown.issues.length, expected.issues.length, "one list entry per issue");
  assert.deepEqual(shown.eventItem ? parsePythonJson(shown.eventItem) : null, expected.item, "event item");
  assert.deepEqual(shown.deltaItem ? parsePythonJson(shown.deltaItem) : null, expected.delta, "delta item");
  // Character for character: every number as the checker writes it.
  assert.equal(shown.eventItem, laidOut(texts.item), "event item text");
  assert.equal(shown.eventItemDynamoDb, laidOut(texts.itemDynamodb), "DynamoDB JSON text");
  assert.equal(shown.deltaItem, laidOut(texts.delta), "delta item text");
  return { shown, expected };
}

test("delete, and supplier permissions, show the package's answer", async () => {
  const { page } = session;
  const sample = readFileSync(join(ROOT, "www", "samples", "completed_covid_immunization_event.json"), "utf8");
  const base = {
    id: "0d2a6a7e-4f4e-4a43-9a53-2f3b8f0d1c11",
    supplierSystem: "EMIS",
    timestamp: 1767225600,
  };
  let { expected } = await assertSameAsPackage(page, { ...base, operation: "delete", version: "2", body: sample });
  assert.equal(expected.status, 204, "a stored record is deleted");
  assert.equal(expected.item.Operation, "DELETE");
  ({ expected } = await assertSameAsPackage(page, { ...base, operation: "delete", version: "2", body: "" }));
  assert.equal(expected.status, 404, "no stored record");
  ({ expected } = await assertSameAsPackage(page, { ...base, operation: "create", body: sample, permissions: "prod", supplierSystem: "MAVIS" }));
  assert.equal(expected.status, 403, "MAVIS may not record COVID vaccinations in prod");
  ({ expected } = await assertSameAsPackage(page, { ...base, operation: "create", body: sample, supplierSystem: null }));
  assert.equal(expected.status, 403, "no SupplierSystem header");
});

test("hostile bodies: deep nesting, odd numbers, lone surrogates", async () => {
  const { page, errors } = session;
  const base = { operation: "create", id: "5b0c8a7e-2d0e-4d35-9a53-7d3b8f0d1c22", supplierSystem: "EMIS" };
  const deep = `{"resourceType": "Immunization", "contained": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
  for (const body of [deep, "[".repeat(50_000), '{"a": 1e999999, "b": -0.0, "c": NaN}', '{"x": "\\ud800"}', "\u0000"]) {
    await assertSameAsPackage(page, { ...base, body });
  }
  // A dose amount beyond a float's range is stored; the delta item holds it as a Python
  // Decimal, written 1E+400 (a JS number would be Infinity).
  const sample = readFileSync(join(ROOT, "www", "samples", "completed_covid_immunization_event.json"), "utf8");
  let { shown, expected } = await assertSameAsPackage(page, { ...base, body: sample.replace('"value": 0.5', '"value": 1e400') });
  assert.equal(expected.delta.Imms.DOSE_AMOUNT, Infinity);
  assert.match(shown.deltaItem, /"DOSE_AMOUNT": 1E\+400,/);
  // A dose of 1.0 reads 1.0 in the stored Resource and in the delta item.
  ({ shown } = await assertSameAsPackage(page, { ...base, body: sample.replace('"value": 0.5', '"value": 1.0') }));
  assert.match(shown.deltaItem, /"DOSE_AMOUNT": 1\.0,/);
  assert.match(shown.eventItem, /\\"value\\": 1\.0/);
  await page.getByTestId("format").click();
  assert.deepEqual(errors.filter((e) => !e.includes("Content Security Policy")), []);
});

// The whole corpus through the page: E2E_CORPUS=all npm run test:e2e (a few minutes).
test("every corpus scenario through the page", { skip: process.env.E2E_CORPUS !== "all" }, async () => {
  const { page } = session;
  const failures = [];
  let checked = 0;
  for (const { name, request, expect } of scenarios) {
    if (!typeable(request.body)) continue;
    checked++;
    await fillRequest(page, request);
    const shown = await readResults(page);
    const accepted = expect.status < 300;
    const same =
      new RegExp(`\\b${expect.status}\\b`).test(shown.status) &&
      shown.diagnostics === (accepted ? "" : expect.diagnostics) &&
      (!accepted || isDeepStrictEqual(parsePythonJson(shown.eventItem), expect.item)) &&
      (!accepted || isDeepStrictEqual(parsePythonJson(shown.deltaItem), expect.delta));
    if (!same) failures.push(name);
  }
  console.log(`page reproduced ${checked - failures.length}/${checked} corpus scenarios`);
  assert.deepEqual(failures.slice(0, 40), []);
});

test("Format re-indents without changing the answer, and an issue leads to its line", async () => {
  const { page } = session;
  const { request, expect } = SCENARIOS["pre-validation error"];
  await fillRequest(page, request);
  await page.getByTestId("format").click();
  const body = await page.getByTestId("payload").inputValue();
  assert.ok(body.split("\n").length > 50, "the body is spread over lines");
  const shown = await readResults(page);
  assert.equal(shown.diagnostics, expect.diagnostics, "same diagnostics after formatting");

  const expectedLine = body.split("\n").findIndex((line) => line.includes('"gender": ')) + 1;
  assert.ok(expectedLine > 1, "the formatted body has the gender on its own line");
  const issue = page.getByTestId("issues").locator("li", { hasText: "gender" }).first();
  await issue.locator("button").click();
  let selection = await editorSelection(page);
  assert.equal(selection.line, expectedLine, "the selection moved to the issue's line");
  assert.ok(selection.focused, "the editor has the focus");
  assert.ok(body.split("\n")[expectedLine - 1].includes(selection.selected.split("\n")[0]), "the selection is on that line");
  assert.notEqual(selection.selected, "", "something is selected");
  const visible = await page.getByTestId("payload").evaluate((area, line) => {
    const height = parseFloat(getComputedStyle(area).lineHeight);
    const top = (line - 1) * height;
    return top >= area.scrollTop && top + height <= area.scrollTop + area.clientHeight;
  }, expectedLine);
  assert.ok(visible, "the line is scrolled into view");
  await page.screenshot({ path: artifact("issue-selected.png") });

  // The same from the keyboard.
  await page.getByTestId("payload").evaluate((area) => {
    area.setSelectionRange(0, 0);
    area.scrollTop = 0;
  });
  await issue.locator("button").focus();
  await page.keyboard.press("Enter");
  selection = await editorSelection(page);
  assert.equal(selection.line, expectedLine, "Enter on a focused issue selects its line");
});

test("Copy puts the exact diagnostics on the clipboard", async () => {
  const { page, context, origin } = session;
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  const { request, expect } = SCENARIOS["pydantic error"];
  await fillRequest(page, request);
  const button = page.locator('button[data-copy="diagnostics"]');
  await button.click();
  await page.waitForFunction(() => document.querySelector('button[data-copy="diagnostics"]').textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expect.diagnostics);
});

test("on a one-line body, an issue selects exactly its value, counting characters as the checker does", async () => {
  const { page } = session;
  const body = JSON.parse(readFileSync(join(ROOT, "www", "samples", "completed_covid_immunization_event.json"), "utf8"));
  const patient = body.contained.find((r) => r.resourceType === "Patient");
  patient.name[0].family = "😀😀Ta"; // characters beyond U+FFFF take two UTF-16 units in the textarea
  patient.gender = "bogus";
  await fillRequest(page, { operation: "create", id: "2f5a1c0e-8b7d-4e62-9f3a-6c1d2e3f4a5b", supplierSystem: "EMIS", body: JSON.stringify(body) });
  await page.getByTestId("issues").locator("li button").first().click();
  const selection = await editorSelection(page);
  assert.equal(selection.line, 1);
  assert.equal(selection.selected, '"bogus"');
});

test("an issue without a place in the body says so", async () => {
  const { page } = session;
  const { request } = SCENARIOS["several pre-validation errors"];
  await fillRequest(page, request);
  const items = page.getByTestId("issues").locator("li");
  const count = await items.count();
  assert.ok(count >= 3);
  for (let k = 0; k < count; k++) {
    const item = items.nth(k);
    const hasButton = (await item.locator("button").count()) === 1;
    const text = await item.textContent();
    if (hasButton) assert.match(text, /Line \d+/);
    else assert.match(text, /No location in the body/);
  }
});

test("checking makes no request at all", async () => {
  const { page, requests } = session;
  requests.length = 0;
  const { request } = SCENARIOS["accepted create"];
  await fillRequest(page, request);
  await page.getByTestId("payload").focus();
  await page.keyboard.press("End");
  await page.keyboard.type(" ");
  await page.waitForTimeout(400); // the live check's debounce
  await pressCheck(page);
  await page.getByTestId("operation").selectOption("update");
  await page.getByTestId("version").fill("3");
  await pressCheck(page);
  await page.getByTestId("tab-delta-item").click();
  await page.getByTestId("tab-event-item").click();
  assert.deepEqual(requests, []);
});

test("live checking follows typing, and a 4 KB body checks well within a frame", async () => {
  const { page } = session;
  const { request } = SCENARIOS["accepted create"];
  await fillRequest(page, request);
  await page.getByTestId("format").click();
  const before = Number(await page.locator("#results").getAttribute("data-checks"));
  const payload = page.getByTestId("payload");
  await payload.focus();
  await page.keyboard.press("Control+Home");
  await page.keyboard.type("x");
  await page.waitForFunction((n) => Number(document.getElementById("results").dataset.checks) > n, before);
  assert.match((await readResults(page)).diagnostics, /^Request's body contains malformed JSON/);
  await page.keyboard.press("Backspace");
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent.startsWith("Accepted"));

  const size = (await payload.inputValue()).length;
  assert.ok(size > 3000 && size < 6000, `a body of about 4 KB (${size} characters)`);
  const millis = await page.evaluate(() => {
    const times = [];
    for (let k = 0; k < 25; k++) {
      document.querySelector('[data-testid="check"]').click();
      times.push(Number(document.getElementById("results").dataset.millis));
    }
    return times.sort((a, b) => a - b);
  });
  const median = millis[Math.floor(millis.length / 2)];
  assert.ok(median < 8, `median check time ${median} ms`);
});

test("payload text is shown as text, never run as HTML", async () => {
  const { page, errors } = session;
  await page.evaluate(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(event.violatedDirective));
  });
  const { request } = SCENARIOS["accepted create"];
  const markup = (n) => `<img src=x onerror="window.__xss=${n}"><script>window.__xss=${n}</script>`;
  const body = JSON.parse(request.body);
  body[markup(1)] = markup(2);
  await fillRequest(page, { ...request, body: JSON.stringify(body) });
  let shown = await readResults(page);
  assert.match(shown.status, /^Rejected/);
  assert.ok(shown.diagnostics.includes(markup(1)), "the name appears, as text, in the diagnostics");
  assert.ok(shown.issues.some((text) => text.includes(markup(1))), "and in the issue list");

  const accepted = JSON.parse(request.body);
  const patient = accepted.contained.find((r) => r.resourceType === "Patient");
  const short = "<img src=x onerror=__xss=3>"; // family names have at most 35 characters
  patient.name[0].family = short;
  await fillRequest(page, { ...request, body: JSON.stringify(accepted) });
  shown = await readResults(page);
  assert.match(shown.status, /^Accepted/, shown.diagnostics);
  assert.ok(parsePythonJson(shown.eventItem).Resource.includes(short), "the stored Resource keeps the text");
  assert.equal(parsePythonJson(shown.deltaItem).Imms.PERSON_SURNAME, short, "so does the delta item");
  await page.getByTestId("tab-resource").click();
  await page.getByTestId("tab-delta-item").click();

  const state = await page.evaluate(() => ({
    xss: window.__xss,
    images: document.querySelectorAll("img").length,
    scripts: document.querySelectorAll("script").length,
    violations: window.__violations,
  }));
  assert.equal(state.xss, undefined, "nothing executed");
  assert.equal(state.images, 0, "no element was created from the payload");
  assert.equal(state.scripts, 1, "only the page's own script element");
  assert.deepEqual(state.violations, [], "nothing even tried to run");
  assert.deepEqual(errors.filter((e) => !e.includes("Content Security Policy")), []);
});

test("Open file keeps the bytes as sent, byte-order mark included", async () => {
  const { page } = session;
  const { request, expect } = firstScenario(scenarios, "body with a BOM", (s) => s.name.endsWith("/raw-bom"));
  await page.getByTestId("operation").selectOption(request.operation);
  await page.getByTestId("supplier").fill(request.supplierSystem ?? "");
  const before = Number(await page.locator("#results").getAttribute("data-checks"));
  await page.getByTestId("open-file").setInputFiles({
    name: "with-bom.json",
    mimeType: "application/json",
    buffer: Buffer.from(request.body, "utf8"),
  });
  await page.waitForFunction((n) => Number(document.getElementById("results").dataset.checks) > n, before);
  assert.ok((await page.getByTestId("payload").inputValue()).startsWith("\ufeff"), "the BOM is kept");
  assert.equal((await readResults(page)).diagnostics, expect.diagnostics);
});

test("a .json file dropped on the editor replaces the body", async () => {
  const { page } = session;
  const { request, expect } = SCENARIOS["pre-validation error"];
  await page.getByTestId("supplier").fill(request.supplierSystem ?? "");
  const before = Number(await page.locator("#results").getAttribute("data-checks"));
  const transfer = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], "dropped.json", { type: "application/json" }));
    return data;
  }, request.body);
  await page.getByTestId("payload").dispatchEvent("dragenter", { dataTransfer: transfer });
  await page.getByTestId("payload").dispatchEvent("drop", { dataTransfer: transfer });
  await page.waitForFunction((n) => Number(document.getElementById("results").dataset.checks) > n, before);
  assert.equal(await page.getByTestId("payload").inputValue(), request.body);
  assert.equal((await readResults(page)).diagnostics, expect.diagnostics);
  assert.equal(await page.locator("#editor-frame.dragging").count(), 0, "the drop hint is gone");
});

/** A sample with the kind of mistakes a supplier's payload carries, edited as text. */
function sampleWithMistakes(page) {
  return page.evaluate(() => {
    const text = document.querySelector('[data-testid="payload"]').value;
    return text
      .replace('"gender": "unknown"', '"gender": "Female"')
      .replace('"birthDate": "1965-02-28"', '"birthDate": "1965-02-30"')
      .replace('"value": "9000000009"', '"value": "900000000"')
      .replace(/"occurrenceDateTime": "[^"]*"/, '"occurrenceDateTime": "14/02/2021 13:28"');
  });
}

test("screenshots of an accepted and a rejected request", async () => {
  const { page } = session;
  await page.getByTestId("samples").selectOption("completed_flu_immunization_event");
  await page.getByTestId("operation").selectOption("create");
  await page.getByTestId("supplier").fill("EMIS");
  await page.getByTestId("permissions").selectOption("");
  await page.getByTestId("timestamp").fill("");
  await pressCheck(page);
  assert.match((await readResults(page)).status, /^Accepted — 201 Created/);
  await page.getByTestId("tab-event-item").click();
  await page.screenshot({ path: artifact("accepted.png") });

  await page.getByTestId("payload").fill(await sampleWithMistakes(page));
  await pressCheck(page);
  const shown = await readResults(page);
  assert.match(shown.status, /^Rejected — 400/);
  assert.ok(shown.issues.length >= 3, `several issues (${shown.diagnostics})`);
  await page.getByTestId("issues").locator("li button").first().click();
  await page.screenshot({ path: artifact("rejected.png") });
});

test("dark scheme screenshots", async () => {
  const dark = await openPage({ colorScheme: "dark" });
  try {
    const { page } = dark;
    await page.getByTestId("samples").selectOption("completed_flu_immunization_event");
    await pressCheck(page);
    await page.screenshot({ path: artifact("accepted-dark.png") });
    await page.getByTestId("payload").fill(await sampleWithMistakes(page));
    await pressCheck(page);
    assert.match((await readResults(page)).status, /^Rejected — 400/);
    await page.getByTestId("issues").locator("li button").first().click();
    await page.screenshot({ path: artifact("rejected-dark.png") });
    assert.deepEqual(dark.errors, []);
  } finally {
    await dark.close();
  }
});
