// Every public conformance scenario through the Node build's `check`, scored as the
// native conformance test (tests/conformance.rs) scores it; the rates, in percent, must
// not fall below tests/conformance/floor.json (a measure it does not name must be 100).
//
//   verdict      the HTTP status equal
//   diagnostics  status, issue[0].code and diagnostics equal character for character
//   item         accepted expectations only: the event-table item deep-equal
//   delta        accepted expectations only: the delta-table item deep-equal
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

import { check, checkJson } from "imms-check";

const corpusUrl = new URL("../conformance/public.jsonl", import.meta.url);
const floorUrl = new URL("../conformance/floor.json", import.meta.url);

const scenarios = readFileSync(corpusUrl, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line));
const floor = JSON.parse(readFileSync(floorUrl, "utf8"));

/** Scores one scenario; returns which measures it passes and which it counts for. */
function score(scenario) {
  const { request, expect } = scenario;
  const outcome = check(request);
  const verdict = outcome.status === expect.status;
  const diagnostics =
    verdict && outcome.code === (expect.code ?? null) && outcome.diagnostics === (expect.diagnostics ?? null);
  const accepted = expect.item !== undefined && expect.item !== null;
  return {
    outcome,
    verdict,
    diagnostics,
    accepted,
    item: accepted && isDeepStrictEqual(outcome.item, expect.item),
    delta: accepted && isDeepStrictEqual(outcome.delta, expect.delta),
  };
}

test("public conformance corpus through the Wasm module meets the floor", (t) => {
  assert.ok(scenarios.length > 2000, `corpus has ${scenarios.length} scenarios`);
  const passed = { verdict: 0, diagnostics: 0, item: 0, delta: 0 };
  const missed = { verdict: [], diagnostics: [], item: [], delta: [] };
  let accepted = 0;
  for (const scenario of scenarios) {
    const result = score(scenario);
    if (result.accepted) accepted += 1;
    for (const measure of Object.keys(passed)) {
      const counts = measure === "verdict" || measure === "diagnostics" || result.accepted;
      if (!counts) continue;
      if (result[measure]) passed[measure] += 1;
      else missed[measure].push(scenario.name);
    }
  }
  const totals = { verdict: scenarios.length, diagnostics: scenarios.length, item: accepted, delta: accepted };
  const rates = {};
  for (const measure of Object.keys(passed)) {
    rates[measure] = totals[measure] === 0 ? 100 : (100 * passed[measure]) / totals[measure];
    t.diagnostic(
      `${measure}: ${passed[measure]}/${totals[measure]} = ${rates[measure].toFixed(2)}%` +
        ` (floor ${floor[measure] ?? 100}%)` +
        (missed[measure].length ? `; first misses: ${missed[measure].slice(0, 3).join(", ")}` : ""),
    );
  }
  for (const measure of Object.keys(passed)) {
    assert.ok(
      rates[measure] + 1e-9 >= (floor[measure] ?? 100),
      `${measure} rate ${rates[measure].toFixed(2)}% is below the floor ${floor[measure] ?? 100}%`,
    );
  }
});

const FIELDS = ["status", "code", "diagnostics", "issues", "vaccineType", "item", "delta"];
const ACCEPTED_FIELDS = ["deltaIllustrative", "itemDynamodb"];

test("every outcome is a plain JSON object with the batch-line fields", () => {
  for (const scenario of scenarios) {
    const outcome = check(scenario.request);
    const keys = Object.keys(outcome);
    for (const field of FIELDS) assert.ok(keys.includes(field), `${scenario.name}: ${field}`);
    for (const key of keys) {
      const known = FIELDS.includes(key) || (outcome.status < 300 && ACCEPTED_FIELDS.includes(key));
      assert.ok(known, `${scenario.name}: unexpected ${key}`);
    }
    assert.equal(Object.getPrototypeOf(outcome), Object.prototype, scenario.name);
    assert.ok(Array.isArray(outcome.issues), scenario.name);
    assert.deepEqual(JSON.parse(JSON.stringify(outcome)), outcome, scenario.name);
  }
});

test("check() builds the same object, key order included, as JSON.parse of checkJson()", () => {
  let accepted = 0;
  for (const scenario of scenarios) {
    // One clock for both calls: the illustrative delta attributes follow the request's
    // timestamp, or, for a create, the JS clock, so the pair is taken again when the
    // clock's second changed around it.
    const request = { timestamp: 1_700_000_000, ...scenario.request };
    let outcome;
    let text;
    for (let attempt = 0; attempt < 3; attempt++) {
      outcome = check(request);
      text = checkJson(request);
      if (JSON.stringify(check(request)) === JSON.stringify(outcome)) break;
    }
    assert.deepStrictEqual(outcome, JSON.parse(text), scenario.name);
    assert.equal(JSON.stringify(outcome), JSON.stringify(JSON.parse(text)), scenario.name);
    if (outcome.item) accepted += 1;
  }
  assert.ok(accepted > 500, `${accepted} accepted outcomes compared`);
});
