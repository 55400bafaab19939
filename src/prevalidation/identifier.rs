//! Upstream `pre_validate_identifier`, `pre_validate_identifier_value` and
//! `pre_validate_identifier_system`: the record's own identifier.

use super::checks::{for_list, for_string, ListRules};
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyException, PyResult};

/// `identifier` must exist (else `MandatoryError`) and be a list of exactly one non-empty object.
pub fn pre_validate_identifier(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let field_value = match values.getitem(Field::Identifier) {
        Ok(value) => value,
        Err(e) if e.kind == PyExcKind::KeyError => {
            return Err(PyException::mandatory_error(
                "Validation errors: identifier is a mandatory field",
            )
            .at("identifier"))
        }
        Err(e) => return Err(e.at("identifier")),
    };
    for_list(
        &field_value,
        "identifier",
        &ListRules {
            defined_length: Some(1),
            elements_are_dicts: true,
            ..ListRules::default()
        },
    )
    .map_err(|e| e.at("identifier"))
}

/// `identifier[0].value`, when present, is a non-empty string.
pub fn pre_validate_identifier_value(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    identifier_string(imms, "value", "identifier[0].value")
}

/// `identifier[0].system`, when present, is a non-empty string.
pub fn pre_validate_identifier_system(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    identifier_string(imms, "system", "identifier[0].system")
}

/// `identifier[0].<key>` (at `location`), when present, is a non-empty string.
fn identifier_string(imms: &Lookups<'_>, key: &str, location: &str) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError, PyExcKind::IndexError], || {
        let Some(identifier) = values.lookup(Field::Identifier)? else {
            return Ok(());
        };
        match identifier.index(0)?.lookup(key)? {
            Some(field_value) => for_string(&field_value, location),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}
