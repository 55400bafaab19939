//! The vaccine product rules: upstream `pre_validate_manufacturer_display`,
//! `pre_validate_lot_number`, `pre_validate_expiration_date`,
//! `pre_validate_vaccine_code` and `pre_validate_vaccine_display`.

use super::checks::{for_date, for_snomed_code, for_string};
use super::constants::SNOMED;
use super::generic::find_get_eq;
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyResult, PyVal};

/// `manufacturer.display`, when present, is a non-empty string.
pub fn pre_validate_manufacturer_display(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "manufacturer.display";
    try_except(&[PyExcKind::KeyError], || {
        match values.path(Field::Manufacturer, &["display"])? {
            Some(display) => for_string(&display, location),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// `lotNumber`, when present, is a non-empty string.
pub fn pre_validate_lot_number(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError], || {
        match values.lookup(Field::LotNumber)? {
            Some(lot_number) => for_string(&lot_number, "lotNumber"),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at("lotNumber"))
}

/// `expirationDate`, when present, is a `YYYY-MM-DD` date string (a future date is allowed).
pub fn pre_validate_expiration_date(imms: &Lookups<'_>, ctx: &Context) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError], || {
        match values.lookup(Field::ExpirationDate)? {
            Some(date) => for_date(&date, "expirationDate", true, ctx),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at("expirationDate"))
}

/// `vaccineCode.coding[?(@.system=='http://snomed.info/sct')].<field>` as upstream
/// selects it: the first coding whose `system` is SNOMED; `None` where that
/// raises `KeyError` or `IndexError` (both callers swallow them).
fn vaccine_coding_field<'a>(values: &Lookups<'a>, field: &str) -> PyResult<Option<PyVal<'a>>> {
    let Some(coding) = values.path(Field::VaccineCode, &["coding"])? else {
        return Ok(None);
    };
    match find_get_eq(&coding, "system", SNOMED)? {
        Some(chosen) => chosen.lookup(field),
        None => Ok(None),
    }
}

/// The vaccine's SNOMED `code`, when present, is a non-empty string and a valid SNOMED code.
pub fn pre_validate_vaccine_code(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "vaccineCode.coding[?(@.system=='http://snomed.info/sct')].code";
    try_except(&[PyExcKind::KeyError, PyExcKind::IndexError], || {
        let Some(field_value) = vaccine_coding_field(values, "code")? else {
            return Ok(());
        };
        for_string(&field_value, location)?;
        for_snomed_code(&field_value, location)
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// The vaccine's SNOMED `display`, when present, is a non-empty string.
pub fn pre_validate_vaccine_display(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "vaccineCode.coding[?(@.system=='http://snomed.info/sct')].display";
    try_except(
        &[PyExcKind::KeyError, PyExcKind::IndexError],
        || match vaccine_coding_field(values, "display")? {
            Some(display) => for_string(&display, location),
            None => Ok(()),
        },
    )
    .map(|_| ())
    .map_err(|e| e.at(location))
}
