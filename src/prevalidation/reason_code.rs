//! The `reasonCode` rules: upstream `pre_validate_reason_code_codings` and
//! `pre_validate_reason_code_coding_codes`.

use super::checks::{for_list, for_string, ListRules};
use super::lookups::{Field, Lookups};
use super::Context;
use crate::python::{try_except, PyExcKind, PyResult};

/// Each `reasonCode[i].coding`, when present, is a non-empty list. Iterates
/// `reasonCode` as Python does (a str by character, a dict by key).
pub fn pre_validate_reason_code_codings(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = |index: usize| format!("reasonCode[{index}].coding");
    let mut reached = None;
    try_except(&[PyExcKind::KeyError], || {
        let Some(reason_code) = values.lookup(Field::ReasonCode)? else {
            return Ok(());
        };
        for (index, value) in reason_code.iter()?.enumerate() {
            reached = Some(index);
            try_except(&[PyExcKind::KeyError], || {
                let Some(coding) = value.lookup("coding")? else {
                    return Ok(());
                };
                if for_list(&coding, "", &ListRules::default()).is_err() {
                    for_list(&coding, &location(index), &ListRules::default())?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })
    .map(|_| ())
    .map_err(|e| e.at(reached.map_or_else(|| "reasonCode".to_string(), location)))
}

/// Each `reasonCode[i].coding[0].code`, when present, is a non-empty string. Only
/// a missing key is forgiven: an empty `coding` list raises `list index out of range`.
pub fn pre_validate_reason_code_coding_codes(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let location = |index: usize| format!("reasonCode[{index}].coding[0].code");
    let mut reached = None;
    try_except(&[PyExcKind::KeyError], || {
        let Some(reason_code) = values.lookup(Field::ReasonCode)? else {
            return Ok(());
        };
        for (index, value) in reason_code.iter()?.enumerate() {
            reached = Some(index);
            try_except(&[PyExcKind::KeyError], || {
                let Some(coding) = value.lookup("coding")? else {
                    return Ok(());
                };
                let Some(code) = coding.index(0)?.lookup("code")? else {
                    return Ok(());
                };
                if for_string(&code, "").is_err() {
                    for_string(&code, &location(index))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })
    .map(|_| ())
    .map_err(|e| e.at(reached.map_or_else(|| "reasonCode".to_string(), location)))
}
