//! The `protocolApplied` rules: upstream `pre_validate_protocol_applied`, the dose
//! number checks and the target disease checks.

use super::checks::{for_list, for_positive_integer, for_string, ListRules};
use super::constants::SNOMED;
use super::generic::first_get_eq;
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyException, PyResult};

/// Upstream `DOSE_NUMBER_MAX_VALUE`.
const DOSE_NUMBER_MAX_VALUE: u64 = 9;

const TARGET_DISEASE: &str = "protocolApplied[0].targetDisease";

/// `protocolApplied`, when present, is a list of exactly one item.
pub fn pre_validate_protocol_applied(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError], || {
        for_list(
            &values.getitem(Field::ProtocolApplied)?,
            "protocolApplied",
            &ListRules {
                defined_length: Some(1),
                ..ListRules::default()
            },
        )
    })
    .map(|_| ())
    .map_err(|e| e.at("protocolApplied"))
}

/// `protocolApplied[0].doseNumberPositiveInt`, when reachable, is an `int` (not a
/// bool) from 1 to 9.
pub fn pre_validate_dose_number_positive_int(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "protocolApplied[0].doseNumberPositiveInt";
    try_except(&[PyExcKind::KeyError, PyExcKind::IndexError], || {
        let Some(applied) = values.lookup(Field::ProtocolApplied)? else {
            return Ok(());
        };
        let Some(field_value) = applied.index(0)?.lookup("doseNumberPositiveInt")? else {
            return Ok(());
        };
        for_positive_integer(&field_value, location, Some(DOSE_NUMBER_MAX_VALUE))
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// `protocolApplied[0].doseNumberString`, when reachable, is a non-empty string.
pub fn pre_validate_dose_number_string(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = "protocolApplied[0].doseNumberString";
    try_except(&[PyExcKind::KeyError, PyExcKind::IndexError], || {
        let Some(applied) = values.lookup(Field::ProtocolApplied)? else {
            return Ok(());
        };
        let Some(field_value) = applied.index(0)?.lookup("doseNumberString")? else {
            return Ok(());
        };
        for_string(&field_value, location)
    })
    .map(|_| ())
    .map_err(|e| e.at(location))
}

/// `protocolApplied[0].targetDisease` must be reachable (a missing key or an
/// index out of range on the way is reported as a missing field), and each of its
/// items must hold `coding` (Python's `in`).
pub fn pre_validate_target_disease(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let checked = (|| {
        for element in values.target_disease()?.iter()? {
            if !element.contains_str("coding")? {
                return Err(PyException::value_error(format!(
                    "Every element of {TARGET_DISEASE} must have 'coding' property"
                )));
            }
        }
        Ok(())
    })();
    match checked {
        Err(e) if e.is_one_of(&[PyExcKind::KeyError, PyExcKind::IndexError]) => Err(
            PyException::value_error(format!("{TARGET_DISEASE} is a mandatory field")),
        ),
        other => other,
    }
    .map_err(|e| e.at(TARGET_DISEASE))
}

/// For each index of `protocolApplied[0].targetDisease` (over `range(len(...))`),
/// the item's `coding`, when present, has exactly one item whose `system` is SNOMED.
///
/// Only a missing key is forgiven: an empty `protocolApplied` raises
/// `list index out of range` here.
pub fn pre_validate_target_disease_codings(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = |i: usize| format!("{TARGET_DISEASE}[{i}].coding");
    let mut reached = None;
    try_except(&[PyExcKind::KeyError], || {
        let count = values.target_disease()?.py_len()?;
        for i in 0..count {
            reached = Some(i);
            try_except(&[PyExcKind::KeyError], || {
                let coding = values
                    .target_disease()?
                    .index(i as i64)?
                    .getitem("coding")?;
                let mut snomed = 0usize;
                for x in coding.iter()? {
                    if x.get("system")?.eq_str(SNOMED) {
                        snomed += 1;
                    }
                }
                if snomed != 1 {
                    return Err(PyException::value_error(format!(
                        "{} must contain exactly one element with a system of {SNOMED}",
                        location(i)
                    )));
                }
                Ok(())
            })?;
        }
        Ok(())
    })
    .map(|_| ())
    .map_err(|e| e.at(reached.map_or_else(|| TARGET_DISEASE.to_string(), location)))
}

/// For each index of `protocolApplied[0].targetDisease`, the `code` of the item's
/// first SNOMED coding, when present, is a non-empty string.
pub fn pre_validate_disease_type_coding_codes(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = |i: usize| format!("{TARGET_DISEASE}[{i}].coding[?(@.system=='{SNOMED}')].code");
    let mut reached = None;
    try_except(&[PyExcKind::KeyError], || {
        let count = values.target_disease()?.py_len()?;
        for i in 0..count {
            reached = Some(i);
            try_except(&[PyExcKind::KeyError, PyExcKind::IndexError], || {
                let coding = values
                    .target_disease()?
                    .index(i as i64)?
                    .getitem("coding")?;
                let code = first_get_eq(&coding, "system", SNOMED)?.getitem("code")?;
                if for_string(&code, "").is_err() {
                    for_string(&code, &location(i))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })
    .map(|_| ())
    .map_err(|e| e.at(reached.map_or_else(|| TARGET_DISEASE.to_string(), location)))
}
