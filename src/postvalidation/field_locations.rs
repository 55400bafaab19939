//! Where each post-validated field sits in the resource, as the service names it
//! in its messages (upstream `FieldLocations`). The four name locations depend on
//! which name of the contained Patient / Practitioner is current.

use std::borrow::Cow;

use super::field_names::FieldName;
use super::names::{CurrentName, NamePart};
use crate::prevalidation::generic::generate_field_location_for_name;
use crate::python::PyResult;

pub const SNOMED: &str = "http://snomed.info/sct";
pub const NHS_NUMBER: &str = "https://fhir.nhs.uk/Id/nhs-number";
pub const VACCINATION_PROCEDURE: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure";

/// `protocolApplied[0].targetDisease[0].coding[?(@.system=='http://snomed.info/sct')].code`
pub const TARGET_DISEASE_CODES: &str =
    "protocolApplied[0].targetDisease[0].coding[?(@.system=='http://snomed.info/sct')].code";

/// Location of an extension's coding field (upstream `generate_field_location_for_extension`).
pub fn extension_location(url: &str, system: &str, field: &str) -> String {
    crate::prevalidation::generic::generate_field_location_for_extension(url, system, field)
        .into_owned()
}

/// The field locations for one resource: fixed ones plus the name locations
/// worked out from its names (upstream `FieldLocations.set_dynamic_fields`).
/// The name locations are kept as the name indices they hold and written out
/// only when asked for (a field that is present is never named).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLocations {
    patient_name_given: usize,
    patient_name_family: usize,
    practitioner_name_given: usize,
    practitioner_name_family: usize,
}

impl FieldLocations {
    /// Works out the name locations, in upstream's order (patient given, patient
    /// family, practitioner given, practitioner family); raises what the name
    /// lookup raises other than `KeyError`, `IndexError` and `AttributeError`.
    pub(crate) fn for_names(
        patient: &CurrentName<'_>,
        practitioner: &CurrentName<'_>,
    ) -> PyResult<Self> {
        Ok(FieldLocations {
            patient_name_given: patient.location_index(NamePart::Given)?,
            patient_name_family: patient.location_index(NamePart::Family)?,
            practitioner_name_given: practitioner.location_index(NamePart::Given)?,
            practitioner_name_family: practitioner.location_index(NamePart::Family)?,
        })
    }

    /// The location of `field` as it appears in "`<location>` is a mandatory field".
    pub fn of(&self, field: FieldName) -> Cow<'static, str> {
        use FieldName::*;
        let name = |index: usize, part: NamePart, resource_type: &str| {
            generate_field_location_for_name(index, part.key(), resource_type)
        };
        Cow::Borrowed(match field {
            PatientNameGiven => return name(self.patient_name_given, NamePart::Given, "Patient"),
            PatientNameFamily => {
                return name(self.patient_name_family, NamePart::Family, "Patient")
            }
            PractitionerNameGiven => {
                return name(
                    self.practitioner_name_given,
                    NamePart::Given,
                    "Practitioner",
                )
            }
            PractitionerNameFamily => {
                return name(
                    self.practitioner_name_family,
                    NamePart::Family,
                    "Practitioner",
                )
            }
            VaccinationProcedureCode => "extension[?(@.url=='https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure')].valueCodeableConcept.coding[?(@.system=='http://snomed.info/sct')].code",
            PatientIdentifierValue => "contained[?(@.resourceType=='Patient')].identifier[?(@.system=='https://fhir.nhs.uk/Id/nhs-number')].value",
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
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_locations_name_the_upstream_constants() {
        let locations = FieldLocations {
            patient_name_given: 0,
            patient_name_family: 1,
            practitioner_name_given: 2,
            practitioner_name_family: 0,
        };
        assert_eq!(
            locations.of(FieldName::VaccinationProcedureCode),
            extension_location(VACCINATION_PROCEDURE, SNOMED, "code")
        );
        assert_eq!(
            locations.of(FieldName::PatientIdentifierValue),
            format!("contained[?(@.resourceType=='Patient')].identifier[?(@.system=='{NHS_NUMBER}')].value")
        );
    }

    /// The name locations hold the name indices, as upstream formats them.
    #[test]
    fn name_locations_hold_their_index() {
        let locations = FieldLocations {
            patient_name_given: 0,
            patient_name_family: 1,
            practitioner_name_given: 12,
            practitioner_name_family: 0,
        };
        assert_eq!(
            locations.of(FieldName::PatientNameGiven),
            "contained[?(@.resourceType=='Patient')].name[0].given"
        );
        assert_eq!(
            locations.of(FieldName::PatientNameFamily),
            "contained[?(@.resourceType=='Patient')].name[1].family"
        );
        assert_eq!(
            locations.of(FieldName::PractitionerNameGiven),
            "contained[?(@.resourceType=='Practitioner')].name[12].given"
        );
        assert_eq!(
            locations.of(FieldName::PractitionerNameFamily),
            "contained[?(@.resourceType=='Practitioner')].name[0].family"
        );
    }
}
