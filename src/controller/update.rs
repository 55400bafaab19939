//! `FhirController.update_immunization` → `FhirService.update_immunization`.

use super::answer::Answer;
use super::options::{stored_resource_tree, Options, Stored};
use super::{authorisation, preview, request_checks, validation};
use crate::api::Request;
use crate::json::Value;
use crate::permissions::ApiOperation;
use crate::store::{self, EventItem};
use crate::vaccine_type;

pub fn update(request: &Request, options: &Options, now: i64) -> Answer {
    run(request, options, now).unwrap_or_else(|answer| answer)
}

fn run(request: &Request, options: &Options, now: i64) -> Result<Answer, Answer> {
    let imms_id = request.id.as_deref().unwrap_or("");
    let supplier = request_checks::supplier_system(request)?;
    let version_header = request_checks::version_header(request)?;
    request_checks::immunization_id(imms_id)?;
    let version = request_checks::resource_version(version_header)?;
    let (body, nesting) = request_checks::parse_body_with_nesting(&request.body)?;
    if !body.is_object() {
        return Err(Answer::server_error());
    }
    if body.get("id").map(|id| &id.value) != Some(&Value::Str(imms_id.into())) {
        return Err(Answer::rejected(
            400,
            "invariant",
            format!(
                "Validation errors: The provided immunization id:{imms_id} doesn't match with the content of the request body"
            ),
        ));
    }
    let validated = validation::validate(&body, nesting, &options.mapping, now)?;
    let vaccine_type = validated.vaccine_type;
    let found = Some(vaccine_type.clone());
    // `Immunization.parse_obj(immunization)` outside the validation `try`.
    let resource = store::stored_resource(&body).map_err(|_| Answer::server_error())?;

    let seeded;
    let existing: &EventItem = match &options.stored {
        Stored::Record(record) => record,
        Stored::Nothing => return Err(not_found(imms_id).with_vaccine_type(found)),
        Stored::Unspecified => {
            seeded = store::seeded_record(imms_id, &body, version, supplier);
            &seeded
        }
    };
    // The metadata's identifier comes from the stored IdentifierPK (`InvalidStoredDataError`
    // when it is absent or has no `#`).
    let (stored_system, stored_value) = existing
        .get_s("IdentifierPK")
        .and_then(|pk| pk.split_once('#'))
        .ok_or_else(|| {
            Answer::rejected(
                500,
                "exception",
                "Invalid data stored for immunization record: identifier",
            )
        })?;
    let stored_version = existing.version().ok_or_else(Answer::server_error)?;
    // `Immunization.parse_obj(existing)` and its vaccine type, outside any `try`.
    let read_back;
    let existing_tree = match &options.stored {
        // The seeded record's Resource is this body as `simplejson.dumps` writes it:
        // read back, it is the body again, already parsed into a model above.
        Stored::Unspecified => &body,
        _ => {
            read_back = stored_resource_tree(existing).ok_or_else(Answer::server_error)?;
            store::stored_resource(&read_back).map_err(|_| Answer::server_error())?;
            &read_back
        }
    };
    let existing_type = vaccine_type::vaccine_type(existing_tree, &options.mapping)
        .map_err(|_| Answer::server_error())?;
    authorisation::authorise(
        options,
        supplier,
        ApiOperation::Update,
        &[&vaccine_type, &existing_type],
    )
    .map_err(|a| a.with_vaccine_type(found.clone()))?;

    let new_identifier = resource
        .identifier_pk()
        .map_err(|_| Answer::server_error())?;
    let (new_system, new_value) = new_identifier
        .split_once('#')
        .unwrap_or((new_identifier.as_str(), ""));
    identifiers_match((new_system, new_value), (stored_system, stored_value))
        .map_err(|a| a.with_vaccine_type(found.clone()))?;
    if !existing.is_deleted() {
        versions_match(version, stored_version, imms_id)
            .map_err(|a| a.with_vaccine_type(found.clone()))?;
    }
    preview::storable_depth(&body, &request.body, Some(nesting))?;
    let timestamp = request.timestamp.unwrap_or(now);
    let item = store::update_item(
        &resource,
        imms_id,
        &vaccine_type,
        supplier,
        timestamp,
        existing,
    )
    .map_err(|_| Answer::server_error())?;
    Ok(preview::accepted(
        200,
        found,
        item,
        Some(&resource),
        options,
        timestamp,
    ))
}

fn not_found(imms_id: &str) -> Answer {
    Answer::rejected(
        404,
        "not-found",
        format!("Immunization resource does not exist. ID: {imms_id}"),
    )
}

/// `validate_identifiers_match`.
fn identifiers_match(new: (&str, &str), stored: (&str, &str)) -> Result<(), Answer> {
    let message = match (new.0 != stored.0, new.1 != stored.1) {
        (true, true) => "Validation errors: identifier[0].system and identifier[0].value doesn't match with the stored content",
        (true, false) => "Validation errors: identifier[0].system doesn't match with the stored content",
        (false, true) => "Validation errors: identifier[0].value doesn't match with the stored content",
        (false, false) => return Ok(()),
    };
    Err(Answer::rejected(400, "invariant", message))
}

/// `validate_resource_versions_match`.
fn versions_match(requested: u64, actual: u64, imms_id: &str) -> Result<(), Answer> {
    let message = if actual > requested {
        format!("Validation errors: The requested immunization resource {imms_id} has changed since the last retrieve.")
    } else if actual < requested {
        format!(
            "Validation errors: The requested immunization resource {imms_id} version is inconsistent with the existing version."
        )
    } else {
        return Ok(());
    };
    Err(Answer::rejected(400, "invariant", message))
}
