//! The event-table keys upstream `RecordAttributes.from_immunization` derives from the
//! parsed Immunization (`immunization.dict()`, i.e. the stored tree):
//! `PK = Immunization#<id>`, `PatientPK = Patient#<NHS number or TBC>`,
//! `PatientSK = <VACCINE_TYPE>#<id>`, `IdentifierPK = <identifier[0].system>#<identifier[0].value>`.

use super::plan::{self, Kind};
use super::primitive;
use super::render::{member, resource_class, Path, Renderer};
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
        Some(Value::Str(s)) => s.as_str().to_owned(),
        Some(Value::Int(t)) | Some(Value::Decimal(t)) => t.as_str().to_owned(),
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
/// when there is none (the repository does not catch it). Items read it from
/// [`RecordFacts`]; this tree form is what those facts are checked against.
#[cfg(test)]
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

/// What `RecordAttributes.from_immunization` reads from `immunization.dict()`, taken
/// from a body that has been rendered (see [`super::stored_resource`]) with the rules
/// that rendering applies: a value is found under its JSON name, else its Python
/// name; `null`, empty lists and objects that render empty are absent (an empty
/// object inside a list is `None`); primitives are read as canonical values.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordFacts {
    /// [`contained_patient`]: whether the stored tree has a contained Patient.
    pub contained_patient: Result<(), Uncaught>,
    /// [`nhs_number`] of the stored tree.
    pub nhs_number: Result<String, Uncaught>,
    /// [`identifier_pk`] of the stored tree.
    pub identifier_pk: Result<String, Uncaught>,
}

fn not_subscriptable() -> Uncaught {
    Uncaught::new("TypeError", "'NoneType' object is not subscriptable")
}

/// The items of list element `name`, when the stored tree has them (a non-empty list).
fn stored_items<'a>(plan: &plan::ClassPlan, node: &'a Node, name: &str) -> Option<&'a [Node]> {
    match member(plan, node, name).map(|n| &n.value) {
        Some(Value::Array(items)) if !items.is_empty() => Some(items),
        _ => None,
    }
}

/// The class of model element `name` of `plan`.
fn element_class(plan: &plan::ClassPlan, name: &str) -> Option<&'static plan::ClassPlan> {
    match plan.element(name)?.1.kind {
        Kind::Complex(class) => plan::plan(class),
        _ => None,
    }
}

/// `str()` of primitive element `name` of a stored object (`"None"` when absent).
fn stored_py_str(plan: &plan::ClassPlan, node: &Node, name: &str) -> String {
    let (Some(value), Some((_, element))) = (member(plan, node, name), plan.element(name)) else {
        return py_str(None);
    };
    let Kind::Primitive(ty) = element.kind else {
        return py_str(None);
    };
    if let Value::Str(s) = &value.value {
        if primitive::keeps_strings(ty) {
            return s.as_str().to_owned();
        }
    }
    match primitive::canonical(ty, &value.value) {
        Ok(canonical) => py_str(Some(&Node::synthetic(canonical))),
        Err(_) => py_str(None),
    }
}

impl RecordFacts {
    /// The facts of `body`, an object of class `class` (Immunization) that renders.
    /// `renderer` is the one that wrote it, used to try the contained Patient's
    /// first identifier (its text is cut back off).
    pub fn of_body(
        body: &Node,
        class: usize,
        renderer: &mut Renderer,
    ) -> Result<RecordFacts, String> {
        let root = plan::plan(class).ok_or("model table lacks Immunization")?;
        let identifier = element_class(root, "identifier").ok_or("no Identifier")?;

        let identifier_pk = match stored_items(root, body, "identifier").and_then(|i| i.first()) {
            None => Err(not_subscriptable()),
            Some(first) => Ok(format!(
                "{}#{}",
                stored_py_str(identifier, first, "system"),
                stored_py_str(identifier, first, "value")
            )),
        };

        let patient = stored_items(root, body, "contained").map(|items| {
            items.iter().find(|item| {
                resource_class(item, &Path::Root)
                    .ok()
                    .and_then(plan::plan)
                    .is_some_and(|p| p.is_resource && p.name == "Patient")
            })
        });
        let contained_patient = match patient {
            None => Err(Uncaught::new(
                "TypeError",
                "'NoneType' object is not iterable",
            )),
            Some(None) => Err(Uncaught::new("IndexError", "list index out of range")),
            Some(Some(_)) => Ok(()),
        };
        let nhs_number = match patient.flatten() {
            None => Ok("TBC".to_string()),
            Some(patient) => Self::nhs_number(patient, renderer)?,
        };
        Ok(RecordFacts {
            contained_patient,
            nhs_number,
            identifier_pk,
        })
    }

    /// The contained Patient's `identifier[0].value`.
    fn nhs_number(
        patient: &Node,
        renderer: &mut Renderer,
    ) -> Result<Result<String, Uncaught>, String> {
        let class = plan::known().patient.ok_or("no Patient")?;
        let plan = plan::plan(class).ok_or("no Patient")?;
        let Some(first) = stored_items(plan, patient, "identifier").and_then(|i| i.first()) else {
            return Ok(Ok("TBC".to_string()));
        };
        let identifier = match plan.element("identifier").map(|(_, e)| e.kind) {
            Some(Kind::Complex(identifier)) => identifier,
            _ => return Err("no Identifier".into()),
        };
        // An Identifier that renders empty is stored as `null`.
        let mark = renderer.mark();
        let written = renderer.object(first, identifier, &Path::Root, 0);
        renderer.cut(mark);
        if !written.map_err(|e| e.reason)? {
            return Ok(Err(not_subscriptable()));
        }
        let Some(identifier) = plan::plan(identifier) else {
            return Err("no Identifier".into());
        };
        Ok(match member(identifier, first, "value") {
            None => Ok("TBC".to_string()),
            Some(v) if matches!(v.value, Value::Null) => Ok("TBC".to_string()),
            Some(_) => Ok(stored_py_str(identifier, first, "value")),
        })
    }
}
