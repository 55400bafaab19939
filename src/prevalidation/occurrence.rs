//! Upstream `pre_validate_occurrence_date_time`.

use super::checks::for_date_time;
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyResult};

/// `occurrenceDateTime`, when present, is a full date or a date-time with a
/// `+00:00`/`+01:00` offset, not in the future.
pub fn pre_validate_occurrence_date_time(imms: &Lookups<'_>, ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "occurrenceDateTime";
    try_except(&[PyExcKind::KeyError], || {
        match values.lookup(Field::OccurrenceDateTime)? {
            Some(field_value) => for_date_time(&field_value, location, true, ctx),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}
