// The web and bundler builds answer like the Node build, and the packed package installs
// and loads from another project (ES module and CommonJS).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { check as nodeCheck } from "imms-check";
import { initSync, check as webCheck } from "imms-check/web";

const root = fileURLToPath(new URL("../..", import.meta.url));
const sample = readFileSync(join(root, "www/samples/completed_flu_immunization_event.json"), "utf8");
/** The outcome less the illustrative stream attributes, which follow the clock. */
function withoutClock({ deltaIllustrative, ...outcome }) {
  return outcome;
}

const request = { operation: "create", supplierSystem: "EMIS", id: "c209055b-8d9d-4672-b275-2ca0982b1814", body: sample };

test("the web build, initialised with the module's bytes, answers as the Node build", () => {
  initSync({ module: readFileSync(join(root, "pkg/web/imms_check_bg.wasm")) });
  const outcome = webCheck(request);
  assert.equal(outcome.status, 201);
  assert.deepEqual(withoutClock(outcome), withoutClock(nodeCheck(request)));
});

test("the bundler build (the .wasm imported as an ES module) answers as the Node build", () => {
  const script = `import { check } from ${JSON.stringify(join(root, "pkg/bundler/imms_check.js"))};
    process.stdout.write(JSON.stringify(check(${JSON.stringify(request)})));`;
  const output = execFileSync(
    process.execPath,
    ["--experimental-wasm-modules", "--no-warnings", "--input-type=module", "-e", script],
    { encoding: "utf8" },
  );
  assert.deepEqual(withoutClock(JSON.parse(output)), withoutClock(nodeCheck(request)));
});

test("the packed package installs into another project and loads by import and require", () => {
  const project = mkdtempSync(join(tmpdir(), "imms-check-consumer-"));
  try {
    const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", project], {
      cwd: root,
      encoding: "utf8",
    }).trim().split("\n").pop();
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    execFileSync("npm", ["install", "--silent", "--no-audit", "--no-fund", "--offline", join(project, packed)], {
      cwd: project,
    });
    const body = JSON.stringify(request);
    const esm = `import { check, version } from "imms-check";
      const o = check(${body}); process.stdout.write(o.status + " " + version());`;
    const cjs = `const { check, version } = require("imms-check");
      const o = check(${body}); process.stdout.write(o.status + " " + version());`;
    const run = (args) => execFileSync(process.execPath, args, { cwd: project, encoding: "utf8" });
    const expected = `201 ${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}`;
    assert.equal(run(["--input-type=module", "-e", esm]), expected);
    assert.equal(run(["-e", cjs]), expected);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});
