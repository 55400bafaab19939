//! The `location` rules: upstream `pre_validate_location_identifier_value` and
//! `pre_validate_location_identifier_system`.

use super::checks::for_string;
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyResult};

/// `location.identifier.<key>` (at `location`), when present, is a non-empty string.
fn location_identifier_string(imms: &Lookups<'_>, key: &str, location: &str) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError], || {
        match values.path(Field::Location, &["identifier", key])? {
            Some(field_value) => for_string(&field_value, location),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// `location.identifier.value`, when present, is a non-empty string.
pub fn pre_validate_location_identifier_value(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    location_identifier_string(imms, "value", "location.identifier.value")
}

/// `location.identifier.system`, when present, is a non-empty string.
pub fn pre_validate_location_identifier_system(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    location_identifier_string(imms, "system", "location.identifier.system")
}
