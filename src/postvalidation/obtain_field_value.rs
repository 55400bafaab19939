//! Reading each post-validated field's value from the request (upstream
//! `ObtainFieldValue` and `obtain_field_value`). A lookup that raises
//! `KeyError`, `IndexError` or `TypeError` means the field is absent; any other
//! exception (an `AttributeError` from `.get` on a non-object) escapes
//! post-validation and becomes the service's 500.

use super::contained::{contained_resource, first_where, get_equals, ContainedKind};
use super::field_locations::{NHS_NUMBER, SNOMED, VACCINATION_PROCEDURE};
use super::field_names::FieldName;
use super::names::{name_value, NamePart};
use crate::python::{PyExcKind, PyResult, PyVal};

/// `x["actor"]["type"] == "Organization"`, false on `KeyError` (upstream `is_organization`).
fn is_organization(x: &PyVal<'_>) -> PyResult<bool> {
    match x.getitem("actor").and_then(|actor| actor.getitem("type")) {
        Ok(kind) => Ok(kind.eq_str("Organization")),
        Err(e) if e.kind == PyExcKind::KeyError => Ok(false),
        Err(e) => Err(e),
    }
}

fn organization_identifier<'a>(imms: &PyVal<'a>) -> PyResult<PyVal<'a>> {
    first_where(&imms.get("performer")?, is_organization)?
        .getitem("actor")?
        .getitem("identifier")
}

/// The value of an extension's coding field (upstream `get_generic_extension_value`).
fn extension_value<'a>(
    imms: &PyVal<'a>,
    url: &str,
    system: &str,
    field: &str,
) -> PyResult<PyVal<'a>> {
    let extension = first_where(&imms.getitem("extension")?, |x| get_equals(x, "url", url))?;
    let coding = extension
        .getitem("valueCodeableConcept")?
        .getitem("coding")?;
    first_where(&coding, |x| get_equals(x, "system", system))?.getitem(field)
}

/// The field's value as the upstream lookup computes it, or the exception it raises.
fn lookup<'a>(imms: &PyVal<'a>, field: FieldName) -> PyResult<Option<PyVal<'a>>> {
    use FieldName::*;
    let patient = || contained_resource(imms, ContainedKind::Patient);
    let value = match field {
        PatientIdentifierValue => {
            let identifiers = patient()?.get("identifier")?;
            first_where(&identifiers, |x| get_equals(x, "system", NHS_NUMBER))?.getitem("value")?
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
        PatientBirthDate => patient()?.getitem("birthDate")?,
        PatientGender => patient()?.getitem("gender")?,
        PatientAddressPostalCode => {
            let addresses = patient()?.get("address")?;
            // `len(x.get("postalCode", "")) >= 1`
            first_where(&addresses, |x| {
                Ok(x.get_or("postalCode", PyVal::str(""))?.py_len()? >= 1)
            })?
            .getitem("postalCode")?
        }
        OccurrenceDateTime => imms.getitem("occurrenceDateTime")?,
        OrganizationIdentifierValue => organization_identifier(imms)?.getitem("value")?,
        OrganizationIdentifierSystem => organization_identifier(imms)?.getitem("system")?,
        IdentifierValue => imms.getitem("identifier")?.index(0)?.getitem("value")?,
        IdentifierSystem => imms.getitem("identifier")?.index(0)?.getitem("system")?,
        Recorded => imms.getitem("recorded")?,
        PrimarySource => imms.getitem("primarySource")?,
        VaccinationProcedureCode => extension_value(imms, VACCINATION_PROCEDURE, SNOMED, "code")?,
        DoseNumberPositiveInt => imms
            .getitem("protocolApplied")?
            .index(0)?
            .getitem("doseNumberPositiveInt")?,
        ManufacturerDisplay => imms.getitem("manufacturer")?.getitem("display")?,
        LotNumber => imms.getitem("lotNumber")?,
        ExpirationDate => imms.getitem("expirationDate")?,
        DoseQuantityValue => imms.getitem("doseQuantity")?.getitem("value")?,
        DoseQuantityCode => imms.getitem("doseQuantity")?.getitem("code")?,
        DoseQuantityUnit => imms.getitem("doseQuantity")?.getitem("unit")?,
        LocationIdentifierValue => imms
            .getitem("location")?
            .getitem("identifier")?
            .getitem("value")?,
        LocationIdentifierSystem => imms
            .getitem("location")?
            .getitem("identifier")?
            .getitem("system")?,
    };
    Ok(Some(value))
}

/// The field's value, `None` where upstream's lookup finds nothing (the lookup
/// raised `KeyError`, `IndexError` or `TypeError`, or the value is JSON `null`
/// — both are Python `None`). Other exceptions are returned.
pub(crate) fn obtain_field_value<'a>(
    imms: &PyVal<'a>,
    field: FieldName,
) -> PyResult<Option<PyVal<'a>>> {
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
