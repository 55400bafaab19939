// Renders an outcome into the results panel. Every value from the request or the outcome is
// set as text (textContent or text nodes), never parsed as HTML.

import { el, byId, replaceChildren } from "./dom.js";
import { reindent, pythonDumps, memberTexts } from "./json-text.js";
import { setCode } from "./highlight.js";

const REASONS = {
  200: "OK",
  201: "Created",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

const ICONS = { accepted: "✓", rejected: "✕", error: "!", pending: "…" };

/** The HTTP status line's words: "201 Created". */
export function statusText(status) {
  const reason = REASONS[status];
  return reason ? `${status} ${reason}` : String(status);
}

/** The OperationOutcome the service sends with a rejection (upstream create_operation_outcome). */
export function operationOutcome(id, code, diagnostics) {
  return {
    resourceType: "OperationOutcome",
    id,
    meta: { profile: ["https://simplifier.net/guide/UKCoreDevelopment2/ProfileUKCore-OperationOutcome"] },
    issue: [
      {
        severity: "error",
        code,
        details: { coding: [{ system: "https://fhir.nhs.uk/Codesystem/http-error-codes", code: code.toUpperCase() }] },
        diagnostics,
      },
    ],
  };
}

function setStatusBox(state, headline, detail, response, timing) {
  const box = byId("status-box");
  box.className = `status status--${state}`;
  box.dataset.state = state;
  box.querySelector(".status-icon").textContent = ICONS[state] ?? "";
  byId("status").textContent = headline;
  byId("status-detail").textContent = detail;
  byId("status-response").textContent = response;
  byId("status-response").hidden = !response;
  byId("status-timing").textContent = timing ?? "";
}

/** Shows a state without an outcome: loading, a field that cannot be sent, a checker failure. */
export function renderMessage(state, headline, detail) {
  setStatusBox(state, headline, detail, "", "");
  clearResults(state === "pending" ? "" : "No result: the request was not checked.");
}

function clearResults(note) {
  replaceChildren(byId("issues"));
  byId("issues-section").hidden = true;
  byId("diagnostics").textContent = "";
  byId("diagnostics-section").hidden = true;
  byId("diagnostics-empty").hidden = true;
  for (const [pre, empty] of [
    [["event-item", "event-item-dynamodb"], "event-empty"],
    [["resource"], "resource-empty"],
    [["delta-item"], "delta-empty"],
    [["operation-outcome"], "outcome-empty"],
  ]) {
    for (const id of pre) byId(id).textContent = "";
    showEmpty(empty, note);
  }
  syncFormatViews();
}

function showEmpty(id, note) {
  const node = byId(id);
  node.textContent = note;
  node.hidden = !note;
}

/** Which of the two event-item and OperationOutcome views is visible follows the radio buttons. */
export function syncFormatViews() {
  const eventFormat = document.querySelector('input[name="event-format"]:checked')?.value ?? "plain";
  const hasItem = byId("event-item").textContent !== "";
  byId("event-item").hidden = !hasItem || eventFormat !== "plain";
  byId("event-item-dynamodb").hidden = !hasItem || eventFormat !== "dynamodb";
  for (const id of ["resource", "delta-item", "operation-outcome"]) byId(id).hidden = byId(id).textContent === "";
}

/** JSON text laid out with two-space indents, every token as written. */
function laidOut(text) {
  return reindent(text).text ?? text;
}

/**
 * Renders `outcome` for `request`: `outcomeText` is the package's `checkJson()` text and
 * `outcome` its JSON.parse. The items are shown from the text, so that numbers read as the
 * service writes them. `onIssue(issue)` is called when an issue is activated; `context`:
 * { lineCount, millis, outcomeId }.
 */
export function renderOutcome(outcome, outcomeText, request, context, onIssue) {
  const texts = memberTexts(outcomeText);
  const accepted = outcome.status >= 200 && outcome.status < 300;
  const state = accepted ? "accepted" : "rejected";
  const headline = `${accepted ? "Accepted" : "Rejected"} — ${statusText(outcome.status)}`;
  const issues = Array.isArray(outcome.issues) ? outcome.issues : [];
  const item = outcome.item ?? null;

  let detail;
  let response;
  if (accepted) {
    const stored = [];
    if (outcome.vaccineType) stored.push(`vaccine type ${outcome.vaccineType}`);
    if (item && Number.isFinite(item.Version) && request.operation !== "delete") stored.push(`version ${item.Version}`);
    detail =
      request.operation === "delete"
        ? "The service marks the stored record deleted."
        : `The service stores the record${stored.length ? ` — ${stored.join(", ")}` : ""}.`;
    const headers = [];
    if (request.operation === "create" && item?.PK) headers.push(`Location: …/Immunization/${item.PK.replace(/^Immunization#/, "")}`);
    if (item && item.Version !== undefined && request.operation !== "delete") headers.push(`E-Tag: ${item.Version}`);
    headers.push("no body");
    response = headers.join(" · ");
  } else {
    const count = issues.length;
    detail =
      count === 0
        ? "The service answers with an OperationOutcome."
        : `${count} ${count === 1 ? "issue" : "issues"} found. Select one to see it in the body.`;
    response = outcome.code ? `OperationOutcome · issue[0].code: ${outcome.code}` : "";
  }
  const timing = context.millis === undefined ? "" : `Checked in ${formatMillis(context.millis)}`;
  setStatusBox(state, headline, detail, response, timing);

  // Diagnostics: exactly the service's text; empty when accepted.
  const diagnostics = accepted ? "" : (outcome.diagnostics ?? "");
  byId("diagnostics").textContent = diagnostics;
  byId("diagnostics").hidden = diagnostics === "";
  // An accepted request has no diagnostics: the section stays in the page, empty and hidden.
  byId("diagnostics-section").hidden = accepted;
  const diagnosticsEmpty = byId("diagnostics-empty");
  diagnosticsEmpty.hidden = accepted || diagnostics !== "";
  diagnosticsEmpty.textContent = "The service sends no diagnostics.";

  renderIssues(issues, context.lineCount, onIssue);

  // Previews.
  const rejectedNote = "Nothing is written: the service rejects this request.";
  if (item) {
    setCode(byId("event-item"), laidOut(texts.item));
    setCode(byId("event-item-dynamodb"), laidOut(texts.itemDynamodb ?? "{}"));
    showEmpty("event-empty", "");
    if (typeof item.Resource === "string") {
      const formatted = reindent(item.Resource);
      setCode(byId("resource"), formatted.text ?? item.Resource);
      showEmpty("resource-empty", "");
    } else {
      byId("resource").textContent = "";
      showEmpty("resource-empty", "This item has no Resource attribute.");
    }
  } else {
    byId("event-item").textContent = "";
    byId("event-item-dynamodb").textContent = "";
    byId("resource").textContent = "";
    showEmpty("event-empty", accepted ? "No event item for this request." : rejectedNote);
    showEmpty("resource-empty", accepted ? "No stored Resource for this request." : rejectedNote);
  }
  if (outcome.delta) {
    setCode(byId("delta-item"), laidOut(texts.delta));
    showEmpty("delta-empty", "");
  } else {
    byId("delta-item").textContent = "";
    showEmpty("delta-empty", accepted ? "No delta item for this request." : rejectedNote);
  }
  if (!accepted && outcome.code) {
    const body = operationOutcome(context.outcomeId, outcome.code, outcome.diagnostics ?? "");
    const format = document.querySelector('input[name="outcome-format"]:checked')?.value ?? "pretty";
    setCode(byId("operation-outcome"), format === "wire" ? pythonDumps(body) : pythonDumps(body, 2));
    showEmpty("outcome-empty", "");
  } else {
    byId("operation-outcome").textContent = "";
    const answer = {
      create: "201 Created with Location and E-Tag headers",
      update: "200 OK with an E-Tag header",
      delete: "204 No Content",
    }[request.operation];
    showEmpty("outcome-empty", `None: the service answers ${answer ?? statusText(outcome.status)} and no body.`);
  }
  syncFormatViews();
  return state;
}

function formatMillis(ms) {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

function renderIssues(issues, lineCount, onIssue) {
  const list = byId("issues");
  const items = issues.map((issue, index) => {
    const line = Number.isInteger(issue.line) && issue.line >= 1 ? issue.line : null;
    const column = Number.isInteger(issue.column) && issue.column >= 1 ? issue.column : null;
    const place = line
      ? el("span", { class: "issue-place" }, `Line ${line}`, column ? `, column ${column}` : "")
      : el("span", { class: "issue-place issue-place--none" }, "No location in the body");
    const location = issue.location ? el("code", { class: "issue-location" }, issue.location) : null;
    const content = [
      el("span", { class: "issue-index", attrs: { "aria-hidden": "true" } }, String(index + 1)),
      el(
        "span",
        { class: "issue-body" },
        el("span", { class: "issue-message" }, issue.message ?? ""),
        el("span", { class: "issue-meta" }, location, place),
      ),
    ];
    const body = line
      ? el(
          "button",
          {
            type: "button",
            class: "issue-target",
            title: `Show line ${line} in the body`,
            on: { click: () => onIssue(issue) },
          },
          content,
        )
      : el("div", { class: "issue-target issue-target--unplaced" }, content);
    return el("li", { class: line ? "issue" : "issue issue--unplaced", dataset: line ? { line: String(line) } : {} }, body);
  });
  replaceChildren(list, items);
  byId("issues-section").hidden = items.length === 0;
  const onOneLine = lineCount === 1 && issues.some((issue) => issue.line);
  byId("issues-note").textContent =
    items.length === 0
      ? ""
      : onOneLine
        ? "The body is on one line: Format spreads it out so each issue has its own line."
        : "Select an issue to show it in the body";
  byId("issues-heading").textContent = `Issues (${items.length})`;
}
