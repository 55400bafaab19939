//! The Python operations the post-validators and `get_vaccine_type` perform on
//! the request dict (`d["k"]`, `x[0]`, `.get`, iteration, `len`, `in`, `<`),
//! with the exception each raises on a value of the wrong type.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::json::{Node, PyFloat, Value};
use crate::python::{PyExcKind, PyException, PyResult};

/// A Python object reached while walking the body: a JSON value, or a bare
/// `str` that is not itself a node (a dict key met by iteration, or one
/// character taken from a string by `s[0]`).
#[derive(Debug, Clone)]
pub(crate) enum Obj<'a> {
    Node(&'a Node),
    Str(Cow<'a, str>),
}

fn key_error(key: &str) -> PyException {
    PyException::new(PyExcKind::KeyError, py_str_repr(key))
}

fn index_error(message: &str) -> PyException {
    PyException::new(PyExcKind::IndexError, message)
}

fn not_subscriptable(type_name: &str) -> PyException {
    PyException::type_error(format!("'{type_name}' object is not subscriptable"))
}

impl<'a> Obj<'a> {
    pub(crate) fn new(node: &'a Node) -> Self {
        Obj::Node(node)
    }

    /// Python `type(x).__name__`.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Obj::Node(node) => node.py_type_name(),
            Obj::Str(_) => "str",
        }
    }

    /// The text of a `str`; `None` for any other type.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Obj::Node(node) => node.as_str(),
            Obj::Str(s) => Some(s),
        }
    }

    /// `x is None`
    pub(crate) fn is_none(&self) -> bool {
        matches!(
            self,
            Obj::Node(Node {
                value: Value::Null,
                ..
            })
        )
    }

    /// `bool(x)`
    pub(crate) fn is_truthy(&self) -> bool {
        match self {
            Obj::Node(node) => node.value.is_truthy(),
            Obj::Str(s) => !s.is_empty(),
        }
    }

    /// `x == "text"`: only a `str` with the same characters is equal.
    pub(crate) fn eq_str(&self, text: &str) -> bool {
        self.as_str() == Some(text)
    }

    /// `x["key"]`
    pub(crate) fn item(&self, key: &str) -> PyResult<Obj<'a>> {
        match self {
            Obj::Node(node) => match &node.value {
                Value::Object(members) => members
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| Obj::Node(v))
                    .ok_or_else(|| key_error(key)),
                Value::Array(_) => Err(PyException::type_error(
                    "list indices must be integers or slices, not str",
                )),
                Value::Str(_) => Err(PyException::type_error(
                    "string indices must be integers, not 'str'",
                )),
                _ => Err(not_subscriptable(node.py_type_name())),
            },
            Obj::Str(_) => Err(PyException::type_error(
                "string indices must be integers, not 'str'",
            )),
        }
    }

    /// `x[index]` with a non-negative integer index.
    pub(crate) fn at(&self, index: usize) -> PyResult<Obj<'a>> {
        match self {
            Obj::Node(node) => match &node.value {
                Value::Array(items) => items
                    .get(index)
                    .map(Obj::Node)
                    .ok_or_else(|| index_error("list index out of range")),
                // A JSON object's keys are all strings: an integer key is never found.
                Value::Object(_) => Err(PyException::new(PyExcKind::KeyError, index.to_string())),
                Value::Str(s) => char_at(s, index).map(|c| Obj::Str(Cow::Borrowed(c))),
                _ => Err(not_subscriptable(node.py_type_name())),
            },
            Obj::Str(Cow::Borrowed(s)) => char_at(s, index).map(|c| Obj::Str(Cow::Borrowed(c))),
            Obj::Str(Cow::Owned(s)) => {
                char_at(s, index).map(|c| Obj::Str(Cow::Owned(c.to_string())))
            }
        }
    }

    /// `x.get("key")`: `Ok(None)` when a dict lacks the key.
    pub(crate) fn get(&self, key: &str) -> PyResult<Option<Obj<'a>>> {
        match self {
            Obj::Node(node) => match &node.value {
                Value::Object(members) => Ok(members
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| Obj::Node(v))),
                _ => Err(no_get(node.py_type_name())),
            },
            Obj::Str(_) => Err(no_get("str")),
        }
    }

    /// `list(x)`: what `for item in x` visits.
    pub(crate) fn iter(&self) -> PyResult<Vec<Obj<'a>>> {
        match self {
            Obj::Node(node) => match &node.value {
                Value::Array(items) => Ok(items.iter().map(Obj::Node).collect()),
                Value::Object(members) => Ok(members
                    .iter()
                    .map(|(k, _)| Obj::Str(Cow::Borrowed(k.as_str())))
                    .collect()),
                Value::Str(s) => Ok(chars(s)),
                _ => Err(PyException::type_error(format!(
                    "'{}' object is not iterable",
                    node.py_type_name()
                ))),
            },
            Obj::Str(s) => Ok(s
                .chars()
                .map(|c| Obj::Str(Cow::Owned(c.to_string())))
                .collect()),
        }
    }

    /// `len(x)`
    pub(crate) fn len(&self) -> PyResult<usize> {
        match self {
            Obj::Node(node) => match &node.value {
                Value::Array(items) => Ok(items.len()),
                Value::Object(members) => Ok(members.len()),
                Value::Str(s) => Ok(s.chars().count()),
                _ => Err(PyException::type_error(format!(
                    "object of type '{}' has no len()",
                    node.py_type_name()
                ))),
            },
            Obj::Str(s) => Ok(s.chars().count()),
        }
    }

    /// `"key" in x`
    pub(crate) fn contains(&self, key: &str) -> PyResult<bool> {
        match self {
            Obj::Node(node) => match &node.value {
                Value::Object(members) => Ok(members.iter().any(|(k, _)| k == key)),
                Value::Array(items) => Ok(items.iter().any(|item| item.as_str() == Some(key))),
                Value::Str(s) => Ok(s.contains(key)),
                _ => Err(PyException::type_error(format!(
                    "argument of type '{}' is not iterable",
                    node.py_type_name()
                ))),
            },
            Obj::Str(s) => Ok(s.contains(key)),
        }
    }
}

/// `s[index]`: one character, or `IndexError`.
fn char_at(s: &str, index: usize) -> PyResult<&str> {
    s.char_indices()
        .nth(index)
        .map(|(start, c)| &s[start..start + c.len_utf8()])
        .ok_or_else(|| index_error("string index out of range"))
}

fn chars(s: &str) -> Vec<Obj<'_>> {
    s.char_indices()
        .map(|(start, c)| Obj::Str(Cow::Borrowed(&s[start..start + c.len_utf8()])))
        .collect()
}

fn no_get(type_name: &str) -> PyException {
    PyException::new(
        PyExcKind::AttributeError,
        format!("'{type_name}' object has no attribute 'get'"),
    )
}

/// `a < b` (`LessThan`) or `a > b` (`GreaterThan`) between two values, as Python
/// orders them: strings by code point, numbers by value; other pairings raise `TypeError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    LessThan,
    GreaterThan,
}

pub(crate) fn compare(a: &Obj<'_>, b: &Obj<'_>, op: Comparison) -> PyResult<bool> {
    let wanted = match op {
        Comparison::LessThan => Ordering::Less,
        Comparison::GreaterThan => Ordering::Greater,
    };
    if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
        return Ok(x.cmp(y) == wanted);
    }
    if let (Some(x), Some(y)) = (number_of(a), number_of(b)) {
        return Ok(compare_numbers(&x, &y) == Some(wanted));
    }
    let symbol = match op {
        Comparison::LessThan => "<",
        Comparison::GreaterThan => ">",
    };
    Err(PyException::type_error(format!(
        "'{symbol}' not supported between instances of '{}' and '{}'",
        a.type_name(),
        b.type_name()
    )))
}

/// A Python number: `bool`, `int` and `decimal.Decimal` exactly, or a non-finite `float`.
#[derive(Debug, Clone, PartialEq)]
enum Number {
    /// `sign * 0.digits * 10^exponent` with no leading zeros in `digits` (empty for zero).
    Exact {
        negative: bool,
        digits: String,
        exponent: i64,
    },
    NonFinite(PyFloat),
}

fn number_of(obj: &Obj<'_>) -> Option<Number> {
    let Obj::Node(node) = obj else { return None };
    match &node.value {
        Value::Bool(b) => Some(exact_from_text(if *b { "1" } else { "0" })),
        Value::Int(text) => Some(exact_from_text(text)),
        Value::Decimal(text) => Some(exact_from_text(text)),
        Value::Float(f) => Some(Number::NonFinite(*f)),
        _ => None,
    }
}

fn exact_from_text(text: &str) -> Number {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exp_text) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], &unsigned[at + 1..]),
        None => (unsigned, ""),
    };
    let written_exponent: i64 = exp_text.parse().unwrap_or(0);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = whole.chars().chain(fraction.chars()).collect();
    let leading = all.bytes().take_while(|b| *b == b'0').count();
    let digits = all[leading..].trim_end_matches('0').to_string();
    // value = 0.all * 10^(len(whole) + written_exponent); dropping leading zeros shifts the point.
    let exponent = (whole.len() as i64)
        .saturating_add(written_exponent)
        .saturating_sub(leading as i64);
    Number::Exact {
        negative: negative && !digits.is_empty(),
        digits,
        exponent,
    }
}

/// `Some(ordering)`, or `None` when unordered (a NaN on either side).
fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    use Number::*;
    match (a, b) {
        (NonFinite(PyFloat::NaN), _) | (_, NonFinite(PyFloat::NaN)) => None,
        (NonFinite(x), NonFinite(y)) => Some(rank(*x).cmp(&rank(*y))),
        (NonFinite(x), Exact { .. }) => Some(rank(*x).cmp(&0)),
        (Exact { .. }, NonFinite(y)) => Some(0.cmp(&rank(*y))),
        (
            Exact {
                negative: na,
                digits: da,
                exponent: ea,
                ..
            },
            Exact {
                negative: nb,
                digits: db,
                exponent: eb,
                ..
            },
        ) => {
            let sign = |negative: bool, digits: &str| match (digits.is_empty(), negative) {
                (true, _) => 0,
                (false, true) => -1,
                (false, false) => 1,
            };
            let (sa, sb) = (sign(*na, da), sign(*nb, db));
            if sa != sb || sa == 0 {
                return Some(sa.cmp(&sb));
            }
            let magnitude = ea.cmp(eb).then_with(|| da.as_str().cmp(db.as_str()));
            Some(if sa < 0 {
                magnitude.reverse()
            } else {
                magnitude
            })
        }
    }
}

fn rank(f: PyFloat) -> i8 {
    match f {
        PyFloat::NegInfinity => -1,
        PyFloat::NaN => 0,
        PyFloat::Infinity => 1,
    }
}

/// Python `repr(s)` of a string: single quotes unless the text holds a single
/// quote and no double quote; backslash escapes for quotes, `\\`, `\t`, `\n`,
/// `\r` and for characters Python does not print.
pub(crate) fn py_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let code = c as u32;
                if code < 0x100 {
                    out.push_str(&format!("\\x{code:02x}"));
                } else if code < 0x10000 {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
        }
    }
    out.push(quote);
    out
}

/// Python `str.isprintable()` for one character: false for controls, format
/// characters, separators other than the space, private use and surrogates,
/// and the noncharacters.
fn is_printable(c: char) -> bool {
    let code = c as u32;
    if c == ' ' {
        return true;
    }
    if code < 0x20 || (0x7f..=0xa0).contains(&code) {
        return false;
    }
    const NOT_PRINTED: &[(u32, u32)] = &[
        (0x00ad, 0x00ad),
        (0x0600, 0x0605),
        (0x061c, 0x061c),
        (0x06dd, 0x06dd),
        (0x070f, 0x070f),
        (0x0890, 0x0891),
        (0x08e2, 0x08e2),
        (0x1680, 0x1680),
        (0x180e, 0x180e),
        (0x2000, 0x200f),
        (0x2028, 0x202f),
        (0x205f, 0x2064),
        (0x2066, 0x206f),
        (0x3000, 0x3000),
        (0xd800, 0xf8ff),
        (0xfdd0, 0xfdef),
        (0xfeff, 0xfeff),
        (0xfff0, 0xfffb),
        (0x110bd, 0x110bd),
        (0x110cd, 0x110cd),
        (0x13430, 0x1343f),
        (0x1bca0, 0x1bca3),
        (0x1d173, 0x1d17a),
        (0xe0000, 0xe0fff),
        (0xf0000, 0x10ffff),
    ];
    if (code & 0xfffe) == 0xfffe {
        return false;
    }
    !NOT_PRINTED
        .iter()
        .any(|(low, high)| (*low..=*high).contains(&code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Span;

    fn node(value: Value) -> Node {
        Node::new(value, Span::default())
    }

    fn obj(members: Vec<(&str, Value)>) -> Node {
        node(Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k.to_string(), node(v)))
                .collect(),
        ))
    }

    #[test]
    fn subscripting_raises_the_python_texts() {
        let list = node(Value::Array(vec![]));
        let text = node(Value::Str("ab".into()));
        let int = node(Value::Int("5".into()));
        let dict = obj(vec![("a", Value::Null)]);
        assert_eq!(
            Obj::new(&list).item("x").unwrap_err().message,
            "list indices must be integers or slices, not str"
        );
        assert_eq!(
            Obj::new(&text).item("x").unwrap_err().message,
            "string indices must be integers, not 'str'"
        );
        assert_eq!(
            Obj::new(&int).item("x").unwrap_err().message,
            "'int' object is not subscriptable"
        );
        let missing = Obj::new(&dict).item("b").unwrap_err();
        assert_eq!(
            (missing.kind, missing.message.as_str()),
            (PyExcKind::KeyError, "'b'")
        );
        assert_eq!(
            Obj::new(&list).at(0).unwrap_err().message,
            "list index out of range"
        );
        assert!(Obj::new(&text).at(1).unwrap().eq_str("b"));
        assert_eq!(
            Obj::new(&text).at(2).unwrap_err().message,
            "string index out of range"
        );
        assert_eq!(Obj::new(&dict).at(0).unwrap_err().kind, PyExcKind::KeyError);
        assert_eq!(
            Obj::new(&int).get("x").unwrap_err().message,
            "'int' object has no attribute 'get'"
        );
        assert_eq!(
            Obj::new(&int).iter().unwrap_err().message,
            "'int' object is not iterable"
        );
        assert_eq!(
            Obj::new(&int).len().unwrap_err().message,
            "object of type 'int' has no len()"
        );
        assert_eq!(
            Obj::new(&int).contains("x").unwrap_err().message,
            "argument of type 'int' is not iterable"
        );
        assert!(Obj::new(&dict).item("a").unwrap().is_none());
    }

    #[test]
    fn comparisons_follow_python_ordering() {
        let a = node(Value::Str("2020-01-01".into()));
        let b = node(Value::Str("2021".into()));
        let one = node(Value::Int("1".into()));
        let one_and_half = node(Value::Decimal("1.5e0".into()));
        let small = node(Value::Decimal("0.05".into()));
        let neg = node(Value::Int("-3".into()));
        let lt = |x: &Node, y: &Node| compare(&Obj::new(x), &Obj::new(y), Comparison::LessThan);
        assert!(lt(&a, &b).unwrap());
        assert!(lt(&one, &one_and_half).unwrap());
        assert!(lt(&small, &one).unwrap());
        assert!(lt(&neg, &small).unwrap());
        assert!(!lt(&one_and_half, &one).unwrap());
        assert_eq!(
            lt(&a, &one).unwrap_err().message,
            "'<' not supported between instances of 'str' and 'int'"
        );
    }

    #[test]
    fn repr_matches_python() {
        assert_eq!(py_str_repr("840539006"), "'840539006'");
        assert_eq!(py_str_repr("it's"), "\"it's\"");
        assert_eq!(py_str_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(py_str_repr("t\tn\n\\"), "'t\\tn\\n\\\\'");
        assert_eq!(py_str_repr("\u{7f}é\u{200b}😀"), "'\\x7fé\\u200b😀'");
    }
}
