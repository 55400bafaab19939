//! Pre-validators (upstream `fhir_immunization_pre_validators.py`), one module per field family.
//!
//! Every validator has the signature [`Validator`]: it reads the body as Python
//! would (through [`crate::python::PyVal`]) and raises the upstream exception.
//! [`validate`] runs them in upstream order and turns what they raise into the
//! service's answer.

pub mod checks;
pub mod constants;
pub mod generic;
pub mod lookups;
pub mod normalise;
pub mod strptime;
#[cfg(test)]
mod strptime_reference;

mod contained;
mod dose_quantity;
mod extension;
mod identifier;
mod location;
mod occurrence;
mod organization;
mod patient;
mod performer;
mod practitioner;
mod product;
mod protocol_applied;
mod reason_code;
mod recorded;
mod site_route;
mod status;
mod top_level;

pub use lookups::Lookups;
pub use normalise::normalise_site_and_route;

#[cfg(test)]
mod field_tests;
#[cfg(test)]
mod tests;

use crate::json::Node;
use crate::python::{PyExcKind, PyException, PyResult};
use crate::raised::{FieldError, Raised};

/// What the validators need from outside the body: the service clock.
///
/// Upstream compares with `datetime.now()` (naive, the service's local time,
/// which is UTC), `datetime.now(tz)` for aware values, and `datetime.now().date()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// The current UTC time, seconds since the Unix epoch.
    pub now_epoch_seconds: i64,
    /// Microseconds within that second.
    pub now_subsec_micros: u32,
}

impl Context {
    /// The clock at a whole second.
    pub fn at_epoch_seconds(now_epoch_seconds: i64) -> Self {
        Context {
            now_epoch_seconds,
            now_subsec_micros: 0,
        }
    }

    /// The current instant in microseconds since the Unix epoch.
    pub fn now_epoch_micros(&self) -> i64 {
        self.now_epoch_seconds
            .saturating_mul(1_000_000)
            .saturating_add(i64::from(self.now_subsec_micros))
    }

    /// Today's UTC date as days since 1970-01-01.
    pub fn today_epoch_days(&self) -> i64 {
        self.now_epoch_seconds.div_euclid(86_400)
    }
}

/// A pre-validator: upstream `PreValidators.pre_validate_<name>(values)`, given
/// the body with its shared lookups.
pub type Validator = fn(&Lookups<'_>, &Context) -> PyResult<()>;

/// The validators `PreValidators.validate` runs, in its order.
pub const VALIDATORS: &[Validator] = &[
    top_level::pre_validate_resource_type,
    contained::pre_validate_contained_contents,
    top_level::pre_validate_top_level_elements,
    contained::pre_validate_patient_reference,
    contained::pre_validate_practitioner_reference,
    patient::pre_validate_patient_identifier_extension,
    patient::pre_validate_patient_identifier,
    patient::pre_validate_patient_identifier_system,
    patient::pre_validate_patient_identifier_nhs_system,
    patient::pre_validate_patient_identifier_value,
    patient::pre_validate_patient_name,
    patient::pre_validate_patient_name_given,
    patient::pre_validate_patient_name_family,
    patient::pre_validate_patient_birth_date,
    patient::pre_validate_patient_gender,
    patient::pre_validate_patient_address,
    patient::pre_validate_patient_address_postal_code,
    occurrence::pre_validate_occurrence_date_time,
    performer::pre_validate_performer,
    performer::pre_validate_organization_identifier_value,
    identifier::pre_validate_identifier,
    identifier::pre_validate_identifier_value,
    identifier::pre_validate_identifier_system,
    status::pre_validate_status,
    practitioner::pre_validate_practitioner_name,
    practitioner::pre_validate_practitioner_name_given,
    practitioner::pre_validate_practitioner_name_family,
    recorded::pre_validate_recorded,
    recorded::pre_validate_primary_source,
    extension::pre_validate_vaccination_situation_code,
    extension::pre_validate_vaccination_situation_display,
    protocol_applied::pre_validate_protocol_applied,
    protocol_applied::pre_validate_dose_number_positive_int,
    protocol_applied::pre_validate_dose_number_string,
    protocol_applied::pre_validate_target_disease,
    protocol_applied::pre_validate_target_disease_codings,
    protocol_applied::pre_validate_disease_type_coding_codes,
    product::pre_validate_manufacturer_display,
    product::pre_validate_lot_number,
    product::pre_validate_expiration_date,
    site_route::pre_validate_site_coding,
    site_route::pre_validate_site_coding_code,
    site_route::pre_validate_site_coding_display,
    site_route::pre_validate_route_coding,
    site_route::pre_validate_route_coding_code,
    site_route::pre_validate_route_coding_display,
    dose_quantity::pre_validate_dose_quantity_value,
    dose_quantity::pre_validate_dose_quantity_code,
    dose_quantity::pre_validate_dose_quantity_system,
    dose_quantity::pre_validate_dose_quantity_system_and_code,
    dose_quantity::pre_validate_dose_quantity_unit,
    reason_code::pre_validate_reason_code_codings,
    reason_code::pre_validate_reason_code_coding_codes,
    organization::pre_validate_organization_identifier_system,
    location::pre_validate_location_identifier_value,
    location::pre_validate_location_identifier_system,
    extension::pre_validate_value_codeable_concept,
    extension::pre_validate_extension_length,
    extension::pre_validate_vaccination_procedure_code,
    extension::pre_validate_vaccination_procedure_display,
    product::pre_validate_vaccine_code,
    product::pre_validate_vaccine_display,
];

/// Where [`VALIDATORS`] holds `pre_validate_contained_contents`, which
/// [`validate`] has already run before the list.
const REPEATED_CONTAINED_CHECK: usize = 1;

const PREFIX: &str = "Validation errors: ";

/// Upstream `PreValidators.validate`: the contained-resources check first (its
/// failure answers alone), then every validator, collecting the texts of the
/// `ValueError`/`TypeError`/`IndexError`/`AttributeError`s they raise.
/// A `MandatoryError` ends validation with its own text; any other exception
/// is one the service does not handle.
pub fn validate(imms: &Node, ctx: &Context) -> Result<(), Raised> {
    validate_with(&Lookups::new(imms), ctx)
}

/// [`validate`] of a body whose lookups the caller shares with later stages.
pub fn validate_with(imms: &Lookups<'_>, ctx: &Context) -> Result<(), Raised> {
    if let Err(error) = contained::pre_validate_contained_contents(imms, ctx) {
        if error.is_common_validation_error() {
            let field = FieldError::new(error.message.clone(), error.location.clone());
            return Err(Raised::Invalid {
                diagnostics: format!("{PREFIX}{}", error.message),
                errors: vec![field],
            });
        }
        return Err(uncollected(error));
    }
    let mut errors = Vec::new();
    // Upstream runs the contained-resources check again in its list; it reads the
    // same body and passed a moment ago, so it passes again and is not repeated.
    for (_, validator) in VALIDATORS
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != REPEATED_CONTAINED_CHECK)
    {
        if let Err(error) = validator(imms, ctx) {
            if error.is_common_validation_error() {
                errors.push(FieldError::new(error.message, error.location));
            } else {
                return Err(uncollected(error));
            }
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    let joined: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    Err(Raised::Invalid {
        diagnostics: format!("{PREFIX}{}", joined.join("; ")),
        errors,
    })
}

/// An exception `validate` lets through: a `MandatoryError` becomes the
/// service's 400 with its text; anything else its 500.
fn uncollected(error: PyException) -> Raised {
    if error.kind == PyExcKind::MandatoryError {
        let message = error
            .message
            .strip_prefix(PREFIX)
            .unwrap_or(&error.message)
            .to_string();
        Raised::Invalid {
            diagnostics: error.message.clone(),
            errors: vec![FieldError::new(message, error.location)],
        }
    } else {
        Raised::Unhandled {
            python: error.display(),
        }
    }
}
