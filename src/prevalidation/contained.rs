//! Upstream `pre_validate_contained_contents`, `pre_validate_patient_reference`
//! and `pre_validate_practitioner_reference`: the contained Patient and
//! Practitioner and the references to them.

use std::borrow::Cow;

use super::checks::{for_list, ListRules};
use super::generic::list_index_out_of_range;
use super::lookups::{Contained, Field, Lookups};
use super::Context;
use crate::json::{key_eq, Key, Node, Value};
use crate::python::{PyExcKind, PyException, PyIter, PyResult, PyVal};

const CONTAINED: &str = "contained";

/// `contained` must exist (else `MandatoryError`), be a non-empty list of
/// non-empty objects each with a `resourceType`, hold exactly one Patient, at
/// most one Practitioner and nothing else, and those must have distinct `id`s.
pub fn pre_validate_contained_contents(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    contained_contents(imms).map_err(|e| e.at(CONTAINED))
}

fn contained_contents(values: &Lookups<'_>) -> PyResult<()> {
    let contained = match values.getitem(Field::Contained) {
        Ok(contained) => contained,
        Err(e) if e.kind == PyExcKind::KeyError => {
            return Err(PyException::mandatory_error(
                "Validation errors: contained is a mandatory field",
            ))
        }
        Err(e) => return Err(e),
    };
    for_list(
        &contained,
        "contained",
        &ListRules {
            elements_are_dicts: true,
            ..ListRules::default()
        },
    )?;
    let items = contained.iter()?;
    for x in items.clone() {
        if x.get("resourceType")?.is_none() {
            return Err(PyException::value_error(
                "contained resources must have 'resourceType' key",
            ));
        }
    }
    let (mut patients, mut practitioners, mut others) = (0usize, 0usize, 0usize);
    for x in items.clone() {
        let resource_type = x.getitem("resourceType")?;
        if resource_type.eq_str("Patient") {
            patients += 1;
        }
        if resource_type.eq_str("Practitioner") {
            practitioners += 1;
        }
        if !resource_type.in_str_seq(&["Patient", "Practitioner"]) {
            others += 1;
        }
    }
    let mut errors = Vec::new();
    if others != 0 {
        errors.push("contained must contain only Patient and Practitioner resources");
    }
    if patients != 1 {
        errors.push("contained must contain exactly one Patient resource");
    }
    if practitioners > 1 {
        errors.push("contained must contain a maximum of one Practitioner resource");
    }
    if !errors.is_empty() {
        return Err(PyException::value_error(errors.join("; ")));
    }
    let patient_id = first_id_of(items.clone(), "Patient")?;
    if patient_id.is_none() {
        errors.push("The contained Patient resource must have an 'id' field");
    } else if practitioners == 1 {
        let practitioner_id = first_id_of(items, "Practitioner")?;
        if practitioner_id.is_none() {
            errors.push("The contained Practitioner resource must have an 'id' field");
        } else if patient_id.py_eq(&practitioner_id) {
            errors.push("ids must not be duplicated amongst contained resources");
        }
    }
    if !errors.is_empty() {
        return Err(PyException::value_error(errors.join("; ")));
    }
    Ok(())
}

/// `[x.get("id") for x in contained if x["resourceType"] == resource_type][0]`.
fn first_id_of<'a>(items: PyIter<'a>, resource_type: &str) -> PyResult<PyVal<'a>> {
    let mut found = None;
    for x in items {
        if x.getitem("resourceType")?.eq_str(resource_type) {
            let id = x.get("id")?;
            found = found.or(Some(id));
        }
    }
    found.ok_or_else(list_index_out_of_range)
}

/// `[x for x in values["contained"] if x.get("resourceType") == kind]`,
/// its first item (`None` when empty).
pub(super) fn first_contained_of_type<'a>(
    values: &Lookups<'a>,
    kind: Contained,
) -> PyResult<Option<PyVal<'a>>> {
    values.getitem(Field::Contained)?;
    values.contained(kind)
}

/// `patient.reference` must be `#` followed by the contained Patient's `id`.
pub fn pre_validate_patient_reference(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    patient_reference(imms).map_err(|e| e.at("patient.reference"))
}

fn patient_reference(values: &Lookups<'_>) -> PyResult<()> {
    let reference = values
        .get_or(Field::Patient, PyVal::EmptyDict)?
        .get("reference")?;
    let internal = match reference.as_str() {
        Some(text) => text.starts_with('#'),
        None => false,
    };
    if !internal {
        return Err(PyException::value_error(
            "patient.reference must be a single reference to a contained Patient resource",
        ));
    }
    let patient =
        first_contained_of_type(values, Contained::Patient)?.ok_or_else(list_index_out_of_range)?;
    let id = patient.getitem("id")?;
    // `reference == "#" + id`, compared in place when `id` is a str.
    let matches = match id.as_str() {
        Some(id) => reference.as_str().and_then(|r| r.strip_prefix('#')) == Some(id),
        None => reference.eq_str(&id.concat_after("#")?),
    };
    if !matches {
        return Err(PyException::value_error(format!(
            "The reference '{}' does not match the id of the contained Patient resource",
            reference.py_str()?
        )));
    }
    Ok(())
}

/// Internal references in `performer` may only point at the contained
/// Practitioner, which must be referenced exactly once (and none may exist
/// without a contained Practitioner).
pub fn pre_validate_practitioner_reference(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    practitioner_reference(imms).map_err(|e| e.at("performer"))
}

fn practitioner_reference(values: &Lookups<'_>) -> PyResult<()> {
    let performers = values.get_or(Field::Performer, PyVal::EmptyList)?;
    let mut internal_references = 0usize;
    for_each_internal_reference(&performers, |_| internal_references += 1)?;
    let Some(practitioner) = first_contained_of_type(values, Contained::Practitioner)? else {
        if internal_references != 0 {
            return Err(PyException::value_error(
                "performer must not contain internal references when there is no contained Practitioner resource",
            ));
        }
        return Ok(());
    };
    let id = practitioner.getitem("id")?;
    let practitioner_id = match id.as_str() {
        Some(text) => Cow::Borrowed(text),
        None => Cow::Owned(id.py_str()?),
    };
    // `x == "#" + practitioner_id` for each internal reference `x`.
    let (mut to_practitioner, mut elsewhere) = (0usize, 0usize);
    for_each_internal_reference(&performers, |x| {
        let to_target = x.as_str().and_then(|r| r.strip_prefix('#')) == Some(&practitioner_id);
        if to_target {
            to_practitioner += 1;
        } else {
            elsewhere += 1;
        }
    })?;
    if elsewhere != 0 {
        return Err(PyException::value_error(
            "performer must not contain any internal references other than to the contained Practitioner resource",
        ));
    }
    if to_practitioner == 0 {
        return Err(PyException::value_error(format!(
            "contained Practitioner resource id '{practitioner_id}' must be referenced from performer"
        )));
    }
    if to_practitioner > 1 {
        return Err(PyException::value_error(format!(
            "contained Practitioner resource id '{practitioner_id}' must only be referenced once from performer"
        )));
    }
    Ok(())
}

/// Visits `[x["actor"]["reference"] for x in performer if it starts with "#"]`
/// (read with `.get` and `{}`/`""` defaults), raising what reading raises.
fn for_each_internal_reference<'a>(
    performers: &PyVal<'a>,
    mut visit: impl FnMut(PyVal<'a>),
) -> PyResult<()> {
    for x in performers.iter()? {
        if let Some(reference) = internal_reference(&x)? {
            visit(reference);
        }
    }
    Ok(())
}

/// `x.get("actor", {}).get("reference")` when `x.get("actor", {}).get("reference",
/// "").startswith("#")`, `None` when it does not, or what reading it raises.
fn internal_reference<'a>(x: &PyVal<'a>) -> PyResult<Option<PyVal<'a>>> {
    /// `members.get(key)` of a dict of the body.
    fn member<'n>(members: &'n [(Key, Node)], key: &str) -> Option<&'n Node> {
        members.iter().find(|(k, _)| key_eq(k, key)).map(|(_, v)| v)
    }
    // A performer, actor and reference of the usual types, read in place.
    if let PyVal::Node(Node {
        value: Value::Object(performer),
        ..
    }) = x
    {
        match member(performer, "actor").map(|actor| &actor.value) {
            None => return Ok(None),
            Some(Value::Object(actor)) => match member(actor, "reference") {
                None => return Ok(None),
                Some(reference) => {
                    if let Value::Str(text) = &reference.value {
                        return Ok(text.starts_with('#').then_some(PyVal::Node(reference)));
                    }
                }
            },
            Some(_) => {}
        }
    }
    internal_reference_of_values(x)
}

/// [`internal_reference`] as Python evaluates it on any value.
#[cold]
#[inline(never)]
fn internal_reference_of_values<'a>(x: &PyVal<'a>) -> PyResult<Option<PyVal<'a>>> {
    let is_internal = x
        .get_or("actor", PyVal::EmptyDict)?
        .get_or("reference", PyVal::str(""))?
        .startswith("#")?;
    if !is_internal {
        return Ok(None);
    }
    Ok(Some(x.get_or("actor", PyVal::EmptyDict)?.get("reference")?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::loads;

    /// The in-place reading answers what Python's reading does, on every type
    /// a performer, actor or reference may have.
    #[test]
    fn internal_reference_is_the_python_reading() {
        let values = [
            r##"{"actor": {"reference": "#p"}}"##,
            r##"{"actor": {"reference": "p"}}"##,
            r##"{"actor": {"reference": ""}}"##,
            r##"{"actor": {"reference": "\ud800#"}}"##,
            r##"{"actor": {"reference": "#", "reference": "x"}}"##,
            r##"{"actor": {"reference": 1}}"##,
            r##"{"actor": {"reference": null}}"##,
            r##"{"actor": {"reference": ["#p"]}}"##,
            r##"{"actor": {"type": "Organization"}}"##,
            r##"{"actor": {}}"##,
            r##"{"actor": "#p"}"##,
            r##"{"actor": null}"##,
            r##"{"actor": ["#p"]}"##,
            r##"{"other": 1}"##,
            r##"{}"##,
            r##""#p""##,
            r##"["actor"]"##,
            r##"null"##,
            r##"1.5"##,
        ];
        for text in values {
            let node = loads(text).unwrap();
            let x = PyVal::Node(&node);
            let same = match (internal_reference(&x), internal_reference_of_values(&x)) {
                (Ok(a), Ok(b)) => a.map(|v| v.py_repr().ok()) == b.map(|v| v.py_repr().ok()),
                (Err(a), Err(b)) => a == b,
                _ => false,
            };
            assert!(same, "{text}");
        }
        for x in [
            PyVal::EmptyDict,
            PyVal::EmptyList,
            PyVal::None,
            PyVal::str("#"),
        ] {
            assert_eq!(
                internal_reference(&x).map(|v| v.is_some()),
                internal_reference_of_values(&x).map(|v| v.is_some())
            );
        }
    }
}
