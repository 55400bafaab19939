// The size budget of the release module (npm run test:size): at most 400 KiB raw and
// 150 KiB gzip-compressed (level 9).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const RAW_BUDGET = 400 * 1024;
const GZIP_BUDGET = 150 * 1024;

test("the release module stays within the size budget", (t) => {
  const wasm = readFileSync(new URL("../../pkg/web/imms_check_bg.wasm", import.meta.url));
  const gzip = gzipSync(wasm, { level: 9 }).length;
  t.diagnostic(`imms_check_bg.wasm: ${wasm.length} bytes raw, ${gzip} bytes gzip`);
  assert.ok(wasm.length <= RAW_BUDGET, `raw size ${wasm.length} exceeds ${RAW_BUDGET}`);
  assert.ok(gzip <= GZIP_BUDGET, `gzip size ${gzip} exceeds ${GZIP_BUDGET}`);
});
