//! The `site` and `route` rules: upstream `pre_validate_site_coding*` and
//! `pre_validate_route_coding*`. Both fields follow the same rules.

use super::checks::{for_string, for_unique_list};
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyResult};

/// `<field>.coding`, when present, repeats no `system` (compared with Python `==`);
/// an item without `system` ends the check silently.
fn unique_systems(imms: &Lookups<'_>, field: Field) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError], || {
        let Some(coding) = values.path(field, &["coding"])? else {
            return Ok(());
        };
        for_unique_list(&coding, "system", || {
            format!("{}.coding[?(@.system=='FIELD_TO_REPLACE')]", field.key())
        })
    })
    .map(|_| ())
    .map_err(|e| e.at(format!("{}.coding", field.key())))
}

/// The `code` or `display` of `<field>`'s first SNOMED coding, when present, is a non-empty string.
/// `location` is `<field>.coding[?(@.system=='http://snomed.info/sct')].<key>`.
fn snomed_coding_field(
    imms: &Lookups<'_>,
    field: Field,
    key: &str,
    location: &str,
) -> PyResult<()> {
    let values = imms;
    try_except(
        &[PyExcKind::KeyError, PyExcKind::IndexError],
        || match values.first_snomed_coding_key(field, key)? {
            Some(field_value) => for_string(&field_value, location),
            None => Ok(()),
        },
    )
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// `site.coding` systems are unique.
pub fn pre_validate_site_coding(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    unique_systems(imms, Field::Site)
}

/// `site.coding[?(@.system=='http://snomed.info/sct')].code`, when present, is a non-empty string.
pub fn pre_validate_site_coding_code(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    snomed_coding_field(
        imms,
        Field::Site,
        "code",
        "site.coding[?(@.system=='http://snomed.info/sct')].code",
    )
}

/// `site.coding[?(@.system=='http://snomed.info/sct')].display`, when present, is a non-empty string.
pub fn pre_validate_site_coding_display(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    snomed_coding_field(
        imms,
        Field::Site,
        "display",
        "site.coding[?(@.system=='http://snomed.info/sct')].display",
    )
}

/// `route.coding` systems are unique.
pub fn pre_validate_route_coding(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    unique_systems(imms, Field::Route)
}

/// `route.coding[?(@.system=='http://snomed.info/sct')].code`, when present, is a non-empty string.
pub fn pre_validate_route_coding_code(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    snomed_coding_field(
        imms,
        Field::Route,
        "code",
        "route.coding[?(@.system=='http://snomed.info/sct')].code",
    )
}

/// `route.coding[?(@.system=='http://snomed.info/sct')].display`, when present, is a non-empty string.
pub fn pre_validate_route_coding_display(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    snomed_coding_field(
        imms,
        Field::Route,
        "display",
        "route.coding[?(@.system=='http://snomed.info/sct')].display",
    )
}
