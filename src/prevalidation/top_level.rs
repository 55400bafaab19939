//! Upstream `pre_validate_resource_type` and `pre_validate_top_level_elements`.

use super::constants::ALLOWED_CONTAINED_RESOURCES;
use super::generic::check_for_unknown_elements;
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{PyException, PyResult, PyVal};

/// `resourceType` must be `Immunization`.
pub fn pre_validate_resource_type(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    if !values.get(Field::ResourceType)?.eq_str("Immunization") {
        return Err(PyException::value_error(
            "This service only accepts FHIR Immunization Resources (i.e. resourceType must equal 'Immunization')",
        )
        .at("resourceType"));
    }
    Ok(())
}

/// No element outside the allowed set, on the Immunization and on each contained
/// Patient/Practitioner; one message per unknown element, joined by `"; "`.
pub fn pre_validate_top_level_elements(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let mut errors = if values.only_allowed_keys() {
        Vec::new()
    } else {
        check_for_unknown_elements(values.values(), "Immunization")?
    };
    for resource in values.get_or(Field::Contained, PyVal::EmptyList)?.iter()? {
        let resource_type = resource.get("resourceType")?;
        if resource_type.in_str_set(ALLOWED_CONTAINED_RESOURCES)? {
            let resource_type = resource_type.as_str().unwrap_or_default();
            errors.extend(check_for_unknown_elements(&resource, resource_type)?);
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(PyException::value_error(errors.join("; ")).at(first_unknown_location(values)?))
}

/// Where the first disallowed element is: on the Immunization, else on the
/// first contained Patient/Practitioner that has one.
fn first_unknown_location(values: &Lookups<'_>) -> PyResult<String> {
    let location = first_unknown(values.values(), "Immunization", "");
    if !location.is_empty() {
        return Ok(location);
    }
    for resource in values.get_or(Field::Contained, PyVal::EmptyList)?.iter()? {
        let resource_type = resource.get("resourceType")?;
        if resource_type.in_str_set(ALLOWED_CONTAINED_RESOURCES)? {
            let resource_type = resource_type.as_str().unwrap_or_default();
            let prefix = format!("contained[?(@.resourceType=='{resource_type}')].");
            let location = first_unknown(&resource, resource_type, &prefix);
            if !location.is_empty() {
                return Ok(location);
            }
        }
    }
    Ok(String::new())
}

/// Path of the first disallowed element of a resource, for locating the failure.
fn first_unknown(resource: &PyVal<'_>, resource_type: &str, prefix: &str) -> String {
    let Ok(mut keys) = resource.keys() else {
        return String::new();
    };
    keys.find_map(|k| {
        k.as_str()
            .filter(|k| !super::constants::is_allowed_key(resource_type, k))
            .map(|k| format!("{prefix}{k}"))
    })
    .unwrap_or_default()
}
