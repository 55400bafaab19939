//! Reading each post-validated field's value from the request (upstream
//! `ObtainFieldValue` and `obtain_field_value`). A lookup that raises
//! `KeyError`, `IndexError` or `TypeError` means the field is absent; any other
//! exception (an `AttributeError` from `.get` on a non-object) escapes
//! post-validation and becomes the service's 500.

use super::contained::{
    contained_resource, list_index_out_of_range, none_not_iterable, ContainedKind,
};
use super::field_locations::{NHS_NUMBER, SNOMED, VACCINATION_PROCEDURE};
use super::field_names::FieldName;
use super::names::{name_value, NamePart};
use super::pyops::Obj;
use crate::python::{PyExcKind, PyResult};

/// `[x for x in items if keep(x)][0]`: every element is tested before the first kept one is taken.
fn first_where<'a>(
    items: Option<Obj<'a>>,
    mut keep: impl FnMut(&Obj<'a>) -> PyResult<bool>,
) -> PyResult<Obj<'a>> {
    let items = items.ok_or_else(none_not_iterable)?;
    let mut found = None;
    for item in items.iter()? {
        if keep(&item)? && found.is_none() {
            found = Some(item);
        }
    }
    found.ok_or_else(list_index_out_of_range)
}

/// `x.get(key) == text`
fn get_equals(x: &Obj<'_>, key: &str, text: &str) -> PyResult<bool> {
    Ok(x.get(key)?.is_some_and(|v| v.eq_str(text)))
}

/// `x["actor"]["type"] == "Organization"`, false on `KeyError` (upstream `is_organization`).
fn is_organization(x: &Obj<'_>) -> PyResult<bool> {
    match x.item("actor").and_then(|actor| actor.item("type")) {
        Ok(kind) => Ok(kind.eq_str("Organization")),
        Err(e) if e.kind == PyExcKind::KeyError => Ok(false),
        Err(e) => Err(e),
    }
}

fn organization_identifier<'a>(imms: &Obj<'a>) -> PyResult<Obj<'a>> {
    first_where(imms.get("performer")?, is_organization)?
        .item("actor")?
        .item("identifier")
}

/// The value of an extension's coding field (upstream `get_generic_extension_value`).
fn extension_value<'a>(imms: &Obj<'a>, url: &str, system: &str, field: &str) -> PyResult<Obj<'a>> {
    let extension = first_where(Some(imms.item("extension")?), |x| get_equals(x, "url", url))?;
    let coding = extension.item("valueCodeableConcept")?.item("coding")?;
    first_where(Some(coding), |x| get_equals(x, "system", system))?.item(field)
}

/// The field's value as the upstream lookup computes it, or the exception it raises.
fn lookup<'a>(imms: &Obj<'a>, field: FieldName) -> PyResult<Option<Obj<'a>>> {
    use FieldName::*;
    let patient = || contained_resource(imms, ContainedKind::Patient);
    let value = match field {
        PatientIdentifierValue => {
            let identifiers = patient()?.get("identifier")?;
            first_where(identifiers, |x| get_equals(x, "system", NHS_NUMBER))?.item("value")?
        }
        PatientNameGiven => return Ok(name_value(imms, NamePart::Given, ContainedKind::Patient)),
        PatientNameFamily => return Ok(name_value(imms, NamePart::Family, ContainedKind::Patient)),
        PractitionerNameGiven => {
            return Ok(name_value(
                imms,
                NamePart::Given,
                ContainedKind::Practitioner,
            ))
        }
        PractitionerNameFamily => {
            return Ok(name_value(
                imms,
                NamePart::Family,
                ContainedKind::Practitioner,
            ))
        }
        PatientBirthDate => patient()?.item("birthDate")?,
        PatientGender => patient()?.item("gender")?,
        PatientAddressPostalCode => {
            let addresses = patient()?.get("address")?;
            // `len(x.get("postalCode", "")) >= 1`
            first_where(addresses, |x| {
                Ok(match x.get("postalCode")? {
                    Some(code) => code.len()? >= 1,
                    None => false,
                })
            })?
            .item("postalCode")?
        }
        OccurrenceDateTime => imms.item("occurrenceDateTime")?,
        OrganizationIdentifierValue => organization_identifier(imms)?.item("value")?,
        OrganizationIdentifierSystem => organization_identifier(imms)?.item("system")?,
        IdentifierValue => imms.item("identifier")?.at(0)?.item("value")?,
        IdentifierSystem => imms.item("identifier")?.at(0)?.item("system")?,
        Recorded => imms.item("recorded")?,
        PrimarySource => imms.item("primarySource")?,
        VaccinationProcedureCode => extension_value(imms, VACCINATION_PROCEDURE, SNOMED, "code")?,
        DoseNumberPositiveInt => imms
            .item("protocolApplied")?
            .at(0)?
            .item("doseNumberPositiveInt")?,
        ManufacturerDisplay => imms.item("manufacturer")?.item("display")?,
        LotNumber => imms.item("lotNumber")?,
        ExpirationDate => imms.item("expirationDate")?,
        DoseQuantityValue => imms.item("doseQuantity")?.item("value")?,
        DoseQuantityCode => imms.item("doseQuantity")?.item("code")?,
        DoseQuantityUnit => imms.item("doseQuantity")?.item("unit")?,
        LocationIdentifierValue => imms.item("location")?.item("identifier")?.item("value")?,
        LocationIdentifierSystem => imms.item("location")?.item("identifier")?.item("system")?,
    };
    Ok(Some(value))
}

/// The field's value, `None` where upstream's lookup finds nothing (the lookup
/// raised `KeyError`, `IndexError` or `TypeError`, or the value is JSON `null`
/// — both are Python `None`). Other exceptions are returned.
pub(crate) fn obtain_field_value<'a>(
    imms: &Obj<'a>,
    field: FieldName,
) -> PyResult<Option<Obj<'a>>> {
    match lookup(imms, field) {
        Ok(Some(value)) if value.is_none() => Ok(None),
        Ok(value) => Ok(value),
        Err(e)
            if matches!(
                e.kind,
                PyExcKind::KeyError | PyExcKind::IndexError | PyExcKind::TypeError
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}
