//! The event-table keys upstream `RecordAttributes.from_immunization` derives from the
//! parsed Immunization (`immunization.dict()`, i.e. the stored tree):
//! `PK = Immunization#<id>`, `PatientPK = Patient#<NHS number or TBC>`,
//! `PatientSK = <VACCINE_TYPE>#<id>`, `IdentifierPK = <identifier[0].system>#<identifier[0].value>`.

use crate::json::{Node, Value};

/// An exception the repository does not catch (the service answers 500).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncaught {
    /// `TypeError: 'NoneType' object is not subscriptable`
    pub python: String,
}

impl Uncaught {
    fn new(kind: &str, message: impl Into<String>) -> Self {
        Uncaught {
            python: format!("{kind}: {}", message.into()),
        }
    }
}

/// `Immunization#<id>`
pub fn immunization_pk(id: &str) -> String {
    format!("Immunization#{id}")
}

/// `Patient#<nhs number>`
pub fn patient_pk(nhs_number: &str) -> String {
    format!("Patient#{nhs_number}")
}

/// `<vaccine type>#<id>`
pub fn patient_sk(vaccine_type: &str, id: &str) -> String {
    format!("{vaccine_type}#{id}")
}

/// Python `str()` of a stored value as an f-string renders it (`None` for absent).
pub fn py_str(node: Option<&Node>) -> String {
    match node.map(|n| &n.value) {
        None | Some(Value::Null) => "None".into(),
        Some(Value::Str(s)) => s.clone(),
        Some(Value::Int(t)) | Some(Value::Decimal(t)) => t.clone(),
        Some(Value::Bool(b)) => if *b { "True" } else { "False" }.into(),
        Some(Value::Float(f)) => match f {
            crate::json::PyFloat::NaN => "nan".into(),
            crate::json::PyFloat::Infinity => "inf".into(),
            crate::json::PyFloat::NegInfinity => "-inf".into(),
        },
        Some(Value::Array(_)) | Some(Value::Object(_)) => "…".into(),
    }
}

/// `<identifier[0].system>#<identifier[0].value>` of the stored tree (`None` for a
/// missing part, as the f-string writes it).
pub fn identifier_pk(tree: &Node) -> Result<String, Uncaught> {
    let first = match tree.get("identifier").map(|n| &n.value) {
        Some(Value::Array(items)) => items.first(),
        _ => None,
    };
    let Some(first) = first else {
        return Err(Uncaught::new(
            "TypeError",
            "'NoneType' object is not subscriptable",
        ));
    };
    // An empty Identifier is still a model object upstream: both parts are None.
    Ok(format!(
        "{}#{}",
        py_str(first.get("system")),
        py_str(first.get("value"))
    ))
}

/// Upstream `get_contained_patient(imms.dict())`: the first contained Patient; raises
/// when there is none (the repository does not catch it).
pub fn contained_patient(tree: &Node) -> Result<&Node, Uncaught> {
    let Some(contained) = tree.get("contained") else {
        return Err(Uncaught::new(
            "TypeError",
            "'NoneType' object is not iterable",
        ));
    };
    let items = contained.as_array().unwrap_or(&[]);
    items
        .iter()
        .find(|x| x.get("resourceType").and_then(Node::as_str) == Some("Patient"))
        .ok_or_else(|| Uncaught::new("IndexError", "list index out of range"))
}

/// Upstream `get_nhs_number(imms.dict())`: the contained Patient's `identifier[0].value`,
/// `TBC` when any step is missing (`KeyError` / `IndexError`); a `null` identifier entry
/// raises `TypeError`.
pub fn nhs_number(tree: &Node) -> Result<String, Uncaught> {
    let tbc = || Ok("TBC".to_string());
    let Some(contained) = tree.get("contained").and_then(Node::as_array) else {
        return tbc();
    };
    let Some(patient) = contained
        .iter()
        .find(|x| x.get("resourceType").and_then(Node::as_str) == Some("Patient"))
    else {
        return tbc();
    };
    let Some(identifiers) = patient.get("identifier").and_then(Node::as_array) else {
        return tbc();
    };
    let Some(first) = identifiers.first() else {
        return tbc();
    };
    match &first.value {
        Value::Object(_) => match first.get("value") {
            Some(v) => Ok(py_str(Some(v))),
            None => tbc(),
        },
        _ => Err(Uncaught::new(
            "TypeError",
            format!("'{}' object is not subscriptable", first.py_type_name()),
        )),
    }
}
