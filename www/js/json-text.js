// JSON text helpers for the page: re-indenting a body without touching any value, Python's
// json.dumps layout, and the members of the checker's outcome text as written.

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const MAX_FORMAT_DEPTH = 256;

/**
 * Re-indents JSON text (as Python's json.loads reads it: NaN, Infinity and -Infinity included)
 * changing only whitespace between tokens, so every string, number and duplicate key stays
 * exactly as written. Returns `{ text }`, or `{ error }` when the text is not JSON or is
 * nested too deeply to lay out.
 */
export function reindent(source, unit = "  ") {
  const n = source.length;
  const out = [];
  const stack = []; // "}" or "]" for each open container
  const indents = [""];
  const indent = (depth) => {
    while (indents.length <= depth) indents.push(indents[indents.length - 1] + unit);
    return indents[depth];
  };
  let i = 0;
  const skip = () => {
    while (i < n && WHITESPACE.has(source[i])) i++;
  };
  const fail = (what) => ({ error: `${what} at character ${Math.min(i, n) + 1}` });

  const scalar = () => {
    const start = i;
    const c = source[i];
    if (c === '"') {
      i++;
      for (;;) {
        if (i >= n) return null;
        const d = source[i];
        if (d === '"') {
          i++;
          break;
        }
        if (d < " ") return null;
        if (d === "\\") {
          const e = source[i + 1];
          if (e === "u") {
            if (!/^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) return null;
            i += 6;
          } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
          else return null;
        } else i++;
      }
      return source.slice(start, i);
    }
    for (const word of ["true", "false", "null", "NaN", "Infinity", "-Infinity"]) {
      if (source.startsWith(word, i)) {
        i += word.length;
        return word;
      }
    }
    const match = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    match.lastIndex = i;
    const m = match.exec(source);
    if (!m || m[0] === "" || m[0] === "-") return null;
    i += m[0].length;
    return m[0];
  };

  let state = "value";
  for (;;) {
    skip();
    if (state === "value") {
      const c = source[i];
      if (c === "{" || c === "[") {
        const close = c === "{" ? "}" : "]";
        i++;
        skip();
        if (source[i] === close) {
          i++;
          out.push(c + close);
          state = "after";
          continue;
        }
        stack.push(close);
        if (stack.length > MAX_FORMAT_DEPTH) return { error: "Nested too deeply to format" };
        out.push(c, "\n", indent(stack.length));
        state = close === "}" ? "key" : "value";
        continue;
      }
      const token = scalar();
      if (token === null) return fail("Expected a value");
      out.push(token);
      state = "after";
    } else if (state === "key") {
      if (source[i] !== '"') return fail("Expected a property name");
      const token = scalar();
      if (token === null) return fail("Unterminated or invalid string");
      skip();
      if (source[i] !== ":") return fail("Expected ':'");
      i++;
      out.push(token, ": ");
      state = "value";
    } else {
      if (stack.length === 0) {
        if (i < n) return fail("Extra data");
        return { text: out.join("") };
      }
      const c = source[i];
      const top = stack[stack.length - 1];
      if (c === ",") {
        i++;
        out.push(",\n", indent(stack.length));
        state = top === "}" ? "key" : "value";
      } else if (c === top) {
        i++;
        stack.pop();
        out.push("\n", indent(stack.length), c);
      } else return fail(`Expected ',' or '${top}'`);
    }
  }
}

/** A string as Python's json.dumps writes it (ensure_ascii: everything outside ' '..'~' escaped). */
export function pythonString(text) {
  let out = '"';
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    const ch = text[k];
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else out += "\\u" + code.toString(16).padStart(4, "0");
  }
  return out + '"';
}

/**
 * A JSON value laid out as Python's json.dumps does: `", "` and `": "` separators when
 * `indent` is null, otherwise newlines and `indent` spaces with `","` and `": "`.
 */
export function pythonDumps(value, indent = null) {
  const pad = (depth) => (indent === null ? "" : "\n" + " ".repeat(indent * depth));
  const itemSep = indent === null ? ", " : ",";
  const write = (v, depth) => {
    if (v === null) return "null";
    if (typeof v === "string") return pythonString(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : JSON.stringify(v);
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return "[" + v.map((x) => pad(depth + 1) + write(x, depth + 1)).join(itemSep) + pad(depth) + "]";
    }
    const keys = Object.keys(v);
    if (keys.length === 0) return "{}";
    return (
      "{" +
      keys.map((k) => pad(depth + 1) + pythonString(k) + ": " + write(v[k], depth + 1)).join(itemSep) +
      pad(depth) +
      "}"
    );
  };
  return write(value, 0);
}

/**
 * The text of each member of a JSON object text, by name, exactly as written (numbers such
 * as `1.0` or `1E+400` stay as they are, where a parsed value would not). Used with the
 * package's `checkJson()` text to show each item as the checker writes it. Returns `{}`
 * when the text is not an object.
 */
export function memberTexts(source) {
  const members = {};
  const n = source.length;
  let i = 0;
  const skip = () => {
    while (i < n && WHITESPACE.has(source[i])) i++;
  };
  /** The index just past the string that opens at `at`. */
  const stringEnd = (at) => {
    for (let j = at + 1; j < n; j++) {
      if (source[j] === "\\") j++;
      else if (source[j] === '"') return j + 1;
    }
    return n;
  };
  /** The index just past the value that starts at `at`. */
  const valueEnd = (at) => {
    let depth = 0;
    for (let j = at; j < n; j++) {
      const c = source[j];
      if (c === '"') {
        j = stringEnd(j) - 1;
        if (depth === 0) return j + 1;
      } else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        if (depth === 0) return j;
        if (--depth === 0) return j + 1;
      } else if (depth === 0 && (c === "," || WHITESPACE.has(c))) return j;
    }
    return n;
  };
  skip();
  if (source[i] !== "{") return members;
  i++;
  for (;;) {
    skip();
    if (source[i] !== '"') return members;
    const keyEnd = stringEnd(i);
    const key = JSON.parse(source.slice(i, keyEnd));
    i = keyEnd;
    skip();
    if (source[i] !== ":") return members;
    i++;
    skip();
    const start = i;
    i = valueEnd(i);
    members[key] = source.slice(start, i);
    skip();
    if (source[i] !== ",") return members;
    i++;
  }
}
