//! The few Python operations the delta converter performs on the parsed resource
//! (`dict.get`, `in`, iteration, `str.join`), with the exceptions they raise on values
//! of the wrong type (a `null` left in a list by an empty element, a missing Patient).

use crate::json::{Node, Value};
use std::borrow::Cow;

/// A raised Python exception: class name and `str(exception)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyErr {
    pub kind: &'static str,
    pub message: String,
}

impl PyErr {
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        PyErr {
            kind,
            message: message.into(),
        }
    }
}

pub type PyRes<T> = Result<T, PyErr>;

/// `x.get(key)`: `None` when absent; `AttributeError` on a non-dict.
pub fn get<'a>(x: &'a Node, key: &str) -> PyRes<Option<&'a Node>> {
    match &x.value {
        Value::Object(members) => Ok(members.iter().find(|(k, _)| k == key).map(|(_, v)| v)),
        _ => Err(PyErr::new(
            "AttributeError",
            format!("'{}' object has no attribute 'get'", x.py_type_name()),
        )),
    }
}

/// `x.get(key, default)`.
pub fn get_or<'a>(x: &'a Node, key: &str, default: &'a Node) -> PyRes<&'a Node> {
    Ok(get(x, key)?.unwrap_or(default))
}

/// `key in x`.
pub fn contains(x: &Node, key: &str) -> PyRes<bool> {
    match &x.value {
        Value::Object(members) => Ok(members.iter().any(|(k, _)| k == key)),
        Value::Array(items) => Ok(items.iter().any(|i| i.as_str() == Some(key))),
        Value::Str(s) => Ok(s.contains(key)),
        _ => Err(PyErr::new(
            "TypeError",
            format!("argument of type '{}' is not iterable", x.py_type_name()),
        )),
    }
}

/// `for item in x` over a list (the shapes the converter iterates are lists; a dict
/// would yield its keys and a string its characters).
/// A list is iterated in place; a dict's keys and a string's characters are made.
pub fn iter(x: &Node) -> PyRes<Cow<'_, [Node]>> {
    match &x.value {
        Value::Array(items) => Ok(Cow::Borrowed(items)),
        Value::Object(members) => Ok(Cow::Owned(
            members
                .iter()
                .map(|(k, _)| Node::synthetic(Value::Str(k.clone())))
                .collect(),
        )),
        Value::Str(s) => Ok(Cow::Owned(
            s.chars()
                .map(|c| Node::synthetic(Value::Str(c.to_string())))
                .collect(),
        )),
        _ => Err(PyErr::new(
            "TypeError",
            format!("'{}' object is not iterable", x.py_type_name()),
        )),
    }
}

/// `sep.join(x)`.
pub fn join(sep: &str, x: &Node) -> PyRes<String> {
    let items = iter(x)?;
    let mut parts = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(s) => parts.push(s.to_string()),
            None => {
                return Err(PyErr::new(
                    "TypeError",
                    format!(
                        "sequence item {i}: expected str instance, {} found",
                        item.py_type_name()
                    ),
                ))
            }
        }
    }
    Ok(parts.join(sep))
}

/// `bool(x)`.
pub fn truthy(x: &Node) -> bool {
    x.value.is_truthy()
}

/// `x == "text"`.
pub fn eq_str(x: Option<&Node>, text: &str) -> bool {
    x.and_then(Node::as_str) == Some(text)
}

pub fn str_node(s: impl Into<String>) -> Node {
    Node::synthetic(Value::Str(s.into()))
}

pub fn empty_dict() -> Node {
    Node::synthetic(Value::Object(Vec::new()))
}

pub fn empty_list() -> Node {
    Node::synthetic(Value::Array(Vec::new()))
}
