//! Upstream `pre_validate_recorded` and `pre_validate_primary_source`.

use super::checks::{for_boolean, for_date_time};
use super::Context;
use crate::json::Node;
use crate::python::{try_except, PyExcKind, PyResult, PyVal};

/// `recorded`, when present, is a full date or a date-time (any offset), not in the future.
pub fn pre_validate_recorded(imms: &Node, ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    try_except(&[PyExcKind::KeyError], || {
        match values.lookup("recorded")? {
            Some(recorded) => for_date_time(&recorded, "recorded", false, ctx),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at("recorded"))
}

/// `primarySource`, when present, is a boolean.
pub fn pre_validate_primary_source(imms: &Node, _ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    try_except(&[PyExcKind::KeyError], || {
        match values.lookup("primarySource")? {
            Some(primary_source) => for_boolean(&primary_source, "primarySource"),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at("primarySource"))
}
