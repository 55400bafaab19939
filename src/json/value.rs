//! The value tree produced by [`crate::json::loads`]: what Python's
//! `json.loads(text, parse_float=Decimal)` would build, plus where each value
//! stands in the body text.

use super::key::Key;
use super::text::Text;

/// Byte range of a value in the body text (`start..end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// The three non-finite floats Python's `json` module accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PyFloat {
    NaN,
    Infinity,
    NegInfinity,
}

/// A JSON value with Python's types.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `None`
    Null,
    /// `bool`
    Bool(bool),
    /// `int`: the digits exactly as written (optional leading `-`).
    Int(Text),
    /// `decimal.Decimal`: the number text exactly as written (has `.` or an exponent).
    Decimal(Text),
    /// `float`: only produced by `NaN`, `Infinity`, `-Infinity`.
    Float(PyFloat),
    /// `str`
    Str(Text),
    /// `list`
    Array(Vec<Node>),
    /// `dict`: insertion order; a duplicated key keeps its first position and its last value.
    Object(Vec<(Key, Node)>),
}

/// A value and where it was written. Values created by the checker itself
/// (for example an assigned `id`) carry an empty span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

impl Node {
    pub fn new(value: Value, span: Span) -> Self {
        Node { value, span }
    }

    /// A value with no place in the body text.
    pub fn synthetic(value: Value) -> Self {
        Node {
            value,
            span: Span::default(),
        }
    }

    /// Python `type(x).__name__` as it appears in exception texts
    /// (`'int' object is not subscriptable`).
    pub fn py_type_name(&self) -> &'static str {
        self.value.py_type_name()
    }

    /// `dict.get(key)` for objects; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Object(members) => members.iter().find(|(k, _)| key_eq(k, key)).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            Value::Object(members) => members
                .iter_mut()
                .find(|(k, _)| key_eq(k, key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// `dict[key] = value`: replaces in place, or appends a new key at the end.
    /// Does nothing on a non-object.
    pub fn set(&mut self, key: &str, value: Node) {
        if let Value::Object(members) = &mut self.value {
            if let Some(slot) = members.iter_mut().find(|(k, _)| key_eq(k, key)) {
                slot.1 = value;
            } else {
                members.push((Key::new(key), value));
            }
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self.value, Value::Object(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self.value, Value::Array(_))
    }
}

impl Value {
    /// Python `type(x).__name__` (`decimal.Decimal` as Python prints it in
    /// `'decimal.Decimal' object is not subscriptable`).
    pub fn py_type_name(&self) -> &'static str {
        match self {
            Value::Null => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Decimal(_) => "decimal.Decimal",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Array(_) => "list",
            Value::Object(_) => "dict",
        }
    }

    /// Python truthiness (`if x:`).
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(digits) => digits.trim_start_matches('-').bytes().any(|b| b != b'0'),
            Value::Decimal(text) => decimal_is_nonzero(text),
            Value::Float(_) => true,
            Value::Str(s) => !s.is_empty(),
            Value::Array(items) => !items.is_empty(),
            Value::Object(members) => !members.is_empty(),
        }
    }
}

/// `a == b` for dict keys and field names, without a library call for the
/// short texts keys usually are, nor for longer ones such as URLs (where the
/// library call is a byte loop in Wasm): see [`bytes_eq`].
#[inline]
pub fn key_eq(a: &str, b: &str) -> bool {
    bytes_eq(a.as_bytes(), b.as_bytes())
}

/// `a == b` for byte texts without a library call: the lengths, then the first and
/// last bytes as (possibly overlapping) machine words, then the words between.
#[inline]
pub fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let (last_a, last_b) = (word8(a, n - 8), word8(b, n - 8));
        return word8(a, 0) == word8(b, 0) && last_a == last_b && (n <= 16 || rest_eq(a, b));
    }
    if n >= 4 {
        return word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4);
    }
    let small = |s: &[u8]| {
        s.iter()
            .fold(0u32, |word, &byte| word << 8 | u32::from(byte))
    };
    small(a) == small(b)
}

/// The rest of [`key_eq`] past 16 bytes (URLs, long names): the words
/// between the first and last eight bytes, one by one.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn rest_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    let mut at = 8;
    while at + 8 < n {
        if word8(a, at) != word8(b, at) {
            return false;
        }
        at += 8;
    }
    true
}

/// The rest of [`key_eq`] past 16 bytes in Wasm: [`middle_words_eq`], as a
/// word-by-word loop would be turned into a `memcmp` call there, which is a
/// byte loop.
#[cfg(target_arch = "wasm32")]
#[inline(always)]
fn rest_eq(a: &[u8], b: &[u8]) -> bool {
    middle_words_eq(a, b)
}

/// Whether texts of the same length, already equal in their first and last
/// eight bytes, are equal in the words between: four words at a time, their
/// differences OR-ed (a chain of word tests would be merged back into a
/// `memcmp` call).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#[inline]
fn middle_words_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let mut at = 8;
    while at + 8 < n {
        let stop = (at + 32).min(n - 8);
        let mut diff = 0;
        while at < stop {
            diff |= word8(a, at) ^ word8(b, at);
            at += 8;
        }
        if diff != 0 {
            return false;
        }
    }
    true
}

/// The eight bytes of `s` from `at`, as a word (0 where `s` is shorter).
#[inline(always)]
pub(super) fn word8(s: &[u8], at: usize) -> u64 {
    s.get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_le_bytes)
}

/// The four bytes of `s` from `at`, as a word (0 where `s` is shorter).
#[inline(always)]
pub(super) fn word4(s: &[u8], at: usize) -> u32 {
    s.get(at..at + 4)
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .map_or(0, u32::from_le_bytes)
}

/// Whether a decimal literal such as `0.000`, `-0e5` or `1.5E-3` is non-zero.
fn decimal_is_nonzero(text: &str) -> bool {
    let mantissa = text
        .split(['e', 'E'])
        .next()
        .unwrap_or("")
        .trim_start_matches('-');
    mantissa.bytes().any(|b| b.is_ascii_digit() && b != b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts of every length from 0 to 40 in ASCII, two- and four-byte UTF-8 and
    /// lone-surrogate stand-ins, each compared with itself and with every
    /// one-byte-different copy of itself.
    #[test]
    fn key_eq_is_string_equality() {
        let alphabets = [
            "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
            "é",
            "😀",
            "\u{10f800}x",
        ];
        let mut texts: Vec<String> = vec![String::new()];
        for alphabet in alphabets {
            let chars: Vec<char> = alphabet.chars().cycle().take(40).collect();
            for n in 0..=40 {
                texts.push(chars[..n].iter().collect());
            }
        }
        texts.push("resourceType".into());
        texts.push("resource_type".into());
        texts.push("http://snomed.info/sct".into());
        texts.push("http://snomed.info/sc".into());
        for a in &texts {
            assert!(key_eq(a, a), "{a:?}");
            for b in &texts {
                assert_eq!(key_eq(a, b), a == b, "{a:?} {b:?}");
            }
            let bytes = a.as_bytes();
            for at in 0..bytes.len() {
                let mut other = bytes.to_vec();
                other[at] ^= 1;
                if let Ok(other) = String::from_utf8(other) {
                    assert!(!key_eq(a, &other), "{a:?} {other:?}");
                    assert!(!key_eq(&other, a), "{a:?} {other:?}");
                }
            }
        }
        for a in &texts {
            for b in &texts {
                let (x, y) = (a.as_bytes(), b.as_bytes());
                let n = x.len();
                if n == y.len() && n >= 8 && x[..8] == y[..8] && x[n - 8..] == y[n - 8..] {
                    assert_eq!(middle_words_eq(x, y), a == b, "{a:?} {b:?}");
                }
            }
            let bytes = a.as_bytes();
            for at in 8..bytes.len().saturating_sub(8) {
                let mut other = bytes.to_vec();
                other[at] ^= 1;
                assert!(!middle_words_eq(bytes, &other), "{a:?} at {at}");
            }
        }
        let huge = "k".repeat(100_000);
        let mut near = huge.clone();
        near.replace_range(50_000..50_001, "j");
        assert!(key_eq(&huge, &huge.clone()));
        assert!(!key_eq(&huge, &near));
        assert!(middle_words_eq(huge.as_bytes(), huge.clone().as_bytes()));
        assert!(!middle_words_eq(huge.as_bytes(), near.as_bytes()));
    }
}
