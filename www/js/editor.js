// A plain textarea with a line-number gutter, line markers for issues and coloured JSON.
// The textarea stays the real editor (native undo, selection, accessibility); the gutter, the
// marker layer and the coloured copy of the text are painted beside and behind it and follow
// its scroll position.

import { el } from "./dom.js";
import { highlighted } from "./highlight.js";

/**
 * Bodies longer than this are edited without colour: colouring is redone on every edit and
 * costs about 1 ms per 1.5 KB of text.
 */
const COLOUR_LIMIT = 32_000;

export class CodeEditor {
  /** `root`: the .editor element holding the gutter, the marker layer and the textarea. */
  constructor(root) {
    this.root = root;
    this.textarea = root.querySelector("textarea");
    this.numbers = root.querySelector(".gutter-numbers");
    this.gutterScroller = root.querySelector(".gutter-scroller");
    this.gutterMarks = root.querySelector(".gutter-marks");
    this.lineMarks = root.querySelector(".line-marks-scroller");
    this.colour = root.querySelector(".code-colour-text");
    this.colouredText = null;
    this.lineCount = 0;
    this.marked = new Map(); // line → number of issues
    this.focusLine = null;
    this.textarea.addEventListener("scroll", () => this.syncScroll());
    this.textarea.addEventListener("input", () => this.refresh());
    new ResizeObserver(() => this.syncScroll()).observe(this.textarea);
    this.refresh();
  }

  get value() {
    return this.textarea.value;
  }

  set value(text) {
    this.textarea.value = text;
    this.textarea.scrollTop = 0;
    this.textarea.scrollLeft = 0;
    this.textarea.setSelectionRange(0, 0);
    this.refresh();
  }

  /** The pixel height of one line and the textarea's top padding. */
  metrics() {
    const style = getComputedStyle(this.textarea);
    return { line: parseFloat(style.lineHeight) || 20, top: parseFloat(style.paddingTop) || 0 };
  }

  /** Repaints the line numbers after the text changed. */
  refresh() {
    const text = this.textarea.value;
    let count = 1;
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
    if (count !== this.lineCount) {
      this.lineCount = count;
      const parts = new Array(count);
      for (let k = 0; k < count; k++) parts[k] = k + 1;
      this.numbers.textContent = parts.join("\n");
      this.root.style.setProperty("--gutter-digits", String(Math.max(2, String(count).length)));
      this.paintMarks();
    }
    this.paintColour();
    this.syncScroll();
  }

  /**
   * Paints the coloured copy of the text that shows through the textarea (whose own text is
   * transparent while colouring is on). Long bodies are shown as plain textarea text.
   */
  paintColour() {
    const text = this.textarea.value;
    if (text === this.colouredText) return;
    const on = text.length <= COLOUR_LIMIT;
    this.root.classList.toggle("coloured", on);
    // A final newline gets a line of its own in a textarea but not in a <pre>.
    if (on) this.colour.replaceChildren(highlighted(text.endsWith("\n") ? text + " " : text));
    else this.colour.replaceChildren();
    this.colouredText = text;
  }

  syncScroll() {
    const y = `translateY(${-this.textarea.scrollTop}px)`;
    this.gutterScroller.style.transform = y;
    this.lineMarks.style.transform = y;
    this.colour.style.transform = `translate(${-this.textarea.scrollLeft}px, ${-this.textarea.scrollTop}px)`;
  }

  /** Marks the lines that carry issues (`lines`: iterable of 1-based line numbers). */
  setMarkedLines(lines) {
    this.marked = new Map();
    for (const line of lines) this.marked.set(line, (this.marked.get(line) ?? 0) + 1);
    this.focusLine = null;
    this.paintMarks();
  }

  paintMarks() {
    const { line: height, top } = this.metrics();
    const gutter = [];
    const rows = [];
    for (const [line, count] of this.marked) {
      if (line < 1 || line > this.lineCount) continue;
      const y = `${top + (line - 1) * height}px`;
      const mark = el("span", {
        class: "gutter-mark",
        text: "!",
        title: count === 1 ? "1 issue on this line" : `${count} issues on this line`,
        on: { click: () => this.onMarkClick?.(line) },
      });
      mark.style.top = y;
      gutter.push(mark);
      const row = el("div", { class: "line-mark" });
      row.style.top = y;
      rows.push(row);
    }
    if (this.focusLine !== null && this.focusLine <= this.lineCount) {
      const row = el("div", { class: "line-mark line-mark--focus" });
      row.style.top = `${top + (this.focusLine - 1) * height}px`;
      rows.push(row);
    }
    this.gutterMarks.replaceChildren(...gutter);
    this.lineMarks.replaceChildren(...rows);
  }

  /** The character offsets where 1-based `line` starts and ends (without its newline). */
  lineRange(line) {
    const text = this.textarea.value;
    let start = 0;
    for (let k = 1; k < line; k++) {
      const next = text.indexOf("\n", start);
      if (next === -1) return null;
      start = next + 1;
    }
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    return { start, end };
  }

  /**
   * Selects the JSON value that starts at `line`, `column` (1-based, in characters) — or, with
   * no usable column, the line from its first non-blank character — focuses the editor and
   * scrolls the line into the middle of the view.
   */
  revealLine(line, column) {
    const range = this.lineRange(line);
    if (!range) return false;
    const text = this.textarea.value;
    let start = range.start;
    let end = range.end;
    const at = Number.isInteger(column) && column >= 1 ? offsetOfColumn(text, range, column) : null;
    if (at !== null) {
      start = at;
      end = Math.max(valueEnd(text, start), start);
    } else {
      while (start < range.end && (text[start] === " " || text[start] === "\t")) start++;
    }
    const { line: height } = this.metrics();
    this.textarea.focus({ preventScroll: true });
    this.textarea.setSelectionRange(start, end);
    const target = (line - 1) * height - (this.textarea.clientHeight - height) / 2;
    this.textarea.scrollTop = Math.max(0, target);
    const columnPx = (start - range.start) * this.charWidth();
    if (columnPx < this.textarea.scrollLeft || columnPx > this.textarea.scrollLeft + this.textarea.clientWidth - 40) {
      this.textarea.scrollLeft = Math.max(0, columnPx - 40);
    }
    this.focusLine = line;
    this.paintMarks();
    this.syncScroll();
    return true;
  }

  /** The width of one character of the editor's monospace font. */
  charWidth() {
    if (!this.cachedCharWidth) {
      const probe = el("span", { class: "char-probe", text: "0".repeat(20) });
      this.root.appendChild(probe);
      this.cachedCharWidth = probe.getBoundingClientRect().width / 20 || 8;
      probe.remove();
    }
    return this.cachedCharWidth;
  }

  /** 1-based line and column of the caret. */
  caret() {
    const text = this.textarea.value;
    const at = this.textarea.selectionStart;
    let line = 1;
    let lineStart = 0;
    for (let k = text.indexOf("\n"); k !== -1 && k < at; k = text.indexOf("\n", k + 1)) {
      line++;
      lineStart = k + 1;
    }
    return { line, column: at - lineStart + 1 };
  }
}

const VALUE_SCAN_LIMIT = 200_000;

/**
 * The text offset (UTF-16 units) of a 1-based column counted in characters (code points, as
 * the checker counts them) within a line; null when the line is shorter.
 */
function offsetOfColumn(text, range, column) {
  let at = range.start;
  for (let n = 1; n < column; n++) {
    if (at >= range.end) return null;
    const code = text.charCodeAt(at);
    const pair = code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00;
    at += pair ? 2 : 1;
  }
  return at <= range.end ? at : null;
}

/**
 * Where the JSON value starting at `start` ends: past the closing quote of a string, the
 * matching bracket of an object or array, or the end of a bare word or number. A character
 * that starts no value (a malformed body's error position) is selected alone.
 */
export function valueEnd(text, start) {
  const limit = Math.min(text.length, start + VALUE_SCAN_LIMIT);
  const first = text[start];
  if (first === undefined) return start;
  if (first === '"') {
    for (let k = start + 1; k < limit; k++) {
      if (text[k] === "\\") k++;
      else if (text[k] === '"') return k + 1;
      else if (text[k] === "\n") return k;
    }
    return limit;
  }
  if (first === "{" || first === "[") {
    let depth = 0;
    for (let k = start; k < limit; k++) {
      const c = text[k];
      if (c === '"') {
        for (k++; k < limit && text[k] !== '"'; k++) if (text[k] === "\\") k++;
      } else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) return k + 1;
      }
    }
    return limit;
  }
  let k = start;
  while (k < limit && /[A-Za-z0-9+\-.]/.test(text[k])) k++;
  return k === start ? start + 1 : k;
}
