//! The `site` and `route` rules: upstream `pre_validate_site_coding*` and
//! `pre_validate_route_coding*`. Both fields follow the same rules.

use super::checks::{for_string, for_unique_list};
use super::constants::SNOMED;
use super::generic::first_get_eq;
use super::Context;
use crate::json::Node;
use crate::python::{try_except, PyExcKind, PyResult, PyVal};

/// `<field>.coding`, when present, repeats no `system` (compared with Python `==`);
/// an item without `system` ends the check silently.
fn unique_systems(imms: &Node, field: &str) -> PyResult<()> {
    let values = PyVal::from(imms);
    try_except(&[PyExcKind::KeyError], || {
        for_unique_list(&values.getitem(field)?.getitem("coding")?, "system", || {
            format!("{field}.coding[?(@.system=='FIELD_TO_REPLACE')]")
        })
    })
    .map(|_| ())
    .map_err(|e| e.at(format!("{field}.coding")))
}

/// The `code` or `display` of `<field>`'s first SNOMED coding, when present, is a non-empty string.
/// `location` is `<field>.coding[?(@.system=='http://snomed.info/sct')].<key>`.
fn snomed_coding_field(imms: &Node, field: &str, key: &str, location: &str) -> PyResult<()> {
    let values = PyVal::from(imms);
    try_except(&[PyExcKind::KeyError, PyExcKind::IndexError], || {
        let coding = values.getitem(field)?.getitem("coding")?;
        let field_value = first_get_eq(&coding, "system", SNOMED)?.getitem(key)?;
        for_string(&field_value, location)
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// `site.coding` systems are unique.
pub fn pre_validate_site_coding(imms: &Node, _ctx: &Context) -> PyResult<()> {
    unique_systems(imms, "site")
}

/// `site.coding[?(@.system=='http://snomed.info/sct')].code`, when present, is a non-empty string.
pub fn pre_validate_site_coding_code(imms: &Node, _ctx: &Context) -> PyResult<()> {
    snomed_coding_field(
        imms,
        "site",
        "code",
        "site.coding[?(@.system=='http://snomed.info/sct')].code",
    )
}

/// `site.coding[?(@.system=='http://snomed.info/sct')].display`, when present, is a non-empty string.
pub fn pre_validate_site_coding_display(imms: &Node, _ctx: &Context) -> PyResult<()> {
    snomed_coding_field(
        imms,
        "site",
        "display",
        "site.coding[?(@.system=='http://snomed.info/sct')].display",
    )
}

/// `route.coding` systems are unique.
pub fn pre_validate_route_coding(imms: &Node, _ctx: &Context) -> PyResult<()> {
    unique_systems(imms, "route")
}

/// `route.coding[?(@.system=='http://snomed.info/sct')].code`, when present, is a non-empty string.
pub fn pre_validate_route_coding_code(imms: &Node, _ctx: &Context) -> PyResult<()> {
    snomed_coding_field(
        imms,
        "route",
        "code",
        "route.coding[?(@.system=='http://snomed.info/sct')].code",
    )
}

/// `route.coding[?(@.system=='http://snomed.info/sct')].display`, when present, is a non-empty string.
pub fn pre_validate_route_coding_display(imms: &Node, _ctx: &Context) -> PyResult<()> {
    snomed_coding_field(
        imms,
        "route",
        "display",
        "route.coding[?(@.system=='http://snomed.info/sct')].display",
    )
}
