//! `simplejson.dumps` as fhir.resources calls it for `.json(use_decimal=True)`:
//! `", "` and `": "` separators, `ensure_ascii` (every character outside printable
//! ASCII written as `\uXXXX`, astral characters as surrogate pairs), decimals as
//! `str(Decimal)` (already the text of a canonical [`Value::Decimal`]).

use crate::json::{Node, PyFloat, Value};

/// Renders `node` as `simplejson.dumps(node, use_decimal=True)` would.
/// `ensure_ascii = false` keeps non-ASCII characters as they are (control characters
/// are still escaped).
pub fn dumps(node: &Node, ensure_ascii: bool) -> String {
    let mut out = String::new();
    // Explicit stack: (node, position within container), so deep trees cannot overflow.
    enum Frame<'a> {
        Value(&'a Node),
        Text(&'static str),
        Key(&'a str),
    }
    let mut stack: Vec<Frame> = vec![Frame::Value(node)];
    while let Some(frame) = stack.pop() {
        match frame {
            Frame::Text(t) => out.push_str(t),
            Frame::Key(k) => {
                write_str(&mut out, k, ensure_ascii);
                out.push_str(": ");
            }
            Frame::Value(n) => match &n.value {
                Value::Null => out.push_str("null"),
                Value::Bool(true) => out.push_str("true"),
                Value::Bool(false) => out.push_str("false"),
                Value::Int(t) | Value::Decimal(t) => out.push_str(t),
                Value::Float(PyFloat::NaN) => out.push_str("NaN"),
                Value::Float(PyFloat::Infinity) => out.push_str("Infinity"),
                Value::Float(PyFloat::NegInfinity) => out.push_str("-Infinity"),
                Value::Str(s) => write_str(&mut out, s, ensure_ascii),
                Value::Array(items) => {
                    out.push('[');
                    stack.push(Frame::Text("]"));
                    for (i, item) in items.iter().enumerate().rev() {
                        stack.push(Frame::Value(item));
                        if i > 0 {
                            stack.push(Frame::Text(", "));
                        }
                    }
                }
                Value::Object(members) => {
                    out.push('{');
                    stack.push(Frame::Text("}"));
                    for (i, (k, v)) in members.iter().enumerate().rev() {
                        stack.push(Frame::Value(v));
                        stack.push(Frame::Key(k));
                        if i > 0 {
                            stack.push(Frame::Text(", "));
                        }
                    }
                }
            },
        }
    }
    out
}

/// A JSON string literal as Python's encoder writes it. A lone surrogate (kept by
/// the parser as a stand-in character, see [`crate::json::as_lone_surrogate`]) is
/// written as its `\udXXX` escape, as Python writes it.
///
/// Runs of characters that need no escape are copied as whole slices.
pub fn write_str(out: &mut String, s: &str, ensure_ascii: bool) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let plain = byte >= 0x20
            && byte != b'"'
            && byte != b'\\'
            && (byte < 0x7f || (!ensure_ascii && byte < 0xf4));
        if plain {
            at += 1;
            continue;
        }
        out.push_str(&s[copied..at]);
        let Some(c) = s[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        copied = at;
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => push_unit(out, c as u32),
            c => match crate::json::as_lone_surrogate(c) {
                Some(unit) => push_unit(out, unit),
                None if ensure_ascii => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        push_unit(out, u32::from(*unit));
                    }
                }
                None => out.push(c),
            },
        }
    }
    out.push_str(&s[copied..]);
    out.push('"');
}

/// `\uXXXX` with lowercase hex digits.
fn push_unit(out: &mut String, unit: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[((unit >> shift) & 0xf) as usize]));
    }
}

/// A JSON string literal (ensure_ascii).
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    write_str(&mut out, s, true);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(value: Value) -> Node {
        Node::synthetic(value)
    }

    #[test]
    fn separators_and_escapes_match_simplejson() {
        let tree = n(Value::Object(vec![
            (
                "a".into(),
                n(Value::Str("x é \u{2028} \u{7f} 😀 \u{1}\n\t\"\\".into())),
            ),
            (
                "b".into(),
                n(Value::Array(vec![
                    n(Value::Int("1".into())),
                    n(Value::Decimal("1E+2".into())),
                    n(Value::Null),
                    n(Value::Bool(true)),
                ])),
            ),
            ("c".into(), n(Value::Object(vec![]))),
        ]));
        assert_eq!(
            dumps(&tree, true),
            r#"{"a": "x \u00e9 \u2028 \u007f \ud83d\ude00 \u0001\n\t\"\\", "b": [1, 1E+2, null, true], "c": {}}"#
        );
    }

    #[test]
    fn lone_surrogates_are_written_as_python_escapes() {
        let text: String = [
            'a',
            crate::json::lone_surrogate_char(0xD800),
            'é',
            crate::json::lone_surrogate_char(0xDC00),
        ]
        .iter()
        .collect();
        assert_eq!(quote(&text), r#""a\ud800\u00e9\udc00""#);
        let mut plain = String::new();
        write_str(&mut plain, &text, false);
        assert_eq!(plain, "\"a\\ud800é\\udc00\"");
    }
}
