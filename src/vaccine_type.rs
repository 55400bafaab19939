//! The vaccine type of an Immunization, from its target diseases (upstream
//! `get_vaccine_type`, `get_target_disease_codes`,
//! `convert_disease_codes_to_vaccine_type`).
//!
//! The SNOMED code of each `protocolApplied[0].targetDisease[i]` is collected;
//! the codes, sorted and joined by `:`, must name a vaccine type in the disease
//! map. What the service answers when they do not:
//! - `protocolApplied[0].targetDisease` unreachable (`KeyError`/`IndexError`):
//!   "Validation errors: protocolApplied[0].targetDisease[0].coding[?(@.system=='http://snomed.info/sct')].code is a mandatory field";
//! - a target disease without `coding`, without a SNOMED coding, or whose
//!   SNOMED coding has no `code`: "protocolApplied[0].targetDisease[i].coding[?(@.system=='http://snomed.info/sct')].code is a mandatory field"
//!   (no prefix);
//! - a SNOMED `code` of `null`, or no target disease at all: the same text
//!   for index 0 (no prefix);
//! - an unknown combination: "Validation errors: protocolApplied[0].targetDisease[*].coding[?(@.system=='http://snomed.info/sct')].code - ['c1', 'c2'] is not a valid combination of disease codes for this service"
//!   (codes in the order sent).
//!
//! All of these are answered 400 `invariant`; a wrongly typed value met on the
//! way raises a Python exception the service does not catch (500).

mod disease_mapping;
#[cfg(test)]
mod tests;

pub use disease_mapping::{vaccine_types, Disease, DiseaseMapping, VaccineEntry, EMBEDDED_JSON};

use crate::json::Node;
use crate::postvalidation::{unhandled, PREFIX, SNOMED, TARGET_DISEASE_CODES};
use crate::prevalidation::Lookups;
use crate::python::{repr_str, PyExcKind, PyException, PyResult, PyVal};
use crate::raised::{FieldError, Raised};

/// Location named by the unknown-combination failure.
pub const ALL_TARGET_DISEASE_CODES: &str =
    "protocolApplied[0].targetDisease[*].coding[?(@.system=='http://snomed.info/sct')].code";

/// The vaccine type the resource's target diseases map to.
pub fn vaccine_type(imms: &Node, mapping: &DiseaseMapping) -> Result<String, Raised> {
    vaccine_type_with(&Lookups::new(imms), mapping)
}

/// [`vaccine_type`] of a body whose lookups the validation stages share.
pub fn vaccine_type_with(imms: &Lookups<'_>, mapping: &DiseaseMapping) -> Result<String, Raised> {
    let codes = match target_disease_codes(imms).map_err(unhandled)? {
        Ok(codes) if !codes.is_empty() => codes,
        Ok(_) | Err(CodesMissing::NoneCode) => {
            return Err(invalid(
                format!("{TARGET_DISEASE_CODES} is a mandatory field"),
                TARGET_DISEASE_CODES,
                false,
            ))
        }
        Err(CodesMissing::NoTargetDisease) => {
            return Err(invalid(
                format!("{TARGET_DISEASE_CODES} is a mandatory field"),
                TARGET_DISEASE_CODES,
                true,
            ))
        }
        Err(CodesMissing::NoSnomedCode(index)) => {
            let location = format!(
                "protocolApplied[0].targetDisease[{index}].coding[?(@.system=='{SNOMED}')].code"
            );
            return Err(invalid(
                format!("{location} is a mandatory field"),
                &location,
                false,
            ));
        }
    };
    convert_codes(&codes, mapping)
}

/// Why no list of codes could be read.
enum CodesMissing {
    /// `protocolApplied[0].targetDisease` raised `KeyError` or `IndexError`.
    NoTargetDisease,
    /// Target disease `i` has no `coding`, no SNOMED coding, or no `code` in it.
    NoSnomedCode(usize),
    /// A SNOMED `code` is `null`.
    NoneCode,
}

/// Upstream `get_target_disease_codes`: the outer `Err` is an exception the
/// service does not turn into a validation failure.
fn target_disease_codes<'a>(imms: &Lookups<'a>) -> PyResult<Result<Vec<PyVal<'a>>, CodesMissing>> {
    // `imms["protocolApplied"][0]["targetDisease"]`
    let target_disease = match imms.target_disease() {
        Ok(value) => value,
        Err(e) if is_missing(&e) => return Ok(Err(CodesMissing::NoTargetDisease)),
        Err(e) => return Err(e),
    };
    let mut codes = Vec::new();
    for (index, element) in target_disease.iter()?.enumerate() {
        let code = match snomed_code(&element) {
            Ok(code) => code,
            Err(e) if is_missing(&e) => return Ok(Err(CodesMissing::NoSnomedCode(index))),
            Err(e) => return Err(e),
        };
        if code.is_none() {
            return Ok(Err(CodesMissing::NoneCode));
        }
        codes.push(code);
    }
    Ok(Ok(codes))
}

/// `[x["code"] for x in element["coding"] if x.get("system") == SNOMED][0]`
fn snomed_code<'a>(element: &PyVal<'a>) -> PyResult<PyVal<'a>> {
    let mut first = None;
    for coding in element.getitem("coding")?.iter()? {
        if coding.get("system")?.eq_str(SNOMED) {
            let code = coding.getitem("code")?;
            first.get_or_insert(code);
        }
    }
    first.ok_or_else(|| PyException::new(PyExcKind::IndexError, "list index out of range"))
}

fn is_missing(e: &PyException) -> bool {
    matches!(e.kind, PyExcKind::KeyError | PyExcKind::IndexError)
}

/// Upstream `convert_disease_codes_to_vaccine_type`.
fn convert_codes(codes: &[PyVal<'_>], mapping: &DiseaseMapping) -> Result<String, Raised> {
    let mut texts = Vec::with_capacity(codes.len());
    for (position, code) in codes.iter().enumerate() {
        match code.as_str() {
            Some(text) => texts.push(text),
            None => {
                // `sorted` or `":".join` of a non-string code.
                return Err(unhandled(PyException::type_error(format!(
                    "sequence item {position}: expected str instance, {} found",
                    code.type_name()
                ))));
            }
        }
    }
    if let Some(vaccine_type) = mapping.lookup(texts.iter().copied()) {
        return Ok(vaccine_type.to_string());
    }
    let listed = texts
        .iter()
        .map(|t| repr_str(t))
        .collect::<Vec<_>>()
        .join(", ");
    Err(invalid(
        format!(
            "{ALL_TARGET_DISEASE_CODES} - [{listed}] is not a valid combination of disease codes for this service"
        ),
        ALL_TARGET_DISEASE_CODES,
        true,
    ))
}

/// A 400 failure: `message` alone, or after "Validation errors: ".
fn invalid(message: String, location: &str, prefixed: bool) -> Raised {
    let diagnostics = if prefixed {
        format!("{PREFIX}{message}")
    } else {
        message.clone()
    };
    Raised::Invalid {
        diagnostics,
        errors: vec![FieldError::new(message, location)],
    }
}
