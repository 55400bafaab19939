//! Upstream `pre_validate_recorded` and `pre_validate_primary_source`.

use super::checks::{for_boolean, for_date_time};
use super::Context;
use crate::json::Node;
use crate::python::{try_except, PyExcKind, PyResult, PyVal};

/// `recorded`, when present, is a full date or a date-time (any offset), not in the future.
pub fn pre_validate_recorded(imms: &Node, ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    try_except(&[PyExcKind::KeyError], || {
        for_date_time(&values.getitem("recorded")?, "recorded", false, ctx)
    })
    .map(|_| ())
    .map_err(|e| e.at("recorded"))
}

/// `primarySource`, when present, is a boolean.
pub fn pre_validate_primary_source(imms: &Node, _ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    try_except(&[PyExcKind::KeyError], || {
        for_boolean(&values.getitem("primarySource")?, "primarySource")
    })
    .map(|_| ())
    .map_err(|e| e.at("primarySource"))
}
