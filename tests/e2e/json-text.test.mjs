// The page's JSON text helpers, in Node: Format changes only whitespace, the OperationOutcome
// is laid out as Python's json.dumps lays it out, and items convert to DynamoDB JSON.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { reindent, pythonString, pythonDumps, dynamoDbItem, jsonText } from "../../www/js/json-text.js";
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

test("items as DynamoDB attribute-value JSON", () => {
  assert.deepEqual(dynamoDbItem({ PK: "Immunization#1", Version: 2, Flag: true, Gone: null, L: ["a", 1], M: { k: "v" } }), {
    PK: { S: "Immunization#1" },
    Version: { N: "2" },
    Flag: { BOOL: true },
    Gone: { NULL: true },
    L: { L: [{ S: "a" }, { N: "1" }] },
    M: { M: { k: { S: "v" } } },
  });
});

test("item JSON keeps numbers Python writes that JSON.stringify would not", () => {
  const value = { a: Infinity, b: -Infinity, c: NaN, d: -0, e: 0.5, f: [], g: {}, h: "x" };
  assert.equal(
    jsonText(value),
    '{\n  "a": Infinity,\n  "b": -Infinity,\n  "c": NaN,\n  "d": -0.0,\n  "e": 0.5,\n  "f": [],\n  "g": {},\n  "h": "x"\n}',
  );
  const plain = { PK: "x", Version: 3, nested: { list: [1, "two", null, false] } };
  assert.equal(jsonText(plain), JSON.stringify(plain, null, 2));
});
