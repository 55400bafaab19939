//! Upstream `pre_validate_performer` and `pre_validate_organization_identifier_value`.

use super::checks::for_string;
use super::generic::list_index_out_of_range;
use super::Context;
use crate::json::Node;
use crate::python::{try_except, PyExcKind, PyException, PyResult, PyVal};

/// Exactly one `performer` whose `actor.type` is `Organization`.
pub fn pre_validate_performer(imms: &Node, _ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    try_except(&[PyExcKind::KeyError, PyExcKind::AttributeError], || {
        let mut organizations = 0usize;
        for item in values.get_or("performer", PyVal::EmptyList)?.iter()? {
            let actor = item.get_or("actor", PyVal::EmptyDict)?;
            if actor.get("type")?.eq_str("Organization") {
                organizations += 1;
            }
        }
        if organizations != 1 {
            return Err(PyException::value_error(
                "There must be exactly one performer.actor[?@.type=='Organization'] with type 'Organization'",
            ));
        }
        Ok(())
    })
    .map(|_| ())
    .map_err(|e| e.at("performer"))
}

/// `performer[?(@.actor.type=='Organization')]` as upstream selects it:
/// the first performer whose `actor.get("type")` is `Organization`.
pub fn organization_performer<'a>(values: &PyVal<'a>) -> PyResult<PyVal<'a>> {
    let mut found = None;
    for x in values.getitem("performer")?.iter()? {
        if x.get("actor")?.get("type")?.eq_str("Organization") && found.is_none() {
            found = Some(x);
        }
    }
    found.ok_or_else(list_index_out_of_range)
}

/// The organization's `actor.identifier.value`, when present, is a non-empty string.
pub fn pre_validate_organization_identifier_value(imms: &Node, _ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    let location = "performer[?(@.actor.type=='Organization')].actor.identifier.value";
    try_except(
        &[
            PyExcKind::KeyError,
            PyExcKind::IndexError,
            PyExcKind::AttributeError,
        ],
        || {
            let field_value = organization_performer(&values)?
                .getitem("actor")?
                .getitem("identifier")?
                .getitem("value")?;
            for_string(&field_value, location)
        },
    )
    .map(|_| ())
    .map_err(|e| e.at(location))
}
