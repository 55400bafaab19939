//! Post-validation (upstream `PostValidators`): after the resource has passed
//! pre-validation and the FHIR model, and its vaccine type is known, every
//! field the vaccine type's validation set marks mandatory must be present.
//!
//! All failures are reported together: "Validation errors: " followed by each
//! "`<location>` is a mandatory field", joined by "; ", in the fixed field
//! order of [`FieldName::CHECKED`]. The service answers them 400 `invariant`.

mod contained;
mod field_locations;
mod field_names;
mod mandation;
mod names;
mod obtain_field_value;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
mod validation_sets;

pub use contained::ContainedKind;
pub use field_locations::{
    extension_location, FieldLocations, NHS_NUMBER, SNOMED, TARGET_DISEASE_CODES,
    VACCINATION_PROCEDURE,
};
pub use field_names::FieldName;
pub use mandation::MandationRule;
pub use names::NamePart;
pub use validation_sets::{check_validation_set, rule_for, vaccine_type_agnostic};

use crate::json::Node;
use crate::prevalidation::Lookups;
use crate::python::PyException;
use crate::raised::{FieldError, Raised};
use obtain_field_value::Resource;

/// The prefix of every post-validation failure.
pub const PREFIX: &str = "Validation errors: ";

/// Runs post-validation on the resource (as sent, after site/route
/// normalisation) for the given vaccine type.
///
/// `Err(Raised::Invalid)` carries the exact diagnostics and one [`FieldError`]
/// per missing mandatory field. `Err(Raised::Unhandled)` is an exception the
/// upstream lookups raise that the service does not catch (for example
/// `'str' object has no attribute 'get'` on a non-object `contained` element),
/// which it answers 500.
pub fn validate(imms: &Node, vaccine_type: &str) -> Result<(), Raised> {
    validate_with(&Lookups::new(imms), vaccine_type)
}

/// [`validate`] of a body whose lookups earlier stages have shared.
pub fn validate_with(imms: &Lookups<'_>, vaccine_type: &str) -> Result<(), Raised> {
    let errors = mandatory_failures(imms, vaccine_type).map_err(unhandled)?;
    if errors.is_empty() {
        return Ok(());
    }
    let joined = errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    Err(Raised::Invalid {
        diagnostics: format!("{PREFIX}{joined}"),
        errors,
    })
}

/// The missing mandatory fields in check order, or the exception the lookups raised.
fn mandatory_failures(
    imms: &Lookups<'_>,
    vaccine_type: &str,
) -> Result<Vec<FieldError>, PyException> {
    let resource = Resource::new(imms);
    let locations = FieldLocations::for_names(&resource.patient_name, &resource.practitioner_name)?;
    let validation_set = check_validation_set(vaccine_type);
    let mut errors = Vec::new();
    for field in FieldName::CHECKED {
        let rule = vaccine_type_agnostic(field);
        // A field that is never mandatory is read only for what reading it may raise.
        let present = if rule == MandationRule::Mandatory || resource.reading_may_raise(field) {
            resource.obtain_field_value(field)?.is_some()
        } else {
            true
        };
        if let Err(e) = &validation_set {
            return Err(e.clone());
        }
        if !present {
            let location = locations.of(field);
            if let Some(message) = rule.failure(present, &location) {
                errors.push(FieldError::new(message, location));
            }
        }
    }
    Ok(errors)
}

/// [`mandatory_failures`] reading every field, as upstream does.
#[cfg(test)]
fn mandatory_failures_reading_every_field(
    imms: &Lookups<'_>,
    vaccine_type: &str,
) -> Result<Vec<FieldError>, PyException> {
    let resource = Resource::new(imms);
    let locations = FieldLocations::for_names(&resource.patient_name, &resource.practitioner_name)?;
    let validation_set = check_validation_set(vaccine_type);
    let mut errors = Vec::new();
    for field in FieldName::CHECKED {
        let value = resource.obtain_field_value(field)?;
        if let Err(e) = &validation_set {
            return Err(e.clone());
        }
        let location = locations.of(field);
        if let Some(message) = vaccine_type_agnostic(field).failure(value.is_some(), &location) {
            errors.push(FieldError::new(message, location));
        }
    }
    Ok(errors)
}

/// An exception the service does not catch, for display: `KeyError: 'x'`.
pub(crate) fn unhandled(e: PyException) -> Raised {
    Raised::Unhandled {
        python: e.display(),
    }
}
