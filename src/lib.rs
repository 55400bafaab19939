//! imms-check: the NHS Immunisation FHIR API's answer to an Immunization
//! create, update or delete, computed offline.

pub mod api;
pub mod json;

pub use api::{Issue, Operation, Outcome, Request};
