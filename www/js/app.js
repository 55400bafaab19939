// The page: request controls, the body editor, live checking through the WebAssembly build
// of imms-check, and the results panel. Nothing is fetched, stored or sent: the module and the
// samples arrive as scripts, and the Content-Security-Policy forbids every connection.

import { byId, el } from "./dom.js";
import { CodeEditor } from "./editor.js";
import { reindent } from "./json-text.js";
import { renderOutcome, renderMessage, syncFormatViews } from "./render.js";

const SAMPLE_LABELS = {
  completed_covid_immunization_event: "COVID-19 — completed",
  completed_covid_immunization_event_mandatory_fields_only: "COVID-19 — mandatory fields only",
  completed_flu_immunization_event: "Flu — completed",
  completed_hpv_immunization_event: "HPV — completed",
  completed_mmr_immunization_event: "MMR — completed",
  completed_rsv_immunization_event: "RSV — completed",
  reduce_validation_hpv_immunization_event: "HPV — reduced validation",
};
const DEFAULT_SAMPLE = "completed_covid_immunization_event";
const DEFAULT_SUPPLIER = "EMIS";
const MAX_FILE_BYTES = 20 * 1024 * 1024;

const controls = {
  operation: byId("operation"),
  id: byId("resource-id"),
  supplier: byId("supplier"),
  version: byId("version"),
  timestamp: byId("timestamp"),
  permissions: byId("permissions"),
};
const editor = new CodeEditor(byId("editor"));
const checkButton = byId("check");
const results = byId("results");

let engine = null; // { checkJson }
let samples = [];
let timer = null;
let lastKey = null;
let lastState = null;
let checks = 0;
const outcomeId = newUuid();

function newUuid() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function announce(text) {
  const node = byId("announcer");
  node.textContent = "";
  requestAnimationFrame(() => (node.textContent = text));
}

// ----- Request -------------------------------------------------------------------------------

/** The request the controls describe, or `{ error }` naming the field that cannot be sent. */
function currentRequest() {
  const operation = controls.operation.value;
  const timestampText = controls.timestamp.value.trim();
  let timestamp = null;
  if (timestampText !== "") {
    if (!/^-?\d{1,15}$/.test(timestampText)) {
      return { error: "The timestamp must be whole seconds since 1970-01-01 UTC (for example 1712345678).", field: controls.timestamp };
    }
    timestamp = Number(timestampText);
  }
  const supplier = controls.supplier.value;
  const version = controls.version.value;
  const request = {
    operation,
    body: editor.value,
    id: controls.id.value,
    supplierSystem: supplier === "" ? null : supplier,
    version: operation !== "create" && version !== "" ? version : null,
    timestamp,
  };
  if (controls.permissions.value) request.permissions = controls.permissions.value;
  return { request };
}

function describeTimestamp() {
  const hint = byId("timestamp-hint");
  const text = controls.timestamp.value.trim();
  const valid = text === "" || /^-?\d{1,15}$/.test(text);
  controls.timestamp.setAttribute("aria-invalid", String(!valid));
  if (!valid) hint.textContent = "Whole epoch seconds, e.g. 1712345678";
  else if (text === "") hint.textContent = "Empty: the current time";
  else {
    const date = new Date(Number(text) * 1000);
    hint.textContent = Number.isNaN(date.getTime())
      ? "Epoch seconds"
      : `${date.toISOString().replace("T", " ").replace(".000Z", "")} UTC`;
  }
}

let stashedVersion = "";

function describeOperation() {
  const operation = controls.operation.value;
  // Create sends no version: the field is emptied and its value kept for update and delete.
  if (operation === "create" && controls.version.value !== "") {
    stashedVersion = controls.version.value;
    controls.version.value = "";
  } else if (operation !== "create" && controls.version.value === "") {
    controls.version.value = stashedVersion || "1";
  }
  controls.version.disabled = operation === "create";
  byId("version-hint").textContent = {
    create: "Not sent",
    update: "E-Tag header",
    delete: "Stored version",
  }[operation];
  byId("operation-hint").textContent = {
    create: "A new record",
    update: "Replaces a record",
    delete: "Removes a record",
  }[operation];
  byId("resource-id-hint").textContent = {
    create: "POST /Immunization: the id the service assigns",
    update: "PUT /Immunization/{id}: must equal the body’s id",
    delete: "DELETE /Immunization/{id}",
  }[operation];
  byId("new-id").hidden = operation !== "create";
  byId("payload-label").textContent =
    operation === "delete" ? "Stored resource (the record to delete; empty: no record)" : "Body";
}

// ----- Checking ------------------------------------------------------------------------------

function scheduleCheck() {
  clearTimeout(timer);
  const size = editor.value.length;
  timer = setTimeout(() => runCheck(false), size > 1_000_000 ? 400 : size > 100_000 ? 200 : 120);
}

function runCheck(force) {
  clearTimeout(timer);
  timer = null;
  if (!engine) return;
  const { request, error, field } = currentRequest();
  if (error) {
    lastKey = null;
    lastState = "error";
    renderMessage("error", "Not checked — fix the request options", error);
    field?.setAttribute("aria-invalid", "true");
    return;
  }
  const key = JSON.stringify(request);
  if (!force && key === lastKey) return;
  lastKey = key;
  let outcomeText;
  const started = performance.now();
  try {
    outcomeText = engine.checkJson(request);
  } catch (failure) {
    lastState = "error";
    renderMessage("error", "Not checked — the checker failed", String(failure?.message ?? failure));
    return;
  }
  const millis = performance.now() - started;
  const outcome = JSON.parse(outcomeText);
  const state = renderOutcome(outcome, outcomeText, request, { lineCount: editor.lineCount, millis, outcomeId }, showIssue);
  editor.setMarkedLines(
    (outcome.issues ?? []).map((issue) => issue.line).filter((line) => Number.isInteger(line)),
  );
  if (state !== lastState) selectTab(state === "accepted" ? "tab-event" : "tab-outcome", false);
  lastState = state;
  checks++;
  results.dataset.checks = String(checks);
  results.dataset.millis = millis.toFixed(3);
  results.dataset.state = state;
  document.title = `${state === "accepted" ? "✓" : "✕"} ${outcome.status} — imms-check`;
}

// A click on a gutter mark shows that line's first issue in the list.
editor.onMarkClick = (line) => {
  const item = byId("issues").querySelector(`li[data-line="${line}"]`);
  if (!item) return;
  item.scrollIntoView({ block: "nearest" });
  item.classList.add("flash");
  setTimeout(() => item.classList.remove("flash"), 900);
};

function showIssue(issue) {
  if (!editor.revealLine(issue.line, issue.column)) announce("That line is no longer in the body.");
  updateEditorMeta();
}

// ----- Editor chrome -------------------------------------------------------------------------

function updateEditorMeta() {
  const { line, column } = editor.caret();
  const bytes = new TextEncoder().encode(editor.value).length;
  const size = bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
  byId("editor-meta").textContent = `Ln ${line}, Col ${column} · ${editor.lineCount} ${editor.lineCount === 1 ? "line" : "lines"} · ${size}`;
}

function loadText(text, label) {
  editor.value = text;
  editor.setMarkedLines([]);
  updateEditorMeta();
  if (controls.operation.value === "create") controls.id.value = newUuid();
  runCheck(true);
  if (label) announce(`Loaded ${label}`);
}

async function openFile(file) {
  if (!file) return;
  if (file.size > MAX_FILE_BYTES) {
    announce(`${file.name} is larger than 20 MB and was not opened.`);
    renderMessage("error", "Not opened — the file is too large", `${file.name}: ${file.size} bytes (at most ${MAX_FILE_BYTES}).`);
    return;
  }
  // Decoded as UTF-8 with any byte-order mark kept, as the service would receive it.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await file.arrayBuffer());
  byId("samples").value = "";
  loadText(text, file.name);
}

function formatBody() {
  const result = reindent(editor.value);
  if (result.error) {
    announce(`Not formatted: ${result.error}`);
    byId("editor-meta").textContent = `Not formatted: ${result.error}`;
    return;
  }
  if (result.text === editor.value) return;
  // Replace through the editing command so the change can be undone with Ctrl+Z.
  editor.textarea.focus();
  editor.textarea.select();
  if (!document.execCommand("insertText", false, result.text)) editor.value = result.text;
  editor.textarea.setSelectionRange(0, 0);
  editor.textarea.scrollTop = 0;
  editor.refresh();
  updateEditorMeta();
  runCheck(true);
}

// ----- Tabs, formats and copying ---------------------------------------------------------------

const tabs = [...document.querySelectorAll('[role="tab"]')];

function selectTab(id, focus) {
  for (const tab of tabs) {
    const selected = tab.id === id;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    byId(tab.getAttribute("aria-controls")).hidden = !selected;
    if (selected && focus) tab.focus();
  }
}

for (const tab of tabs) {
  tab.addEventListener("click", () => selectTab(tab.id, false));
  tab.addEventListener("keydown", (event) => {
    const at = tabs.indexOf(tab);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length].id, true);
  });
}

for (const radio of document.querySelectorAll('input[name="event-format"]')) {
  radio.addEventListener("change", syncFormatViews);
}
for (const radio of document.querySelectorAll('input[name="outcome-format"]')) {
  radio.addEventListener("change", () => runCheck(true));
}

const COPY_SOURCES = {
  diagnostics: () => byId("diagnostics"),
  event: () => (byId("event-item").hidden ? byId("event-item-dynamodb") : byId("event-item")),
  resource: () => byId("resource"),
  delta: () => byId("delta-item"),
  outcome: () => byId("operation-outcome"),
};

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = el("textarea", { class: "visually-hidden", value: text, attrs: { "aria-hidden": "true" } });
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  const label = button.textContent;
  button.addEventListener("click", async () => {
    const text = COPY_SOURCES[button.dataset.copy]().textContent;
    if (!text) {
      announce("Nothing to copy.");
      return;
    }
    const ok = await copyText(text);
    button.textContent = ok ? "Copied" : "Copy failed";
    button.classList.toggle("copied", ok);
    announce(ok ? "Copied to the clipboard." : "Could not copy: select the text and copy it.");
    setTimeout(() => {
      button.textContent = label;
      button.classList.remove("copied");
    }, 1500);
  });
}

// ----- Wiring ----------------------------------------------------------------------------------

editor.textarea.addEventListener("input", () => {
  updateEditorMeta();
  scheduleCheck();
});
for (const type of ["keyup", "click", "select"]) editor.textarea.addEventListener(type, updateEditorMeta);

for (const control of Object.values(controls)) {
  control.addEventListener("input", () => {
    if (control === controls.timestamp) describeTimestamp();
    scheduleCheck();
  });
}
controls.permissions.addEventListener("change", () => runCheck(true));
controls.operation.addEventListener("change", () => {
  describeOperation();
  runCheck(true);
});
byId("controls").addEventListener("submit", (event) => {
  event.preventDefault();
  runCheck(true);
});
checkButton.addEventListener("click", () => runCheck(true));
byId("new-id").addEventListener("click", () => {
  controls.id.value = newUuid();
  runCheck(true);
});
byId("now").addEventListener("click", () => {
  controls.timestamp.value = String(nowSeconds());
  describeTimestamp();
  runCheck(true);
});
byId("format").addEventListener("click", formatBody);
byId("samples").addEventListener("change", (event) => {
  const sample = samples.find((s) => s.name === event.target.value);
  if (sample) loadText(sample.text, SAMPLE_LABELS[sample.name] ?? sample.name);
});
byId("open-file").addEventListener("change", (event) => {
  openFile(event.target.files?.[0]);
  event.target.value = "";
});
byId("theme").addEventListener("change", (event) => {
  if (event.target.value) document.documentElement.dataset.theme = event.target.value;
  else delete document.documentElement.dataset.theme;
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    runCheck(true);
  }
});

// Drag and drop: a dropped file replaces the body; anywhere else a drop is ignored rather
// than letting the browser navigate away to the file.
const frame = byId("editor-frame");
let dragDepth = 0;
const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes("Files");
frame.addEventListener("dragenter", (event) => {
  if (!hasFiles(event)) return;
  dragDepth++;
  frame.classList.add("dragging");
});
frame.addEventListener("dragleave", () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) frame.classList.remove("dragging");
});
window.addEventListener("dragover", (event) => {
  if (hasFiles(event)) event.preventDefault();
});
window.addEventListener("drop", (event) => {
  if (!hasFiles(event)) return;
  event.preventDefault();
  dragDepth = 0;
  frame.classList.remove("dragging");
  if (frame.contains(event.target)) openFile(event.dataTransfer.files[0]);
});

// ----- Start -----------------------------------------------------------------------------------

function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let k = 0; k < binary.length; k++) bytes[k] = binary.charCodeAt(k);
  return bytes;
}

async function start() {
  controls.operation.value = "create";
  controls.id.value = newUuid();
  controls.supplier.value = DEFAULT_SUPPLIER;
  controls.timestamp.value = String(nowSeconds());
  describeOperation();
  describeTimestamp();
  renderMessage("pending", "Loading the checker…", "");
  let module;
  try {
    const [wasm, data, bindings] = await Promise.all([
      import("../gen/imms_check_bg.wasm.js"),
      import("../gen/samples.js"),
      import("../pkg/imms_check.js"),
    ]);
    await bindings.default({ module_or_path: decodeBase64(wasm.default) });
    module = bindings;
    samples = data.samples;
    const datalist = byId("supplier-names");
    for (const name of data.suppliers) datalist.appendChild(el("option", { value: name }));
    const select = byId("samples");
    for (const sample of samples) {
      select.appendChild(el("option", { value: sample.name, text: SAMPLE_LABELS[sample.name] ?? sample.name }));
    }
  } catch (failure) {
    renderMessage(
      "error",
      "The checker could not start",
      `${failure?.message ?? failure}. Build and serve the page with “npm start”.`,
    );
    return;
  }
  engine = { checkJson: module.checkJson };
  byId("engine-version").textContent = `imms-check ${module.version()}.`;
  checkButton.disabled = false;
  const first = samples.find((s) => s.name === DEFAULT_SAMPLE) ?? samples[0];
  if (first) {
    byId("samples").value = first.name;
    editor.value = first.text;
  }
  updateEditorMeta();
  runCheck(true);
  document.body.dataset.ready = "true";
}

start();
