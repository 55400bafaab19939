//! The `doseQuantity` rules: upstream `pre_validate_dose_quantity_value`,
//! `_code`, `_system`, `_system_and_code` and `_unit`.

use super::checks::{for_integer_or_decimal, for_string, require_system_when_code_present};
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyResult, PyVal};

/// `doseQuantity.value`, when present, is an `int` or a `Decimal` (a JSON number
/// with a fraction or exponent); not a bool, a str or `NaN`/`Infinity`.
pub fn pre_validate_dose_quantity_value(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "doseQuantity.value";
    try_except(&[PyExcKind::KeyError], || {
        match values.path(Field::DoseQuantity, &["value"])? {
            Some(value) => for_integer_or_decimal(&value, location),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// `doseQuantity.<key>` (at `location`), when present, is a non-empty string.
fn dose_quantity_string(imms: &Lookups<'_>, key: &str, location: &str) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError], || {
        match values.path(Field::DoseQuantity, &[key])? {
            Some(value) => for_string(&value, location),
            None => Ok(()),
        }
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// `doseQuantity.code`, when present, is a non-empty string.
pub fn pre_validate_dose_quantity_code(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    dose_quantity_string(imms, "code", "doseQuantity.code")
}

/// `doseQuantity.system`, when present, is a non-empty string.
pub fn pre_validate_dose_quantity_system(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    dose_quantity_string(imms, "system", "doseQuantity.system")
}

/// A `doseQuantity.code` that is not null needs a `doseQuantity.system` that is
/// not null (read with `.get`, so a `doseQuantity` that is not an object raises
/// `AttributeError`).
pub fn pre_validate_dose_quantity_system_and_code(
    imms: &Lookups<'_>,
    _ctx: &Context,
) -> PyResult<()> {
    let values = imms;
    (|| {
        let dose_quantity = values.get_or(Field::DoseQuantity, PyVal::EmptyDict)?;
        let code = dose_quantity.get("code")?;
        let system = dose_quantity.get("system")?;
        require_system_when_code_present(&code, &system, "doseQuantity.code", "doseQuantity.system")
    })()
    .map_err(|e| e.at("doseQuantity.system"))
}

/// `doseQuantity.unit`, when present, is a non-empty string.
pub fn pre_validate_dose_quantity_unit(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    dose_quantity_string(imms, "unit", "doseQuantity.unit")
}
