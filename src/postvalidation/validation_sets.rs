//! The mandation rule of each field for each vaccine type (upstream
//! `ValidationSets`). The service defines one set, `vaccine_type_agnostic`, and
//! uses it for every vaccine type that has no set of its own — all of them.

use super::field_names::FieldName;
use super::mandation::MandationRule;

/// The rule that applies to `field` for `vaccine_type`.
pub fn rule_for(_vaccine_type: &str, field: FieldName) -> MandationRule {
    vaccine_type_agnostic(field)
}

/// Upstream `ValidationSets.vaccine_type_agnostic`.
pub fn vaccine_type_agnostic(field: FieldName) -> MandationRule {
    use FieldName::*;
    use MandationRule::*;
    match field {
        PatientIdentifierValue => Required,
        PatientNameGiven => Mandatory,
        PatientNameFamily => Mandatory,
        PatientBirthDate => Mandatory,
        PatientGender => Mandatory,
        PatientAddressPostalCode => Mandatory,
        OccurrenceDateTime => Mandatory,
        OrganizationIdentifierValue => Mandatory,
        OrganizationIdentifierSystem => Mandatory,
        IdentifierValue => Mandatory,
        IdentifierSystem => Mandatory,
        PractitionerNameGiven => Optional,
        PractitionerNameFamily => Optional,
        Recorded => Mandatory,
        PrimarySource => Mandatory,
        VaccinationProcedureCode => Mandatory,
        DoseNumberPositiveInt => Required,
        ManufacturerDisplay => Required,
        LotNumber => Required,
        ExpirationDate => Required,
        DoseQuantityValue => Required,
        DoseQuantityCode => Required,
        DoseQuantityUnit => Required,
        LocationIdentifierValue => Mandatory,
        LocationIdentifierSystem => Mandatory,
    }
}
