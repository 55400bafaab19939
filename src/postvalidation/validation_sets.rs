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
    check_validation_set(vaccine_type)?;
    Ok(vaccine_type_agnostic(field))
}

/// Raises what the service's lookup of the validation set raises for
/// `vaccine_type`: a `TypeError` when its lower-case name is a built-in class attribute.
pub fn check_validation_set(vaccine_type: &str) -> PyResult<()> {
    // Every class attribute starts with `__`, and only `_` lower-cases to `_`.
    if !vaccine_type.starts_with("__") {
        return Ok(());
    }
    let attribute = vaccine_type.to_lowercase();
    if CLASS_ATTRIBUTES.contains(&attribute.as_str()) {
        return Err(PyException::type_error(format!(
            "ValidationSets.{attribute} is not a validation set"
        )));
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_attributes_are_found_whatever_their_case() {
        assert!(check_validation_set("__DOC__").is_err());
        assert!(check_validation_set("__Init_Subclass__").is_err());
        assert!(check_validation_set("COVID").is_ok());
        assert!(check_validation_set("_doc__").is_ok());
        assert!(check_validation_set("__unknown__").is_ok());
        assert!(CLASS_ATTRIBUTES.iter().all(|a| a.starts_with("__")));
        assert!(CLASS_ATTRIBUTES
            .iter()
            .all(|a| check_validation_set(&a.to_uppercase()).is_err()));
    }
}
