//! `FhirController.delete_immunization` → `FhirService.delete_immunization`.

use super::answer::Answer;
use super::options::{text, Options, Stored};
use super::{authorisation, preview, request_checks};
use crate::api::Request;
use crate::permissions::ApiOperation;
use crate::store::{self, EventItem};
use crate::vaccine_type;

pub fn delete(request: &Request, options: &Options, now: i64) -> Answer {
    run(request, options, now).unwrap_or_else(|answer| answer)
}

fn run(request: &Request, options: &Options, now: i64) -> Result<Answer, Answer> {
    let imms_id = request.id.as_deref().unwrap_or("");
    request_checks::immunization_id(imms_id)?;
    let supplier = request_checks::supplier_system(request)?;
    let existing = existing_record(request, options, imms_id, supplier)?;
    // `get_immunization_resource_and_metadata_by_id` hides logically deleted records.
    if existing.is_deleted() {
        return Err(not_found(imms_id));
    }
    let tree = super::options::stored_resource_tree(&existing).ok_or_else(Answer::server_error)?;
    // `get_vaccine_type(existing)` raises outside any handler but the global one.
    let vaccine_type =
        vaccine_type::vaccine_type(&tree, &options.mapping).map_err(|_| Answer::server_error())?;
    authorisation::authorise(options, supplier, ApiOperation::Delete, &[&vaccine_type])
        .map_err(|a| a.with_vaccine_type(Some(vaccine_type.clone())))?;
    let timestamp = request.timestamp.unwrap_or(now);
    let item =
        store::delete_item(&existing, supplier, timestamp).ok_or_else(|| not_found(imms_id))?;
    Ok(preview::accepted(
        204,
        Some(vaccine_type),
        item,
        None,
        options,
        timestamp,
    ))
}

/// The caller's stored record, or the request body as the stored resource.
fn existing_record(
    request: &Request,
    options: &Options,
    imms_id: &str,
    supplier: &str,
) -> Result<EventItem, Answer> {
    match &options.stored {
        Stored::Record(record) => Ok(record.clone()),
        Stored::Nothing => Err(not_found(imms_id)),
        Stored::Unspecified => {
            if request.body.trim().is_empty() {
                return Err(not_found(imms_id));
            }
            let mut body = request_checks::parse_body(&request.body)?;
            if !body.is_object() {
                return Err(Answer::server_error());
            }
            body.set("id", text(imms_id));
            let version = request
                .version
                .as_deref()
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            let resource = preview::resource(&body, &request.body, None)?;
            let tree = resource.tree().ok_or_else(Answer::server_error)?;
            let vaccine = vaccine_type::vaccine_type(&tree, &options.mapping)
                .map_err(|_| Answer::server_error())?;
            let created = store::create_item(&resource, imms_id, &vaccine, supplier)
                .map_err(|_| Answer::server_error())?;
            let mut record = created;
            record.set("Version", store::Attr::N(version.to_string()));
            Ok(record)
        }
    }
}

fn not_found(imms_id: &str) -> Answer {
    Answer::rejected(
        404,
        "not-found",
        format!("Immunization resource does not exist. ID: {imms_id}"),
    )
}
