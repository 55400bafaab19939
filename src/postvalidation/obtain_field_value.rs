//! Reading each post-validated field's value from the request (upstream
//! `ObtainFieldValue` and `obtain_field_value`). A lookup that raises
//! `KeyError`, `IndexError` or `TypeError` means the field is absent; any other
//! exception (an `AttributeError` from `.get` on a non-object) escapes
//! post-validation and becomes the service's 500.
//!
//! Lookups shared by several fields (the contained Patient, its and the
//! Practitioner's current names, the organisation's identifier) are made once;
//! they are pure, so reading them again would find the same.

use super::contained::{first_where, get_equals, ContainedKind};
use super::field_locations::NHS_NUMBER;
use super::field_names::FieldName;
use super::names::{CurrentName, NamePart};
use crate::prevalidation::lookups::{Contained, Field, Lookups, SnomedExtension};
use crate::python::{PyExcKind, PyResult, PyVal};

/// `x["actor"]["type"] == "Organization"`, false on `KeyError` (upstream `is_organization`).
fn is_organization(x: &PyVal<'_>) -> PyResult<bool> {
    let Some(actor) = x.lookup("actor")? else {
        return Ok(false);
    };
    let Some(kind) = actor.lookup("type")? else {
        return Ok(false);
    };
    Ok(kind.eq_str("Organization"))
}

/// `[x for x in imms.get("performer") if is_organization(x)][0]["actor"]["identifier"]`,
/// `None` where that raises `KeyError` or `IndexError`.
fn organization_identifier<'a>(imms: &Lookups<'a>) -> PyResult<Option<PyVal<'a>>> {
    let Some(performer) = first_where(&imms.get(Field::Performer)?, is_organization)? else {
        return Ok(None);
    };
    let Some(actor) = performer.lookup("actor")? else {
        return Ok(None);
    };
    actor.lookup("identifier")
}

/// `imms[list_key][0][key]`, `None` at a missing key.
fn first_item_key<'a>(
    imms: &Lookups<'a>,
    list_key: Field,
    key: &str,
) -> PyResult<Option<PyVal<'a>>> {
    match imms.lookup(list_key)? {
        Some(list) => list.index(0)?.lookup(key),
        None => Ok(None),
    }
}

/// The request and the lookups several fields share.
pub(crate) struct Resource<'l, 'a> {
    imms: &'l Lookups<'a>,
    /// The contained Patient (`None` for upstream's `IndexError`), or what finding it raised.
    patient: PyResult<Option<PyVal<'a>>>,
    pub(crate) patient_name: CurrentName<'a>,
    pub(crate) practitioner_name: CurrentName<'a>,
    /// The organisation performer's `actor.identifier`, or what finding it raised.
    organization_identifier: PyResult<Option<PyVal<'a>>>,
}

impl<'l, 'a> Resource<'l, 'a> {
    /// The contained Patient and the current names are those pre-validation
    /// found (`[x for x in imms.get("contained") if x.get("resourceType") == ...][0]`
    /// is the same lookup in both).
    pub(crate) fn new(imms: &'l Lookups<'a>) -> Self {
        Resource {
            patient: imms.contained(Contained::Patient),
            patient_name: CurrentName::shared(imms, ContainedKind::Patient),
            practitioner_name: CurrentName::shared(imms, ContainedKind::Practitioner),
            organization_identifier: organization_identifier(imms),
            imms,
        }
    }

    /// `patient[key]` of the contained Patient.
    fn patient_key(&self, key: &str) -> PyResult<Option<PyVal<'a>>> {
        match self.patient.clone()? {
            Some(patient) => patient.lookup(key),
            None => Ok(None),
        }
    }

    /// The field's value as the upstream lookup computes it (`None` where it
    /// raises `KeyError` or `IndexError`), or the exception it raises.
    fn lookup(&self, field: FieldName) -> PyResult<Option<PyVal<'a>>> {
        use FieldName::*;
        let imms = self.imms;
        match field {
            PatientIdentifierValue => {
                let Some(patient) = self.patient.clone()? else {
                    return Ok(None);
                };
                let identifiers = patient.get("identifier")?;
                match first_where(&identifiers, |x| get_equals(x, "system", NHS_NUMBER))? {
                    Some(identifier) => identifier.lookup("value"),
                    None => Ok(None),
                }
            }
            PatientNameGiven => Ok(self.patient_name.value(NamePart::Given)),
            PatientNameFamily => Ok(self.patient_name.value(NamePart::Family)),
            PractitionerNameGiven => Ok(self.practitioner_name.value(NamePart::Given)),
            PractitionerNameFamily => Ok(self.practitioner_name.value(NamePart::Family)),
            PatientBirthDate => self.patient_key("birthDate"),
            PatientGender => self.patient_key("gender"),
            PatientAddressPostalCode => {
                let Some(patient) = self.patient.clone()? else {
                    return Ok(None);
                };
                let addresses = patient.get("address")?;
                // `len(x.get("postalCode", "")) >= 1`
                let chosen = first_where(&addresses, |x| {
                    Ok(x.get_or("postalCode", PyVal::str(""))?.py_len()? >= 1)
                })?;
                match chosen {
                    Some(address) => address.lookup("postalCode"),
                    None => Ok(None),
                }
            }
            OccurrenceDateTime => imms.lookup(Field::OccurrenceDateTime),
            OrganizationIdentifierValue => match self.organization_identifier.clone()? {
                Some(identifier) => identifier.lookup("value"),
                None => Ok(None),
            },
            OrganizationIdentifierSystem => match self.organization_identifier.clone()? {
                Some(identifier) => identifier.lookup("system"),
                None => Ok(None),
            },
            IdentifierValue => first_item_key(imms, Field::Identifier, "value"),
            IdentifierSystem => first_item_key(imms, Field::Identifier, "system"),
            Recorded => imms.lookup(Field::Recorded),
            PrimarySource => imms.lookup(Field::PrimarySource),
            VaccinationProcedureCode => {
                imms.snomed_extension_value(SnomedExtension::Procedure, "code")
            }
            DoseNumberPositiveInt => {
                first_item_key(imms, Field::ProtocolApplied, "doseNumberPositiveInt")
            }
            ManufacturerDisplay => imms.path(Field::Manufacturer, &["display"]),
            LotNumber => imms.lookup(Field::LotNumber),
            ExpirationDate => imms.lookup(Field::ExpirationDate),
            DoseQuantityValue => imms.path(Field::DoseQuantity, &["value"]),
            DoseQuantityCode => imms.path(Field::DoseQuantity, &["code"]),
            DoseQuantityUnit => imms.path(Field::DoseQuantity, &["unit"]),
            LocationIdentifierValue => imms.path(Field::Location, &["identifier", "value"]),
            LocationIdentifierSystem => imms.path(Field::Location, &["identifier", "system"]),
        }
    }

    /// Whether reading the field may raise an exception post-validation lets
    /// through (one other than `KeyError`, `IndexError` and `TypeError`). Fields
    /// read only by subscripting and indexing the body (a body that is not a
    /// dict raises `TypeError` there), and the names already found, cannot: what
    /// reading them gives is a value or its absence. Every other field may (an
    /// `AttributeError` of `.get` on a value that is not a dict).
    pub(crate) fn reading_may_raise(&self, field: FieldName) -> bool {
        use FieldName::*;
        !matches!(
            field,
            PatientNameGiven
                | PatientNameFamily
                | PractitionerNameGiven
                | PractitionerNameFamily
                | OccurrenceDateTime
                | IdentifierValue
                | IdentifierSystem
                | Recorded
                | PrimarySource
                | DoseNumberPositiveInt
                | ManufacturerDisplay
                | LotNumber
                | ExpirationDate
                | DoseQuantityValue
                | DoseQuantityCode
                | DoseQuantityUnit
                | LocationIdentifierValue
                | LocationIdentifierSystem
        )
    }

    /// The field's value, `None` where upstream's lookup finds nothing (the lookup
    /// raised `KeyError`, `IndexError` or `TypeError`, or the value is JSON `null`
    /// — both are Python `None`). Other exceptions are returned.
    pub(crate) fn obtain_field_value(&self, field: FieldName) -> PyResult<Option<PyVal<'a>>> {
        match self.lookup(field) {
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
}
