//! Python `json.loads(text, parse_float=Decimal)`, faithfully: what it accepts,
//! the values it builds and the exact text of its `JSONDecodeError`s.

mod error;
mod number;
mod parse;
mod pointer;
mod position;
mod string;
mod value;

pub use error::{DecodeError, LoadError, INT_MAX_STR_DIGITS};
pub use parse::{loads, MAX_PYTHON_NESTING};
pub use pointer::{pointer_get, pointer_token};
pub use position::{char_index, line_column};
pub use string::{as_lone_surrogate, lone_surrogate_char, LONE_SURROGATE_BASE};
pub use value::{Node, PyFloat, Span, Value};
