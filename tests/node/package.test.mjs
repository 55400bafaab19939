// What the npm package ships: the three builds and their declarations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";

const pkg = (path) => new URL(`../../pkg/${path}`, import.meta.url);

test("each build ships its module, glue and declarations", () => {
  for (const dir of ["web", "node", "bundler"]) {
    for (const file of ["imms_check_bg.wasm", "imms_check.js", "imms_check.d.ts"]) {
      assert.ok(statSync(pkg(`${dir}/${file}`)).size > 0, `${dir}/${file}`);
    }
  }
});

test("the declarations type the API precisely", () => {
  for (const dir of ["web", "node", "bundler"]) {
    // The web build's loader declarations (InitInput onwards) describe raw Wasm exports.
    const types = readFileSync(pkg(`${dir}/imms_check.d.ts`), "utf8").split("export type InitInput")[0];
    assert.match(types, /export function check\(request: CheckRequest\): Outcome;/, dir);
    assert.match(types, /export function validate\(body: string \| JsonValue\): Outcome;/, dir);
    assert.match(types, /export function diseaseMapping\(\): DiseaseMappingEntry\[\];/, dir);
    assert.match(types, /export function vaccineTypes\(\): string\[\];/, dir);
    assert.match(types, /export interface Outcome \{/, dir);
    assert.doesNotMatch(types, /:\s*any\b|<any>|\bany\[\]/, dir);
  }
});
