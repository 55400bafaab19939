//! Upstream `pre_validate_practitioner_name*`: the contained Practitioner's name.

use super::checks::{for_list, for_string, ListRules};
use super::generic::{
    list_index_out_of_range, name_field_location, patient_and_practitioner_value_and_index,
};
use super::lookups::{Contained, Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyResult};

const NAME_LOCATION: &str = "contained[?(@.resourceType=='Practitioner')].name";

/// The contained Practitioner's `name`, when present, is a non-empty list of non-empty objects.
pub fn pre_validate_practitioner_name(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    try_except(
        &[
            PyExcKind::KeyError,
            PyExcKind::IndexError,
            PyExcKind::AttributeError,
        ],
        || {
            values.getitem(Field::Contained)?;
            let field_value = values
                .contained(Contained::Practitioner)?
                .ok_or_else(list_index_out_of_range)?
                .getitem("name")?;
            for_list(
                &field_value,
                NAME_LOCATION,
                &ListRules {
                    elements_are_dicts: true,
                    ..ListRules::default()
                },
            )
        },
    )
    .map(|_| ())
    .map_err(|e| e.at(NAME_LOCATION))
}

/// The current name's `given`, when present, is a non-empty list of non-empty strings.
pub fn pre_validate_practitioner_name_given(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let found = patient_and_practitioner_value_and_index(values, "given", Contained::Practitioner);
    let location =
        name_field_location(&found, "Practitioner", "given").map_err(|e| e.at(NAME_LOCATION))?;
    try_except(
        &[
            PyExcKind::KeyError,
            PyExcKind::IndexError,
            PyExcKind::AttributeError,
        ],
        || {
            let (field_value, _) = found?;
            for_list(
                &field_value,
                &location,
                &ListRules {
                    elements_are_strings: true,
                    ..ListRules::default()
                },
            )
        },
    )
    .map(|_| ())
    .map_err(|e| e.at(location.as_ref()))
}

/// The current name's `family`, when present, is a non-empty string. Unlike its
/// siblings, upstream does not swallow an `AttributeError` here.
pub fn pre_validate_practitioner_name_family(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let found = patient_and_practitioner_value_and_index(values, "family", Contained::Practitioner);
    let location =
        name_field_location(&found, "Practitioner", "family").map_err(|e| e.at(NAME_LOCATION))?;
    try_except(&[PyExcKind::KeyError, PyExcKind::IndexError], || {
        let (field_value, _) = found?;
        for_string(&field_value, &location)
    })
    .map(|_| ())
    .map_err(|e| e.at(location.as_ref()))
}
