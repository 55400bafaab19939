// Throughput of the Wasm package in Node — `check` (the outcome as JS objects) and
// `checkJson` (the same outcome as its JSON text) — by category of the service's answer, against the Python floor (json.loads + json.dumps of the same bodies,
// bench/python_floor.py) timed in the same run, pass for pass; and, when the native
// benchmark's results are there (target/imms-bench/native.json, written by
// `cargo bench --bench check`), the ratio Wasm / native.
//
//   npm run build                      # pkg/node
//   node bench/wasm.mjs [--corpus FILE.jsonl] [--rounds N] [--only CATEGORY]
//   node bench/wasm.mjs --scaling DIR  # time and Wasm memory growth for each DIR/scaling-*.json
//                                      # (bodies written by `cargo bench --bench scaling -- --write-bodies DIR`)
//
// Times are CPU time of the Node process (process.cpuUsage) per request, medians over
// the rounds; wall-clock medians are reported beside them.

import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const CATEGORIES = [
  "accepted", "validation", "structure", "malformed-json", "server-error", "other-400", "rejected", "all",
];

/** The category of a recorded answer, as tests/conformance.rs and the other benchmarks name it. */
function categoryOf(expect) {
  const diagnostics = expect.diagnostics ?? "";
  if (expect.status === 200 || expect.status === 201) return "accepted";
  if (expect.status === 500) return "server-error";
  if (diagnostics.startsWith("Request's body contains malformed JSON")) return "malformed-json";
  if (diagnostics.includes(" for Immunization\n")) return "structure";
  if (diagnostics.startsWith("Validation errors: ")) return "validation";
  return "other-400";
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Runs `pass` once: [wall µs, CPU µs] per item. */
function timePerItem(items, pass) {
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  pass();
  const wallUs = Number(process.hrtime.bigint() - wall) / 1000;
  const used = process.cpuUsage(cpu);
  return [wallUs / items, (used.user + used.system) / items];
}

function loadWasm() {
  const path = join(root, "pkg/node/imms_check.js");
  if (!existsSync(path)) {
    console.error("pkg/node is missing: run `npm run build` first");
    process.exit(2);
  }
  return require(path);
}

/** The Python floor as a child process answering one timed pass per category asked. */
class PythonFloor {
  static async start(corpus) {
    const child = spawn("python3", [join(root, "bench/python_floor.py"), corpus, "--serve"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ready = await lines.next();
    if (ready.done || !ready.value.startsWith("ready ")) return null;
    const floor = new PythonFloor();
    Object.assign(floor, { child, lines, version: ready.value.slice("ready ".length) });
    return floor;
  }

  async pass(category) {
    this.child.stdin.write(`${category}\n`);
    const answer = await this.lines.next();
    const [wall, cpu] = answer.value.split(" ").map(Number);
    return [wall, cpu];
  }

  stop() {
    this.child.kill();
  }
}

async function throughput() {
  const corpus = option("--corpus", join(root, "tests/conformance/public.jsonl"));
  const rounds = Number(option("--rounds", "15"));
  const only = option("--only", null);
  const imms = loadWasm();

  const scenarios = readFileSync(corpus, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
  let sameStatus = 0;
  for (const s of scenarios) {
    if (imms.check(s.request).status === s.expect.status) sameStatus += 1;
  }
  const groups = new Map();
  const add = (name, request) => {
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(request);
  };
  for (const s of scenarios) {
    const category = categoryOf(s.expect);
    add(category, s.request);
    if (category !== "accepted") add("rejected", s.request);
    add("all", s.request);
  }
  const names = CATEGORIES.filter((c) => groups.has(c) && (!only || only === c));

  const python = await PythonFloor.start(corpus);
  const wasm = new Map(names.map((n) => [n, { wall: [], cpu: [] }]));
  const text = new Map(names.map((n) => [n, { wall: [], cpu: [] }]));
  const floor = new Map(names.map((n) => [n, { wall: [], cpu: [] }]));
  for (let round = 0; round <= rounds; round++) {
    for (const name of names) {
      const requests = groups.get(name);
      const [wall, cpu] = timePerItem(requests.length, () => {
        for (const request of requests) imms.check(request);
      });
      const [textWall, textCpu] = timePerItem(requests.length, () => {
        for (const request of requests) imms.checkJson(request);
      });
      const py = python ? await python.pass(name) : null;
      if (round === 0) continue; // warm-up
      wasm.get(name).wall.push(wall);
      wasm.get(name).cpu.push(cpu);
      text.get(name).wall.push(textWall);
      text.get(name).cpu.push(textCpu);
      if (py) {
        floor.get(name).wall.push(py[0]);
        floor.get(name).cpu.push(py[1]);
      }
    }
  }
  python?.stop();

  const nativePath = join(root, "target/imms-bench/native.json");
  const native = existsSync(nativePath) ? JSON.parse(readFileSync(nativePath, "utf8")) : null;
  console.log(
    `corpus ${corpus} (${scenarios.length} requests; status agrees with the recorded answer for ${sameStatus}), ` +
      `${rounds} rounds, medians; Node ${process.version}`,
  );
  if (python) console.log(`Python floor: ${python.version} json.loads + json.dumps of the same bodies`);
  console.log(
    "\n`check` returns the outcome as JS objects (V8's JSON.parse builds them); `checkJson` returns the same outcome as JSON text.\n" +
      "\n| category | requests | check µs/request (CPU) | checkJson µs (CPU) | checkJson requests/s | wall µs (check) | Python floor µs (CPU) | floor ÷ check | floor ÷ checkJson | native µs | check ÷ native |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  const report = {};
  for (const name of names) {
    const cpu = median(wasm.get(name).cpu);
    const wall = median(wasm.get(name).wall);
    const textCpu = median(text.get(name).cpu);
    const py = floor.get(name).cpu.length ? median(floor.get(name).cpu) : null;
    const nativeUs = native?.categories?.[name]?.cpu_us ?? null;
    const cell = (value, digits = 2) => (value === null ? "-" : value.toFixed(digits));
    console.log(
      `| ${name} | ${groups.get(name).length} | ${cpu.toFixed(2)} | ${textCpu.toFixed(2)} | ${(1e6 / textCpu).toFixed(0)} | ${wall.toFixed(2)} | ` +
        `${cell(py)} | ${cell(py === null ? null : py / cpu)} | ${cell(py === null ? null : py / textCpu)} | ` +
        `${cell(nativeUs)} | ${cell(nativeUs === null ? null : cpu / nativeUs)} |`,
    );
    report[name] = {
      requests: groups.get(name).length,
      cpu_us: cpu,
      wall_us: wall,
      check_json_cpu_us: textCpu,
      python_cpu_us: py,
      native_cpu_us: nativeUs,
    };
  }
  mkdirSync(join(root, "target/imms-bench"), { recursive: true });
  const out = join(root, "target/imms-bench/wasm.json");
  writeFileSync(out, JSON.stringify({ corpus, rounds, status_agrees: sameStatus, node: process.version, categories: report }, null, 1) + "\n");
  console.log(`\nwritten ${out}`);
}

/** One body per child process, so that each Wasm memory starts small. */
async function scaling(dir) {
  const files = readdirSync(dir)
    .filter((f) => /^scaling-.*\.json$/.test(f))
    .map((f) => join(dir, f))
    .sort((a, b) => readFileSync(a).length - readFileSync(b).length);
  console.log("| body | bytes | answer | median CPU ms | µs per KB | Wasm memory growth | growth ÷ body |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const file of files) {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--scaling-one", file], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    for await (const chunk of child.stdout) out += chunk;
    process.stdout.write(out);
  }
}

function scalingOne(file) {
  // Keep hold of the module instance the package creates, to read its linear memory.
  const Instance = WebAssembly.Instance;
  let instance = null;
  WebAssembly.Instance = function (...args) {
    instance = new Instance(...args);
    return instance;
  };
  WebAssembly.Instance.prototype = Instance.prototype;
  const imms = loadWasm();
  WebAssembly.Instance = Instance;
  const linearMemory = () => instance?.exports?.memory?.buffer?.byteLength ?? null;
  const body = readFileSync(file, "utf8");
  const request = { operation: "create", supplierSystem: "TPP", id: "5a9c0b6e-0000-4000-8000-000000000001", body };
  imms.check({ ...request, body: "{}" });
  const baseline = linearMemory();
  const status = imms.check(request).status;
  const runs = body.length < 100_000 ? 51 : body.length < 2_000_000 ? 11 : 5;
  for (let i = 0; i < runs; i++) imms.check(request); // warm-up: let V8 optimise the hot functions
  const times = [];
  for (let i = 0; i < runs; i++) times.push(timePerItem(1, () => imms.check(request))[1] / 1000);
  const ms = median(times);
  const bytes = Buffer.byteLength(body);
  const label = file.replace(/^.*scaling-(.*)\.json$/, "$1").replace(/(\d)([KM]B)/, "$1 $2");
  // The Wasm linear memory only grows: its growth over the checks is their peak need.
  const mem = baseline === null ? null : linearMemory() - baseline;
  console.log(
    `| ${label} | ${bytes} | ${status} | ${ms.toFixed(2)} | ${((ms * 1000) / (bytes / 1024)).toFixed(2)} | ` +
      `${mem === null ? "-" : (mem / 1e6).toFixed(1) + " MB"} | ${mem === null ? "-" : (mem / bytes).toFixed(1)} |`,
  );
}

if (process.argv.includes("--scaling-one")) {
  scalingOne(option("--scaling-one"));
} else if (process.argv.includes("--scaling")) {
  await scaling(option("--scaling", join(root, "target/imms-bench/scaling")));
} else {
  await throughput();
}
