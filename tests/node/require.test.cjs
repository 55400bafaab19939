// The package loads through require() (CommonJS) as well as import.
const { test } = require("node:test");
const assert = require("node:assert/strict");

test("require('imms-check') exposes the API", () => {
  const imms = require("imms-check");
  for (const name of ["check", "validate", "diseaseMapping", "vaccineTypes", "version"]) {
    assert.equal(typeof imms[name], "function", name);
  }
  const outcome = imms.check({ operation: "create", supplierSystem: "TPP", body: "" });
  assert.equal(outcome.status, 400);
  assert.equal(outcome.code, "invalid");
});
