//! The fields post-validation checks, in the order it checks them
//! (upstream `FieldNames` and `PostValidators.fields_with_standard_validation`).

/// A field the post-validators look at. The snake-case name is upstream's field name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldName {
    PatientIdentifierValue,
    PatientNameGiven,
    PatientNameFamily,
    PatientBirthDate,
    PatientGender,
    PatientAddressPostalCode,
    OccurrenceDateTime,
    OrganizationIdentifierValue,
    OrganizationIdentifierSystem,
    IdentifierValue,
    IdentifierSystem,
    PractitionerNameGiven,
    PractitionerNameFamily,
    Recorded,
    PrimarySource,
    VaccinationProcedureCode,
    DoseNumberPositiveInt,
    ManufacturerDisplay,
    LotNumber,
    ExpirationDate,
    DoseQuantityValue,
    DoseQuantityCode,
    DoseQuantityUnit,
    LocationIdentifierValue,
    LocationIdentifierSystem,
}

impl FieldName {
    /// Every field with standard validation, in the order the errors are reported.
    pub const CHECKED: [FieldName; 25] = [
        FieldName::PatientIdentifierValue,
        FieldName::PatientNameGiven,
        FieldName::PatientNameFamily,
        FieldName::PatientBirthDate,
        FieldName::PatientGender,
        FieldName::PatientAddressPostalCode,
        FieldName::OccurrenceDateTime,
        FieldName::OrganizationIdentifierValue,
        FieldName::OrganizationIdentifierSystem,
        FieldName::IdentifierValue,
        FieldName::IdentifierSystem,
        FieldName::PractitionerNameGiven,
        FieldName::PractitionerNameFamily,
        FieldName::Recorded,
        FieldName::PrimarySource,
        FieldName::VaccinationProcedureCode,
        FieldName::DoseNumberPositiveInt,
        FieldName::ManufacturerDisplay,
        FieldName::LotNumber,
        FieldName::ExpirationDate,
        FieldName::DoseQuantityValue,
        FieldName::DoseQuantityCode,
        FieldName::DoseQuantityUnit,
        FieldName::LocationIdentifierValue,
        FieldName::LocationIdentifierSystem,
    ];

    /// Upstream's snake-case field name (`patient_name_given`).
    pub fn as_str(self) -> &'static str {
        match self {
            FieldName::PatientIdentifierValue => "patient_identifier_value",
            FieldName::PatientNameGiven => "patient_name_given",
            FieldName::PatientNameFamily => "patient_name_family",
            FieldName::PatientBirthDate => "patient_birth_date",
            FieldName::PatientGender => "patient_gender",
            FieldName::PatientAddressPostalCode => "patient_address_postal_code",
            FieldName::OccurrenceDateTime => "occurrence_date_time",
            FieldName::OrganizationIdentifierValue => "organization_identifier_value",
            FieldName::OrganizationIdentifierSystem => "organization_identifier_system",
            FieldName::IdentifierValue => "identifier_value",
            FieldName::IdentifierSystem => "identifier_system",
            FieldName::PractitionerNameGiven => "practitioner_name_given",
            FieldName::PractitionerNameFamily => "practitioner_name_family",
            FieldName::Recorded => "recorded",
            FieldName::PrimarySource => "primary_source",
            FieldName::VaccinationProcedureCode => "vaccination_procedure_code",
            FieldName::DoseNumberPositiveInt => "dose_number_positive_int",
            FieldName::ManufacturerDisplay => "manufacturer_display",
            FieldName::LotNumber => "lot_number",
            FieldName::ExpirationDate => "expiration_date",
            FieldName::DoseQuantityValue => "dose_quantity_value",
            FieldName::DoseQuantityCode => "dose_quantity_code",
            FieldName::DoseQuantityUnit => "dose_quantity_unit",
            FieldName::LocationIdentifierValue => "location_identifier_value",
            FieldName::LocationIdentifierSystem => "location_identifier_system",
        }
    }
}
