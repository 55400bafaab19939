//! The `extension` rules: upstream `pre_validate_value_codeable_concept`,
//! `pre_validate_extension_length` (with `pre_validate_extension_url`) and the
//! vaccination procedure and situation code/display checks.

use super::checks::{
    for_list, for_snomed_code, for_string, for_string_with, ListRules, StringRules,
};
use super::constants::EXTENSION_URL;
use super::generic::snomed_extension_location;
use super::lookups::{Field, Lookups, SnomedExtension};
use super::Context;
use crate::python::{try_except, PyExcKind, PyException, PyResult};

/// Where the extension's `valueCodeableConcept` is reported missing.
const VALUE_CODEABLE_CONCEPT: &str = "extension[?(@.url=='https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure')].valueCodeableConcept";

/// `extension` must be present, and every item must hold a `valueCodeableConcept`
/// that holds a `coding` (tested with Python's `in`: a key of a dict, an equal
/// item of a list, a substring of a str).
///
/// A missing piece raises upstream's `MandatoryError`, whose text already carries
/// the `Validation errors: ` prefix and which ends validation on its own.
pub fn pre_validate_value_codeable_concept(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    let located = |e: PyException| e.at("extension");
    if !values.contains(Field::Extension).map_err(located)? {
        return Err(PyException::mandatory_error(
            "Validation errors: extension is a mandatory field",
        )
        .at("extension"));
    }
    for extension in values
        .getitem(Field::Extension)
        .and_then(|e| e.iter())
        .map_err(located)?
    {
        if !extension
            .contains_str("valueCodeableConcept")
            .map_err(located)?
        {
            return Err(PyException::mandatory_error(format!(
                "Validation errors: {VALUE_CODEABLE_CONCEPT} is a mandatory field"
            ))
            .at(VALUE_CODEABLE_CONCEPT));
        }
        let has_coding = extension
            .getitem("valueCodeableConcept")
            .and_then(|concept| concept.contains_str("coding"))
            .map_err(located)?;
        if !has_coding {
            let location = format!("{VALUE_CODEABLE_CONCEPT}.coding");
            return Err(PyException::mandatory_error(format!(
                "Validation errors: {location} is a mandatory field"
            ))
            .at(location));
        }
    }
    Ok(())
}

/// `extension`, when present, is a list of exactly one item, whose `url` (when
/// present) is the vaccination procedure URL.
pub fn pre_validate_extension_length(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    let values = imms;
    try_except(&[PyExcKind::KeyError], || {
        let extension = values.getitem(Field::Extension)?;
        for_list(
            &extension,
            "extension",
            &ListRules {
                defined_length: Some(1),
                ..ListRules::default()
            },
        )?;
        pre_validate_extension_url(values)
    })
    .map(|_| ())
    .map_err(|e| e.at("extension"))
}

/// Upstream `pre_validate_extension_url`, run only once the extension list has one item.
fn pre_validate_extension_url(values: &Lookups<'_>) -> PyResult<()> {
    try_except(&[PyExcKind::KeyError], || {
        let url = values.getitem(Field::Extension)?.index(0)?.getitem("url")?;
        for_string_with(
            &url,
            "extension[0].url",
            &StringRules {
                predefined_values: Some(EXTENSION_URL),
                ..StringRules::default()
            },
        )
    })
    .map(|_| ())
    .map_err(|e| e.at("extension[0].url"))
}

/// The `code` or `display` of the SNOMED coding of the extension with `url`,
/// when present, is a non-empty string (and, for `snomed_code`, a valid SNOMED code).
fn extension_coding_field(
    imms: &Lookups<'_>,
    which: SnomedExtension,
    field_type: &str,
    snomed_code: bool,
) -> PyResult<()> {
    let values = imms;
    let location = snomed_extension_location(which, field_type);
    try_except(&[PyExcKind::KeyError, PyExcKind::IndexError], || {
        let Some(field_value) = values.snomed_extension_value(which, field_type)? else {
            return Ok(());
        };
        for_string(&field_value, &location)?;
        if snomed_code {
            for_snomed_code(&field_value, &location)?;
        }
        Ok(())
    })
    .map(|_| ())
    .map_err(|e| e.at(location.as_ref()))
}

/// The vaccination procedure extension's SNOMED `code`, when present, is a
/// non-empty string and a valid SNOMED code.
pub fn pre_validate_vaccination_procedure_code(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    extension_coding_field(imms, SnomedExtension::Procedure, "code", true)
}

/// The vaccination procedure extension's SNOMED `display`, when present, is a non-empty string.
pub fn pre_validate_vaccination_procedure_display(
    imms: &Lookups<'_>,
    _ctx: &Context,
) -> PyResult<()> {
    extension_coding_field(imms, SnomedExtension::Procedure, "display", false)
}

/// The vaccination situation extension's SNOMED `code`, when present, is a non-empty string.
pub fn pre_validate_vaccination_situation_code(imms: &Lookups<'_>, _ctx: &Context) -> PyResult<()> {
    extension_coding_field(imms, SnomedExtension::Situation, "code", false)
}

/// The vaccination situation extension's SNOMED `display`, when present, is a non-empty string.
pub fn pre_validate_vaccination_situation_display(
    imms: &Lookups<'_>,
    _ctx: &Context,
) -> PyResult<()> {
    extension_coding_field(imms, SnomedExtension::Situation, "display", false)
}
