//! The mandation rule of each field for each vaccine type (upstream
//! `ValidationSets`). The service defines one set, `vaccine_type_agnostic`, and
//! uses it for every vaccine type that has no set of its own — all of them.

use super::field_names::FieldName;
use super::mandation::MandationRule;
use crate::python::{PyException, PyResult};

/// The attributes every Python class has besides the sets it defines. The
/// service looks the set up as `getattr(ValidationSets, vaccine_type.lower(), agnostic)`,
/// so a vaccine type named like one of these finds a non-dict and fails.
const CLASS_ATTRIBUTES: &[&str] = &[
    "__class__",
    "__delattr__",
    "__dict__",
    "__dir__",
    "__doc__",
    "__eq__",
    "__format__",
    "__ge__",
    "__getattribute__",
    "__getstate__",
    "__gt__",
    "__hash__",
    "__init__",
    "__init_subclass__",
    "__le__",
    "__lt__",
    "__module__",
    "__ne__",
    "__new__",
    "__reduce__",
    "__reduce_ex__",
    "__repr__",
    "__setattr__",
    "__sizeof__",
    "__str__",
    "__subclasshook__",
    "__weakref__",
];

/// The rule that applies to `field` for `vaccine_type`. Every vaccine type uses
/// the agnostic set; a vaccine type whose lower-case name is a built-in class
/// attribute makes the service's lookup raise (its 500).
pub fn rule_for(vaccine_type: &str, field: FieldName) -> PyResult<MandationRule> {
    let attribute = vaccine_type.to_lowercase();
    if CLASS_ATTRIBUTES.contains(&attribute.as_str()) {
        return Err(PyException::type_error(format!(
            "ValidationSets.{attribute} is not a validation set"
        )));
    }
    Ok(vaccine_type_agnostic(field))
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
