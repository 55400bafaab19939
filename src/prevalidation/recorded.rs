//! Upstream `pre_validate_recorded` and `pre_validate_primary_source`.

use super::checks::{for_boolean, for_date_time};
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyResult};

/// `recorded`, when present, is a full date or a date-time (any offset), not in the future.
pub fn pre_validate_recorded(imms: &Lookups<'_>, ctx: &Context) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError], || {
        match values.lookup(Field::Recorded)? {
            Some(recorded) => for_date_time(&recorded, "recorded", false, ctx),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at("recorded"))
}

/// `primarySource`, when present, is a boolean.
pub fn pre_validate_primary_source(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError], || {
        match values.lookup(Field::PrimarySource)? {
            Some(primary_source) => for_boolean(&primary_source, "primarySource"),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at("primarySource"))
}
