//! What a validation stage raises, in the terms the service's exception
//! handler maps to an HTTP answer.

/// One rule failure and the upstream field location it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The failure's text as it stands inside the diagnostics.
    pub message: String,
    /// Upstream field location (`contained[?(@.resourceType=='Patient')].birthDate`),
    /// a pydantic location (`protocolApplied -> 0 -> __root__`) for structural errors,
    /// or empty where the failure names no field.
    pub location: String,
}

impl FieldError {
    pub fn new(message: impl Into<String>, location: impl Into<String>) -> Self {
        FieldError {
            message: message.into(),
            location: location.into(),
        }
    }
}

/// An exception raised by a validation stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Raised {
    /// Caught by the service and answered 400 `invariant` with `diagnostics`
    /// (the exact text), split into `errors` for display.
    Invalid {
        diagnostics: String,
        errors: Vec<FieldError>,
    },
    /// Not caught by the service's validation (e.g. a Python `KeyError`): the
    /// global handler answers 500 "Unable to process request. Issue may be transient."
    /// `python` is the exception for display, e.g. `KeyError: 'coding'`.
    Unhandled { python: String },
}
