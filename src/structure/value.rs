//! The values a validated fhir.resources model holds, and the `.dict()` the
//! service's `.json()` serialises.

use crate::fhir_model::TypeDef;
use crate::json::{Key, Node, Value};

/// A validated field value, as the Python object pydantic stores.
#[derive(Debug, Clone, PartialEq)]
pub enum PyVal {
    None,
    Bool(bool),
    /// `int`: decimal digits.
    Int(String),
    /// `decimal.Decimal`: its `str()`.
    Decimal(String),
    Str(String),
    /// `datetime.date`: its `isoformat()`.
    Date(String),
    /// `datetime.datetime`: its `isoformat()` (`2021-02-14T13:28:17.271000+00:00`).
    DateTime(String),
    /// `datetime.time`: its `isoformat()`.
    Time(String),
    List(Vec<PyVal>),
    Model(Box<Model>),
}

/// A validated model instance: its class and the values of the fields that were given.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub type_def: &'static TypeDef,
    /// `(index into type_def.fields, value)`, in validation order.
    pub values: Vec<(usize, PyVal)>,
    /// `fhir_comments`, when given.
    pub fhir_comments: Option<PyVal>,
}

impl Model {
    /// The value of a field by JSON name, if it was given.
    pub fn get(&self, json_name: &str) -> Option<&PyVal> {
        self.values.iter().find_map(|(i, v)| {
            self.type_def
                .fields
                .get(*i)
                .filter(|f| f.json_name == json_name)
                .map(|_| v)
        })
    }

    fn value_at(&self, index: usize) -> Option<&PyVal> {
        self.values
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, v)| v)
    }

    /// fhir.resources `.dict()` (by alias, `None`s and empty containers left
    /// out), with pydantic's JSON encoder applied to dates and times (their
    /// `isoformat()`): exactly the tree `.json()` writes, in its key order.
    pub fn to_dict(&self) -> Node {
        Node::synthetic(self.dict_value())
    }

    fn dict_value(&self) -> Value {
        let mut members: Vec<(Key, Node)> = Vec::new();
        if self.type_def.is_resource {
            members.push((
                Key::from_static("resourceType"),
                Node::synthetic(Value::Str(self.type_def.name.into())),
            ));
        }
        let fields = self.type_def.fields;
        for index in self.type_def.sequence() {
            let i = usize::from(index);
            let Some(field) = fields.get(i) else { continue };
            if let Some(v) = self.value_at(i) {
                if let Some(out) = get_value(v) {
                    members.push((Key::from_static(field.json_name), Node::synthetic(out)));
                }
            }
            if field.is_primitive() {
                let companion = i + 1;
                if fields
                    .get(companion)
                    .is_some_and(|c| c.is_extension_companion())
                {
                    if let Some(out) = self.value_at(companion).and_then(get_value) {
                        if container_len(&out) != Some(0) {
                            if let Some(c) = fields.get(companion) {
                                members.push((Key::from_static(c.json_name), Node::synthetic(out)));
                            }
                        }
                    }
                }
            }
        }
        // `fhir_comments` is written as given, even when empty.
        match &self.fhir_comments {
            None | Some(PyVal::None) => {}
            Some(PyVal::List(items)) => members.push((
                Key::from_static("fhir_comments"),
                Node::synthetic(Value::Array(
                    items
                        .iter()
                        .map(|i| Node::synthetic(get_value(i).unwrap_or(Value::Null)))
                        .collect(),
                )),
            )),
            Some(c) => {
                if let Some(out) = get_value(c) {
                    members.push((Key::from_static("fhir_comments"), Node::synthetic(out)));
                }
            }
        }
        Value::Object(members)
    }
}

fn container_len(v: &Value) -> Option<usize> {
    match v {
        Value::Array(a) => Some(a.len()),
        Value::Object(o) => Some(o.len()),
        _ => None,
    }
}

/// fhir.resources `_fhir_get_value`: `None` for a value left out.
fn get_value(v: &PyVal) -> Option<Value> {
    let out = match v {
        PyVal::None => return None,
        PyVal::Bool(b) => Value::Bool(*b),
        PyVal::Int(d) => Value::Int(d.as_str().into()),
        PyVal::Decimal(d) => Value::Decimal(d.as_str().into()),
        PyVal::Str(s) | PyVal::Date(s) | PyVal::DateTime(s) | PyVal::Time(s) => {
            Value::Str(s.as_str().into())
        }
        PyVal::List(items) => Value::Array(
            items
                .iter()
                .map(|i| Node::synthetic(get_value(i).unwrap_or(Value::Null)))
                .collect(),
        ),
        PyVal::Model(m) => m.dict_value(),
    };
    if container_len(&out) == Some(0) {
        return None;
    }
    Some(out)
}
