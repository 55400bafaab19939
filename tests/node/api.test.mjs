// The JS surface of the Node build: argument handling, errors and the reference tables.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import imms, { check, checkJson, validate, diseaseMapping, vaccineTypes, version } from "imms-check";

const sample = readFileSync(
  new URL("../../www/samples/completed_covid_immunization_event.json", import.meta.url),
  "utf8",
);
const cargoVersion = readFileSync(new URL("../../Cargo.toml", import.meta.url), "utf8").match(
  /^version = "([^"]+)"/m,
)[1];

/** The outcome less the illustrative stream attributes, which follow the clock. */
function withoutClock({ deltaIllustrative, ...outcome }) {
  return outcome;
}

test("the default export carries the same functions as the named exports", () => {
  assert.equal(imms.check, check);
  assert.equal(imms.validate, validate);
});

test("version() is the crate version, which is also the npm package's", () => {
  assert.equal(version(), cargoVersion);
  const packageVersion = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
  assert.equal(packageVersion, cargoVersion);
});

test("a body given as an object is sent as its JSON.stringify text", () => {
  const body = JSON.parse(sample);
  const request = { operation: "create", supplierSystem: "TPP", id: "2d8cbd3c-2a2b-4b3f-9d4b-a7b0e5bb1c77" };
  const fromObject = check({ ...request, body });
  const fromText = check({ ...request, body: JSON.stringify(body) });
  assert.equal(fromObject.status, 201);
  assert.deepEqual(withoutClock(fromObject), withoutClock(fromText));
});

test("a body that is not JSON is reported as the service reports it, without throwing", () => {
  const outcome = check({ operation: "create", supplierSystem: "TPP", body: "{not json" });
  assert.equal(outcome.status, 400);
  assert.equal(outcome.code, "invalid");
  assert.match(outcome.diagnostics, /^Request's body contains malformed JSON/);
  assert.equal(outcome.item, null);
  assert.equal(outcome.delta, null);
});

test("validate(body) answers a create of the body", () => {
  const outcome = validate(sample);
  assert.equal(outcome.status, 201, JSON.stringify(outcome));
  assert.equal(outcome.code, null);
  assert.equal(outcome.item.Operation, "CREATE");
  // The same record from the body as an object (its generated id differs with the text).
  assert.deepEqual(validate(JSON.parse(sample)).delta.Imms, outcome.delta.Imms);
  assert.equal(validate("[]").status, 500);
});

test("the checker's options are read from the request", () => {
  const request = { operation: "create", supplierSystem: "SONAR", body: sample };
  assert.equal(check(request).status, 201);
  // SONAR may only create and delete flu records in the service's production configuration.
  const refused = check({ ...request, permissions: "prod" });
  assert.equal(refused.status, 403, JSON.stringify(refused));
  assert.equal(check({ ...request, permissions: [{ supplier: "SONAR", permissions: ["COVID.C"] }] }).status, 201);
  assert.throws(() => check({ ...request, permissions: "qa" }), /^Error: check\(request\): permissions: unknown environment "qa"/);
  const noRecord = check({ operation: "delete", id: "2d8cbd3c-2a2b-4b3f-9d4b-a7b0e5bb1c77", supplierSystem: "TPP", stored: null });
  assert.equal(noRecord.status, 404, JSON.stringify(noRecord));
});

test("options unknown to this version pass through without error", () => {
  const outcome = check({ operation: "create", supplierSystem: "TPP", body: sample, someFutureOption: { a: 1 } });
  assert.equal(outcome.status, 201);
});

test("bad arguments throw an Error with a clear message", () => {
  const cases = [
    [() => check(), /check\(request\): expected an object .*got undefined/],
    [() => check(null), /check\(request\): expected an object .*got null/],
    [() => check("create"), /check\(request\): expected an object .*got string/],
    [() => check([1]), /check\(request\): expected an object .*got an array/],
    [() => check({ body: "{}" }), /check\(request\): invalid request: missing field `operation`/],
    [() => check({ operation: "post", body: "{}" }), /check\(request\): invalid request: unknown variant `post`/],
    [() => check({ operation: "create", supplierSystem: 7 }), /check\(request\): invalid request: invalid type: integer `7`/],
    [() => check({ operation: "create", body: { n: 10n } }), /check\(request\): request.body cannot be written as JSON/],
    [() => validate(undefined), /validate\(body\)/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (error) => {
      assert.ok(error instanceof Error, `${error} is an Error`);
      assert.match(error.message, message);
      return true;
    });
  }
  const cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => check({ operation: "create", body: cyclic }), /request.body cannot be written as JSON/);
  // The module still works after the errors.
  assert.equal(check({ operation: "create", supplierSystem: "TPP", body: sample }).status, 201);
});

test("diseaseMapping() and vaccineTypes() describe the reference table", () => {
  const mapping = diseaseMapping();
  const upstream = JSON.parse(
    readFileSync(new URL("../../src/reference/disease_mapping.json", import.meta.url), "utf8"),
  );
  assert.deepEqual(mapping, upstream);
  assert.deepEqual(vaccineTypes(), [...new Set(upstream.map((entry) => entry.vacc_type))]);
  assert.ok(vaccineTypes().includes("COVID"));
  assert.ok(vaccineTypes().includes("FLU"));
});

test("checkJson() keeps numbers as the service writes them, and check() is its JSON.parse", () => {
  const text = sample.replace(/"value":\s*0\.5/, '"value": 1.0');
  assert.notEqual(text, sample, "the sample has a doseQuantity to replace");
  const request = { operation: "create", supplierSystem: "TPP", timestamp: 1_700_000_000, body: text };
  const json = checkJson(request);
  assert.match(json, /\\"value\\": 1\.0/, "the stored Resource keeps 1.0");
  assert.deepStrictEqual(check(request), JSON.parse(json));
  // Raw non-ASCII in the body (read into the module in two passes: the ASCII part, then
  // the rest) and in item attributes (IdentifierPK holds the identifier's value as is).
  const wide = { ...request, body: text.replace('"ACME-vacc123456"', '"ACME-\u00e9\u{1F600}vacc"') };
  assert.ok(wide.body.includes("\u{1F600}"));
  const outcome = check(wide);
  assert.equal(outcome.status, 201);
  assert.ok(outcome.item.IdentifierPK.endsWith("ACME-\u00e9\u{1F600}vacc"), outcome.item.IdentifierPK);
  assert.ok(outcome.item.Resource.includes('"ACME-\\u00e9\\ud83d\\ude00vacc"'), "the Resource escapes it");
  assert.deepStrictEqual(outcome, JSON.parse(checkJson(wide)));
  // A lone surrogate, escaped in the body, stays one in the stored Resource's text.
  const lone = { ...request, body: text.replace('"4120Z001"', '"4120Z\\ud800"') };
  const withLone = check(lone);
  assert.equal(withLone.status, 201);
  assert.ok(withLone.item.Resource.includes('"lotNumber": "4120Z\\ud800"'), "the Resource escapes it");
  assert.equal(withLone.itemDynamodb.Resource.S, withLone.item.Resource);
  assert.deepStrictEqual(withLone, JSON.parse(checkJson(lone)));
  assert.throws(() => checkJson(42), /^Error: checkJson\(request\): expected an object/);
});

/** What `checkJson` answers or throws for a request. */
function answerOf(request) {
  try {
    return checkJson(request);
  } catch (error) {
    return `throws ${error.message}`;
  }
}

test("a request's fields mean the same read one by one as through their JSON text", () => {
  // An unknown field with a value makes the module read the request through its JSON
  // text; without it, plain fields are read one by one. Both must give the same answer.
  const base = { operation: "create", supplierSystem: "TPP", timestamp: 1_700_000_000, body: sample };
  const variants = [
    base,
    { ...base, id: "6b2a1c0e-6a0f-4f0e-9c8a-8f1f6c1d2e3f" },
    { ...base, id: null, supplierSystem: null },
    { ...base, supplierSystem: undefined },
    { ...base, operation: "update", id: "x", version: 3 },
    { ...base, operation: "update", id: "x", version: "3" },
    { ...base, operation: "update", id: "x", version: -0 },
    { ...base, operation: "update", id: "x", version: 2 ** 53 },
    { ...base, operation: "update", id: "x", version: 1.5 },
    { ...base, operation: "update", id: "x", version: 2 ** 60 },
    { ...base, operation: "delete", id: "x", version: Number.NaN },
    { ...base, timestamp: 1.5 },
    { ...base, timestamp: -(2 ** 53) },
    { ...base, timestamp: 2 ** 63 },
    { ...base, timestamp: Number.POSITIVE_INFINITY },
    { ...base, timestamp: "1700000000" },
    { ...base, deltaTtlDays: 7 },
    { ...base, deltaTtlDays: true },
    { ...base, supplierSystem: "T\ud800P" },
    { ...base, supplierSystem: "Ünïcode ✓" },
    { ...base, supplierSystem: ["TPP"] },
    { ...base, id: 12 },
    { ...base, operation: "CREATE" },
    { ...base, operation: undefined },
    { ...base, stored: undefined, permissions: undefined },
    { ...base, permissions: "dev" },
    Object.assign(Object.create({ operation: "create" }), { supplierSystem: "TPP", body: sample }),
    Object.defineProperty({ ...base }, "supplierSystem", { get: () => "EMIS", enumerable: true }),
    Object.defineProperty({ ...base }, "supplierSystem", { value: "EMIS", enumerable: false }),
  ];
  for (const request of variants) {
    const oneByOne = answerOf(request);
    const throughJson = answerOf(Object.assign(Object.create(null), request, { unusedOption: 0 }));
    assert.equal(oneByOne, throughJson, JSON.stringify({ ...request, body: undefined }));
  }
  // The variants cover both outcomes.
  assert.ok(variants.some((r) => !answerOf(r).startsWith("throws")));
  assert.ok(variants.some((r) => answerOf(r).startsWith("throws")));
});
