// The size of the release module (npm run test:size). The goal is at most 400 KiB raw
// and 150 KiB gzip (level 9); until the module gets there, this test holds the line at
// the ceiling recorded in tests/node/size-ceiling.json (lowered as the module shrinks),
// so that no change makes it larger unnoticed, and reports the distance to the goal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const GOAL_RAW = 400 * 1024;
const GOAL_GZIP = 150 * 1024;
const ceiling = JSON.parse(readFileSync(new URL("./size-ceiling.json", import.meta.url), "utf8"));

test("the release module does not grow past its recorded ceiling", (t) => {
  const wasm = readFileSync(new URL("../../pkg/web/imms_check_bg.wasm", import.meta.url));
  const gzip = gzipSync(wasm, { level: 9 }).length;
  t.diagnostic(`imms_check_bg.wasm: ${wasm.length} bytes raw, ${gzip} bytes gzip`);
  t.diagnostic(
    `goal ${GOAL_RAW} raw / ${GOAL_GZIP} gzip: ` +
      (wasm.length <= GOAL_RAW && gzip <= GOAL_GZIP
        ? "met"
        : `${Math.max(0, wasm.length - GOAL_RAW)} raw and ${Math.max(0, gzip - GOAL_GZIP)} gzip bytes over`),
  );
  assert.ok(wasm.length <= ceiling.raw, `raw size ${wasm.length} exceeds the ceiling ${ceiling.raw}`);
  assert.ok(gzip <= ceiling.gzip, `gzip size ${gzip} exceeds the ceiling ${ceiling.gzip}`);
});
