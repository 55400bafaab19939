//! Upstream `pre_validate_organization_identifier_system`.

use super::checks::for_string;
use super::lookups::Lookups;
use super::Context;
use crate::python::{try_except, PyExcKind, PyResult};

/// The organization performer's `actor.identifier.system`, when present, is a
/// non-empty string. A missing key, no organization performer, or a performer
/// whose `actor` is missing (`None.get`) all pass; other type errors are reported.
pub fn pre_validate_organization_identifier_system(
    imms: &Lookups<'_>,
    _ctx: &Context,
) -> PyResult<()> {
    let values = imms;
    let location = "performer[?(@.actor.type=='Organization')].actor.identifier.system";
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
                .getitem("system")?;
            for_string(&field_value, location)
        },
    )
    .map(|_| ())
    .map_err(|e| e.at(location))
}
