//! `FhirController.create_immunization` → `FhirService.create_immunization`.

use super::answer::Answer;
use super::{request_checks, validation};
use crate::api::Request;
use crate::json::Value;

pub fn create(request: &Request, now: i64) -> Answer {
    run(request, now).unwrap_or_else(|answer| answer)
}

fn run(request: &Request, now: i64) -> Result<Answer, Answer> {
    let supplier = request_checks::supplier_system(request)?;
    let body = request_checks::parse_body(&request.body)?;
    // `immunization.get("id")`: a body that is not an object raises AttributeError.
    if !body.is_object() {
        return Err(Answer::server_error());
    }
    if body.get("id").is_some_and(|id| id.value != Value::Null) {
        return Err(Answer::rejected(
            400,
            "invariant",
            "id field must not be present for CREATE operation",
        ));
    }
    let mapping = request.disease_mapping();
    let validated = validation::validate(&body, &mapping, now)?;
    let _ = supplier;
    Ok(Answer::Accepted {
        status: 201,
        vaccine_type: Some(validated.vaccine_type),
        item: None,
        delta: None,
    })
}
