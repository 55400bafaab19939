//! The vaccine product rules: upstream `pre_validate_manufacturer_display`,
//! `pre_validate_lot_number`, `pre_validate_expiration_date`,
//! `pre_validate_vaccine_code` and `pre_validate_vaccine_display`.

use super::checks::{for_date, for_snomed_code, for_string};
use super::constants::SNOMED;
use super::generic::first_get_eq;
use super::Context;
use crate::json::Node;
use crate::python::{try_except, PyExcKind, PyResult, PyVal};

/// `manufacturer.display`, when present, is a non-empty string.
pub fn pre_validate_manufacturer_display(imms: &Node, _ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    let location = "manufacturer.display";
    try_except(&[PyExcKind::KeyError], || {
        for_string(
            &values.getitem("manufacturer")?.getitem("display")?,
            location,
        )
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// `lotNumber`, when present, is a non-empty string.
pub fn pre_validate_lot_number(imms: &Node, _ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    try_except(&[PyExcKind::KeyError], || {
        for_string(&values.getitem("lotNumber")?, "lotNumber")
    })
    .map(|_| ())
    .map_err(|e| e.at("lotNumber"))
}

/// `expirationDate`, when present, is a `YYYY-MM-DD` date string (a future date is allowed).
pub fn pre_validate_expiration_date(imms: &Node, ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    try_except(&[PyExcKind::KeyError], || {
        for_date(
            &values.getitem("expirationDate")?,
            "expirationDate",
            true,
            ctx,
        )
    })
    .map(|_| ())
    .map_err(|e| e.at("expirationDate"))
}

/// `vaccineCode.coding[?(@.system=='http://snomed.info/sct')].<field>` as upstream
/// selects it: the first coding whose `system` is SNOMED.
fn vaccine_coding_field<'a>(values: &PyVal<'a>, field: &str) -> PyResult<PyVal<'a>> {
    let coding = values.getitem("vaccineCode")?.getitem("coding")?;
    first_get_eq(&coding, "system", SNOMED)?.getitem(field)
}

/// The vaccine's SNOMED `code`, when present, is a non-empty string and a valid SNOMED code.
pub fn pre_validate_vaccine_code(imms: &Node, _ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    let location = "vaccineCode.coding[?(@.system=='http://snomed.info/sct')].code";
    try_except(&[PyExcKind::KeyError, PyExcKind::IndexError], || {
        let field_value = vaccine_coding_field(&values, "code")?;
        for_string(&field_value, location)?;
        for_snomed_code(&field_value, location)
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// The vaccine's SNOMED `display`, when present, is a non-empty string.
pub fn pre_validate_vaccine_display(imms: &Node, _ctx: &Context) -> PyResult<()> {
    let values = PyVal::from(imms);
    let location = "vaccineCode.coding[?(@.system=='http://snomed.info/sct')].display";
    try_except(&[PyExcKind::KeyError, PyExcKind::IndexError], || {
        for_string(&vaccine_coding_field(&values, "display")?, location)
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}
