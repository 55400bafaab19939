// Throughput of the Wasm package in Node — `check` (the outcome as JS objects) and
// `checkJson` (the same outcome as its JSON text) — by category of the service's answer, against the Python floor (json.loads + json.dumps of the same bodies,
// bench/python_floor.py) timed in the same run, pass for pass; and, when the native
// benchmark's results are there (target/imms-bench/native.json, written by
// `cargo bench --bench check`), the ratio Wasm / native.
//
//   npm run build                      # pkg/node
//   node bench/wasm.mjs [--corpus FILE.jsonl] [--rounds N] [--warmup N] [--sample-ms MS] [--only CATEGORY]
//   node bench/wasm.mjs --scaling DIR  # time and Wasm memory growth for each DIR/scaling-*.json
//                                      # (bodies written by `cargo bench --bench scaling -- --write-bodies DIR`)
//
// Times are CPU time per request, medians over the rounds: of Node's main thread, the
// one that runs the module (Python's floor is its thread's CPU time, time.thread_time),
// and of the whole Node process, which adds V8's helper threads (garbage collection,
// compilation); wall-clock medians are reported beside them.

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

const mainThreadStat = `/proc/self/task/${process.pid}/schedstat`;

/**
 * CPU µs used so far by this thread (the main thread: the module runs on it), or null
 * where it cannot be read: `process.threadCpuUsage` (Node 23.9 and later), else Linux's
 * per-thread scheduler statistics (nanoseconds on the CPU, brought up to date at each
 * scheduler tick, so a reading may lag by one tick: a few ms).
 */
function mainThreadCpuUs() {
  if (typeof process.threadCpuUsage === "function") {
    const used = process.threadCpuUsage();
    return used.user + used.system;
  }
  try {
    const ns = Number(readFileSync(mainThreadStat, "utf8").split(" ")[0]);
    return Number.isFinite(ns) ? ns / 1000 : null;
  } catch {
    return null;
  }
}

/** Shortest timed sample: long enough that a reading lagging by a scheduler tick is a small error. */
const MIN_SAMPLE_MS = Number(option("--sample-ms", "400"));

/**
 * Runs `pass` (over `items` items) once, or as many times as it takes to fill
 * `minMs`: [wall µs, process CPU µs, main-thread CPU µs or null] per item.
 */
function timePerItem(items, pass, minMs = MIN_SAMPLE_MS) {
  const cpu = process.cpuUsage();
  const thread = mainThreadCpuUs();
  const wall = process.hrtime.bigint();
  const until = wall + BigInt(minMs) * 1_000_000n;
  let done = 0;
  do {
    pass();
    done += items;
  } while (process.hrtime.bigint() < until);
  const wallUs = Number(process.hrtime.bigint() - wall) / 1000;
  const threadUs = thread === null ? null : mainThreadCpuUs() - thread;
  const used = process.cpuUsage(cpu);
  return [wallUs / done, (used.user + used.system) / done, threadUs === null ? null : threadUs / done];
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

  /** One timed sample of the category, filling MIN_SAMPLE_MS as the module's samples do. */
  async pass(category) {
    this.child.stdin.write(`${category} ${MIN_SAMPLE_MS}\n`);
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
  // V8 compiles the module's hot functions again, optimised, on helper threads during
  // the first passes; steady state is what a pipeline of requests sees.
  const warmup = Number(option("--warmup", "3"));
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
  const times = () => new Map(names.map((n) => [n, { wall: [], cpu: [], thread: [] }]));
  const wasm = times();
  const text = times();
  const floor = times();
  const record = (series, [wall, cpu, thread]) => {
    series.wall.push(wall);
    series.cpu.push(cpu);
    if (thread !== null) series.thread.push(thread);
  };
  for (let round = 0; round < warmup + rounds; round++) {
    for (const name of names) {
      const requests = groups.get(name);
      const objects = timePerItem(requests.length, () => {
        for (const request of requests) imms.check(request);
      });
      const texts = timePerItem(requests.length, () => {
        for (const request of requests) imms.checkJson(request);
      });
      const py = python ? await python.pass(name) : null;
      if (round < warmup) continue;
      record(wasm.get(name), objects);
      record(text.get(name), texts);
      if (py) record(floor.get(name), [py[0], py[1], null]);
    }
  }
  python?.stop();

  const nativePath = join(root, "target/imms-bench/native.json");
  const native = existsSync(nativePath) ? JSON.parse(readFileSync(nativePath, "utf8")) : null;
  console.log(
    `corpus ${corpus} (${scenarios.length} requests; status agrees with the recorded answer for ${sameStatus}), ` +
      `${rounds} rounds after ${warmup} warm-up rounds, medians; Node ${process.version}`,
  );
  if (python) console.log(`Python floor: ${python.version} json.loads + json.dumps of the same bodies`);
  console.log(
    "\n`checkJson` returns the outcome as JSON text; `check` returns it as JS objects (V8's JSON.parse builds them).\n" +
      "Thread: CPU time of the thread that runs the check (Node's main thread; Python's one thread).\n" +
      "Process: CPU time of the whole Node process, adding V8's helper threads (garbage collection, compilation).\n" +
      "\n| category | requests | checkJson µs (thread) | checkJson requests/s | check µs (thread) | Python floor µs | " +
      "floor ÷ checkJson (thread) | floor ÷ check (thread) | checkJson µs (process) | floor ÷ checkJson (process) | " +
      "checkJson µs (wall) | native µs | checkJson ÷ native |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  const report = {};
  const medianOf = (values) => (values.length ? median(values) : null);
  const cell = (value, digits = 2) => (value === null ? "-" : value.toFixed(digits));
  const ratio = (a, b) => (a === null || b === null ? null : a / b);
  for (const name of names) {
    const objects = wasm.get(name);
    const texts = text.get(name);
    const checkThread = medianOf(objects.thread);
    const textThread = medianOf(texts.thread);
    const textCpu = medianOf(texts.cpu);
    const py = medianOf(floor.get(name).cpu);
    const nativeUs = native?.categories?.[name]?.cpu_us ?? null;
    // Where the thread's time cannot be read, the process's stands in for it.
    const textUs = textThread ?? textCpu;
    console.log(
      `| ${name} | ${groups.get(name).length} | ${cell(textThread)} | ${(1e6 / textUs).toFixed(0)} | ${cell(checkThread)} | ` +
        `${cell(py)} | ${cell(ratio(py, textThread))} | ${cell(ratio(py, checkThread))} | ${cell(textCpu)} | ` +
        `${cell(ratio(py, textCpu))} | ${cell(medianOf(texts.wall))} | ${cell(nativeUs)} | ${cell(ratio(textUs, nativeUs))} |`,
    );
    report[name] = {
      requests: groups.get(name).length,
      check_json_thread_cpu_us: textThread,
      check_json_cpu_us: textCpu,
      check_json_wall_us: medianOf(texts.wall),
      check_thread_cpu_us: checkThread,
      check_cpu_us: medianOf(objects.cpu),
      check_wall_us: medianOf(objects.wall),
      python_cpu_us: py,
      python_wall_us: medianOf(floor.get(name).wall),
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
  for (let i = 0; i < runs; i++) times.push(timePerItem(1, () => imms.check(request), 0)[1] / 1000);
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
