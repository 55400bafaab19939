//! Python `json.loads(text, parse_float=Decimal)`, faithfully: what it accepts,
//! the values it builds and the exact text of its `JSONDecodeError`s.

mod value;

pub use value::{Node, PyFloat, Span, Value};
