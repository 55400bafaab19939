//! Upstream `pre_validate_status`.

use super::checks::{for_string_with, StringRules};
use super::constants::STATUSES;
use super::Context;
use crate::json::Node;
use crate::python::{try_except, PyExcKind, PyResult, PyVal};

/// `status`, when present, is `completed`.
pub fn pre_validate_status(imms: &Node, _ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    try_except(&[PyExcKind::KeyError], || {
        let Some(status) = values.lookup("status")? else {
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
