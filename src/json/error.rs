//! What `json.loads(body, parse_float=Decimal)` raises, and how Python renders it.

use std::fmt;

use super::position::{python_position, PythonPosition};

/// Python's largest `int` text `int()` converts by default (`sys.get_int_max_str_digits()`).
pub const INT_MAX_STR_DIGITS: usize = 4300;

/// Python's `json.JSONDecodeError`: the message, and where parsing failed.
///
/// `Display` renders it exactly as `str(JSONDecodeError)`:
/// `"<msg>: line L column C (char P)"`, where `P` is a Python `str` index
/// (code points, not bytes), `L` counts the `'\n'` before `P` plus one and
/// `C` is `P` minus the index of the last `'\n'` before `P` (or `P + 1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The unformatted message (`JSONDecodeError.msg`).
    pub msg: &'static str,
    /// `JSONDecodeError.pos`: code-point index into the body.
    pub pos: usize,
    /// `JSONDecodeError.lineno`.
    pub lineno: usize,
    /// `JSONDecodeError.colno`.
    pub colno: usize,
    /// The same place as a byte offset into the body text (for highlighting).
    pub byte_offset: usize,
}

impl DecodeError {
    /// The error `msg` at byte offset `byte_offset` of `text`.
    pub fn at(text: &str, msg: &'static str, byte_offset: usize) -> Self {
        let PythonPosition {
            pos,
            lineno,
            colno,
            byte_offset,
        } = python_position(text, byte_offset);
        DecodeError {
            msg,
            pos,
            lineno,
            colno,
            byte_offset,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: line {} column {} (char {})",
            self.msg, self.lineno, self.colno, self.pos
        )
    }
}

impl std::error::Error for DecodeError {}

/// Everything `json.loads(body, parse_float=Decimal)` can raise on a `str` body.
///
/// Only [`LoadError::Decode`] is a `JSONDecodeError`, which the service turns
/// into its 400 "Request's body contains malformed JSON: …" answer. The other
/// variants are other Python exceptions that escape the controller and end in
/// the service's generic 500 answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// `json.JSONDecodeError`.
    Decode(DecodeError),
    /// `RecursionError`: the body nests arrays/objects deeper than
    /// [`super::MAX_PYTHON_NESTING`].
    RecursionLimit,
    /// `ValueError` from `int()` on an integer literal with more digits than
    /// [`INT_MAX_STR_DIGITS`] (Python 3.11's integer string conversion limit).
    IntTooLong {
        /// Number of digits in the literal (its sign not counted).
        digits: usize,
        /// Byte offset of the literal in the body.
        byte_offset: usize,
    },
    /// `decimal.InvalidOperation` from `Decimal(text)` on a number whose exponent
    /// is outside what `Decimal` can represent exactly (e.g. `1e1000000000000000000`).
    DecimalOutOfRange {
        /// Byte offset of the literal in the body.
        byte_offset: usize,
    },
}

impl LoadError {
    /// Whether this is a `JSONDecodeError` (the service answers 400), as
    /// opposed to another exception (the service answers 500).
    pub fn is_decode_error(&self) -> bool {
        matches!(self, LoadError::Decode(_))
    }

    /// Byte offset in the body where the error arose, when known.
    pub fn byte_offset(&self) -> Option<usize> {
        match self {
            LoadError::Decode(e) => Some(e.byte_offset),
            LoadError::RecursionLimit => None,
            LoadError::IntTooLong { byte_offset, .. }
            | LoadError::DecimalOutOfRange { byte_offset } => Some(*byte_offset),
        }
    }
}

impl fmt::Display for LoadError {
    /// `str(exception)` as Python renders it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Decode(e) => e.fmt(f),
            // Python adds " while decoding a JSON array/object from a unicode string".
            LoadError::RecursionLimit => f.write_str("maximum recursion depth exceeded"),
            LoadError::IntTooLong { digits, .. } => write!(
                f,
                "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string conversion: \
                 value has {digits} digits; use sys.set_int_max_str_digits() to increase the limit"
            ),
            LoadError::DecimalOutOfRange { .. } => {
                f.write_str("[<class 'decimal.InvalidOperation'>]")
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl From<DecodeError> for LoadError {
    fn from(e: DecodeError) -> Self {
        LoadError::Decode(e)
    }
}
