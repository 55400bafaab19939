//! The request path of the service's Lambda handlers, from raw request to
//! answer: the controller's own checks (`FhirController`), the service's
//! validation pipeline (`FhirService`), and the items the repository writes.
//!
//! Entry points: [`check_at`] (time supplied by the caller, as the Wasm shell
//! does) and [`check`] (the system clock; native only).

mod answer;
mod create;
mod delete;
mod request_checks;
mod update;
mod validation;

pub use answer::{Answer, SERVER_ERROR_DIAGNOSTICS};

use crate::api::{Operation, Outcome, Request};

/// The service's answer to `request` when its clock reads `now` (epoch seconds, UTC).
pub fn check_at(request: &Request, now: i64) -> Outcome {
    let answer = match request.operation {
        Operation::Create => create::create(request, now),
        Operation::Update => update::update(request, now),
        Operation::Delete => delete::delete(request, now),
    };
    answer.into_outcome(&request.body)
}

/// The service's answer to `request` now, by the system clock.
#[cfg(not(target_arch = "wasm32"))]
pub fn check(request: &Request) -> Outcome {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    check_at(request, now)
}
