//! `json.loads(body, parse_float=Decimal)` on a `str` body, as CPython 3.11
//! runs it: `JSONDecoder.decode` driving the `_json` C scanner.
//!
//! The scanner is recursive; this parser keeps its own stack of open
//! containers instead, so any nesting depth is safe, and reports Python's
//! `RecursionError` once nesting passes [`MAX_PYTHON_NESTING`].
//!
//! The limits, messages and error type are [`super::parse`]'s own: only the
//! way of reading differs.

use std::collections::HashMap;

use super::error::{DecodeError, LoadError, INT_MAX_STR_DIGITS};
use super::key::Key;
use super::number::{decimal_in_range, int_digits, scan_number};
use super::parse::{
    is_whitespace, Fail, EXPECTING_COLON, EXPECTING_COMMA, EXPECTING_PROPERTY_NAME,
    EXPECTING_VALUE, EXTRA_DATA, LINEAR_KEY_SEARCH_LIMIT, MAX_PYTHON_NESTING, UNEXPECTED_BOM,
};
use super::string::{scan_string, StringError};
use super::value::{Node, PyFloat, Span, Value};

/// Parses a request body the way `json.loads(body, parse_float=Decimal)` does.
///
/// Integers become [`Value::Int`] and numbers with a fraction or exponent
/// [`Value::Decimal`], both kept exactly as written; `NaN`, `Infinity` and
/// `-Infinity` become [`Value::Float`]. A duplicated key keeps its first
/// position and its last value (Python `dict`). Unpaired surrogate escapes,
/// which Python keeps, become private-use stand-ins (see
/// [`super::string::LONE_SURROGATE_BASE`]). Every node's span is the
/// byte range of its text in `text`.
pub fn loads(text: &str) -> Result<Node, LoadError> {
    if text.starts_with('\u{feff}') {
        return Err(DecodeError::at(text, UNEXPECTED_BOM, 0).into());
    }
    Parser {
        text,
        bytes: text.as_bytes(),
    }
    .run()
}

/// An array or object still open, waiting for its next element. Finished
/// elements wait in the parser's shared element stacks from `base` on, so each
/// container's `Vec` is allocated once, at its exact size, when it closes.
enum Open {
    Array {
        start: usize,
        base: usize,
    },
    Object {
        start: usize,
        base: usize,
        /// Key → member index (relative to `base`), built once the object grows
        /// past [`LINEAR_KEY_SEARCH_LIMIT`] members.
        index: Option<HashMap<String, usize>>,
        /// The key whose value is being parsed.
        key: String,
    },
}

/// What reading a value at some offset produced.
enum Read {
    /// A complete value, and the offset just past it.
    Complete(Node, usize),
    /// A non-empty container was opened; its first element starts at the offset.
    Opened(Open, usize),
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
}

impl<'t> Parser<'t> {
    fn skip_whitespace(&self, mut index: usize) -> usize {
        while self.bytes.get(index).copied().is_some_and(is_whitespace) {
            index += 1;
        }
        index
    }

    fn error(&self, msg: &'static str, byte_offset: usize) -> Fail {
        Fail::Decode(msg, byte_offset)
    }

    fn string_error(&self, e: StringError) -> Fail {
        Fail::Decode(e.msg, e.byte_offset)
    }

    fn run(&self) -> Result<Node, LoadError> {
        self.parse().map_err(|fail| fail.into_load_error(self.text))
    }

    fn parse(&self) -> Result<Node, Fail> {
        let mut stack: Vec<Open> = Vec::with_capacity(16);
        let mut items: Vec<Node> = Vec::with_capacity(16);
        let mut members: Vec<(String, Node)> = Vec::with_capacity(32);
        let mut at = self.skip_whitespace(0);
        loop {
            let (mut node, mut end) = match self.read_value(at, stack.len(), &items, &members)? {
                Read::Complete(node, end) => (node, end),
                Read::Opened(open, next) => {
                    stack.push(open);
                    at = next;
                    continue;
                }
            };
            // Hand the finished value to the enclosing containers, closing as many
            // as end right after it, until one expects another element.
            loop {
                let Some(open) = stack.last_mut() else {
                    let rest = self.skip_whitespace(end);
                    if rest != self.bytes.len() {
                        return Err(self.error(EXTRA_DATA, rest));
                    }
                    return Ok(node);
                };
                let after = self.skip_whitespace(end);
                match open {
                    Open::Array { .. } => {
                        items.push(node);
                        match self.bytes.get(after) {
                            Some(b']') => {}
                            Some(b',') => {
                                at = self.skip_whitespace(after + 1);
                                break;
                            }
                            _ => return Err(self.error(EXPECTING_COMMA, after)),
                        }
                    }
                    Open::Object {
                        base, index, key, ..
                    } => {
                        insert_member(&mut members, *base, index, std::mem::take(key), node);
                        match self.bytes.get(after) {
                            Some(b'}') => {}
                            Some(b',') => {
                                let (next_key, value_at) =
                                    self.read_key(self.skip_whitespace(after + 1))?;
                                *key = next_key;
                                at = value_at;
                                break;
                            }
                            _ => return Err(self.error(EXPECTING_COMMA, after)),
                        }
                    }
                }
                // The container closes at `after`.
                end = after + 1;
                node = match stack.pop() {
                    Some(Open::Array { start, base }) => {
                        let own: Vec<Node> = items.drain(base..).collect();
                        Node::new(Value::Array(own), Span { start, end })
                    }
                    Some(Open::Object { start, base, .. }) => {
                        let own: Vec<(Key, Node)> = members
                            .drain(base..)
                            .map(|(k, v)| (Key::from(k), v))
                            .collect();
                        Node::new(Value::Object(own), Span { start, end })
                    }
                    None => return Err(self.error(EXPECTING_VALUE, after)),
                };
            }
        }
    }

    /// Reads `"key"` + whitespace + `:` + whitespace at `at` (already past
    /// whitespace); returns the key and where its value starts.
    fn read_key(&self, at: usize) -> Result<(String, usize), Fail> {
        if self.bytes.get(at) != Some(&b'"') {
            return Err(self.error(EXPECTING_PROPERTY_NAME, at));
        }
        let (key, end) = scan_string(self.text, at).map_err(|e| self.string_error(e))?;
        let colon = self.skip_whitespace(end);
        if self.bytes.get(colon) != Some(&b':') {
            return Err(self.error(EXPECTING_COLON, colon));
        }
        Ok((key, self.skip_whitespace(colon + 1)))
    }

    /// The scanner's `scan_once` at `at`, with `depth` containers already open.
    /// `items`/`members` are the shared element stacks (their lengths become
    /// the new container's `base`).
    fn read_value(
        &self,
        at: usize,
        depth: usize,
        items: &[Node],
        members: &[(String, Node)],
    ) -> Result<Read, Fail> {
        let bytes = self.bytes;
        let Some(&first) = bytes.get(at) else {
            return Err(self.error(EXPECTING_VALUE, at));
        };
        let rest = &bytes[at..];
        let complete = |value: Value, len: usize| {
            Ok(Read::Complete(
                Node::new(
                    value,
                    Span {
                        start: at,
                        end: at + len,
                    },
                ),
                at + len,
            ))
        };
        match first {
            b'"' => {
                let (s, end) = scan_string(self.text, at).map_err(|e| self.string_error(e))?;
                return complete(Value::Str(s.into()), end - at);
            }
            b'{' | b'[' => {
                if depth >= MAX_PYTHON_NESTING {
                    return Err(Fail::RecursionLimit);
                }
                let inner = self.skip_whitespace(at + 1);
                if first == b'[' {
                    if bytes.get(inner) == Some(&b']') {
                        return complete(Value::Array(Vec::new()), inner + 1 - at);
                    }
                    let open = Open::Array {
                        start: at,
                        base: items.len(),
                    };
                    return Ok(Read::Opened(open, inner));
                }
                if bytes.get(inner) == Some(&b'}') {
                    return complete(Value::Object(Vec::new()), inner + 1 - at);
                }
                let (key, value_at) = self.read_key(inner)?;
                let open = Open::Object {
                    start: at,
                    base: members.len(),
                    index: None,
                    key,
                };
                return Ok(Read::Opened(open, value_at));
            }
            b'n' if rest.starts_with(b"null") => return complete(Value::Null, 4),
            b't' if rest.starts_with(b"true") => return complete(Value::Bool(true), 4),
            b'f' if rest.starts_with(b"false") => return complete(Value::Bool(false), 5),
            b'N' if rest.starts_with(b"NaN") => return complete(Value::Float(PyFloat::NaN), 3),
            b'I' if rest.starts_with(b"Infinity") => {
                return complete(Value::Float(PyFloat::Infinity), 8)
            }
            b'-' if rest.starts_with(b"-Infinity") => {
                return complete(Value::Float(PyFloat::NegInfinity), 9)
            }
            _ => {}
        }
        let Some(number) = scan_number(bytes, at) else {
            return Err(self.error(EXPECTING_VALUE, at));
        };
        let literal = self.text.get(at..number.end).unwrap_or("");
        let value = if number.is_float {
            if !decimal_in_range(literal) {
                return Err(Fail::DecimalOutOfRange(at));
            }
            Value::Decimal(literal.into())
        } else {
            let digits = int_digits(literal);
            if digits > INT_MAX_STR_DIGITS {
                return Err(Fail::IntTooLong(digits, at));
            }
            Value::Int(literal.into())
        };
        complete(value, number.end - at)
    }
}

/// `dict[key] = value` for the object whose members are `members[base..]`:
/// a new key goes last, a repeated key keeps its place and takes the new value.
fn insert_member(
    members: &mut Vec<(String, Node)>,
    base: usize,
    index: &mut Option<HashMap<String, usize>>,
    key: String,
    value: Node,
) {
    let own_len = members.len().saturating_sub(base);
    if let Some(map) = index {
        match map.get(&key) {
            Some(&slot) => {
                if let Some(member) = members.get_mut(base + slot) {
                    member.1 = value;
                }
            }
            None => {
                map.insert(key.clone(), own_len);
                members.push((key, value));
            }
        }
        return;
    }
    if let Some(member) = members
        .get_mut(base..)
        .and_then(|own| own.iter_mut().find(|(k, _)| *k == key))
    {
        member.1 = value;
        return;
    }
    members.push((key, value));
    if own_len + 1 > LINEAR_KEY_SEARCH_LIMIT {
        let map = members
            .get(base..)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(slot, (k, _))| (k.clone(), slot))
            .collect();
        *index = Some(map);
    }
}
