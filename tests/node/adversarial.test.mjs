// Adversarial bodies through the Wasm module: the same answers as the native tests
// (tests/adversarial.rs, measured against the service), and never a trap — the Wasm
// stack is small, so 100,000 levels of nesting must not recurse, and a 50 MB body
// must fit in memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { check } from "imms-check";

const SAMPLE = readFileSync(
  new URL("../../www/samples/completed_covid_immunization_event.json", import.meta.url),
  "utf8",
);
const SERVER_ERROR = "Unable to process request. Issue may be transient.";
const MALFORMED = "Request's body contains malformed JSON: ";
const DEEP = 100_000;

/** The sample with `from` (occurring once) replaced by `to`. */
function sampleWith(from, to) {
  assert.equal(SAMPLE.split(from).length, 2, `${from} occurs once in the sample`);
  return SAMPLE.replace(from, () => to);
}

const lotNumber = (text) => sampleWith('"lotNumber": "4120Z001"', `"lotNumber": "${text}"`);

function create(body) {
  return check({
    operation: "create",
    supplierSystem: "TPP",
    id: "5a9c0b6e-0000-4000-8000-000000000001",
    body,
  });
}

function assertServerError(outcome) {
  assert.equal(outcome.status, 500);
  assert.equal(outcome.code, "exception");
  assert.equal(outcome.diagnostics, SERVER_ERROR);
}

function assertCreatedWith(outcome, fragment) {
  assert.equal(outcome.status, 201, outcome.diagnostics);
  assert.ok(outcome.item.Resource.includes(fragment), `Resource lacks ${fragment}`);
}

test("100,000 nested arrays, objects or unclosed brackets are a server error, not a stack overflow", () => {
  assertServerError(create(`{"resourceType": "Immunization", "x": ${"[".repeat(DEEP)}${"]".repeat(DEEP)}}`));
  assertServerError(create(`${'{"a": '.repeat(DEEP)}1${"}".repeat(DEEP)}`));
  assertServerError(create("[".repeat(DEEP)));
  const outcome = create(`{"a": tru, "b": ${"[".repeat(DEEP)}`);
  assert.equal(outcome.diagnostics, `${MALFORMED}Expecting value: line 1 column 7 (char 6)`);
});

test("50 MB bodies: too large for the table, or accepted when only whitespace", () => {
  assertServerError(create(lotNumber("A".repeat(50_000_000))));
  assertCreatedWith(create(SAMPLE + " ".repeat(50_000_000)), '"lotNumber": "4120Z001"');
});

test("lone surrogates, raw or escaped, are kept as Python keeps them", () => {
  assertCreatedWith(create(lotNumber("\ud800")), '"lotNumber": "\\ud800"');
  assertCreatedWith(create(lotNumber("\\udc00")), '"lotNumber": "\\udc00"');
  assertServerError(create(sampleWith('"value": "ACME-vacc123456"', '"value": "ACME-\\udc00"')));
});

test("NUL bytes: raw in a string is a control character, escaped is kept", () => {
  const outcome = create(sampleWith('"lotNumber": "', '"lotNumber": "\0'));
  assert.equal(outcome.diagnostics, `${MALFORMED}Invalid control character at: line 85 column 17 (char 2052)`);
  assertCreatedWith(create(lotNumber("A\\u0000B")), '"lotNumber": "A\\u0000B"');
});

test("numbers of 10,000 digits", () => {
  const dose = (text) => sampleWith('"value": 0.5,', `"value": ${text},`);
  assertServerError(create(dose("1".repeat(10_000))));
  const fraction = `0.${"1".repeat(10_000)}`;
  assertCreatedWith(create(dose(fraction)), fraction);
  assertServerError(create(dose(`1e${"1".repeat(10_000)}`)));
});

test("a million given names and 10,000 duplicate keys", () => {
  const names = Array(1_000_000).fill('"Sarah"').join(", ");
  const outcome = create(sampleWith('"given": ["Sarah"]', `"given": [${names}]`));
  assert.equal(
    outcome.diagnostics,
    "Validation errors: contained[?(@.resourceType=='Patient')].name[0].given must be an array of maximum length 5",
  );
  const duplicated = '"status": "x", '.repeat(9_999) + '"status": "completed"';
  assertCreatedWith(create(sampleWith('"status": "completed"', duplicated)), '"status": "completed"');
});

test("a body over 48 MiB is refused with an Error, not a trap, and the module goes on", () => {
  const limit = 48 * 1024 * 1024;
  const atLimit = SAMPLE + " ".repeat(limit - Buffer.byteLength(SAMPLE));
  assertCreatedWith(create(atLimit), '"lotNumber": "4120Z001"');
  assert.throws(() => create(atLimit + " "), {
    name: "Error",
    message: /request\.body is 50331649 bytes; the WebAssembly checker takes bodies of up to 50331648 bytes/,
  });
  assert.throws(() => create("é".repeat(limit / 2 + 1)), /the WebAssembly checker takes bodies of up to/);
  assertCreatedWith(create(SAMPLE), '"lotNumber": "4120Z001"');
});
