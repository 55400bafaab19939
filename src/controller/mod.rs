//! The request path of the service's Lambda handlers, from raw request to
//! answer: the controller's own checks (`FhirController`), the service's
//! validation pipeline (`FhirService`), and the items the repository writes.
//!
//! Entry points: [`check_at`] (time supplied by the caller, as the Wasm shell
//! does) and [`check`] (the system clock; native only).

mod answer;
mod authorisation;
mod create;
mod delete;
mod options;
mod preview;
mod request_checks;
mod update;
mod validation;

pub use answer::{raw_json, SERVER_ERROR_DIAGNOSTICS};
pub use options::{RequestError, DEFAULT_DELTA_TTL_DAYS};
pub use preview::REPOSITORY_OBJECT_DEPTH_LIMIT;
pub use validation::DEEPCOPY_FRAME_LIMIT;

use crate::api::{Operation, Outcome, Request};
use crate::vaccine_type::DiseaseMapping;

/// The service's answer to `request` when its clock reads `now` (epoch seconds,
/// UTC): `now` drives the date rules ("must not be in the future"); the
/// request's `timestamp`, where given, is what the repository writes
/// (`UpdatedAt`, `DeletedAt`), as in the service's recorded answers. `Err` when an option beside the HTTP request (stored record,
/// permissions, disease mapping) cannot be used.
pub fn check_at(request: &Request, now: i64) -> Result<Outcome, RequestError> {
    let options = options::Options::from_request(request, DiseaseMapping::embedded())?;
    let answer = match request.operation {
        Operation::Create => create::create(request, &options, now),
        Operation::Update => update::update(request, &options, now),
        Operation::Delete => delete::delete(request, &options, now),
    };
    Ok(answer.into_outcome(&request.body))
}

/// The service's answer to `request` now, by the system clock.
#[cfg(not(target_arch = "wasm32"))]
pub fn check(request: &Request) -> Result<Outcome, RequestError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    check_at(request, now)
}
