//! Python `json.loads(text, parse_float=Decimal)`, faithfully: what it accepts,
//! the values it builds and the exact text of its `JSONDecodeError`s.
//!
//! - [`loads`] parses a request body as the service's controller does (CPython
//!   3.11's `JSONDecoder` with the `_json` C scanner): whitespace is only
//!   space, tab, `\n`, `\r`; `NaN`, `Infinity`, `-Infinity` are floats; integers
//!   and decimals keep their text; a duplicated key keeps its first place and
//!   its last value; a leading U+FEFF is an error.
//! - [`LoadError::Decode`] renders as `str(JSONDecodeError)`, positions in code
//!   points as Python counts them; the other [`LoadError`]s are the exceptions
//!   that escape `json.loads` (nesting past [`MAX_PYTHON_NESTING`], integers over
//!   [`INT_MAX_STR_DIGITS`] digits, decimals out of `Decimal`'s range).
//! - Lone surrogate escapes, which a Rust `String` cannot hold, are stored as the
//!   private-use stand-ins described at [`LONE_SURROGATE_BASE`].
//! - Every [`Node`] carries the byte span of its text; [`line_column`] and the
//!   JSON Pointer helpers [`pointer_get`] / [`pointer_token`] locate values.

mod error;
mod key;
mod number;
mod parse;
#[cfg(test)]
mod parse_reference;
mod pointer;
mod position;
mod string;
mod surrogate_escapes;
mod text;
mod value;

pub use error::{DecodeError, LoadError, INT_MAX_STR_DIGITS};
pub use key::Key;
pub use parse::{loads, loads_with_nesting, MAX_PYTHON_NESTING};
pub use pointer::{pointer_get, pointer_token};
pub use position::{char_index, line_column};
pub use string::{as_lone_surrogate, lone_surrogate_char, LONE_SURROGATE_BASE};
pub use surrogate_escapes::map_lone_surrogate_escapes;
pub use text::{Text, INLINE_CAPACITY};
pub use value::{bytes_eq, key_eq, Node, PyFloat, Span, Value};
