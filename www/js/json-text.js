// JSON text helpers for the page: re-indenting a body without touching any value, Python's
// json.dumps layout, and DynamoDB attribute-value JSON.

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
 * JSON text of a value as JSON.stringify(value, null, indent) writes it, except that numbers
 * that are not finite are written as Python's json.dumps writes them (NaN, Infinity,
 * -Infinity) instead of null, and negative zero as -0.0: the delta item's dose amount is a
 * Python float and can be any of these.
 */
export function jsonText(value, indent = 2) {
  const pad = (depth) => "\n" + " ".repeat(indent * depth);
  const write = (v, depth) => {
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return String(v);
      return Object.is(v, -0) ? "-0.0" : JSON.stringify(v); // only a float is ever -0
    }
    if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return "[" + v.map((x) => pad(depth + 1) + write(x, depth + 1)).join(",") + pad(depth) + "]";
    }
    const keys = Object.keys(v);
    if (keys.length === 0) return "{}";
    return (
      "{" +
      keys.map((k) => pad(depth + 1) + JSON.stringify(k) + ": " + write(v[k], depth + 1)).join(",") +
      pad(depth) +
      "}"
    );
  };
  return write(value, 0);
}

/** One value as a DynamoDB AttributeValue: {"S"}, {"N": text}, {"BOOL"}, {"NULL"}, {"L"}, {"M"}. */
export function attributeValue(value) {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === "string") return { S: value };
  if (typeof value === "number") return { N: String(value) };
  if (typeof value === "boolean") return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(attributeValue) };
  const map = {};
  for (const [key, v] of Object.entries(value)) map[key] = attributeValue(v);
  return { M: map };
}

/** An item (attribute name → plain value) as DynamoDB attribute-value JSON. */
export function dynamoDbItem(item) {
  const out = {};
  for (const [key, value] of Object.entries(item)) out[key] = attributeValue(value);
  return out;
}
