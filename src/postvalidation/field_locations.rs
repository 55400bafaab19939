//! Where each post-validated field sits in the resource, as the service names it
//! in its messages (upstream `FieldLocations`). The four name locations depend on
//! which name of the contained Patient / Practitioner is current.

use super::contained::ContainedKind;
use super::field_names::FieldName;
use super::names::{name_location, NamePart};
use crate::python::{PyResult, PyVal};

pub const SNOMED: &str = "http://snomed.info/sct";
pub const NHS_NUMBER: &str = "https://fhir.nhs.uk/Id/nhs-number";
pub const VACCINATION_PROCEDURE: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure";

/// `protocolApplied[0].targetDisease[0].coding[?(@.system=='http://snomed.info/sct')].code`
pub const TARGET_DISEASE_CODES: &str =
    "protocolApplied[0].targetDisease[0].coding[?(@.system=='http://snomed.info/sct')].code";

/// Location of an extension's coding field (upstream `generate_field_location_for_extension`).
pub fn extension_location(url: &str, system: &str, field: &str) -> String {
    format!(
        "extension[?(@.url=='{url}')].valueCodeableConcept.coding[?(@.system=='{system}')].{field}"
    )
}

/// The field locations for one resource: fixed ones plus the name locations
/// worked out from its names (upstream `FieldLocations.set_dynamic_fields`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldLocations {
    pub patient_name_given: String,
    pub patient_name_family: String,
    pub practitioner_name_given: String,
    pub practitioner_name_family: String,
}

impl FieldLocations {
    /// Works out the name locations, in upstream's order (patient given, patient
    /// family, practitioner given, practitioner family); raises what the name
    /// lookup raises other than `KeyError`, `IndexError` and `AttributeError`.
    pub(crate) fn for_resource(imms: &PyVal<'_>) -> PyResult<Self> {
        Ok(FieldLocations {
            patient_name_given: name_location(imms, NamePart::Given, ContainedKind::Patient)?,
            patient_name_family: name_location(imms, NamePart::Family, ContainedKind::Patient)?,
            practitioner_name_given: name_location(
                imms,
                NamePart::Given,
                ContainedKind::Practitioner,
            )?,
            practitioner_name_family: name_location(
                imms,
                NamePart::Family,
                ContainedKind::Practitioner,
            )?,
        })
    }

    /// The location of `field` as it appears in "`<location>` is a mandatory field".
    pub fn of(&self, field: FieldName) -> String {
        use FieldName::*;
        let fixed = match field {
            PatientNameGiven => return self.patient_name_given.clone(),
            PatientNameFamily => return self.patient_name_family.clone(),
            PractitionerNameGiven => return self.practitioner_name_given.clone(),
            PractitionerNameFamily => return self.practitioner_name_family.clone(),
            VaccinationProcedureCode => {
                return extension_location(VACCINATION_PROCEDURE, SNOMED, "code")
            }
            PatientIdentifierValue => {
                return format!(
                    "contained[?(@.resourceType=='Patient')].identifier[?(@.system=='{NHS_NUMBER}')].value"
                )
            }
            PatientBirthDate => "contained[?(@.resourceType=='Patient')].birthDate",
            PatientGender => "contained[?(@.resourceType=='Patient')].gender",
            PatientAddressPostalCode => "contained[?(@.resourceType=='Patient')].address[0].postalCode",
            OccurrenceDateTime => "occurrenceDateTime",
            OrganizationIdentifierValue => {
                "performer[?(@.actor.type=='Organization')].actor.identifier.value"
            }
            OrganizationIdentifierSystem => {
                "performer[?(@.actor.type=='Organization')].actor.identifier.system"
            }
            IdentifierValue => "identifier[0].value",
            IdentifierSystem => "identifier[0].system",
            Recorded => "recorded",
            PrimarySource => "primarySource",
            DoseNumberPositiveInt => "protocolApplied[0].doseNumberPositiveInt",
            ManufacturerDisplay => "manufacturer.display",
            LotNumber => "lotNumber",
            ExpirationDate => "expirationDate",
            DoseQuantityValue => "doseQuantity.value",
            DoseQuantityCode => "doseQuantity.code",
            DoseQuantityUnit => "doseQuantity.unit",
            LocationIdentifierValue => "location.identifier.value",
            LocationIdentifierSystem => "location.identifier.system",
        };
        fixed.to_string()
    }
}
