//! Python semantics the upstream code leaks into its answers: indexing, `.get`,
//! iteration, comparison, `str()`/`repr()` and the texts of the exceptions they raise.
//!
//! The validation stages are written against [`PyVal`], a view of a body value
//! (or of a value Python would derive from one: a dict key, one character of a
//! string, a `{}` default) whose operations behave, and fail, exactly as the
//! same Python expression does on the `json.loads` result.

mod unicode_tables;

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::json::{as_lone_surrogate, key_eq, Key, Node, PyFloat, Value};

/// The Python exception classes whose difference matters to the service's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PyExcKind {
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    KeyError,
    /// Upstream `common.models.errors.MandatoryError` (not a `ValueError`).
    MandatoryError,
    RecursionError,
    /// `decimal.InvalidOperation` (an `ArithmeticError`, caught by no validator).
    InvalidOperation,
}

impl PyExcKind {
    /// The class name as Python prints it in a traceback.
    pub fn name(self) -> &'static str {
        match self {
            PyExcKind::ValueError => "ValueError",
            PyExcKind::TypeError => "TypeError",
            PyExcKind::IndexError => "IndexError",
            PyExcKind::AttributeError => "AttributeError",
            PyExcKind::KeyError => "KeyError",
            PyExcKind::MandatoryError => "MandatoryError",
            PyExcKind::RecursionError => "RecursionError",
            PyExcKind::InvalidOperation => "decimal.InvalidOperation",
        }
    }
}

/// A raised Python exception: its class, `str(exception)`, and the upstream
/// field location of the rule that raised it (for pointing at the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyException {
    pub kind: PyExcKind,
    /// `str(exception)` exactly as Python renders it (a `KeyError('x')` renders as `'x'`).
    pub message: String,
    /// Upstream field location the failing rule was checking; empty when none.
    pub location: String,
}

impl PyException {
    pub fn new(kind: PyExcKind, message: impl Into<String>) -> Self {
        PyException {
            kind,
            message: message.into(),
            location: String::new(),
        }
    }

    /// Attaches the field location of the rule that raised this exception, unless it already has one.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        if self.location.is_empty() {
            self.location = location.into();
        }
        self
    }

    pub fn value_error(message: impl Into<String>) -> Self {
        Self::new(PyExcKind::ValueError, message)
    }

    pub fn type_error(message: impl Into<String>) -> Self {
        Self::new(PyExcKind::TypeError, message)
    }

    pub fn index_error(message: impl Into<String>) -> Self {
        Self::new(PyExcKind::IndexError, message)
    }

    pub fn attribute_error(message: impl Into<String>) -> Self {
        Self::new(PyExcKind::AttributeError, message)
    }

    pub fn mandatory_error(message: impl Into<String>) -> Self {
        Self::new(PyExcKind::MandatoryError, message)
    }

    /// `KeyError(key)` for a str key: renders as the key's `repr`.
    pub fn key_error(key: &str) -> Self {
        Self::new(PyExcKind::KeyError, repr_str(key))
    }

    /// `'<type>' object has no attribute '<attribute>'`.
    pub fn no_attribute(type_name: &str, attribute: &str) -> Self {
        Self::attribute_error(format!(
            "'{type_name}' object has no attribute '{attribute}'"
        ))
    }

    fn recursion() -> Self {
        Self::new(
            PyExcKind::RecursionError,
            "maximum recursion depth exceeded while getting the repr of an object",
        )
    }

    /// Whether `except (ValueError, TypeError, IndexError, AttributeError)` catches it.
    pub fn is_common_validation_error(&self) -> bool {
        matches!(
            self.kind,
            PyExcKind::ValueError
                | PyExcKind::TypeError
                | PyExcKind::IndexError
                | PyExcKind::AttributeError
        )
    }

    /// Whether an `except` clause naming these classes catches it.
    pub fn is_one_of(&self, kinds: &[PyExcKind]) -> bool {
        kinds.contains(&self.kind)
    }

    /// The exception as a traceback's last line prints it: `KeyError: 'coding'`.
    pub fn display(&self) -> String {
        if self.message.is_empty() {
            self.kind.name().to_string()
        } else {
            format!("{}: {}", self.kind.name(), self.message)
        }
    }
}

/// What a Python expression evaluates to, or the exception it raises.
pub type PyResult<T> = Result<T, PyException>;

/// Runs a `try:` body and swallows the exceptions an `except (A, B):` clause names,
/// giving `Ok(None)` for them; any other exception propagates.
pub fn try_except<T>(
    kinds: &[PyExcKind],
    body: impl FnOnce() -> PyResult<T>,
) -> PyResult<Option<T>> {
    match body() {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.is_one_of(kinds) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Nesting beyond which `repr`, `==` and ordering give up the way Python's
/// recursion limit makes them (bodies that deep never get past `json.loads`).
const MAX_DEPTH: usize = 900;

// ---------------------------------------------------------------------------
// str methods and character classes
// ---------------------------------------------------------------------------

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                Ordering::Less
            } else if lo > cp {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .is_ok()
}

/// Python `str.isspace()`: non-empty and every character is whitespace.
pub fn str_isspace(s: &str) -> bool {
    !s.is_empty() && s.chars().all(char_isspace)
}

/// Whether Python's `str.isspace()` counts this character as whitespace.
pub fn char_isspace(c: char) -> bool {
    if c.is_ascii() {
        return matches!(c, '\t'..='\r' | '\x1c'..='\x1f' | ' ');
    }
    in_table(unicode_tables::SPACE, c)
}

/// Whether Python's `str.isdigit()` counts this character as a digit.
fn char_isdigit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_table(unicode_tables::DIGIT, c)
}

/// Python `str.isdigit()`: non-empty and every character has a digit value
/// (this includes superscripts such as `²`, which `int()` then rejects).
pub fn str_isdigit(s: &str) -> bool {
    !s.is_empty() && s.chars().all(char_isdigit)
}

/// Python `str.isdecimal()`: non-empty and every character is a decimal digit (any script).
pub fn str_isdecimal(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| decimal_value(c).is_some())
}

/// The value of a decimal digit of any script (what regex `\d` matches and `int()` reads).
pub fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii() {
        return c.to_digit(10);
    }
    let cp = c as u32;
    let table = unicode_tables::DECIMAL;
    let slot = table.partition_point(|&(lo, _)| lo <= cp);
    let (lo, hi) = *table.get(slot.checked_sub(1)?)?;
    (cp >= lo && cp <= hi).then_some((cp - lo) % 10)
}

/// Whether Python's `str.isprintable()` accepts this character (`repr` leaves it unescaped).
pub fn char_isprintable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    unicode_tables::PRINTABLE.contains(c)
}

/// `len(s)` of a Python str: the number of code points.
pub fn str_len(s: &str) -> usize {
    s.chars().count()
}

/// `int(s)` for a string of one or more digits (`int()` also strips surrounding
/// whitespace and accepts a sign and underscores; callers here only pass what
/// `str.isdigit()` accepted). Raises `ValueError: invalid literal for int() with base 10: '<s>'`.
pub fn int_of_digits(s: &str) -> PyResult<u64> {
    let invalid = || {
        PyException::value_error(format!(
            "invalid literal for int() with base 10: {}",
            repr_str(s)
        ))
    };
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    for c in s.chars() {
        let digit = decimal_value(c).ok_or_else(invalid)?;
        total = total.saturating_mul(10).saturating_add(u64::from(digit));
    }
    Ok(total)
}

/// The code point Python holds for a decoded character (a lone surrogate's
/// stand-in maps back to U+D800..U+DFFF).
fn python_code_point(c: char) -> u32 {
    as_lone_surrogate(c).unwrap_or(c as u32)
}

/// Python's ordering of two str values: by code point, lone surrogates at U+D800..U+DFFF.
fn str_order(a: &str, b: &str) -> Ordering {
    a.chars()
        .map(python_code_point)
        .cmp(b.chars().map(python_code_point))
}

/// Python `repr()` of a str: single quotes unless the text holds `'` and no `"`,
/// with the escapes Python uses for the quote, backslash and non-printable characters.
pub fn repr_str(s: &str) -> String {
    // Printable ASCII without quote or backslash is written as it is.
    let plain = s
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'\'' && b != b'\\');
    if plain {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('\'');
        out.push_str(s);
        out.push('\'');
        return out;
    }
    repr_str_escaped(s)
}

/// `repr(s)` character by character, choosing the quote and escaping as Python does.
fn repr_str_escaped(s: &str) -> String {
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
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if char_isprintable(c) => out.push(c),
            c => {
                let cp = python_code_point(c);
                if cp < 0x100 {
                    out.push_str(&format!("\\x{cp:02x}"));
                } else if cp < 0x10000 {
                    out.push_str(&format!("\\u{cp:04x}"));
                } else {
                    out.push_str(&format!("\\U{cp:08x}"));
                }
            }
        }
    }
    out.push(quote);
    out
}

// ---------------------------------------------------------------------------
// numbers
// ---------------------------------------------------------------------------

/// A Python number as the comparison operators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Number {
    /// `(-1)^negative * digits * 10^exponent`, digits without leading zeros (empty for zero).
    Finite {
        negative: bool,
        digits: String,
        exponent: i64,
    },
    Infinite {
        negative: bool,
    },
    /// `float('nan')`; `from_decimal` marks which side was a `Decimal` (ordering then raises).
    NaN,
}

impl Number {
    fn finite(negative: bool, digits: &str, exponent: i64) -> Number {
        let digits = digits.trim_start_matches('0');
        let trimmed = digits.trim_end_matches('0');
        let exponent = exponent.saturating_add((digits.len() - trimmed.len()) as i64);
        if trimmed.is_empty() {
            Number::Finite {
                negative: false,
                digits: String::new(),
                exponent: 0,
            }
        } else {
            Number::Finite {
                negative,
                digits: trimmed.to_string(),
                exponent,
            }
        }
    }

    fn of(value: &Value) -> Option<Number> {
        match value {
            Value::Bool(b) => Some(Number::finite(false, if *b { "1" } else { "" }, 0)),
            Value::Int(text) => {
                let (negative, digits) = split_sign(text);
                Some(Number::finite(negative, digits, 0))
            }
            Value::Decimal(text) => {
                let parts = DecimalParts::parse(text);
                Some(Number::finite(
                    parts.negative,
                    &parts.coefficient,
                    parts.exponent,
                ))
            }
            Value::Float(PyFloat::NaN) => Some(Number::NaN),
            Value::Float(PyFloat::Infinity) => Some(Number::Infinite { negative: false }),
            Value::Float(PyFloat::NegInfinity) => Some(Number::Infinite { negative: true }),
            _ => None,
        }
    }

    fn sign(&self) -> i8 {
        match self {
            Number::Finite { digits, .. } if digits.is_empty() => 0,
            Number::Finite { negative, .. } | Number::Infinite { negative } => {
                if *negative {
                    -1
                } else {
                    1
                }
            }
            Number::NaN => 0,
        }
    }

    /// Total order of non-NaN numbers; `None` when either is NaN.
    fn compare(&self, other: &Number) -> Option<Ordering> {
        if matches!(self, Number::NaN) || matches!(other, Number::NaN) {
            return None;
        }
        let (a, b) = (self.sign(), other.sign());
        if a != b {
            return Some(a.cmp(&b));
        }
        let magnitude = match (self, other) {
            (Number::Infinite { .. }, Number::Infinite { .. }) => Ordering::Equal,
            (Number::Infinite { .. }, _) => Ordering::Greater,
            (_, Number::Infinite { .. }) => Ordering::Less,
            (
                Number::Finite {
                    digits: da,
                    exponent: ea,
                    ..
                },
                Number::Finite {
                    digits: db,
                    exponent: eb,
                    ..
                },
            ) => {
                if da.is_empty() {
                    Ordering::Equal
                } else {
                    let ma = (da.len() as i64).saturating_add(*ea);
                    let mb = (db.len() as i64).saturating_add(*eb);
                    ma.cmp(&mb).then_with(|| {
                        let width = da.len().max(db.len());
                        let pa = format!("{da:0<width$}");
                        let pb = format!("{db:0<width$}");
                        pa.cmp(&pb)
                    })
                }
            }
            _ => Ordering::Equal,
        };
        Some(if a < 0 {
            magnitude.reverse()
        } else {
            magnitude
        })
    }
}

fn split_sign(text: &str) -> (bool, &str) {
    match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    }
}

/// A `Decimal` built from a JSON number literal: sign, coefficient digits, exponent.
struct DecimalParts {
    negative: bool,
    /// Digits of the coefficient, leading zeros removed (`"0"` for zero).
    coefficient: String,
    exponent: i64,
}

impl DecimalParts {
    fn parse(text: &str) -> DecimalParts {
        let (negative, rest) = split_sign(text);
        let (mantissa, exp_text) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, ""),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
            None => (mantissa, ""),
        };
        let mut exponent: i64 = 0;
        if !exp_text.is_empty() {
            let (exp_negative, exp_digits) = split_sign(exp_text);
            for b in exp_digits.bytes().filter(u8::is_ascii_digit) {
                exponent = exponent
                    .saturating_mul(10)
                    .saturating_add(i64::from(b - b'0'));
            }
            if exp_negative {
                exponent = -exponent;
            }
        }
        exponent = exponent.saturating_sub(frac_part.len() as i64);
        let mut coefficient = format!("{int_part}{frac_part}")
            .trim_start_matches('0')
            .to_string();
        if coefficient.is_empty() {
            coefficient.push('0');
        }
        DecimalParts {
            negative,
            coefficient,
            exponent,
        }
    }
}

/// `str(Decimal(text))` for a JSON number literal (`1e2` → `1E+2`, `0.50` → `0.50`).
pub fn decimal_str(text: &str) -> String {
    let parts = DecimalParts::parse(text);
    let coeff = parts.coefficient.as_str();
    let len = coeff.len() as i64;
    let left_digits = parts.exponent.saturating_add(len);
    let dot_place = if parts.exponent <= 0 && left_digits > -6 {
        left_digits
    } else {
        1
    };
    let mut out = String::new();
    if parts.negative {
        out.push('-');
    }
    if dot_place <= 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat(dot_place.unsigned_abs() as usize));
        out.push_str(coeff);
    } else if dot_place >= len {
        out.push_str(coeff);
        out.push_str(&"0".repeat((dot_place - len) as usize));
    } else {
        out.push_str(&coeff[..dot_place as usize]);
        out.push('.');
        out.push_str(&coeff[dot_place as usize..]);
    }
    if left_digits != dot_place {
        let adjusted = left_digits - dot_place;
        out.push_str(&format!(
            "E{}{adjusted}",
            if adjusted >= 0 { "+" } else { "" }
        ));
    }
    out
}

/// `str(int(text))` for a JSON integer literal (`-0` → `0`).
pub fn int_str(text: &str) -> String {
    let (negative, digits) = split_sign(text);
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        "0".to_string()
    } else if negative {
        format!("-{digits}")
    } else {
        digits.to_string()
    }
}

fn float_str(f: PyFloat) -> &'static str {
    match f {
        PyFloat::NaN => "nan",
        PyFloat::Infinity => "inf",
        PyFloat::NegInfinity => "-inf",
    }
}

// ---------------------------------------------------------------------------
// PyVal
// ---------------------------------------------------------------------------

/// A Python value reached while evaluating an upstream expression on the body.
#[derive(Debug, Clone)]
pub enum PyVal<'a> {
    /// A value of the request body (its `None` is `Value::Null`).
    Node(&'a Node),
    /// A `str` that is not itself a body value: a dict key met by iteration, one
    /// character of a string (`"abc"[0]`), a literal default (`.get("reference", "")`).
    Str(Cow<'a, str>),
    /// `None` produced by `.get()` of a missing key.
    None,
    /// A `{}` literal default (`.get("actor", {})`).
    EmptyDict,
    /// A `[]` literal default (`.get("performer", [])`).
    EmptyList,
}

/// The Python type and contents of a [`PyVal`], for matching.
#[derive(Debug, Clone, Copy)]
pub enum PyView<'v> {
    None,
    Bool(bool),
    /// `int`: the literal's text.
    Int(&'v str),
    /// `decimal.Decimal`: the literal's text.
    Decimal(&'v str),
    Float(PyFloat),
    Str(&'v str),
    List(&'v [Node]),
    Dict(&'v [(Key, Node)]),
}

/// The values a `for` loop over a [`PyVal`] visits ([`PyVal::iter`]), without copying them.
#[derive(Debug, Clone)]
pub enum PyIter<'a> {
    /// A list's items.
    Items(std::slice::Iter<'a, Node>),
    /// A dict's keys, in insertion order.
    Keys(std::slice::Iter<'a, (Key, Node)>),
    /// A str's characters, each a one-character str.
    Chars(std::vec::IntoIter<PyVal<'a>>),
    /// An empty literal.
    Empty,
}

impl<'a> Iterator for PyIter<'a> {
    type Item = PyVal<'a>;

    fn next(&mut self) -> Option<PyVal<'a>> {
        match self {
            PyIter::Items(items) => items.next().map(PyVal::Node),
            PyIter::Keys(members) => members.next().map(|(k, _)| PyVal::str(k)),
            PyIter::Chars(chars) => chars.next(),
            PyIter::Empty => None,
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            PyIter::Items(items) => items.size_hint(),
            PyIter::Keys(members) => members.size_hint(),
            PyIter::Chars(chars) => chars.size_hint(),
            PyIter::Empty => (0, Some(0)),
        }
    }
}

impl ExactSizeIterator for PyIter<'_> {}

impl<'a> From<&'a Node> for PyVal<'a> {
    fn from(node: &'a Node) -> Self {
        PyVal::Node(node)
    }
}

impl<'a> PyVal<'a> {
    /// A str literal or derived str.
    pub fn str(text: &'a str) -> Self {
        PyVal::Str(Cow::Borrowed(text))
    }

    /// The Python type and contents of this value.
    pub fn view(&self) -> PyView<'_> {
        match self {
            PyVal::Node(node) => view_of(node),
            PyVal::Str(text) => PyView::Str(text),
            PyVal::None => PyView::None,
            PyVal::EmptyDict => PyView::Dict(&[]),
            PyVal::EmptyList => PyView::List(&[]),
        }
    }

    /// `type(x).__name__` as exception texts print it.
    pub fn type_name(&self) -> &'static str {
        view_type_name(self.view())
    }

    /// `x is None`.
    pub fn is_none(&self) -> bool {
        matches!(self.view(), PyView::None)
    }

    /// `isinstance(x, str)`.
    pub fn is_str(&self) -> bool {
        matches!(self.view(), PyView::Str(_))
    }

    /// `isinstance(x, list)`.
    pub fn is_list(&self) -> bool {
        matches!(self.view(), PyView::List(_))
    }

    /// `isinstance(x, dict)`.
    pub fn is_dict(&self) -> bool {
        matches!(self.view(), PyView::Dict(_))
    }

    /// `isinstance(x, bool)`.
    pub fn is_bool(&self) -> bool {
        matches!(self.view(), PyView::Bool(_))
    }

    /// `type(x) is int` (a bool is not).
    pub fn is_exact_int(&self) -> bool {
        matches!(self.view(), PyView::Int(_))
    }

    /// `type(x) is Decimal`.
    pub fn is_decimal(&self) -> bool {
        matches!(self.view(), PyView::Decimal(_))
    }

    /// The text of a str value.
    #[inline]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PyVal::Node(Node {
                value: Value::Str(text),
                ..
            }) => Some(text),
            PyVal::Str(text) => Some(text),
            _ => None,
        }
    }

    /// The body node this value is, if it is one.
    pub fn node(&self) -> Option<&'a Node> {
        match self {
            PyVal::Node(node) => Some(node),
            _ => None,
        }
    }

    /// Python truthiness (`if x:`).
    pub fn truthy(&self) -> bool {
        match self {
            PyVal::Node(node) => node.value.is_truthy(),
            PyVal::Str(text) => !text.is_empty(),
            PyVal::None | PyVal::EmptyDict | PyVal::EmptyList => false,
        }
    }

    /// `x[key]` with a str key.
    #[inline]
    pub fn getitem(&self, key: &str) -> PyResult<PyVal<'a>> {
        self.lookup(key)?.ok_or_else(|| PyException::key_error(key))
    }

    /// `x[key]` with a str key where a missing key is answered `None` instead
    /// of raising `KeyError` (every other exception of `x[key]` is raised).
    #[inline]
    pub fn lookup(&self, key: &str) -> PyResult<Option<PyVal<'a>>> {
        match self {
            PyVal::Node(Node {
                value: Value::Object(members),
                ..
            }) => Ok(member(members, key).map(PyVal::Node)),
            PyVal::EmptyDict => Ok(None),
            _ => Err(self.str_subscript_error()),
        }
    }

    /// The exception `x["key"]` raises on this non-dict.
    #[cold]
    #[inline(never)]
    fn str_subscript_error(&self) -> PyException {
        str_subscript_error(self.view())
    }

    /// The `AttributeError` of `x.<method>` on a value without that method.
    #[cold]
    #[inline(never)]
    fn no_method(&self, method: &str) -> PyException {
        PyException::no_attribute(self.type_name(), method)
    }

    /// `x[i]` with an int index (negative counts from the end, as in Python).
    #[inline]
    pub fn index(&self, i: i64) -> PyResult<PyVal<'a>> {
        if let PyVal::Node(Node {
            value: Value::Array(items),
            ..
        }) = self
        {
            if let Some(item) = python_position(i, items.len()).and_then(|at| items.get(at)) {
                return Ok(PyVal::Node(item));
            }
        }
        self.index_other(i)
    }

    /// [`PyVal::index`] where the value is not a list of the body holding that index.
    #[inline(never)]
    fn index_other(&self, i: i64) -> PyResult<PyVal<'a>> {
        match self {
            PyVal::Node(node) => match &node.value {
                Value::Array(items) => python_position(i, items.len())
                    .and_then(|at| items.get(at))
                    .map(PyVal::Node)
                    .ok_or_else(|| PyException::index_error("list index out of range")),
                Value::Object(_) => Err(PyException::new(PyExcKind::KeyError, i.to_string())),
                Value::Str(text) => char_at(text, i).map(|c| PyVal::Str(Cow::Owned(c.to_string()))),
                _ => Err(not_subscriptable(self.type_name())),
            },
            PyVal::Str(text) => char_at(text, i).map(|c| PyVal::Str(Cow::Owned(c.to_string()))),
            PyVal::EmptyList => Err(PyException::index_error("list index out of range")),
            PyVal::EmptyDict => Err(PyException::new(PyExcKind::KeyError, i.to_string())),
            PyVal::None => Err(not_subscriptable("NoneType")),
        }
    }

    /// `x.get(key)`: `None` for a missing key; `AttributeError` on a non-dict.
    #[inline]
    pub fn get(&self, key: &str) -> PyResult<PyVal<'a>> {
        self.get_or(key, PyVal::None)
    }

    /// `x.get(key, default)`.
    #[inline]
    pub fn get_or(&self, key: &str, default: PyVal<'a>) -> PyResult<PyVal<'a>> {
        match self {
            PyVal::Node(Node {
                value: Value::Object(members),
                ..
            }) => Ok(member(members, key).map_or(default, PyVal::Node)),
            PyVal::EmptyDict => Ok(default),
            _ => Err(self.no_method("get")),
        }
    }

    /// `x.keys()` (as a list of str).
    pub fn keys(&self) -> PyResult<PyIter<'a>> {
        match self {
            PyVal::Node(node) => match &node.value {
                Value::Object(members) => Ok(PyIter::Keys(members.iter())),
                _ => Err(PyException::no_attribute(self.type_name(), "keys")),
            },
            PyVal::EmptyDict => Ok(PyIter::Empty),
            _ => Err(PyException::no_attribute(self.type_name(), "keys")),
        }
    }

    /// `iter(x)`: what `for item in x` visits — a list's items, a dict's keys,
    /// a str's characters; `TypeError: '<type>' object is not iterable` otherwise.
    /// The items are produced as the loop asks for them.
    #[inline]
    pub fn iter(&self) -> PyResult<PyIter<'a>> {
        match self {
            PyVal::Node(Node {
                value: Value::Array(items),
                ..
            }) => Ok(PyIter::Items(items.iter())),
            _ => self.iter_other(),
        }
    }

    /// [`PyVal::iter`] of anything but a list of the body.
    #[inline(never)]
    fn iter_other(&self) -> PyResult<PyIter<'a>> {
        match self {
            PyVal::Node(node) => match &node.value {
                Value::Array(items) => Ok(PyIter::Items(items.iter())),
                Value::Object(members) => Ok(PyIter::Keys(members.iter())),
                Value::Str(text) => Ok(PyIter::Chars(chars_of(text).into_iter())),
                _ => Err(PyException::type_error(format!(
                    "'{}' object is not iterable",
                    self.type_name()
                ))),
            },
            PyVal::Str(text) => Ok(PyIter::Chars(chars_of(text).into_iter())),
            PyVal::EmptyDict | PyVal::EmptyList => Ok(PyIter::Empty),
            PyVal::None => Err(PyException::type_error("'NoneType' object is not iterable")),
        }
    }

    /// `len(x)`.
    pub fn py_len(&self) -> PyResult<usize> {
        match self.view() {
            PyView::Str(text) => Ok(str_len(text)),
            PyView::List(items) => Ok(items.len()),
            PyView::Dict(members) => Ok(members.len()),
            other => Err(PyException::type_error(format!(
                "object of type '{}' has no len()",
                view_type_name(other)
            ))),
        }
    }

    /// `needle in x` for a str needle: dict key, list item equal to it, or substring.
    pub fn contains_str(&self, needle: &str) -> PyResult<bool> {
        self.contains(&PyVal::str(needle))
    }

    /// `needle in x`.
    pub fn contains(&self, needle: &PyVal<'_>) -> PyResult<bool> {
        match self.view() {
            PyView::Dict(members) => {
                needle.hash_check()?;
                Ok(match needle.view() {
                    PyView::Str(key) => members.iter().any(|(k, _)| key_eq(k, key)),
                    _ => false,
                })
            }
            PyView::List(items) => {
                let mut found = false;
                for item in items {
                    if contained_eq(&PyVal::Node(item), needle, 0)? {
                        found = true;
                        break;
                    }
                }
                Ok(found)
            }
            PyView::Str(text) => match needle.view() {
                PyView::Str(part) => Ok(text.contains(part)),
                other => Err(PyException::type_error(format!(
                    "'in <string>' requires string as left operand, not {}",
                    view_type_name(other)
                ))),
            },
            other => Err(PyException::type_error(format!(
                "argument of type '{}' is not iterable",
                view_type_name(other)
            ))),
        }
    }

    /// `x in {"a", "b"}` (a set of str): `TypeError: unhashable type` for a list or dict.
    pub fn in_str_set(&self, set: &[&str]) -> PyResult<bool> {
        self.hash_check()?;
        Ok(match self.view() {
            PyView::Str(text) => set.iter().any(|member| key_eq(member, text)),
            _ => false,
        })
    }

    /// `x in ("a", "b")` / `x in ["a", "b"]` (a tuple or list of str literals): compares with `==`.
    pub fn in_str_seq(&self, seq: &[&str]) -> bool {
        seq.iter().any(|s| self.eq_str(s))
    }

    /// Raises `TypeError: unhashable type: 'list'` for values that cannot be dict keys or set members.
    pub fn hash_check(&self) -> PyResult<()> {
        match self.view() {
            PyView::List(_) | PyView::Dict(_) => Err(PyException::type_error(format!(
                "unhashable type: '{}'",
                self.type_name()
            ))),
            _ => Ok(()),
        }
    }

    /// `x.startswith(prefix)`.
    pub fn startswith(&self, prefix: &str) -> PyResult<bool> {
        match self.view() {
            PyView::Str(text) => Ok(text.starts_with(prefix)),
            other => Err(PyException::no_attribute(
                view_type_name(other),
                "startswith",
            )),
        }
    }

    /// `x.endswith(suffix)`.
    pub fn endswith(&self, suffix: &str) -> PyResult<bool> {
        match self.view() {
            PyView::Str(text) => Ok(text.ends_with(suffix)),
            other => Err(PyException::no_attribute(view_type_name(other), "endswith")),
        }
    }

    /// `x == "literal"`.
    #[inline]
    pub fn eq_str(&self, literal: &str) -> bool {
        self.as_str().is_some_and(|text| key_eq(text, literal))
    }

    /// `x == y` (structural for containers; `1 == True == Decimal("1.0")`; `nan != nan`).
    pub fn py_eq(&self, other: &PyVal<'_>) -> bool {
        value_eq(self.view(), other.view(), false, 0).unwrap_or(false)
    }

    /// `x < y`.
    pub fn lt(&self, other: &PyVal<'_>) -> PyResult<bool> {
        order(self.view(), other.view(), CmpOp::Lt, 0)
    }

    /// `x > y`.
    pub fn gt(&self, other: &PyVal<'_>) -> PyResult<bool> {
        order(self.view(), other.view(), CmpOp::Gt, 0)
    }

    /// `x <= y`.
    pub fn le(&self, other: &PyVal<'_>) -> PyResult<bool> {
        order(self.view(), other.view(), CmpOp::Le, 0)
    }

    /// `x >= y`.
    pub fn ge(&self, other: &PyVal<'_>) -> PyResult<bool> {
        order(self.view(), other.view(), CmpOp::Ge, 0)
    }

    /// `str(x)` (`True`, `None`, `1E+2`, `{'a': [1]}`).
    pub fn py_str(&self) -> PyResult<String> {
        match self.view() {
            PyView::Str(text) => Ok(text.to_string()),
            PyView::Decimal(text) => Ok(decimal_str(text)),
            other => view_repr(other, 0),
        }
    }

    /// `repr(x)` (`'abc'`, `Decimal('1.5')`, `[1, 'a']`).
    pub fn py_repr(&self) -> PyResult<String> {
        view_repr(self.view(), 0)
    }

    /// `"prefix" + x`: `TypeError: can only concatenate str (not "int") to str` for a non-str.
    pub fn concat_after(&self, prefix: &str) -> PyResult<String> {
        match self.view() {
            PyView::Str(text) => Ok(format!("{prefix}{text}")),
            other => Err(PyException::type_error(format!(
                "can only concatenate str (not \"{}\") to str",
                view_type_name(other)
            ))),
        }
    }
}

/// The value of a dict's member `key` (its first, should keys repeat).
#[inline]
fn member<'a>(members: &'a [(Key, Node)], key: &str) -> Option<&'a Node> {
    for (k, v) in members {
        if key_eq(k, key) {
            return Some(v);
        }
    }
    None
}

fn view_of(node: &Node) -> PyView<'_> {
    match &node.value {
        Value::Null => PyView::None,
        Value::Bool(b) => PyView::Bool(*b),
        Value::Int(text) => PyView::Int(text),
        Value::Decimal(text) => PyView::Decimal(text),
        Value::Float(f) => PyView::Float(*f),
        Value::Str(text) => PyView::Str(text),
        Value::Array(items) => PyView::List(items),
        Value::Object(members) => PyView::Dict(members),
    }
}

fn view_type_name(view: PyView<'_>) -> &'static str {
    match view {
        PyView::None => "NoneType",
        PyView::Bool(_) => "bool",
        PyView::Int(_) => "int",
        PyView::Decimal(_) => "decimal.Decimal",
        PyView::Float(_) => "float",
        PyView::Str(_) => "str",
        PyView::List(_) => "list",
        PyView::Dict(_) => "dict",
    }
}

fn not_subscriptable(type_name: &str) -> PyException {
    PyException::type_error(format!("'{type_name}' object is not subscriptable"))
}

/// The exception `x["key"]` raises on a non-dict (dicts are looked up by the caller).
fn str_subscript_error(view: PyView<'_>) -> PyException {
    match view {
        PyView::List(_) => {
            PyException::type_error("list indices must be integers or slices, not str")
        }
        PyView::Str(_) => PyException::type_error("string indices must be integers, not 'str'"),
        other => not_subscriptable(view_type_name(other)),
    }
}

fn python_position(i: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let at = if i < 0 { i + len } else { i };
    (0..len).contains(&at).then_some(at as usize)
}

fn char_at(text: &str, i: i64) -> PyResult<char> {
    let count = str_len(text);
    python_position(i, count)
        .and_then(|at| text.chars().nth(at))
        .ok_or_else(|| PyException::index_error("string index out of range"))
}

fn chars_of<'a>(text: &str) -> Vec<PyVal<'a>> {
    text.chars()
        .map(|c| PyVal::Str(Cow::Owned(c.to_string())))
        .collect()
}

/// Item comparison inside containers (`in`, list/dict `==`): Python's identity
/// shortcut makes the shared `NaN` object of `json.loads` equal to itself.
fn contained_eq(a: &PyVal<'_>, b: &PyVal<'_>, depth: usize) -> PyResult<bool> {
    value_eq(a.view(), b.view(), true, depth)
}

fn value_eq(a: PyView<'_>, b: PyView<'_>, identity: bool, depth: usize) -> PyResult<bool> {
    if depth > MAX_DEPTH {
        return Err(PyException::new(
            PyExcKind::RecursionError,
            "maximum recursion depth exceeded in comparison",
        ));
    }
    Ok(match (a, b) {
        (PyView::None, PyView::None) => true,
        (PyView::Str(x), PyView::Str(y)) => x == y,
        (PyView::Float(PyFloat::NaN), PyView::Float(PyFloat::NaN)) => identity,
        (PyView::List(x), PyView::List(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (p, q) in x.iter().zip(y) {
                if !value_eq(view_of(p), view_of(q), true, depth + 1)? {
                    return Ok(false);
                }
            }
            true
        }
        (PyView::Dict(x), PyView::Dict(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (key, p) in x {
                match y.iter().find(|(k, _)| k == key) {
                    Some((_, q)) => {
                        if !value_eq(view_of(p), view_of(q), true, depth + 1)? {
                            return Ok(false);
                        }
                    }
                    None => return Ok(false),
                }
            }
            true
        }
        (x, y) => match (number_of(x), number_of(y)) {
            (Some(p), Some(q)) => p.compare(&q) == Some(Ordering::Equal),
            _ => false,
        },
    })
}

fn number_of(view: PyView<'_>) -> Option<Number> {
    match view {
        PyView::Bool(b) => Number::of(&Value::Bool(b)),
        PyView::Int(text) => Number::of(&Value::Int(text.into())),
        PyView::Decimal(text) => Number::of(&Value::Decimal(text.into())),
        PyView::Float(f) => Number::of(&Value::Float(f)),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    fn holds(self, ordering: Ordering) -> bool {
        match self {
            CmpOp::Lt => ordering == Ordering::Less,
            CmpOp::Le => ordering != Ordering::Greater,
            CmpOp::Gt => ordering == Ordering::Greater,
            CmpOp::Ge => ordering != Ordering::Less,
        }
    }
}

fn order(a: PyView<'_>, b: PyView<'_>, op: CmpOp, depth: usize) -> PyResult<bool> {
    if depth > MAX_DEPTH {
        return Err(PyException::new(
            PyExcKind::RecursionError,
            "maximum recursion depth exceeded in comparison",
        ));
    }
    match (a, b) {
        (PyView::Str(x), PyView::Str(y)) => Ok(op.holds(str_order(x, y))),
        (PyView::List(x), PyView::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                if !value_eq(view_of(p), view_of(q), true, depth + 1)? {
                    return order(view_of(p), view_of(q), op, depth + 1);
                }
            }
            Ok(op.holds(x.len().cmp(&y.len())))
        }
        (x, y) => match (number_of(x), number_of(y)) {
            (Some(p), Some(q)) => match p.compare(&q) {
                Some(ordering) => Ok(op.holds(ordering)),
                None => {
                    let decimal_involved =
                        matches!(x, PyView::Decimal(_)) || matches!(y, PyView::Decimal(_));
                    if decimal_involved {
                        Err(PyException::new(
                            PyExcKind::InvalidOperation,
                            "[<class 'decimal.InvalidOperation'>]",
                        ))
                    } else {
                        Ok(false)
                    }
                }
            },
            _ => Err(PyException::type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                view_type_name(x),
                view_type_name(y)
            ))),
        },
    }
}

fn view_repr(view: PyView<'_>, depth: usize) -> PyResult<String> {
    if depth > MAX_DEPTH {
        return Err(PyException::recursion());
    }
    Ok(match view {
        PyView::None => "None".to_string(),
        PyView::Bool(true) => "True".to_string(),
        PyView::Bool(false) => "False".to_string(),
        PyView::Int(text) => int_str(text),
        PyView::Decimal(text) => format!("Decimal('{}')", decimal_str(text)),
        PyView::Float(f) => float_str(f).to_string(),
        PyView::Str(text) => repr_str(text),
        PyView::List(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                parts.push(view_repr(view_of(item), depth + 1)?);
            }
            format!("[{}]", parts.join(", "))
        }
        PyView::Dict(members) => {
            let mut parts = Vec::with_capacity(members.len());
            for (key, item) in members {
                parts.push(format!(
                    "{}: {}",
                    repr_str(key),
                    view_repr(view_of(item), depth + 1)?
                ));
            }
            format!("{{{}}}", parts.join(", "))
        }
    })
}

/// `needle in items` for a Python list of already-evaluated values (identity, then `==`).
pub fn list_contains(items: &[PyVal<'_>], needle: &PyVal<'_>) -> PyResult<bool> {
    for item in items {
        if contained_eq(item, needle, 0)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `str(x)` of a body value.
pub fn node_str(node: &Node) -> PyResult<String> {
    PyVal::Node(node).py_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Span;

    /// The ASCII shortcuts of the character classes answer as the Unicode tables do.
    #[test]
    fn character_class_shortcuts_match_the_tables() {
        for c in (0..=0x10_FFFFu32).filter_map(char::from_u32) {
            assert_eq!(char_isspace(c), in_table(unicode_tables::SPACE, c), "{c:?}");
            assert_eq!(char_isdigit(c), in_table(unicode_tables::DIGIT, c), "{c:?}");
        }
        assert!(str_isdigit("0123456789"));
        assert!(str_isdigit("٣٦٨²"));
        assert!(!str_isdigit(""));
        assert!(!str_isdigit("12a"));
        assert!(!str_isdigit("1\u{10f800}"));
        assert!(str_isspace(" \t\n\r\x0b\x0c\x1c\u{3000}\u{85}"));
        assert!(!str_isspace(""));
        assert!(!str_isspace(" x "));
    }

    fn n(value: Value) -> Node {
        Node::new(value, Span::default())
    }
    fn s(text: &str) -> Node {
        n(Value::Str(text.into()))
    }
    fn obj(members: Vec<(&str, Node)>) -> Node {
        n(Value::Object(
            members.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        ))
    }
    fn int(text: &str) -> Node {
        n(Value::Int(text.into()))
    }
    fn dec(text: &str) -> Node {
        n(Value::Decimal(text.into()))
    }

    #[test]
    fn subscript_errors_match_python() {
        let list = n(Value::Array(vec![]));
        let text = s("ab");
        let number = int("5");
        let none = n(Value::Null);
        let d = dec("1.5");
        let err = |r: PyResult<PyVal>| r.map(|_| ()).unwrap_err().message;
        assert_eq!(
            err(PyVal::from(&list).getitem("a")),
            "list indices must be integers or slices, not str"
        );
        assert_eq!(
            err(PyVal::from(&text).getitem("a")),
            "string indices must be integers, not 'str'"
        );
        assert_eq!(
            err(PyVal::from(&number).getitem("a")),
            "'int' object is not subscriptable"
        );
        assert_eq!(
            err(PyVal::from(&none).getitem("a")),
            "'NoneType' object is not subscriptable"
        );
        assert_eq!(
            err(PyVal::from(&d).getitem("a")),
            "'decimal.Decimal' object is not subscriptable"
        );
        assert_eq!(err(PyVal::from(&list).index(0)), "list index out of range");
        let o = obj(vec![]);
        let e = PyVal::from(&o).index(0).map(|_| ()).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (PyExcKind::KeyError, "0"));
        let e = PyVal::from(&o).getitem("x").map(|_| ()).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (PyExcKind::KeyError, "'x'"));
        assert_eq!(PyVal::from(&text).index(1).unwrap().as_str(), Some("b"));
        assert_eq!(PyVal::from(&text).index(-1).unwrap().as_str(), Some("b"));
        assert_eq!(
            err(PyVal::from(&text).get("a")),
            "'str' object has no attribute 'get'"
        );
        assert_eq!(
            err(PyVal::from(&none).get("a")),
            "'NoneType' object has no attribute 'get'"
        );
    }

    #[test]
    fn iteration_len_and_membership_match_python() {
        let number = int("5");
        let e = PyVal::from(&number).iter().unwrap_err();
        assert_eq!(e.message, "'int' object is not iterable");
        let e = PyVal::from(&number).py_len().unwrap_err();
        assert_eq!(e.message, "object of type 'int' has no len()");
        let e = PyVal::from(&number).contains_str("a").unwrap_err();
        assert_eq!(e.message, "argument of type 'int' is not iterable");
        let o = obj(vec![("given", int("1")), ("family", int("2"))]);
        let keys: Vec<String> = PyVal::from(&o)
            .iter()
            .unwrap()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        assert_eq!(keys, ["given", "family"]);
        let text = s("givenfamily");
        assert!(PyVal::from(&text).contains_str("family").unwrap());
        let e = PyVal::from(&text)
            .contains(&PyVal::from(&number))
            .unwrap_err();
        assert_eq!(
            e.message,
            "'in <string>' requires string as left operand, not int"
        );
        let list = n(Value::Array(vec![]));
        let e = PyVal::from(&list).in_str_set(&["a"]).unwrap_err();
        assert_eq!(e.message, "unhashable type: 'list'");
        assert_eq!(str_len("é😀"), 2);
    }

    #[test]
    fn str_and_repr_match_python() {
        for (literal, expected) in [
            ("1e2", "1E+2"),
            ("0.000", "0.000"),
            ("-0", "-0"),
            ("1.50", "1.50"),
            ("1E-7", "1E-7"),
            ("123456789e-20", "1.23456789E-12"),
            ("0e5", "0E+5"),
            ("-0.0e-3", "-0.0000"),
            ("5E+3", "5E+3"),
            ("0.5", "0.5"),
        ] {
            assert_eq!(decimal_str(literal), expected, "{literal}");
        }
        let nested = obj(vec![(
            "a",
            n(Value::Array(vec![
                int("1"),
                n(Value::Bool(true)),
                n(Value::Null),
                dec("1.0"),
                n(Value::Float(PyFloat::NaN)),
                s("it's"),
            ])),
        )]);
        assert_eq!(
            PyVal::from(&nested).py_str().unwrap(),
            "{'a': [1, True, None, Decimal('1.0'), nan, \"it's\"]}"
        );
        assert_eq!(repr_str("a'\"b"), "'a\\'\"b'");
        // The plain-ASCII shortcut writes what the escaping path writes.
        let mut samples: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        samples.extend(
            [
                "",
                "coding",
                "a b",
                "x'y",
                "x\\y",
                "\u{7f}",
                "é",
                "doseNumberString",
            ]
            .map(String::from),
        );
        for sample in &samples {
            assert_eq!(repr_str(sample), repr_str_escaped(sample), "{sample:?}");
        }
        assert_eq!(
            repr_str("\u{0}\u{7f}\u{85}\u{a0}\u{2028}é😀\n"),
            "'\\x00\\x7f\\x85\\xa0\\u2028é😀\\n'"
        );
        assert_eq!(int_str("-0"), "0");
        let surrogate = crate::json::lone_surrogate_char(0xD83D).to_string();
        assert_eq!(repr_str(&surrogate), "'\\ud83d'");
        assert_eq!(str_order(&surrogate, "\u{E000}"), Ordering::Less);
        assert_eq!(PyVal::from(&dec("1.50")).py_str().unwrap(), "1.50");
    }

    #[test]
    fn comparisons_match_python() {
        let one = int("1");
        let t = n(Value::Bool(true));
        let one_dec = dec("1.0");
        let nan = n(Value::Float(PyFloat::NaN));
        let text = s("a");
        assert!(PyVal::from(&one).py_eq(&PyVal::from(&t)));
        assert!(PyVal::from(&one_dec).py_eq(&PyVal::from(&one)));
        assert!(!PyVal::from(&nan).py_eq(&PyVal::from(&nan)));
        let nan_list = n(Value::Array(vec![nan.clone()]));
        assert!(PyVal::from(&nan_list).py_eq(&PyVal::from(&nan_list)));
        let e = PyVal::from(&text).lt(&PyVal::from(&one)).unwrap_err();
        assert_eq!(
            e.message,
            "'<' not supported between instances of 'str' and 'int'"
        );
        let e = PyVal::from(&one).gt(&PyVal::from(&text)).unwrap_err();
        assert_eq!(
            e.message,
            "'>' not supported between instances of 'int' and 'str'"
        );
        assert!(PyVal::from(&s("2021-01-01"))
            .lt(&PyVal::from(&s("2021-02")))
            .unwrap());
        assert!(PyVal::from(&dec("1.5")).gt(&PyVal::from(&one)).unwrap());
        assert!(!PyVal::from(&dec("-1.5"))
            .gt(&PyVal::from(&int("-1")))
            .unwrap());
        assert!(PyVal::from(&dec("1e2"))
            .gt(&PyVal::from(&int("99")))
            .unwrap());
        let e = PyVal::from(&dec("1.5")).lt(&PyVal::from(&nan)).unwrap_err();
        assert_eq!(e.kind, PyExcKind::InvalidOperation);
        let e = PyVal::from(&one).concat_after("#").unwrap_err();
        assert_eq!(e.message, "can only concatenate str (not \"int\") to str");
    }

    #[test]
    fn character_classes_match_python() {
        assert!(str_isspace(" \t\u{1c}\u{85}\u{a0}\u{3000}"));
        assert!(!str_isspace(""));
        assert!(!str_isspace("\u{200b}"));
        assert!(str_isdigit("12²"));
        assert!(!str_isdecimal("12²"));
        assert_eq!(decimal_value('٣'), Some(3));
        assert_eq!(decimal_value('a'), None);
        assert_eq!(
            int_of_digits("²").unwrap_err().message,
            "invalid literal for int() with base 10: '²'"
        );
        assert_eq!(int_of_digits("١٢").unwrap(), 12);
    }
}
