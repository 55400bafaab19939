//! The `location` rules: upstream `pre_validate_location_identifier_value` and
//! `pre_validate_location_identifier_system`.

use super::checks::for_string;
use super::Context;
use crate::json::Node;
use crate::python::{try_except, PyExcKind, PyResult, PyVal};

/// `location.identifier.<key>` (at `location`), when present, is a non-empty string.
fn location_identifier_string(imms: &Node, key: &str, location: &str) -> PyResult<()> {
    let values = PyVal::from(imms);
    try_except(&[PyExcKind::KeyError], || {
        let field_value = values
            .getitem("location")?
            .getitem("identifier")?
            .getitem(key)?;
        for_string(&field_value, location)
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// `location.identifier.value`, when present, is a non-empty string.
pub fn pre_validate_location_identifier_value(imms: &Node, _ctx: &Context) -> PyResult<()> {
    location_identifier_string(imms, "value", "location.identifier.value")
}

/// `location.identifier.system`, when present, is a non-empty string.
pub fn pre_validate_location_identifier_system(imms: &Node, _ctx: &Context) -> PyResult<()> {
    location_identifier_string(imms, "system", "location.identifier.system")
}
