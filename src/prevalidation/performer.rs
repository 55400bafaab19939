//! Upstream `pre_validate_performer` and `pre_validate_organization_identifier_value`.

use super::checks::for_string;
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyException, PyResult, PyVal};

/// Exactly one `performer` whose `actor.type` is `Organization`.
pub fn pre_validate_performer(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError, PyExcKind::AttributeError], || {
        let mut organizations = 0usize;
        for item in values.get_or(Field::Performer, PyVal::EmptyList)?.iter()? {
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

/// The organization's `actor.identifier.value`, when present, is a non-empty string.
pub fn pre_validate_organization_identifier_value(
    imms: &Lookups<'_>,
    _ctx: &Context,
) -> PyResult<()> {
    let values = imms;
    let location = "performer[?(@.actor.type=='Organization')].actor.identifier.value";
    try_except(
        &[
            PyExcKind::KeyError,
            PyExcKind::IndexError,
            PyExcKind::AttributeError,
        ],
        || {
            let field_value = values
                .organization_performer()?
                .getitem("actor")?
                .getitem("identifier")?
                .getitem("value")?;
            for_string(&field_value, location)
        },
    )
    .map(|_| ())
    .map_err(|e| e.at(location))
}
