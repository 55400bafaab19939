// The page's JSON text helpers, in Node: Format changes only whitespace, the OperationOutcome
// is laid out as Python's json.dumps lays it out, and outcome members are cut out as written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { reindent, pythonString, pythonDumps, memberTexts } from "../../www/js/json-text.js";
import { ROOT } from "../../scripts/page-assets.mjs";

/** The text with every whitespace character outside strings removed. */
function squeeze(text) {
  return text.replace(/("(?:[^"\\]|\\.)*")|[ \t\n\r]+/g, (match, string) => string ?? "");
}

test("reindent changes only whitespace between tokens", () => {
  const bodies = [
    '{"a":1,"b":[1.50,-0.0,1E+2,true,false,null,NaN,-Infinity,Infinity],"c":{},"d":[]}',
    '{"dup": 1, "dup": 2, "s": "tab\\t \\"quoted\\" \\u00e9 \\\\ end"}',
    '  [ {"x" : "y"} , [ [ ] ] ]  ',
    ...readdirSync(join(ROOT, "www", "samples")).map((f) => readFileSync(join(ROOT, "www", "samples", f), "utf8")),
  ];
  for (const body of bodies) {
    const { text, error } = reindent(body);
    assert.equal(error, undefined, body);
    assert.equal(squeeze(text), squeeze(body));
    assert.equal(reindent(text).text, text, "formatting twice changes nothing");
  }
  assert.equal(reindent('{"a":[1,{"b":2}],"c":{}}').text, '{\n  "a": [\n    1,\n    {\n      "b": 2\n    }\n  ],\n  "c": {}\n}');
});

test("reindent refuses what Python's json.loads refuses", () => {
  for (const body of [
    "",
    "{",
    '{"a": 1,}',
    "[1,]",
    '{"a" 1}',
    "01",
    "1.",
    ".5",
    "+1",
    '"raw\ncontrol"',
    '"bad \\x escape"',
    "\ufeff{}",
    "{} {}",
    "nan",
    "'single'",
  ]) {
    assert.ok(reindent(body).error, JSON.stringify(body));
  }
  assert.match(reindent("[".repeat(300) + "]".repeat(300)).error, /too deeply/);
});

test("strings and OperationOutcomes as Python's json.dumps writes them", () => {
  // Expected texts from Python 3: json.dumps(value).
  assert.equal(pythonString('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(pythonString("\n\r\t\b\f\u0001\u001f"), '"\\n\\r\\t\\b\\f\\u0001\\u001f"');
  assert.equal(pythonString("\u007f é ☃ 😀"), '"\\u007f \\u00e9 \\u2603 \\ud83d\\ude00"');
  assert.equal(pythonString("<img src=x>"), '"<img src=x>"');
  assert.equal(pythonDumps({ a: [1, "x", null, true], b: {}, c: [] }), '{"a": [1, "x", null, true], "b": {}, "c": []}');
  assert.equal(pythonDumps({ a: [1], b: { c: 2 } }, 2), '{\n  "a": [\n    1\n  ],\n  "b": {\n    "c": 2\n  }\n}');
});

test("outcome members are cut out exactly as written", () => {
  const text =
    '{"status":201,"code":null,"issues":[],"item":{"PK": "x\\"}]", "Version": 1},' +
    '"delta":{"Imms": {"DOSE_AMOUNT": 1.0, "BIG": 1E+400, "L": [1, [2], {"k": "}"}]}},"n":-0.0}';
  const members = memberTexts(text);
  assert.deepEqual(Object.keys(members), ["status", "code", "issues", "item", "delta", "n"]);
  assert.equal(members.status, "201");
  assert.equal(members.code, "null");
  assert.equal(members.issues, "[]");
  assert.equal(members.item, '{"PK": "x\\"}]", "Version": 1}');
  assert.equal(members.delta, '{"Imms": {"DOSE_AMOUNT": 1.0, "BIG": 1E+400, "L": [1, [2], {"k": "}"}]}}');
  assert.equal(members.n, "-0.0");
  assert.deepEqual(JSON.parse(members.item), { PK: 'x"}]', Version: 1 });
  assert.deepEqual(memberTexts(" { } "), {});
  assert.deepEqual(memberTexts("[1]"), {});
  assert.deepEqual(memberTexts(""), {});
  assert.deepEqual(memberTexts('{"a": 1, "b"'), { a: "1" }, "a cut-off text yields the members before the cut");
});
