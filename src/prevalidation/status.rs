//! Upstream `pre_validate_status`.

use super::checks::{for_string_with, StringRules};
use super::constants::STATUSES;
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyResult};

/// `status`, when present, is `completed`.
pub fn pre_validate_status(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError], || {
        let Some(status) = values.lookup(Field::Status)? else {
            return Ok(());
        };
        for_string_with(
            &status,
            "status",
            &StringRules {
                predefined_values: Some(STATUSES),
                ..StringRules::default()
            },
        )
    })
    .map(|_| ())
    .map_err(|e| e.at("status"))
}
